"""publish.narrative_origins: the facts of notebook 02's sentences and the numbers its filled templates state, on small
hand-made tables."""

from __future__ import annotations

import math

import pandas as pd
from stated import states

from opentrends.core import wording
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
    assert states(first, "2025", "**80%**", "(4 of 5)", "**25%**", "(2 of 8)", "55 percentage points", "67%–83%",
                  "20%–40%", "3")  # fmt: skip
    assert states(second, "2023", "2025", "-25 percentage points", "`all`", "50% to 25%", "-25 percentage points",
                  "50% to 25%", narrative.population_answer([-0.25, -0.25]), "epoch-ai-models@2026-03-30")  # fmt: skip
    assert "Partial" not in second
    assert states(texts["title"], "2025", "80%", "25%")  # the finding, from the facts the paragraph states
    assert states(texts["caption"], "(any rule)", "all", "epoch-ai-models@2026-03-30", "widest list", "2023", "2025",
                  narrative.population_answer([-0.25, -0.25]), "United States, China")  # fmt: skip
    assert states(texts["alt_text"], "Two", "United States, China", "2025", "80% (4 of 5)", "25% (2 of 8)", "50%",
                  "2023", "25%", "2025")  # fmt: skip


def test_notable_as_the_headline_has_no_second_population():
    # Issue 20 defect 2: with population=notable both populations were keyed "notable" and the cell crashed.
    paragraph, texts = narrative.us_china_text(share_table(["notable"]), NOTABLE, NOTABLE, ["China"], "exclusive")
    facts = narrative.us_china_facts(share_table(["notable"]), NOTABLE, NOTABLE, ["China"], "exclusive")
    assert (facts["two"], facts["agreement"], facts["change_notable"]) == (False, "headline", -0.25)
    assert states(paragraph, "2023", "2025", "-25 percentage points", "`notable`", "50% to 25%",
                  narrative.population_answer([-0.25]))  # fmt: skip
    assert paragraph.count("percentage points") == 2  # the gap and one change: no second population
    assert states(texts["caption"], "notable", "epoch-ai-models@2026-03-30", narrative.population_answer([-0.25]))
    assert "Left:" not in texts["caption"] and not texts["alt_text"].startswith("Two")


def test_a_partial_end_year_and_a_shorter_notable_file_are_said():
    table = share_table().assign(partial_year=lambda t: t["year"] == 2025)
    setting = Setting("epoch-ai-models@2026-03-30", "all", 2023, 2025, "weights", "2025-06-30")
    notable = Setting("epoch-ai-models@2026-03-30", "notable", 2023, 2024, "weights", "2024-11-30")
    paragraph, texts = narrative.us_china_text(table, setting, notable, ["China"], "exclusive")
    flag = "2025 (partial: data end 2025-06-30)"
    facts = narrative.us_china_facts(table, setting, notable, ["China"], "exclusive")
    assert (facts["notable_short"], facts["partial_years"], facts["notable_end_year"]) == (True, [2025], 2024)
    assert states(paragraph, flag, "**80%**", "50% to 25%", "2024-11-30", flag)
    assert states(texts["caption"], wording.render("captions/_band-legend.txt"), flag)
    assert states(texts["alt_text"], "50%", "2023", "n/a", "2024 (partial: data end 2024-11-30)")


def test_whether_the_populations_agree():
    answer = narrative.population_answer
    said = {
        (NAN, NAN): ("unanswerable", None), (NAN,): ("unanswerable", None), (-0.1,): ("headline", None),
        (NAN, -0.1): ("one", None), (-0.1, 0.1): ("differ", None), (0.0, 0.0): ("same", "flat"),
        (0.2, 0.1): ("same", "up"),
    }  # fmt: skip
    for changes, (agreement, direction) in said.items():
        assert narrative.agreement(list(changes)) == {"agreement": agreement, "direction": direction}
    clauses = {answer(list(changes)) for changes in said}
    assert len(clauses) == 6 and all(c and "\n" not in c for c in clauses)  # one clause for each answer
    assert states(answer([0.2, 0.1]), "(up)") and states(answer([0.0, 0.0]), "(flat)")


def test_unlabelled_rates_and_a_missing_origin_write_n_a():
    index = pd.MultiIndex.from_tuples(
        [("2023–2025", "China"), ("2023–2025", "United States"), ("2016–2025", "China"), ("2016–2025", "United States")]
    )
    rate = pd.Series([0.25, 0.05, 0.125, NAN], index=index)
    setting = Setting("s@1", "all", 2016, 2025, "weights", "2025-12-31")
    facts = narrative.unlabelled_facts(rate, setting)
    assert (facts["recent"], facts["recent_china"], facts["recent_us"], facts["all_china"]) == (2023, 0.25, 0.05, 0.125)
    sentence = narrative.unlabelled_sentence(rate, setting)
    assert states(sentence, "2023–2025", "25%", "5%", "2016–2025", "12%", "n/a")
    assert narrative.compare_from(Setting("s@1", "all", 2024, 2025, "weights", "2025-12-31")) == 2024


def test_releases_as_count_shares_and_a_year_with_none():
    wide = pd.DataFrame(
        {"United States": [0, 1], "China": [0, 4], "Rest of world": [0, 5]}, index=pd.Index([2023, 2025], name="year")
    )
    facts = narrative.releases_facts(wide, SETTING, "exclusive")
    assert (facts["n_end"], facts["end_china"], facts["end_us_share"], facts["earlier"]) == (10, 4, 0.1, 2023)
    assert pd.isna(facts["earlier_china_share"])
    paragraph, texts = narrative.releases_text(wide, SETTING, "exclusive")
    assert states(paragraph, "10", "2025", "4", "1", "40%", "10%", "n/a", "n/a", "2023")
    assert states(texts["alt_text"], "2025", "4", "1")
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
    assert states(paragraph, "2025", "3", "2", "2", "1")
    assert states(texts["alt_text"], "2025", "3", "2")
    assert states(texts["title"], "3", "2", "2025")  # the finding


def test_population_titles():
    assert narrative.population_title("all") == "All models (union)"
    assert narrative.population_title("large_scale") == "Large-scale models"
    assert narrative.population_title("notable") == "Notable models"


def test_the_bounds_figure_states_each_origins_range_in_the_last_year():
    texts = narrative.bounds_figure(share_table(), SETTING, NOTABLE, ["United States", "China"], "any")
    assert texts["title"].startswith("Unlabelled models cannot close the gap")  # China's floor above the US ceiling
    assert states(texts["title"], "2025", "67%", "83%", "20%", "40%")
    assert states(texts["caption"], "3", "all", "epoch-ai-models@2026-03-30", "any")
    assert states(texts["alt_text"], "Two line charts", "2025", "67%", "83%", "20%", "40%")
    overlapping = share_table().assign(share_if_unlabelled_open=1.0)
    title = narrative.bounds_figure(overlapping, SETTING, NOTABLE, ["China"], "any")["title"]
    assert title.startswith("Counting unlabelled models as closed or open")
