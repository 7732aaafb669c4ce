"""Record-setter lag with censoring: closed records no open model has matched count as censored, not dropped."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from opentrends.analysis import records


@pytest.fixture
def tiny():
    """Four closed compute records (A < B < C < D) and two open models: x matches A, y matches B."""
    rows = [
        ("A", "2020-01-01", "closed", 10.0),
        ("B", "2021-01-01", "closed", 100.0),
        ("C", "2022-01-01", "closed", 1000.0),
        ("D", "2023-07-01", "closed", 10000.0),
        ("x", "2020-07-01", "open", 20.0),
        ("y", "2022-01-01", "open", 150.0),
    ]
    return pd.DataFrame(rows, columns=["model", "date", "access_class", "training_compute"]).assign(
        date=lambda t: pd.to_datetime(t["date"])
    )


def test_unmatched_closed_records_are_censored_at_the_snapshot_date(tiny):
    lags = records.closed_record_lags(tiny, "2024-01-01")
    assert list(lags["closed_model"]) == ["A", "B", "C", "D"]
    assert list(lags["open_model"]) == ["x", "y", "", ""]
    assert list(lags["matched"]) == [True, True, False, False]
    # A: 182 days, B: 365 days, C: 730 days to the snapshot, D: 184 days; months of 365/12 days
    assert lags["months"].round(4).tolist() == [round(182 / 365 * 12, 4), 12.0, 24.0, round(184 / 365 * 12, 4)]


def test_kaplan_meier_median_matches_a_hand_computation(tiny):
    lags = records.closed_record_lags(tiny, "2024-01-01")
    km = records.km_median(lags, 2020, 2023)
    # by hand: A matched at 5.98 months, S = 3/4; D censored at 6.05; at 12 months B and C are at risk and B is
    # matched, S = 3/4 * 1/2 = 3/8 < 1/2, so the median is 12.0 months; dropping the censored records would
    # give (5.98 + 12) / 2 = 8.99
    assert km["median_months"] == pytest.approx(12.0)
    assert (km["records"], km["matched"], km["censored"]) == (4, 2, 2)
    assert km["years_with_records"] == [2020, 2021, 2022, 2023]


def test_median_not_reached_when_most_records_are_censored(tiny):
    lags = records.closed_record_lags(tiny, "2024-01-01")
    km = records.km_median(lags, 2022, 2023)  # C and D unmatched: no event, the median is not reached
    assert math.isnan(km["median_months"]) and (km["matched"], km["censored"]) == (0, 2)
    assert km["longest_follow_up"] == pytest.approx(24.0)
