"""The source registry: one YAML file per source in `data/sources/`, validated on load.

Each file holds the source's provenance (producer, title, url_main, license name + url,
citation), how a new snapshot is captured (`capture`: a URL list in `download`, a Hub dataset
revision, or a Hub API capture), how its tables are compared between snapshots (`key`,
`compare_columns`), and its dated snapshots. A snapshot pins every file by relative path,
sha256 and size, names the `upstream` repository commit it was taken from, and may name a
Hugging Face Hub location (`repo_id`, `repo_type`, 40-hex `revision`, `path_in_repo`) that
holds the same bytes.

Durability: every pinned file must be fetchable from a place that serves those bytes forever,
a URL at a fixed 40-hex commit or the snapshot's Hub location at its 40-hex revision. A file
whose only upstream moves (a live CSV, a branch) is refused on load, unless the snapshot is
marked `awaiting_push: true` (what `update` writes for a capture from live URLs, until
`opentrends snapshot push` pins a Hub revision).

A malformed entry raises `RegistryError` naming the file, the entry and the fix.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from opentrends.core import paths
from opentrends.core.schema import violation
from opentrends.registry.model import (  # re-exported: the registry's public types live beside their parser's users
    Capture,
    DownloadSpec,
    HubLocation,
    License,
    PinnedFile,
    PinnedMember,
    RegistryError,
    Snapshot,
    Source,
    UnknownSourceError,
    Upstream,
)

SCHEMA = "source.schema.json"  # in opentrends/registry/schemas/: the structure of one registry file
# A fixed commit in a URL: one whole path segment of 40 hex digits (raw.githubusercontent.com/<o>/<r>/<sha>/...).
_COMMIT_SEGMENT_RE = re.compile(r"^[0-9a-f]{40}$")


def as_text(value: Any) -> str:
    # YAML reads an unquoted 2026-03-30 as a date; the registry treats dates as text.
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


class _Checker:
    """Reads one registry file and turns problems into errors that point at the entry."""

    def __init__(self, path: Path):
        self.path = path
        self.label = paths.relative_to_root(path)

    def fail(self, where: str, expectation: str, got: Any) -> RegistryError:
        return RegistryError(
            f"{self.label}: entry '{where}': expected {expectation}, got {got!r}. "
            f"Fix the entry in that file (see data/sources/README.md for the schema)."
        )

    def text(self, mapping: dict, key: str, where: str, required: bool = True) -> str | None:
        value = mapping.get(key)
        if value is None or as_text(value).strip() == "":
            if required:
                raise self.fail(f"{where}.{key}" if where else key, "a non-empty value", value)
            return None
        return as_text(value).strip()

    def mapping(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, "a mapping", value)
        return value

    def sequence(self, value: Any, where: str, allow_empty: bool = False) -> list:
        if not isinstance(value, list) or (not value and not allow_empty):
            raise self.fail(where, "a non-empty list", value)
        return value


def is_durable_url(url: str) -> bool:
    """True when `url` names a file at a fixed commit, so it serves the same bytes forever.

    - raw.githubusercontent.com: the ref segment itself is the commit, `/<owner>/<repo>/<40 hex>/<path>`
      (a 40-hex folder further down a branch, `/<owner>/<repo>/main/<40 hex>/x.csv`, moves with the branch);
    - github.com: `/<owner>/<repo>/raw/<40 hex>/<path>`;
    - any other host: a path segment of exactly 40 hex digits with the file's path after it
      (`huggingface.co/datasets/<owner>/<name>/resolve/<40 hex>/<path>`, GitLab's `/-/raw/<40 hex>/<path>`).
    """
    parts = urllib.parse.urlsplit(url)
    segments = parts.path.split("/")[1:]  # the path starts with "/"
    if not all(segments):  # an empty segment: a folder URL, or "//"
        return False
    host = (parts.hostname or "").lower()
    if host == "raw.githubusercontent.com":
        return len(segments) >= 4 and bool(_COMMIT_SEGMENT_RE.match(segments[2]))
    if host == "github.com":
        return len(segments) >= 5 and segments[2] == "raw" and bool(_COMMIT_SEGMENT_RE.match(segments[3]))
    return any(_COMMIT_SEGMENT_RE.match(seg) and i < len(segments) - 1 for i, seg in enumerate(segments))


def _check_url(url: str, checker: _Checker, where: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise checker.fail(where, "an http(s) URL", url)
    if any(ch.isspace() for ch in url) or '"' in url:
        # Spaces in file names (osai-index) must be written %20 so the URL is one token everywhere.
        raise checker.fail(where, "a percent-encoded URL (a space is written %20)", url)
    return url


def _parse_file(entry: Any, checker: _Checker, where: str) -> PinnedFile:
    entry = checker.mapping(entry, where)
    path = checker.text(entry, "path", where)
    if path.startswith("/") or ".." in Path(path).parts:
        raise checker.fail(f"{where}.path", "a relative path inside the snapshot", path)
    sha = checker.text(entry, "sha256", where).lower()
    size = entry["size"]
    url = checker.text(entry, "url", where, required=False)
    if url is not None:
        _check_url(url, checker, f"{where}.url")
    pinned = PinnedFile(path=path, sha256=sha, size=size, url=url)
    return replace(pinned, members=_parse_members(entry.get("members") or [], pinned, checker, where))


def _parse_members(entries: list, pinned: PinnedFile, checker: _Checker, where: str) -> tuple[PinnedMember, ...]:
    """A zip's pinned members (structure checked by the schema): only on a .zip, relative paths, each once."""
    if entries and not pinned.is_zip:
        raise checker.fail(f"{where}.members", f"no members on {pinned.path}, which is not a .zip", entries)
    members = []
    for i, entry in enumerate(entries):
        name = checker.text(entry, "path", f"{where}.members[{i}]")
        if name.startswith("/") or ".." in Path(name).parts:
            raise checker.fail(f"{where}.members[{i}].path", "a relative path inside the zip", name)
        if any(m.path == name for m in members):
            raise checker.fail(f"{where}.members", "each member path once", name)
        members.append(PinnedMember(path=name, sha256=entry["sha256"].lower(), size=entry.get("size")))
    return tuple(members)


def _parse_upstream(entry: Any, checker: _Checker, where: str) -> Upstream:
    entry = checker.mapping(entry, where)
    return Upstream(
        repo=checker.text(entry, "repo", where),
        commit=checker.text(entry, "commit", where),
        note=checker.text(entry, "note", where, required=False),
    )


def _check_durable(snapshot: Snapshot, checker: _Checker, where: str) -> None:
    """Every pinned file needs a place that serves its bytes forever (see the module docstring)."""
    if snapshot.hub is not None or snapshot.awaiting_push:
        return  # the Hub revision is 40-hex (checked by _parse_hub) and holds every file of the snapshot
    for i, pinned in enumerate(snapshot.files):
        if pinned.url and is_durable_url(pinned.url):
            continue
        got = pinned.url or "no url and no hub location"
        raise RegistryError(
            f"{checker.label}: entry '{where}.files[{i}]' ({pinned.path} of {snapshot.ref}): no durable upstream; "
            f"expected a url at a full 40-hex commit or a snapshot `hub:` location at a 40-hex revision, "
            f"got {got!r}, which can change under the pin. Fix: pin a copy at a fixed commit "
            f"(https://raw.githubusercontent.com/<owner>/<repo>/<40-hex commit>/<path>), or push the snapshot to "
            f"the Hub with `opentrends snapshot push {snapshot.ref} --repo-id ORG/NAME` (see data/sources/README.md)."
        )


def _parse_capture(data: dict, checker: _Checker, has_download: bool) -> Capture | None:
    raw = data.get("capture")
    if raw is None:
        return Capture(kind="urls") if has_download else None
    entry = checker.mapping(raw, "capture")
    kind = checker.text(entry, "kind", "capture")
    if kind == "urls":
        if not has_download:
            raise checker.fail("download", "a non-empty list of path + url entries (capture kind 'urls')", None)
        return Capture(kind=kind)
    if kind == "hub-dataset":
        repo_id = checker.text(entry, "repo_id", "capture")
        repo_type = checker.text(entry, "repo_type", "capture", required=False) or "dataset"
        files = entry["files"]
        for i, name in enumerate(files):
            if name.startswith("/") or ".." in Path(name).parts:
                raise checker.fail(f"capture.files[{i}]", "a relative path inside the Hub repository", name)
        return Capture(kind=kind, repo_id=repo_id, repo_type=repo_type, files=tuple(files))
    return Capture(kind=kind, command=checker.text(entry, "command", "capture", required=False))


def _parse_hub(entry: Any, checker: _Checker, where: str) -> HubLocation:
    entry = checker.mapping(entry, where)
    repo_id = checker.text(entry, "repo_id", where)
    revision = checker.text(entry, "revision", where)
    repo_type = checker.text(entry, "repo_type", where, required=False) or "dataset"
    path_in_repo = checker.text(entry, "path_in_repo", where, required=False) or ""
    return HubLocation(repo_id=repo_id, revision=revision, repo_type=repo_type, path_in_repo=path_in_repo)


def _parse_snapshot(entry: Any, source_id: str, checker: _Checker, where: str) -> Snapshot:
    entry = checker.mapping(entry, where)
    date = checker.text(entry, "date", where)
    files = tuple(
        _parse_file(f, checker, f"{where}.files[{i}]")
        for i, f in enumerate(checker.sequence(entry.get("files"), f"{where}.files"))
    )
    seen = set()
    for f in files:
        if f.path in seen:
            raise checker.fail(f"{where}.files", "each path once", f.path)
        seen.add(f.path)
    hub = _parse_hub(entry["hub"], checker, f"{where}.hub") if entry.get("hub") else None
    upstream = _parse_upstream(entry["upstream"], checker, f"{where}.upstream") if entry.get("upstream") else None
    awaiting = entry.get("awaiting_push", False)
    snapshot = Snapshot(
        source_id=source_id,
        date=date,
        files=files,
        hub=hub,
        date_accessed=checker.text(entry, "date_accessed", where, required=False),
        note=checker.text(entry, "note", where, required=False),
        upstream=upstream,
        awaiting_push=awaiting and hub is None,  # a Hub revision makes the snapshot durable
    )
    _check_durable(snapshot, checker, where)
    return snapshot


def parse_source(data: Any, path: Path) -> Source:
    """Validate one registry document (already YAML-decoded) read from `path`."""
    checker = _Checker(path)
    # Structure first (types, required keys, patterns; schemas/source.schema.json), then what a schema cannot say.
    if broken := violation(data, __package__, SCHEMA):
        raise checker.fail(broken.where, broken.expected, broken.got)
    data = checker.mapping(data, "(top level)")
    source_id = checker.text(data, "id", "")
    if path.stem != source_id:
        raise checker.fail("id", f"the file name's stem '{path.stem}'", source_id)
    lic = checker.mapping(data.get("license"), "license")
    download = tuple(
        DownloadSpec(
            path=checker.text(checker.mapping(d, f"download[{i}]"), "path", f"download[{i}]"),
            url=_check_url(checker.text(d, "url", f"download[{i}]"), checker, f"download[{i}].url"),
        )
        for i, d in enumerate(data.get("download") or [])
    )
    capture = _parse_capture(data, checker, bool(download))
    # A source that can be captured may have no snapshot yet; any other source needs at least one.
    entries = checker.sequence(data.get("snapshots"), "snapshots", allow_empty=capture is not None)
    snapshots = tuple(_parse_snapshot(s, source_id, checker, f"snapshots[{i}]") for i, s in enumerate(entries))
    dates = [s.date for s in snapshots]
    if len(set(dates)) != len(dates):
        raise checker.fail("snapshots", "each date once", dates)
    compare = data.get("compare_columns") or []
    return Source(
        id=source_id,
        producer=checker.text(data, "producer", ""),
        title=checker.text(data, "title", ""),
        url_main=checker.text(data, "url_main", ""),
        license=License(name=checker.text(lic, "name", "license"), url=checker.text(lic, "url", "license")),
        citation=checker.text(data, "citation", ""),
        snapshots=snapshots,
        download=download,
        key=checker.text(data, "key", "", required=False),
        compare_columns=tuple(str(c) for c in compare),
        description=checker.text(data, "description", "", required=False) or "",
        registry_file=path,
        capture=capture,
    )


# libyaml's C parser when PyYAML was built with it (the PyPI wheels are): ~10x faster on the pin lists.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_REGISTRY_CACHE: dict[tuple, dict[str, Source]] = {}


def load_registry(directory: Path | None = None) -> dict[str, Source]:
    """All sources, keyed by id, from `directory` (default: `paths.registry_dir()`).

    Parsed once per process and reused until a registry file changes (keyed on names,
    mtimes and sizes), so code may call this freely.
    """
    directory = directory or paths.registry_dir()
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise RegistryError(
            f"No source registry files (*.yaml) in {paths.relative_to_root(directory)}. "
            "Fix: point OPENTRENDS_REGISTRY at the folder holding data/sources/*.yaml."
        )
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    if stamp in _REGISTRY_CACHE:
        return dict(_REGISTRY_CACHE[stamp])
    registry = {}
    for path in files:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        except yaml.YAMLError as exc:
            raise RegistryError(f"{paths.relative_to_root(path)}: not valid YAML ({exc}). Fix the syntax.") from exc
        source = parse_source(data, path)
        registry[source.id] = source
    _REGISTRY_CACHE.clear()
    _REGISTRY_CACHE[stamp] = registry
    return dict(registry)


def parse_ref(ref: str) -> tuple[str, str | None]:
    """Split `source[@date]` into its parts."""
    source_id, _, date = ref.strip().partition("@")
    return source_id, (date or None)


def get_source(source_id: str, registry: dict[str, Source] | None = None) -> Source:
    """The registered source `source_id`; an error lists the known ids."""
    registry = registry if registry is not None else load_registry()
    if source_id not in registry:
        raise UnknownSourceError(
            f"Unknown source '{source_id}'. Known sources: {', '.join(sorted(registry))}. "
            "Fix: use one of these ids (see `opentrends sources`)."
        )
    return registry[source_id]


def get_snapshot(ref: str, registry: dict[str, Source] | None = None) -> Snapshot:
    """Resolve `source@date` (or `source` for its newest snapshot) to a registered snapshot."""
    source_id, date = parse_ref(ref)
    return get_source(source_id, registry).snapshot(date)
