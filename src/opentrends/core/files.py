"""Facts about files and folders: the sha256 of a file's bytes, and proof that a folder can be written.

One hasher for pins and run fingerprints alike, and one writable-folder check; the layers above turn
the check's `OSError` into their own error with the variable and the fix that fit (the snapshot cache,
a run's build and output folders).
"""

from __future__ import annotations

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
