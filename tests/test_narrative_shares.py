"""publish.narrative_shares: the facts of notebook 01's sentences and the numbers its filled templates state, on small
hand-made share tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from opentrends.catalog.selection import Coverage, Selection
from opentrends.publish import narrative_shares as narrative
from opentrends.publish.charts import bounds_legend_note

NAN = math.nan
COLUMNS = ["year", "n_total", "n_known", "n_open", "open_share", "ci_low", "ci_high"]
COLUMNS += ["share_if_unlabelled_closed", "share_if_unlabelled_open", "partial_year"]
SETTING = narrative.Setting("epoch-ai-models@2026-03-30", "all", 2024, 2025, "weights", "2025-06-30")


def yearly(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


# 2024: 2 of 8 labelled open (2 of 10 models unlabelled); 2025 partial: 3 of 4 (1 of 5 unlabelled).
TWO_YEARS = yearly(
    (2024, 10, 8, 2, 0.25, 0.10, 0.60, 0.2, 0.4, False),
    (2025, 5, 4, 3, 0.75, 0.30, 0.95, 0.6, 0.8, True),
)


def test_setting_of_a_selection_reads_its_filters_and_coverage():
    chosen = Selection(
        pd.DataFrame(),
        {"start_year": 2016, "end_year": 2025, "open_definition": "unrestricted"},
        {},
        Coverage("epoch-ai-models@2026-03-30", "notable", "1950-07-02", "2026-02-19"),
    )
    assert narrative.Setting.of(chosen) == narrative.Setting(
        "epoch-ai-models@2026-03-30", "notable", 2016, 2025, "unrestricted", "2026-02-19"
    )


def test_partial_note_says_is_or_are_and_nothing_without_a_partial_year():
    assert narrative.partial_note(TWO_YEARS, "2025-06-30") == (
        " 2025 is partial (the data end 2025-06-30) and flagged in the CSV."
    )
    both = TWO_YEARS.assign(partial_year=True)
    assert narrative.partial_note(both, "2025-06-30") == (
        " 2024, 2025 are partial (the data end 2025-06-30) and flagged in the CSV."
    )
    assert narrative.partial_note(TWO_YEARS.assign(partial_year=False), "2025-12-31") == ""


def test_a_partial_peak_also_names_the_highest_complete_year():
    assert narrative.peak_text(TWO_YEARS, "2025-06-30") == (
        "2025 (partial: data end 2025-06-30) at 75% (3 of 4); among complete years, 2024 at 25% (2 of 8)"
    )
    complete = TWO_YEARS.assign(partial_year=False)
    assert narrative.peak_text(complete, "2025-12-31") == "2025 at 75% (3 of 4)"
    assert narrative.peak_text(TWO_YEARS.assign(n_known=0), "2025-06-30") == "n/a"


def test_the_headline_paragraph_from_two_years():
    notable = narrative.Setting("epoch-ai-models@2026-03-30", "notable", 2024, 2025, "weights", "2025-06-30")
    paragraph = narrative.open_share_paragraph(TWO_YEARS, SETTING, 3, notable)
    facts = narrative.open_share_facts(TWO_YEARS, SETTING)
    assert (facts["n_total"], facts["n_unknown"], facts["unknown_share"], facts["n_labelled"]) == (15, 3, 0.2, 2)
    assert (facts["first"]["year"], facts["last"]["year"], facts["peak"]["year"], facts["best"]["year"]) == (
        2024, 2025, 2025, 2024
    )  # fmt: skip
    flag = "(partial: data end 2025-06-30)"
    first, second = paragraph.split("\n\n")
    assert first.startswith(f"From 2024 to 2025 {flag}, Epoch's `all` population (epoch-ai-models@2026-03-30) holds")
    for number in ("15 dated models; 3 (20%)", "**25%** (2 of 8) in 2024", f"**75%** (3 of 4) in 2025 {flag}",
                   "(95% interval 30%–95%)", "unlabelled 2025 model", "at 60% or 80%.",
                   "among complete years, 2024 at 25% (2 of 8). 2025 is partial (the data end 2025-06-30)"):  # fmt: skip
        assert number in first
    assert second.startswith("**Which population and why.** The headline uses the `all` population (the union")
    assert "(15 dated models in these years)" in second and "(3 in 2024–2025)" in second


def test_one_labelled_year_and_no_labelled_year():
    one = TWO_YEARS.assign(n_known=[0, 4], open_share=[NAN, 0.75])
    setting = narrative.Setting("s@1", "frontier", 2024, 2025, "unrestricted", "2025-12-31")
    paragraph = narrative.open_share_paragraph(one.assign(partial_year=False), setting, 0, setting)
    assert "Under the `unrestricted` definition, only 2025 has labelled models; its open share is **75%** (3 of 4)" in (
        paragraph
    )
    assert "The highest year" not in paragraph
    assert "population as the parameters ask (the default is the union of Epoch's four files" in paragraph
    none = TWO_YEARS.assign(n_known=0, n_open=0, open_share=NAN, partial_year=False)
    paragraph = narrative.open_share_paragraph(none, setting, 0, setting)
    assert "15 (100%) have no accessibility label" in paragraph
    assert "no year has a labelled model, so there is no open share to report." in paragraph
    assert narrative.open_share_figure(none, setting)["alt_text"] == (
        "Line chart of the open-weights share by year; no year has a labelled model."
    )


def test_open_share_figure_texts():
    texts = narrative.open_share_figure(TWO_YEARS, SETTING)
    assert texts["title"] == "Share of AI models released with open weights, 2024–2025"
    assert "(weights definition)" in texts["caption"]
    assert "all models (epoch-ai-models@2026-03-30), the widest list Epoch publishes;" in texts["caption"]
    assert texts["caption"].endswith(
        f"3 models without a label are excluded from the share. {bounds_legend_note()} 2025 is partial (the data end "
        "2025-06-30) and flagged in the CSV."
    )
    other = narrative.open_share_figure(
        TWO_YEARS, narrative.Setting("s@1", "notable", 2024, 2025, "weights", "2025-12-31")
    )
    assert "notable models (s@1); its notable subset" in other["caption"]
    assert texts["alt_text"].startswith(
        "Line chart: the open-weights share goes from 25% (2 of 8) in 2024 to 75% (3 of 4) in 2025 (partial: data end "
        "2025-06-30); the highest year is 2025"
    )
    assert texts["alt_text"].endswith("all closed or all open (60% to 80% in 2025).")


def test_access_mix_sentence():
    wide = pd.DataFrame({"Unreleased": [0.5, 0.125], "API access": [0.25, 0.375]}, index=[2024, 2025])
    facts = narrative.access_mix_facts(wide, SETTING)
    assert (facts["first_unreleased"], facts["last_unreleased"], facts["last_api"]) == (0.5, 0.125, 0.375)
    sentence, texts = narrative.access_mix_text(wide, SETTING, " 2025 is partial.")
    for number in ("were 50% of labelled models in 2024", "12% in 2025 (partial: data end 2025-06-30)", "38% in 2025."):
        assert number in sentence
    assert texts["caption"].endswith("(all models, epoch-ai-models@2026-03-30). 2025 is partial.")
    assert texts["title"] == "How AI models were released, 2024–2025"
    assert texts["alt_text"].endswith("Unreleased goes from 50% in 2024 to 12% in 2025 (partial: data end 2025-06-30).")


def test_notable_paragraph_with_a_partial_year_with_no_labelled_model_writes_n_a():
    table = yearly((2025, 4, 3, 1, 1 / 3, 0.1, 0.8, 0.25, 0.5, False), (2026, 2, 0, 0, NAN, NAN, NAN, 0.0, 1.0, True))
    setting = narrative.Setting("epoch-ai-models@2026-07-19", "notable", 2025, 2026, "weights", "2026-07-15")
    notes = {"models": 1036, "models without a publication date": 5}
    facts = narrative.notable_facts(table, setting, notes)
    assert (facts["n_models"], facts["n_undated"], facts["partial_years"]) == (1036, 5, [2026])
    assert (facts["latest"]["year"], facts["latest"]["n_known"], facts["latest"]["partial_year"]) == (2026, 0, True)
    paragraph, texts = narrative.notable_text(table, setting, notes)
    assert paragraph.startswith("epoch-ai-models@2026-07-19 holds 1,036 notable models; 5 have no publication date")
    for number in ("is 2026-07-15, so 2026 is partial: 2026 so far has 0 labelled", "n/a of them open",
                   "(between 0% and 100% if"):  # fmt: skip
        assert number in paragraph
    assert texts["caption"].endswith(" 2026 is partial: data end 2026-07-15.")
    assert texts["alt_text"].endswith("the partial year 2026 is drawn dashed with a hollow marker at n/a.")
    paragraph, texts = narrative.notable_text(table.head(1), setting, notes)
    assert "so no year is partial: 2025 has 3 labelled notable models, 33% of them open" in paragraph
    assert texts["caption"].endswith(" Data end 2026-07-15.") and texts["alt_text"].endswith("2025 is at 33%.")


def by_source(names, shares):
    rows = [(n, y, 10, 10, 0, s, NAN, NAN, NAN, NAN, False) for n, ss in zip(names, shares) for y, s in ss.items()]
    return pd.DataFrame(rows, columns=["source", *COLUMNS])


def test_three_catalogues_compared_with_filters_not_applied():
    names = ["Epoch AI (all)", "Epoch AI (notable)", "Ecosystem Graphs"]
    table = by_source(names, [{2023: 0.5, 2024: 0.4}, {2023: 0.3, 2024: 0.2}, {2023: 0.6, 2024: 0.5}])
    overlap = pd.DataFrame(
        {"Epoch AI (all)": [0.5, 0.4], "Epoch AI (notable)": [0.3, 0.2], "Ecosystem Graphs": [0.6, 0.5]},
        index=pd.Index([2023, 2024], name="year"),
    ).assign(spread=[0.3, 0.3])
    steps = pd.DataFrame({"agree": [True]}, index=[2024])
    paragraph, texts = narrative.catalogue_text(
        table,
        overlap,
        steps,
        SETTING,
        min_known=10,
        ecosystem_snapshot="ecosystem-graphs@2025-01-24",
        ecosystem_left_out=None,
        skipped=["released_only"],
    )
    facts = narrative.catalogue_facts(table, overlap, steps, SETTING)
    assert (facts["three"], facts["n_overlap"], facts["overlap_years"], facts["agree"], facts["n_steps"]) == (
        True, 2, [2023, 2024], 1, 1
    )  # fmt: skip
    assert facts["spread_max"] == 0.3 and facts["ecosystem_above"] == pytest.approx(0.1)
    assert paragraph.startswith("In the 2 years where all three catalogues have at least 10 labelled models (2023, 2")
    for number in ("by at most 30 percentage points (median 30 percentage points)", "is 10 percentage points above",
                   "in 1 of 1 year-to-year steps all three", "(and two of them are the same database)"):  # fmt: skip
        assert number in paragraph
    assert paragraph.endswith(
        "confirmation. Not applied to Ecosystem Graphs (it has nothing to apply them to): released_only."
    )
    assert texts["title"] == "The open-weights share in three catalogues"
    assert (
        "and Stanford CRFM Ecosystem Graphs (ecosystem-graphs@2025-01-24, corrected; compiled separately)."
        in (texts["caption"])
    )
    assert texts["alt_text"].startswith("Three lines of open share by year, one per catalogue; in 1 of 1 year-to-")
    assert texts["alt_text"].endswith("differ by up to 30 percentage points.")


def test_a_comparison_catalogue_that_does_not_overlap_is_left_out_and_said_so():
    table = by_source(["Epoch AI (all)", "Epoch AI (notable)"], [{1990: NAN}, {1990: NAN}])
    overlap = pd.DataFrame({"spread": []})
    steps = pd.DataFrame({"agree": []})
    setting = narrative.Setting("epoch-ai-models@2026-03-30", "all", 1990, 1995, "weights", "2026-02-19")
    coverage = "ecosystem-graphs@2025-01-24 (models) covers dates 2019-10-01 to 2025-01-14"
    paragraph, texts = narrative.catalogue_text(
        table,
        overlap,
        steps,
        setting,
        min_known=10,
        ecosystem_snapshot="ecosystem-graphs@2025-01-24",
        ecosystem_left_out=coverage,
        skipped=["released_only"],
    )
    left_out = f" Ecosystem Graphs is left out: {coverage}, which does not overlap 1990–1995."
    facts = narrative.catalogue_facts(table, overlap, steps, setting)
    assert (facts["three"], facts["n_overlap"], facts["ecosystem_above"], facts["n_steps"]) == (False, 0, None, 0)
    assert paragraph.startswith("No year in 1990–1995 has at least 10 labelled models in both catalogues")
    assert "rules but both are the same database" in paragraph and paragraph.endswith("confirmation." + left_out)
    assert texts["title"] == "The open-weights share in two catalogues"
    assert texts["caption"].endswith(left_out) and "Ecosystem Graphs (" not in texts["caption"]
    assert texts["alt_text"] == "Two lines of open share by year, one per catalogue."
