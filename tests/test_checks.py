"""The parameter checks notebooks run in their first cell, and the text helpers their sentences use."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import run_cli
from opentrends.core import text
from opentrends.core.errors import ParameterError
from opentrends.run import checks


def test_choice_is_strict_about_type():
    checks.choice("period", "year", ["year", "quarter"])
    checks.choice("domain", None, [None, "Language"])
    with pytest.raises(
        ParameterError, match=r"Parameter period='month' is not valid\. Valid values: 'year', 'quarter'"
    ):
        checks.choice("period", "month", ["year", "quarter"])
    with pytest.raises(ParameterError):
        checks.choice("flag", 1, [True, False])  # 1 == True, but 1 is not a boolean


@pytest.mark.parametrize("value", ["maybe", "True", 1, 0, None])
def test_boolean_accepts_only_true_and_false(value):
    checks.boolean("released_only", True)
    checks.boolean("released_only", False)
    with pytest.raises(ParameterError, match=r"released_only=.* Valid values: True, False\."):
        checks.boolean("released_only", value)


def test_number_optional_and_minimum():
    checks.number("min_training_compute", None, minimum=0, optional=True)
    checks.number("min_training_compute", 1e23, minimum=0, optional=True)
    for bad in ("abc", -1, True, float("nan")):
        with pytest.raises(ParameterError, match=r"min_training_compute=.* Valid values: None or a number >= 0\."):
            checks.number("min_training_compute", bad, minimum=0, optional=True)
    with pytest.raises(ParameterError, match="Valid values: a number"):
        checks.number("x", None)


def test_choices_needs_a_non_empty_list_of_valid_items():
    checks.choices("origins_to_plot", ["China"], ["China", "United States"])
    for bad in ([], ["Mars"], "China", None):
        with pytest.raises(ParameterError, match="origins_to_plot=.* Valid values: a non-empty list of 'China'"):
            checks.choices("origins_to_plot", bad, ["China", "United States"])


def test_whole_number_names_its_range_and_why():
    checks.whole_number("backfill_year", 2023, 1950, 2024)
    with pytest.raises(ParameterError) as outside:
        checks.whole_number("backfill_year", 2030, 1950, 2024, "coverage")
    assert str(outside.value) == (
        "Parameter backfill_year=2030 is not valid. Valid values: a whole number from 1950 to 2024 (coverage)."
    )
    with pytest.raises(ParameterError) as unbounded:  # no "-inf..inf": a range is named only when there is one
        checks.whole_number("start_year", "x")
    assert str(unbounded.value) == "Parameter start_year='x' is not valid. Valid values: a whole number."
    with pytest.raises(ParameterError, match=r"top_n=0 is not valid\. Valid values: a whole number >= 1\."):
        checks.whole_number("top_n", 0, minimum=1)
    with pytest.raises(ParameterError):
        checks.whole_number("start_year", True)


def test_a_partial_year_is_flagged_wherever_it_is_named():
    assert text.year(2026, "2026-02-19") == "2026 (partial: data end 2026-02-19)"
    assert text.year(2025, "2026-02-19") == "2025"
    assert text.year(2025, "2025-12-31") == "2025"
    assert text.year(2025) == "2025"
    assert text.year(float("nan"), "2026-02-19") == "n/a"
    assert text.is_partial(2026, "2026-02-19") and not text.is_partial(2026, None)


def test_share_of_puts_counts_beside_the_share():
    assert text.share_of(1.0, 3, 3) == "100% (3 of 3)"
    assert text.share_of(float("nan"), 0, 0) == "n/a (0 of 0)"


def test_blank_missing_never_shows_nan():
    frame = pd.DataFrame({"n": [1, 2], "share": [0.5, float("nan")], "flag": pd.array([True, pd.NA], dtype="boolean")})
    shown = text.blank_missing(frame)
    assert shown.loc[1, "share"] == "n/a" and shown.loc[1, "flag"] == "n/a" and shown.loc[0, "share"] == 0.5
    assert "nan" not in shown.to_string().lower() and "<NA>" not in shown.to_string()


def first_error_after_parameters(notebook_path) -> bool:
    """Whether the first code cell with an error is the one right after the injected-parameters cell."""
    cells = [c for c in json.loads(notebook_path.read_text())["cells"] if c["cell_type"] == "code"]
    errors = [i for i, c in enumerate(cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    injected = [i for i, c in enumerate(cells) if "injected-parameters" in c.get("metadata", {}).get("tags", [])]
    return errors[0] == injected[0] + 1


@pytest.mark.integration
@pytest.mark.parametrize(
    ("notebook", "parameter", "expected"),
    [
        # Types and listed values are refused before any kernel (test_param_spec.py); what only the data can
        # answer (the years covered, the files both snapshots hold) is refused in the notebook's first cell.
        (
            "06_robustness",
            "backfill_year=2030",
            "Parameter backfill_year=2030 is not valid. Valid values: a whole number from 1950 to 2024",
        ),
        (
            "06_robustness",
            "start_year=1990",
            "Parameter start_year=1990 is not valid. Valid values: a whole number from 2020 to 2026",
        ),
        (
            "00_data_sources",
            "compare_file=nosuch.csv",
            "Parameter compare_file='nosuch.csv' is not valid. Valid values:",
        ),
    ],
)
def test_impossible_parameters_fail_in_the_first_cell_naming_them(
    tmp_path, real_snapshot, notebook, parameter, expected
):
    real_snapshot("epoch-ai-models@2026-03-30")
    result = run_cli(
        "run", notebook, "-p", parameter, "--name", "bad", "--jobs", "1", env={"OPENTRENDS_BUILD": str(tmp_path)}
    )
    assert result.returncode == 1
    assert f"ParameterError: {expected}" in result.stdout or expected in result.stdout, result.stdout
    assert first_error_after_parameters(tmp_path / "failed" / "bad" / f"{notebook}.ipynb")


def test_round_numbers_rounds_number_columns_and_leaves_dates_without_a_warning():
    import warnings

    frame = pd.DataFrame({"date": pd.to_datetime(["2026-07-31"]), "eci": [155.6123], "model": ["Kimi K3"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shown = text.round_numbers(frame)
    assert shown["eci"].tolist() == [155.61] and shown["date"].equals(frame["date"]) and shown["model"][0] == "Kimi K3"
