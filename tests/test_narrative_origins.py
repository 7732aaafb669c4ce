"""publish.narrative_origins: the facts of notebook 02's sentences and the numbers its filled templates state, on small
hand-made tables."""

from __future__ import annotations

import math

import pandas as pd

from opentrends.publish import narrative_origins as narrative
from opentrends.publish.narrative_shares import Setting

NAN = math.nan
SETTING = Setting("epoch-ai-models@2026-03-30", "all", 2023, 2025, "weights", "2025-12-31")
NOTABLE = Setting("epoch-ai-models@2026-03-30", "notable", 2023, 2025, "weights", "2025-12-31")
COLUMNS = ["population", "year", "origin", "n_total", "n_known", "n_open", "open_share"]
COLUMNS += ["share_if_unlabelled_closed", "share_if_unlabelled_open", "partial_year"]


def share_table(populations=("all", "notable")) -> pd.DataFrame:
    """US: 5 of 10 open in 2023, 2 of 8 (10 models) in 2025; China: 2 of 4, then 4 of 5 (6 models)."""
    rows = []
    for population in populations:
        rows += [
            (population, 2023, "United States", 10, 10, 5, 0.5, 0.5, 0.5, False),
            (population, 2023, "China", 4, 4, 2, 0.5, 0.5, 0.5, False),
            (population, 2025, "United States", 10, 8, 2, 0.25, 0.2, 0.4, False),
            (population, 2025, "China", 6, 5, 4, 0.8, 4 / 6, 5 / 6, False),
        ]
    return pd.DataFrame(rows, columns=COLUMNS)


def test_the_us_china_headline_with_two_populations():
    paragraph, texts = narrative.us_china_text(share_table(), SETTING, NOTABLE, ["United States", "China"], "any")
    facts = narrative.us_china_facts(share_table(), SETTING, NOTABLE, ["United States", "China"], "any")
    assert (facts["cn"]["n_open"], facts["us"]["n_known"], facts["gap"], facts["unknown"]) == (4, 8, 0.55, 3)
    assert (facts["change_main"], facts["change_notable"], facts["agreement"], facts["direction"]) == (
        -0.25, -0.25, "same", "down"
    )  # fmt: skip
    first, second = paragraph.split("\n\n")
    assert first.startswith("In 2025, **80%** of labelled Chinese models (4 of 5) were released with open weights")
    for number in ("**25%** of US models (2 of 8)", "gap of 55 percentage points", "China to 67%–83%",
                   "US to 20%–40%. 3 models without"):  # fmt: skip
        assert number in first
    assert second.startswith("**Is the US slipping?** From 2023 to 2025 the US open share changed by -25 percentage")
    assert (
        "`all` population (50% to 25%) and by -25 percentage points among notable models (50% to 25%); both" in second
    )
    assert second.endswith("(down), though by different amounts, and notable counts are small (see the intervals). "
                           "Shares of past years also move as Epoch back-fills and relabels models (notebook 06 "
                           "measures one such move), so these are statements about epoch-ai-models@2026-03-30.")  # fmt: skip
    assert texts["title"] == "Share of models released with open weights, by origin, 2023–2025"
    assert (
        "(any rule). Left: Epoch AI all models (epoch-ai-models@2026-03-30), the headline population because"
        in (texts["caption"])
    )
    assert texts["caption"].endswith("Drawn: United States, China; the CSV has every origin.")
    assert texts["alt_text"].startswith("Two line charts of open share by year for United States, China; in 2025,")
    for number in ("China is at 80% (4 of 5)", "United States at 25% (2 of 8)", "from 50% in 2023 to 25% in 2025."):
        assert number in texts["alt_text"]


def test_notable_as_the_headline_has_no_second_population():
    # Issue 20 defect 2: with population=notable both populations were keyed "notable" and the cell crashed.
    paragraph, texts = narrative.us_china_text(share_table(["notable"]), NOTABLE, NOTABLE, ["China"], "exclusive")
    assert (
        "From 2023 to 2025 the US open share changed by -25 percentage points in the `notable` population (50% to "
        "25%); the notable population is the headline here, so there is no second population to compare, and notable "
        "counts are small"
    ) in paragraph
    assert (
        "Epoch AI notable models (epoch-ai-models@2026-03-30), the headline population (on the change"
        in (texts["caption"])
    )
    assert "Left:" not in texts["caption"] and texts["alt_text"].startswith("A line chart of open share")


