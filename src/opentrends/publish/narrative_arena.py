"""Notebook 08's sentences, captions, alt texts and CSV column descriptions (Chatbot Arena history), each built
from the computed tables of `analysis.arena`."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from opentrends.core.text import count

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
    return (
        f"`{ref}` holds {count(len(sizes))} leaderboard versions from {day(sizes.index.min())} to "
        f"{day(sizes.index.max())} (as of {as_of}), {count(sizes.min())} to {count(sizes.max())} models each, "
        f"{count(rows['model'].nunique())} model names in all. Each row gives the Arena score and its 95% interval; "
        "the licence is the Arena's own label, audited below against Epoch AI's access labels. Limits: only models "
        "put on the Arena are seen, and nothing before July 2024."
    )


def audit_text(audit: pd.DataFrame, epoch_ref: str) -> str:
    """The licence audit: how many models were flagged and what was decided for each."""
    if audit.empty:
        return f"The audit against `{epoch_ref}` flags no model."
    decided = "; ".join(
        f"{row.model} ({row.flag}) counts as **{row.decision or 'undecided'}**" for row in audit.itertuples()
    )
    return (
        f"The licence audit against `{epoch_ref}` flags {count(len(audit))} models; each decision and its evidence "
        f"is a row of `data/arena_license_overrides.csv`: {decided}."
    )


def override_effect_text(gap: pd.DataFrame, raw_gap: pd.DataFrame, raw_changes: Mapping[str, pd.DataFrame]) -> str:
    """What the overrides change: versions whose best open or best closed model differs from the Arena's own
    labels, and the lead changes those labels alone would give."""
    columns = ["best_open_model", "best_closed_model"]
    merged = gap.merge(raw_gap, on="version", suffixes=("", "_raw"))
    differs = merged[(merged[columns].to_numpy() != merged[[f"{c}_raw" for c in columns]].to_numpy()).any(axis=1)]
    where = ", ".join(day(v) for v in differs["version"]) or "none"
    return (
        f"With the Arena's labels as published (no override), the best open or best closed model differs in "
        f"{count(len(differs))} of {count(len(gap))} versions ({where}), and the best open model changes origin on "
        f"{changes_phrase(raw_changes['maker'])} (maker view) and {changes_phrase(raw_changes['organization'])} "
        "(organization view)."
    )


def gap_sentence(label: str, row: Mapping) -> str:
    """One version's best closed and best open model, and the gap in points and percent."""
    return (
        f"{label} ({day(row['version'])}): best closed "
        f"{scored(row['best_closed_model'], row['best_closed_score'], row['best_closed_low'], row['best_closed_high'])}, "
        f"best open {scored(row['best_open_model'], row['best_open_score'], row['best_open_low'], row['best_open_high'])}"
        f" at Arena rank {count(row['best_open_rank'])}: a gap of {points(row['gap_points'])} points, "
        f"{percent(row['gap_pct'])} of the best open score."
    )


def gap_text(gap: pd.DataFrame, marks: Mapping[str, Mapping]) -> str:
    """One sentence per marked version, then how often the two intervals overlap."""
    lines = [f"- {gap_sentence(label, row)}" for label, row in marks.items()]
    overlap = int(gap["intervals_overlap"].sum())
    low, high = gap.loc[gap["gap_pct"].idxmin()], gap.loc[gap["gap_pct"].idxmax()]
    lines.append(
        f"- Over all {count(len(gap))} versions the gap runs from {percent(low['gap_pct'])} ({day(low['version'])}) "
        f"to {percent(high['gap_pct'])} ({day(high['version'])}); the two Arena intervals overlap in "
        f"{count(overlap)} of them."
    )
    return "\n".join(lines)


