"""Load a catalog through its source's loader and select the analysis rows: year coverage, filters, `select`.

The tidy schema and the shared parsing live in `opentrends.catalog.tidy`; each source's loader in
`opentrends.catalog.loaders.<name>` declares the filters its labels support (`FILTERS`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opentrends.catalog import taxonomy
from opentrends.catalog.curation import CatalogError, load_organization_aliases
from opentrends.catalog.loaders import LOADERS, loader
from opentrends.catalog.organizations import organization_table
from opentrends.catalog.tidy import Catalog
from opentrends.core.errors import ParameterError

# Filters `select` knows; which of them apply is declared by each source's loader (`FILTERS`).
SOURCE_FILTERS = ("released_only", "domain", "min_training_compute")


def is_open(access: str, definition: str, source: str = "epoch-ai-models") -> bool | None:
    """True/False under an open definition for a source's label; None when accessibility is unknown.

    The source's loader module declares its labels' classes (`ACCESS_CLASS`) and the definitions that
    apply (`OPEN_DEFINITIONS`); sources using the shared labels fall back to the ones in `taxonomy`.
    """
    module = loader(source) if source in LOADERS else None
    classes = getattr(module, "ACCESS_CLASS", taxonomy.ACCESS_CLASS)
    definitions = getattr(module, "OPEN_DEFINITIONS", taxonomy.OPEN_DEFINITIONS)
    if definition not in definitions:
        raise ParameterError(
            f"open_definition {definition!r} does not apply to {source}; it supports {', '.join(definitions)}"
        )
    if classes.get(access) == "unknown":
        return None
    return access in definitions[definition]


def load_epoch(
    snapshot: str = "epoch-ai-models@2026-03-30", population: str = "all", hong_kong_macao_as_china: bool = False
) -> Catalog:
    """Epoch AI models as a tidy catalog (see `opentrends.catalog.loaders.epoch.load_epoch`)."""
    return loader("epoch-ai-models").load_epoch(snapshot, population, hong_kong_macao_as_china)


def load_ecosystem_graphs(
    snapshot: str = "ecosystem-graphs@2025-01-24", hong_kong_macao_as_china: bool = False
) -> Catalog:
    """Ecosystem Graphs models as a tidy catalog (see `opentrends.catalog.loaders.ecosystem_graphs`)."""
    return loader("ecosystem-graphs").load_ecosystem_graphs(snapshot, hong_kong_macao_as_china)


# --- organizations ------------------------------------------------------------------------------


def organizations(catalog: Catalog, rows: pd.DataFrame, hong_kong_macao_as_china: bool = False) -> pd.DataFrame:
    """`rows` of `catalog` as one row per organization, aliases applied, each organization in its own region
    (metrics.organization_table states the rule); the source's loader says how to split its lists."""
    split = getattr(loader(catalog.source), "split_organizations", taxonomy.split_list)
    return organization_table(rows, load_organization_aliases(), split, hong_kong_macao_as_china)


# --- year coverage --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """The dates a catalog covers: its earliest and latest dated row (YYYY-MM-DD)."""

    ref: str
    population: str
    first: str
    last: str

    def describe(self) -> str:
        return f"{self.ref} ({self.population}) covers dates {self.first} to {self.last}"


def coverage(catalog: Catalog) -> Coverage:
    """The date range `catalog` holds (rows without a date do not count)."""
    dates = catalog.rows["date"].dropna()
    if dates.empty:
        raise CatalogError(f"{catalog.snapshot} ({catalog.population}) has no dated rows.")
    return Coverage(
        catalog.snapshot, catalog.population, dates.min().strftime("%Y-%m-%d"), dates.max().strftime("%Y-%m-%d")
    )


def _years(start_year, end_year) -> tuple[int, int]:
    try:
        start, end = int(start_year), int(end_year)
    except (TypeError, ValueError) as exc:
        raise ParameterError(
            f"start_year and end_year must be whole years, got {start_year!r} and {end_year!r}."
        ) from exc
    if start > end:
        raise ParameterError(f"Empty selection: start_year {start} is after end_year {end}. Fix: swap them.")
    return start, end


def check_years(catalog: Catalog, start_year: int, end_year: int) -> Coverage:
    """The catalog's coverage, after refusing a year range it cannot answer.

    A range that ends after the last covered year would plot years with no data (or a few early
    rows) as if they were measured; a range that ends before the first covered year has no rows.
    A range that starts before the coverage is allowed: those years show as zero counts.
    """
    start, end = _years(start_year, end_year)
    span = coverage(catalog)
    first, last = int(span.first[:4]), int(span.last[:4])
    partial = "" if span.last[5:] == "12-31" else f" ({last} only partly: the data end {span.last})"
    if end > last or end < first:
        raise ParameterError(
            f"Years {start}–{end} are outside the data: {span.describe()}. Fix: choose start_year and end_year "
            f"within {first}–{last}{partial}, or use a newer snapshot."
        )
    return span


