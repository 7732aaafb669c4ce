"""Facts about files and folders: the sha256 of a file's bytes, proof that a folder can be written, a full disk.

One hasher for pins and run fingerprints alike, one writable-folder check, and one way to tell a full
filesystem (`no_space`, `is_full`); the layers above turn the `OSError` into their own error with the
variable and the fix that fit (the snapshot cache, a run's build and output folders).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from pathlib import Path


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes (`hashlib.file_digest`: read in chunks, never whole into memory)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def check_writable_folder(folder: Path) -> Path:
    """Create `folder` (and its parents) if needed and prove a file can be written in it; `folder` when it can.

    Raises `NotADirectoryError` when a file stands where the folder should be, and the `OSError` of the
    failed step otherwise (read-only, no permission); `strerror` says why in words.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(20, "it is a file, not a folder", str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=folder)
    os.close(fd)
    os.unlink(probe)
    return folder


# "No space left on device" and "Disk quota exceeded": either way a write there cannot succeed until room is made.
NO_SPACE_ERRNOS = (errno.ENOSPC, errno.EDQUOT)


def no_space(exc: BaseException | None) -> bool:
    """Whether `exc`, or an exception it was raised from or during, is a full filesystem (ENOSPC, EDQUOT)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in NO_SPACE_ERRNOS:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def is_full(folder: Path, probe_bytes: int = 64 * 1024) -> bool:
    """Whether `folder`'s filesystem refuses `probe_bytes` more (a probe file written and removed).

    For failures that lost their errno on the way (a kernel that died, a notebook cut short and no longer
    JSON). A folder that does not exist is asked through its nearest existing parent.
    """
    folder = Path(folder)
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    try:
        fd, probe = tempfile.mkstemp(prefix=".space-test.", dir=folder)
    except OSError as exc:
        return exc.errno in NO_SPACE_ERRNOS
    try:
        os.write(fd, b"\0" * probe_bytes)
        os.fsync(fd)
    except OSError as exc:
        return exc.errno in NO_SPACE_ERRNOS
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(probe)
    return False
