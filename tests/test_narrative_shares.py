"""publish.narrative_shares: the facts of notebook 01's sentences and the numbers its filled templates state, on small
hand-made share tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from stated import states

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
    note = narrative.partial_note(TWO_YEARS, "2025-06-30")
    assert note.startswith(" 2025 is partial") and states(note, "2025-06-30")  # a leading space: it follows a sentence
    both = narrative.partial_note(TWO_YEARS.assign(partial_year=True), "2025-06-30")
    assert both.startswith(" 2024, 2025 are partial") and states(both, "2025-06-30")
    assert narrative.partial_note(TWO_YEARS.assign(partial_year=False), "2025-12-31") == ""


def test_a_partial_peak_also_names_the_highest_complete_year():
    facts = narrative.peak_facts(TWO_YEARS)
    assert (facts["peak"]["year"], facts["best"]["year"]) == (2025, 2024)
    peak = narrative.peak_text(TWO_YEARS, "2025-06-30")
    assert states(peak, "2025 (partial: data end 2025-06-30)", "75% (3 of 4)", "2024", "25% (2 of 8)")
    complete = TWO_YEARS.assign(partial_year=False)
    assert narrative.peak_facts(complete)["best"] is None
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
    assert states(first, "2024", f"2025 {flag}", "`all`", "epoch-ai-models@2026-03-30", "15", "3 (20%)", "`weights`",
                  "**25%** (2 of 8)", "2024", "**75%** (3 of 4)", f"2025 {flag}", "30%–95%", "2025", "60%", "80%",
                  f"2025 {flag} at 75% (3 of 4)", "2024 at 25% (2 of 8)", "2025", "2025-06-30")  # fmt: skip
    assert states(second, "`all`", "15", "3", "2024–2025")


def test_one_labelled_year_and_no_labelled_year():
    one = TWO_YEARS.assign(n_known=[0, 4], open_share=[NAN, 0.75])
    setting = narrative.Setting("s@1", "frontier", 2024, 2025, "unrestricted", "2025-12-31")
    paragraph = narrative.open_share_paragraph(one.assign(partial_year=False), setting, 0, setting)
    facts = narrative.open_share_facts(one.assign(partial_year=False), setting)
    assert facts["n_labelled"] == 1 and facts["first"] == facts["last"]
    assert states(paragraph, "`unrestricted`", "2025", "**75%** (3 of 4)") and "(2 of 8)" not in paragraph
    assert paragraph.count("75%") == 1  # no peak sentence for a single year
    assert "widest list Epoch publishes" not in paragraph  # the population was chosen, not the widest
    none = TWO_YEARS.assign(n_known=0, n_open=0, open_share=NAN, partial_year=False)
    paragraph = narrative.open_share_paragraph(none, setting, 0, setting)
    assert narrative.open_share_facts(none, setting)["first"] is None
    assert states(paragraph, "15 (100%)") and "%**" not in paragraph
    assert "%" not in narrative.open_share_figure(none, setting)["alt_text"]


def test_open_share_figure_texts():
    texts = narrative.open_share_figure(TWO_YEARS, SETTING)
    assert states(texts["title"], "25%", "2024", "75%", "2025 (partial: data end 2025-06-30)")  # the finding
    assert states(texts["caption"], "weights", "all", "epoch-ai-models@2026-03-30", "widest list", "3",
                  bounds_legend_note(), narrative.partial_note(TWO_YEARS, "2025-06-30"))  # fmt: skip
    other = narrative.open_share_figure(
        TWO_YEARS, narrative.Setting("s@1", "notable", 2024, 2025, "weights", "2025-12-31")
    )
    assert states(other["caption"], "notable", "s@1") and "widest list" not in other["caption"]
    assert states(texts["alt_text"], "25% (2 of 8)", "2024", "75% (3 of 4)", "2025 (partial: data end 2025-06-30)",
                  "2025", "60%", "80%", "2025")  # fmt: skip


def test_access_mix_sentence():
    wide = pd.DataFrame({"Unreleased": [0.5, 0.125], "API access": [0.25, 0.375]}, index=[2024, 2025])
    facts = narrative.access_mix_facts(wide, SETTING)
    assert (facts["first_unreleased"], facts["last_unreleased"], facts["last_api"]) == (0.5, 0.125, 0.375)
    sentence, texts = narrative.access_mix_text(wide, SETTING, " 2025 is partial.")
    assert states(sentence, "50%", "2024", "12%", "2025 (partial: data end 2025-06-30)", "38%", "2025")
    assert states(texts["caption"], "all", "epoch-ai-models@2026-03-30", ". 2025 is partial.")
    assert states(texts["title"], "50%", "2024", "12%", "2025", "38%")  # the finding
    assert states(texts["alt_text"], "50%", "2024", "12%", "2025 (partial: data end 2025-06-30)")


def test_notable_paragraph_with_a_partial_year_with_no_labelled_model_writes_n_a():
    table = yearly((2025, 4, 3, 1, 1 / 3, 0.1, 0.8, 0.25, 0.5, False), (2026, 2, 0, 0, NAN, NAN, NAN, 0.0, 1.0, True))
    setting = narrative.Setting("epoch-ai-models@2026-07-19", "notable", 2025, 2026, "weights", "2026-07-15")
    notes = {"models": 1036, "models without a publication date": 5}
    facts = narrative.notable_facts(table, setting, notes)
    assert (facts["n_models"], facts["n_undated"], facts["partial_years"]) == (1036, 5, [2026])
    assert (facts["latest"]["year"], facts["latest"]["n_known"], facts["latest"]["partial_year"]) == (2026, 0, True)
    paragraph, texts = narrative.notable_text(table, setting, notes)
    assert states(paragraph, "epoch-ai-models@2026-07-19", "1,036", "5", "2026-07-15", "2026", "2026 so far", "0",
                  "n/a", "0%", "100%")  # fmt: skip
    assert states(texts["caption"], bounds_legend_note(), "2026", "2026-07-15")
    assert states(texts["alt_text"], "2026", "partial year 2026", "n/a")
    paragraph, texts = narrative.notable_text(table.head(1), setting, notes)
    assert narrative.notable_facts(table.head(1), setting, notes)["partial_years"] == []
    assert states(paragraph, "2026-07-15", "2025", "3", "33%") and "so far" not in paragraph
    assert states(texts["caption"], "2026-07-15") and states(texts["alt_text"], "2025", "33%")
    assert "partial" not in texts["alt_text"]


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
    assert states(paragraph, "2", "all three", "10", "2023, 2024", "30 percentage points", "30 percentage points",
                  "10 percentage points above", "(all)", "1 of 1", "all three", "released_only.")  # fmt: skip
    assert states(texts["title"], "three")
    assert states(texts["caption"], "all", "epoch-ai-models@2026-03-30", "ecosystem-graphs@2025-01-24", "10")
    assert states(texts["alt_text"], "Three", "1 of 1", "all three", "30 percentage points")


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
    facts = narrative.catalogue_facts(table, overlap, steps, setting)
    assert (facts["three"], facts["n_overlap"], facts["ecosystem_above"], facts["n_steps"]) == (False, 0, None, 0)
    assert states(paragraph, "1990–1995", "10", "both", coverage, "1990–1995")
    assert "released_only" not in paragraph and "percentage points" not in paragraph
    assert states(texts["title"], "two")
    assert (
        states(texts["caption"], "10", coverage, "1990–1995") and "ecosystem-graphs@2025-01-24," not in texts["caption"]
    )
    assert texts["alt_text"].startswith("Two") and "percentage points" not in texts["alt_text"]


def test_complete_setting_ends_at_the_year_before_a_partial_one():
    assert narrative.Setting("s", "all", 2016, 2026, "weights", "2026-07-07").complete().end_year == 2025
    assert narrative.Setting("s", "all", 2016, 2025, "weights", "2025-12-31").complete().end_year == 2025
    assert narrative.Setting("s", "all", 2016, 2024, "weights", "2026-07-07").complete().end_year == 2024


def test_same_months_sentence_states_each_years_share_to_the_same_day():
    table = TWO_YEARS.assign(through="06-30")
    facts = narrative.same_months_facts(table)
    assert facts["through"] == "30 June" and facts["latest_year"] == 2025 and facts["partial_years"] == [2025]
    sentence = narrative.same_months_text(table, "2025-06-30")
    assert states(sentence, "2025-06-30", "2025", "2024", "25%", "8", "2025", "75%", "4")


def test_the_headline_ends_at_the_last_complete_year():
    three = pd.concat([yearly((2023, 4, 4, 1, 0.25, 0.05, 0.7, 0.25, 0.25, False)), TWO_YEARS], ignore_index=True)
    facts = narrative.open_share_facts(three, SETTING)
    assert facts["first"]["year"] == 2023 and facts["last"]["year"] == 2024 and facts["partial_years"] == [2025]
