"""Notebook 08's sentences, captions, alt texts and CSV column descriptions (Chatbot Arena history).

The wording is in `templates/notebooks/08_arena/`, `templates/captions/arena-*` and `templates/columns/arena-*`;
each function here computes its facts from the tables of `analysis.arena` (numbers formatted as the sentence shows
them) and fills its template.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from opentrends.core import wording
from opentrends.core.text import count

NOTEBOOK = "notebooks/08_arena/"
# The AI Index 2025 report's Chatbot Arena finding, quoted as the published comparison the notebook replicates.
AI_INDEX = (
    "The AI Index 2025 reports that the gap between the top closed and the top open-weight model on Chatbot Arena "
    "narrowed from 8.04% in January 2024 to 1.70% in February 2025"
)
AI_INDEX_FEB = 1.70  # percent, AI Index 2025 report


def day(value) -> str:
    """A version date as YYYY-MM-DD."""
    return f"{pd.Timestamp(value):%Y-%m-%d}"


def points(value) -> str:
    """Arena points with separators: 1287.0 -> '1,287'."""
    return count(round(float(value)))


def percent(value) -> str:
    """A gap in percent of the best open score, two decimals: 5.7518 -> '5.75%'."""
    return f"{float(value):.2f}%"


def scored(model: str, score, low, high) -> str:
    """'GPT-4o (1,287; 95% interval 1,283–1,291)'."""
    return f"{model} ({points(score)}; 95% interval {points(low)}–{points(high)})"


def data_text(rows: pd.DataFrame, ref: str, as_of: str) -> str:
    """What the history holds up to `as_of`, and what it cannot show."""
    sizes = rows.groupby("version").size()
    return wording.render(NOTEBOOK + "data.md", ref=ref, versions=count(len(sizes)), first=day(sizes.index.min()),
                          last=day(sizes.index.max()), as_of=as_of, fewest=count(sizes.min()),
                          most=count(sizes.max()), models=count(rows["model"].nunique()))  # fmt: skip


def audit_text(audit: pd.DataFrame, epoch_ref: str) -> str:
    """The licence audit: how many models were flagged and what was decided for each."""
    decided = "; ".join(
        f"{row.model} ({row.flag}) counts as **{row.decision or 'undecided'}**" for row in audit.itertuples()
    )
    return wording.render(NOTEBOOK + "audit.md", ref=epoch_ref, flagged=count(len(audit)) if len(audit) else "",
                          decided=decided)  # fmt: skip


def override_effect_text(gap: pd.DataFrame, raw_gap: pd.DataFrame, raw_changes: Mapping[str, pd.DataFrame]) -> str:
    """What the overrides change: versions whose best open or best closed model differs from the Arena's own
    labels, and the lead changes those labels alone would give."""
    columns = ["best_open_model", "best_closed_model"]
    merged = gap.merge(raw_gap, on="version", suffixes=("", "_raw"))
    differs = merged[(merged[columns].to_numpy() != merged[[f"{c}_raw" for c in columns]].to_numpy()).any(axis=1)]
    return wording.render(NOTEBOOK + "override_effect.md", differs=count(len(differs)), versions=count(len(gap)),
                          where=", ".join(day(v) for v in differs["version"]) or "none",
                          maker_changes=changes_phrase(raw_changes["maker"]),
                          organization_changes=changes_phrase(raw_changes["organization"]))  # fmt: skip


def gap_sentence(label: str, row: Mapping) -> str:
    """One version's best closed and best open model, and the gap in points and percent."""
    closed = scored(row["best_closed_model"], row["best_closed_score"], row["best_closed_low"], row["best_closed_high"])
    open_ = scored(row["best_open_model"], row["best_open_score"], row["best_open_low"], row["best_open_high"])
    return wording.render(NOTEBOOK + "gap_version.md", label=label, version=day(row["version"]), closed=closed,
                          open=open_, rank=count(row["best_open_rank"]), gap_points=points(row["gap_points"]),
                          gap_pct=percent(row["gap_pct"]))  # fmt: skip


def gap_text(gap: pd.DataFrame, marks: Mapping[str, Mapping]) -> str:
    """One sentence per marked version, then how often the two intervals overlap (a Markdown list)."""
    low, high = gap.loc[gap["gap_pct"].idxmin()], gap.loc[gap["gap_pct"].idxmax()]
    overall = wording.render(NOTEBOOK + "gap_range.md", versions=count(len(gap)), low=percent(low["gap_pct"]),
                             low_version=day(low["version"]), high=percent(high["gap_pct"]),
                             high_version=day(high["version"]), overlap=count(int(gap["intervals_overlap"].sum())))  # fmt: skip
    return "\n".join(f"- {line}" for line in [*(gap_sentence(label, row) for label, row in marks.items()), overall])


def replication_text(point: Mapping, february: pd.DataFrame, first_version) -> str:
    """The project's gap at the version nearest the AI Index's February 2025 point, and over February 2025."""
    low, high = february.loc[february["gap_pct"].idxmin()], february.loc[february["gap_pct"].idxmax()]
    return wording.render(
        NOTEBOOK + "replication.md", ai_index=AI_INDEX, version=day(point["version"]), gap_pct=percent(point["gap_pct"]),
        closed_model=point["best_closed_model"], closed_score=points(point["best_closed_score"]),
        open_model=point["best_open_model"], open_score=points(point["best_open_score"]),
        gap_points=points(point["gap_points"]), difference=f"{float(point['gap_pct']) - AI_INDEX_FEB:+.2f}",
        reported=f"{AI_INDEX_FEB:.2f}%", february=count(len(february)), low=percent(low["gap_pct"]),
        low_version=day(low["version"]), high=percent(high["gap_pct"]), high_version=day(high["version"]),
        high_closed=high["best_closed_model"], first_version=day(first_version),
    )  # fmt: skip


