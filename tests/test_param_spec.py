"""Each notebook's parameters are declared once (run.param_spec): the runner checks them before any kernel,
the notebooks' first-cell checks use the same type and wording, and `opentrends params` lists them.

No kernel starts here: every refusal below happens before the run plans a job. Only the year-coverage checks
read pinned data (the Epoch snapshots; they skip, saying so, where those cannot be had).
"""

from __future__ import annotations

import re

import pytest

from opentrends.catalog.loaders import hub_top
from opentrends.cli.main import main
from opentrends.core.errors import ParameterError
from opentrends.run import checks, param_spec
from opentrends.run import params as runparams

NOTEBOOKS = [p.stem for p in runparams.project_notebooks()]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_declared_parameter_has_a_spec_that_accepts_its_default(notebook):
    declared = runparams.declared_parameters(runparams.discover([notebook])[0])
    spec = param_spec.spec_for(notebook)
    assert sorted(spec) == sorted(declared)
    for name, param in spec.items():
        assert param.accepts(declared[name], declared), (name, declared[name], param.expected(declared))
    checks.declared(declared, notebook)  # the in-notebook check of the same spec passes on the defaults


def test_head_size_bound_is_the_length_of_the_captured_lists():
    assert param_spec.spec_for("04_hub_adoption")["head_size"].maximum == hub_top.LIST_SIZE


