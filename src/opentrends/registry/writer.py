"""Write snapshot entries into the registry with a round-trip YAML writer, so comments and key order survive."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import yaml

from opentrends.core import paths
from opentrends.core.atomic import write_text_atomic
from opentrends.registry.model import PinnedFile, Snapshot, Source
from opentrends.registry.sources import YAML_LOADER, as_text, parse_source


def _file_to_dict(pinned: PinnedFile) -> dict:
    entry = {
        k: v for k, v in (("path", pinned.path), ("sha256", pinned.sha256), ("size", pinned.size)) if v is not None
    }
    if pinned.url is not None:
        entry["url"] = pinned.url
    if pinned.members:  # after the url, so a zip's own pin reads first
        entry["members"] = [
            {k: v for k, v in (("path", m.path), ("sha256", m.sha256), ("size", m.size)) if v is not None}
            for m in pinned.members
        ]
    return entry


def snapshot_to_dict(snapshot: Snapshot) -> dict:
    """The registry form of a snapshot (inverse of the parser)."""
    entry: dict[str, Any] = {"date": snapshot.date}
    if snapshot.date_accessed:
        entry["date_accessed"] = snapshot.date_accessed
    if snapshot.note:
        entry["note"] = snapshot.note
    entry["files"] = [_file_to_dict(f) for f in snapshot.files]
    if snapshot.upstream:
        entry["upstream"] = {
            k: v
            for k, v in (
                ("repo", snapshot.upstream.repo),
                ("commit", snapshot.upstream.commit),
                ("note", snapshot.upstream.note),
            )
            if v is not None
        }
    if snapshot.hub:
        entry["hub"] = {
            "repo_id": snapshot.hub.repo_id,
            "repo_type": snapshot.hub.repo_type,
            "revision": snapshot.hub.revision,
            "path_in_repo": snapshot.hub.path_in_repo,
        }
    if snapshot.awaiting_push and snapshot.hub is None:  # a Hub revision is the durable upstream
        entry["awaiting_push"] = True
    return entry


def _round_trip_yaml():
    """ruamel.yaml in round-trip mode, laid out like the committed files (block style, one line per scalar)."""
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap: a folded line would move on every rewrite
    rt.indent(mapping=2, sequence=2, offset=0)
    return rt


def _merge_entry(existing, new: dict) -> None:
    """Update a round-trip mapping in place so comments on keys that did not change survive."""
    for key in [k for k in existing if k not in new]:
        del existing[key]
    for key, value in new.items():
        if key not in existing or existing[key] != value:
            existing[key] = value


def write_snapshot(source: Source, snapshot: Snapshot) -> Path:
    """Add `snapshot` to the source's registry file, or update the entry of the same date in place.

    The file is rewritten atomically with a round-trip YAML writer: comments, key order and quoting of
    everything else survive; new entries go in date order.
    """
    path = source.registry_file or (paths.registry_dir() / f"{source.id}.yaml")
    rt = _round_trip_yaml()
    data = rt.load(path.read_text(encoding="utf-8"))
    new_entry = snapshot_to_dict(snapshot)
    entries = data.get("snapshots")
    if entries is None:
        from ruamel.yaml.comments import CommentedSeq

        entries = data["snapshots"] = CommentedSeq()
    if hasattr(entries, "fa"):
        entries.fa.set_block_style()  # `snapshots: []` (a source not captured yet) becomes a block list
    for entry in entries:
        if as_text(entry.get("date")) == snapshot.date:
            _merge_entry(entry, new_entry)
            break
    else:
        position = sum(1 for e in entries if as_text(e.get("date")) < snapshot.date)
        entries.insert(position, new_entry)
    parse_source(yaml.load(_dump(rt, data), Loader=YAML_LOADER), path)  # never write what the loader would refuse
    write_text_atomic(path, _dump(rt, data))
    return path


def _dump(rt, data) -> str:
    buffer = io.StringIO()
    rt.dump(data, buffer)
    return buffer.getvalue()
