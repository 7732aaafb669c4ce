"""The source registry's data model: sources, snapshots, pinned files, upstreams, capture kinds, and their errors.

Parsed and validated by `opentrends.registry.sources`; everything here is plain frozen data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from opentrends.core import paths
from opentrends.core.errors import OpenTrendsError, UsageError

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
REVISION_RE = re.compile(r"^[0-9a-f]{40}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SOURCE_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
REPO_TYPES = ("dataset", "model", "space")
CAPTURE_KINDS = ("urls", "hub-dataset", "hub-api")


class RegistryError(OpenTrendsError, ValueError):
    """The registry (or a reference into it) is malformed or names something unknown."""


class UnknownSourceError(RegistryError, UsageError):
    """A source id or snapshot date that the registry does not hold."""


@dataclass(frozen=True)
class License:
    name: str
    url: str


@dataclass(frozen=True)
class PinnedMember:
    """One member of a pinned zip: its name inside the archive and what its bytes must be (size optional)."""

    path: str
    sha256: str
    size: int | None = None


@dataclass(frozen=True)
class PinnedFile:
    """One file of a snapshot: where it sits inside the snapshot and what its bytes must be.

    A zip may also pin its `members` (name, sha256, size): loaders read those members, checked byte for byte.
    """

    path: str
    sha256: str
    size: int
    url: str | None = None
    members: tuple[PinnedMember, ...] = ()

    @property
    def is_zip(self) -> bool:
        """True for a zip archive (by its name), whose members a loader may read."""
        return self.path.lower().endswith(".zip")

    def member(self, name: str, ref: str = "") -> PinnedMember:
        """The pinned member `name`; an error names the zip and lists the members it pins."""
        for member in self.members:
            if member.path == name:
                return member
        where = f"{ref}/{self.path}" if ref else self.path
        known = ", ".join(m.path for m in self.members) or "none"
        raise UnknownSourceError(
            f"{where} pins no member '{name}'. Members pinned: {known}. Fix: use one of them, or pin the member "
            f"(path, sha256, size under the file's `members:` in its registry file; see data/sources/README.md)."
        )


@dataclass(frozen=True)
class HubLocation:
    """A Hugging Face Hub repository revision holding the snapshot's files under `path_in_repo`."""

    repo_id: str
    revision: str
    repo_type: str = "dataset"
    path_in_repo: str = ""

    def filename(self, relative_path: str) -> str:
        """The file's path inside the Hub repository."""
        prefix = self.path_in_repo.strip("/")
        return f"{prefix}/{relative_path}" if prefix else relative_path


@dataclass(frozen=True)
class Upstream:
    """The public repository commit a snapshot's bytes were taken from (provenance; the URLs say where)."""

    repo: str
    commit: str
    note: str | None = None


@dataclass(frozen=True)
class Capture:
    """How `opentrends update` takes a new snapshot of a source.

    `urls`: download the source's `download` list; `hub-dataset`: the declared `files` of Hub repo
    `repo_id` at its current revision (pinned as the snapshot's Hub location); `hub-api`: records of
    the Hub API, captured by `opentrends hub capture ...` (`command` says which).
    """

    kind: str
    repo_id: str | None = None
    repo_type: str = "dataset"
    files: tuple[str, ...] = ()
    command: str | None = None


@dataclass(frozen=True)
class Snapshot:
    source_id: str
    date: str
    files: tuple[PinnedFile, ...]
    hub: HubLocation | None = None
    date_accessed: str | None = None
    note: str | None = None
    upstream: Upstream | None = None
    awaiting_push: bool = False

    @property
    def ref(self) -> str:
        """`source@date`, the id used everywhere else (CLI, parameters, sidecars)."""
        return f"{self.source_id}@{self.date}"

    def file(self, relative_path: str) -> PinnedFile:
        """The pinned file at `relative_path`; an error lists the files this snapshot has."""
        for pinned in self.files:
            if pinned.path == relative_path:
                return pinned
        known = ", ".join(f.path for f in self.files)
        raise UnknownSourceError(f"{self.ref} has no file '{relative_path}'. Files in this snapshot: {known}.")


@dataclass(frozen=True)
class DownloadSpec:
    path: str
    url: str


@dataclass(frozen=True)
class Source:
    id: str
    producer: str
    title: str
    url_main: str
    license: License
    citation: str
    snapshots: tuple[Snapshot, ...]
    download: tuple[DownloadSpec, ...] = ()
    key: str | None = None
    compare_columns: tuple[str, ...] = ()
    description: str = ""
    registry_file: Path | None = field(default=None, compare=False)
    capture: Capture | None = None

    @property
    def dates(self) -> list[str]:
        return [s.date for s in self.snapshots]

    def snapshot(self, date: str | None = None) -> Snapshot:
        """The snapshot of `date`, or the newest one when `date` is None."""
        if not self.snapshots:
            raise UnknownSourceError(
                f"Source '{self.id}' has no snapshot pinned yet (none pinned). "
                f"Fix: take one with `opentrends update {self.id}` on a machine with network, and commit "
                f"{paths.relative_to_root(self.registry_file) if self.registry_file else 'its registry file'}."
            )
        if date is None:
            return max(self.snapshots, key=lambda s: s.date)
        for snap in self.snapshots:
            if snap.date == date:
                return snap
        raise UnknownSourceError(
            f"Source '{self.id}' has no snapshot dated {date}. "
            f"Known dates: {', '.join(self.dates)}. "
            f"Fix: use one of them, or take a new snapshot with `opentrends update {self.id}`."
        )
