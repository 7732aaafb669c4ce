"""Resolve pinned snapshots to verified local files (new snapshots: `updates.py`; downloads: `downloads.py`).

Each file is looked for, in order, in
  1. the cache        (`OPENTRENDS_CACHE`, default `.cache/snapshots/<source>/<date>/<file>`),
  2. the mirror       (`OPENTRENDS_MIRROR/<source>/<date>/<file>`, an offline copy),
  3. the Hub          (the snapshot's `hub` location at its pinned 40-hex revision, via huggingface_hub),
  4. the upstream URL (the file's `url`, at a fixed commit).
Bytes are sha256-checked against the registry before they are cached or used; every
write goes through a temporary file and a rename, so an interrupted download or a bad
checksum leaves nothing behind. When every place fails, the error says why for each one
and gives the fix that fits (a damaged mirror copy is not a missing mirror).

`OPENTRENDS_URL_HOST_OVERRIDE=http://127.0.0.1:8000` replaces the scheme and host of every
registered URL (the path is kept): the same download code then reads from a local server that
serves the upstream layout, which is how the test suite proves every URL and pin consistent
without internet.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from opentrends.core import paths
from opentrends.core.atomic import atomic_path
from opentrends.core.errors import OpenTrendsError
from opentrends.core.files import check_writable_folder, no_space, sha256_file
from opentrends.data.downloads import URL_HOST_OVERRIDE_ENV, DownloadError, download, effective_url  # noqa: F401 (re-exported)
from opentrends.registry.sources import (
    PinnedFile,
    Snapshot,
    Source,
    get_snapshot,
    is_durable_url,
    load_registry,
)

CHUNK = 1 << 20
NO_MIRROR_FIX = "fix: export OPENTRENDS_MIRROR=/abs/path/to/snapshots or run with internet"


class SnapshotError(OpenTrendsError, RuntimeError):
    """A snapshot file could not be resolved or verified.

    Besides the message, for one-line reports (`verify`, runs that hold back a notebook): `reasons`, what
    each place said ("cache: ...; mirror: ..."), `fix`, the fix that fits, and `url`, the file's upstream
    URL; each is "" when the error does not come from resolving one pinned file.
    """

    def __init__(self, message: str, *, reasons: str = "", fix: str = "", url: str = ""):
        super().__init__(message)
        self.reasons = reasons
        self.fix = fix
        self.url = url

    def summary(self) -> str:
        """What was tried, in one line: `reasons`, else the message's first line."""
        return self.reasons or str(self).splitlines()[0]


class ChecksumError(SnapshotError):
    """Bytes that do not match their sha256 pin."""


class Mismatch(str):
    """A place's outcome when it held bytes that differ from the pin (so the error is a ChecksumError)."""


class CacheError(SnapshotError):
    """The snapshot cache folder cannot be written (read-only, or a file where a folder should be)."""


class SchemaDriftError(SnapshotError):
    """A new download lost a column that a loader needs; nothing was pinned."""


@dataclass
class FetchReport:
    """Where each file of a snapshot came from (for `opentrends fetch`)."""

    ref: str
    files: dict[str, Path] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)


def _is_prefix(path: Path, reference: Path) -> bool:
    with open(path, "rb") as short, open(reference, "rb") as full:
        while chunk := short.read(CHUNK):
            if full.read(len(chunk)) != chunk:
                return False
    return True


def check_bytes(path: Path, pinned: PinnedFile, reference: Path | None = None) -> str | None:
    """None when `path` holds the pinned bytes, else a sentence saying how it differs.

    A shorter file is called truncated only when it is a prefix of `reference`, a copy already
    verified against the pin; when it is not, it was edited; without a reference, nobody can tell.
    """
    size = path.stat().st_size
    actual = sha256_file(path)
    if actual == pinned.sha256 and size == pinned.size:
        return None
    detail = f"sha256 mismatch: expected {pinned.sha256}, got {actual}"
    if size < pinned.size:
        if reference is None:
            detail += f" (shorter than pinned: {size} of {pinned.size} bytes)"
        elif _is_prefix(path, reference):
            detail += f" (truncated: {size} of {pinned.size} bytes, a prefix of the verified copy)"
        else:
            detail += f" (edited: {size} of {pinned.size} bytes, not a prefix of the verified copy)"
    elif size != pinned.size:
        detail += f" (size {size}, expected {pinned.size} bytes)"
    return detail


CACHE_FIX = "Fix: export OPENTRENDS_CACHE=/path/to/a/writable/folder, or make that folder writable."
CACHE_FULL_FIX = "Fix: free space on that filesystem, or export OPENTRENDS_CACHE=/path/to/a/folder/with/room."


