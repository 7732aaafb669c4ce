"""Shared fixtures. Tests that need the real pinned data skip when no mirror is set and the bytes cannot be fetched.

Every such skip gives a reason starting with "pinned data" (as `availability.first_unavailable` does); the root
conftest.py counts them and ends the run with ONE summary line and the fix, for any pytest run in the repo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Behaviour-named notebooks under fixtures/ are inputs to runner tests, not notebooks to validate.
collect_ignore = ["fixtures"]

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


PINNED_DATA_SKIP = "pinned data"  # the start of every skip reason for data that cannot be had here (root conftest)


@pytest.fixture
def real_snapshot():
    """Call with `source@date`; skips the test when those pinned bytes cannot be had here."""
    from opentrends.data.availability import first_unavailable

    def need(ref: str) -> str:
        reason = first_unavailable([ref])
        if reason:
            pytest.skip(reason)
        return ref

    return need


@pytest.fixture
def mirror_root() -> Path:
    """The offline mirror named by OPENTRENDS_MIRROR (skip when unset)."""
    from opentrends.core import paths

    mirror = paths.mirror_dir()
    if mirror is None or not mirror.is_dir():
        pytest.skip(
            f"{PINNED_DATA_SKIP} not available here: OPENTRENDS_MIRROR does not name a folder, and this "
            "test reads mirror files directly"
        )
    return mirror


@pytest.fixture
def tmpfs(tmp_path):
    """Call with a size (`"1m"`): a fresh folder on its own tmpfs, another filesystem than tmp_path's.

    Mounting needs root (CAP_SYS_ADMIN); without it the test skips, saying so. Unmounted at teardown.
    """
    mounted = []

    def mount(size: str = "64m") -> Path:
        where = tmp_path / f"tmpfs-{len(mounted)}"
        where.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode().strip() or done.returncode}")
        mounted.append(where)
        assert where.stat().st_dev != tmp_path.stat().st_dev
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """An empty cache and a private copy of the registry, so a test can change both freely."""
    cache = tmp_path / "cache"
    registry = tmp_path / "registry"
    shutil.copytree(ROOT / "data" / "sources", registry, ignore=shutil.ignore_patterns("*.md"))
    monkeypatch.setenv("OPENTRENDS_CACHE", str(cache))
    monkeypatch.setenv("OPENTRENDS_REGISTRY", str(registry))
    return tmp_path


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real `opentrends` console entry point in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "opentrends.cli.main", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=600,
        check=False,
    )


def first_cell_checks(notebook: str, assignments: list[str]) -> BaseException | None:
    """Run a committed notebook's parameter checks in this process, as a kernel would: its `parameters` cell, the
    `-p NAME=VALUE` overrides parsed as `opentrends run -p` parses them (papermill injects the same values), then
    the first code cell after them (the checks). Returns the exception that cell raised, or None.

    Seconds cheaper than a kernel per case; each notebook keeps one kernel-backed case (tests/test_checks.py)
    showing that a real run fails in that same cell.
    """
    import matplotlib

    from opentrends.run import params as runparams

    nb = runparams.read_notebook_json(ROOT / "notebooks" / f"{notebook}.ipynb")
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "injected-parameters" not in runparams.tags(c)]
    first = next(i for i, c in enumerate(code) if "parameters" in runparams.tags(c))

    def source(cell: dict) -> str:
        return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])

    namespace: dict = {"__name__": "__main__"}
    cwd = os.getcwd()
    os.chdir(ROOT / "notebooks")  # the kernel's working folder in a run
    try:
        with matplotlib.rc_context():  # a checks cell may set the figure style; leave this process's as it was
            exec(compile(source(code[first]), f"{notebook}: parameters cell", "exec"), namespace)
            namespace.update(runparams.parse_assignments(assignments))
            try:
                exec(compile(source(code[first + 1]), f"{notebook}: checks cell", "exec"), namespace)
            except Exception as exc:  # what the notebook's first cell raises is the result under test
                return exc
    finally:
        os.chdir(cwd)
    return None


# A Jupyter kernel started by a test not marked `integration` would slow `make test-fast` (which runs none).
# Each such test points IPYTHONDIR at a profile whose startup script records the test that started the kernel
# (kernels inherit the environment, as a notebook run's do); the test then fails naming the fix.
_KERNEL_STARTUP = """import os
with open(os.environ["OPENTRENDS_TEST_KERNEL_LOG"], "a", encoding="utf-8") as log:
    log.write(os.environ.get("PYTEST_CURRENT_TEST", "?") + "\\n")
"""


@pytest.fixture(scope="session")
def _kernel_watch():
    # a folder of its own, removed at the end (pytest's basetemp would outlive a test session: test_test_session)
    profile = Path(tempfile.mkdtemp(prefix="opentrends-ipython-"))
    startup = profile / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-record-kernel.py").write_text(_KERNEL_STARTUP, encoding="utf-8")
    yield profile, profile / "kernels.log"
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_kernel_outside_integration(request, monkeypatch, _kernel_watch):
    if request.node.get_closest_marker("integration"):
        yield
        return
    profile, log = _kernel_watch
    monkeypatch.setenv("IPYTHONDIR", str(profile))
    monkeypatch.setenv("OPENTRENDS_TEST_KERNEL_LOG", str(log))
    before = log.read_text(encoding="utf-8").count("\n") if log.exists() else 0
    yield
    started = log.read_text(encoding="utf-8").count("\n") - before if log.exists() else 0
    if started:
        pytest.fail(
            f"{request.node.nodeid} started {started} Jupyter kernel(s) but is not marked integration; "
            "fix: add @pytest.mark.integration (make test-fast runs no kernel)",
            pytrace=False,
        )
