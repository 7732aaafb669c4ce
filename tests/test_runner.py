"""The runner on behaviour-named fixture notebooks, with real papermill kernels."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_cli
from opentrends import runner


class Project(type(Path())):
    """A scratch project folder; `add` copies fixture notebooks into its notebooks/."""

    def add(self, *names: str) -> None:
        for n in names:
            shutil.copy(FIXTURES / f"{n}.ipynb", self / "notebooks" / f"{n}.ipynb")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A scratch project: its own notebooks/, params/, figures/ and build/ (the real package and registry)."""
    for name in ("notebooks", "params", "figures", "build"):
        (tmp_path / name).mkdir()
        monkeypatch.setenv(f"OPENTRENDS_{name.upper()}", str(tmp_path / name))
    shutil.copy(ROOT / "params" / "default.yaml", tmp_path / "params" / "default.yaml")
    return Project(tmp_path)


def cli(*args: str) -> subprocess.CompletedProcess:
    return run_cli("run", *args)


def test_run_writes_notebook_and_figures_then_skips(project):
    project.add("simple")
    first = cli()
    assert first.returncode == 0, first.stderr
    assert "simple: running (no previous run)" in first.stdout
    assert "simple: done in" in first.stdout
    files = sorted(p.name for p in (project / "figures").iterdir())
    assert files == ["demo-squares." + e for e in ("csv", "json", "pdf", "png", "svg")] + ["index.html"]
    sidecar = json.loads((project / "figures" / "demo-squares.json").read_text())
    assert sidecar["notebook"] == "simple" and sidecar["parameters"] == {"n": 3, "label": "demo"}
    assert sidecar["sources"][0]["ref"] == "ecosystem-graphs@2025-01-24"
    executed = json.loads((project / "notebooks" / "simple.ipynb").read_text())
    assert any("injected-parameters" in c["metadata"].get("tags", []) for c in executed["cells"])
    assert "saved demo-squares with 3 points" in json.dumps(executed)

    second = cli()
    assert second.returncode == 0
    assert "simple: skipped, unchanged" in second.stdout
    assert ["simple", "skipped", "-", "unchanged"] in [l.split() for l in second.stdout.splitlines()]


def test_changed_input_reruns_and_says_why(project):
    project.add("simple")
    assert cli().returncode == 0
    (project / "params" / "default.yaml").write_text("common: {}\nnotebooks:\n  simple: {n: 4}\n")
    result = cli()
    assert "simple: running (parameters changed)" in result.stdout
    (project / "figures" / "demo-squares.png").unlink()
    result = cli()
    assert "simple: running (1 figure file(s) missing)" in result.stdout
    assert "simple: running (--force)" in cli("--force").stdout


def test_variant_run_never_touches_committed_outputs(project):
    project.add("simple")
    assert cli().returncode == 0
    before = {p.name: p.read_bytes() for p in [*(project / "figures").iterdir(), *(project / "notebooks").iterdir()]}
    result = cli("simple", "-p", "n=5", "-p", "label=five")
    assert result.returncode == 0, result.stderr
    assert "outputs in build/runs/label-five_n-5/" in result.stdout
    variant = project / "build" / "runs" / "label-five_n-5"
    assert (variant / "figures" / "five-squares.png").exists()
    assert (variant / "figures" / "index.html").exists()
    assert "saved five-squares with 5 points" in (variant / "notebooks" / "simple.ipynb").read_text()
    after = {p.name: p.read_bytes() for p in [*(project / "figures").iterdir(), *(project / "notebooks").iterdir()]}
    assert after == before


def test_params_file_variant_is_named_after_the_file(project, tmp_path):
    project.add("simple")
    variant = tmp_path / "wide.yaml"
    variant.write_text("common: {n: 6}\nnotebooks: {}\n")
    result = cli("--params", str(variant))
    assert result.returncode == 0, result.stderr
    assert (project / "build" / "runs" / "wide" / "figures" / "demo-squares.csv").read_text().count("\n") == 7


def test_unknown_parameter_lists_the_valid_ones(project):
    project.add("simple")
    result = cli("simple", "-p", "nn=4")
    assert result.returncode == 2
    assert "Unknown parameter(s) nn" in result.stderr
    assert "Valid parameters: label, n, source" in result.stderr
    (project / "params" / "default.yaml").write_text("common: {}\nnotebooks:\n  simple: {bogus: 1}\n")
    result = cli()
    assert result.returncode == 2 and "Unknown parameter(s) bogus for notebook simple" in result.stderr


