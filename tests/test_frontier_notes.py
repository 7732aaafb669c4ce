"""Notebook 03's sentences: the numbers their filled templates state, from hand-made inputs."""

from __future__ import annotations

import pandas as pd
from stated import states

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
    assert states(line, "2026-03-30", "2023–2025", "5", notes.record_years_label([2023, 2025], 2023, 2025), "1", "4",
                  "not reached", "27.8 months", "16.3 months", "2018", "12",
                  notes.record_years_label([2019, 2023, 2025], 2018, 2025), "8", "4", "**23.1 months**", "16.3 months",
                  "30.1 months")  # fmt: skip


def test_eci_sentences_state_epochs_interval_and_both_definitions():
    text = notes.eci_definitions()
    assert "7 ECI points (90% CI 0–14)" in text and "3.5 months (90% CI 1.1–5.3)" in text
    assert "not significantly different" in text
    both = notes.compute_vs_capability(23.44, 5.81)
    assert states(both, "23.4 months", "5.8 months")


LAGS = pd.DataFrame(
    [
        dict(
            dataset=d,
            method=m,
            lag_months=lag,
            ci_low=6.4,
            ci_high=22.0,
            n_frontier_models=1234,
            last_date=pd.Timestamp("2026-03-01"),
            slope_open=0.5,
            slope_closed=0.7,
        )  # fmt: skip
        for d, m, lag in [
            ("r", "separate slopes", 15.3712),
            ("r", "same slope", 15.6),
            ("s", "separate slopes", 20.0),
            ("s", "same slope", 18.0),
        ]  # fmt: skip
    ]
)


def test_replication_and_current_lag_state_their_numbers():
    said = notes.replication(LAGS, "r", True)
    assert states(said, "r", "**15.37 months**", "6.40 months–22.00 months", "15.37 months", "6.45 months–21.90 months",
                  "0.001 months", "15.60 months", "15.61 months", "1,234")  # fmt: skip
    assert notes.replication(LAGS, "r", False) != said  # the variant says it is not the replication
    said = notes.current_lag(LAGS, "s")
    assert states(said, "s", "March 2026", "**20.0 months**", "**18.0 months**", "1,234", "5.0×", "3.2×")


def test_frontier_changes_and_ends_name_models_and_compute():
    changes = pd.DataFrame({"change": ["entered", "left"], "model": ["A", "B"], "access_class": ["open", "closed"]})
    said = notes.frontier_changes(changes, {"r": ("GPT-3", 3.14e23), "s": ("GPT-4", 2.1e25)}, {"r": ["a"]}, "s", "r")
    assert states(said, "1", "1", "A (open)", "B (closed)", "GPT-3 (3.1e+23 FLOP)", "r", "GPT-4 (2.1e+25 FLOP)", "s",
                  "1", "0", "s (none)")  # fmt: skip
    frontier = pd.DataFrame({"access_class": ["closed", "open"], "model": ["c", "o"],
                             "date": pd.to_datetime(["2024-05-06", "2025-07-08"]), "training_compute": [3.33e25, 4.4e24]})  # fmt: skip
    ends = notes.frontier_ends({"r": frontier, "s": frontier})
    assert states(ends, "r", "c (May 2024, 3.3e+25 FLOP)", "o (Jul 2025, 4.4e+24 FLOP)", "s", "c (May 2024", "o (Jul")


def test_frontier_specs_sentences_state_their_numbers():
    from opentrends.publish import frontier_specs as specs

    versions = specs.versions_note({"a@1": {"of which one score on every version": 12,
                                            "models with several scored versions": 1500}})  # fmt: skip
    assert states(versions, "a@1", "12", "1,500")
    n = {"closed models without training compute": 1234, "open models without training compute": 5,
         "fine-tunes (a base model is named)": 77}  # fmt: skip
    loo = pd.DataFrame(
        {"lag_months": [10.0, 20.5, 15.0], "model": ["x", "y", "z"], "access_class": ["open", "closed", "open"]}
    )
    current = pd.DataFrame({"lag_months": [15.2, 14.1]}, index=["separate slopes", "same slope"])
    bullets = specs.sensitivities(n, loo, current, "s@1", 9, 31).split("\n")
    assert len(bullets) == 5 and all(b.startswith("- ") for b in bullets)
    assert states(bullets[0], "s@1", "1,234", "5", "9")
    assert states(bullets[1], "77")
    assert states(bullets[2], "31", "10.0 months", "20.5 months", "y (closed)")
    assert states(bullets[3], "1.1 months", "s@1")
