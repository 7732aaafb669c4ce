"""One loader module per source, registered here and nowhere else.

A loader module (`opentrends.catalog.loaders.<name>`) holds everything specific to one source: its
`SOURCE_ID`, the label sets its columns may contain (beside the code that checks them), and
public `load_*` functions that read pinned snapshot files (through `snapshots.local_file`, or
`members.table_file` for a file that may be a member of a pinned zip) into
tidy tables, failing at load time with the file, the expectation and the fix.

Adding a source: register it in `data/sources/<id>.yaml`, write `loaders/<name>.py`, and add one
line to `LOADERS` below (or to `PROVENANCE_ONLY` with the reason no analysis reads it). A
convention test checks that every registered source is in exactly one of the two.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from opentrends.core.errors import UsageError

# source id -> loader module (imported on first use, so `opentrends run` starts fast)
LOADERS: dict[str, str] = {
    "epoch-ai-models": "opentrends.catalog.loaders.epoch",
    "ecosystem-graphs": "opentrends.catalog.loaders.ecosystem_graphs",
    "epoch-benchmarks-eci": "opentrends.catalog.loaders.eci",
    "epoch-open-models-report": "opentrends.catalog.loaders.epoch_report",
    "hf-hub-top-models": "opentrends.catalog.loaders.hub_top",
    "hf-model-trees": "opentrends.catalog.loaders.hf_trees",
    "atom-tracked-models": "opentrends.catalog.loaders.atom",
    "osai-index": "opentrends.catalog.loaders.osai",
    "hf-hub-stats": "opentrends.catalog.loaders.hub_stats",
    "hf-derivative-growth": "opentrends.catalog.loaders.hf_growth",
    "hf-trending-archive": "opentrends.catalog.loaders.hf_trending",
    "eci-reproduced-intervals": "opentrends.catalog.loaders.eci_intervals",
    "arena-leaderboard-history": "opentrends.catalog.loaders.arena",
}

# Registered for provenance (listed in notebook 00, verified, cited) but read by no analysis yet.
PROVENANCE_ONLY: dict[str, str] = {
    "fmti": "developer-level transparency scores; not yet used by a notebook",
    "hf-hub-api-top": "captures made by `opentrends hub capture top`; none pinned yet",
    "hf-hub-api-trees": "captures made by `opentrends hub capture tree`; none pinned yet",
}


def loader(source_id: str) -> ModuleType:
    """The loader module of `source_id`; an error names the registered loaders."""
    if source_id not in LOADERS:
        raise UsageError(
            f"No loader for source '{source_id}'. Loaders: {', '.join(sorted(LOADERS))}"
            + (
                f"; '{source_id}' is provenance-only ({PROVENANCE_ONLY[source_id]})."
                if source_id in PROVENANCE_ONLY
                else "."
            )
        )
    return importlib.import_module(LOADERS[source_id])
