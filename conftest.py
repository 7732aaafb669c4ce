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
with "pinned data", and ANY pytest run in this repo (tests/, `--nbval notebooks/...`, or both) ends
with ONE line counting them and giving the fix that fits the cause (no mirror set, a mirror folder
that is missing or lacks files, an unwritable cache), so a run that skipped half the suite cannot
pass unnoticed. A check of the pinned URLs skipped for want of the upstream manifest (tests/test_upstream_manifest.py)
repeats its reason there too.
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
# The start of the skip reason of tests/test_upstream_manifest.py: a check of every pinned URL must not vanish quietly.
MANIFEST_SKIP = "upstream manifest"
_SKIPPED_FOR_DATA = pytest.StashKey[int]()
_SKIPPED_FOR_MANIFEST = pytest.StashKey[list]()


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
        return str(longrepr[2])
    return str(longrepr or "")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Count the tests (and nbval notebook cells) skipped because pinned data could not be had here."""
    skipped = terminalreporter.stats.get("skipped", [])
    config.stash[_SKIPPED_FOR_DATA] = len({r.nodeid for r in skipped if PINNED_DATA_SKIP in _skip_reason(r)})
    manifest = {r.nodeid: _skip_reason(r) for r in skipped if MANIFEST_SKIP in _skip_reason(r)}
    config.stash[_SKIPPED_FOR_MANIFEST] = sorted(set(manifest.values()))


def pytest_unconfigure(config):
    if _SCRATCH_FIGURES:
        shutil.rmtree(_SCRATCH_FIGURES, ignore_errors=True)
    # Printed here, after pytest's own "N passed, M skipped" line, so it is the last line of the run.
    count = config.stash.get(_SKIPPED_FOR_DATA, 0)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if count and reporter is not None:
        from opentrends.data.availability import no_data_fix

        noun = "test" if count == 1 else "tests"
        reporter.write_line(f"{count} {noun} skipped: pinned data not available here ({no_data_fix()})")
    for reason in config.stash.get(_SKIPPED_FOR_MANIFEST, []) if reporter is not None else []:
        reporter.write_line(f"skipped: {reason.removeprefix('Skipped: ')}")


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
