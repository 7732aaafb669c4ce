"""Provenance of the data the notebooks read, and what changed between two snapshots of a source.

Backs notebook `00_data_sources`: one row per pinned file (source, snapshot, file, short
sha256, durable upstream, size, records, license, citation) and a comparison of two snapshots of one table.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from opentrends.core.errors import UsageError
from opentrends.core.tables import read_csv_text
from opentrends.data.changes import TableComparison, compare_frames
from opentrends.data.snapshots import local_file
from opentrends.registry.model import REVISION_RE
from opentrends.registry.sources import PinnedFile, Snapshot, get_snapshot, load_registry


def record_count(path: Path) -> int | None:
    """Data records in a pinned file: CSV rows (a quoted multi-line cell is one record, not several lines),
    the entries of a JSON capture (a top-level list, or the one list inside a top-level object); None otherwise
    (a notebook, a script, a README are not tables)."""
    if path.suffix == ".csv":
        return len(read_csv_text(path))
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, list):
            return len(data)
        lists = [v for v in data.values() if isinstance(v, list)] if isinstance(data, dict) else []
        return len(lists[0]) if len(lists) == 1 else None
    return None


def durable_upstream(pinned: PinnedFile, snapshot: Snapshot) -> str:
    """Where these exact bytes can be had forever: `commit <12 hex>` (a URL at that commit) or `hub <12 hex>`."""
    if pinned.url:
        commit = next(
            (seg for seg in urllib.parse.urlsplit(pinned.url).path.split("/") if REVISION_RE.match(seg)), None
        )
        if commit:
            return f"commit {commit[:12]}"
    if snapshot.hub:
        return f"hub {snapshot.hub.revision[:12]}"
    return "none"


def provenance_table(refs: Sequence[str]) -> pd.DataFrame:
    """One row per pinned file of each snapshot in `refs`, with data records counted (see `record_count`)."""
    registry = load_registry()
    rows = []
    for ref in refs:
        snapshot = get_snapshot(ref, registry)
        source = registry[snapshot.source_id]
        for pinned in snapshot.files:
            path = local_file(snapshot.ref, pinned.path, registry)
            n_rows = record_count(path)
            rows.append(
                {
                    "source": source.id,
                    "snapshot": snapshot.date,
                    "file": pinned.path,
                    "sha256": pinned.sha256[:12],
                    "upstream": durable_upstream(pinned, snapshot),
                    "size_bytes": pinned.size,
                    "rows": pd.NA if n_rows is None else n_rows,
                    "license": source.license.name,
                    "citation": source.citation,
                }
            )
    table = pd.DataFrame(rows)
    table["rows"] = table["rows"].astype("Int64")
    return table


def compare_snapshots(
    old_ref: str, new_ref: str, file: str, key: str | None = None, columns: Sequence[str] | None = None
) -> TableComparison:
    """Compare one CSV between two snapshots of a source, on the source's registered key and columns."""
    registry = load_registry()
    old, new = get_snapshot(old_ref, registry), get_snapshot(new_ref, registry)
    if old.source_id != new.source_id:
        raise UsageError(f"compare two snapshots of one source, got {old.ref} and {new.ref}")
    source = registry[old.source_id]
    key = key or source.key
    if not key:
        raise UsageError(f"source {source.id} has no `key` column registered; pass key=")
    columns = list(columns) if columns is not None else list(source.compare_columns)
    old_table = read_csv_text(local_file(old.ref, file, registry))
    new_table = read_csv_text(local_file(new.ref, file, registry))
    return compare_frames(old_table, new_table, key, columns)


def change_counts(comparison: TableComparison) -> pd.DataFrame:
    """Tidy counts for a figure: change (added / removed / '<column> changed'), n."""
    rows = [
        {"change": "added", "n": comparison.count("added")},
        {"change": "removed", "n": comparison.count("removed")},
    ]
    changed = comparison.changes[comparison.changes["kind"] == "changed"]
    for column, group in changed.groupby("column", sort=True):
        rows.append({"change": f"{column} changed", "n": len(group)})
    return pd.DataFrame(rows)


def format_bytes(size: int) -> str:
    """1 decimal MiB/KiB for tables."""
    for unit, factor in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} B"


def registered_refs() -> list[str]:
    """Every registered snapshot ref (`source@date`), the valid values of a list of sources to describe."""
    return [snapshot.ref for source in load_registry().values() for snapshot in source.snapshots]


def comparable_refs() -> list[str]:
    """Snapshots of sources with a registered `key`: the ones `compare_snapshots` can compare."""
    return [snapshot.ref for source in load_registry().values() if source.key for snapshot in source.snapshots]


def comparable_files(old_ref: str, new_ref: str) -> list[str]:
    """CSV files pinned in both snapshots: the files `compare_snapshots` can compare between them."""
    registry = load_registry()
    old, new = get_snapshot(old_ref, registry), get_snapshot(new_ref, registry)
    held = {pinned.path for pinned in new.files}
    return [pinned.path for pinned in old.files if pinned.path in held and pinned.path.endswith(".csv")]


def snapshot_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per snapshot of a `provenance_table`: its file count, total bytes and records, its upstream(s)
    and license, so a snapshot of hundreds of daily files (the trending archive) reads as one line."""
    grouped = table.groupby(["source", "snapshot"], sort=False)
    summary = grouped.agg(
        files=("file", "size"),
        size_bytes=("size_bytes", "sum"),
        rows=("rows", lambda r: r.sum(min_count=1)),
        upstream=("upstream", lambda u: "; ".join(dict.fromkeys(u))),
        license=("license", "first"),
    ).reset_index()
    summary["rows"] = summary["rows"].astype("Int64")
    return summary


def file_rows(table: pd.DataFrame, max_files: int = 20) -> pd.DataFrame:
    """The per-file rows of a `provenance_table` for snapshots of at most `max_files` files (a snapshot of
    daily files is summarised by `snapshot_summary`; `opentrends verify` lists every file), sizes readable."""
    files = table.groupby(["source", "snapshot"], sort=False)["file"].transform("size")
    shown = table[files <= max_files].reset_index(drop=True)
    return shown.assign(size=shown["size_bytes"].map(format_bytes)).drop(columns=["size_bytes", "citation"])
