"""Does the US-vs-China comparison survive every reasonable choice? Pure functions over loaded catalogs.

`variant_rows` builds the rows of each analysis variant (one definition changed at a time from the
default), `us_china_table` compares the two open shares per variant and year with Newcombe's hybrid
score interval for the difference, `conclusions` says per year which way every variant points, and
`backfill` compares one year's share across two snapshots of Epoch's database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from opentrends.analysis import metrics
from opentrends.catalog import selection as catalog
from opentrends.core.errors import ParameterError

TABLE_COLUMNS = [
    "variant",
    "year",
    "us_known",
    "us_open",
    "us_share",
    "china_known",
    "china_open",
    "china_share",
    "difference",
    "ci_low",
    "ci_high",
]


@dataclass(frozen=True)
class Variant:
    """One way of answering the question: which catalog it reads and the one choice it changes."""

    id: str
    label: str
    catalog: str  # key into the catalogs passed to variant_rows
    description: str


VARIANTS = (
    Variant(
        "default",
        "Default",
        "default",
        "all four Epoch files (union), any open-weights label, exclusive origin, unlabelled excluded",
    ),
    Variant("notable", "Notable", "notable", "Epoch's notable models only (same snapshot)"),
    Variant(
        "notable_newest", "Notable, newest snapshot", "notable_newest", "Epoch's notable models in the newest snapshot"
    ),
    Variant("released_only", "Released only", "default", "Unreleased models dropped from the denominator"),
    Variant("language", "Language domain", "default", "only models whose domains include Language"),
    Variant("unrestricted", "Unrestricted licence", "default", "open = Open weights (unrestricted) only"),
    Variant(
        "origin_any",
        "'any' origin rule",
        "default",
        "a model counts for every region it lists (a US-China collaboration counts for both)",
    ),
    Variant(
        "hong_kong_macao_as_china",
        "Hong Kong/Macao as China",
        "hong_kong_macao_as_china",
        "organizations in Hong Kong and Macao count as Chinese",
    ),
    Variant("unlabelled_closed", "Unlabelled as closed", "default", "every model without a label counted as closed"),
    Variant("unlabelled_open", "Unlabelled as open", "default", "every model without a label counted as open"),
    Variant(
        "one_per_org_day",
        "One release per organization per day",
        "default",
        "models of one organization list published the same day count once (open if any is open)",
    ),
)
CATALOGS = ("default", "notable", "notable_newest", "hong_kong_macao_as_china")


def one_release_per_organization_day(rows: pd.DataFrame) -> pd.DataFrame:
    """Collapse rows with the same organization list (as written), origin and date into one release.

    Its `is_open` is True when any of them is open, False when all known ones are closed, <NA> when
    none has a label, so a family of sizes published together counts as one release.
    """
    known = rows["is_open"].notna()
    flags = rows.assign(_open=rows["is_open"].fillna(False).astype(bool), _known=known)
    keys = ["organization", "origin", "date"]
    grouped = flags.groupby(keys, sort=True, dropna=False).agg(
        year=("year", "first"), any_open=("_open", "any"), any_known=("_known", "any"), models=("model", "size")
    )
    grouped = grouped.reset_index()
    is_open = pd.Series(pd.NA, index=grouped.index, dtype="boolean")
    is_open[grouped["any_known"]] = grouped.loc[grouped["any_known"], "any_open"]
    return grouped.assign(is_open=is_open)


def variant_rows(catalogs: Mapping[str, catalog.Catalog], start_year: int, end_year: int) -> dict[str, pd.DataFrame]:
    """Per variant id: selected rows with `year`, `origin` and `is_open`, built from `catalogs` (keys: CATALOGS)."""
    missing = [k for k in CATALOGS if k not in catalogs]
    if missing:
        raise ParameterError(f"variant_rows needs catalogs {', '.join(CATALOGS)}; missing {', '.join(missing)}.")
    base = catalog.select(catalogs["default"], start_year, end_year).rows
    out = {}
    for variant in VARIANTS:
        if variant.id in ("default", "notable", "notable_newest", "hong_kong_macao_as_china"):
            rows = (
                base
                if variant.id == "default"
                else catalog.select(catalogs[variant.catalog], start_year, end_year).rows
            )
        elif variant.id == "released_only":
            rows = catalog.select(catalogs["default"], start_year, end_year, released_only=True).rows
        elif variant.id == "language":
            rows = catalog.select(catalogs["default"], start_year, end_year, domain="Language").rows
        elif variant.id == "unrestricted":
            rows = catalog.select(catalogs["default"], start_year, end_year, open_definition="unrestricted").rows
        elif variant.id == "origin_any":
            rows = metrics.by_origin(base, "any")
        elif variant.id == "unlabelled_closed":
            rows = base.assign(is_open=base["is_open"].fillna(False))
        elif variant.id == "unlabelled_open":
            rows = base.assign(is_open=base["is_open"].fillna(True))
        else:
            rows = one_release_per_organization_day(base)
        out[variant.id] = rows
    return out


def us_china_table(rows_by_variant: Mapping[str, pd.DataFrame], years: Sequence[int]) -> pd.DataFrame:
    """Per variant and year: labelled and open counts and shares of US and Chinese models, and the China-minus-US
    difference with Newcombe's hybrid score 95% interval (columns `TABLE_COLUMNS`)."""
    records = []
    for variant, rows in rows_by_variant.items():
        known = rows["is_open"].notna()
        is_open = rows["is_open"].fillna(False).astype(bool)
        for year in years:
            in_year = rows["year"] == year
            record = {"variant": variant, "year": int(year)}
            for prefix, origin in (("us", "United States"), ("china", "China")):
                mask = in_year & (rows["origin"] == origin)
                record[f"{prefix}_known"] = int((mask & known).sum())
                record[f"{prefix}_open"] = int((mask & known & is_open).sum())
            records.append(record)
    table = pd.DataFrame(records)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["us_share"] = np.where(table["us_known"] > 0, table["us_open"] / table["us_known"], np.nan)
        table["china_share"] = np.where(table["china_known"] > 0, table["china_open"] / table["china_known"], np.nan)
    d, low, high = metrics.newcombe_difference(
        table["china_open"], table["china_known"], table["us_open"], table["us_known"]
    )
    table = table.assign(difference=d, ci_low=low, ci_high=high)
    return table[TABLE_COLUMNS]


