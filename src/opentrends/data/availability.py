"""Why pinned data cannot be had here, said once and with the fix that fits the cause.

Used where a missing snapshot must be reported rather than raised: `opentrends run` holds back the
notebooks that need it (one block for all of them, see `console.unavailable_block`), and the test
suite skips with the reason and ends with one summary line (`no_data_fix`).
"""

from __future__ import annotations

from dataclasses import dataclass

from opentrends.core import paths
from opentrends.data.snapshots import (
    CACHE_FIX,
    NO_MIRROR_FIX,
    CacheError,
    SnapshotError,
    ensure_writable,
    fetch,
    mirror_state,
)


def no_data_fix() -> str:
    """The one fix, in a few words, for pinned data that cannot be had here (the test run's skip summary)."""
    mirror = paths.mirror_dir()
    try:
        ensure_writable(paths.cache_dir())
    except CacheError:
        return f"fix: the cache {paths.cache_dir().as_posix()} cannot be written; {CACHE_FIX[5:]}"
    if mirror is None:
        return NO_MIRROR_FIX
    if not mirror.is_dir():
        return f"fix: OPENTRENDS_MIRROR names {mirror.as_posix()}, which {mirror_state(mirror)}; point it at the mirror folder"
    return f"fix: the mirror {mirror.as_posix()} lacks or holds damaged copies of pinned files; `opentrends verify` names each"


@dataclass
class Unavailable:
    """Why a snapshot cannot be had here: what was tried for its first missing file, and the fix that fits."""

    ref: str
    tried: str  # "cache: ...; mirror: ...; hub: ...; url: ..."
    fix: str  # "Fix: ...", the one that fits the cause (unset, missing or file mirror, damaged copy, unwritable cache)
    url: str = ""  # that file's upstream URL, so a summary of several snapshots can say "its URL" instead

    def message(self) -> str:
        return f"pinned data {self.ref} not available here (tried {self.tried}); {self.fix}"


def why_unavailable(ref: str) -> Unavailable | None:
    """None when every file of `ref` can be had here, else what was tried and the fix."""
    try:
        fetch(ref)
    except SnapshotError as exc:
        return Unavailable(ref, exc.summary(), exc.fix, exc.url)
    return None


def first_unavailable(refs) -> str | None:
    """Why the first of `refs` cannot be resolved here, or None when all can (used to skip tests and runs clearly).

    The message starts with "pinned data" (the test suite counts skips by it), names the snapshot,
    says what was tried for its first missing file, and ends with the fix that fits the cause.
    """
    for ref in refs:
        if missing := why_unavailable(ref):
            return missing.message()
    return None