def changes_phrase(changes: pd.DataFrame) -> str:
    """'2024-07-18 (United States → China: M)' for each change, joined."""
    if changes.empty:
        return "never"
    return ", ".join(f"{day(r.version)} ({r.from_origin} → {r.to_origin}: {r.to_model})" for r in changes.itertuples())


VIEWS = ("maker", "organization")


def view_words(view: str) -> str:
    """How a view credits a model, as the sentence opens ('Credited to the maker of the base model')."""
    return wording.render(f"{NOTEBOOK}view_{view}.txt")


def origin_text(by_origin: Mapping[str, pd.DataFrame], changes: Mapping[str, pd.DataFrame], view: str) -> str:
    """When the best open model changed origin, in the headline `view` first and then the other, and each
    origin's best open model at the last version (headline view)."""
    other = next(v for v in VIEWS if v != view)
    table = by_origin[view]
    last = table[table["version"] == table["version"].max()]
    best_now = "; ".join(
        f"{r.origin}: {r.model} ({points(r.score)}, credited to {r.credited_to})" for r in last.itertuples()
    )
    return wording.render(NOTEBOOK + "origin.md", view_words=view_words(view), view_changes=changes_phrase(changes[view]),
                          other_words=view_words(other), other_changes=changes_phrase(changes[other]),
                          last=day(last["version"].iloc[0]), best_now=best_now)  # fmt: skip


def signed_points(value) -> str:
    """'+77' or '−31' Arena points (a difference of scores)."""
    value = round(float(value))
    return f"+{count(value)}" if value > 0 else f"−{count(-value)}" if value < 0 else "0"


def trend_text(fits: Mapping[tuple[str, str], Mapping], diffs: Mapping[str, pd.DataFrame], view: str) -> str:
    """China's best open score minus the US's: its slope per year with both clustered intervals, headline view
    first, then the other view."""
    other = next(v for v in VIEWS if v != view)

    def fitted(v: str) -> str:
        week, pairs = fits[(v, "week")], fits[(v, "models")]
        return wording.render(NOTEBOOK + "trend_fit.md", slope=f"{week['slope']:.0f}", week_low=f"{week['ci_low']:.0f}",
                              week_high=f"{week['ci_high']:.0f}", weeks=count(week["n_clusters"]),
                              pairs_low=f"{pairs['ci_low']:.0f}", pairs_high=f"{pairs['ci_high']:.0f}",
                              pairs=count(pairs["n_clusters"]))  # fmt: skip

    diff = diffs[view]
    first, last = diff.iloc[0], diff.iloc[-1]
    return wording.render(NOTEBOOK + "trend.md", view_words=view_words(view), first=signed_points(first["difference"]),
                          first_version=day(first["version"]), last=signed_points(last["difference"]),
                          last_version=day(last["version"]), versions=count(len(diff)), view_fit=fitted(view),
                          other_words=view_words(other), other_fit=fitted(other),
                          draws=count(fits[(view, "week")]["n_boot"]), seed=fits[(view, "week")]["seed"])  # fmt: skip


def gap_caption(overrides: int) -> str:
    """Caption of `arena-open-closed-gap`."""
    return wording.render("captions/arena-open-closed-gap.caption.txt", overrides=count(overrides))


def gap_alt(first: Mapping, last: Mapping) -> str:
    """Alt text of `arena-open-closed-gap`."""
    return wording.render(
        "captions/arena-open-closed-gap.alt.txt", first=day(first["version"]), last=day(last["version"]),
        closed_moves=moves(first["best_closed_score"], last["best_closed_score"]),
        closed_from=points(first["best_closed_score"]), closed_to=points(last["best_closed_score"]),
        open_moves=moves(first["best_open_score"], last["best_open_score"]),
        open_from=points(first["best_open_score"]), open_to=points(last["best_open_score"]),
        gap_moves=moves(round(first["gap_pct"], 2), round(last["gap_pct"], 2)),
        gap_from=percent(first["gap_pct"]), gap_to=percent(last["gap_pct"]),
    )  # fmt: skip


def moves(before, after) -> str:
    """'rises', 'falls' or 'stays' from `before` to `after`."""
    return "rises" if after > before else "falls" if after < before else "stays"


ORIGIN_CAPTION = wording.render("captions/arena-best-open-by-origin.caption.txt")


def origin_alt(by_maker: pd.DataFrame) -> str:
    """Alt text of `arena-best-open-by-origin`."""
    last = by_maker[by_maker["version"] == by_maker["version"].max()].set_index("origin")
    parts = ", ".join(f"{origin} {points(last.loc[origin, 'score'])}" for origin in last.index)
    return wording.render(
        "captions/arena-best-open-by-origin.alt.txt", last=day(by_maker["version"].max()), parts=parts
    )


FIGURES = ("arena-open-closed-gap", "arena-best-open-by-origin")
COLUMNS = {figure: wording.columns(figure) for figure in FIGURES}  # from templates/columns/<figure>.yaml
