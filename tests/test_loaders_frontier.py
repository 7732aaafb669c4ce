"""The frontier loaders on the real pinned files, and the replication of Cottier et al. (2024) on the report's data."""

from __future__ import annotations

import pandas as pd
import pytest

from opentrends.analysis import capability, frontier
from opentrends.catalog import taxonomy
from opentrends.catalog.loaders import eci, eci_intervals, epoch_report
from opentrends.core.errors import OpenTrendsError
from opentrends.data import snapshots
from opentrends.registry import sources, writer

REPORT = "epoch-open-models-report@2024-11-05"
EPOCH = "epoch-ai-models@2026-03-30"
ECI_OLD, ECI_NEW = "epoch-benchmarks-eci@2025-12-02", "epoch-benchmarks-eci@2026-07-01"


def report_frontier(real_snapshot):
    rows = epoch_report.load_compute_rows(real_snapshot(REPORT))
    population, notes = frontier.compute_population(
        rows, epoch_report.load_compute_estimates(), estimate_mode=epoch_report.estimate_mode(REPORT)
    )
    return frontier.compute_frontier(population, "2018-01-01"), notes


def test_replicates_the_published_compute_lag(real_snapshot):
    """Published: 15.37 months (90% CI 6.45-21.9), same slope 15.61 (11.55-19.82) (compute_analysis.ipynb cell 45).

    The point estimate is deterministic, so it must round to the published two decimals (tolerance 0.005 months,
    half the last published digit). With the frontier rows in date order and the report's seed 43, our
    `default_rng(43).choice` draws are the report's `DataFrame.sample(..., random_state=rng)` draws, so the
    interval must round to the published one as well.
    """
    front, _ = report_frontier(real_snapshot)
    assert len(front) == 20  # the report's "len(df_filtered)" (cell 59)
    separate = frontier.lag_estimate(front, "separate slopes", 1000, seed=43)
    assert separate.lag_months == pytest.approx(15.37, abs=0.005)
    assert (separate.ci_low, separate.ci_high) == pytest.approx((6.45, 21.90), abs=0.005)
    same = frontier.lag_estimate(front, "same slope", 1000, seed=43)
    assert same.lag_months == pytest.approx(15.61, abs=0.005)
    assert (same.ci_low, same.ci_high) == pytest.approx((11.55, 19.82), abs=0.005)


def test_report_frontier_is_the_reports_list_of_models(real_snapshot):
    front, notes = report_frontier(real_snapshot)
    closed = list(front.loc[front["access_class"] == "closed", "model"])
    assert closed[0] == "AlphaStar" and closed[-1] == "Gemini 1.0 Ultra" and "GPT-4" in closed
    assert list(front.loc[front["access_class"] == "open", "model"])[-1] == "Llama 3.1-405B"
    assert set(front["seed_model"]) == {"AlphaZero"}
    assert notes["hand-set compute estimates used"] == 11


def test_every_hand_set_estimate_names_a_model_of_the_report_data_and_cites_the_notebook(real_snapshot):
    estimates = epoch_report.load_compute_estimates()
    names = set(epoch_report.load_report_systems(real_snapshot(REPORT))["model"])
    assert set(estimates["model"]) <= names
    assert estimates["source"].str.contains("compute_analysis.ipynb").all()


def test_epoch_download_is_the_union_of_its_files_by_stripped_name(real_snapshot):
    rows = epoch_report.load_epoch_models(real_snapshot(EPOCH))
    assert not rows["model"].duplicated().any()
    assert (rows["model"] == rows["model"].str.strip()).all()
    # all_ai_models.csv misses 75 notable and 8 large-scale models by name (mirror README)
    assert rows["file"].value_counts().to_dict() == {
        "all_ai_models.csv": 3222,
        "notable_ai_models.csv": 75,
        "large_scale_ai_models.csv": 8,
    }


def test_estimates_only_fill_blanks_outside_the_report_data(real_snapshot):
    assert epoch_report.estimate_mode(REPORT) == "overwrite"
    assert epoch_report.estimate_mode(real_snapshot(EPOCH)) == "fill"


def test_wrong_source_is_a_parameter_error(real_snapshot):
    with pytest.raises(frontier.ParameterError, match="snapshot must be"):
        epoch_report.load_compute_rows(real_snapshot(ECI_NEW))


def test_eci_versions_collapse_to_one_score_per_model(real_snapshot):
    versions, notes = eci.load_eci(real_snapshot(ECI_OLD))
    assert notes["scored, dated versions"] == 157  # 157 rows with an ECI score (mirror README)
    o3 = versions[versions["model"] == "o3"]
    assert len(o3) >= 2 and o3["eci"].nunique() >= 2  # reasoning-effort versions score differently
    models = capability.collapse_versions(versions.assign(access_class="closed")).set_index("model")
    assert models.loc["o3", "eci"] == o3["eci"].max()


def test_eci_2026_versions_carry_their_models_score(real_snapshot):
    versions, _ = eci.load_eci(real_snapshot(ECI_NEW))
    per_model = versions.groupby("model")["eci"].nunique()
    assert (per_model == 1).mean() > 0.9
    assert set(versions["origin"]) <= set(eci.ORIGINS)


