"""Metrics on small synthetic tables with hand-computed expected values."""

import numpy as np
import pandas as pd
import pytest

from opentrends import metrics


def test_wilson_interval_known_values():
    # Reference values: Wilson (1927) score interval, z = 1.96, e.g. Newcombe (1998) Table I.
    low, high = metrics.wilson_interval([5, 0, 1, 10], [10, 10, 10, 10])
    assert low == pytest.approx([0.236593, 0.0, 0.017876, 0.722467], abs=1e-5)
    assert high == pytest.approx([0.763407, 0.277533, 0.404150, 1.0], abs=1e-5)


def test_wilson_interval_by_hand_for_12_of_44():
    z, k, n = 1.959963984540054, 12, 44
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = metrics.wilson_interval(k, n)
    assert float(low) == pytest.approx(centre - half) and float(high) == pytest.approx(centre + half)
    assert float(low) == pytest.approx(0.163464, abs=1e-6)


def test_wilson_interval_with_no_trials_is_nan():
    low, high = metrics.wilson_interval([0], [0])
    assert np.isnan(low[0]) and np.isnan(high[0])


def rows(*records):
    frame = pd.DataFrame(records, columns=["year", "access", "is_open", "organization", "origin", "origins_any"])
    frame["is_open"] = frame["is_open"].astype("boolean")
    frame["year"] = frame["year"].astype("Int64")
    frame["date"] = pd.to_datetime(frame["year"].astype(str) + "-05-01")
    return metrics.add_period(frame, "year")


SAMPLE = rows(
    (2020, "Open weights (unrestricted)", True, "A,B", "China", ("China",)),
    (2020, "Open weights (non-commercial)", True, "A", "United States", ("United States",)),
    (2020, "API access", False, "C", "United States", ("United States",)),
    (2020, "", None, "D", "Unknown", ("Unknown",)),
    (2022, "Unreleased", False, "E", "Multinational", ("China", "United States")),
)


def test_open_share_counts_unknown_separately_and_fills_empty_years():
    table = metrics.open_share(SAMPLE, [2020, 2021, 2022])
    assert table["period"].tolist() == [2020, 2021, 2022]
    assert table["n_total"].tolist() == [4, 0, 1]
    assert table["n_known"].tolist() == [3, 0, 1]
    assert table["n_open"].tolist() == [2, 0, 0]
    assert table["open_share"].iloc[0] == pytest.approx(2 / 3)
    assert np.isnan(table["open_share"].iloc[1]) and np.isnan(table["ci_low"].iloc[1])
    assert table["open_share"].iloc[2] == 0.0
    low, high = metrics.wilson_interval(2, 3)
    assert table["ci_low"].iloc[0] == pytest.approx(float(low)) and table["ci_high"].iloc[0] == pytest.approx(float(high))


def test_open_share_by_group_includes_every_level():
    table = metrics.open_share(SAMPLE, [2020], ["origin"], {"origin": ["United States", "China", "Rest of world"]})
    got = table.set_index("origin")[["n_known", "n_open"]].to_dict("index")
    assert got == {"United States": {"n_known": 2, "n_open": 1}, "China": {"n_known": 1, "n_open": 1},
                   "Rest of world": {"n_known": 0, "n_open": 0}}


def test_any_rule_counts_a_collaboration_for_every_region():
    exploded = metrics.by_origin(SAMPLE, "any")
    table = metrics.open_share(exploded, [2022], ["origin"], {"origin": ["China", "United States"]})
    assert table["n_known"].tolist() == [1, 1]
    assert len(metrics.by_origin(SAMPLE, "exclusive")) == 5


def test_access_mix_shares_over_known_labels():
    mix = metrics.access_mix(SAMPLE, [2020])
    assert len(mix) == 6
    assert mix.set_index("access")["n"].to_dict()["API access"] == 1
    assert mix["share"].sum() == pytest.approx(1.0)
    assert mix.set_index("access")["share"]["Open weights (unrestricted)"] == pytest.approx(1 / 3)


def test_open_organizations_counts_each_organization_once():
    orgs = metrics.open_organizations(SAMPLE, [2020, 2022])
    assert orgs["n_orgs"].tolist() == [2, 0]  # A and B in 2020; nothing open in 2022
    by_origin = metrics.open_organizations(SAMPLE, [2020], ["origin"], {"origin": ["China", "United States"]})
    assert by_origin["n_orgs"].tolist() == [2, 1]


def test_quarters():
    frame = SAMPLE.assign(date=pd.to_datetime(["2020-01-15", "2020-04-01", "2020-12-31", "2020-06-30", "2022-02-02"]))
    assert metrics.add_period(frame, "quarter")["period"].tolist() == ["2020Q1", "2020Q2", "2020Q4", "2020Q2", "2022Q1"]
    assert metrics.all_periods(2020, 2020, "quarter") == ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]


def test_partial_years():
    table = pd.DataFrame({"period": [2024, 2025, 2026, 2027]})
    assert metrics.mark_partial_years(table, "2026-07-15")["partial_year"].tolist() == [False, False, True, True]
    assert metrics.mark_partial_years(table, "2025-12-31")["partial_year"].tolist() == [False, False, True, True]


def test_agreement_keeps_years_where_every_catalogue_has_enough_labels():
    table = pd.DataFrame({
        "source": ["a", "a", "b", "b"], "year": [2020, 2021, 2020, 2021],
        "n_known": [20, 20, 15, 3], "open_share": [0.5, 0.6, 0.3, 0.9],
    })
    result = metrics.agreement(table, "source", min_known=10)
    assert result.index.tolist() == [2020]  # 2021 dropped: catalogue b has 3 labelled models
    assert result.loc[2020, "a"] == 0.5 and result.loc[2020, "b"] == 0.3
    assert result.loc[2020, "spread"] == pytest.approx(0.2)