def ensure_writable(folder: Path) -> None:
    """Create `folder` and prove a file can be written in it; a CacheError naming the folder and the fix otherwise."""
    try:
        check_writable_folder(folder)
    except OSError as exc:
        raise CacheError(
            f"The snapshot cache cannot be written: {folder.as_posix()} ({exc.strerror or exc}). The cache is "
            f"{paths.cache_dir().as_posix()}. {CACHE_FIX}",
            # The cache as a whole, not this snapshot's folder: the same words for every snapshot, said once by a run.
            reasons=f"cache: {paths.cache_dir().as_posix()} cannot be written ({exc.strerror or exc})",
            fix=CACHE_FIX,
        ) from exc


def cache_path(snapshot: Snapshot, pinned: PinnedFile) -> Path:
    return paths.cache_dir() / snapshot.source_id / snapshot.date / pinned.path


def _mirror_path(snapshot: Snapshot, pinned: PinnedFile) -> Path | None:
    mirror = paths.mirror_dir()
    return None if mirror is None else mirror / snapshot.source_id / snapshot.date / pinned.path


def cache_full_error(snapshot: Snapshot, pinned: PinnedFile) -> CacheError:
    """The cache's filesystem is full: said like an unwritable cache, once, naming the folder and the fix."""
    folder = paths.cache_dir().as_posix()
    return CacheError(
        f"The snapshot cache is full: no space left on the filesystem of {folder} for {snapshot.ref}/{pinned.path} "
        f"({pinned.size} bytes); nothing partial was kept. {CACHE_FULL_FIX}",
        reasons=f"cache: {folder} is full (no space left on device)",
        fix=CACHE_FULL_FIX,
    )


def _adopt(source_file: Path, snapshot: Snapshot, pinned: PinnedFile) -> str | None:
    """Copy `source_file` into the cache if its bytes match the pin; return the mismatch otherwise."""
    target = cache_path(snapshot, pinned)
    try:
        with atomic_path(target) as tmp:
            shutil.copyfile(source_file, tmp)
            problem = check_bytes(tmp, pinned)
            if problem:
                raise ChecksumError(problem)
    except OSError as exc:
        if no_space(exc):  # the temporary copy is gone (atomic_path); no other place can help either
            raise cache_full_error(snapshot, pinned) from None
        raise
    return None


def _try_cache(snapshot: Snapshot, pinned: PinnedFile) -> tuple[Path | None, str]:
    target = cache_path(snapshot, pinned)
    if not target.exists():
        return None, "not there"
    problem = check_bytes(target, pinned)
    if problem:
        try:
            target.unlink()  # a corrupt copy of pinned bytes; the pin is the truth
        except OSError:
            ensure_writable(target.parent)  # raises CacheError naming the folder
            raise
        return None, Mismatch(f"{problem}; removed the bad cached copy")
    return target, "ok"


def mirror_state(mirror: Path) -> str:
    return "is a file, not a folder" if mirror.exists() else "does not exist"


def mirror_problem() -> str | None:
    """Why the mirror as a whole cannot serve anything (unset, or a folder that is not there), else None."""
    mirror = paths.mirror_dir()
    if mirror is None:
        return "OPENTRENDS_MIRROR is not set"
    if not mirror.is_dir():
        return f"mirror folder {mirror.as_posix()} {mirror_state(mirror)}"
    return None


def _try_mirror(snapshot: Snapshot, pinned: PinnedFile) -> tuple[Path | None, str]:
    problem = mirror_problem()
    if problem:
        return None, problem
    candidate = _mirror_path(snapshot, pinned)
    if not candidate.is_file():
        return None, f"no file at {candidate.as_posix()}"
    try:
        _adopt(candidate, snapshot, pinned)
    except ChecksumError as exc:
        return None, Mismatch(f"{exc}; refused, nothing cached")
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
    except Exception as exc:  # noqa: BLE001 -- the library raises many kinds; each is an outcome to report
        offline = " (HF_HUB_OFFLINE=1: only the local Hub cache was searched)" if constants.HF_HUB_OFFLINE else ""
        return None, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}{offline}"
    try:
        _adopt(Path(local), snapshot, pinned)
    except ChecksumError as exc:
        return None, Mismatch(f"{exc}; refused, nothing cached")
    return cache_path(snapshot, pinned), "ok"


