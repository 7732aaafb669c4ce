"""Hub fine-tunes and downloads over time by the origin of the base model's maker (hf-derivative-growth tables).

Inputs are the long tables of `catalog.loaders.hf_growth`. New fine-tunes of a base in a month are the
increase of its cumulative count over the previous column (the first column counts as new); a month is
partial where it holds some base's last column, counted to the snapshot date. Changes of shares come
with Newcombe's 95% interval, treating each fine-tune (or download) as one trial: the models are not
independent draws, so the interval is a floor on the uncertainty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from opentrends.analysis.metrics import newcombe_difference
from opentrends.core.errors import ParameterError
from opentrends.core.tables import require_columns

ORIGINS = ("United States", "China", "Rest of world")
GROWTH_COLUMNS = ("base_model", "organization", "origin", "month", "months_since_creation", "cumulative_finetunes")
# The claims' families: which base models each one sums (patterns on the base model id, or an organization).
FAMILIES = {
    "DeepSeek-R1": r"^deepseek-ai/DeepSeek-R1$",
    "R1 family": r"^deepseek-ai/DeepSeek-R1(-Zero|-Distill-.+)?$",
    "Llama family": r"^meta-llama/",
    "Qwen": r"^Qwen/",
}


def new_finetunes(growth: pd.DataFrame) -> pd.DataFrame:
    """Per base and month: new_finetunes (increase over the previous column; the first column is all new)."""
    require_columns(growth, GROWTH_COLUMNS, "growth table")
    table = growth.sort_values(["base_model", "months_since_creation"], kind="stable")
    previous = table.groupby("base_model")["cumulative_finetunes"].shift(1).fillna(0)
    return table.assign(new_finetunes=(table["cumulative_finetunes"] - previous).astype("int64"))


def top_bases(growth: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """The `n` base models with the most fine-tunes at the last column: base_model, organization, origin,
    created_at, finetunes (ties by name)."""
    last = growth.sort_values("months_since_creation").groupby("base_model", as_index=False).last()
    last = last.rename(columns={"cumulative_finetunes": "finetunes"})
    last = last.sort_values(["finetunes", "base_model"], ascending=[False, True], kind="stable").head(n)
    return last[["base_model", "organization", "origin", "created_at", "finetunes"]].reset_index(drop=True)


def monthly_by_origin(growth: pd.DataFrame, exclude_bases=()) -> pd.DataFrame:
    """month, origin, new_finetunes, cumulative_finetunes, partial_month over every month of the data (every
    origin of `ORIGINS` in every month, 0 where none); bases in `exclude_bases` are left out."""
    table = new_finetunes(growth[~growth["base_model"].isin(list(exclude_bases))])
    months = pd.period_range(table["month"].min(), table["month"].max(), freq="M").strftime("%Y-%m")
    grid = (
        table.groupby(["month", "origin"])["new_finetunes"]
        .sum()
        .unstack("origin")
        .reindex(index=months, columns=list(ORIGINS), fill_value=0)
        .fillna(0)
        .astype("int64")
    )
    partial = set(table.loc[table.get("partial_month", False) == True, "month"])  # noqa: E712 (column of bools)
    long = grid.stack().rename("new_finetunes").rename_axis(["month", "origin"]).reset_index()
    long["cumulative_finetunes"] = long.groupby("origin")["new_finetunes"].cumsum()
    long["partial_month"] = long["month"].isin(partial)
    return long


def china_share(monthly: pd.DataFrame) -> pd.Series:
    """month -> China's share of the month's new fine-tunes (NaN where the month has none)."""
    totals = monthly.groupby("month")["new_finetunes"].sum()
    china = monthly[monthly["origin"] == "China"].set_index("month")["new_finetunes"]
    return (china / totals.replace(0, np.nan)).rename("china_share")


def finetunes_by_base_origin(growth: pd.DataFrame, start: str, n_top_excluded: int = 2) -> pd.DataFrame:
    """The table of hub-finetunes-by-base-origin from month `start` (YYYY-MM): month, origin, new_finetunes,
    cumulative_finetunes, china_share, china_share_without_top_bases (without the `n_top_excluded` bases
    with most fine-tunes), partial_month."""
    if not isinstance(n_top_excluded, int) or n_top_excluded < 0:
        raise ParameterError(f"n_top_excluded={n_top_excluded!r} must be a whole number >= 0.")
    monthly = monthly_by_origin(growth)
    without = monthly_by_origin(growth, top_bases(growth, n_top_excluded)["base_model"]) if n_top_excluded else monthly
    table = monthly.merge(china_share(monthly), left_on="month", right_index=True)
    without_share = china_share(without).rename("china_share_without_top_bases")
    table = table.merge(
        without_share, left_on="month", right_index=True, how="left"
    )  # a month only excluded bases grew in stays
    columns = ["month", "origin", "new_finetunes", "cumulative_finetunes", "china_share"]
    columns += ["china_share_without_top_bases", "partial_month"]
    return table[table["month"] >= start][columns].reset_index(drop=True)


@dataclass(frozen=True)
class ShareChange:
    """A share in a later period minus the share in an earlier one, in percentage points with its 95% interval."""

    first_period: str
    last_period: str
    first_share: float
    last_share: float
    difference_pp: float
    ci_low_pp: float
    ci_high_pp: float
    first_k: int
    first_n: int
    last_k: int
    last_n: int


def share_change(k_first: int, n_first: int, k_last: int, n_last: int, first: str, last: str) -> ShareChange:
    """k/n in the last period minus k/n in the first, with Newcombe's 95% interval, in percentage points."""
    d, low, high = newcombe_difference(k_last, n_last, k_first, n_first)
    return ShareChange(
        first, last, k_first / n_first if n_first else float("nan"), k_last / n_last if n_last else float("nan"),
        float(d) * 100, float(low) * 100, float(high) * 100, int(k_first), int(n_first), int(k_last), int(n_last),
    )  # fmt: skip


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` (YYYY-MM, inclusive)."""
    return list(pd.period_range(first, last, freq="M").strftime("%Y-%m"))


def china_share_of_new(table: pd.DataFrame, months, without_top_bases: bool = False) -> tuple[int, int]:
    """(Chinese new fine-tunes, all new fine-tunes) over `months` of a monthly_by_origin table."""
    part = table[table["month"].isin(list(months))]
    return int(part.loc[part["origin"] == "China", "new_finetunes"].sum()), int(part["new_finetunes"].sum())


def china_share_change(growth: pd.DataFrame, first: tuple[str, str], last: tuple[str, str], n_top_excluded: int = 0):
    """The Chinese share of new fine-tunes in months `last` (first, last month) minus in months `first`, without the
    `n_top_excluded` bases with most fine-tunes (0: all bases); a ShareChange."""
    excluded = top_bases(growth, n_top_excluded)["base_model"] if n_top_excluded else []
    monthly = monthly_by_origin(growth, excluded)
    k1, n1 = china_share_of_new(monthly, months_between(*first))
    k2, n2 = china_share_of_new(monthly, months_between(*last))
    return share_change(k1, n1, k2, n2, f"{first[0]}..{first[1]}", f"{last[0]}..{last[1]}")


@dataclass(frozen=True)
class FamilyCount:
    """Fine-tunes of a family's base models at the snapshot date (a model naming two bases may count twice)."""

    family: str
    n_bases: int
    finetunes: int
    bases: tuple[str, ...]


def family_finetunes(growth: pd.DataFrame, family: str) -> FamilyCount:
    """The sum of the last cumulative counts of the base models of `family` (a key of `FAMILIES`)."""
    if family not in FAMILIES:
        raise ParameterError(f"family={family!r} is not known. Valid values: {', '.join(map(repr, FAMILIES))}.")
    last = top_bases(growth, growth["base_model"].nunique())
    members = last[last["base_model"].map(lambda b: bool(re.search(FAMILIES[family], b)))]
    return FamilyCount(family, len(members), int(members["finetunes"].sum()), tuple(members["base_model"]))


def downloads_by_origin(downloads: pd.DataFrame, window: int = 7) -> pd.DataFrame:
    """date, origin, downloads, downloads_{window}d_mean, share (of the day's summed rolling mean), per origin of
    the maker, from the first day with a daily count; the rolling mean needs `window` full days."""
    require_columns(downloads, ("date", "origin", "daily_downloads"), "downloads table")
    daily = downloads.dropna(subset=["daily_downloads"])
    grid = daily.groupby(["date", "origin"])["daily_downloads"].sum().unstack("origin").fillna(0).astype("int64")
    mean = grid.rolling(window, min_periods=window).mean()
    share = mean.div(mean.sum(axis=1), axis=0)
    long = grid.stack().rename("downloads").rename_axis(["date", "origin"]).reset_index()
    long[f"downloads_{window}d_mean"] = mean.stack(future_stack=True).to_numpy()
    long["share"] = share.stack(future_stack=True).to_numpy()
    return long


def downloads_share_change(table: pd.DataFrame, origin: str, before: tuple[str, str], after: tuple[str, str]):
    """The share of `origin` in the summed daily downloads of days `after` minus days `before` (ShareChange)."""
    counts = []
    for first, last in (before, after):
        part = table[(table["date"] >= first) & (table["date"] <= last)]
        counts += [int(part.loc[part["origin"] == origin, "downloads"].sum()), int(part["downloads"].sum())]
    return share_change(*counts, f"{before[0]}..{before[1]}", f"{after[0]}..{after[1]}")


def check_month(name: str, value, first: str, last: str) -> None:
    """`value` must be a month 'YYYY-MM' from `first` to `last`; else a ParameterError naming `name`."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-(0[1-9]|1[0-2])$", value) or not first <= value <= last:
        raise ParameterError(f"Parameter {name}={value!r} must be a month 'YYYY-MM' from {first} to {last}.")


def release_windows(dates, release: str, days: int = 14) -> tuple[tuple[str, str], tuple[str, str]]:
    """The `days` days before `release` and the last `days` days of `dates`, as (first, last) day pairs."""
    stamps = pd.DatetimeIndex(sorted(set(pd.to_datetime(list(dates)))))
    start = pd.Timestamp(release)
    before = stamps[(stamps < start) & (stamps >= start - pd.Timedelta(days=days))]
    after = stamps[-days:]
    if len(before) == 0 or after[0] <= start:
        raise ParameterError(f"release={release!r} must leave {days} days of data before it and after it.")
    return (f"{before[0]:%Y-%m-%d}", f"{before[-1]:%Y-%m-%d}"), (f"{after[0]:%Y-%m-%d}", f"{after[-1]:%Y-%m-%d}")
