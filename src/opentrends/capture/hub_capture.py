"""Capture Hugging Face Hub records into dated, pinned snapshots.

Three captures, all through huggingface_hub's own client (its HTTP session, `http_backoff`,
`hf_raise_for_status`, `ModelInfo`, `HfApi.repo_info`, `hf_hub_download`):

- `capture_top(sort, limit)`: the Hub's top models by likes or downloads (`/api/models?sort=...`),
  the query `HfApi.list_models(sort=..., limit=..., expand=RECORD_FIELDS)` sends.
- `capture_tree(base_model)`: the derivatives of a base model, one query per relation
  (`filter=base_model:<relation>:<id>`), plus the base model's own record.
- `capture_dataset(source, date, folder, revision=)`: the files a `hub-dataset` source declares, at a
  40-hex revision (default: the current one, resolved first); `opentrends update` dates the snapshot by
  that revision's commit (`hub_client.repo_revision`).

The first two write the records (JSON, one record a line, sorted keys) and `capture.json` (the
query, capture time in UTC, endpoint, huggingface_hub version) into a staging folder, rename it
to the snapshot folder in the cache, then pin it under a registered `hub-api` source. Any failure
or Ctrl-C before the pin removes the folder: nothing is pinned, nothing is left behind.

The HTTP side (bounded retries, pagination, `ModelInfo` records) is in `hub_client`. The token is
read from `HF_TOKEN` only (never the stored login) and is never written anywhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from opentrends.capture.hub_client import (
    DEFAULT_RETRY,
    RECORD_FIELDS,
    HubCaptureError,
    Retry,
    endpoint_url,
    get,
    iter_models,
    progress,
    record,
    require_online,
    token,
)
from opentrends.core import paths
from opentrends.core.errors import ParameterError
from opentrends.registry.model import DATE_RE, REVISION_RE
from opentrends.registry.sources import (
    HubLocation,
    RegistryError,
    Snapshot,
    Source,
    get_source,
    load_registry,
)

# Sort keys the command offers; the Hub's /api/models accepts these names as `sort` values.
SORTS = ("likes", "downloads")
# Relations the Hub records in `base_model:<relation>:<id>` tags (huggingface.co/docs/hub/model-cards,
# "base_model_relation": adapter, merge, quantized, finetune).
RELATIONS = ("adapter", "finetune", "merge", "quantized")
TOP_SOURCE = "hf-hub-api-top"
TREE_SOURCE = "hf-hub-api-trees"
MAX_LIMIT = 10_000  # a head capture, not a crawl: the whole Hub is the hf-hub-stats source


@dataclass(frozen=True)
class CaptureSpec:
    """How a source is captured: the registry's `capture:` mapping."""

    kind: str
    repo_id: str | None = None
    repo_type: str = "dataset"
    files: tuple[str, ...] = ()


def capture_spec(source: Source) -> CaptureSpec:
    """The source's `capture:` entry, from the parsed registry if it carries one, else from its YAML file."""
    raw: Any = getattr(source, "capture", None)
    if raw is None and source.registry_file is not None:
        import yaml

        raw = (yaml.safe_load(Path(source.registry_file).read_text(encoding="utf-8")) or {}).get("capture")
    if raw is None:
        raise RegistryError(
            f"Source '{source.id}' declares no `capture:` kind. Fix: add `capture: {{kind: hub-api}}` or "
            f"`capture: {{kind: hub-dataset, repo_id: ..., files: [...]}}` to its registry file."
        )
    get = raw.get if isinstance(raw, dict) else (lambda key, default=None: getattr(raw, key, default))
    files = get("files") or ()
    return CaptureSpec(
        kind=str(get("kind") or ""),
        repo_id=get("repo_id"),
        repo_type=str(get("repo_type") or "dataset"),
        files=tuple(str(f) for f in files),
    )


def _records_json(rows: list[dict]) -> str:
    # Valid JSON with one record a line: small diffs between captures, deterministic key order.
    if not rows:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows) + "\n]\n"


def _capture_meta(query: dict, endpoint: str, files: dict[str, int]) -> str:
    import huggingface_hub

    meta = {
        "query": query,
        "captured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endpoint": endpoint,
        "huggingface_hub_version": huggingface_hub.__version__,
        "records": files,
        "authenticated": bool(token()),  # whether HF_TOKEN was set; the token itself is never written
    }
    return json.dumps(meta, sort_keys=True, indent=2) + "\n"


def _hub_api_source(source_id: str, registry: dict[str, Source] | None) -> Source:
    registry = registry if registry is not None else load_registry()
    source = get_source(source_id, registry)
    spec = capture_spec(source)
    if spec.kind != "hub-api":
        raise RegistryError(
            f"Source '{source_id}' is captured as '{spec.kind}', not 'hub-api'; `opentrends hub capture` pins only "
            f"under hub-api sources. Fix: use {TOP_SOURCE} or {TREE_SOURCE}, or declare `capture: {{kind: hub-api}}`."
        )
    return source


