"""The runner on behaviour-named fixture notebooks, with real papermill kernels.

Kernels are the cost here, so one first run is shared by the tests of a scratch project (they
run in file order and each leaves the project as the next expects), error paths call the CLI in
process, and the rerun reasons are unit-tested without kernels in test_fingerprint.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from opentrends.cli.main import main
from opentrends.run import runner

HF_LIKE = "hf_" + "Zx9" * 12


def make_project(root: Path, mp: pytest.MonkeyPatch, *notebooks: str) -> Path:
    """A scratch project: its own notebooks/, params/, figures/ and build/ (the real package and registry).

    Each notebook is named `NN_fixture` (the runner's naming rule) and is a copy of `fixtures/<fixture>.ipynb`.
    `simple` (and `reuses_figure_id`) cite a snapshot but read none of its bytes, and says so in its metadata (`snapshot_parameters: []`),
    so these tests need no pinned data; `needs_snapshot` makes its `source` a snapshot parameter where a test
    is about them.
    """
    for name in ("notebooks", "params", "figures", "build"):
        (root / name).mkdir(parents=True, exist_ok=True)
        mp.setenv(f"OPENTRENDS_{name.upper()}", str(root / name))
    shutil.copy(ROOT / "params" / "default.yaml", root / "params" / "default.yaml")
    for name in notebooks:
        shutil.copy(FIXTURES / f"{name.split('_', 1)[1]}.ipynb", root / "notebooks" / f"{name}.ipynb")
    return root


def needs_snapshot(notebook: Path) -> None:
    """Declare the fixture's `source` a snapshot parameter: the runner then checks and fetches that snapshot."""
    nb = json.loads(notebook.read_text())
    nb["metadata"]["opentrends"] = {"snapshot_parameters": ["source"]}
    notebook.write_text(json.dumps(nb))


def outputs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in [*(root / "figures").iterdir(), *(root / "notebooks").iterdir()]}


