"""Notebook 03's sentences: the numbers their filled templates state, from hand-made inputs."""

from __future__ import annotations

import pandas as pd

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
    for number in ("**15.37 months** behind", "(90% CI 6.40 months–22.00 months)", "published 15.37 months",
                   "differ by 0.001 months", "gives 15.60 months", "These are the report's own settings",
                   "Both fits use 1,234 frontier models."):  # fmt: skip
        assert number in said
    assert "so this row is a variant, not the replication. Both fits" in notes.replication(LAGS, "r", False)
    said = notes.current_lag(LAGS, "s")
    assert said.startswith(
        "**The same method on s** (frontiers through March 2026): the open frontier trails by **20.0"
    )
    assert "growing 5.0× a year against 3.2× for open, so its lag widens" in said


def test_frontier_changes_and_ends_name_models_and_compute():
    changes = pd.DataFrame({"change": ["entered", "left"], "model": ["A", "B"], "access_class": ["open", "closed"]})
    said = notes.frontier_changes(changes, {"r": ("GPT-3", 3.14e23), "s": ("GPT-4", 2.1e25)}, {"r": ["a"]}, "s", "r")
    assert "1 models entered the frontiers and 1 left them. Entered: A (open). Left: B (closed)." in said
    assert "is GPT-3 (3.1e+23 FLOP) in r and GPT-4 (2.1e+25 FLOP) in s." in said
    assert "compute of 1 models kept in its own data and fill 0 blanks in s (none)" in said
    frontier = pd.DataFrame({"access_class": ["closed", "open"], "model": ["c", "o"],
                             "date": pd.to_datetime(["2024-05-06", "2025-07-08"]), "training_compute": [3.33e25, 4.4e24]})  # fmt: skip
    ends = notes.frontier_ends({"r": frontier, "s": frontier})
    assert ends.count("the closed frontier ends with c (May 2024, 3.3e+25 FLOP) and the open one with o (Jul 2025") == 2


def test_frontier_specs_sentences_state_their_numbers():
    from opentrends.publish import frontier_specs as specs

    versions = specs.versions_note({"a@1": {"of which one score on every version": 12,
                                            "models with several scored versions": 1500}})  # fmt: skip
    assert versions.startswith("**Version dating.** In a@1, 12 of the 1,500 models with several scored versions carry")
    n = {"closed models without training compute": 1234, "open models without training compute": 5,
         "fine-tunes (a base model is named)": 77}  # fmt: skip
    loo = pd.DataFrame(
        {"lag_months": [10.0, 20.5, 15.0], "model": ["x", "y", "z"], "access_class": ["open", "closed", "open"]}
    )
    current = pd.DataFrame({"lag_months": [15.2, 14.1]}, index=["separate slopes", "same slope"])
    bullets = specs.sensitivities(n, loo, current, "s@1", 9, 31).split("\n")
    assert len(bullets) == 5 and all(b.startswith("- ") for b in bullets)
    assert "In s@1, 1,234 closed models (and 5 open ones)" in bullets[0] and "compute of 9 models" in bullets[0]
    assert "(77 models with a named base model)" in bullets[1]
    assert (
        "(31 here)" in bullets[2]
        and "between 10.0 months and 20.5 months" in bullets[2]
        and "out y (closed)" in bullets[2]
    )
    assert "differ by 1.1 months on s@1" in bullets[3]
