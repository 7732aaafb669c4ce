"""Root pytest configuration (applies to tests/ and to `--nbval notebooks/`).

Notebooks validated by nbval call `figures.save`; their figures go to a throwaway folder so a
test run never rewrites the committed figures/, and the folder is removed when the session ends.
When the pinned data the notebooks read cannot be had (no OPENTRENDS_MIRROR, empty cache, no
network), their nbval cells are skipped with the reason instead of failing.

The committed notebooks are executed once per session. When tests/test_committed_outputs.py is
collected with them (`pytest --nbval`), its one forced run is the execution: it compares every
executed notebook byte for byte with the committed one, which implies every nbval cell comparison,
so the nbval items are deselected rather than executing the notebooks a second time. `pytest --nbval
notebooks/` alone (or `--nbval-execute`) still runs nbval as usual.
"""

import functools
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
_SCRATCH_FIGURES = None
if not os.environ.get("OPENTRENDS_FIGURE_OUTPUT"):
    _SCRATCH_FIGURES = tempfile.mkdtemp(prefix="opentrends-nbval-figures-")
    os.environ["OPENTRENDS_FIGURE_OUTPUT"] = _SCRATCH_FIGURES

COMMITTED_OUTPUTS_TESTS = "tests/test_committed_outputs.py"


def pytest_addoption(parser):
    parser.addoption(
        "--nbval-execute",
        action="store_true",
        help="execute the notebooks with nbval even when test_committed_outputs.py checks them",
    )


def pytest_unconfigure(config):
    if _SCRATCH_FIGURES:
        shutil.rmtree(_SCRATCH_FIGURES, ignore_errors=True)


@functools.cache
def unavailable_snapshot() -> str | None:
    """Why the notebooks' pinned data cannot be had here, or None when it can."""
    from opentrends.runner import notebook_snapshots
    from opentrends.snapshots import first_unavailable

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
