"""The Hub's 30 daily trending slots by the origin of the model's maker and of its uploader (hf-trending-archive).

Input: the table of `catalog.loaders.hf_trending.load_trending`. A slot is one (day, rank). Weeks start
on Monday; a week with a missing day has fewer slots (`days` says how many days it holds), and nothing is
interpolated. Changes of shares carry Newcombe's 95% interval with slots as trials: slots of one model on
consecutive days are not independent, so the interval is a floor on the uncertainty.
"""

from __future__ import annotations

import pandas as pd

from opentrends.analysis.hub_growth import ShareChange, share_change
from opentrends.core.tables import require_columns

ORIGINS = ("United States", "China", "Rest of world", "Unknown")
TRENDING_COLUMNS = ("day", "rank", "model", "maker_origin", "uploader_origin")


def _week(days: pd.Series) -> pd.Series:
    return (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.normalize()


def weekly_slots(trending: pd.DataFrame) -> pd.DataFrame:
    """week (Monday), origin, slots (by maker origin), share, share_by_uploader, days (days with a file that
    week); every origin of `ORIGINS` in every week."""
    require_columns(trending, TRENDING_COLUMNS, "trending table")
    table = trending.assign(week=_week(trending["day"]))
    days = table.groupby("week")["day"].nunique()
    totals = table.groupby("week").size()
    out = []
    for column, name in (("maker_origin", "slots"), ("uploader_origin", "uploader_slots")):
        grid = table.groupby(["week", column]).size().unstack(column).reindex(columns=list(ORIGINS), fill_value=0)
        out.append(grid.fillna(0).astype("int64").stack().rename(name))
    long = pd.concat(out, axis=1).rename_axis(["week", "origin"]).reset_index()
    long["share"] = long["slots"] / long["week"].map(totals)
    long["share_by_uploader"] = long["uploader_slots"] / long["week"].map(totals)
    long["days"] = long["week"].map(days).astype("int64")
    return long[["week", "origin", "slots", "share", "share_by_uploader", "days"]]


def monthly_shares(trending: pd.DataFrame, origin: str = "China") -> pd.DataFrame:
    """month (YYYY-MM), days, slots, maker_share, uploader_share of `origin` per calendar month over all slots,
    maker_share_known over the slots with a known maker, and unknown_share (slots of an Unknown maker)."""
    require_columns(trending, TRENDING_COLUMNS, "trending table")
    table = trending.assign(month=trending["day"].dt.strftime("%Y-%m"))
    grouped = table.groupby("month")
    return pd.DataFrame(
        {
            "days": grouped["day"].nunique(),
            "slots": grouped.size(),
            "maker_share": grouped["maker_origin"].apply(lambda s: (s == origin).mean()),
            "uploader_share": grouped["uploader_origin"].apply(lambda s: (s == origin).mean()),
            "maker_share_known": grouped["maker_origin"].apply(
                lambda s: (s == origin).sum() / max((s != "Unknown").sum(), 1)
            ),
            "unknown_share": grouped["maker_origin"].apply(lambda s: (s == "Unknown").mean()),
        }
    ).reset_index()


def slot_share_change(trending: pd.DataFrame, months: int = 2, origin: str = "China", by: str = "maker_origin"):
    """The share of slots whose `by` column is `origin` in the last `months` calendar months minus the first
    `months` (ShareChange, percentage points, Newcombe 95%)."""
    require_columns(trending, (*TRENDING_COLUMNS, by), "trending table")
    month = trending["day"].dt.strftime("%Y-%m")
    names = sorted(month.unique())
    first, last = names[:months], names[-months:]
    k1 = int(((trending[by] == origin) & month.isin(first)).sum())
    k2 = int(((trending[by] == origin) & month.isin(last)).sum())
    n1, n2 = int(month.isin(first).sum()), int(month.isin(last).sum())
    return share_change(k1, n1, k2, n2, f"{first[0]}..{first[-1]}", f"{last[0]}..{last[-1]}")


def slot_share_between(
    trending: pd.DataFrame,
    first: tuple[str, str],
    last: tuple[str, str],
    origin: str = "China",
    by: str = "maker_origin",
):
    """The share of slots whose `by` column is `origin` in months `last` (first, last month, YYYY-MM) minus in months
    `first` (ShareChange, percentage points, Newcombe 95% with slots as trials: the naive interval)."""
    require_columns(trending, (*TRENDING_COLUMNS, by), "trending table")
    month = trending["day"].dt.strftime("%Y-%m")
    in_first, in_last = month.between(*first), month.between(*last)
    k1, k2 = int(((trending[by] == origin) & in_first).sum()), int(((trending[by] == origin) & in_last).sum())
    return share_change(k1, int(in_first.sum()), k2, int(in_last.sum()), "..".join(first), "..".join(last))


# A copy that changes the format, not the weights' training: quantizations and conversions (by name), or any upload
# of a known repackager (data/hub_repackagers.csv).
REPACKAGING_RE = r"(?i)gguf|awq|gptq|exl[23]|[-_]fp8|nvfp4|mxfp4|[-_]int[48]|[-_][248]bit|bnb|mlx|onnx|[-_]q[2-8]_"


def us_on_chinese(trending: pd.DataFrame, repackagers=frozenset()) -> pd.DataFrame:
    """The slots of US-uploaded models built on another maker's model (uploader is not the maker), with `kind`
    (repackaging: a quantization or conversion by name, or a known repackager's upload; fine-tune: every other
    derivative, LoRAs included) and `chinese_base` (the maker is Chinese)."""
    require_columns(trending, (*TRENDING_COLUMNS, "uploader", "maker"), "trending table")
    maker = trending["maker"].fillna("").str.lower()
    derived = (trending["uploader_origin"] == "United States") & (trending["uploader"].str.lower() != maker)
    rows = trending[derived & (trending["maker_origin"] != "Unknown")]
    repack = rows["uploader"].isin(list(repackagers)) | rows["model"].str.contains(REPACKAGING_RE, regex=True)
    return rows.assign(kind=repack.map({True: "repackaging", False: "fine-tune"}),
                       chinese_base=(rows["maker_origin"] == "China").astype(int))  # fmt: skip


def us_on_chinese_monthly(slots: pd.DataFrame) -> pd.DataFrame:
    """month, kind (all / fine-tune / repackaging), slots, chinese, share: per month, the US-uploaded derivative
    slots and how many are built on a Chinese maker's model (`slots` from `us_on_chinese`)."""
    table = slots.assign(month=slots["day"].dt.strftime("%Y-%m"))
    parts = [table.assign(kind="all"), table]
    grouped = pd.concat(parts).groupby(["month", "kind"])["chinese_base"].agg(slots="size", chinese="sum")
    return grouped.reset_index().assign(share=lambda f: f["chinese"] / f["slots"])


def attribution_counts(trending: pd.DataFrame) -> pd.DataFrame:
    """rule-free summary of who is credited: origin, slots_by_maker, slots_by_uploader (all days)."""
    maker = trending["maker_origin"].value_counts().reindex(list(ORIGINS), fill_value=0)
    uploader = trending["uploader_origin"].value_counts().reindex(list(ORIGINS), fill_value=0)
    return pd.DataFrame(
        {"origin": list(ORIGINS), "slots_by_maker": maker.to_numpy(), "slots_by_uploader": uploader.to_numpy()}
    )


__all__ = ["REPACKAGING_RE", "ShareChange", "attribution_counts", "monthly_shares", "slot_share_between",
           "slot_share_change", "us_on_chinese", "us_on_chinese_monthly", "weekly_slots"]  # fmt: skip
