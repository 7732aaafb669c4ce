"""Parameters of a run, without kernels: precedence, params-file errors, snapshot parameters, credentials."""

from __future__ import annotations

import pytest

from conftest import ROOT
from opentrends.core.errors import ParameterError, UsageError
from opentrends.registry.sources import load_registry
from opentrends.run import params as runparams
from opentrends.run.params import RunnerError

HF_LIKE = "hf_" + "Ab3" * 12  # 39 characters after the prefix, shaped like a Hugging Face token


def test_effective_parameters_precedence():
    declared = {"a": 1, "b": 2, "c": 3}
    params = {"common": {"a": 10}, "notebooks": {"nb": {"b": 20}}}
    values, unused = runparams.effective_parameters("nb", declared, params, {"c": 30, "other": 1})
    assert values == {"a": 10, "b": 20, "c": 30}
    assert unused == ["other"]


def test_malformed_yaml_names_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("common:\n  start_year: 2018\nnotebooks:\n  01_open_vs_closed: {end_year: 2020\n")
    with pytest.raises(RunnerError) as caught:
        runparams.load_params_file(bad)
    message = str(caught.value)
    assert "bad.yaml is not valid YAML at line 5" in message and "params/default.yaml" in message


def test_params_file_that_is_not_a_mapping_is_refused(tmp_path):
    listed = tmp_path / "list.yaml"
    listed.write_text("- start_year\n")
    with pytest.raises(RunnerError, match="expected top-level keys 'common' and 'notebooks'"):
        runparams.load_params_file(listed)


