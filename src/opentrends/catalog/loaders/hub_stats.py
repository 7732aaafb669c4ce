"""The whole-Hub models table (`cfahlgren1/hub-stats` `models.parquet`), one pinned Hub revision per snapshot.

Each snapshot is the Hub as it was on the revision's day: every public model with its likes, 30-day
downloads, creation time and declared base models. The table is read out of core by `hubquery` (DuckDB);
this loader only resolves the pinned file and checks it has the columns the queries need.
"""

from __future__ import annotations

from pathlib import Path

from opentrends.core.errors import DataError
from opentrends.core.tables import require_columns
from opentrends.data.snapshots import local_file
from opentrends.registry.sources import get_snapshot

SOURCE_ID = "hf-hub-stats"
FILE = "models.parquet"
REQUIRED = ("id", "author", "createdAt", "likes", "downloads", "baseModels")
REQUIRED_COLUMNS = {FILE: REQUIRED}


def models_path(ref: str) -> Path:
    """The verified local `models.parquet` of snapshot `ref`, after checking its columns."""
    import pyarrow.parquet as pq

    snap = get_snapshot(ref)
    if snap.source_id != SOURCE_ID:
        raise DataError(f"models_path reads {SOURCE_ID} snapshots, got {snap.ref}.")
    path = local_file(snap.ref, FILE)
    require_columns(
        pq.read_schema(path).names,
        REQUIRED,
        f"{snap.ref}/{FILE}",
        fix="The whole-Hub queries need them. Fix: check the snapshot with `opentrends verify`.",
    )
    return path
