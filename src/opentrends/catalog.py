"""Load each source into one tidy schema: one row per model, labels normalized; select the analysis rows.

Schema (`COLUMNS`):
  model             name, whitespace stripped
  organization      as the source writes it (comma-joined when several)
  date, year        publication / creation date (NaT and <NA> when the source has none)
  access            the source's accessibility label ('' when unknown)
  access_class      open / closed / unknown
  open_weights      True / False / <NA> (any Open weights label; Ecosystem Graphs: access 'open')
  countries         tuple of distinct countries of the row's organizations
  origin            United States / China / Multinational / Rest of world / Unknown (exclusive rule)
  origins_any       tuple of every region the row lists (the `any` rule)
  domain            comma-joined domains ('' when unknown)
  training_compute  FLOP (NaN when unknown)
  notable, frontier flags from Epoch's notable and frontier files
  source, snapshot  where the row came from (`snapshot` is the `source@date` ref)
  organization_countries  one country per organization as the source lists them (in its order)

Each source's loader lives in `opentrends.loaders.<name>` with its label sets, its required columns
and the filters its labels support; this module holds what they share (reading, parsing, corrections,
the tidy schema, the year coverage check and `select`). Loaders fail at load time, naming the file,
the expectation and the fix. Known errors in a source are fixed only through `data/corrections.csv`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from . import taxonomy
from .curation import (  # noqa: F401  (loaders import these through catalog)
    ALIAS_COLUMNS,
    CORRECTIONS_COLUMNS,
    CatalogError,
    apply_corrections,
    check_corrections_matched,
    load_corrections,
    load_organization_aliases,
)
from .errors import ParameterError
from .loaders import loader
from .snapshots import local_file
from .tables import read_csv_text

COLUMNS = [
    "model",
    "organization",
    "date",
    "year",
    "access",
    "access_class",
    "open_weights",
    "countries",
    "origin",
    "origins_any",
    "domain",
    "training_compute",
    "notable",
    "frontier",
    "source",
    "snapshot",
    "organization_countries",
]

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Filters `select` knows; which of them apply is declared by each source's loader (`FILTERS`).
SOURCE_FILTERS = ("released_only", "domain", "min_training_compute")


@dataclass
class Catalog:
    """Tidy rows plus what loading did to get them (reported by the notebooks)."""

    rows: pd.DataFrame
    source: str
    snapshot: str
    population: str
    notes: dict[str, int] = field(default_factory=dict)
    corrections: pd.DataFrame = field(default_factory=pd.DataFrame)


# --- reading and parsing --------------------------------------------------------------------------


def label_of(ref: str, file: str) -> str:
    """How a pinned file is named in messages: `source@date/file`."""
    return f"{ref}/{file}"


def read_source_table(ref: str, file: str, required: tuple[str, ...]) -> pd.DataFrame:
    """A pinned CSV as text; every required column must be there."""
    frame = read_csv_text(local_file(ref, file))
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise CatalogError(
            f"{label_of(ref, file)}: missing column(s) {', '.join(repr(c) for c in missing)}; the loader needs "
            f"{', '.join(required)}. Fix: check the snapshot is the file the registry says it is "
            "(`opentrends verify`), or update the loader for the renamed column."
        )
    return frame


def parse_dates(values: pd.Series, column: str, file: str) -> pd.Series:
    """YYYY-MM-DD text -> datetime64; blanks -> NaT; anything else is an error naming the row."""
    text = values.astype("string").fillna("").str.strip()
    bad = text[(text != "") & ~text.str.match(DATE_RE.pattern)]
    if not bad.empty:
        row = int(bad.index[0])
        raise CatalogError(
            f"{file}: column '{column}' row {row + 2} (line in the CSV) has {bad.iloc[0]!r}, expected a date as "
            "YYYY-MM-DD or blank. Fix: correct it through data/corrections.csv with evidence."
        )
    parsed = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
    impossible = text[(text != "") & parsed.isna()]
    if not impossible.empty:
        raise CatalogError(
            f"{file}: column '{column}' has the impossible date {impossible.iloc[0]!r} (row {int(impossible.index[0]) + 2})."
        )
    return parsed


def parse_numbers(values: pd.Series, column: str, file: str) -> pd.Series:
    """Text -> float; blanks -> NaN; anything else is an error naming the row."""
    text = values.astype("string").fillna("").str.strip()
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = text[(text != "") & numbers.isna()]
    if not bad.empty:
        raise CatalogError(
            f"{file}: column '{column}' row {int(bad.index[0]) + 2} has {bad.iloc[0]!r}, expected a number or blank."
        )
    return numbers.astype("float64")


# --- the tidy schema ------------------------------------------------------------------------------


def tidy(
    frame: pd.DataFrame,
    *,
    model,
    organization,
    date,
    access,
    access_class,
    open_weights,
    countries,
    domain,
    training_compute,
    notable,
    frontier,
    source,
    snapshot,
    hong_kong_macao_as_china,
    organization_countries,
) -> pd.DataFrame:
    """The columns of `COLUMNS` from one source's parsed series (all indexed like `frame`)."""
    table = pd.DataFrame(
        {
            "model": model.str.strip(),
            "organization": organization.str.strip(),
            "date": date,
            "year": date.dt.year.astype("Int64"),
            "access": access,
            "access_class": access_class,
            "open_weights": open_weights,
            "countries": countries,
            "origin": countries.map(lambda c: taxonomy.origins(c, "exclusive", hong_kong_macao_as_china)[0]),
            "origins_any": countries.map(lambda c: taxonomy.origins(c, "any", hong_kong_macao_as_china)),
            "domain": domain,
            "training_compute": training_compute,
            "notable": notable,
            "frontier": frontier,
            "source": source,
            "snapshot": snapshot,
            "organization_countries": organization_countries,
        },
        index=frame.index,
    )
    return table[COLUMNS].reset_index(drop=True)


def load_epoch(
    snapshot: str = "epoch-ai-models@2026-03-30", population: str = "all", hong_kong_macao_as_china: bool = False
) -> Catalog:
    """Epoch AI models as a tidy catalog (see `opentrends.loaders.epoch.load_epoch`)."""
    return loader("epoch-ai-models").load_epoch(snapshot, population, hong_kong_macao_as_china)


def load_ecosystem_graphs(
    snapshot: str = "ecosystem-graphs@2025-01-24", hong_kong_macao_as_china: bool = False
) -> Catalog:
    """Ecosystem Graphs models as a tidy catalog (see `opentrends.loaders.ecosystem_graphs`)."""
    return loader("ecosystem-graphs").load_ecosystem_graphs(snapshot, hong_kong_macao_as_china)


# --- organizations ------------------------------------------------------------------------------


def organizations(catalog: Catalog, rows: pd.DataFrame, hong_kong_macao_as_china: bool = False) -> pd.DataFrame:
    """`rows` of `catalog` as one row per organization, aliases applied, each organization in its own region
    (metrics.organization_table states the rule); the source's loader says how to split its lists."""
    from . import metrics

    split = getattr(loader(catalog.source), "split_organizations", taxonomy.split_list)
    return metrics.organization_table(rows, load_organization_aliases(), split, hong_kong_macao_as_china)


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
        is_open=rows["access"].map(lambda a: taxonomy.is_open(a, open_definition, catalog.source)).astype("boolean")
    )
    return Selection(rows.reset_index(drop=True), filters, set_aside, span)