def conclusions(table: pd.DataFrame, reference: str = "default") -> pd.DataFrame:
    """Per year: how many variants put China above / below the US, how many of those intervals exclude zero,
    whether the direction holds under every variant, and the variants whose direction differs from `reference`."""
    records = []
    for year, part in table.groupby("year", sort=True):
        reference_sign = np.sign(part.loc[part["variant"] == reference, "difference"]).iloc[0]
        signs = np.sign(part["difference"])
        records.append(
            {
                "year": int(year),
                "variants": len(part),
                "china_higher": int((part["difference"] > 0).sum()),
                "us_higher": int((part["difference"] < 0).sum()),
                "china_higher_excluding_zero": int((part["ci_low"] > 0).sum()),
                "us_higher_excluding_zero": int((part["ci_high"] < 0).sum()),
                "direction_holds": bool(signs.nunique() == 1 and signs.iloc[0] != 0),
                "flips": tuple(part.loc[signs != reference_sign, "variant"]),
                "smallest_difference": float(part["difference"].min()),
                "largest_difference": float(part["difference"].max()),
            }
        )
    return pd.DataFrame(records)


def backfill(old_rows: pd.DataFrame, new_rows: pd.DataFrame, year: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """One year's notable open share in an older and a newer Epoch export, and where the difference comes from.

    Rows need `model`, `year`, `is_open`, `notable`. Returns a table (snapshot role, n_total, n_known,
    n_open, open_share) and counts matched by stripped model name: models in both, labelled later,
    relabelled, added later, no longer listed that year.
    """

    def notable_year(rows):
        return rows[rows["notable"].astype(bool) & (rows["year"] == year)].drop_duplicates("model").set_index("model")

    old, new = notable_year(old_rows), notable_year(new_rows)
    table = []
    for role, rows in (("older", old), ("newer", new)):
        known = rows["is_open"].notna()
        n_open = int(rows.loc[known, "is_open"].astype(bool).sum())
        table.append(
            {
                "snapshot": role,
                "n_total": len(rows),
                "n_known": int(known.sum()),
                "n_open": n_open,
                "open_share": n_open / known.sum() if known.sum() else np.nan,
            }
        )
    both = old.index.intersection(new.index)
    before, after = old.loc[both, "is_open"], new.loc[both, "is_open"]
    counts = {
        "in both": len(both),
        "labelled only in the newer": int((before.isna() & after.notna()).sum()),
        "labelled only in the newer, open": int((before.isna() & after.fillna(False).astype(bool)).sum()),
        "relabelled open/closed": int((before.notna() & after.notna() & (before != after)).sum()),
        "added in the newer": len(new.index.difference(old.index)),
        "added in the newer, open": int(
            new.loc[new.index.difference(old.index), "is_open"].fillna(False).astype(bool).sum()
        ),
        "added in the newer, labelled": int(new.loc[new.index.difference(old.index), "is_open"].notna().sum()),
        "not in the newer that year": len(old.index.difference(new.index)),
    }
    return pd.DataFrame(table), counts


def comparable_years(table: pd.DataFrame) -> list[int]:
    """Years of a `us_china_table` in which every variant has labelled US and labelled Chinese models."""
    both = (table["us_known"] > 0) & (table["china_known"] > 0)
    return sorted(int(y) for y, ok in both.groupby(table["year"]).all().items() if ok)


def identical_years(table: pd.DataFrame, variant: str, other: str) -> list[int]:
    """Years in which `variant` has exactly the same US and Chinese counts as `other` (it adds no separate check)."""
    counts = ["us_known", "us_open", "china_known", "china_open"]
    a = table[table["variant"] == variant].set_index("year")[counts]
    b = table[table["variant"] == other].set_index("year")[counts]
    same = (a == b.reindex(a.index)).all(axis=1)
    return sorted(int(y) for y in same.index[same])


def backfill_years(old_rows: pd.DataFrame, new_rows: pd.DataFrame) -> tuple[int, int] | None:
    """The span of years in which both exports list notable models (the years `backfill` can compare)."""
    spans = []
    for rows in (old_rows, new_rows):
        years = rows.loc[rows["notable"].astype(bool), "year"].dropna()
        if years.empty:
            return None
        spans.append((int(years.min()), int(years.max())))
    low, high = max(s[0] for s in spans), min(s[1] for s in spans)
    return (low, high) if low <= high else None


def year_spans(years: Sequence[int]) -> str:
    """Consecutive years joined: [2019, 2020, 2021, 2024] -> '2019–2021 and 2024'."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 2 else parts)


def comparable_span(table: pd.DataFrame) -> tuple[int, int]:
    """The latest run of consecutive `comparable_years` (first, last): the years a per-year comparison can cover."""
    years = comparable_years(table)
    if not years:
        raise ParameterError("No year has labelled US and Chinese models under every variant.")
    first = years[-1]
    while first - 1 in years:
        first -= 1
    return first, years[-1]
