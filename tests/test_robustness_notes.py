"""Notebook 06's sentences: same-months back-filling, 'n/a' for 0 of 0, and what the variants do not cover."""

from __future__ import annotations

import pandas as pd
import pytest

from opentrends.publish import robustness_notes as notes


def rows(dates):
    return pd.DataFrame({"date": pd.to_datetime(dates)})


def test_backfill_compares_a_partial_year_only_over_the_same_months():
    old = rows(["2024-01-10", "2024-09-30"])
    new = rows(["2024-02-01", "2024-09-30", "2024-10-01", "2024-12-20"])
    cut, months = notes.backfill_rows(old, new, 2024)
    assert cut["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-01", "2024-09-30"]
    assert months == "January–September 2024 (the months both cover)"
    whole, months = notes.backfill_rows(old, new, 2023)  # the older export covers 2023 in full
    assert len(whole) == 4 and months == "all of 2023"


def test_backfill_sentence_says_n_a_for_zero_of_zero():
    shares = pd.DataFrame(
        {
            "snapshot": ["old@2024-11-05", "new@2026-03-30"],
            "n_open": [3, 4],
            "n_known": [10, 10],
            "open_share": [0.3, 0.4],
        }  # fmt: skip
    )
    moved = {"in both": 10, "labelled only in the newer": 0, "labelled only in the newer, open": 0,
             "relabelled open/closed": 1, "added in the newer": 0, "added in the newer, open": 0,
             "not in the newer that year": 0}  # fmt: skip
    facts = notes.backfill_facts(shares, moved, 2024)
    assert (facts["later"], facts["later_share"], facts["relabelled"]) == (0, None, 1)
    assert facts["change"] == pytest.approx(0.1)
    line = notes.backfill(shares, moved, 2024, "January–September 2024 (the months both cover)", "2024-11-05")
    assert "a change of +10.0 percentage points over the same months" in line
    assert "Of the labels filled in later, n/a (0 of 0) are open" in line


def test_survives_names_what_the_variants_do_not_cover():
    verdicts = pd.DataFrame(
        {
            "year": [2024, 2025],
            "direction_holds": [False, True],
            "china_higher_excluding_zero": [2, 11],
            "variants": [11, 11],
        }  # fmt: skip
    )
    line = notes.survives(verdicts, "2026-02-19")
    assert "In 2025, China's open share is higher than the US's under every variant" in line
    assert "In 2024, the order depends on the definition" in line
    assert "none of them covers back-filling" in line and "not a random sample" in line


def test_survives_facts_sort_the_years_three_ways():
    verdicts = pd.DataFrame({"year": [2023, 2024, 2025], "direction_holds": [True, False, True],
                             "china_higher_excluding_zero": [11, 2, 5], "variants": [11, 11, 11]})  # fmt: skip
    assert notes.survives_facts(verdicts) == {"robust": [2023], "rest": [2025], "flips": [2024], "last": 2025}
    line = notes.survives(verdicts, "2025-06-30")
    assert "In 2025, the direction holds under every variant but some intervals include zero." in line
    assert "covers back-filling: 2025 (partial: data end 2025-06-30) was downloaded" in line


def test_per_year_writes_one_bullet_a_year_naming_the_flipping_variants():
    verdicts = pd.DataFrame({"year": [2024, 2025], "china_higher": [11, 9], "variants": [11, 11],
                             "direction_holds": [True, False], "china_higher_excluding_zero": [11, 4],
                             "us_higher": [0, 2], "flips": [[], ["a", "b"]], "us_higher_excluding_zero": [0, 1],
                             "smallest_difference": [0.1, -0.05], "largest_difference": [0.4, 0.2]})  # fmt: skip
    first, second = notes.per_year(verdicts, {"a": "A", "b": "B"}, "2025-12-31").split("\n")
    assert first.startswith("- **2024**: China's open share is above the US's under 11 of 11 variants (every one),")
    assert first.endswith("The difference ranges from +10 percentage points to +40 percentage points.")
    assert "under 9 of 11 variants, with a 95% interval above zero under 4; the US is above under 2 (A, B)" in second