@contextlib.contextmanager
def _staged_snapshot(source: Source, date: str) -> Iterator[Path]:
    """A staging folder for a new snapshot; on success it becomes `<cache>/<source>/<date>`, on any error it goes."""
    if date in source.dates:
        raise RegistryError(
            f"{source.id}@{date} is already pinned; snapshots are immutable. "
            "Fix: pass another --date, or remove that entry on purpose first."
        )
    final = paths.cache_dir() / source.id / date
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(final, ignore_errors=True)  # leftovers of an earlier capture that was never pinned
        staging = Path(tempfile.mkdtemp(prefix=f".{date}.", suffix=".partial", dir=final.parent))
    except OSError as exc:
        raise HubCaptureError(
            f"Cannot write the capture into the snapshot cache {final.parent.as_posix()} ({exc.strerror}). "
            "Fix: set OPENTRENDS_CACHE to a writable folder. Nothing was requested or pinned."
        ) from exc
    try:
        yield staging
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _pin(source: Source, date: str, note: str) -> Snapshot:
    from opentrends.data.snapshots import pin_directory
    from opentrends.registry.writer import write_snapshot

    folder = paths.cache_dir() / source.id / date
    try:
        snapshot = replace(pin_directory(source, date, folder), note=note)
        if "awaiting_push" in {f.name for f in fields(Snapshot)}:
            # Only this machine's cache holds a capture until `opentrends snapshot push` gives it a Hub revision;
            # registries that know the flag refuse a pin without a durable upstream unless it is set.
            snapshot = replace(snapshot, awaiting_push=True)
        write_snapshot(source, snapshot)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return snapshot


def _snapshot_date(date: str | None) -> str:
    if date is None:
        return dt.datetime.now(dt.UTC).date().isoformat()
    if not DATE_RE.match(date):
        raise ParameterError(f"--date must be YYYY-MM-DD, got {date!r}.")
    return date


def _as_list(value: str | Sequence[str]) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    return list(dict.fromkeys(items))  # once each, in the order given


def capture_top(
    sort: str | Sequence[str],
    limit: int,
    date: str | None = None,
    *,
    source_id: str = TOP_SOURCE,
    registry: dict[str, Source] | None = None,
    endpoint: str | None = None,
    retry: Retry = DEFAULT_RETRY,
) -> Snapshot:
    """Capture the Hub's top `limit` models by each of `sort` (likes, downloads) and pin them as `source_id@date`.

    One file per sort, `top-<sort>.json` (records in rank order), plus `capture.json`.
    """
    sorts = _as_list(sort)
    for s in sorts:
        if s not in SORTS:
            raise ParameterError(f"--sort {s!r} is not a sort the capture knows; valid values: {', '.join(SORTS)}.")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise ParameterError(f"--limit must be a whole number from 1 to {MAX_LIMIT}, got {limit!r}.")
    date, source, url = _prepare(date, source_id, registry, endpoint)
    with _staged_snapshot(source, date) as folder:
        counts = {}
        for s in sorts:
            params = {"sort": s, "direction": -1, "limit": limit, "expand": list(RECORD_FIELDS)}
            with progress(limit, f"top {limit} by {s}") as bar:
                rows = list(iter_models(params, limit, retry, url, bar))
            _write_records(folder, f"top-{s}.json", rows, counts)
        query = {
            "kind": "top",
            "route": "/api/models",
            "sort": sorts,
            "direction": -1,
            "limit": limit,
            "expand": list(RECORD_FIELDS),
        }
        (folder / "capture.json").write_text(_capture_meta(query, url, counts), encoding="utf-8")
    return _pin(source, date, f"hub capture: top {limit} models by {', '.join(sorts)}")


def _prepare(date: str | None, source_id: str, registry, endpoint: str | None) -> tuple[str, Source, str]:
    """Before any request: the snapshot date, the registered hub-api source, and the endpoint (refused offline)."""
    date = _snapshot_date(date)
    require_online()
    return date, _hub_api_source(source_id, registry), endpoint_url(endpoint)


def _write_records(folder: Path, name: str, rows: list[dict], counts: dict[str, int]) -> None:
    """One capture file (JSON lines, sorted keys) and its record count for capture.json."""
    (folder / name).write_text(_records_json(rows), encoding="utf-8")
    counts[name] = len(rows)


def _tree_file(base_model: str) -> str:
    return f"tree-{base_model.replace('/', '--')}.json"