def overlap_years(catalog: Catalog, start_year: int, end_year: int) -> tuple[int, int] | None:
    """The part of start_year..end_year a secondary catalog covers, or None when they do not overlap."""
    start, end = _years(start_year, end_year)
    span = coverage(catalog)
    low, high = max(start, int(span.first[:4])), min(end, int(span.last[:4]))
    return (low, high) if low <= high else None


def clip_years(catalog: Catalog, start_year: int, end_year: int) -> tuple[int, int]:
    """The part of start_year..end_year a secondary catalog covers; no overlap is an error naming its coverage."""
    start, end = _years(start_year, end_year)
    span = coverage(catalog)
    first, last = int(span.first[:4]), int(span.last[:4])
    low, high = max(start, first), min(end, last)
    if low > high:
        raise ParameterError(
            f"Years {start}–{end} do not overlap the data: {span.describe()}. Fix: choose start_year and end_year "
            f"overlapping {first}–{last}."
        )
    return low, high


# --- selection ------------------------------------------------------------------------------------


@dataclass
class Selection:
    """The rows an analysis uses, the filters that chose them, what the filters set aside, and the coverage."""

    rows: pd.DataFrame
    filters: dict
    set_aside: dict[str, int]
    coverage: Coverage | None = None


def _active(value) -> bool:
    return value is not None and value is not False


def source_filters(catalog: Catalog, **filters) -> tuple[dict, list[str]]:
    """Split `filters` into the ones `catalog`'s source supports and the names of active ones it does not.

    A notebook comparing sources passes the first to `select` and states the second in its text.
    """
    supported = getattr(loader(catalog.source), "FILTERS", {})
    applicable = {k: v for k, v in filters.items() if k in supported or k == "open_definition"}
    skipped = [k for k, v in filters.items() if k not in applicable and _active(v)]
    return applicable, skipped


def select(
    catalog: Catalog,
    start_year: int,
    end_year: int,
    open_definition: str = "weights",
    released_only: bool = False,
    domain: str | None = None,
    min_training_compute: float | None = None,
) -> Selection:
    """Filter a catalog to the analysis population and mark `is_open` under `open_definition`.

    The years must lie within the catalog's coverage (`check_years`). Source-specific filters
    (`released_only`, `domain`, `min_training_compute`) apply only where the source's loader declares
    them (`FILTERS`); asking one that does not apply is a ParameterError saying so. Rows without a date
    are set aside and counted. Unknown accessibility is kept (`is_open` is <NA>) so shares can report
    it. An empty result is an error.
    """
    filters = {
        "start_year": start_year,
        "end_year": end_year,
        "open_definition": open_definition,
        "released_only": released_only,
        "domain": domain,
        "min_training_compute": min_training_compute,
    }
    module = loader(catalog.source)
    definitions = getattr(module, "OPEN_DEFINITIONS", taxonomy.OPEN_DEFINITIONS)
    if open_definition not in definitions:
        raise ParameterError(
            f"open_definition {open_definition!r} does not apply to {catalog.source}; "
            f"it supports {', '.join(definitions)}."
        )
    supported = getattr(module, "FILTERS", {})
    asked = {name: filters[name] for name in SOURCE_FILTERS if _active(filters[name])}
    for name, value in asked.items():
        if name not in supported:
            raise ParameterError(
                f"{name}={value!r} does not apply to {catalog.source}: its labels have nothing it could "
                f"filter on. Filters that apply to it: {', '.join(supported) or 'none'}. Fix: leave {name} at its "
                "default for this source (catalog.source_filters splits a filter set per source)."
            )
    span = check_years(catalog, start_year, end_year)
    start_year, end_year = int(start_year), int(end_year)
    rows = catalog.rows
    set_aside = {"without a date": int(rows["year"].isna().sum())}
    rows = rows[rows["year"].notna()]
    in_range = rows["year"].between(start_year, end_year)
    set_aside["outside the years"] = int((~in_range).sum())
    rows = rows[in_range]
    for name, value in asked.items():
        keep, what = supported[name](rows, value)
        keep = keep.fillna(False).astype(bool)
        set_aside[what] = int((~keep).sum())
        rows = rows[keep]
    if rows.empty:
        raise CatalogError(
            f"Empty selection: no {catalog.snapshot} ({catalog.population}) rows match {filters}. "
            "Fix: widen the years or drop a filter."
        )
    rows = rows.assign(
        is_open=rows["access"].map(lambda a: is_open(a, open_definition, catalog.source)).astype("boolean")
    )
    return Selection(rows.reset_index(drop=True), filters, set_aside, span)
