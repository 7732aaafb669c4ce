"""One `opentrends run` at a time per build folder (one clone).

The lock is an `flock` on `build/run.lock`, released by the kernel when the process exits, however
it exits; the file also records who holds it (pid, start time, command) for the message the second
run prints. A file left behind by a dead process holds no flock, so the next run simply takes it over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from . import paths
from .errors import OpenTrendsError


class RunInProgressError(OpenTrendsError):
    """Another `opentrends run` holds the lock of this build folder."""


def lock_path() -> Path:
    """The lock file of this clone's build folder."""
    return paths.build_dir() / "run.lock"


def _holder(text: str) -> str:
    try:
        info = json.loads(text)
        return f"pid {info['pid']}, started {info['started']}, command: {info['command']}"
    except (ValueError, KeyError, TypeError):
        return "a process that left no details"


@contextlib.contextmanager
def run_lock(command: str | None = None) -> Iterator[Path]:
    """Hold the run lock for the duration of the block, or fail at once naming the run that holds it."""
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            raise RunInProgressError(
                f"another opentrends run is in progress in this clone ({holder}); lock file "
                f"{paths.relative_to_root(path)}. Fix: wait for it to finish (or stop it), then run again."
            ) from None
        info = {
            "pid": os.getpid(),
            "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "command": command or " ".join(["opentrends", *sys.argv[1:]]),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(info) + "\n").encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)  # released; an empty file names nobody
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
