"""Notebook 03's sentences: built from the numbers they state (hand-made inputs, expected text written out)."""

from __future__ import annotations

from opentrends.publish import frontier_notes as notes


def test_record_years_label_says_which_years_have_records():
    assert notes.record_years_label([2023, 2025], 2023, 2025) == "2023 and 2025 (none in 2024)"
    assert notes.record_years_label([2019, 2020], 2019, 2020) == "2019 and 2020"
    assert notes.record_years_label([], 2024, 2025) == "no year (none in 2024, 2025)"


def test_record_lag_sentence_reports_censoring():
    km = {"median_months": float("nan"), "ci_low": 16.3, "ci_high": float("nan"), "records": 5, "matched": 1,
          "censored": 4, "years_with_records": [2023, 2025], "longest_follow_up": 27.8}  # fmt: skip
    km_all = {**km, "median_months": 23.1, "ci_high": 30.1, "records": 12, "matched": 8,
              "years_with_records": [2019, 2023, 2025]}  # fmt: skip
    line = notes.record_lag(km, km_all, 2023, 2025, 2018, "2026-03-30")
    assert "Window 2023–2025: 5 closed records, dated 2023 and 2025 (none in 2024); 1 matched, 4 censored" in line
    assert "**not reached** within the follow-up (up to 27.8 months)" in line
    assert "12 records, dated 2019, 2023 and 2025 (none in 2018, 2020, 2021, 2022, 2024); 8 matched, 4 censored" in line
    assert "**23.1 months** (95% CI 16.3 months to 30.1 months)" in line


def test_eci_sentences_state_epochs_interval_and_both_definitions():
    text = notes.eci_definitions()
    assert "7 ECI points (90% CI 0–14)" in text and "3.5 months (90% CI 1.1–5.3)" in text
    assert "not significantly different" in text
    both = notes.compute_vs_capability(23.44, 5.81)
    assert both.startswith("The compute lag (23.4 months) and the capability lag (5.8 months) can both be true")
