"""Zip archives as pinned inputs: their members listed, pinned, verified, handed to loaders, compared.

The registry pins the zip itself (url, sha256, size), and may pin its members (`members:` of the file: path,
sha256, size). The zip is resolved and checked like any pinned file (`snapshots.resolve_file`); a member a
loader asks for must be pinned, and its bytes, read with `zipfile`, must match its own pin too, or the error
names the zip, the member, the expected and the actual sha256 and the fix. Verified members are extracted
once into the cache beside their zip (`<cache>/<source>/<date>/<zip>.members/<member>`) and re-checked on use.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from opentrends.core import paths
from opentrends.core.atomic import atomic_path
from opentrends.core.files import sha256_file
from opentrends.data.snapshots import (
    CacheError,
    ChecksumError,
    SnapshotError,
    VerifyLine,
    cache_path,
    resolve_file,
    verify,
)
from opentrends.registry.sources import (
    PinnedFile,
    PinnedMember,
    Snapshot,
    Source,
    UnknownSourceError,
    get_snapshot,
    load_registry,
)


class MemberError(ChecksumError):
    """A pinned zip member that is missing from its zip or whose bytes differ from its pin."""


def _open(zip_local: Path, label: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(zip_local)
    except zipfile.BadZipFile as exc:
        raise SnapshotError(
            f"{label} is not a readable zip ({exc}), though it is pinned as one. Fix: check the registry entry's "
            "path and sha256 name the zip you meant (data/sources/<id>.yaml)."
        ) from exc


def list_members(zip_local: Path) -> tuple[PinnedMember, ...]:
    """sha256 and size of every member of a local zip (folders skipped), in archive order, read in chunks."""
    members = []
    with _open(zip_local, zip_local.as_posix()) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            with archive.open(info) as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            members.append(PinnedMember(path=info.filename, sha256=digest, size=info.file_size))
    return tuple(members)


def with_members(snapshot: Snapshot, folder: Path) -> Snapshot:
    """`snapshot` with every member of each of its zips (files under `folder`) pinned, for `opentrends update`."""
    files = tuple(replace(f, members=list_members(folder / f.path)) if f.is_zip else f for f in snapshot.files)
    return replace(snapshot, files=files)


def _registry_file(snapshot: Snapshot, registry: dict[str, Source] | None) -> str:
    source = (registry or load_registry()).get(snapshot.source_id)
    where = source.registry_file if source and source.registry_file else None
    return paths.relative_to_root(where) if where else f"data/sources/{snapshot.source_id}.yaml"


def _mismatch(snapshot: Snapshot, pinned: PinnedFile, member: PinnedMember, actual: str, size: int, where: str) -> str:
    sizes = f" ({size} bytes, pinned {member.size})" if member.size is not None and size != member.size else ""
    return (
        f"{snapshot.ref}/{pinned.path}: member {member.path}: sha256 mismatch: expected {member.sha256}, got "
        f"{actual}{sizes}. The zip itself matches its pin (sha256 {pinned.sha256}), so the member's pin disagrees "
        f"with the pinned zip. Fix: make sure the zip's pin names the download you meant, then set this member's "
        f"sha256 to {actual}{f' and size to {size}' if member.size is not None else ''} under `members:` of "
        f"{pinned.path} in {where} (never re-pin the zip to fit a member)."
    )


def _extract(
    snapshot: Snapshot, pinned: PinnedFile, member: PinnedMember, zip_local: Path, target: Path, where: str
) -> None:
    label = f"{snapshot.ref}/{pinned.path}"
    with _open(zip_local, label) as archive:
        try:
            info = archive.getinfo(member.path)
        except KeyError:
            inside = ", ".join(i.filename for i in archive.infolist() if not i.is_dir())
            raise MemberError(
                f"{label} has no member '{member.path}', though {where} pins it. Members in the zip: {inside}. "
                f"Fix: correct or remove that member's entry under `members:` of {pinned.path} in {where}."
            ) from None
        with atomic_path(target) as tmp:
            with archive.open(info) as src, open(tmp, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            actual, size = sha256_file(tmp), tmp.stat().st_size
            if actual != member.sha256 or (member.size is not None and size != member.size):
                raise MemberError(_mismatch(snapshot, pinned, member, actual, size, where))


def member_path(snapshot: Snapshot, pinned: PinnedFile, name: str) -> Path:
    """Where the verified copy of member `name` of zip `pinned` sits in the cache."""
    return cache_path(snapshot, pinned).parent / f"{pinned.path}.members" / name


def verified_member(
    snapshot: Snapshot, pinned: PinnedFile, name: str, registry: dict[str, Source] | None = None
) -> Path:
    """A local copy of member `name` of pinned zip `pinned`, its bytes checked against the member's pin.

    The zip is resolved and verified first (cache -> mirror -> Hub -> url); an unpinned member is an
    UnknownSourceError listing the pinned ones; a missing or different member is a MemberError.
    """
    member = pinned.member(name, snapshot.ref)
    target = member_path(snapshot, pinned, name)
    if target.is_file() and sha256_file(target) == member.sha256:
        return target  # extracted and checked before; the pin is checked again on every use
    zip_local, _ = resolve_file(snapshot, pinned)
    _extract(snapshot, pinned, member, zip_local, target, _registry_file(snapshot, registry))
    return target


def member_file(ref: str, zip_path: str, name: str, registry: dict[str, Source] | None = None) -> Path:
    """The verified local path of member `name` of zip `zip_path` in snapshot `ref` (for loaders)."""
    snapshot = get_snapshot(ref, registry)
    return verified_member(snapshot, snapshot.file(zip_path), name, registry)


def verify_with_members(registry: dict[str, Source] | None = None) -> list[VerifyLine]:
    """`snapshots.verify`, each verified zip followed by one line per pinned member (`member=True`)."""
    registry = registry if registry is not None else load_registry()
    lines = []
    for line in verify(registry):
        lines.append(line)
        snapshot = get_snapshot(line.ref, registry)
        pinned = snapshot.file(line.path)
        for member in pinned.members if line.ok else ():
            label = f"{pinned.path}/{member.path}"
            try:
                verified_member(snapshot, pinned, member.path, registry)
            except CacheError:
                raise
            except SnapshotError as exc:
                detail, _, fix = str(exc).partition(" Fix: ")
                detail = detail.removeprefix(f"{line.ref}/{pinned.path}: member {member.path}: ")  # the line says it
                lines.append(VerifyLine(line.ref, label, False, detail, f"Fix: {fix}" if fix else "", member=True))
            else:
                lines.append(
                    VerifyLine(line.ref, label, True, f"sha256 {member.sha256[:12]} (zip member)", member=True)
                )
    return lines


def _holds(snapshot: Snapshot, name: str) -> Iterator[tuple[PinnedFile, PinnedMember | None]]:
    """Where `snapshot` holds path `name`: as a plain file, or as a pinned member of one of its zips."""
    for pinned in snapshot.files:
        if pinned.path == name:
            yield pinned, None
        for member in pinned.members:
            if member.path == name:
                yield pinned, member


def compare_members(
    source: Source, new: Snapshot, pinned: PinnedFile, folder: Path
) -> list[tuple[str, str, str | None, Path, Callable[[], Path] | None]]:
    """For `opentrends update`: each member of new zip `pinned` against the newest earlier snapshot holding it.

    A member is compared with a plain file of the same path or a pinned member of the same path in any zip
    of an earlier snapshot (dated zip names change; the members keep theirs). One tuple per member:
    (label `zip/member`, kind added|unchanged|changed, baseline ref, new local copy, old copy getter or None).
    """
    earlier = sorted((s for s in source.snapshots if s.date < new.date), key=lambda s: s.date, reverse=True)
    where = _registry_file(new, {source.id: source})
    rows = []
    for member in pinned.members:
        local = member_path(new, pinned, member.path)
        _extract(new, pinned, member, folder / pinned.path, local, where)
        base = next(((s, *held) for s in earlier for held in _holds(s, member.path)), None)
        if base is None:
            rows.append((f"{pinned.path}/{member.path}", "added", None, local, None))
            continue
        snap, old_file, old_member = base
        old_sha = old_member.sha256 if old_member else old_file.sha256
        kind = "unchanged" if old_sha == member.sha256 else "changed"

        def old(snap=snap, old_file=old_file, old_member=old_member) -> Path:
            if old_member is None:
                return resolve_file(snap, old_file)[0]
            return verified_member(snap, old_file, old_member.path, {source.id: source})

        rows.append((f"{pinned.path}/{member.path}", kind, snap.ref, local, old))
    return rows


def member_names(snapshot: Snapshot) -> set[str]:
    """Every member path pinned in the snapshot's zips (a member is not a removed file)."""
    return {member.path for pinned in snapshot.files for member in pinned.members}


def held_paths(snapshot: Snapshot) -> set[str]:
    """The paths a loader may read from `snapshot`: its plain files and the pinned members of its zips."""
    return {pinned.path for pinned in snapshot.files} | member_names(snapshot)


def table_file(ref: str, name: str, registry: dict[str, Source] | None = None) -> Path:
    """The verified local path of `name` in snapshot `ref`: a pinned file, or else a pinned member of one of its zips.

    So a loader reads `all_ai_models.csv` the same way from a snapshot of plain files and from one that pins
    Epoch's download zip. A name in neither is an error listing what the snapshot holds.
    """
    registry = registry if registry is not None else load_registry()
    snapshot = get_snapshot(ref, registry)
    if any(pinned.path == name for pinned in snapshot.files):
        return resolve_file(snapshot, snapshot.file(name))[0]
    for pinned, member in _holds(snapshot, name):
        if member is not None:
            return verified_member(snapshot, pinned, member.path, registry)
    raise UnknownSourceError(
        f"{snapshot.ref} has no file or zip member '{name}'. It holds: {', '.join(sorted(held_paths(snapshot)))}. "
        "Fix: use one of them, or a snapshot that holds it (`opentrends sources` lists them)."
    )
