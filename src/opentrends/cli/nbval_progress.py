"""A pytest plugin for `opentrends review`'s nbval step: one line per notebook as its last cell finishes.

Loaded into the review's pytest subprocess with `-p opentrends.cli.nbval_progress`. It reads each item's
notebook from `item.path`, never from pytest's printed node ids, whose form changes between pytest versions
(pytest 9 prints `notebooks/00_data_sources::ipynb::Cell 0` in verbose mode). Each line starts with `PREFIX`:

    [nbval] 00_data_sources.ipynb: 9 passed
    [nbval] 02_us_vs_china.ipynb: 1 failed, 11 passed
    [nbval] 03_frontier_gap.ipynb: skipped: pinned data ... not available here (...)

A notebook counts as skipped only when every one of its cells was skipped; the line then gives the first reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

PREFIX = "[nbval] "


@dataclass
class _Notebook:
    items: int
    done: int = 0
    outcomes: Counter = field(default_factory=Counter)
    reason: str = ""


def _reason(report) -> str:
    """The skip reason pytest records as (file, line, "Skipped: reason")."""
    longrepr = report.longrepr
    text = str(longrepr[2]) if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr or "")
    return text.removeprefix("Skipped: ")


def line(name: str, outcomes: Counter, reason: str = "") -> str:
    """The line for one finished notebook: its counts, or `skipped: <reason>` when no cell ran."""
    if outcomes and set(outcomes) == {"skipped"}:
        return f"{PREFIX}{name}: skipped: {reason or 'no reason given'}"
    counts = ", ".join(f"{outcomes[k]} {k}" for k in ("failed", "passed", "skipped") if outcomes[k])
    return f"{PREFIX}{name}: {counts}"


class Progress:
    """Counts each notebook's cells as they finish and writes the notebook's line after its last one."""

    def __init__(self, config) -> None:
        self.config = config
        self.notebooks: dict[str, _Notebook] = {}
        self.notebook_of: dict[str, str] = {}  # node id -> notebook file name
        self.outcome: dict[str, str] = {}

    def pytest_collection_finish(self, session) -> None:
        """Count each notebook's cells (the items nbval collected from it)."""
        for item in session.items:
            if item.path.suffix == ".ipynb":
                self.notebook_of[item.nodeid] = item.path.name
                self.notebooks.setdefault(item.path.name, _Notebook(0)).items += 1

    def pytest_runtest_logreport(self, report) -> None:
        """Record a cell's outcome; after the last cell of a notebook, write the notebook's line."""
        name = self.notebook_of.get(report.nodeid)
        if name is None:
            return
        notebook = self.notebooks[name]
        # A failure in any phase fails the cell; a skip comes from setup (a skip marker) or the call.
        if report.failed:
            self.outcome[report.nodeid] = "failed"
        elif report.skipped:
            self.outcome.setdefault(report.nodeid, "skipped")
            notebook.reason = notebook.reason or _reason(report)
        elif report.when == "call":
            self.outcome.setdefault(report.nodeid, "passed")
        if report.when != "teardown":
            return
        notebook.done += 1
        notebook.outcomes[self.outcome.get(report.nodeid, "passed")] += 1
        if notebook.done == notebook.items:
            reporter = self.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                if reporter._tw.width_of_current_line:  # after the progress dots: a line of its own
                    reporter._tw.line()
                reporter.write_line(line(name, notebook.outcomes, notebook.reason))
                reporter._tw.flush()  # a pipe buffers: the review shows the line now, not at the end


def pytest_configure(config) -> None:
    """Register the counter (pytest calls this when the plugin is loaded with `-p`)."""
    config.pluginmanager.register(Progress(config), "opentrends-nbval-progress")