def _try_url(snapshot: Snapshot, pinned: PinnedFile) -> tuple[Path | None, str]:
    if not pinned.url:
        return None, "no upstream URL registered for this file"
    target = cache_path(snapshot, pinned)
    staging = target.with_name(f".{target.name}.download")
    try:
        download(pinned.url, staging, f"{snapshot.ref}/{pinned.path}", pinned.size)
    except DownloadError as exc:
        staging.unlink(missing_ok=True)
        if no_space(exc):
            raise cache_full_error(snapshot, pinned) from None
        return None, str(exc)
    try:
        problem = check_bytes(staging, pinned)
        if problem:
            return None, Mismatch(
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


def _fix(snapshot: Snapshot, pinned: PinnedFile) -> str:
    """The one fix that fits why the mirror could not serve this file."""
    mirror = paths.mirror_dir()
    if mirror is None:
        return (
            "Fix: export OPENTRENDS_MIRROR=/abs/path/to/snapshots (a folder laid out <source>/<date>/<file>; "
            "a relative path is taken from the project root), or run where the Hub or the upstream URL can be "
            "reached."
        )
    if not mirror.is_dir():
        return (
            f"Fix: OPENTRENDS_MIRROR names {mirror.as_posix()}, which {mirror_state(mirror)}; point it at the mirror "
            "folder with an absolute path (export OPENTRENDS_MIRROR=/abs/path/to/snapshots), or run with internet."
        )
    candidate = _mirror_path(snapshot, pinned)
    if not candidate.is_file():
        return (
            f"Fix: the mirror {mirror.as_posix()} lacks the file (laid out <source>/<date>/<file>); add it "
            "there from a complete mirror, or run where the Hub or the upstream URL can be reached."
        )
    where = f" from {pinned.url}" if pinned.url else ""
    return (
        f"Fix: the mirror copy {candidate.as_posix()} is damaged (its bytes differ from the pin); restore it "
        f"from a good copy of the mirror (`sha256sum -c SHA256SUMS` in {mirror.as_posix()} lists damaged files) "
        f"or download it again{where}. The pin in the registry is the truth; do not re-pin damaged bytes."
    )


def resolve_file(snapshot: Snapshot, pinned: PinnedFile) -> tuple[Path, str]:
    """A verified local path for one pinned file, and the place it came from.

    Raises SnapshotError (ChecksumError when some place held wrong bytes): its first line gives each
    place's reason, its second the fix that fits; `.reasons`, `.fix` and `.url` hold them for one-line reports.
    CacheError comes at once when the cache cannot be written, since then no place can help.
    """
    attempts = []
    for place, attempt in PLACES:
        if place == "mirror":  # the first place that writes into the cache
            ensure_writable(cache_path(snapshot, pinned).parent)
        found, outcome = attempt(snapshot, pinned)
        if found is not None:
            return found, place
        attempts.append((place, outcome))
    reasons = "; ".join(f"{place}: {outcome}" for place, outcome in attempts)
    kind = ChecksumError if any(isinstance(outcome, Mismatch) for _, outcome in attempts) else SnapshotError
    fix = _fix(snapshot, pinned)
    raise kind(
        f"Could not get {snapshot.ref}/{pinned.path} (sha256 {pinned.sha256}, {pinned.size} bytes). "
        f"Tried {reasons}\n{fix}",
        reasons=reasons,
        fix=fix,
        url=effective_url(pinned.url) if pinned.url else "",
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
    fix: str = ""
    member: bool = False  # a line about a member of a pinned zip (`members.verify_with_members`), not a file


def verify(registry: dict[str, Source] | None = None) -> list[VerifyLine]:
    """Resolve and check every pinned file of every snapshot; one line per file."""
    registry = registry if registry is not None else load_registry()
    lines = []
    for source in registry.values():
        for snapshot in source.snapshots:
            for pinned in snapshot.files:
                try:
                    _, origin = resolve_file(snapshot, pinned)
                except CacheError:
                    raise  # one cause for every file: reported once by the CLI
                except SnapshotError as exc:
                    lines.append(VerifyLine(snapshot.ref, pinned.path, False, exc.summary(), exc.fix))
                else:
                    lines.append(VerifyLine(snapshot.ref, pinned.path, True, f"sha256 {pinned.sha256[:12]} ({origin})"))
    return lines


def pin_directory(source: Source, date: str, folder: Path, urls: dict[str, str] | None = None) -> Snapshot:
    """A snapshot entry (not yet written) pinning every file under `folder`.

    It is marked `awaiting_push` unless every file has a URL at a fixed commit: bytes known only here (or
    at a moving URL) need `opentrends snapshot push` (or a Hub location) before they are durable.
    """
    urls = urls or {}
    files = tuple(
        PinnedFile(
            path=p.relative_to(folder).as_posix(),
            sha256=sha256_file(p),
            size=p.stat().st_size,
            url=urls.get(p.relative_to(folder).as_posix()),
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    )
    if not files:
        raise SnapshotError(f"No files under {folder.as_posix()} to pin.")
    durable = all(f.url and is_durable_url(f.url) for f in files)
    return Snapshot(source_id=source.id, date=date, files=files, date_accessed=date, awaiting_push=not durable)