def test_notebook_without_parameters_cell_is_refused(project):
    project.add("no_parameters")
    result = cli()
    assert result.returncode == 2
    assert "notebooks/no_parameters.ipynb has no cell tagged 'parameters'" in result.stderr


def test_unknown_notebook_lists_known_ones(project):
    project.add("simple")
    result = cli("01_nope")
    assert result.returncode == 2 and "No notebook '01_nope'" in result.stderr and "simple" in result.stderr


def test_failing_notebook_leaves_committed_files_and_others_finish(project):
    project.add("simple", "broken")
    committed_broken = (project / "notebooks" / "broken.ipynb").read_bytes()
    result = cli("--jobs", "2")
    assert result.returncode == 1
    assert "broken: failed (cell 3: ValueError: deliberate failure)" in result.stdout
    assert "simple: done in" in result.stdout
    assert "failed notebooks were saved with their errors under build/failed/default/" in result.stdout
    assert (project / "notebooks" / "broken.ipynb").read_bytes() == committed_broken
    failed = json.loads((project / "build" / "failed" / "default" / "broken.ipynb").read_text())
    errors = [o for c in failed["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors[0]["ename"] == "ValueError" and errors[0]["evalue"] == "deliberate failure"
    assert (project / "figures" / "demo-squares.png").exists()
    # a failure is not remembered as a success: the next run tries it again
    assert "broken: running (no previous run)" in cli().stdout


def test_same_inputs_give_byte_identical_outputs(project, tmp_path):
    project.add("simple")
    assert cli().returncode == 0
    first = {p.name: p.read_bytes() for p in [*(project / "figures").iterdir(), *(project / "notebooks").iterdir()]}
    assert cli("--force").returncode == 0
    second = {p.name: p.read_bytes() for p in [*(project / "figures").iterdir(), *(project / "notebooks").iterdir()]}
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    nb = json.loads(second["simple.ipynb"])
    assert set(nb["metadata"]["papermill"]) <= {"parameters", "default_parameters"}
    assert all("execution" not in c["metadata"] and "papermill" not in c["metadata"] for c in nb["cells"])
    assert [c["id"] for c in nb["cells"]] == [f"cell-{i:02d}" for i in range(len(nb["cells"]))]


def test_ctrl_c_leaves_no_half_written_file(project):
    project.add("slow", "simple")
    assert cli("simple").returncode == 0
    committed = {p: p.read_bytes() for p in (project / "notebooks").iterdir()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "opentrends.cli", "run", "--jobs", "1", "slow"], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        # As at a terminal: a shell that starts this suite in the background makes children ignore SIGINT.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert "slow: running" in proc.stdout.readline()
    time.sleep(4)  # the kernel is inside time.sleep(60)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, out + err
    assert "interrupted; no partial files were left behind" in err
    assert {p: p.read_bytes() for p in (project / "notebooks").iterdir()} == committed
    partial = [p for p in project.rglob("*") if p.name.endswith((".part", ".download"))]
    assert partial == []
    assert not (project / "figures" / "index.html").read_text().count("slow")


def test_no_notebooks_is_not_an_error(project):
    result = cli()
    assert result.returncode == 0
    assert "0 ok, 0 failed" in result.stdout


def test_effective_parameters_precedence():
    declared = {"a": 1, "b": 2, "c": 3}
    params = {"common": {"a": 10, "zzz": 0}, "notebooks": {"nb": {"b": 20}}}
    values, unused = runner.effective_parameters("nb", declared, params, {"c": 30, "other": 1})
    assert values == {"a": 10, "b": 20, "c": 30}
    assert unused == ["other"]


def test_credentials_never_reach_a_notebook_kernel(project, tmp_path):
    notebook = FIXTURES / "simple.ipynb"
    data = json.loads(notebook.read_text())
    data["cells"].append({"cell_type": "code", "execution_count": None, "id": "cell-99", "metadata": {}, "outputs": [],
                          "source": "import os\nprint('token visible:', 'HF_TOKEN' in os.environ)"})
    (project / "notebooks" / "simple.ipynb").write_text(json.dumps(data))
    result = run_cli("run", env={"HF_TOKEN": "hf_secret"})
    assert result.returncode == 0, result.stderr
    executed = (project / "notebooks" / "simple.ipynb").read_text()
    assert "token visible: False" in executed and "hf_secret" not in executed
