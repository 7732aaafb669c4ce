"""Pure functions from selected catalog rows to tidy tables. No I/O, no printing.

Rows carry `year`, `date`, `access`, `is_open` (True / False / <NA> for unknown accessibility),
`organization`, `origin` and `origins_any` (see catalog.py). Shares are computed over rows with
a known accessibility; `n_total` also counts the unknown ones so a reader sees how many there were.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import taxonomy
from .errors import ParameterError

Z_95 = 1.959963984540054  # two-sided 95% normal quantile, scipy.stats.norm.ppf(0.975)
SHARE_COLUMNS = ["n_total", "n_known", "n_open", "open_share", "ci_low", "ci_high"]


def wilson_interval(successes, trials, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion (Wilson 1927); NaN where trials == 0.

    Better than the normal approximation for small counts and shares near 0 or 1, which is
    what per-year counts of model releases are.
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    low = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return low, high


def add_period(rows: pd.DataFrame, period: str = "year") -> pd.DataFrame:
    """A `period` column: the calendar year (int) or the quarter ('2024Q3')."""
    if period == "year":
        return rows.assign(period=rows["year"].astype("Int64"))
    if period == "quarter":
        return rows.assign(period=rows["date"].dt.to_period("Q").astype(str))
    raise ParameterError(f"period must be 'year' or 'quarter', got {period!r}")


def all_periods(start_year: int, end_year: int, period: str = "year") -> list:
    """Every period from start_year to end_year, so empty years show as zero counts, not gaps."""
    if period == "year":
        return list(range(int(start_year), int(end_year) + 1))
    return [f"{y}Q{q}" for y in range(int(start_year), int(end_year) + 1) for q in range(1, 5)]


def by_origin(rows: pd.DataFrame, rule: str = "exclusive") -> pd.DataFrame:
    """Rows with one `origin` each: as loaded (exclusive) or one copy per listed region (any)."""
    if rule == "exclusive":
        return rows
    if rule == "any":
        return rows.drop(columns="origin").explode("origins_any").rename(columns={"origins_any": "origin"})
    raise ParameterError(f"origin_rule must be one of {', '.join(taxonomy.ORIGIN_RULES)}, got {rule!r}")


def _full_index(groups: Sequence[str], periods: Sequence, rows: pd.DataFrame, levels: dict | None) -> pd.MultiIndex | pd.Index:
    levels = dict(levels or {})
    values = [levels.get(g, sorted(rows[g].dropna().unique())) for g in groups] + [list(periods)]
    names = [*groups, "period"]
    return pd.MultiIndex.from_product(values, names=names) if groups else pd.Index(periods, name="period")


def open_share(rows: pd.DataFrame, periods: Sequence, groups: Sequence[str] = (), levels: dict | None = None) -> pd.DataFrame:
    """Per period (and group): n_total, n_known, n_open, open_share, ci_low, ci_high.

    `rows` need a `period` column (see add_period). Every period in `periods` appears, with
    zero counts and NaN shares where there were no rows.
    """
    groups = list(groups)
    keys = [*groups, "period"]
    known = rows["is_open"].notna()
    counts = pd.DataFrame({
        "n_total": rows.groupby(keys).size(),
        "n_known": rows[known].groupby(keys).size(),
        "n_open": rows[known & rows["is_open"].fillna(False).astype(bool)].groupby(keys).size(),
    })
    counts = counts.reindex(_full_index(groups, periods, rows, levels)).fillna(0).astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(counts["n_known"] > 0, counts["n_open"] / counts["n_known"], np.nan)
    low, high = wilson_interval(counts["n_open"], counts["n_known"])
    table = counts.assign(open_share=share, ci_low=low, ci_high=high).reset_index()
    return table[[*keys, *SHARE_COLUMNS]]


def access_mix(rows: pd.DataFrame, periods: Sequence, labels: Sequence[str] = taxonomy.ACCESS_LABELS) -> pd.DataFrame:
    """Per period and accessibility label: n and share of the rows with a known label."""
    known = rows[rows["access"].isin(labels)]
    counts = known.groupby(["period", "access"]).size()
    index = pd.MultiIndex.from_product([list(periods), list(labels)], names=["period", "access"])
    table = counts.reindex(index, fill_value=0).rename("n").reset_index()
    totals = table.groupby("period")["n"].transform("sum")
    table["share"] = np.where(totals > 0, table["n"] / totals.where(totals > 0, 1), np.nan)
    return table


def open_releases(rows: pd.DataFrame, periods: Sequence, groups: Sequence[str] = (), levels: dict | None = None) -> pd.DataFrame:
    """Per period (and group): n_open, the number of open releases."""
    share = open_share(rows, periods, groups, levels)
    return share[[*groups, "period", "n_open"]]


def split_organizations(organization: str) -> list[str]:
    """Epoch joins several organizations with commas; each one counts once."""
    return taxonomy.split_list(organization)


def open_organizations(rows: pd.DataFrame, periods: Sequence, groups: Sequence[str] = (), levels: dict | None = None) -> pd.DataFrame:
    """Per period (and group): n_orgs, the distinct organizations with at least one open release."""
    groups = list(groups)
    open_rows = rows[rows["is_open"].fillna(False).astype(bool)]
    orgs = open_rows.assign(org=open_rows["organization"].map(split_organizations)).explode("org")
    orgs = orgs[orgs["org"].notna() & (orgs["org"] != "")]
    counts = orgs.groupby([*groups, "period"])["org"].nunique()
    table = counts.reindex(_full_index(groups, periods, rows, levels), fill_value=0).rename("n_orgs").reset_index()
    return table[[*groups, "period", "n_orgs"]]


def agreement(table: pd.DataFrame, by: str, min_known: int) -> pd.DataFrame:
    """Years where every `by` group has at least `min_known` labelled rows: one share column per group, plus `spread`.

    `table` is a stacked open_share table with a `year` column (several catalogues, say). The spread is
    the gap between the highest and lowest share that year.
    """
    shares = table.pivot(index="year", columns=by, values="open_share")
    enough = table.pivot(index="year", columns=by, values="n_known").ge(min_known).all(axis=1)
    shares = shares.loc[enough[enough].index]
    return shares.assign(spread=shares.max(axis=1) - shares.min(axis=1))


def mark_partial_years(table: pd.DataFrame, coverage_end: str, column: str = "period") -> pd.DataFrame:
    """`partial_year` = True for years the data cannot cover in full (they end after `coverage_end`, YYYY-MM-DD)."""
    end = pd.Timestamp(coverage_end)
    years = table[column].astype(int)
    return table.assign(partial_year=(years > end.year) | ((years == end.year) & ((end.month, end.day) != (12, 31))))
