"""Root pytest configuration (applies to tests/ and to `--nbval notebooks/`).

Notebooks validated by nbval call `figures.save`; their figures go to a throwaway folder so a
test run never rewrites the committed figures/, and the folder is removed when the session ends.
When the pinned data the notebooks read cannot be had (no OPENTRENDS_MIRROR, empty cache, no
network), their nbval cells are skipped with the reason instead of failing.

The committed notebooks are executed once per session. When tests/test_committed_outputs.py is
collected with them (`pytest --nbval`), its one forced run is the execution: it compares every
executed notebook byte for byte with the committed one, which implies every nbval cell comparison,
so the nbval items are deselected rather than executing the notebooks a second time. Under pytest-xdist
`make test` runs `-n 2 --dist loadscope`: each test module runs whole on one worker, so a module-scoped
fixture (this run, the robustness variant runs, the runner's shared project) still runs once, and its tests
keep their order (`--dist loadgroup` would group finer, but xdist 3.8 cannot rename nodes under pytest 9).
`pytest --nbval notebooks/` alone (or `--nbval-execute`) still runs nbval as usual.

Only the project's notebooks (`NN_topic.ipynb`, as `opentrends run` executes) are collected from
notebooks/: a stray `x.nbconvert.ipynb` or `Untitled.ipynb` there is ignored.

Every test (or nbval cell) skipped because pinned data cannot be had here gives a reason starting
with "pinned data"; a test skipped for a missing browser starts its reason with "no browser"
(tests/chromium.py), one skipped for a missing network with "no network", each saying the fix. ANY
pytest run in this repo (tests/, `--nbval notebooks/...`, or both) ends with the skip summary: one
line per other reason, then the network and browser lines (count and reason, fix included), and last
ONE line counting the data skips and giving the fix that fits the cause (no mirror set, a mirror
folder that is missing or lacks files, an unwritable cache). So a run that skipped half the suite, or
every browser test, cannot pass unnoticed: its last lines say what was not checked and why.
"""

import functools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
_SCRATCH_FIGURES = None
if not os.environ.get("OPENTRENDS_FIGURE_OUTPUT"):
    _SCRATCH_FIGURES = tempfile.mkdtemp(prefix="opentrends-nbval-figures-")
    os.environ["OPENTRENDS_FIGURE_OUTPUT"] = _SCRATCH_FIGURES

COMMITTED_OUTPUTS_TESTS = "tests/test_committed_outputs.py"
NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
PINNED_DATA_SKIP = "pinned data"  # the start of every skip reason for data that cannot be had here
BROWSER_SKIP = "no browser"  # the start of every skip reason for a browser that is not installed (tests/chromium.py)
NETWORK_SKIP = "no network"  # the start of every skip reason for a network that cannot be reached
_SKIPPED_FOR_DATA = pytest.StashKey[int]()
_SKIPPED_OTHERWISE = pytest.StashKey[list]()  # (count, reason) per reason that is not missing data, in print order


def pytest_addoption(parser):
    parser.addoption(
        "--nbval-execute",
        action="store_true",
        help="execute the notebooks with nbval even when test_committed_outputs.py checks them",
    )


def pytest_ignore_collect(collection_path, config):
    """Skip notebooks/ files not named like the project's notebooks (NN_topic.ipynb); defer on anything else."""
    from opentrends.run.params import is_project_notebook

    path = Path(collection_path)
    if path.suffix == ".ipynb" and path.resolve().parent == NOTEBOOKS and not is_project_notebook(path):
        return True
    return None


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr or "")


def _tests(count: int) -> str:
    return f"{count} test" if count == 1 else f"{count} tests"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Count the skipped tests (and nbval notebook cells) by cause: pinned data, and every other reason."""
    reasons = {r.nodeid: _skip_reason(r) for r in terminalreporter.stats.get("skipped", [])}
    config.stash[_SKIPPED_FOR_DATA] = sum(PINNED_DATA_SKIP in reason for reason in reasons.values())
    counts: dict[str, int] = {}
    for reason in reasons.values():
        if PINNED_DATA_SKIP not in reason:
            counts[reason] = counts.get(reason, 0) + 1

    def rank(reason: str) -> tuple[int, str]:  # other reasons, then network, then browser; data comes last
        return (2 if reason.startswith(BROWSER_SKIP) else 1 if reason.startswith(NETWORK_SKIP) else 0, reason)

    config.stash[_SKIPPED_OTHERWISE] = [(counts[reason], reason) for reason in sorted(counts, key=rank)]


def pytest_unconfigure(config):
    if _SCRATCH_FIGURES:
        shutil.rmtree(_SCRATCH_FIGURES, ignore_errors=True)
    # Printed here, after pytest's own "N passed, M skipped" line, so they are the last lines of the run.
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    for count, reason in config.stash.get(_SKIPPED_OTHERWISE, []):
        reporter.write_line(f"{_tests(count)} skipped: {reason}")
    count = config.stash.get(_SKIPPED_FOR_DATA, 0)
    if count:
        from opentrends.data.availability import no_data_fix

        reporter.write_line(f"{_tests(count)} skipped: pinned data not available here ({no_data_fix()})")


@functools.cache
def unavailable_snapshot() -> str | None:
    """Why the notebooks' pinned data cannot be had here, or None when it can."""
    from opentrends.data.availability import first_unavailable
    from opentrends.run.runner import notebook_snapshots

    return first_unavailable(notebook_snapshots())


def pytest_collection_modifyitems(config, items):
    notebook_items = [item for item in items if str(item.fspath).endswith(".ipynb")]
    if not notebook_items:
        return
    checked_by_one_run = any(item.nodeid.startswith(COMMITTED_OUTPUTS_TESTS) for item in items)
    if checked_by_one_run and not config.getoption("--nbval-execute"):
        config.hook.pytest_deselected(items=notebook_items)
        dropped = set(map(id, notebook_items))
        items[:] = [item for item in items if id(item) not in dropped]
        return
    if reason := unavailable_snapshot():
        for item in notebook_items:
            item.add_marker(pytest.mark.skip(reason=reason))