def replication_text(point: Mapping, february: pd.DataFrame, first_version) -> str:
    """The project's gap at the version nearest the AI Index's February 2025 point, and over February 2025."""
    low, high = february.loc[february["gap_pct"].idxmin()], february.loc[february["gap_pct"].idxmax()]
    return (
        f"{AI_INDEX}. The project's figure at the version nearest mid-February 2025 ({day(point['version'])}) is "
        f"{percent(point['gap_pct'])} ({point['best_closed_model']} {points(point['best_closed_score'])} vs "
        f"{point['best_open_model']} {points(point['best_open_score'])}, {points(point['gap_points'])} points), "
        f"{float(point['gap_pct']) - AI_INDEX_FEB:+.2f} percentage points from the AI Index's {AI_INDEX_FEB:.2f}%. "
        f"Across the {count(len(february))} February 2025 versions it runs from {percent(low['gap_pct'])} "
        f"({day(low['version'])}) to {percent(high['gap_pct'])} ({day(high['version'])}, best closed "
        f"{high['best_closed_model']}). The history starts {day(first_version)}, "
        "so only the February 2025 end of the AI Index's comparison can be checked."
    )


def changes_phrase(changes: pd.DataFrame) -> str:
    """'2024-07-18 (United States → China: M)' for each change, joined."""
    if changes.empty:
        return "never"
    return ", ".join(f"{day(r.version)} ({r.from_origin} → {r.to_origin}: {r.to_model})" for r in changes.itertuples())


VIEW_WORDS = {
    "maker": "Credited to the maker of the base model",
    "organization": "Credited to the organization the Arena names (who fine-tuned and published it)",
}


def origin_text(by_origin: Mapping[str, pd.DataFrame], changes: Mapping[str, pd.DataFrame], view: str) -> str:
    """When the best open model changed origin, in the headline `view` first and then the other, and each
    origin's best open model at the last version (headline view)."""
    other = next(v for v in VIEW_WORDS if v != view)
    table = by_origin[view]
    last = table[table["version"] == table["version"].max()]
    best_now = "; ".join(
        f"{r.origin}: {r.model} ({points(r.score)}, credited to {r.credited_to})" for r in last.itertuples()
    )
    return (
        f"{VIEW_WORDS[view]}, the Arena's best open model changed origin on "
        f"{changes_phrase(changes[view])}. {VIEW_WORDS[other]}, on {changes_phrase(changes[other])}. "
        f"At the last version ({day(last['version'].iloc[0])}), the best open model of each origin is {best_now}."
    )


def signed_points(value) -> str:
    """'+77' or '−31' Arena points (a difference of scores)."""
    value = round(float(value))
    return f"+{count(value)}" if value > 0 else f"−{count(-value)}" if value < 0 else "0"


def trend_text(fits: Mapping[tuple[str, str], Mapping], diffs: Mapping[str, pd.DataFrame], view: str) -> str:
    """China's best open score minus the US's: its slope per year with both clustered intervals, headline view
    first, then the other view."""
    other = next(v for v in VIEW_WORDS if v != view)

    def fitted(v: str) -> str:
        week, pairs = fits[(v, "week")], fits[(v, "models")]
        return (
            f"{week['slope']:.0f} points a year (95% interval {week['ci_low']:.0f} to {week['ci_high']:.0f} "
            f"resampling {count(week['n_clusters'])} version-weeks; {pairs['ci_low']:.0f} to {pairs['ci_high']:.0f} "
            f"resampling {count(pairs['n_clusters'])} pairs of compared models)"
        )

    diff = diffs[view]
    first, last = diff.iloc[0], diff.iloc[-1]
    return (
        f"China's best open Arena score minus the United States' ({VIEW_WORDS[view].lower()}) went from "
        f"{signed_points(first['difference'])} points ({day(first['version'])}) to {signed_points(last['difference'])} "
        f"({day(last['version'])}); fitted over all {count(len(diff))} versions it changed by {fitted(view)}. "
        f"{VIEW_WORDS[other]}: {fitted(other)}. Least-squares slope; each bootstrap resamples whole clusters "
        f"{count(fits[(view, 'week')]['n_boot'])} times (seed {fits[(view, 'week')]['seed']})."
    )


