"""Resolve pinned snapshots to verified local files; take new snapshots; push them to the Hub.

Each file is looked for, in order, in
  1. the cache        (`OPENTRENDS_CACHE`, default `.cache/snapshots/<source>/<date>/<file>`),
  2. the mirror       (`OPENTRENDS_MIRROR/<source>/<date>/<file>`, an offline copy),
  3. the Hub          (the snapshot's `hub` location at its pinned 40-hex revision, via huggingface_hub),
  4. the upstream URL (the file's `url`).
Bytes are sha256-checked against the registry before they are cached or used; every
write goes through a temporary file and a rename, so an interrupted download or a bad
checksum leaves nothing behind. When every place fails, the error lists each one and why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import os
import shutil
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths
from .atomic import atomic_path
from .errors import OpenTrendsError
from .sources import (
    REVISION_RE,
    HubLocation,
    PinnedFile,
    RegistryError,
    Snapshot,
    Source,
    get_snapshot,
    get_source,
    load_registry,
    write_snapshot,
)

if TYPE_CHECKING:  # pandas-backed; imported lazily so `opentrends run` starts fast
    from .changes import TableComparison

CHUNK = 1 << 20
USER_AGENT = "opentrends (+https://github.com/opentrends/opentrends)"


class SnapshotError(OpenTrendsError, RuntimeError):
    """A snapshot file could not be resolved or verified."""


class ChecksumError(SnapshotError):
    """Bytes that do not match their sha256 pin."""


@dataclass
class Attempt:
    place: str
    outcome: str


@dataclass
class FetchReport:
    """Where each file of a snapshot came from (for `opentrends fetch`)."""

    ref: str
    files: dict[str, Path] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_bytes(path: Path, pinned: PinnedFile) -> str | None:
    """None when `path` holds the pinned bytes, else a sentence saying how it differs."""
    size = path.stat().st_size
    actual = sha256_of(path)
    if actual == pinned.sha256 and size == pinned.size:
        return None
    detail = f"sha256 mismatch: expected {pinned.sha256}, got {actual}"
    if size < pinned.size:
        detail += f" (truncated: {size} of {pinned.size} bytes)"
    elif size != pinned.size:
        detail += f" (size {size}, expected {pinned.size} bytes)"
    return detail


def cache_path(snapshot: Snapshot, pinned: PinnedFile) -> Path:
    return paths.cache_dir() / snapshot.source_id / snapshot.date / pinned.path


def _mirror_path(snapshot: Snapshot, pinned: PinnedFile) -> Path | None:
    mirror = paths.mirror_dir()
    return None if mirror is None else mirror / snapshot.source_id / snapshot.date / pinned.path


def _progress(total: int | None, label: str):
    from tqdm.auto import tqdm

    return tqdm(
        total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label, leave=False,
        disable=not sys.stderr.isatty(), file=sys.stderr,
    )


def download(url: str, target: Path, label: str, expected_size: int | None = None) -> None:
    """Stream `url` into `target` atomically, with a progress bar on a terminal.

    A connection that closes before Content-Length bytes arrived raises; the partial
    file is removed.
    """
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    received, length = 0, None
    try:
        with atomic_path(target) as tmp:
            with urllib.request.urlopen(request, timeout=60) as response, open(tmp, "wb") as out:
                length = response.headers.get("Content-Length")
                total = int(length) if length else expected_size
                with _progress(total, label) as bar:
                    while chunk := response.read(CHUNK):
                        out.write(chunk)
                        received += len(chunk)
                        bar.update(len(chunk))
                if length and received != int(length):
                    raise http.client.IncompleteRead(b"", int(length) - received)
    except http.client.IncompleteRead as exc:
        raise SnapshotError(
            f"download of {url} was interrupted after {received} of {length} bytes; "
            "no partial file was kept"
        ) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        raise SnapshotError(f"download of {url} failed: {exc}") from exc


def _adopt(source_file: Path, snapshot: Snapshot, pinned: PinnedFile) -> str | None:
    """Copy `source_file` into the cache if its bytes match the pin; return the mismatch otherwise."""
    target = cache_path(snapshot, pinned)
    with atomic_path(target) as tmp:
        shutil.copyfile(source_file, tmp)
        problem = check_bytes(tmp, pinned)
        if problem:
            raise ChecksumError(problem)
    return None


def _try_cache(snapshot: Snapshot, pinned: PinnedFile) -> tuple[Path | None, str]:
    target = cache_path(snapshot, pinned)
    if not target.exists():
        return None, "not there"
    problem = check_bytes(target, pinned)
    if problem:
        target.unlink()  # a corrupt copy of pinned bytes; the pin is the truth
        return None, f"{problem}; removed the bad cached copy"
    return target, "ok"


def _try_mirror(snapshot: Snapshot, pinned: PinnedFile) -> tuple[Path | None, str]:
    candidate = _mirror_path(snapshot, pinned)
    if candidate is None:
        return None, "OPENTRENDS_MIRROR is not set"
    if not candidate.is_file():
        return None, f"no file at {candidate.as_posix()}"
    try:
        _adopt(candidate, snapshot, pinned)
    except ChecksumError as exc:
        return None, f"{exc}; refused, nothing cached"
    return cache_path(snapshot, pinned), "ok"


def _try_hub(snapshot: Snapshot, pinned: PinnedFile) -> tuple[Path | None, str]:
    if snapshot.hub is None:
        return None, "no Hub location registered for this snapshot"
    import huggingface_hub
    from huggingface_hub import constants

    hub = snapshot.hub
    try:
        local = huggingface_hub.hf_hub_download(
            repo_id=hub.repo_id,
            filename=hub.filename(pinned.path),
            repo_type=hub.repo_type,
            revision=hub.revision,
            local_files_only=constants.HF_HUB_OFFLINE,
        )
    except Exception as exc:  # the library raises many kinds; each is an outcome to report
        offline = " (HF_HUB_OFFLINE=1: only the local Hub cache was searched)" if constants.HF_HUB_OFFLINE else ""
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}{offline}"
    try:
        _adopt(Path(local), snapshot, pinned)
    except ChecksumError as exc:
        return None, f"{exc}; refused, nothing cached"
    return cache_path(snapshot, pinned), "ok"


def _try_url(snapshot: Snapshot, pinned: PinnedFile) -> tuple[Path | None, str]:
    if not pinned.url:
        return None, "no upstream URL registered for this file"
    target = cache_path(snapshot, pinned)
    staging = target.with_name(f".{target.name}.download")
    try:
        download(pinned.url, staging, f"{snapshot.ref}/{pinned.path}", pinned.size)
    except SnapshotError as exc:
        staging.unlink(missing_ok=True)
        return None, str(exc)
    try:
        problem = check_bytes(staging, pinned)
        if problem:
            return None, (
                f"{problem}; refused, nothing cached (upstream has probably changed since {snapshot.date}: "
                f"take a new snapshot with `opentrends update {snapshot.source_id}`)"
            )
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    return target, "ok"


PLACES: tuple[tuple[str, Callable[[Snapshot, PinnedFile], tuple[Path | None, str]]], ...] = (
    ("cache", _try_cache),
    ("mirror", _try_mirror),
    ("hub", _try_hub),
    ("url", _try_url),
)


def resolve_file(snapshot: Snapshot, pinned: PinnedFile) -> tuple[Path, str]:
    """A verified local path for one pinned file, and the place it came from."""
    attempts = []
    for place, attempt in PLACES:
        found, outcome = attempt(snapshot, pinned)
        if found is not None:
            return found, place
        attempts.append(Attempt(place, outcome))
    lines = "\n".join(f"  - {a.place}: {a.outcome}" for a in attempts)
    mismatch = any("sha256 mismatch" in a.outcome for a in attempts)
    kind = ChecksumError if mismatch else SnapshotError
    raise kind(
        f"Could not get {snapshot.ref}/{pinned.path} (sha256 {pinned.sha256}, {pinned.size} bytes). Tried:\n"
        f"{lines}\n"
        "Fix: set OPENTRENDS_MIRROR to a folder laid out <source>/<date>/<file> holding the pinned bytes, "
        "or run where the Hub or the upstream URL can be reached."
    )


def fetch(ref: str, registry: dict[str, Source] | None = None) -> FetchReport:
    """Resolve every file of snapshot `ref` (`source@date`, or `source` for the newest)."""
    snapshot = get_snapshot(ref, registry)
    report = FetchReport(ref=snapshot.ref)
    for pinned in snapshot.files:
        local, origin = resolve_file(snapshot, pinned)
        report.files[pinned.path] = local
        report.origins[pinned.path] = origin
    return report


def local_file(ref: str, relative_path: str, registry: dict[str, Source] | None = None) -> Path:
    """The verified local path of one file of snapshot `ref`."""
    snapshot = get_snapshot(ref, registry)
    local, _ = resolve_file(snapshot, snapshot.file(relative_path))
    return local


@dataclass
class VerifyLine:
    ref: str
    path: str
    ok: bool
    detail: str


def verify(registry: dict[str, Source] | None = None) -> list[VerifyLine]:
    """Resolve and check every pinned file of every snapshot; one line per file."""
    registry = registry if registry is not None else load_registry()
    lines = []
    for source in registry.values():
        for snapshot in source.snapshots:
            for pinned in snapshot.files:
                try:
                    _, origin = resolve_file(snapshot, pinned)
                except SnapshotError as exc:
                    lines.append(VerifyLine(snapshot.ref, pinned.path, False, str(exc).splitlines()[0]))
                else:
                    lines.append(VerifyLine(snapshot.ref, pinned.path, True, f"sha256 {pinned.sha256[:12]} ({origin})"))
    return lines


def pin_directory(source: Source, date: str, folder: Path, urls: dict[str, str] | None = None) -> Snapshot:
    """A snapshot entry (not yet written) pinning every file under `folder`."""
    urls = urls or {}
    files = tuple(
        PinnedFile(path=p.relative_to(folder).as_posix(), sha256=sha256_of(p), size=p.stat().st_size,
                   url=urls.get(p.relative_to(folder).as_posix()))
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    )
    if not files:
        raise SnapshotError(f"No files under {folder.as_posix()} to pin.")
    return Snapshot(source_id=source.id, date=date, files=files, date_accessed=date)


@dataclass
class UpdateReport:
    ref: str
    previous: str | None
    pinned: bool
    file_changes: list[tuple[str, str]]  # (path, "added" | "unchanged" | "changed" | "removed")
    table_changes: dict[str, "TableComparison"]


def update(source_id: str, date: str | None = None, registry: dict[str, Source] | None = None) -> UpdateReport:
    """Download the source's upstream files as a new dated snapshot, pin it, and compare it with the previous one.

    Nothing is pinned when every file is byte-identical to the newest existing snapshot.
    """
    from .changes import compare_csv

    registry = registry if registry is not None else load_registry()
    source = get_source(source_id, registry)
    if not source.download:
        raise RegistryError(
            f"Source '{source_id}' has no `download` list in {paths.relative_to_root(source.registry_file)}; "
            "nothing to update from. Fix: add path + url entries for its upstream files."
        )
    date = date or dt.datetime.now(dt.timezone.utc).date().isoformat()
    if date in source.dates:
        raise RegistryError(
            f"{source_id}@{date} is already pinned; snapshots are immutable. "
            "Fix: pass another --date, or remove that entry on purpose first."
        )
    folder = paths.cache_dir() / source_id / date
    shutil.rmtree(folder, ignore_errors=True)  # leftovers of an earlier failed update (never pinned)
    try:
        for spec in source.download:
            download(spec.url, folder / spec.path, f"{source_id}@{date}/{spec.path}")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    new = pin_directory(source, date, folder, {s.path: s.url for s in source.download})

    earlier = [s for s in source.snapshots if s.date < date]
    previous = max(earlier, key=lambda s: s.date) if earlier else None
    file_changes: list[tuple[str, str]] = []
    table_changes = {}
    old_files = {f.path: f for f in previous.files} if previous else {}
    for pinned in new.files:
        old = old_files.get(pinned.path)
        if old is None:
            file_changes.append((pinned.path, "added"))
        elif old.sha256 == pinned.sha256:
            file_changes.append((pinned.path, "unchanged"))
        else:
            file_changes.append((pinned.path, "changed"))
            if source.key and pinned.path.endswith(".csv"):
                old_local, _ = resolve_file(previous, old)
                table_changes[pinned.path] = compare_csv(
                    old_local, folder / pinned.path, source.key, source.compare_columns
                )
    for path in sorted(set(old_files) - {f.path for f in new.files}):
        file_changes.append((path, "removed"))

    if previous is not None and all(kind == "unchanged" for _, kind in file_changes):
        shutil.rmtree(folder, ignore_errors=True)
        return UpdateReport(new.ref, previous.ref, False, file_changes, table_changes)
    write_snapshot(source, new)
    return UpdateReport(new.ref, previous.ref if previous else None, True, file_changes, table_changes)


def _upload_folder_to_hub(folder: Path, repo_id: str, path_in_repo: str, allow: list[str], message: str, token: str) -> str:
    """The one call into HfApi: upload, return the commit sha (cannot run offline)."""
    from huggingface_hub import HfApi

    api = HfApi(token=token)
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
    info = api.upload_folder(
        folder_path=folder, repo_id=repo_id, repo_type="dataset", path_in_repo=path_in_repo,
        allow_patterns=allow, commit_message=message,
    )
    return info.oid


def push(ref: str, repo_id: str, registry: dict[str, Source] | None = None,
         uploader: Callable[..., str] = _upload_folder_to_hub) -> Snapshot:
    """Upload snapshot `ref` to Hub dataset `repo_id` and pin the returned commit as its Hub location."""
    token = os.environ.get("HF_TOKEN", "").strip()
    if not token:
        raise SnapshotError(
            "HF_TOKEN is not set. Fix: export HF_TOKEN with a token that can write to "
            f"{repo_id} (https://huggingface.co/settings/tokens); it is read from the environment only."
        )
    if repo_id.count("/") != 1:
        raise SnapshotError(f"--repo-id must look like ORG/NAME, got {repo_id!r}.")
    registry = registry if registry is not None else load_registry()
    snapshot = get_snapshot(ref, registry)
    fetch(snapshot.ref, registry)  # every file verified and in the cache before anything leaves
    folder = paths.cache_dir() / snapshot.source_id / snapshot.date
    path_in_repo = f"{snapshot.source_id}/{snapshot.date}"
    revision = uploader(
        folder, repo_id, path_in_repo, [f.path for f in snapshot.files],
        f"Add snapshot {snapshot.ref}", token,
    )
    if not isinstance(revision, str) or not REVISION_RE.match(revision):
        raise SnapshotError(f"The Hub returned {revision!r} instead of a 40-hex commit sha; nothing pinned.")
    pinned = replace(snapshot, hub=HubLocation(repo_id=repo_id, revision=revision, path_in_repo=path_in_repo))
    write_snapshot(get_source(snapshot.source_id, registry), pinned)
    return pinned


def first_unavailable(refs) -> str | None:
    """Why the first of `refs` cannot be resolved here, or None when all can (used to skip tests clearly)."""
    for ref in refs:
        try:
            fetch(ref)
        except SnapshotError as exc:
            return f"pinned data {ref} not available (set OPENTRENDS_MIRROR=../shared/snapshots): {str(exc).splitlines()[0]}"
    return None
