"""Atomic file writes: write to a temporary file beside the target, then rename.

A crash, an exception or Ctrl-C between the two leaves the old file (or nothing) in
place, never a half-written one. `move_file` keeps that promise across filesystems, where a
rename is impossible (a build folder on a tmpfs, outputs in the clone).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`, on any error it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(target: Path, data: bytes) -> None:
    """Replace `target` with `data` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(target: Path, text: str) -> None:
    """Replace `target` with UTF-8 `text` atomically (newlines written as-is)."""
    write_bytes_atomic(target, text.encode("utf-8"))


def move_file(source: Path, target: Path) -> None:
    """Move `source` onto `target` whole, replacing it: a rename on one filesystem; across filesystems
    (`EXDEV`) a copy into a temporary file beside `target`, renamed there, then `source` removed.

    Either way `target` is the old file or the complete new one, never a partial copy.
    """
    try:
        os.replace(source, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    with atomic_path(target) as tmp:  # the rename that finishes the copy happens on target's filesystem
        shutil.copyfile(source, tmp)
    os.unlink(source)