def capture_tree(
    base_model: str | Sequence[str],
    date: str | None = None,
    *,
    depth: int = 1,
    source_id: str = TREE_SOURCE,
    registry: dict[str, Source] | None = None,
    endpoint: str | None = None,
    retry: Retry = DEFAULT_RETRY,
) -> Snapshot:
    """Capture the derivatives of each base model and pin them as `source_id@date`.

    For each base model: its own record (depth 0), then for every relation in RELATIONS the models
    tagged `base_model:<relation>:<id>` (depth 1); with `depth=2`, the same again for each depth-1
    model. Each row says how it was found (`depth`, `parent`, `relation`). One file per base model,
    `tree-<org>--<name>.json`, plus `capture.json`.
    """
    from huggingface_hub.hf_api import ModelInfo

    bases = _as_list(base_model)
    for base in bases:
        if base.count("/") != 1 or any(not part for part in base.split("/")):
            raise ParameterError(f"BASE_MODEL must be a Hub model id 'org/name', got {base!r}.")
    if depth not in (1, 2):
        raise ParameterError(f"--depth must be 1 or 2, got {depth!r}.")
    date, source, url = _prepare(date, source_id, registry, endpoint)
    with _staged_snapshot(source, date) as folder:
        counts = {}
        for base in bases:
            info = get(f"{url}/api/models/{base}", {"expand": list(RECORD_FIELDS)}, retry).json()
            info.setdefault("siblings", None)
            rows = [{**record(ModelInfo(**info)), "depth": 0, "parent": None, "relation": None}]
            frontier = [base]
            with progress(None, f"derivatives of {base}") as bar:
                for level in range(1, depth + 1):
                    found = []
                    for parent in frontier:
                        for relation in RELATIONS:
                            params = {"filter": f"base_model:{relation}:{parent}", "expand": list(RECORD_FIELDS)}
                            for row in iter_models(params, None, retry, url, bar):
                                rows.append({**row, "depth": level, "parent": parent, "relation": relation})
                                found.append(row["id"])
                    frontier = list(dict.fromkeys(found))
            _write_records(folder, _tree_file(base), rows, counts)
        query = {
            "kind": "tree",
            "route": "/api/models",
            "base_models": bases,
            "depth": depth,
            "filter": "base_model:<relation>:<id>",
            "relations": list(RELATIONS),
            "expand": list(RECORD_FIELDS),
        }
        (folder / "capture.json").write_text(_capture_meta(query, url, counts), encoding="utf-8")
    return _pin(source, date, f"hub capture: derivative trees (depth {depth}) of {', '.join(bases)}")


def capture_dataset(
    source: Source, date: str, folder: Path, *, endpoint: str | None = None, revision: str | None = None
) -> HubLocation:
    """Download the files a `hub-dataset` source declares, at `revision` (default: the current one), into `folder`.

    Without `revision` the repo's current revision is resolved to its 40-hex commit sha first; every file
    is downloaded at that sha (so all files come from one commit even if the repo moves meanwhile).
    Returns the Hub location `opentrends update` pins. `date` only names the folder's snapshot:
    `opentrends update` makes it the commit date of the revision (`hub_client.repo_revision`).
    """
    import huggingface_hub
    from huggingface_hub.errors import HfHubHTTPError

    spec = capture_spec(source)
    if spec.kind != "hub-dataset" or not spec.repo_id or not spec.files:
        raise RegistryError(
            f"Source '{source.id}' is not a complete hub-dataset capture (kind {spec.kind!r}, repo_id "
            f"{spec.repo_id!r}, files {list(spec.files)}). Fix: declare `capture: {{kind: hub-dataset, repo_id: "
            "ORG/NAME, repo_type: dataset, files: [...]}` in its registry file."
        )
    if revision is not None and not REVISION_RE.match(revision):
        raise ParameterError(f"--revision must be a 40-hex commit sha, got {revision!r}.")
    require_online()
    url = endpoint_url(endpoint)
    if revision is None:
        api = huggingface_hub.HfApi(endpoint=url, token=token())
        try:
            sha = api.repo_info(spec.repo_id, repo_type=spec.repo_type).sha
        except HfHubHTTPError as exc:
            raise HubCaptureError(
                f"Could not resolve the current revision of {spec.repo_type} {spec.repo_id} at {url}: "
                f"{str(exc).splitlines()[0]}. Check the repo id, the network and HF_TOKEN; nothing was pinned."
            ) from exc
    else:
        sha = revision
    if not isinstance(sha, str) or not REVISION_RE.match(sha):
        raise HubCaptureError(f"{url} gave {sha!r} as the revision of {spec.repo_id}, not a 40-hex commit sha.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # A private huggingface_hub cache beside the folder (same file system): each file is moved out of it
    # into the snapshot folder, so a 350 MB parquet is never stored twice.
    hub_cache = Path(tempfile.mkdtemp(prefix=".hub-download.", dir=folder.parent))
    try:
        for name in spec.files:
            try:
                local = huggingface_hub.hf_hub_download(
                    repo_id=spec.repo_id,
                    filename=name,
                    repo_type=spec.repo_type,
                    revision=sha,
                    cache_dir=hub_cache,
                    endpoint=url,
                    token=token(),
                )
            except HfHubHTTPError as exc:
                raise HubCaptureError(
                    f"Could not download {name} from {spec.repo_id}@{sha}: {str(exc).splitlines()[0]}. "
                    "Check `capture.files` in the registry; nothing was pinned."
                ) from exc
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(Path(local).resolve(), target)
    finally:
        shutil.rmtree(hub_cache, ignore_errors=True)
    return HubLocation(repo_id=spec.repo_id, revision=sha, repo_type=spec.repo_type, path_in_repo="")


__all__ = [
    "RECORD_FIELDS",
    "RELATIONS",
    "SORTS",
    "CaptureSpec",
    "HubCaptureError",
    "Retry",
    "capture_dataset",
    "capture_spec",
    "capture_top",
    "capture_tree",
    "iter_models",
    "record",
]
