"""Metrics on small synthetic tables with hand-computed expected values."""

import numpy as np
import pandas as pd
import pytest

from opentrends.analysis import metrics
from opentrends.catalog import organizations


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
    assert table["ci_low"].iloc[0] == pytest.approx(float(low)) and table["ci_high"].iloc[0] == pytest.approx(
        float(high)
    )


def test_open_share_by_group_includes_every_level():
    table = metrics.open_share(SAMPLE, [2020], ["origin"], {"origin": ["United States", "China", "Rest of world"]})
    got = table.set_index("origin")[["n_known", "n_open"]].to_dict("index")
    assert got == {
        "United States": {"n_known": 2, "n_open": 1},
        "China": {"n_known": 1, "n_open": 1},
        "Rest of world": {"n_known": 0, "n_open": 0},
    }


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


def org_rows(*records):
    """(year, organization cell, per-organization countries, is_open) -> rows as the Epoch loader gives them."""
    frame = pd.DataFrame(records, columns=["year", "organization", "organization_countries", "is_open"])
    frame["countries"] = frame["organization_countries"].map(lambda c: tuple(sorted(set(c))))
    frame["is_open"] = frame["is_open"].astype("boolean")
    frame["year"] = frame["year"].astype("Int64")
    frame["date"] = pd.to_datetime(frame["year"].astype(str) + "-05-01")
    return metrics.add_period(frame, "year")


US, CN, UK = "United States of America", "China", "United Kingdom of Great Britain and Northern Ireland"
ORGS = org_rows(
    (2024, "Google DeepMind", (UK,), True),
    (2024, "Google Research", (US,), True),
    (2024, "Google", (US,), False),
    (2024, "Google,Tsinghua University", (US, CN), True),  # a US-China release: each organization once, at home
    (2024, "Tsinghua University", (CN,), True),
    (2024, "Acme AI Co., Ltd.", (CN,), True),  # a comma inside one name
    (2024, "Lab X,Lab Y", (US, CN, UK), True),  # lists of different lengths: not aligned
    (2025, "Lab X", (CN, US), False),
    (2025, "Lab Z,Lab W", (CN,), False),  # not aligned, but the row has one country
)
ALIASES = {"Google DeepMind": "Google", "Google Research": "Google"}


def test_organization_table_applies_aliases_and_gives_each_organization_one_home():
    from opentrends.catalog.loaders.epoch import split_organizations

    table = organizations.organization_table(ORGS, ALIASES, split_organizations)
    homes = table.drop_duplicates("organization").set_index("organization")["region"].to_dict()
    # Google is listed aligned 3 times with the US and once with the UK (as Google DeepMind): home US.
    assert homes == {
        "Google": "United States",
        "Tsinghua University": "China",
        "Acme AI Co., Ltd.": "China",
        "Lab X": "Unknown",
        "Lab Y": "Unknown",
        "Lab Z": "China",
        "Lab W": "China",
    }
    assert len(table) == 12


def test_open_organizations_counts_each_organization_once_per_year_in_its_own_region():
    from opentrends.catalog.loaders.epoch import split_organizations

    table = organizations.organization_table(ORGS, ALIASES, split_organizations)
    counts = metrics.open_organizations(table, [2024, 2025], {"region": ["United States", "China", "Unknown"]})
    got = {(r.region, r.period): r.n_orgs for r in counts.itertuples()}
    # 2024: Google (three aliases, one US-China release) once in the US; Tsinghua and Acme in China.
    assert got == {
        ("United States", 2024): 1,
        ("United States", 2025): 0,
        ("China", 2024): 2,
        ("China", 2025): 0,
        ("Unknown", 2024): 2,
        ("Unknown", 2025): 0,
    }


def test_bounds_put_every_unlabelled_model_on_each_side():
    table = metrics.with_bounds(metrics.open_share(SAMPLE, [2020, 2021, 2022]))
    # 2020: 2 open of 3 labelled, 1 unlabelled of 4 -> 2/4 if closed, 3/4 if open
    assert table["share_if_unlabelled_closed"].iloc[0] == pytest.approx(0.5)
    assert table["share_if_unlabelled_open"].iloc[0] == pytest.approx(0.75)
    assert np.isnan(table["share_if_unlabelled_closed"].iloc[1])
    assert table["share_if_unlabelled_open"].iloc[2] == 0.0


