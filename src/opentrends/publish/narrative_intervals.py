"""Notebook 03's sentences on ECI with the reproduction's 90% bootstrap intervals (`analysis.eci_intervals`):
the gap between the best closed and the best open model, and whether China's open lead over the US is clear.

The wording is in `templates/notebooks/03_frontier_gap/` (`eci_interval_gap.md`, `origin_lead.md`); the facts
come from `eci_intervals.leaders` and `eci_intervals.lead_facts`.
"""

from __future__ import annotations

import pandas as pd

from opentrends.core import wording

NOTEBOOK = "notebooks/03_frontier_gap/"


def gap_sentence(facts: dict, eci_snapshot: str, intervals_snapshot: str) -> str:
    """Both leaders at the as-of date with their intervals, the gap and whether the intervals overlap."""
    return wording.render(NOTEBOOK + "eci_interval_gap.md", **facts, eci_snapshot=eci_snapshot,
                          intervals_snapshot=intervals_snapshot)  # fmt: skip


def lead_sentence(facts: dict, intervals_snapshot: str) -> str:
    """Whether the leader's best open model is clear of the other's (intervals disjoint), and since when."""
    return wording.render(NOTEBOOK + "origin_lead.md", **facts, intervals_snapshot=intervals_snapshot)


def lead_table(lead: pd.DataFrame, leader: str = "China", other: str = "United States") -> pd.DataFrame:
    """The rows where either origin's best open model changed, the columns named by origin (`china_model`,
    `china_eci`, `china_ci_low`, ..., `united_states_model`, ...), then margin, leads, overlap, clear."""
    changed = lead[["leader_model", "other_model"]].ne(lead[["leader_model", "other_model"]].shift()).any(axis=1)
    names = {"leader": leader.lower().replace(" ", "_"), "other": other.lower().replace(" ", "_")}
    renamed = {c: names[c.split("_")[0]] + "_" + c.split("_", 1)[1] for c in lead.columns if c.split("_")[0] in names}
    return lead[changed].rename(columns=renamed).reset_index(drop=True)


def lead_summary(facts: dict) -> pd.DataFrame:
    """One row: who leads, the latest margin, whether the latest intervals overlap, since when the leader leads on
    the point scores and since when the lead is clear (intervals disjoint), with the margins on those dates."""
    latest = facts.get("latest") or {}
    return pd.DataFrame([{
        "leader": facts["leader"], "other": facts["other"], "latest_date": latest.get("date"),
        "latest_margin": latest.get("margin"), "latest_intervals_overlap": latest.get("overlap"),
        "leads_since": facts.get("leads_since"), "margin_at_leads_since": facts.get("margin_at_lead"),
        "clear_since": facts.get("clear_since"), "margin_at_clear_since": facts.get("margin_at_clear"),
    }])  # fmt: skip
