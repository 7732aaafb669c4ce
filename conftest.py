"""Root pytest configuration (applies to tests/ and to `--nbval notebooks/`).

Notebooks validated by nbval call `figures.save`; their figures go to a throwaway folder so a
test run never rewrites the committed figures/. When the pinned data the notebooks read cannot
be had (no OPENTRENDS_MIRROR, empty cache, no network), their nbval cells are skipped with the
reason instead of failing.
"""

import functools
import os
import tempfile

import pytest

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OPENTRENDS_FIGURE_OUTPUT", tempfile.mkdtemp(prefix="opentrends-nbval-figures-"))

@functools.cache
def unavailable_snapshot() -> str | None:
    """Why the notebooks' pinned data cannot be had here, or None when it can."""
    from opentrends.runner import notebook_snapshots
    from opentrends.snapshots import first_unavailable

    return first_unavailable(notebook_snapshots())


def pytest_collection_modifyitems(config, items):
    notebook_items = [item for item in items if str(item.fspath).endswith(".ipynb")]
    if notebook_items and (reason := unavailable_snapshot()):
        for item in notebook_items:
            item.add_marker(pytest.mark.skip(reason=reason))
