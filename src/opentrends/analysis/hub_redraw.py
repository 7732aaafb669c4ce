"""Tables behind notebook 04's redrawn Hub figures: download shares under three attributions on one day,
capped derivative counts marked as floors, the derivative timeline cut to 0..N days, creation months with
the early tail in one bin."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from opentrends.catalog import makers
from opentrends.core.tables import require_columns

ORIGINS = ("United States", "China", "Rest of world", "Unknown")
ATTRIBUTIONS = ("uploader", "maker", "maintainer")


def attribution_shares(
    head: pd.DataFrame, origins: Mapping[str, str], maintainer: Mapping[str, str], top_n: int
) -> pd.DataFrame:
    """attribution, origin, n_models, downloads_30d, share of the top `top_n` models by downloads in `head`
    (one capture day: columns id, author, downloads, rank_downloads), each model credited three ways: to its
    uploader's origin, to its maker's (`makers.maker_of`), and to the uploader with `maintainer` overrides."""
    require_columns(head, ("id", "author", "downloads", "rank_downloads"), "head table")
    top = head[head["rank_downloads"] <= top_n]
    credit = makers.attribute(top["id"], origins)
    by = {
        "uploader": top["author"].map(lambda a: origins.get(a, "Unknown")).to_numpy(),
        "maker": credit["maker_origin"].to_numpy(),
        "maintainer": top["author"].map(lambda a: maintainer.get(a, origins.get(a, "Unknown"))).to_numpy(),
    }
    rows = []
    for attribution in ATTRIBUTIONS:
        frame = pd.DataFrame({"origin": by[attribution], "downloads": top["downloads"].to_numpy()})
        grouped = frame.groupby("origin")["downloads"].agg(["size", "sum"]).reindex(list(ORIGINS), fill_value=0)
        for origin, (n, total) in grouped.iterrows():
            rows.append((attribution, origin, int(n), int(total), total / frame["downloads"].sum()))
    return pd.DataFrame(rows, columns=["attribution", "origin", "n_models", "downloads_30d", "share"])


def capped_counts(families: pd.DataFrame, depth1: pd.Series, cap: int) -> pd.DataFrame:
    """root, origin, n, capped, label per root: `capped` where the root's direct children reach `cap`
    (the API page cap), so n is a floor and its label reads '≥n'."""
    per_root = families.groupby(["root", "origin"], as_index=False)["n"].sum()
    per_root["capped"] = per_root["root"].map(depth1).fillna(0).ge(cap).to_numpy()
    per_root["label"] = [("≥" if c else "") + f"{n:,}" for n, c in zip(per_root["n"], per_root["capped"], strict=True)]
    return per_root.sort_values(["n", "root"], kind="stable").reset_index(drop=True)


def timeline_window(timeline: pd.DataFrame, days: int) -> pd.DataFrame:
    """The derivative timeline from day 0 to `days`, each root starting at its count on day 0 (derivatives
    dated before the root are counted there) and carried to day `days`."""
    parts = []
    for root, group in timeline.groupby("root"):
        series = group.set_index("days_since_release")["cumulative_derivatives"].sort_index()
        grid = series.reindex(range(min(series.index.min(), 0), days + 1)).ffill().fillna(0)
        part = grid.loc[0:days].astype("int64").rename("cumulative_derivatives").rename_axis("days_since_release")
        parts.append(part.reset_index().assign(root=root))
    out = pd.concat(parts, ignore_index=True)
    return out[["root", "days_since_release", "cumulative_derivatives"]]


def creation_bins(creation: pd.DataFrame, first_month: str) -> pd.DataFrame:
    """created_month, origin, n_models with every month before `first_month` in one bin labelled
    'before <first_month>' (the early tail, drawn on its own), then one row per month and origin."""
    require_columns(creation, ("created_month", "origin", "n_models"), "creation table")
    early = creation["created_month"] < first_month
    label = f"before {first_month}"
    binned = creation.assign(created_month=creation["created_month"].where(~early, label))
    table = binned.groupby(["created_month", "origin"], as_index=False)["n_models"].sum()
    order = [label] + sorted(m for m in table["created_month"].unique() if m != label)
    table["created_month"] = pd.Categorical(table["created_month"], categories=order, ordered=True)
    return table.sort_values(["created_month", "origin"]).reset_index(drop=True).astype({"created_month": str})


def creation_split(creation: pd.DataFrame, date) -> tuple[pd.Series, pd.Series]:
    """Head models by origin created in the twelve months before `date` and before that (`creation`:
    created_month YYYY-MM, origin, n_models); every origin present, 0 where none."""
    require_columns(creation, ("created_month", "origin", "n_models"), "creation table")
    year_ago = (pd.Timestamp(date) - pd.DateOffset(years=1)).strftime("%Y-%m")
    recent = creation["created_month"] > year_ago
    parts = (creation[recent], creation[~recent])
    return tuple(p.groupby("origin")["n_models"].sum().reindex(list(ORIGINS), fill_value=0) for p in parts)


def within_days(timeline: pd.DataFrame, days: int) -> pd.Series:
    """Recorded derivatives per root up to `days` days after its release (0 for a root with none by then)."""
    early = timeline[timeline["days_since_release"] <= days]
    return (
        early.groupby("root")["cumulative_derivatives"].max().reindex(sorted(timeline["root"].unique()), fill_value=0)
    )
