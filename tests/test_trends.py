"""Change tested as change: slopes with 95% intervals on hand-made tables whose answers are worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from opentrends.analysis import trends


def two_years(open_2020: int, open_2021: int, origin: str = "China") -> pd.DataFrame:
    """Ten models on 2020-01-01 and ten on 2021-01-01, with the given numbers open."""
    rows = [("2020-01-01", i < open_2020) for i in range(10)] + [("2021-01-01", i < open_2021) for i in range(10)]
    return pd.DataFrame(rows, columns=["date", "open"]).assign(date=lambda t: pd.to_datetime(t["date"]), origin=origin)


def test_decimal_year():
    assert trends.decimal_year(pd.Series(pd.to_datetime(["2024-01-01", "2024-07-02"]))).round(4).tolist() == [
        2024.0,
        round(2024 + 183 / 365.25, 4),
    ]


def test_logistic_slope_is_the_change_in_log_odds_per_year():
    # 2 of 10 open, then 8 of 10 a year later: logit(0.8) - logit(0.2) = 2 ln 4 = 2.7726 per year
    slope = trends.logistic_slope(two_years(2, 8), "open")
    assert slope.estimate == pytest.approx(2 * math.log(4), abs=1e-4)
    assert slope.direction == trends.UP and slope.n == 20 and (slope.first, slope.last) == ("2020-01-01", "2021-01-01")


def test_logistic_interaction_compares_the_two_groups_slopes():
    # China 2 -> 8 of 10 (slope 2 ln 4); US 5 -> 5 of 10 (slope 0): the interaction is 2 ln 4
    rows = pd.concat([two_years(2, 8, "China"), two_years(5, 5, "United States")])
    slope = trends.logistic_interaction(rows, "open", "origin", "China", "United States")
    assert slope.estimate == pytest.approx(2 * math.log(4), abs=1e-4)
    assert slope.ci_low < slope.estimate < slope.ci_high
    # the same rise in both groups: no interaction, the interval includes zero
    same = pd.concat([two_years(2, 8, "China"), two_years(2, 8, "United States")])
    flat = trends.logistic_interaction(same, "open", "origin", "China", "United States")
    assert flat.estimate == pytest.approx(0.0, abs=1e-6) and flat.direction == trends.FLAT


def test_linear_interaction_in_points_per_year():
    # US scores 10 at both dates; Chinese scores 10 then 16: 6 points per year faster, exactly
    rows = pd.concat(
        [
            two_years(0, 0, "United States").assign(eci=10.0),
            two_years(0, 0, "China").assign(eci=[10.0] * 10 + [16.0] * 10),
        ]
    )
    rows["eci"] = rows["eci"] + [(-1) ** i * 0.5 for i in range(len(rows))]  # noise that averages out per cell
    slope = trends.linear_interaction(rows, "eci", "origin", "China", "United States")
    assert slope.estimate == pytest.approx(6.0, abs=1e-9) and slope.scale == "points per year"


def test_too_few_rows_or_no_variation_gives_no_fit():
    assert trends.logistic_slope(two_years(0, 0), "open") is None  # nobody open: nothing to fit
    assert trends.logistic_slope(two_years(2, 8).head(5), "open") is None