def test_yearly_shares_has_one_year_column_bounds_and_the_partial_flag():
    table = metrics.yearly_shares(SAMPLE, 2020, 2022, coverage_end="2022-06-30")
    assert list(table.columns) == ["year", *metrics.SHARE_COLUMNS, *metrics.BOUND_COLUMNS, "partial_year"]
    assert table["partial_year"].tolist() == [False, False, True]
    assert set(metrics.share_column_descriptions()) == set(table.columns)


def test_unlabelled_rate_by_origin():
    rates = metrics.unlabelled_rate(SAMPLE).set_index("origin")
    assert rates.loc["Unknown", "unlabelled_rate"] == 1.0
    assert rates.loc["United States", "n_unlabelled"] == 0 and rates.loc["United States", "n_total"] == 2


def test_newcombe_hybrid_interval_matches_the_published_example():
    # Newcombe (1998) Table II, example (a): 56/70 vs 48/80 -> difference 0.2000, method 10: 0.0524 to 0.3339
    d, low, high = metrics.newcombe_difference(56, 70, 48, 80)
    assert float(d) == pytest.approx(0.2)
    assert float(low) == pytest.approx(0.0524, abs=5e-4) and float(high) == pytest.approx(0.3339, abs=5e-4)
    d, low, high = metrics.newcombe_difference(1, 0, 1, 10)
    assert np.isnan(d) and np.isnan(low)


def test_change_sign_agreement():
    shares = pd.DataFrame({"a": [0.2, 0.3, 0.25, 0.4], "b": [0.5, 0.6, 0.7, 0.8]}, index=[2020, 2021, 2022, 2023])
    agreement = metrics.change_sign_agreement(shares)
    assert agreement["agree"].tolist() == [True, False, True]


def test_quarters():
    frame = SAMPLE.assign(date=pd.to_datetime(["2020-01-15", "2020-04-01", "2020-12-31", "2020-06-30", "2022-02-02"]))
    assert metrics.add_period(frame, "quarter")["period"].tolist() == ["2020Q1", "2020Q2", "2020Q4", "2020Q2", "2022Q1"]
    assert metrics.all_periods(2020, 2020, "quarter") == ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]


def test_partial_years():
    table = pd.DataFrame({"period": [2024, 2025, 2026, 2027]})
    assert metrics.mark_partial_years(table, "2026-07-15")["partial_year"].tolist() == [False, False, True, True]
    assert metrics.mark_partial_years(table, "2025-12-31")["partial_year"].tolist() == [False, False, True, True]


def test_agreement_keeps_years_where_every_catalogue_has_enough_labels():
    table = pd.DataFrame(
        {
            "source": ["a", "a", "b", "b"],
            "year": [2020, 2021, 2020, 2021],
            "n_known": [20, 20, 15, 3],
            "open_share": [0.5, 0.6, 0.3, 0.9],
        }
    )
    result = metrics.agreement(table, "source", min_known=10)
    assert result.index.tolist() == [2020]  # 2021 dropped: catalogue b has 3 labelled models
    assert result.loc[2020, "a"] == 0.5 and result.loc[2020, "b"] == 0.3
    assert result.loc[2020, "spread"] == pytest.approx(0.2)


def test_same_months_shares_keep_each_year_to_the_day_the_data_end():
    frame = SAMPLE.copy()
    frame["date"] = pd.to_datetime(["2020-03-01", "2020-08-01", "2020-07-07", "2020-01-01", "2022-07-08"])
    table = metrics.same_months_shares(frame, 2020, 2022, coverage_end="2022-07-07")
    # 2020 to 7 July: the API model (closed), the unlabelled one and the unrestricted one (open); not the August one.
    assert table["n_total"].tolist() == [3, 0, 0]
    assert table["n_known"].tolist() == [2, 0, 0]
    assert table["open_share"].iloc[0] == 0.5
    assert table["partial_year"].tolist() == [False, False, True]
    assert set(table["through"]) == {"07-07"}
