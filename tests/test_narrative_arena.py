"""Notebook 08's sentences (publish/narrative_arena.py), exact, on hand-made tables; and its two figures draw."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from opentrends.publish import arena_charts, narrative_arena  # noqa: E402


def gap_row(version, closed, open_, rank=3, closed_model="C", open_model="O", ci=4.0):
    return {
        "version": pd.Timestamp(version),
        "best_closed_model": closed_model,
        "best_closed_organization": "OpenAI",
        "best_closed_score": float(closed),
        "best_closed_low": closed - ci,
        "best_closed_high": closed + ci,
        "best_open_model": open_model,
        "best_open_organization": "DeepSeek",
        "best_open_score": float(open_),
        "best_open_low": open_ - ci,
        "best_open_high": open_ + ci,
        "best_open_rank": rank,
        "gap_points": float(closed - open_),
        "gap_pct": 100 * (closed - open_) / open_,
        "intervals_overlap": open_ + ci >= closed - ci,
    }


GAP = pd.DataFrame([gap_row("2024-07-07", 1300, 1200), gap_row("2025-02-16", 1384, 1361), gap_row("2025-02-18", 1402, 1361, closed_model="G3")])  # fmt: skip


def test_the_gap_sentence_names_both_models_intervals_rank_points_and_percent():
    assert narrative_arena.gap_sentence("First version", GAP.iloc[0]) == (
        "First version (2024-07-07): best closed C (1,300; 95% interval 1,296–1,304), best open O (1,200; 95% "
        "interval 1,196–1,204) at Arena rank 3: a gap of 100 points, 8.33% of the best open score."
    )


def test_the_gap_text_ends_with_the_range_and_the_overlap_count():
    text = narrative_arena.gap_text(GAP, {"First": GAP.iloc[0]})
    assert text.splitlines()[-1] == (
        "- Over all 3 versions the gap runs from 1.69% (2025-02-16) to 8.33% (2024-07-07); the two Arena intervals "
        "overlap in 0 of them."
    )


def test_the_replication_sentence_states_the_nearest_version_the_difference_and_the_february_range():
    text = narrative_arena.replication_text(GAP.iloc[1], GAP.iloc[1:], pd.Timestamp("2024-07-07"))
    assert text.startswith(narrative_arena.AI_INDEX + ". ")
    assert (
        "The project's figure at the version nearest mid-February 2025 (2025-02-16) is 1.69% (C 1,384 vs O 1,361, "
        "23 points), -0.01 percentage points from the AI Index's 1.70%. Across the 2 February 2025 versions it runs "
        "from 1.69% (2025-02-16) to 3.01% (2025-02-18, best closed G3). The history starts 2024-07-07, so only the "
        "February 2025 end of the AI Index's comparison can be checked."
    ) in text


BY_ORIGIN = pd.DataFrame(
    {
        "version": pd.to_datetime(["2024-07-01", "2024-07-01", "2024-08-01", "2024-08-01"]),
        "origin": ["United States", "China", "United States", "China"],
        "model": ["Llama", "DS", "Llama", "Athene-V2"],
        "credited_to": ["Meta", "DeepSeek", "Meta", "Alibaba"],
        "score": [1250.0, 1240.0, 1250.0, 1260.0],
        "low": [1247.0, 1237.0, 1247.0, 1257.0],
        "high": [1254.0, 1244.0, 1254.0, 1264.0],
        "leads": [True, False, False, True],
    }
)
CHANGE = pd.DataFrame(
    {"version": [pd.Timestamp("2024-08-01")], "from_origin": ["United States"], "from_model": ["Llama"],
     "to_origin": ["China"], "to_model": ["Athene-V2"]}
)  # fmt: skip


def test_the_origin_text_gives_the_headline_view_first_then_the_other():
    text = narrative_arena.origin_text(
        {"maker": BY_ORIGIN, "organization": BY_ORIGIN}, {"maker": CHANGE, "organization": CHANGE.iloc[:0]}, "maker"
    )
    assert text == (
        "Credited to the maker of the base model, the Arena's best open model changed origin on 2024-08-01 "
        "(United States → China: Athene-V2). Credited to the organization the Arena names (who fine-tuned and "
        "published it), on never. At the last version (2024-08-01), the best open model of each origin is United "
        "States: Llama (1,250, credited to Meta); China: Athene-V2 (1,260, credited to Alibaba)."
    )


def test_the_trend_sentence_gives_both_clusterings_in_both_views():
    fit = {"slope": 102.7, "ci_low": 82.9, "ci_high": 125.2, "n_clusters": 54, "n_boot": 2000, "seed": 0}
    pairs = {**fit, "ci_low": 52.2, "ci_high": 182.3, "n_clusters": 20}
    fits = {("maker", "week"): fit, ("maker", "models"): pairs, ("organization", "week"): fit,
            ("organization", "models"): pairs}  # fmt: skip
    diff = pd.DataFrame({"version": pd.to_datetime(["2024-07-07", "2025-08-04"]), "difference": [-31.0, 77.0]})
    assert narrative_arena.trend_text(fits, {"maker": diff, "organization": diff}, "maker") == (
        "China's best open Arena score minus the United States' (credited to the maker of the base model) went from "
        "−31 points (2024-07-07) to +77 (2025-08-04); fitted over all 2 versions it changed by 103 points a year "
        "(95% interval 83 to 125 resampling 54 version-weeks; 52 to 182 resampling 20 pairs of compared models). "
        "Credited to the organization the Arena names (who fine-tuned and published it): 103 points a year (95% "
        "interval 83 to 125 resampling 54 version-weeks; 52 to 182 resampling 20 pairs of compared models). "
        "Least-squares slope; each bootstrap resamples whole clusters 2,000 times (seed 0)."
    )


def test_the_override_effect_names_the_versions_that_differ_and_the_raw_lead_changes():
    raw = GAP.assign(best_open_model=["X", "O", "O"])
    text = narrative_arena.override_effect_text(GAP, raw, {"maker": CHANGE, "organization": CHANGE.iloc[:0]})
    assert text == (
        "With the Arena's labels as published (no override), the best open or best closed model differs in 1 of 3 "
        "versions (2024-07-07), and the best open model changes origin on 2024-08-01 (United States → China: "
        "Athene-V2) (maker view) and never (organization view)."
    )


def test_the_audit_sentence_lists_each_decision():
    audit = pd.DataFrame(
        {"model": ["Qwen-Max-0919"], "arena_license": ["Qwen"], "epoch_model": [""], "epoch_access": [""],
         "flag": ["overridden"], "decision": ["closed"]}
    )  # fmt: skip
    assert narrative_arena.audit_text(audit, "epoch-ai-models@2026-03-30") == (
        "The licence audit against `epoch-ai-models@2026-03-30` flags 1 models; each decision and its evidence is "
        "a row of `data/arena_license_overrides.csv`: Qwen-Max-0919 (overridden) counts as **closed**."
    )
    assert narrative_arena.audit_text(audit.iloc[:0], "e@1") == "The audit against `e@1` flags no model."


def test_alt_texts_and_column_dictionaries():
    assert narrative_arena.gap_alt(GAP.iloc[0], GAP.iloc[-1]) == (
        "Two step lines of Arena scores from 2024-07-07 to 2025-02-18. The best closed score rises from 1,300 to "
        "1,402, the best open rises from 1,200 to 1,361; the gap falls from 8.33% to 3.01% of the best open score."
    )
    assert narrative_arena.gap_alt(GAP.iloc[1], GAP.iloc[1]).endswith(
        "the gap stays from 1.69% to 1.69% of the best open score."
    )
    assert narrative_arena.origin_alt(BY_ORIGIN).endswith("credited to the maker: United States 1,250, China 1,260.")
    assert list(narrative_arena.COLUMNS["arena-open-closed-gap"]) == list(GAP.columns)


def test_both_figures_draw():
    fig = arena_charts.gap_figure(GAP, [("2024-07-07", "first")])
    assert len(fig.axes) == 2
    fig = arena_charts.origin_figure(BY_ORIGIN, BY_ORIGIN)
    assert [ax.get_title() for ax in fig.axes] == ["Credited to the maker", "To the organization"]
