"""The ECI gap and the best open model by origin with the reproduction's 90% bootstrap intervals.

`intervals` is `catalog.loaders.eci_intervals.load_intervals` (Model, eci, eci_ci_low, eci_ci_high): one row per
model at its best score, so it is joined to ECI counted once per model (`capability.collapse_versions`). The two
anchors of the fit (GPT-5 = 150, Claude 3.5 Sonnet = 130) have fixed scores by design and blank bounds: where one
leads, its interval is its point (`anchor` True), said in the sentences.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ["model", "origin", "access_class", "date", "eci", "eci_ci_low", "eci_ci_high", "anchor"]


def attach(models: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """`models` (one row per model) with the reproduction's bounds; `anchor` when a listed model has blank bounds
    (its bounds are then its score); `in_intervals` False for a model the reproduction does not list. The
    reproduction lists some models per dated version (`GPT-4o (Nov 2024)`): the version whose score is the
    model's best (within `SAME_SCORE`) gives the model's interval."""
    bounds = _pairs(intervals.rename(columns={"Model": "name", "eci": "eci_reproduced"}), models)
    table = models.merge(bounds, on="model", how="left", validate="one_to_one")
    listed = table["eci_reproduced"].notna()
    anchor = listed & table["eci_ci_low"].isna() & table["eci_ci_high"].isna()
    table["eci_ci_low"] = table["eci_ci_low"].where(~anchor, table["eci"])
    table["eci_ci_high"] = table["eci_ci_high"].where(~anchor, table["eci"])
    return table.assign(anchor=anchor, in_intervals=listed)


SAME_SCORE = 0.01  # a dated version (`GPT-4o (Nov 2024)`) stands for its model when it carries the model's best score


def _pairs(bounds: pd.DataFrame, models: pd.DataFrame) -> pd.DataFrame:
    """One reproduction row per model: the row of the same name, else a row whose name starts with the model's
    name before any parenthesis (`Kimi K2 (Jul 2025)`, `Qwen2.5-Coder-32B` for `Qwen2.5-Coder (32B)`), in both
    cases carrying the model's score (within `SAME_SCORE`); the exact name first."""
    scores = models[["model", "eci"]].assign(base=models["model"].str.split(" (", regex=False).str[0].str.strip())
    pairs = bounds.merge(scores, how="cross")
    named = pairs["name"] == pairs["model"]
    extends = pd.Series([n.startswith(b) for n, b in zip(pairs["name"], pairs["base"])], index=pairs.index, dtype=bool)
    pairs = pairs[(named | extends) & ((pairs["eci_reproduced"] - pairs["eci"]).abs() < SAME_SCORE)]
    pairs = pairs.assign(exact=named[pairs.index]).sort_values("exact", ascending=False).drop_duplicates("model")
    return pairs[["model", "eci_reproduced", "eci_ci_low", "eci_ci_high"]]


def overlap(a: pd.Series | dict, b: pd.Series | dict) -> bool:
    """True when the two closed intervals [eci_ci_low, eci_ci_high] share a point."""
    return bool(a["eci_ci_low"] <= b["eci_ci_high"] and b["eci_ci_low"] <= a["eci_ci_high"])


def leaders(table: pd.DataFrame, as_of: str) -> tuple[pd.DataFrame, dict]:
    """The best closed and the best open model released by `as_of` (by score), with their intervals; and the
    facts: the gap (closed minus open, points), whether the intervals overlap, which leader is an anchor."""
    dated = table[(table["date"] <= pd.Timestamp(as_of)) & table["access_class"].isin(["closed", "open"])]
    rows = []
    for role in ("closed", "open"):
        pool = dated[dated["access_class"] == role]
        rows.append({**pool.loc[pool["eci"].idxmax()].to_dict(), "role": f"best {role}"} if len(pool) else None)
    found = pd.DataFrame([r for r in rows if r is not None])
    best = found[["role", *COLUMNS, "in_intervals"]].reset_index(drop=True) if len(found) else found
    if len(best) < 2:
        return best, {"as_of": as_of, "gap": None, "overlap": None, "anchors": [], "unlisted": []}
    closed, open_ = best.iloc[0], best.iloc[1]
    facts = {
        "as_of": as_of, "closed": closed.to_dict(), "open": open_.to_dict(), "gap": closed["eci"] - open_["eci"],
        "gap_low": closed["eci_ci_low"] - open_["eci_ci_high"], "gap_high": closed["eci_ci_high"] - open_["eci_ci_low"],
        "overlap": overlap(closed, open_) if best["in_intervals"].all() else None,
        "anchors": best.loc[best["anchor"], "model"].tolist(),
        "unlisted": best.loc[~best["in_intervals"], "model"].tolist(),
    }  # fmt: skip
    return best, facts


def origin_lead(table: pd.DataFrame, leader: str = "China", other: str = "United States") -> pd.DataFrame:
    """Per release date of an open model of either origin: each origin's best open model so far (score and
    bounds), the margin (leader minus other, points) and `clear` (the intervals are disjoint, leader above)."""
    open_ = table[(table["access_class"] == "open") & table["origin"].isin([leader, other])].sort_values("date")
    best: dict[str, dict] = {}
    rows = []
    for date, day in open_.groupby("date", sort=True):
        for row in day.to_dict("records"):
            if row["origin"] not in best or row["eci"] > best[row["origin"]]["eci"]:
                best[row["origin"]] = row
        if leader in best and other in best:
            a, b = best[leader], best[other]
            rows.append({
                "date": date, "leader_model": a["model"], "leader_eci": a["eci"], "leader_ci_low": a["eci_ci_low"],
                "leader_ci_high": a["eci_ci_high"], "other_model": b["model"], "other_eci": b["eci"],
                "other_ci_low": b["eci_ci_low"], "other_ci_high": b["eci_ci_high"], "margin": a["eci"] - b["eci"],
                "leads": a["eci"] > b["eci"], "overlap": overlap(a, b), "clear": a["eci_ci_low"] > b["eci_ci_high"],
            })  # fmt: skip
    return pd.DataFrame(rows)


def since(lead: pd.DataFrame, column: str) -> pd.Timestamp | None:
    """The first date from which `column` is True at every later date to the end (None when False at the end)."""
    if not len(lead) or not lead[column].iloc[-1]:
        return None
    false = lead.index[~lead[column].astype(bool)]
    start = 0 if not len(false) else lead.index.get_loc(false[-1]) + 1
    return lead["date"].iloc[start]


def lead_facts(lead: pd.DataFrame, leader: str = "China", other: str = "United States") -> dict:
    """The who-leads facts: the latest pair with their bounds, whether they overlap, since when the leader leads
    on the point scores and since when the lead is clear (intervals disjoint), and the margins then."""
    if not len(lead):
        return {"leader": leader, "other": other, "latest": None}
    lead = lead.reset_index(drop=True)
    leads_since, clear_since = since(lead, "leads"), since(lead, "clear")
    at = lead.set_index("date")
    return {
        "leader": leader, "other": other, "latest": lead.iloc[-1].to_dict(), "leads_since": leads_since,
        "clear_since": clear_since, "margin_at_lead": at.loc[leads_since, "margin"] if leads_since is not None else None,
        "margin_at_clear": at.loc[clear_since, "margin"] if clear_since is not None else None,
    }  # fmt: skip