@pytest.mark.parametrize(
    ("notebook", "assignment", "expected"),
    [
        (
            "04_hub_adoption",
            "top_n=0",
            "top_n=0 of notebook 04_hub_adoption is not valid. Valid values: a whole "
            "number from 1 to head_size (here 300).",
        ),
        (
            "04_hub_adoption",
            "head_size=301",
            "head_size=301 of notebook 04_hub_adoption is not valid. Valid values: a whole number from 1 to 300.",
        ),
        (
            "02_us_vs_china",
            "origin_rule=bad",
            "origin_rule='bad' of notebook 02_us_vs_china is not valid. Valid values: 'exclusive', 'any'.",
        ),
        (
            "02_us_vs_china",
            "population=everyone",
            "population='everyone' of notebook 02_us_vs_china is not valid. "
            "Valid values: 'all', 'notable', 'large_scale', 'frontier'.",
        ),
        (
            "02_us_vs_china",
            "hong_kong_macao_as_china=maybe",
            "hong_kong_macao_as_china='maybe' of notebook 02_us_vs_china is not valid. Valid values: True, False.",
        ),
        (
            "02_us_vs_china",
            "origins_to_plot=[Mars]",
            "origins_to_plot=['Mars'] of notebook 02_us_vs_china is not "
            "valid. Valid values: a non-empty list of 'United States', 'China', 'Multinational', 'Rest of world', "
            "'Unknown'.",
        ),
        (
            "01_open_vs_closed",
            "min_training_compute=abc",
            "min_training_compute='abc' of notebook 01_open_vs_closed "
            "is not valid. Valid values: None or a number >= 0.",
        ),
        (
            "01_open_vs_closed",
            "start_year=x",
            "start_year='x' of notebook 01_open_vs_closed is not valid. Valid values: a whole number.",
        ),
        (
            "01_open_vs_closed",
            "snapshot=ecosystem-graphs@2025-01-24",
            "snapshot='ecosystem-graphs@2025-01-24' of "
            "notebook 01_open_vs_closed is not valid. Valid values: a registered snapshot: epoch-ai-models@2026-03-30, "
            "epoch-ai-models@2026-07-17, epoch-ai-models@2026-07-19.",
        ),
        (
            "03_frontier_gap",
            "frontier_start=2018-02-30",
            "frontier_start='2018-02-30' of notebook 03_frontier_gap "
            "is not valid. Valid values: a real date as YYYY-MM-DD.",
        ),
        (
            "03_frontier_gap",
            "record_years=[2025, 2023]",
            "record_years=[2025, 2023] of notebook 03_frontier_gap is "
            "not valid. Valid values: two whole years [first, last] with 1950 <= first <= last <= 2100",
        ),
    ],
)
def test_bad_types_and_choices_exit_2_before_any_kernel(tmp_path, monkeypatch, capsys, notebook, assignment, expected):
    monkeypatch.setenv("OPENTRENDS_BUILD", str(tmp_path))
    assert main(["run", notebook, "-p", assignment, "--name", "bad"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"error: Parameter {expected}"), captured.err
    assert f"Fix: pass a valid value; `opentrends params {notebook}` lists every parameter" in captured.err
    assert "-inf" not in captured.err and captured.out == ""  # no "running" line: no kernel started
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.lock"]  # no build/runs/bad/, no failed notebook


def test_in_notebook_checks_and_pre_check_word_a_value_alike():
    values = {**runparams.declared_parameters(runparams.discover(["04_hub_adoption"])[0]), "top_n": 0}
    with pytest.raises(ParameterError) as in_notebook:
        checks.declared(values, "04_hub_adoption")
    with pytest.raises(ParameterError) as pre_check:
        param_spec.check_values("04_hub_adoption", values)
    assert (
        str(in_notebook.value)
        == "Parameter top_n=0 is not valid. Valid values: a whole number from 1 to head_size (here 300)."
    )
    assert str(pre_check.value).startswith(
        str(in_notebook.value)[:-1].replace("top_n=0", "top_n=0 of notebook 04_hub_adoption")
    )


def test_text_none_on_the_command_line_is_python_none():
    assert runparams.parse_assignments(["domain=None", "dates=null", "label=Nonesuch"]) == {
        "domain": None,
        "dates": None,
        "label": "Nonesuch",
    }


def test_params_lists_default_type_and_valid_values(capsys):
    assert main(["params", "04_hub_adoption"]) == 0
    lines = [re.split(r"\s{2,}", line) for line in capsys.readouterr().out.splitlines()]
    assert lines[1] == ["parameter", "default", "type", "valid values"]
    rows = {cells[0]: cells[1:] for cells in lines[3:]}
    assert rows["top_n"] == ["20", "whole number", "a whole number from 1 to head_size (here 300)"]
    assert rows["head_size"] == ["300", "whole number", "a whole number from 1 to 300"]
    assert rows["dates"] == [
        "None",
        "None or list of dates (YYYY-MM-DD)",
        "None or a non-empty list of real dates as YYYY-MM-DD; each one a capture date of top_snapshot; checked in "
        "the notebook",
    ]
    assert rows["top_snapshot"] == [
        "'hf-hub-top-models@2026-08-22'",
        "snapshot (source@date)",
        "a registered snapshot: hf-hub-top-models@2026-08-22",
    ]
    assert sorted(rows) == sorted(param_spec.spec_for("04_hub_adoption"))


def test_params_of_an_unknown_notebook_lists_the_known_ones(capsys):
    assert main(["params", "09_nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: No notebook '09_nope' in notebooks/. Known notebooks: 00_data_sources, ")


@pytest.mark.parametrize("text", ["1e25", "1e+25", "1E25", "1.0e+25", "10000000000000000000000000.0"])
def test_scientific_notation_is_a_number_for_a_number_parameter(text):
    overrides = runparams.parse_assignments([f"min_training_compute={text}", "label=1e25"])
    assert overrides["min_training_compute"] == (text if "e" in text.lower() and "." not in text else 1e25)
    read = param_spec.numbers_from_text(overrides)
    assert read == {"min_training_compute": 1e25, "label": "1e25"}  # `label` is not declared a number anywhere
    assert type(read["min_training_compute"]) is float


def test_scientific_notation_in_a_params_file_and_on_the_command_line_reaches_the_notebook(tmp_path):
    from opentrends.run import runner

    variant = tmp_path / "big.yaml"
    variant.write_text(
        "common:\n  min_training_compute: 1e25\nnotebooks:\n  02_us_vs_china:\n    min_training_compute: 1e+23\n"
    )
    _, params, overrides = runner.read_parameters(str(variant), {})
    assert params["common"] == {"min_training_compute": 1e25}
    assert params["notebooks"] == {"02_us_vs_china": {"min_training_compute": 1e23}}
    plan = runner._plan_for(None, variant, overrides, params)
    selected = runparams.discover(["01_open_vs_closed", "02_us_vs_china"])
    _, jobs, _ = runner._plan_jobs(plan, selected, params, overrides, True, {})
    assert {j.name: j.parameters["min_training_compute"] for j in jobs} == {
        "01_open_vs_closed": 1e25,
        "02_us_vs_china": 1e23,
    }
    _, params, overrides = runner.read_parameters(None, runparams.parse_assignments(["min_training_compute=1e25"]))
    _, jobs, _ = runner._plan_jobs(plan, selected[:1], params, overrides, True, {})
    assert jobs[0].parameters["min_training_compute"] == 1e25


@pytest.mark.parametrize("text", ["1e25x", "e25", "1e", "ten"])
def test_text_that_is_still_no_number_is_one_clear_error(tmp_path, monkeypatch, capsys, text):
    monkeypatch.setenv("OPENTRENDS_BUILD", str(tmp_path))
    assert main(["run", "01_open_vs_closed", "-p", f"min_training_compute={text}"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: Parameter min_training_compute={text!r} of notebook 01_open_vs_closed is not valid. Valid values: "
        "None or a number >= 0. Fix: pass a valid value; `opentrends params 01_open_vs_closed` lists every "
        "parameter, its default and valid values.\n"
    )


COVERED = (
    "epoch-ai-models@2026-07-17 (all) covers dates 1950-07-02 to 2026-07-07. Fix: choose {name} from 1950 to 2026 "
    "(2026 only partly: the data end 2026-07-07), or a snapshot that covers {year}; `opentrends params "
    "01_open_vs_closed` lists every parameter.\n"
)


@pytest.mark.parametrize(
    "assignments, name, year, coverage",
    [
        (["start_year=1900"], "start_year", 1900, COVERED),  # it used to draw 50 empty years and exit 0
        (["start_year=2030", "end_year=2031"], "start_year", 2030, COVERED),  # it used to blame notable_end_year
        (["end_year=2031"], "end_year", 2031, COVERED),
        (
            ["notable_end_year=2027"],
            "notable_end_year",
            2027,
            "epoch-ai-models@2026-07-19 (notable) covers dates 1950-07-02 to 2026-07-15. Fix: choose "
            "notable_end_year from 1950 to 2026 (2026 only partly: the data end 2026-07-15), or a snapshot that "
            "covers 2027; `opentrends params 01_open_vs_closed` lists every parameter.\n",
        ),
    ],
)
def test_a_year_outside_the_data_is_one_error_naming_the_parameter_set_and_the_coverage(
    tmp_path, monkeypatch, capsys, real_snapshot, assignments, name, year, coverage
):
    real_snapshot("epoch-ai-models@2026-07-17")
    real_snapshot("epoch-ai-models@2026-07-19")
    monkeypatch.setenv("OPENTRENDS_BUILD", str(tmp_path))
    args = [a for assignment in assignments for a in ("-p", assignment)]
    assert main(["run", "01_open_vs_closed", *args]) == 2
    captured = capsys.readouterr()
    expected = f"error: Parameter {name}={year} of notebook 01_open_vs_closed is outside the data: " + coverage
    assert captured.err == expected.format(name=name, year=year)
    assert captured.out == ""  # refused before any kernel started
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.lock"]


def test_years_inside_the_data_pass_the_coverage_check(real_snapshot):
    real_snapshot("epoch-ai-models@2026-07-17")
    values = {**runparams.declared_parameters(runparams.discover(["02_us_vs_china"])[0]), "start_year": 1950}
    param_spec.check_values("02_us_vs_china", {**values, "end_year": 2025}, values)  # 2026 partly covered: allowed