def gap_caption(overrides: int) -> str:
    """Caption of `arena-open-closed-gap`."""
    return (
        "Each leaderboard version of the Chatbot Arena (LMArena) text leaderboard: the highest score of a closed "
        "model and of an open-weights model (lines), each with the Arena's own 95% interval (shaded band); below, "
        "the gap in percent of the best open score. Open or closed is the Arena's licence label, audited against "
        f"Epoch AI's access labels ({count(overrides)} evidenced overrides, data/arena_license_overrides.csv). "
        "Dotted vertical lines mark the versions named in the labels."
    )


def gap_alt(first: Mapping, last: Mapping) -> str:
    """Alt text of `arena-open-closed-gap`."""
    return (
        f"Two step lines of Arena scores from {day(first['version'])} to {day(last['version'])}. The best closed "
        f"score {moves(first['best_closed_score'], last['best_closed_score'])} from {points(first['best_closed_score'])} "
        f"to {points(last['best_closed_score'])}, the best open {moves(first['best_open_score'], last['best_open_score'])} "
        f"from {points(first['best_open_score'])} to {points(last['best_open_score'])}; the gap "
        f"{moves(round(first['gap_pct'], 2), round(last['gap_pct'], 2))} from {percent(first['gap_pct'])} to "
        f"{percent(last['gap_pct'])} of the best open score."
    )


def moves(before, after) -> str:
    """'rises', 'falls' or 'stays' from `before` to `after`."""
    return "rises" if after > before else "falls" if after < before else "stays"


ORIGIN_CAPTION = (
    "For each origin (United States, China, rest of world), the highest Arena score of an open-weights model in "
    "each leaderboard version (line) with the Arena's 95% interval (shaded band). Left: credited to the maker of "
    "the base model (a US lab's fine-tune of a Chinese base counts for China; data/arena_base_models.csv). Right: "
    "credited to the organization the Arena names. Organization spellings are merged with "
    "data/arena_organizations.csv."
)


def origin_alt(by_maker: pd.DataFrame) -> str:
    """Alt text of `arena-best-open-by-origin`."""
    last = by_maker[by_maker["version"] == by_maker["version"].max()].set_index("origin")
    parts = ", ".join(f"{origin} {points(last.loc[origin, 'score'])}" for origin in last.index)
    return (
        "Two panels of step lines, one per origin, of the best open model's Arena score per leaderboard version. "
        f"At the last version ({day(by_maker['version'].max())}), credited to the maker: {parts}."
    )


COLUMNS = {
    "arena-open-closed-gap": {
        "version": "leaderboard version date (YYYY-MM-DD)",
        "best_closed_model": "closed model with the highest Arena score in the version",
        "best_closed_organization": "its organization as the Arena names it",
        "best_closed_score": "its Arena score (points)",
        "best_closed_low": "lower end of its Arena 95% interval (score - ci_minus)",
        "best_closed_high": "upper end of its Arena 95% interval (score + ci_plus)",
        "best_open_model": "open-weights model with the highest Arena score in the version",
        "best_open_organization": "its organization as the Arena names it",
        "best_open_score": "its Arena score (points)",
        "best_open_low": "lower end of its Arena 95% interval",
        "best_open_high": "upper end of its Arena 95% interval",
        "best_open_rank": "its Arena rank in the version (the Arena's interval-based rank)",
        "gap_points": "best closed score minus best open score (points)",
        "gap_pct": "gap in percent of the best open score",
        "intervals_overlap": "True when the two 95% intervals overlap",
    },
    "arena-best-open-by-origin": {
        "view": "attribution: maker (of the base model) or organization (as the Arena names it)",
        "version": "leaderboard version date (YYYY-MM-DD)",
        "origin": "United States, China or Rest of world",
        "model": "the origin's open-weights model with the highest Arena score in the version",
        "credited_to": "the maker or organization credited in this view",
        "score": "its Arena score (points)",
        "low": "lower end of its Arena 95% interval",
        "high": "upper end of its Arena 95% interval",
        "leads": "True for the origin of the best open model overall in the version",
    },
}
