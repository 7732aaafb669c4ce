"""The questions the figures answer: which figure belongs to which question, headline first.

Shared by the gallery (cards grouped by question) and the report (one answer per question).
A figure listed under a question goes there in the listed order (the first is the headline);
any other figure goes to the question of its notebook, after the listed ones, by id; a figure
of no known notebook goes to "Other figures" at the end.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    slug: str  # the anchor: `#q-<slug>`
    title: str
    figures: tuple[str, ...]  # listed figure ids, the headline first
    notebooks: tuple[str, ...] = ()  # figures of these notebooks not listed elsewhere come here


QUESTIONS: tuple[Question, ...] = (
    Question(
        "us-slipping",
        "Is the US slipping?",
        (
            "open-share-by-origin",
            "claim-us-slipping",
            "robustness-us-vs-china",
            "open-releases-by-origin",
            "open-orgs-by-origin",
        ),
        ("02_us_vs_china", "06_robustness"),
    ),
    Question(
        "who-leads",
        "Who leads open AI now?",
        (
            "best-open-model-by-origin",
            "arena-best-open-by-origin",
            "claim-dozens-chinese-groups",
            "claim-us-led-open-2016-2020",
            "hub-tracked-models-by-region",
        ),
    ),
    Question(
        "how-far-behind",
        "How far behind are open models?",
        (
            "capability-gap-eci-lag",
            "frontier-lag-estimates",
            "capability-gap-eci",
            "frontier-compute-open-vs-closed",
            "frontier-compute-lag",
            "arena-open-closed-gap",
        ),
        ("03_frontier_gap", "08_arena"),
    ),
    Question(
        "where-builders-build",
        "Where do builders build?",
        (
            "hub-finetunes-by-base-origin",
            "hub-trending-by-origin",
            "hub-downloads-by-maker-origin",
            "hub-top-bases-by-finetunes",
            "claim-builders-turn-to-chinese",
            "hub-downloads-by-origin",
            "hub-most-liked",
            "hub-popular-models-by-creation",
            "hub-derivatives-by-base",
            "hub-derivative-timeline",
        ),
        ("04_hub_adoption", "07_hub_over_time"),
    ),
    Question(
        "how-much-open",
        "How much of AI is released open?",
        (
            "open-share-by-year",
            "access-mix-by-year",
            "open-share-by-year-notable",
            "open-share-by-source",
            "claim-us-flagships-api-only",
            "claim-bfl-open-multimodal",
            "claim-chinese-groups-share-methods",
        ),
        ("01_open_vs_closed", "05_claims"),
    ),
    Question("data", "The data: what changed between snapshots", ("notable-snapshot-changes",), ("00_data_sources",)),
)
OTHER = Question("other", "Other figures", ())


def group(sidecars: list[dict]) -> list[tuple[Question, list[dict]]]:
    """The sidecars grouped by question, in question order, each group headline first; empty groups dropped."""
    by_id = {s["id"]: s for s in sidecars}
    listed = {fid for q in QUESTIONS for fid in q.figures}
    groups = []
    for question in (*QUESTIONS, OTHER):
        members = [by_id[fid] for fid in question.figures if fid in by_id]
        if question is OTHER:
            known = {nb for q in QUESTIONS for nb in q.notebooks}
            rest = [s for s in sidecars if s["id"] not in listed and s.get("notebook") not in known]
        else:
            rest = [s for s in sidecars if s["id"] not in listed and s.get("notebook") in question.notebooks]
        members += sorted(rest, key=lambda s: s["id"])
        if members:
            groups.append((question, members))
    return groups


def question(slug: str) -> Question:
    """The question with this slug."""
    return next(q for q in QUESTIONS if q.slug == slug)
