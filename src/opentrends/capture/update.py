"""Take new snapshots (`opentrends update`) and publish them to the Hub (`opentrends snapshot push`).

`update` captures a source the way its registry entry says (`capture` kind), compares every
file with the newest earlier snapshot that holds the same path (bytes, CSV columns, and rows
on the source's key), refuses a download that lost a column a loader needs, and pins the rest.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from opentrends.core import paths
from opentrends.core.errors import UsageError
from opentrends.data.downloads import DownloadError, download
from opentrends.data.members import compare_members, held_paths, with_members
from opentrends.data.snapshots import (
    SchemaDriftError,
    SnapshotError,
    ensure_writable,
    fetch,
    pin_directory,
    resolve_file,
)
from opentrends.registry.model import REVISION_RE
from opentrends.registry.sources import (
    HubLocation,
    RegistryError,
    Snapshot,
    Source,
    get_snapshot,
    get_source,
    load_registry,
)
from opentrends.registry.writer import write_snapshot

if TYPE_CHECKING:  # pandas-backed; imported lazily so `opentrends run` starts fast
    from opentrends.data.changes import SchemaChange, TableComparison


@dataclass
class FileChange:
    path: str
    kind: str  # "added" (no earlier snapshot has it) | "unchanged" | "changed" | "removed"
    baseline: str | None = None  # the snapshot compared with: the newest earlier one holding this path


@dataclass
class UpdateReport:
    ref: str
    previous: str | None
    pinned: bool
    file_changes: list[FileChange]
    table_changes: dict[str, TableComparison] = field(default_factory=dict)
    schema_changes: dict[str, SchemaChange] = field(default_factory=dict)
    registry_file: Path | None = None
    awaiting_push: bool = False


def required_columns(source_id: str) -> dict[str, tuple[str, ...]]:
    """Columns the loaders need, per file of `source_id` (a removed one makes `update` refuse to pin).

    The source's loader module declares them as `REQUIRED_COLUMNS = {file: (column, ...)}`; a source
    without a loader (provenance only) needs none.
    """
    from opentrends.catalog.loaders import LOADERS, loader

    if source_id not in LOADERS:
        return {}
    table = getattr(loader(source_id), "REQUIRED_COLUMNS", {})
    return {str(file): tuple(sorted(map(str, columns))) for file, columns in sorted(table.items())}


def _capture(source: Source, date: str, folder: Path, revision: str | None = None) -> Snapshot:
    """Fill `folder` with a new capture of `source` and return its (unwritten) snapshot entry."""
    kind = source.capture.kind if source.capture else None
    if kind == "hub-api":
        command = source.capture.command or "opentrends hub capture ..."
        raise UsageError(
            f"Snapshots of '{source.id}' are captures of Hub API records, which `update` does not take. "
            f"Fix: run `{command}` (see `opentrends hub capture --help`); it pins the capture itself."
        )
    if kind == "hub-dataset":
        try:
            from opentrends.capture import hub_capture
        except ImportError as exc:
            raise SnapshotError(
                f"'{source.id}' is captured from a Hub dataset revision, which needs opentrends.hub_capture; "
                f"this install lacks it ({exc}). Fix: update the project to a version that has it."
            ) from exc
        location = hub_capture.capture_dataset(source, date, folder, revision=revision)
        if not isinstance(location, HubLocation) or not REVISION_RE.match(location.revision or ""):
            raise SnapshotError(
                f"The Hub capture of {source.id} returned {location!r}, not a 40-hex revision; nothing pinned."
            )
        today = dt.datetime.now(dt.UTC).date().isoformat()
        return replace(pin_directory(source, date, folder), hub=location, awaiting_push=False, date_accessed=today)
    if not source.download:
        raise RegistryError(
            f"Source '{source.id}' has no `download` list or `capture` in "
            f"{paths.relative_to_root(source.registry_file)}; nothing to update from. "
            "Fix: add path + url entries for its upstream files, or a `capture:` (see data/sources/README.md)."
        )
    for spec in source.download:
        try:
            download(spec.url, folder / spec.path, f"{source.id}@{date}/{spec.path}")
        except DownloadError as exc:
            raise SnapshotError(str(exc)) from exc
    # Live URLs (epoch.ai's CSVs, a branch) cannot serve these bytes later: pin_directory flags the
    # snapshot awaiting_push until `opentrends snapshot push` pins a Hub revision.
    return pin_directory(source, date, folder, {s.path: s.url for s in source.download})


def _baselines(source: Source, date: str, new: Snapshot) -> dict[str, Snapshot]:
    """For each new file, the newest earlier snapshot that holds the same path (a partial snapshot is skipped)."""
    earlier = sorted((s for s in source.snapshots if s.date < date), key=lambda s: s.date, reverse=True)
    return {
        f.path: next(s for s in earlier if any(o.path == f.path for o in s.files))
        for f in new.files
        if any(any(o.path == f.path for o in s.files) for s in earlier)
    }


class _TableChanges:
    """What changed in each CSV (a file or a zip member) of a new capture, and the columns a loader lost."""

    def __init__(self, source: Source):
        self.source = source
        self.table_changes: dict[str, TableComparison] = {}
        self.schema_changes: dict[str, SchemaChange] = {}
        self.lost: dict[str, list[str]] = {}

    def compare(self, label: str, new_local: Path, old_local: Callable[[], Path] | None, needed: tuple) -> None:
        """Compare `new_local` with the old copy (got only when it changed) and note columns a loader lost."""
        from opentrends.core.tables import missing_columns, read_csv_text
        from opentrends.data.changes import compare_csv, compare_schema

        key, new_table = self.source.key, read_csv_text(new_local)
        if old_local is not None:
            old_path = old_local()
            old_table = read_csv_text(old_path)
            self.schema_changes[label] = compare_schema(old_table, new_table, key)
            if key and key in old_table.columns and key in new_table.columns:
                self.table_changes[label] = compare_csv(old_path, new_local, key, self.source.compare_columns)
        if missing := missing_columns(new_table.columns, needed):
            self.lost[label] = missing


def _drift_error(ref: str, lost: dict[str, list[str]], schema: dict) -> SchemaDriftError:
    parts = []
    for file, columns in lost.items():
        renames = {old: new for old, new, _ in schema[file].renamed} if file in schema else {}
        hints = [f"'{c}' (rename candidate: '{renames[c]}')" if c in renames else f"'{c}'" for c in columns]
        parts.append(f"{file} lost {', '.join(hints)}")
    return SchemaDriftError(
        f"Update {ref} refused, nothing pinned: {'; '.join(parts)}, which the loaders need "
        "(REQUIRED_COLUMNS of the source's loader). Fix: adapt the loader to the new columns first "
        "(its code and REQUIRED_COLUMNS), then run `opentrends update` again."
    )


def _is_real_date(text: str) -> bool:
    """'2026-08-23' yes; '2026-13-45', '2026-8-23' and '20260823' no (the snapshot's folder and ref use this form)."""
    if not isinstance(text, str) or len(text) != 10 or text[4] != "-" or text[7] != "-":
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _revision_date(source: Source, date: str | None, revision: str | None) -> tuple[str, str | None, str | None]:
    """(snapshot date, revision to pin or None, note) for `source`; checks `--revision` and, for Hub datasets, `--date`.

    A `hub-dataset` snapshot is dated by its revision's commit (UTC day), never by a label: bytes of
    another day must not decide a claim about this one. A `--date` that disagrees is refused.
    """
    if date is not None and not _is_real_date(date):
        raise UsageError(
            f"--date must be a real calendar date written YYYY-MM-DD (e.g. 2026-08-23), got {date!r}; nothing "
            "was downloaded or pinned. Fix: pass a date such as --date 2026-08-23, or drop --date for today (UTC)."
        )
    kind = source.capture.kind if source.capture else None
    if revision is not None and kind != "hub-dataset":
        raise UsageError(
            f"--revision pins a Hub dataset revision; '{source.id}' is captured as '{kind or 'urls'}', "
            "which has no revisions to choose. Fix: drop --revision."
        )
    if revision is not None and not REVISION_RE.match(revision):
        raise UsageError(
            f"--revision must be a full 40-hex commit sha (lower-case), got {revision!r}; branch names and short "
            "shas move or are ambiguous. Fix: pass the commit's full sha, as `huggingface_hub.HfApi().list_repo_commits` "
            "lists it (see data/sources/README.md, Capture kinds)."
        )
    if kind != "hub-dataset":
        return date or dt.datetime.now(dt.UTC).date().isoformat(), None, None
    from opentrends.capture.hub_capture import capture_spec
    from opentrends.capture.hub_client import repo_revision

    spec = capture_spec(source)
    found = repo_revision(spec.repo_id, spec.repo_type, revision)
    if date is not None and date != found.date:
        raise UsageError(
            f"--date {date} disagrees with the revision: {spec.repo_id}@{found.sha} was committed "
            f"{found.committed} ({found.date}, UTC), and a hub-dataset snapshot is dated by its revision's "
            f"commit; nothing pinned. Fix: drop --date (the snapshot will be {source.id}@{found.date}), or pin "
            f"the revision committed on {date} with --revision SHA; list that day's commits with "
            f"`{revision_help(spec.repo_id, spec.repo_type, date)}`."
        )
    note = f"{spec.repo_id} revision {found.sha}, committed {found.committed}"
    return found.date, found.sha, note + (f" ({found.title})" if found.title else "")


def revision_help(repo_id: str, repo_type: str = "dataset", day: str = "YYYY-MM-DD") -> str:
    """The command that lists the commits of `repo_id` made on `day` (UTC): sha, time, title."""
    return (
        'python -c "from huggingface_hub import HfApi; [print(c.commit_id, c.created_at, c.title) for c in '
        f"HfApi().list_repo_commits('{repo_id}', repo_type='{repo_type}') if str(c.created_at)[:10] == '{day}']\""
    )


def update(
    source_id: str, date: str | None = None, registry: dict[str, Source] | None = None, revision: str | None = None
) -> UpdateReport:
    """Capture the source as a new dated snapshot, compare it with what is pinned, and pin it.

    How it is captured depends on the source's `capture` kind: `urls` downloads the `download`
    list; `hub-dataset` calls `opentrends.capture.hub_capture.capture_dataset` and pins the Hub revision;
    `hub-api` is refused with the command that does it. Each file is compared with the newest
    earlier snapshot holding the same path (bytes; for CSVs also columns and, with a `key`, rows).
    Nothing is pinned when every file is byte-identical, or when a CSV lost a column a loader needs.
    A `hub-dataset` snapshot is pinned at `revision` (40 hex; default: the current revision) and dated
    by that revision's commit (UTC); a `date` that disagrees is a UsageError. `revision` is refused for
    the other kinds.
    """
    registry = registry if registry is not None else load_registry()
    source = get_source(source_id, registry)
    date, revision, note = _revision_date(source, date, revision)
    if date in source.dates:
        dated_by = "its revision's commit date" if revision else "--date (default: today, UTC)"
        raise RegistryError(
            f"{source_id}@{date} is already pinned; snapshots are immutable (the date is {dated_by}). "
            "Fix: pass another --date or --revision, or remove that entry on purpose first."
        )
    folder = paths.cache_dir() / source_id / date
    ensure_writable(folder.parent)
    shutil.rmtree(folder, ignore_errors=True)  # leftovers of an earlier failed update (never pinned)
    try:
        new = _capture(source, date, folder, revision)
        new = replace(new, note=note) if note else new
        baselines = _baselines(source, date, new)
        earlier = [s for s in source.snapshots if s.date < date]
        previous = max(earlier, key=lambda s: s.date) if earlier else None
        new = with_members(new, folder)
        file_changes = []
        needed = required_columns(source_id)
        tables = _TableChanges(source)
        for pinned in new.files:
            base = baselines.get(pinned.path)
            old = base.file(pinned.path) if base else None
            kind = "added" if old is None else "unchanged" if old.sha256 == pinned.sha256 else "changed"
            file_changes.append(FileChange(pinned.path, kind, base.ref if base else None))
            if pinned.path.endswith(".csv"):
                old_local = (lambda base=base, old=old: resolve_file(base, old)[0]) if kind == "changed" else None
                tables.compare(pinned.path, folder / pinned.path, old_local, needed.get(pinned.path, ()))
            # A zip's members are compared as files are: with the newest earlier snapshot holding the same path.
            for label, kind, ref, new_local, old_local in compare_members(source, new, pinned, folder):
                file_changes.append(FileChange(label, kind, ref))
                if label.endswith(".csv"):
                    member = label.removeprefix(f"{pinned.path}/")
                    needs = needed.get(label, needed.get(member, ()))
                    tables.compare(label, new_local, old_local if kind == "changed" else None, needs)
        if previous is not None:  # a file, or a zip member, that the new capture holds nowhere
            held = held_paths(new)
            gone = [f.path for f in previous.files if f.path not in held]
            gone += [f"{f.path}/{m.path}" for f in previous.files for m in f.members if m.path not in held]
            for path in sorted(gone):
                file_changes.append(FileChange(path, "removed", previous.ref))
        if tables.lost:
            raise _drift_error(new.ref, tables.lost, tables.schema_changes)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise

    report = UpdateReport(
        new.ref,
        previous.ref if previous else None,
        False,
        file_changes,
        tables.table_changes,
        tables.schema_changes,
        awaiting_push=new.awaiting_push,
    )
    if previous is not None and all(c.kind == "unchanged" for c in file_changes):
        shutil.rmtree(folder, ignore_errors=True)
        return report
    report.registry_file = write_snapshot(source, new)
    report.pinned = True
    return report


def _upload_folder_to_hub(
    folder: Path, repo_id: str, path_in_repo: str, allow: list[str], message: str, token: str
) -> str:
    """The one call into HfApi: upload, return the commit sha (cannot run offline)."""
    from huggingface_hub import HfApi

    api = HfApi(token=token)
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
    info = api.upload_folder(
        folder_path=folder,
        repo_id=repo_id,
        repo_type="dataset",
        path_in_repo=path_in_repo,
        allow_patterns=allow,
        commit_message=message,
    )
    return info.oid


def push(
    ref: str,
    repo_id: str,
    registry: dict[str, Source] | None = None,
    uploader: Callable[..., str] = _upload_folder_to_hub,
) -> Snapshot:
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
        folder,
        repo_id,
        path_in_repo,
        [f.path for f in snapshot.files],
        f"Add snapshot {snapshot.ref}",
        token,
    )
    if not isinstance(revision, str) or not REVISION_RE.match(revision):
        raise SnapshotError(f"The Hub returned {revision!r} instead of a 40-hex commit sha; nothing pinned.")
    hub = HubLocation(repo_id=repo_id, revision=revision, path_in_repo=path_in_repo)
    pinned = replace(snapshot, hub=hub, awaiting_push=False)  # the Hub revision is the durable upstream now
    write_snapshot(get_source(snapshot.source_id, registry), pinned)
    return pinned