def run_lines(*args: str, **kwargs) -> tuple[list[runner.Outcome], list[str]]:
    lines = []
    _, outcomes = runner.run(*args, report=lambda line, error=False: lines.append(line), **kwargs)
    return outcomes, lines


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One project and its first run (two notebooks in parallel kernels, HF_TOKEN set in the environment)."""
    with pytest.MonkeyPatch.context() as mp:
        root = make_project(tmp_path_factory.mktemp("shared"), mp, "01_simple", "02_reports_environment")
        mp.setenv("HF_TOKEN", HF_LIKE)
        environ_before = dict(os.environ)
        first = run_lines(jobs=2)
        assert dict(os.environ) == environ_before  # the kernels' settings never went through os.environ
        mp.delenv("HF_TOKEN")
        yield root, first


@pytest.mark.integration
def test_first_run_writes_notebooks_figures_and_output_hashes(shared):
    root, (outcomes, lines) = shared
    assert [o.status for o in outcomes] == ["done", "done"], outcomes
    assert "01_simple: running (no previous run)" in lines and any(x.startswith("01_simple: done in") for x in lines)
    files = sorted(p.name for p in (root / "figures").iterdir())
    assert files == ["demo-squares." + e for e in ("csv", "json", "pdf", "png", "svg")] + ["index.html"]
    sidecar = json.loads((root / "figures" / "demo-squares.json").read_text())
    assert sidecar["notebook"] == "01_simple" and sidecar["parameters"] == {"n": 3, "label": "demo"}
    assert "variant" not in sidecar and sidecar["caption"] == "x against x squared."  # the default run cites no variant
    executed = (root / "notebooks" / "01_simple.ipynb").read_text()
    assert "injected-parameters" in executed and "saved demo-squares with 3 points" in executed
    state = json.loads((root / "build" / "state" / "default.json").read_text())
    assert sorted(state["01_simple"]["outputs"]) == [
        "figures/demo-squares." + e for e in ("csv", "json", "pdf", "png", "svg")
    ] + ["notebooks/01_simple.ipynb"]
    assert not (root / "build" / "staging").exists()


@pytest.mark.integration
def test_kernel_gets_its_settings_but_never_credentials(shared):
    root, _ = shared
    executed = (root / "notebooks" / "02_reports_environment.ipynb").read_text()
    assert "token visible: False" in executed and HF_LIKE not in executed
    assert "notebook: 02_reports_environment" in executed and "figures to staging: True" in executed


@pytest.mark.integration
def test_second_run_skips_unchanged(shared, capsys):
    assert main(["run"]) == 0
    out = capsys.readouterr().out
    assert "01_simple: skipped, unchanged" in out and "running" not in out
    assert ["01_simple", "skipped", "-", "unchanged"] in [line.split() for line in out.splitlines()]


@pytest.mark.integration
def test_edited_or_deleted_output_is_rebuilt_and_says_why(shared):
    root, _ = shared
    (root / "figures" / "demo-squares.png").write_bytes(b"edited by hand")
    (root / "figures" / "demo-squares.csv").unlink()
    outcomes, lines = run_lines(["01_simple"])
    assert lines[0] == (
        "01_simple: running (figures/demo-squares.csv missing; figures/demo-squares.png changed since the last run)"
    )
    assert (root / "figures" / "demo-squares.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.integration
def test_same_inputs_give_byte_identical_outputs(shared):
    root, _ = shared
    first = outputs(root)
    _, lines = run_lines(["01_simple"], force=True)
    assert lines[0] == "01_simple: running (--force)"
    second = outputs(root)
    assert sorted(first) == sorted(second) and [n for n in first if first[n] != second[n]] == []
    nb = json.loads(second["01_simple.ipynb"])
    assert set(nb["metadata"]["papermill"]) <= {"parameters", "default_parameters"}
    assert all("execution" not in c["metadata"] and "papermill" not in c["metadata"] for c in nb["cells"])
    assert [c["id"] for c in nb["cells"]] == [f"cell-{i:02d}" for i in range(len(nb["cells"]))]


@pytest.mark.integration
def test_changed_parameter_reruns_and_says_why(shared):
    root, _ = shared
    (root / "params" / "default.yaml").write_text("common: {}\nnotebooks:\n  01_simple: {n: 4}\n")
    try:
        _, lines = run_lines(["01_simple"])
        assert lines[0] == "01_simple: running (parameters changed)"
    finally:
        shutil.copy(ROOT / "params" / "default.yaml", root / "params" / "default.yaml")


@pytest.mark.integration
def test_variant_run_never_touches_committed_outputs(shared, capsys):
    root, _ = shared
    before = outputs(root)
    assert main(["run", "01_simple", "-p", "n=5", "-p", "label=five"]) == 0
    variant = root / "build" / "runs" / "label-five_n-5-074fcb1a"  # readable, then the digest of the parameters
    assert f"outputs in {variant.as_posix()}/" in capsys.readouterr().out  # OPENTRENDS_BUILD is outside the project
    assert (variant / "figures" / "five-squares.png").exists() and (variant / "figures" / "index.html").exists()
    assert "saved five-squares with 5 points" in (variant / "notebooks" / "01_simple.ipynb").read_text()
    assert outputs(root) == before
    # A variant cites itself: caption, citation and sidecar name the parameters that differ from the default run.
    sidecar = json.loads((variant / "figures" / "five-squares.json").read_text())
    assert sidecar["variant"] == {"label": {"value": "five", "default": "demo"}, "n": {"value": 5, "default": 3}}
    changed = "label='five' (default 'demo'), n=5 (default 3)"
    assert sidecar["caption"] == f"x against x squared. Variant with non-default parameters: {changed}."
    assert f"[figure five-squares, variant {changed}]" in sidecar["snippets"]["citation"]
    assert f"Variant with non-default parameters: {changed}." in sidecar["snippets"]["markdown"]


@pytest.mark.integration
def test_variant_named_default_says_where_its_outputs_went(shared, capsys):
    root, _ = shared
    before = outputs(root)
    assert main(["run", "01_simple", "--name", "default"]) == 0
    out = capsys.readouterr().out
    place = (root / "build" / "runs" / "default").as_posix()
    assert f"run 'default': 1 ok, 0 failed; outputs in {place}/" in out and "notebooks/ and figures/" not in out
    assert (root / "build" / "runs" / "default" / "figures" / "demo-squares.png").exists()
    assert outputs(root) == before


def test_rejected_variant_leaves_no_empty_run_folder(shared, capsys):
    root, _ = shared
    assert main(["run", "01_simple", "-p", "nn=4", "--name", "rejected"]) == 2
    assert "Unknown parameter(s) nn." in capsys.readouterr().err
    assert not (root / "build" / "runs" / "rejected").exists()


def test_variants_whose_readable_names_coincide_get_their_own_folders(tmp_path, monkeypatch):
    from opentrends.core import paths
    from opentrends.run import param_spec
    from opentrends.run import params as runparams

    make_project(tmp_path, monkeypatch)
    default = paths.params_dir() / "default.yaml"

    def folder(*assignments: str) -> str:
        overrides = param_spec.numbers_from_text(runparams.parse_assignments(list(assignments)))
        return runner._plan_for(None, default, overrides).name

    small, large = folder("min_training_compute=1.0e-25"), folder("min_training_compute=1.0e+25")
    assert small == "min_training_compute-1e-25-f9996a4e" and large == "min_training_compute-1e25-83515735"
    assert folder("min_training_compute=1e25") == folder("min_training_compute=1e+25") == large  # same value
    # a readable name is cut at 80 characters; the digest still tells the variants apart
    long_a, long_b = folder(f"label={'x' * 90}a"), folder(f"label={'x' * 90}b")
    assert long_a[:-9] == long_b[:-9] and long_a != long_b
    assert runner._plan_for("mine", default, {"n": 4}).name == "mine"  # --name is taken as given


@pytest.mark.integration
def test_params_file_variant_is_named_after_the_file(shared, tmp_path):
    root, _ = shared
    variant = tmp_path / "wide.yaml"
    variant.write_text("common: {n: 6}\nnotebooks: {}\n")
    assert main(["run", "01_simple", "--params", str(variant)]) == 0
    assert (root / "build" / "runs" / "wide-58cbad41" / "figures" / "demo-squares.csv").read_text().count("\n") == 7


@pytest.mark.integration
@pytest.mark.parametrize(
    "args, params_yaml, expected",
    [
        (["01_simple", "-p", "nn=4"], None, "Unknown parameter(s) nn. Valid parameters: label, n, source."),
        (["01_nope"], None, "No notebook '01_nope' in notebooks/. Known notebooks: 01_simple, 02_reports_environment."),
        ([], "common: {start_yaer: 2018}\nnotebooks: {}\n", "Unknown parameter(s) start_yaer under 'common:' in "),
        ([], "common: {}\nnotebooks:\n  01_simple: {bogus: 1}\n", "Unknown parameter(s) bogus for notebook 01_simple."),
        ([], "common: {}\nnotebooks:\n  01_simple: {n: 4\n", "default.yaml is not valid YAML at line 4, column 1"),
        (
            [],
            "common: {}\nnotebooks:\n  01_simple:\n    n: 4\n    n: 5\n",
            "default.yaml, line 5: key 'n' is given twice in the same mapping (first at line 4)",
        ),
    ],
)
def test_bad_requests_exit_2_with_one_clear_line(shared, capsys, args, params_yaml, expected):
    root, _ = shared
    if params_yaml:
        (root / "params" / "default.yaml").write_text(params_yaml)
    try:
        assert main(["run", *args]) == 2
    finally:
        shutil.copy(ROOT / "params" / "default.yaml", root / "params" / "default.yaml")
    captured = capsys.readouterr()
    assert expected in captured.err and "Traceback" not in captured.err and captured.out == ""


@pytest.mark.integration
def test_token_like_parameter_is_refused_and_written_nowhere(shared, capsys, tmp_path):
    root, _ = shared
    assert main(["run", "01_simple", "-p", f"label={HF_LIKE}"]) == 2
    assert "Parameter 'label' (from -p) looks like a Hugging Face token" in capsys.readouterr().err
    variant = tmp_path / "leaky.yaml"
    variant.write_text(f"common: {{label: {HF_LIKE}}}\nnotebooks: {{}}\n")
    assert main(["run", "--params", str(variant)]) == 2
    assert "looks like a Hugging Face token" in capsys.readouterr().err
    assert main(["run", "-p", HF_LIKE]) == 2
    assert HF_LIKE not in capsys.readouterr().err
    for path in root.rglob("*"):
        assert HF_LIKE not in path.name and (path.is_dir() or HF_LIKE.encode() not in path.read_bytes()), path


@pytest.mark.integration
def test_second_notebook_may_not_take_another_notebooks_figure_id(shared):
    root, _ = shared
    added = root / "notebooks" / "05_reuses_figure_id.ipynb"
    shutil.copy(FIXTURES / "reuses_figure_id.ipynb", added)
    try:
        outcomes, lines = run_lines(["05_reuses_figure_id"], jobs=1)
    finally:
        added.unlink()
    assert outcomes[0].status == "failed"
    assert outcomes[0].error.startswith(
        "figure id 'demo-squares' (from 01_simple) already belongs to another notebook; "
        "05_reuses_figure_id may not replace it"
    )
    assert json.loads((root / "figures" / "demo-squares.json").read_text())["notebook"] == "01_simple"
    assert (root / "build" / "failed" / "default" / "05_reuses_figure_id.ipynb").exists()
    assert not (root / "notebooks" / "05_reuses_figure_id.ipynb").exists()


@pytest.mark.integration
def test_stray_notebooks_beside_the_project_ones_are_ignored(shared, capsys):
    """A plain `nbconvert --execute` copy (same figure ids) and a JupyterLab Untitled.ipynb are not notebooks to run."""
    root, _ = shared
    strays = [root / "notebooks" / "01_simple.nbconvert.ipynb", root / "notebooks" / "Untitled.ipynb"]
    for stray in strays:
        shutil.copy(root / "notebooks" / "01_simple.ipynb", stray)
    try:
        assert main(["run"]) == 0
        out = capsys.readouterr().out
        assert "2 ok, 0 failed" in out and "nbconvert" not in out and "Untitled" not in out
        assert main(["run", "01_simple.nbconvert"]) == 2
        err = capsys.readouterr().err
        assert "'01_simple.nbconvert' is not a project notebook name: notebooks are named NN_topic.ipynb" in err
        assert "Known notebooks" not in err and "01_simple, 02_reports_environment" in err
    finally:
        for stray in strays:
            stray.unlink()


@pytest.mark.integration
def test_edited_or_deleted_gallery_is_rebuilt_and_says_why(shared):
    root, _ = shared
    index = root / "figures" / "index.html"
    good = index.read_bytes()
    with index.open("a") as handle:
        handle.write("x\n")
    outcomes, lines = run_lines()
    assert [o.status for o in outcomes] == ["skipped", "skipped"]
    assert lines[-1].endswith("figures/index.html: changed since the last run; rebuilt from the figure sidecars")
    assert index.read_bytes() == good
    index.unlink()
    _, lines = run_lines()
    assert lines[-1].endswith("figures/index.html: missing; rebuilt from the figure sidecars")
    assert index.read_bytes() == good
    _, lines = run_lines()
    assert not any("index.html" in line for line in lines)  # unchanged: nothing to say, nothing rebuilt


@pytest.mark.integration
def test_zero_or_negative_jobs_is_refused(shared, capsys):
    for jobs in ("0", "-2"):
        assert main(["run", "--jobs", jobs]) == 2
        assert f"--jobs must be a whole number of at least 1 (parallel kernels), got {jobs}." in capsys.readouterr().err


@pytest.mark.integration
@pytest.mark.parametrize("variable, args", [("OPENTRENDS_BUILD", ["--name", "v1"]), ("OPENTRENDS_FIGURES", [])])
def test_unwritable_build_or_figures_folder_is_one_clear_error(shared, capsys, monkeypatch, tmp_path, variable, args):
    afile = tmp_path / "afile"
    afile.write_text("")
    monkeypatch.setenv(variable, str(afile))
    assert main(["run", "01_simple", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: The folder {afile.as_posix()} cannot be written (it is a file, not a folder). ")
    assert f"Fix: remove or rename the file {afile.as_posix()}, or export {variable}=" in err and "Traceback" not in err


def test_missing_snapshots_are_one_block_and_needs_lists_have_no_duplicates(monkeypatch):
    from opentrends.data import availability

    def unavailable(ref):
        url = f"https://raw.githubusercontent.com/o/{ref}/{'a' * 40}/f.csv"
        return availability.Unavailable(
            ref,
            f"cache: not there; mirror: OPENTRENDS_MIRROR is not set; url: download of {url} failed: offline",
            "Fix: export OPENTRENDS_MIRROR=/abs/path/to/snapshots",
            url,
        )

    monkeypatch.setattr(availability, "why_unavailable", unavailable)
    jobs = [runner.Job("00_a", "", "", "", {}), runner.Job("01_b", "", "", "", {})]
    refs = {"00_a": ["x@1", "y@2"], "01_b": ["y@2"]}
    lines, outcomes = [], {}
    assert runner._hold_back_unavailable(jobs, refs, outcomes, lambda line, error=False: lines.append(line)) == []
    assert lines == [
        "error: pinned data not available here for 2 snapshots: x@1, y@2\n"
        "  tried: cache: not there; mirror: OPENTRENDS_MIRROR is not set; url: download of its pinned URL failed: "
        "offline\n  Fix: export OPENTRENDS_MIRROR=/abs/path/to/snapshots\n"
        "  not running the notebooks that need them: 00_a, 01_b",
        "00_a: failed (needs x@1, y@2 (not available))",
        "01_b: failed (needs y@2 (not available))",
    ]


@pytest.mark.integration
def test_notebook_snapshot_refs_are_listed_once(tmp_path, monkeypatch):
    make_project(tmp_path, monkeypatch, "01_simple")
    nb = json.loads((tmp_path / "notebooks" / "01_simple.ipynb").read_text())
    nb["metadata"].setdefault("opentrends", {})["snapshot_parameters"] = ["source", "again"]
    for cell in nb["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            cell["source"] = "".join(cell["source"]) + '\nagain = "ecosystem-graphs@2025-01-24"\n'
    (tmp_path / "notebooks" / "01_simple.ipynb").write_text(json.dumps(nb))
    from opentrends.core import paths
    from opentrends.run import params as runparams

    selected = runparams.discover()
    plan = runner._plan_for(None, paths.params_dir() / "default.yaml", {})
    _, _, refs_by_job = runner._plan_jobs(
        plan, selected, runparams.load_params_file(paths.params_dir() / "default.yaml"), {}, False, {}
    )
    assert refs_by_job == {"01_simple": ["ecosystem-graphs@2025-01-24"]}


@pytest.mark.integration
def test_notebook_without_parameters_cell_is_refused(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch, "06_no_parameters")
    assert main(["run"]) == 2
    assert "notebooks/06_no_parameters.ipynb has no cell tagged 'parameters'" in capsys.readouterr().err


@pytest.mark.integration
def test_no_notebooks_is_not_an_error(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch)
    assert main(["run"]) == 0 and "0 ok, 0 failed" in capsys.readouterr().out


def test_unregistered_snapshot_is_refused_listing_the_registered_dates(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch, "01_simple")
    needs_snapshot(tmp_path / "notebooks" / "01_simple.ipynb")
    assert main(["run", "01_simple", "-p", "source=ecosystem-graphs@2025-01-25"]) == 2
    captured = capsys.readouterr()
    assert (
        "Parameter source of notebook 01_simple names snapshot 'ecosystem-graphs@2025-01-25', which the registry does "
        "not hold. Valid values: ecosystem-graphs@2025-01-24." in captured.err
    )
    assert "running" not in captured.out and not (tmp_path / "build" / "failed").exists()


@pytest.mark.integration
def test_missing_pinned_data_is_said_once_before_any_kernel(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch, "01_simple", "03_broken")
    needs_snapshot(tmp_path / "notebooks" / "01_simple.ipynb")
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(tmp_path / "empty"))
    monkeypatch.setenv("OPENTRENDS_CACHE", str(tmp_path / "cache"))
    assert main(["run", "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    assert (
        captured.err.count("error: pinned data not available here for 1 snapshot: ecosystem-graphs@2025-01-24\n") == 1
    )
    assert captured.err.count("  tried: cache: not there; mirror: no file at ") == 1
    assert captured.err.count("Fix: the mirror ") == 1 and "export OPENTRENDS_MIRROR" not in captured.err
    assert "  not running the notebooks that need them: 01_simple\n" in captured.err
    assert "01_simple: failed (needs ecosystem-graphs@2025-01-24 (not available))" in captured.out
    assert "01_simple: running" not in captured.out and "03_broken: running" in captured.out  # the other still runs
    assert not (tmp_path / "build" / "failed" / "default" / "01_simple.ipynb").exists()


@pytest.mark.integration
def test_failing_notebook_leaves_committed_files_and_jobs_1_starts_one_at_a_time(tmp_path, monkeypatch):
    make_project(tmp_path, monkeypatch, "03_broken", "01_simple")
    shutil.copy(FIXTURES / "broken.ipynb", tmp_path / "notebooks" / "04_broken_too.ipynb")
    committed = (tmp_path / "notebooks" / "03_broken.ipynb").read_bytes()
    # In-process kernels (--jobs 1) get their settings as an argument: this process's environment never changes.
    seen, done = set(), threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.add(os.environ.get("OPENTRENDS_NOTEBOOK"))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        outcomes, lines = run_lines(jobs=1)
    finally:
        done.set()
        watcher.join()
    assert seen == {None}
    events = [re.sub(r" in [0-9.]+ s$", "", line) for line in lines]
    assert events == [
        "01_simple: running (no previous run)",
        "01_simple: done",
        "03_broken: running (no previous run)",
        "03_broken: failed (cell 3: ValueError: deliberate failure)",
        "04_broken_too: running (no previous run)",
        "04_broken_too: failed (cell 3: ValueError: deliberate failure)",
    ]
    assert (tmp_path / "notebooks" / "03_broken.ipynb").read_bytes() == committed
    failed = json.loads((tmp_path / "build" / "failed" / "default" / "03_broken.ipynb").read_text())
    errors = [o for c in failed["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors[0]["ename"] == "ValueError" and errors[0]["evalue"] == "deliberate failure"
    assert (tmp_path / "figures" / "demo-squares.png").exists()
    # a failure is not remembered as a success: the next run tries it again (checked without a kernel)
    state = json.loads((tmp_path / "build" / "state" / "default.json").read_text())
    assert sorted(state) == ["(gallery)", "01_simple"]


@pytest.mark.integration
def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock = tmp_path / "build" / "run.lock"
    lock.write_text(json.dumps({"pid": int(dead.stdout), "started": "2026-01-01 00:00:00 UTC", "command": "x"}))
    assert main(["run"]) == 0 and lock.read_text() == ""


@pytest.mark.integration
def test_sigterm_stops_a_run_like_ctrl_c_and_leaves_no_staging(tmp_path, monkeypatch):
    make_project(tmp_path, monkeypatch, "07_slow")
    run = subprocess.Popen(
        [sys.executable, "-m", "opentrends.cli.main", "run", "--jobs", "1"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert "07_slow: running" in run.stdout.readline()
        staging = tmp_path / "build" / "staging" / "default" / "07_slow"
        for _ in range(100):  # the kernel is starting or inside time.sleep(60); staging exists from the start
            if staging.exists():
                break
            time.sleep(0.1)
        assert staging.exists()
        run.send_signal(signal.SIGTERM)
        out, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 143, out + err
    assert err.rstrip().endswith("terminated; no partial files were left behind") and "Traceback" not in err
    assert not (tmp_path / "build" / "staging").exists()
    assert (tmp_path / "notebooks" / "07_slow.ipynb").read_bytes() == (FIXTURES / "slow.ipynb").read_bytes()


@pytest.mark.integration
def test_second_run_is_refused_then_ctrl_c_stops_the_first_cleanly(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch, "07_slow")
    shutil.copy(FIXTURES / "slow.ipynb", tmp_path / "notebooks" / "08_slow_too.ipynb")
    first = subprocess.Popen(
        [sys.executable, "-m", "opentrends.cli.main", "run", "--jobs", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # As at a terminal: a shell that starts this suite in the background makes children ignore SIGINT.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert "running" in first.stdout.readline() and "running" in first.stdout.readline()
        started = time.perf_counter()
        assert main(["run"]) == 1
        assert time.perf_counter() - started < 5
        err = capsys.readouterr().err
        assert f"another opentrends run is in progress in this clone (pid {first.pid}, started " in err
        assert "command: opentrends run --jobs 2)" in err
        time.sleep(2)  # the kernels are inside time.sleep(60)
        os.killpg(first.pid, signal.SIGINT)
        out, err = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert first.returncode == 130, out + err
    assert err.rstrip().endswith("interrupted; no partial files were left behind"), err
    assert "Traceback" not in err
    assert not (tmp_path / "build" / "staging").exists()
    assert sorted(p.name for p in (tmp_path / "notebooks").iterdir()) == ["07_slow.ipynb", "08_slow_too.ipynb"]
    assert (tmp_path / "notebooks" / "07_slow.ipynb").read_bytes() == (FIXTURES / "slow.ipynb").read_bytes()
    assert [p for p in tmp_path.rglob("*") if p.name.endswith((".part", ".download"))] == []


@pytest.mark.integration
def test_a_build_folder_on_another_filesystem_publishes_whole(tmp_path, monkeypatch, capsys, tmpfs):
    root = make_project(tmp_path, monkeypatch, "01_simple")
    build = tmpfs("64m")  # as with OPENTRENDS_BUILD on a tmpfs: staging and outputs on different filesystems
    monkeypatch.setenv("OPENTRENDS_BUILD", str(build))
    assert build.stat().st_dev != (root / "figures").stat().st_dev
    assert main(["run", "--force"]) == 0, capsys.readouterr().err  # was OSError: [Errno 18] Invalid cross-device link
    figures = sorted(p.name for p in (root / "figures").iterdir())
    assert figures == [f"demo-squares.{ext}" for ext in ("csv", "json", "pdf", "png", "svg")] + ["index.html"]
    assert "saved demo-squares with 3 points" in (root / "notebooks" / "01_simple.ipynb").read_text()
    assert not (build / "staging").exists()
    state = json.loads((build / "state" / "default.json").read_text())
    assert sorted(state["01_simple"]["outputs"]) == ["figures/" + f for f in figures[:-1]] + [
        "notebooks/01_simple.ipynb"
    ]


@pytest.mark.integration
def test_a_full_build_filesystem_is_one_error_naming_the_folder_and_the_fix(tmp_path, monkeypatch, capsys, tmpfs):
    root = make_project(tmp_path, monkeypatch, "01_simple")
    build = tmpfs("1m")
    monkeypatch.setenv("OPENTRENDS_BUILD", str(build))
    before = outputs(root)
    room = os.statvfs(build).f_bavail * os.statvfs(build).f_frsize
    (build / "filler").write_bytes(b"\0" * (room - 24 * 1024))  # 24 KiB left: the figures do not fit
    assert main(["run", "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"error: No space left on the filesystem of {build.as_posix()} (the run could not write there; nothing "
        "partial was published). Fix: free space on that filesystem, or export "
        "OPENTRENDS_BUILD=/path/to/a/folder/with/room.\n"
    )
    assert "01_simple: failed (no space left on device)" in captured.out and "Traceback" not in captured.out
    assert outputs(root) == before and not (build / "staging").exists()


@pytest.mark.integration
def test_a_full_disk_when_the_run_state_is_written_is_one_error(tmp_path, monkeypatch, capsys):
    import errno

    make_project(tmp_path, monkeypatch, "01_simple")

    def disk_full(target, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target.parent / f".{target.name}.x.part"))

    monkeypatch.setattr(runner, "write_text_atomic", disk_full)
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    state = (tmp_path / "build" / "state").as_posix()
    assert err == (
        f"error: No space left on the filesystem of {state} (the run could not write there; nothing partial was "
        "published). Fix: free space on that filesystem, or export OPENTRENDS_BUILD=/path/to/a/folder/with/room.\n"
    )


@pytest.mark.integration
def test_a_failed_notebook_keeps_the_pages_and_the_run_still_ends_with_its_summary(tmp_path, monkeypatch):
    # The failing notebook declares a figure it never saves: the gallery and report cannot be rebuilt whole,
    # and that is said in one line while the outcomes (and so the summary and exit 1) still come back.
    root = make_project(tmp_path, monkeypatch, "01_simple", "02_broken")
    broken = root / "notebooks" / "02_broken.ipynb"
    nb = json.loads(broken.read_text())
    nb["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "cell-99",
            "metadata": {},
            "outputs": [],
            "source": ['figures.save(fig, "never-saved", title="t", caption="c", alt_text="a", sources=[])'],
        }
    )
    broken.write_text(json.dumps(nb))
    outcomes, lines = run_lines(jobs=1)
    assert {o.name: o.status for o in outcomes} == {"01_simple": "done", "02_broken": "failed"}
    kept = [line for line in lines if line.startswith("gallery and report not rebuilt:")]
    assert len(kept) == 1 and "never-saved" in kept[0] and "02_broken" in kept[0]
    assert (root / "figures" / "demo-squares.png").is_file()
