"""Notebook 06's sentences: same-months back-filling, 'n/a' for 0 of 0, and what the variants do not cover."""

from __future__ import annotations

import pandas as pd
import pytest
from stated import states

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
    assert states(line, "January–September 2024", "**30.0%**", "old@2024-11-05", "2024-11-05", "**40.0%**",
                  "new@2026-03-30", "+10.0 percentage points", "10", "0", "0", "1", "0", "0", "0", "2024", "n/a (0 of 0)",
                  "30%")  # fmt: skip


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
    assert notes.survives_facts(verdicts) == {"robust": [2025], "rest": [], "flips": [2024], "last": 2025}
    first, second = line.split("\n\n")
    assert states(first, "2025", "2024") and states(second, "2025") and "partial" not in second


def test_survives_facts_sort_the_years_three_ways():
    verdicts = pd.DataFrame({"year": [2023, 2024, 2025], "direction_holds": [True, False, True],
                             "china_higher_excluding_zero": [11, 2, 5], "variants": [11, 11, 11]})  # fmt: skip
    assert notes.survives_facts(verdicts) == {"robust": [2023], "rest": [2025], "flips": [2024], "last": 2025}
    line = notes.survives(verdicts, "2025-06-30")
    assert states(line, "2023", "2025", "2024", "2025 (partial: data end 2025-06-30)")


def test_per_year_writes_one_bullet_a_year_naming_the_flipping_variants():
    verdicts = pd.DataFrame({"year": [2024, 2025], "china_higher": [11, 9], "variants": [11, 11],
                             "direction_holds": [True, False], "china_higher_excluding_zero": [11, 4],
                             "us_higher": [0, 2], "flips": [[], ["a", "b"]], "us_higher_excluding_zero": [0, 1],
                             "smallest_difference": [0.1, -0.05], "largest_difference": [0.4, 0.2]})  # fmt: skip
    first, second = notes.per_year(verdicts, {"a": "A", "b": "B"}, "2025-12-31").split("\n")
    assert first.startswith("- ") and second.startswith("- ")  # one Markdown bullet a year
    assert states(first, "**2024**", "11", "11", "11", "+10 percentage points", "+40 percentage points")
    assert "(A" not in first
    assert states(
        second, "**2025**", "9", "11", "4", "2", "(A, B)", "1", "-5 percentage points", "+20 percentage points"
    )
