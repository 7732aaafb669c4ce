"""Clustered intervals: on hand-made tables whose rows come in two clusters, the clustered interval is wider."""

import numpy as np
import pandas as pd
import pytest

from opentrends.analysis import clustered, trends
from opentrends.analysis.hub_growth import share_change as newcombe_change


def two_clusters() -> pd.DataFrame:
    """Two organizations of 40 releases each over 2020–2024; within an organization the outcome follows the
    organization's habit (A mostly open late, B mostly closed), so rows of one organization are not independent."""
    dates = pd.date_range("2020-01-01", "2024-12-31", periods=40)
    a = pd.DataFrame({"date": dates, "organization": "A", "open": [int(i >= 12 or i % 5 == 0) for i in range(40)]})
    b = pd.DataFrame({"date": dates, "organization": "B", "open": [int(i % 4 == 0 and i < 30) for i in range(40)]})
    return pd.concat([a, b], ignore_index=True)


def test_organization_clustered_logistic_interval_is_wider_than_the_naive_one():
    slope = trends.logistic_slope(two_clusters(), "open", cluster="organization")
    assert slope.unit == "organization" and slope.n_clusters == 2
    assert slope.ci_high - slope.ci_low > slope.naive_high - slope.naive_low
    naive = trends.logistic_slope(two_clusters(), "open")
    assert naive.unit == "row" and naive.n_clusters is None  # no cluster: the naive interval decides
    assert (naive.ci_low, naive.ci_high) == (slope.naive_low, slope.naive_high)
    assert "clustered by organization (2 clusters); naive" in slope.describe()


def test_cluster_bootstrap_of_a_share_change_is_wider_than_newcombe_and_seeded():
    # base A: every fine-tune Chinese-based; base B: none; A grows from 100 to 300 new ones, B stays at 100
    items = pd.DataFrame(
        {
            "base": ["A", "A", "B", "B"],
            "period": ["first", "last", "first", "last"],
            "china": [1, 1, 0, 0],
            "n": [100, 300, 100, 100],
        }
    )
    table = clustered.by_cluster(items, "base", "china", "period", "n")
    found = clustered.share_change(table, "base", draws=500)
    naive = newcombe_change(100, 200, 300, 400, "first", "last")
    assert found.difference_pp == pytest.approx(25.0) == pytest.approx(naive.difference_pp)
    assert found.ci_high_pp - found.ci_low_pp > naive.ci_high_pp - naive.ci_low_pp
    assert found == clustered.share_change(table, "base", draws=500)  # one seeded Generator: reproducible
    assert clustered.share_change(table.iloc[:1], "base") is None  # one cluster: no interval


def test_slope_direction_follows_the_clustered_interval():
    from opentrends.claims.change import indicator

    s = trends.Slope(0.2, -0.1, 0.5, np.nan, 100, "log-odds per year", "", "", 0.05, 0.35, "organization", 12)
    item = indicator("change", s, trends.UP, "x")
    assert item["holds"] is False and item["naive_direction"] == trends.UP
    assert item["clustering_unit"] == "organization" and item["interval_naive"] == [0.05, 0.35]
