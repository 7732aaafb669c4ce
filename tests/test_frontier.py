"""frontier.py on small synthetic tables whose answers are worked out by hand in the comments."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from opentrends.analysis import capability, frontier, records
from opentrends.core.errors import ParameterError
from opentrends.run import frontier_checks

D = pd.Timestamp


def compute_table(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["model", "date", "access_class", "training_compute"]).assign(
        date=lambda t: pd.to_datetime(t["date"])
    )


# --- frontier selection -----------------------------------------------------------------------------


@pytest.fixture
def mixed_models():
    """Seed A (1e22, before the 2018 cutoff); open and closed models after it: a tie, a same-day pair, a blank."""
    return compute_table(
        [
            ("A", "2017-06-01", "closed", 1e22),  # overall top before the cutoff -> the seed
            ("B", "2017-01-01", "open", 5e21),
            ("C1", "2018-03-01", "closed", 3e22),  # beats the seed -> closed frontier
            ("O1", "2018-06-01", "open", 5e21),  # below the seed -> not frontier
            ("O2", "2019-01-01", "open", 2e22),  # beats the seed -> open frontier
            ("C2", "2019-03-01", "closed", 1e23),  # closed frontier
            ("O3", "2019-06-01", "open", 1.5e22),  # below O2 -> no
            ("C3", "2019-09-01", "closed", np.nan),  # no compute -> cannot be placed
            ("O4", "2020-01-01", "open", 4e22),  # open frontier
            ("C4", "2020-06-01", "closed", 1e23),  # ties C2 -> the earlier model keeps the place
            ("O5", "2020-09-01", "open", 8e22),  # same day as O6, smaller -> no
            ("O6", "2020-09-01", "open", 9e22),  # open frontier
            ("U", "2021-01-01", "unknown", 1e30),  # unknown access never joins a class
        ]
    )


def test_frontier_is_the_running_top_of_each_class_seeded_at_the_cutoff(mixed_models):
    front = frontier.compute_frontier(mixed_models, "2018-01-01")
    assert list(front["model"]) == ["C1", "O2", "C2", "O4", "O6"]
    assert set(front["seed_model"]) == {"A"}


def test_models_without_compute_never_enter_the_frontier(mixed_models):
    huge_blank = pd.concat([mixed_models, compute_table([("C9", "2022-01-01", "closed", np.nan)])])
    assert "C9" not in set(frontier.compute_frontier(huge_blank, "2018-01-01")["model"])


def test_a_seed_from_an_unknown_class_still_sets_the_bar():
    table = compute_table(
        [
            ("U", "2017-01-01", "unknown", 1e23),
            ("O1", "2018-02-01", "open", 5e22),
            ("O2", "2018-03-01", "open", 2e23),
            ("C1", "2018-04-01", "closed", 3e23),
        ]
    )
    assert list(frontier.compute_frontier(table, "2018-01-01")["model"]) == ["O2", "C1"]


def test_cutoff_before_every_model_is_a_parameter_error(mixed_models):
    with pytest.raises(ParameterError, match="frontier_start 2010-01-01"):
        frontier.compute_frontier(mixed_models, "2010-01-01")


def test_class_with_one_frontier_point_names_the_parameter_to_change():
    table = compute_table(
        [
            ("A", "2017-01-01", "closed", 1e22),
            ("O1", "2018-06-01", "open", 2e22),
            ("C1", "2018-03-01", "closed", 3e22),
            ("C2", "2019-03-01", "closed", 1e23),
        ]
    )
    front = frontier.compute_frontier(table, "2018-01-01")
    with pytest.raises(ParameterError) as err:
        frontier.fit_trend(front)
    assert "open compute frontier has 1 model date(s) (O1)" in str(err.value)
    assert "frontier_start" in str(err.value)


# --- trends and lags --------------------------------------------------------------------------------


def lines(closed_slope: float, open_slope: float) -> pd.DataFrame:
    """Closed: 22 then 22 + slope one 365-day year later; open: 21 then 21 + 2 * slope two years later."""
    base = D("2019-01-02")  # 2019-01-02 + 365 days = 2020-01-02 (2019 is not a leap year)
    return compute_table(
        [
            ("c0", base, "closed", 10**22),
            ("c1", base + pd.Timedelta(days=365), "closed", 10 ** (22 + closed_slope)),
            ("o0", base, "open", 10**21),
            ("o1", base + pd.Timedelta(days=730), "open", 10 ** (21 + 2 * open_slope)),
        ]
    )


def test_parallel_lines_one_order_of_magnitude_apart_at_one_per_year_lag_twelve_months():
    trend = frontier.fit_trend(lines(1.0, 1.0), "separate slopes")
    assert trend.slope["open"] == pytest.approx(1.0) and trend.slope["closed"] == pytest.approx(1.0)
    # at the last date the closed line is at 24, the open line at 23; closed took one year to climb 1 OOM
    assert frontier.trend_lag_months(trend, D("2021-01-01")) == pytest.approx(12.0)


def test_separate_slopes_read_the_lag_along_the_closed_line_at_the_last_date():
    # closed 22 -> 23 in one year (slope 1); open 21 -> 22 in two years (slope 0.5). At the last date
    # (two years on) closed is at 24 and open at 22: the closed line was at 22 two years earlier -> 24 months.
    estimate = frontier.lag_estimate(lines(1.0, 0.5), "separate slopes", bootstrap_samples=50, seed=1)
    assert estimate.lag_months == pytest.approx(24.0)
    assert estimate.slope_open == pytest.approx(0.5)


def test_same_slope_pools_the_within_class_slopes():
    # closed x {0, 1}, y {22, 23}: Sxy 0.5, Sxx 0.5; open x {0, 2}, y {21, 22}: Sxy 1, Sxx 2 -> slope 1.5 / 2.5 = 0.6.
    # intercepts (years from the base date): closed 22.5 - 0.6 * 0.5 = 22.2, open 21.5 - 0.6 * 1 = 20.9;
    # lag = (22.2 - 20.9) / 0.6 years = 2.1667 years = 26 months.
    estimate = frontier.lag_estimate(lines(1.0, 0.5), "same slope", bootstrap_samples=50, seed=1)
    assert estimate.slope_closed == pytest.approx(0.6)
    assert estimate.lag_months == pytest.approx(26.0)


def noisy_frontier() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    dates = pd.date_range("2018-02-01", periods=16, freq="90D")
    access = ["closed", "open"] * 8
    log_compute = [22 + 0.6 * i / 4 + (0 if a == "closed" else -0.6) + rng.normal(0, 0.2) for i, a in enumerate(access)]
    return compute_table([(f"m{i}", d, a, 10**y) for i, (d, a, y) in enumerate(zip(dates, access, log_compute))])


def test_bootstrap_is_reproducible_from_its_seed_and_changes_with_it():
    table = noisy_frontier()
    first = frontier.lag_estimate(table, "separate slopes", 300, seed=7)
    again = frontier.lag_estimate(table, "separate slopes", 300, seed=7)
    other = frontier.lag_estimate(table, "separate slopes", 300, seed=8)
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert (first.ci_low, first.ci_high) != (other.ci_low, other.ci_high)
    assert first.ci_low < first.lag_months < first.ci_high
    assert first.lag_months == other.lag_months  # the point estimate does not depend on the seed


def test_exact_parallel_lines_give_a_zero_width_interval_and_count_unfittable_resamples():
    # Every resample with two distinct dates per class refits the same two lines: lag 12 months exactly.
    estimate = frontier.lag_estimate(lines(1.0, 1.0), "separate slopes", bootstrap_samples=200, seed=3)
    assert estimate.ci_low == pytest.approx(12.0) and estimate.ci_high == pytest.approx(12.0)
    # with 4 rows, a resample misses a class's second date often: P(fittable) = P(both classes 2 distinct)
    assert 0 < estimate.bootstrap_skipped < 200


def test_bootstrap_samples_below_one_is_a_parameter_error():
    with pytest.raises(ParameterError, match="bootstrap_samples"):
        frontier.lag_estimate(lines(1.0, 1.0), bootstrap_samples=0)


def test_leave_one_out_reports_unfittable_drops_as_missing():
    loo = frontier.leave_one_out(lines(1.0, 1.0))
    assert loo["lag_months"].isna().all()  # dropping any of four points leaves one class with a single point


# --- record-setter lags -----------------------------------------------------------------------------


@pytest.fixture
def records_table():
    return compute_table(
        [
            ("K1", "2019-01-01", "closed", 1e23),
            ("K2", "2020-01-01", "closed", 1e24),
            ("P1", "2018-07-01", "open", 5e22),  # record; K1 reached it 184 days later -> open first
            ("P2", "2021-01-01", "open", 2e23),  # record; K2 (2020-01-01) got there 366 days earlier
            ("P3", "2021-06-01", "open", 1e23),  # not a record
            ("P4", "2022-01-01", "open", 5e24),  # record; no closed model that large -> not yet matched
            ("P4b", "2022-01-01", "open", 3e24),  # same day, smaller -> not a record
            ("P5", "2023-01-01", "open", np.nan),  # no compute -> ignored
        ]
    )


def test_record_setter_lags_are_signed_and_right_censored(records_table):
    lags = records.record_setter_lags(records_table)
    assert list(lags["open_model"]) == ["P1", "P2", "P4"]
    assert lags.loc[0, "closed_model"] == "K1" and lags.loc[0, "lag_months"] == pytest.approx(-184 / 365 * 12)
    assert lags.loc[0, "status"] == "open first"
    assert lags.loc[1, "closed_model"] == "K2" and lags.loc[1, "lag_months"] == pytest.approx(366 / 365 * 12)
    assert lags.loc[2, "status"] == frontier.NOT_YET_MATCHED
    assert lags.loc[2, "closed_model"] == "" and math.isnan(lags.loc[2, "lag_months"])
    assert pd.isna(lags.loc[2, "closed_date"])


def test_median_lag_counts_censored_records_without_averaging_them(records_table):
    median, matched, pending = records.median_lag(records.record_setter_lags(records_table), 2018, 2022)
    assert median == pytest.approx((-184 / 365 * 12 + 366 / 365 * 12) / 2)
    assert (matched, pending) == (2, 1)


def test_median_lag_of_an_empty_window_is_missing(records_table):
    median, matched, pending = records.median_lag(records.record_setter_lags(records_table), 2030, 2031)
    assert math.isnan(median) and (matched, pending) == (0, 0)


# --- ECI gap ----------------------------------------------------------------------------------------


@pytest.fixture
def eci_versions():
    return pd.DataFrame(
        [
            ("M1", "m1-low", "2024-01-01", "open", 100.0),
            ("M1", "m1-high", "2024-03-01", "open", 110.0),  # the model keeps 110, dated 2024-03-01
            ("M1", "m1-again", "2024-05-01", "open", 110.0),  # the same score later: the first version dates it
            ("M1", "m1-unscored", "2024-06-01", "open", np.nan),
            ("C1", "c1", "2023-06-01", "closed", 112.0),
            ("C2", "c2", "2024-06-01", "closed", 120.0),
            ("M2", "m2", "2024-09-01", "open", 121.0),
        ],
        columns=["model", "version", "date", "access_class", "eci"],
    ).assign(date=lambda t: pd.to_datetime(t["date"]))


def test_versions_collapse_to_the_max_score_dated_by_its_first_version(eci_versions):
    models = capability.collapse_versions(eci_versions).set_index("model")
    assert models.loc["M1", "eci"] == 110.0 and models.loc["M1", "date"] == D("2024-03-01")
    assert len(models) == 4


def test_eci_gap_and_lag_by_hand(eci_versions):
    gaps = capability.eci_gap(capability.collapse_versions(eci_versions)).set_index("date")
    # 2024-03-01: open 110 vs closed 112 -> 2 points; closed first reached >= 110 on 2023-06-01: 274 days
    assert gaps.loc[D("2024-03-01"), "eci_gap"] == pytest.approx(2.0)
    assert gaps.loc[D("2024-03-01"), "lag_months"] == pytest.approx(274 / 365 * 12)
    # 2024-06-01: closed 120 -> 10 points; lag still measured from 2023-06-01: 366 days (2024 is a leap year)
    assert gaps.loc[D("2024-06-01"), "eci_gap"] == pytest.approx(10.0)
    assert gaps.loc[D("2024-06-01"), "lag_months"] == pytest.approx(366 / 365 * 12)
    # 2024-09-01: open 121 leads closed 120 -> negative gap, no lag
    assert gaps.loc[D("2024-09-01"), "eci_gap"] == pytest.approx(-1.0)
    assert gaps.loc[D("2024-09-01"), "lag_months"] == 0.0
    assert D("2023-06-01") not in gaps.index  # no open model yet: no gap


def test_score_path_dates_each_version_by_its_own_release():
    # R: version r1 (2025-01-20, 139.7) then r1-0528 (2025-05-28, 141.6); a weaker later version adds nothing.
    versions = pd.DataFrame(
        [
            ("R", "r1", "2025-01-20", "open", 139.7),
            ("R", "r1-0528", "2025-05-28", "open", 141.6),
            ("R", "r1-lite", "2025-07-01", "open", 130.0),
            ("U", "u", "2024-12-01", "open", 135.0),
            ("C", "c", "2024-09-01", "closed", 140.0),
        ],
        columns=["model", "version", "date", "access_class", "eci"],
    ).assign(date=lambda t: pd.to_datetime(t["date"]))
    path = capability.score_path(versions)
    assert list(path["version"]) == ["c", "u", "r1", "r1-0528"]
    assert len(capability.collapse_versions(versions)) == 3  # counting: one row per model
    best = capability.running_best(path, groups=("open",)).set_index("date")
    assert best.loc[D("2025-01-20"), "best_eci"] == 139.7  # the January jump counts from January
    assert best.loc[D("2025-05-28"), "best_eci"] == 141.6
    gaps = capability.eci_gap(path).set_index("date")
    # 2025-01-20: closed 140 vs open 139.7 -> 0.3 points; closed reached 139.7 on 2024-09-01: 141 days
    assert gaps.loc[D("2025-01-20"), "eci_gap"] == pytest.approx(0.3)
    assert gaps.loc[D("2025-01-20"), "lag_months"] == pytest.approx(141 / 365 * 12)
    assert gaps.loc[D("2025-05-28"), "lag_months"] == 0.0  # open leads
    open_path = path[path["access_class"] == "open"].assign(origin=["US", "CN", "CN"])
    by_origin = capability.running_best(open_path, "origin", ["US", "CN"])
    assert capability.leader_since(by_origin, "origin") == ("CN", "R", D("2025-01-20"))
    # the collapsed table would date R's lead from May 2025
    collapsed = capability.collapse_versions(versions).assign(origin=["US", "US", "CN"])
    wrong = capability.running_best(collapsed[collapsed.access_class == "open"], "origin", ["US", "CN"])
    assert capability.leader_since(wrong, "origin")[2] == D("2025-05-28")


def test_version_scores_counts_models_whose_versions_share_one_score(eci_versions):
    assert capability.version_scores(eci_versions) == {
        "models with several scored versions": 1,
        "of which one score on every version": 0,
    }


def test_running_best_ties_keep_the_earlier_model():
    models = pd.DataFrame(
        [("a", "2024-01-01", "open", 100.0), ("b", "2024-02-01", "open", 100.0)],
        columns=["model", "date", "access_class", "eci"],
    )
    models["date"] = pd.to_datetime(models["date"])
    best = capability.running_best(models, groups=("open",))
    assert list(best["model"]) == ["a", "a"]


def test_window_mean_holds_each_value_until_the_next_date():
    gaps = pd.DataFrame(
        {"date": pd.to_datetime(["2024-01-01", "2024-01-11"]), "eci_gap": [2.0, 4.0], "lag_months": [1.0, 3.0]}
    )
    # 10 days at 2 then 10 days at 4 -> 3 points; the lag likewise -> 2 months
    assert capability.window_mean(gaps, "2024-01-01", "2024-01-21") == pytest.approx((3.0, 2.0))
    assert all(math.isnan(v) for v in capability.window_mean(gaps, "2025-01-01", "2025-02-01"))


def test_leader_since_finds_the_start_of_the_current_lead():
    best = pd.DataFrame(
        [
            ("2024-01-01", "United States", 100.0, "us1"),
            ("2024-02-01", "China", 90.0, "cn1"),
            ("2024-03-01", "China", 105.0, "cn2"),
            ("2024-04-01", "United States", 104.0, "us2"),
        ],
        columns=["date", "origin", "best_eci", "model"],
    ).assign(date=lambda t: pd.to_datetime(t["date"]))
    assert capability.leader_since(best, "origin") == ("China", "cn2", D("2024-03-01"))


# --- population and parameters ----------------------------------------------------------------------


@pytest.fixture
def raw_rows():
    return pd.DataFrame(
        [
            ("GPT-X", "2023-01-01", "API access", "Language", np.nan, ""),
            ("Open-1", "2023-02-01", "Open weights (restricted use)", "Language", 1e24, ""),
            ("Open-2", "2023-03-01", "Open weights (unrestricted)", "Vision", 2e24, ""),
            ("Tuned", "2023-04-01", "Open weights (unrestricted)", "Language", 3e24, "Open-2"),
            ("AlphaGo Zero", "2017-10-18", "Unreleased", "Games", 3.4e23, ""),
            ("Mystery", "2023-05-01", "", "Language", 5e24, ""),
        ],
        columns=["model", "date", "access", "domain", "training_compute", "base_model"],
    ).assign(date=lambda t: pd.to_datetime(t["date"]))


def test_estimates_overwrite_or_only_fill(raw_rows):
    estimates = pd.DataFrame({"model": ["GPT-X", "Open-1"], "training_compute": [9e24, 7e24]})
    over, notes = frontier.compute_population(raw_rows, estimates, estimate_mode="overwrite")
    assert over.set_index("model").loc[["GPT-X", "Open-1"], "training_compute"].tolist() == [9e24, 7e24]
    fill, _ = frontier.compute_population(raw_rows, estimates, estimate_mode="fill")
    assert fill.set_index("model").loc[["GPT-X", "Open-1"], "training_compute"].tolist() == [9e24, 1e24]
    assert notes["fine-tunes (a base model is named)"] == 1
    assert notes["report outliers (AlphaGo Master, AlphaGo Zero)"] == 1
    assert set(over["model"]) == {"GPT-X", "Open-1", "Open-2", "Mystery"}
    assert over.set_index("model").loc["Mystery", "access_class"] == "unknown"


def test_unrestricted_definition_sets_restricted_weights_aside_not_closed(raw_rows):
    table, notes = frontier.compute_population(raw_rows, open_definition="unrestricted")
    assert table.set_index("model").loc["Open-1", "access_class"] == "set aside"
    assert notes["kept, set aside"] == 1


def test_domain_filter_and_unknown_domain(raw_rows):
    table, notes = frontier.compute_population(raw_rows, domain="Vision")
    assert list(table["model"]) == ["Open-2"] and notes["other domains"] == 5
    with pytest.raises(ParameterError, match="domain 'Astrology'.*valid values"):
        frontier.compute_population(raw_rows, domain="Astrology")


GOOD = {
    "snapshot": "epoch-ai-models@2026-03-30",
    "eci_snapshot": "epoch-benchmarks-eci@2026-07-01",
    "open_definition": "weights",
    "frontier_start": "2018-01-01",
    "bootstrap_samples": 1000,
    "seed": 43,
    "domain": None,
    "domains": {"Language", "Vision"},
    "known_refs": {
        "epoch-ai-models": ["epoch-ai-models@2026-03-30"],
        "epoch-benchmarks-eci": ["epoch-benchmarks-eci@2026-07-01"],
    },
}


@pytest.mark.parametrize(
    "name, value",
    [
        ("snapshot", "epoch-ai-models@1999-01-01"),
        ("eci_snapshot", "nope"),
        ("open_definition", "free"),
        ("frontier_start", "soon"),
        ("bootstrap_samples", 0),
        ("bootstrap_samples", 2.5),
        ("seed", -1),
        ("domain", "Astrology"),
        ("record_years", [2025, 2023]),
        ("record_years", [2023]),
        ("record_years", "2023-2025"),
        ("record_years", [2023.0, 2025]),
    ],
)
def test_impossible_parameters_name_the_parameter_and_valid_values(name, value):
    with pytest.raises(ParameterError) as err:
        frontier_checks.check_parameters(**{**GOOD, name: value})
    assert str(err.value).startswith(name) and "valid values" in str(err.value)


def test_valid_parameters_return_the_start_date():
    assert frontier_checks.check_parameters(**GOOD) == D("2018-01-01")
    assert frontier_checks.check_parameters(**GOOD, record_years=[2024, 2024]) == D("2018-01-01")


@pytest.mark.parametrize(
    "kwargs, named, not_named",
    [
        ({}, "frontier_start", "domain"),
        ({"domain": "Language"}, "domain filter", "open_definition"),
        ({"open_definition": "unrestricted"}, "open_definition='weights'", "domain"),
    ],
)
def test_too_small_frontier_hint_names_only_parameters_that_can_help(kwargs, named, not_named):
    one_open = compute_table(
        [("c1", "2020-01-01", "closed", 1e22), ("c2", "2021-01-01", "closed", 1e23), ("o1", "2021-06-01", "open", 1e22)]
    )
    with pytest.raises(ParameterError) as err:
        frontier.check_frontier(one_open, **kwargs)
    assert named in str(err.value) and not_named not in str(err.value)


# --- label placement ----------------------------------------------------------------------------------


def test_frontier_labels_do_not_overlap_at_print_size():
    import itertools

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.text import Text

    from opentrends.publish import figures
    from opentrends.publish import frontier_charts as frontier_plots

    # a crowded frontier: long names on points days apart, open and closed interleaved
    rows = []
    for k in range(10):
        day = D("2020-01-01") + pd.Timedelta(days=20 * k)
        rows.append((f"Closed model number {k}", day, "closed", 10 ** (23 + 0.1 * k), True))
        rows.append((f"Open-{k} 70B", day + pd.Timedelta(days=5), "open", 10 ** (22.8 + 0.1 * k), True))
    points = pd.DataFrame(rows, columns=["model", "date", "access_class", "training_compute", "frontier"])
    lines = pd.DataFrame(
        [(D("2020-01-01"), c, v) for c, v in (("closed", 23.0), ("open", 22.9))]
        + [(D("2020-08-01"), c, v) for c, v in (("closed", 24.0), ("open", 23.8))],
        columns=["date", "access_class", "log10_compute"],
    )
    figures.use_style()
    fig, ax = figures.new_figure("double", 4.6)
    frontier_plots.compute_frontier(ax, points, lines)
    fig.canvas.draw()  # the placer runs inside the draw, after the layout
    renderer = fig.canvas.get_renderer()
    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]
    assert len(boxes) == 20
    assert not [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]
    frame = ax.get_window_extent(renderer)
    assert all(frame.contains(b.x0, b.y0) and frame.contains(b.x1, b.y1) for b in boxes)
    fig.canvas.draw()  # a second draw (another save format) places them the same way
    again = [Text.get_window_extent(t, renderer).bounds for t in ax.texts]
    assert np.allclose(again, [b.bounds for b in boxes], rtol=0, atol=1e-6)  # the same places, to float noise