def test_a_partial_end_year_and_a_shorter_notable_file_are_said():
    table = share_table().assign(partial_year=lambda t: t["year"] == 2025)
    setting = Setting("epoch-ai-models@2026-03-30", "all", 2023, 2025, "weights", "2025-06-30")
    notable = Setting("epoch-ai-models@2026-03-30", "notable", 2023, 2024, "weights", "2024-11-30")
    paragraph, texts = narrative.us_china_text(table, setting, notable, ["China"], "exclusive")
    flag = "2025 (partial: data end 2025-06-30)"
    assert paragraph.startswith(f"In {flag}, **80%**")
    assert "among notable models (50% to 25%; the notable file's dates end 2024-11-30); both" in paragraph
    assert paragraph.endswith(f" Partial years (flagged in the CSV): {flag}.")
    assert texts["caption"].endswith(f" {flag}: partial year, drawn hollow and dashed.")
    assert texts["alt_text"].endswith("the US goes from 50% in 2023 to n/a in 2024 (partial: data end 2024-11-30).")


def test_whether_the_populations_agree():
    answer = narrative.population_answer
    said = {
        (NAN, NAN): ("unanswerable", None), (NAN,): ("unanswerable", None), (-0.1,): ("headline", None),
        (NAN, -0.1): ("one", None), (-0.1, 0.1): ("differ", None), (0.0, 0.0): ("same", "flat"),
        (0.2, 0.1): ("same", "up"),
    }  # fmt: skip
    for changes, (agreement, direction) in said.items():
        assert narrative.agreement(list(changes)) == {"agreement": agreement, "direction": direction}
    assert answer([NAN, NAN]).endswith("so the data cannot answer it")
    assert answer([-0.1]).endswith("so there is no second population to compare")
    assert answer([NAN, -0.1]).endswith("so the populations cannot be compared")
    assert answer([-0.1, 0.1]) == "the answer depends on the population"
    assert answer([0.2, 0.1]) == "both populations move the same way (up), though by different amounts"


def test_unlabelled_rates_and_a_missing_origin_write_n_a():
    index = pd.MultiIndex.from_tuples(
        [("2023–2025", "China"), ("2023–2025", "United States"), ("2016–2025", "China"), ("2016–2025", "United States")]
    )
    rate = pd.Series([0.25, 0.05, 0.125, NAN], index=index)
    setting = Setting("s@1", "all", 2016, 2025, "weights", "2025-12-31")
    facts = narrative.unlabelled_facts(rate, setting)
    assert (facts["recent"], facts["recent_china"], facts["recent_us"], facts["all_china"]) == (2023, 0.25, 0.05, 0.125)
    sentence = narrative.unlabelled_sentence(rate, setting)
    assert sentence.startswith("Pooled 2023–2025, 25% of China-only models have no accessibility label, against 5%")
    assert "(over 2016–2025: 12% and n/a)" in sentence
    assert narrative.compare_from(Setting("s@1", "all", 2024, 2025, "weights", "2025-12-31")) == 2024


def test_releases_as_count_shares_and_a_year_with_none():
    wide = pd.DataFrame(
        {"United States": [0, 1], "China": [0, 4], "Rest of world": [0, 5]}, index=pd.Index([2023, 2025], name="year")
    )
    facts = narrative.releases_facts(wide, SETTING, "exclusive")
    assert (facts["n_end"], facts["end_china"], facts["end_us_share"], facts["earlier"]) == (10, 4, 0.1, 2023)
    assert pd.isna(facts["earlier_china_share"])
    paragraph, texts = narrative.releases_text(wide, SETTING, "exclusive")
    assert paragraph.startswith("Epoch lists 10 open releases dated 2025: 4 from Chinese and 1 from US organizations")
    assert "(40% and 10% of the listed open releases; n/a and n/a in 2023)" in paragraph
    assert texts["alt_text"].endswith("in 2025, 4 are Chinese and 1 American.")
    assert "(weights definition)" in texts["caption"] and "(exclusive rule)" in texts["caption"]


def test_organizations_and_merged_names():
    org_wide = pd.DataFrame({"United States": [2], "China": [3]}, index=[2025])
    organizations = pd.DataFrame(
        {
            "year": [2025, 2025, 2025, 2024],
            "is_open": pd.array([True, True, None, True], dtype="boolean"),
            "listed_as": ["Google DeepMind", "Google Research", "Meta AI", "Alibaba"],
            "organization": ["Google", "Google", "Meta", "Alibaba"],
        }
    )
    facts = narrative.organizations_facts(org_wide, organizations, SETTING)
    assert (facts["china"], facts["us"], facts["n_listed"], facts["n_merged"]) == (3, 2, 2, 1)
    paragraph, texts = narrative.organizations_text(org_wide, organizations, SETTING)
    assert paragraph.startswith("In 2025, 3 distinct Chinese and 2 distinct US organizations released")
    assert "merged 2 names as Epoch writes them into 1 organizations" in paragraph
    assert texts["alt_text"].endswith("in 2025, 3 Chinese and 2 US organizations.")
    assert texts["title"] == "Organizations releasing open weights, by origin, 2023–2025"


def test_population_titles():
    assert narrative.population_title("all") == "All models (union)"
    assert narrative.population_title("large_scale") == "Large-scale models"
    assert narrative.population_title("notable") == "Notable models"