@pytest.mark.parametrize(
    "countries, expected",
    [
        (("United States of America",), "United States"),
        (("United Kingdom of Great Britain and Northern Ireland", "United States of America"), "United States"),
        (("China",), "China"),
        (("China", "Hong Kong"), "China"),
        (("China", "United States of America"), "other"),
        (("France",), "other"),
        ((), "unknown"),
    ],
)
def test_eci_origin_rule(countries, expected):
    assert eci.origin(countries) == expected


@pytest.fixture
def doctored_eci(isolated, mirror_root, monkeypatch):
    """`epoch-benchmarks-eci@2099-01-01`: the real 2026-07-01 file after `edit(frame)`, pinned in a private registry."""
    mirror = isolated / "mirror"
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))

    def make(edit) -> str:
        frame = pd.read_csv(
            mirror_root / "epoch-benchmarks-eci" / "2026-07-01" / "epoch_capabilities_index.csv",
            dtype=str,
            keep_default_na=False,
        )
        folder = mirror / "epoch-benchmarks-eci" / "2099-01-01"
        folder.mkdir(parents=True, exist_ok=True)
        edit(frame).to_csv(folder / "epoch_capabilities_index.csv", index=False)
        source = sources.load_registry()["epoch-benchmarks-eci"]
        writer.write_snapshot(source, snapshots.pin_directory(source, "2099-01-01", folder))
        return "epoch-benchmarks-eci@2099-01-01"

    return make


def test_unknown_eci_country_is_named(doctored_eci):
    def edit(frame):
        frame.loc[0, "Country"] = "Atlantis"
        return frame

    with pytest.raises(taxonomy.UnknownLabelError, match="column 'Country' has the label 'Atlantis'"):
        eci.load_eci(doctored_eci(edit))


def test_missing_eci_column_is_named(doctored_eci):
    with pytest.raises(
        frontier.DataError,
        match=r"epoch-benchmarks-eci@2099-01-01/epoch_capabilities_index.csv: missing column\(s\) 'ECI Score'; expected Model version, ECI Score, ",
    ):
        eci.load_eci(doctored_eci(lambda f: f.drop(columns=["ECI Score"])))


# --- ECI with 90% bootstrap intervals (eci-reproduced-intervals) ----------------------------------

INTERVALS = "eci-reproduced-intervals@2026-07-31"
SCORES = "epoch_eci_reproduced_scores_2026-07-31.csv"


def test_eci_intervals_are_one_row_per_model_each_score_inside_its_interval(real_snapshot):
    rows = eci_intervals.load_intervals(real_snapshot(INTERVALS))
    assert list(rows.columns) == ["Model", "eci", "eci_ci_low", "eci_ci_high"]
    assert len(rows) == rows["Model"].nunique() == 213  # the mirror README's count
    anchors = rows[rows["eci_ci_low"].isna()]
    assert dict(zip(anchors["Model"], anchors["eci"])) == {"GPT-5": 150.0, "Claude 3.5 Sonnet": 130.0}
    scored = rows.dropna()
    assert ((scored["eci_ci_low"] <= scored["eci"]) & (scored["eci"] <= scored["eci_ci_high"])).all()


@pytest.fixture
def doctored_intervals(isolated, mirror_root, monkeypatch):
    """`eci-reproduced-intervals@2099-01-01`: the real scores file after `edit(frame)`, pinned in a private registry."""
    mirror = isolated / "mirror"
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))

    def make(edit) -> str:
        frame = pd.read_csv(mirror_root / INTERVALS.replace("@", "/") / SCORES, dtype=str, keep_default_na=False)
        folder = mirror / "eci-reproduced-intervals" / "2099-01-01"
        folder.mkdir(parents=True, exist_ok=True)
        edit(frame).to_csv(folder / SCORES, index=False)
        source = sources.load_registry()["eci-reproduced-intervals"]
        writer.write_snapshot(source, snapshots.pin_directory(source, "2099-01-01", folder))
        return "eci-reproduced-intervals@2099-01-01"

    return make


def _set(row: int, column: str, value: str):
    def edit(frame):
        frame.loc[row, column] = value
        return frame

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda f: f.drop(columns=["eci_ci_high"]),
            r"missing column\(s\) 'eci_ci_high'; expected Model, eci, eci_ci_low, ",
        ),
        (
            _set(0, "eci_ci_low", "170"),
            r"line 2 \(model 'GPT-5.6 Sol'\) has an eci outside \[eci_ci_low, eci_ci_high\]",
        ),
        (_set(1, "eci_ci_high", ""), r"line 3 \(model 'GPT-5.5 Pro'\) has one interval bound without the other"),
        (_set(2, "Model", "GPT-5.6 Sol"), r"line 4 \(model 'GPT-5.6 Sol'\) repeats a model listed above"),
        (_set(0, "eci", "high"), r"column 'eci' row 2 .*'high'"),
    ],
    ids=["missing column", "outside", "one bound", "repeated", "not a number"],
)
def test_bad_eci_intervals_name_the_file_the_row_and_the_fix(doctored_intervals, edit, message):
    with pytest.raises(OpenTrendsError, match=message) as err:  # DataError, or CatalogError from parse_numbers
        eci_intervals.load_intervals(doctored_intervals(edit))
    assert f"eci-reproduced-intervals@2099-01-01/{SCORES}" in str(err.value)


def test_intervals_refuse_a_snapshot_of_another_source(real_snapshot):
    with pytest.raises(frontier.DataError, match="load_intervals reads eci-reproduced-intervals snapshots, got"):
        eci_intervals.load_intervals(real_snapshot(ECI_NEW))
