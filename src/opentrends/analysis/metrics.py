"""Pure functions from selected catalog rows to tidy tables. No I/O, no printing.

Rows carry `year`, `date`, `access`, `is_open` (True / False / <NA> for unknown accessibility),
`organization`, `origin` and `origins_any` (see catalog.py). Shares are computed over rows with
a known accessibility; `n_total` also counts the unknown ones so a reader sees how many there were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from opentrends.catalog import taxonomy
from opentrends.core.errors import ParameterError

Z_95 = 1.959963984540054  # two-sided 95% normal quantile, scipy.stats.norm.ppf(0.975)
SHARE_COLUMNS = ["n_total", "n_known", "n_open", "open_share", "ci_low", "ci_high"]
BOUND_COLUMNS = ["share_if_unlabelled_closed", "share_if_unlabelled_open"]


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


def _full_index(
    groups: Sequence[str], periods: Sequence, rows: pd.DataFrame, levels: dict | None
) -> pd.MultiIndex | pd.Index:
    levels = dict(levels or {})
    values = [levels.get(g, sorted(rows[g].dropna().unique())) for g in groups] + [list(periods)]
    names = [*groups, "period"]
    return pd.MultiIndex.from_product(values, names=names) if groups else pd.Index(periods, name="period")


def open_share(
    rows: pd.DataFrame, periods: Sequence, groups: Sequence[str] = (), levels: dict | None = None
) -> pd.DataFrame:
    """Per period (and group): n_total, n_known, n_open, open_share, ci_low, ci_high.

    `rows` need a `period` column (see add_period). Every period in `periods` appears, with
    zero counts and NaN shares where there were no rows.
    """
    groups = list(groups)
    keys = [*groups, "period"]
    known = rows["is_open"].notna()
    counts = pd.DataFrame(
        {
            "n_total": rows.groupby(keys).size(),
            "n_known": rows[known].groupby(keys).size(),
            "n_open": rows[known & rows["is_open"].fillna(False).astype(bool)].groupby(keys).size(),
        }
    )
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


def open_releases(
    rows: pd.DataFrame, periods: Sequence, groups: Sequence[str] = (), levels: dict | None = None
) -> pd.DataFrame:
    """Per period (and group): n_open, the number of open releases."""
    share = open_share(rows, periods, groups, levels)
    return share[[*groups, "period", "n_open"]]


def open_organizations(organizations: pd.DataFrame, periods: Sequence, levels: dict | None = None) -> pd.DataFrame:
    """Per period and region: n_orgs, the distinct organizations with at least one open release.

    `organizations` is an `organization_table` (with `period`); each organization counts once per
    period, in its own region.
    """
    open_rows = organizations[organizations["is_open"].fillna(False).astype(bool)]
    counts = open_rows.groupby(["region", "period"])["organization"].nunique()
    index = _full_index(["region"], periods, organizations, levels)
    return counts.reindex(index, fill_value=0).rename("n_orgs").reset_index()


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


# --- shares as the figures publish them -----------------------------------------------------------


def with_bounds(table: pd.DataFrame) -> pd.DataFrame:
    """Add the shares if every unlabelled model were closed (n_open / n_total) or open ((n_open + unlabelled) / n_total).

    Unlabelled models are not missing at random (issue 11), so the labelled-only share is shown with these
    two bounds; the truth for a year lies between them whatever the unlabelled models are.
    """
    total = table["n_total"].astype(float)
    unlabelled = table["n_total"] - table["n_known"]
    with np.errstate(divide="ignore", invalid="ignore"):
        closed = np.where(total > 0, table["n_open"] / total, np.nan)
        open_ = np.where(total > 0, (table["n_open"] + unlabelled) / total, np.nan)
    return table.assign(share_if_unlabelled_closed=closed, share_if_unlabelled_open=open_)


def yearly_shares(
    rows: pd.DataFrame,
    start_year: int,
    end_year: int,
    coverage_end: str,
    groups: Sequence[str] = (),
    levels: dict | None = None,
) -> pd.DataFrame:
    """The yearly open-share table every share figure publishes: one `year` column (never `period`),
    the counts, the share with its Wilson interval, the two unlabelled bounds and `partial_year`."""
    table = open_share(add_period(rows, "year"), all_periods(start_year, end_year), groups, levels)
    table = mark_partial_years(with_bounds(table), coverage_end).rename(columns={"period": "year"})
    return table[[*groups, "year", *SHARE_COLUMNS, *BOUND_COLUMNS, "partial_year"]]


def stacked_shares(selections: Mapping, column: str = "source", origin_rule: str | None = None) -> pd.DataFrame:
    """`yearly_shares` of several selections (name -> `catalog.selection.Selection`), each over the years it was
    selected for with partial years from its own coverage, stacked with the name in a first column `column`.
    With `origin_rule`, each is split by origin (`by_origin`), every origin listed every year."""
    groups, levels = (["origin"], {"origin": list(taxonomy.ORIGINS)}) if origin_rule else ([], None)
    tables = []
    for name, chosen in selections.items():
        rows = by_origin(chosen.rows, origin_rule) if origin_rule else chosen.rows
        start, end = chosen.filters["start_year"], chosen.filters["end_year"]
        table = yearly_shares(rows, start, end, chosen.coverage.last, groups, levels)
        tables.append(table.assign(**{column: name}))
    stacked = pd.concat(tables, ignore_index=True)
    return stacked[[column, "year", *stacked.columns.drop([column, "year"])]]


def share_column_descriptions(what: str = "models", open_label: str = "released with open weights") -> dict[str, str]:
    """CSV column descriptions of a `yearly_shares` table (the figure sidecar's `columns`)."""
    return {
        "year": "publication year",
        "n_total": f"{what} dated that year, including those without an accessibility label",
        "n_known": f"{what} with a known accessibility label",
        "n_open": f"of those, {open_label}",
        "open_share": "n_open / n_known (blank when n_known is 0)",
        "ci_low": "95% Wilson score interval of open_share, lower bound",
        "ci_high": "95% Wilson score interval of open_share, upper bound",
        "share_if_unlabelled_closed": "n_open / n_total: the share if every unlabelled model were closed",
        "share_if_unlabelled_open": "(n_open + n_total - n_known) / n_total: the share if every unlabelled model were open",
        "partial_year": "True when the snapshot's data end before 31 December of that year",
    }


def unlabelled_rate(rows: pd.DataFrame, groups: Sequence[str] = ("origin",)) -> pd.DataFrame:
    """Per group: n_total, n_unlabelled and unlabelled_rate (rows without an accessibility label / all rows)."""
    groups = list(groups)
    unknown = rows["is_open"].isna()
    table = pd.DataFrame({"n_total": rows.groupby(groups).size(), "n_unlabelled": rows[unknown].groupby(groups).size()})
    table = table.fillna(0).astype(int).reset_index()
    return table.assign(unlabelled_rate=table["n_unlabelled"] / table["n_total"])


def newcombe_difference(k1, n1, k2, n2, z: float = Z_95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p1 - p2 with Newcombe's hybrid score interval (Newcombe 1998, Stat Med 17:873, method 10).

    Built from the two Wilson intervals: low = d - sqrt((p1 - l1)^2 + (u2 - p2)^2), high = d +
    sqrt((u1 - p1)^2 + (p2 - l2)^2). NaN where either group has no trials.
    """
    k1, n1, k2, n2 = (np.asarray(v, dtype=float) for v in (k1, n1, k2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1, z)
    l2, u2 = wilson_interval(k2, n2, z)
    d = p1 - p2
    low = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    bad = (n1 <= 0) | (n2 <= 0)
    return np.where(bad, np.nan, d), np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def change_sign_agreement(shares: pd.DataFrame) -> pd.DataFrame:
    """Year-to-year changes of several share series (one column each, years as index): per step, the
    sign of each change and whether all series moved the same way (`agree`). Steps with a missing share drop."""
    changes = shares.sort_index().diff().iloc[1:].dropna()
    signs = np.sign(changes)
    return signs.assign(agree=signs.nunique(axis=1).eq(1) & signs.ne(0).all(axis=1))


def same_months_shares(
    rows: pd.DataFrame,
    start_year: int,
    end_year: int,
    coverage_end: str,
    groups: Sequence[str] = (),
    levels: dict | None = None,
) -> pd.DataFrame:
    """`yearly_shares` over the same months of every year: models dated 1 January to the month and day the
    data end (`coverage_end`), so a partial latest year is set beside like periods of earlier years.

    Adds `through` (the MM-DD cut-off every year shares). Rows without a full date are left out."""
    end = pd.Timestamp(coverage_end)
    dates = rows["date"]
    inside = dates.notna() & (
        (dates.dt.month < end.month) | ((dates.dt.month == end.month) & (dates.dt.day <= end.day))
    )
    table = yearly_shares(rows[inside], start_year, end_year, coverage_end, groups, levels)
    return table.assign(through=end.strftime("%m-%d"))