def test_params_file_layout_errors_name_the_entry_the_expectation_and_the_fix(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("common: {}\nnotebooks:\n  01_open_vs_closed: [2018]\n")
    with pytest.raises(RunnerError) as caught:
        runparams.load_params_file(bad)
    assert str(caught.value) == (
        f"{bad.as_posix()}: entry 'notebooks.01_open_vs_closed': expected a mapping of parameter names to values, "
        "got [2018]. Fix: see params/default.yaml for the layout (common: {...}, notebooks: {name: {...}})."
    )
    bad.write_text("comon: {start_year: 2018}\n")
    with pytest.raises(RunnerError, match="entry 'comon': expected one of the keys common, notebooks, got 'comon'"):
        runparams.load_params_file(bad)


def test_params_file_layout_error_never_repeats_a_credential(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"notebooks:\n  01_open_vs_closed: {HF_LIKE}\n")
    with pytest.raises(RunnerError) as caught:
        runparams.load_params_file(bad)
    assert HF_LIKE not in str(caught.value)
    assert "entry 'notebooks.01_open_vs_closed': expected a mapping of parameter names to values, got a " in str(
        caught.value
    )


def test_common_key_no_notebook_declares_lists_valid_names():
    params = {"common": {"start_yaer": 2018}, "notebooks": {}, "file": "params/typo.yaml"}
    declared = {"a_nb": {"start_year": 2016, "end_year": 2025}, "b_nb": {"snapshot": "x"}}
    with pytest.raises(RunnerError) as caught:
        runparams.check_names_declared(params, {}, declared, declared)
    assert str(caught.value) == (
        "Unknown parameter(s) start_yaer under 'common:' in params/typo.yaml; no notebook "
        "declares them. Valid parameters: end_year, snapshot, start_year."
    )


def test_common_key_declared_by_an_unselected_notebook_is_fine():
    params = {"common": {"snapshot": "x"}, "notebooks": {}, "file": "f.yaml"}
    runparams.check_names_declared(params, {}, {"a_nb": {"n": 1}}, {"a_nb": {"n": 1}, "b_nb": {"snapshot": "y"}})


def test_section_for_a_missing_notebook_is_an_error():
    params = {"common": {}, "notebooks": {"01_open_vs_closd": {}}, "file": "f.yaml"}
    with pytest.raises(RunnerError, match="no notebook 01_open_vs_closd .*Known notebooks: a_nb"):
        runparams.check_names_declared(params, {}, {"a_nb": {}}, {"a_nb": {}})


@pytest.mark.parametrize(
    "value, kind",
    [
        (HF_LIKE, "Hugging Face token"),
        ("sk-" + "x1Y" * 10, "API key"),
        ("ghp_" + "a1B" * 12, "GitHub token"),
        ("AKIA" + "ABCDEFGH23456789", "AWS access key id"),
        ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS secret access key"),
        (["ok", {"nested": HF_LIKE}], "Hugging Face token"),
    ],
)
def test_token_like_values_are_recognised(value, kind):
    assert kind in runparams.credential_kind(value)


@pytest.mark.parametrize(
    "value",
    [
        "epoch-ai-models@2026-03-30",
        "0123456789abcdef0123456789abcdef01234567",  # a 40-hex git revision
        "hf_short",
        "sk-1",
        2025,
        None,
        ["United States", "China"],
        "weights",
    ],
)
def test_ordinary_values_are_not_credentials(value):
    assert runparams.credential_kind(value) is None


def test_credential_refusal_names_the_parameter_never_the_value():
    with pytest.raises(ParameterError) as caught:
        runparams.refuse_credentials({"label": HF_LIKE}, "from -p")
    assert "Parameter 'label' (from -p) looks like a Hugging Face token" in str(caught.value)
    assert HF_LIKE not in str(caught.value)


def test_malformed_assignment_never_echoes_a_token():
    with pytest.raises(RunnerError) as caught:
        runparams.parse_assignments([HF_LIKE])
    assert HF_LIKE not in str(caught.value) and "credential-like value (not shown)" in str(caught.value)
    assert runparams.parse_assignments(["n=4", "label=five", "years=[2016, 2020]", "empty="]) == {
        "n": 4,
        "label": "five",
        "years": [2016, 2020],
        "empty": "",
    }


def test_snapshot_parameters_are_declared_by_metadata_or_by_their_defaults():
    known = set(load_registry())
    declared = {
        "snapshot": "epoch-ai-models@2026-03-30",
        "sources": ["fmti@2025-01-01"],
        "label": "demo@home",
        "compare": None,
        "n": 3,
    }
    assert runparams.snapshot_parameter_names({"metadata": {}}, declared, known) == ["snapshot", "sources"]
    explicit = {"metadata": {"opentrends": {"snapshot_parameters": ["compare", "snapshot"]}}}
    assert runparams.snapshot_parameter_names(explicit, declared, known) == ["compare", "snapshot"]
    with pytest.raises(RunnerError, match="names nope, which the parameters cell does not declare"):
        runparams.snapshot_parameter_names(
            {"metadata": {"opentrends": {"snapshot_parameters": ["nope"]}}}, declared, known
        )


def test_unknown_ref_in_a_snapshot_parameter_lists_the_registered_dates():
    registry = load_registry()
    with pytest.raises(ParameterError) as caught:
        runparams.check_snapshot_refs("01_x", {"snapshot": "epoch-ai-models@2026-03-31"}, ["snapshot"], registry)
    message = str(caught.value)
    assert "Parameter snapshot of notebook 01_x names snapshot 'epoch-ai-models@2026-03-31'" in message
    assert "Valid values: epoch-ai-models@2026-03-30, epoch-ai-models@2026-07-17, epoch-ai-models@2026-07-19" in message
    with pytest.raises(ParameterError, match="'epoch-ai-modelz@2026-03-30'.*ecosystem-graphs@DATE"):
        runparams.check_snapshot_refs("01_x", {"s": ["epoch-ai-modelz@2026-03-30"]}, ["s"], registry)
    runparams.check_snapshot_refs("01_x", {"s": None, "t": "epoch-ai-models@2026-07-19"}, ["s", "t"], registry)


def test_runner_error_is_a_usage_error():
    assert issubclass(RunnerError, UsageError) and (ROOT / "params" / "default.yaml").exists()


def test_no_committed_file_contains_a_token_like_string():
    import subprocess

    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    # The prefixed shapes only: base64 image data in notebooks would trip the unprefixed AWS-secret heuristic.
    prefixed = runparams.CREDENTIAL_PATTERNS
    found = []
    for name in filter(None, tracked.stdout.split("\0")):
        path = ROOT / name
        if path.suffix in (".png", ".pdf") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{name}: {kind}" for kind, pattern in prefixed.items() if pattern.search(text)]
    assert found == []


@pytest.mark.parametrize(
    "name, ok",
    [
        ("01_open_vs_closed.ipynb", True),
        ("06_robustness.ipynb", True),
        ("01_open_vs_closed.nbconvert.ipynb", False),
        ("Untitled.ipynb", False),
        ("Untitled1.ipynb", False),
        ("1_x.ipynb", False),
        ("01_Open.ipynb", False),
        ("01_x-y.ipynb", False),
    ],
)
def test_only_nn_topic_files_are_project_notebooks(name, ok):
    assert runparams.is_project_notebook(name) is ok


def test_bench_refuses_zero_jobs_before_touching_anything():
    from benchmarks import notebook_build
    from opentrends.core.errors import UsageError

    with pytest.raises(UsageError, match="--jobs must be a whole number of at least 1, got 0"):
        notebook_build.build_figures(jobs=0)


def test_a_key_given_twice_in_a_params_file_names_the_file_the_lines_and_the_key(tmp_path):
    twice = tmp_path / "twice.yaml"
    twice.write_text(
        "common:\n  start_year: 2018\nnotebooks:\n  02_us_vs_china:\n    population: all\n    population: notable\n"
    )
    with pytest.raises(RunnerError) as caught:
        runparams.load_params_file(twice)
    assert str(caught.value) == (
        f"Parameters file {twice.as_posix()}, line 6: key 'population' is given twice in the same mapping (first at "
        "line 5); YAML would silently keep the last. Fix: keep one 'population'."
    )
    again = tmp_path / "again.yaml"
    again.write_text("common: {start_year: 2018, start_year: 2019}\nnotebooks: {}\n")
    with pytest.raises(RunnerError, match="line 1: key 'start_year' is given twice"):
        runparams.load_params_file(again)


def test_dates_in_a_params_file_stay_iso_text_and_an_impossible_one_is_refused(tmp_path):
    dated = tmp_path / "dated.yaml"
    dated.write_text("common: {}\nnotebooks:\n  03_frontier_gap: {frontier_start: 2019-01-01}\n")
    assert runparams.load_params_file(dated)["notebooks"]["03_frontier_gap"] == {"frontier_start": "2019-01-01"}
    dated.write_text("common: {}\nnotebooks:\n  03_frontier_gap: {frontier_start: 2019-02-30}\n")
    with pytest.raises(RunnerError, match=r"dated.yaml holds a value YAML cannot read \(day is out of range"):
        runparams.load_params_file(dated)
    assert runparams.parse_assignments(["frontier_start=2019-02-30"]) == {"frontier_start": "2019-02-30"}
