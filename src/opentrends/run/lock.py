"""One `opentrends run` at a time per build folder (one clone).

The lock is an `flock` on `build/run.lock`, released by the kernel when the process exits, however
it exits; the file also records who holds it (pid, start time, command) for the message the second
run prints. A file left behind by a dead process holds no flock, so the next run simply takes it over.
Forked children (the run's workers) close their copy of the descriptor at once, so none can keep the
lock after the run died; and should anything still hold the flock of a file that names a dead pid, the
next run replaces the file (a new inode nobody holds) and takes the lock over all the same.

A build or output folder that cannot be written (read-only, or a file where the folder should be) is an
`UnwritableFolderError` naming the folder, the variable that sets it and the fix, never a traceback; one on
a full filesystem is a `NoSpaceError` (`no_space_error`) in the same words.
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

from opentrends.core import paths
from opentrends.core.errors import OpenTrendsError
from opentrends.core.files import check_writable_folder, is_full


class RunInProgressError(OpenTrendsError):
    """Another `opentrends run` holds the lock of this build folder."""


class UnwritableFolderError(OpenTrendsError):
    """A folder the run must write (build, notebooks or figures output) cannot be written."""


class NoSpaceError(OpenTrendsError):
    """A folder the run writes is on a full filesystem (ENOSPC, or a disk quota)."""


# Which variable sets each folder a run writes, for the fix line (variant runs live under the build folder).
_VARIABLES = {"build": "OPENTRENDS_BUILD", "notebooks": "OPENTRENDS_NOTEBOOKS", "figures": "OPENTRENDS_FIGURES"}


def _variable_for(folder: Path) -> str:
    folder = folder.resolve()
    build = paths.build_dir().resolve()
    if folder == build or build in folder.parents:
        return _VARIABLES["build"]
    for kind, where in (("notebooks", paths.notebooks_dir()), ("figures", paths.figures_dir())):
        if folder == where.resolve():
            return _VARIABLES[kind]
    return ""


def require_writable_folder(folder: Path) -> Path:
    """Create `folder` if needed and prove a file can be written there; UnwritableFolderError otherwise."""
    try:
        check_writable_folder(folder)
    except OSError as exc:
        variable = _variable_for(folder)
        elsewhere = f"export {variable}=/path/to/a/writable/folder" if variable else "use another folder"
        first = (
            f"remove or rename the file {paths.relative_to_root(folder)}"
            if folder.is_file()
            else "make that folder (or its parent) writable"
        )
        raise UnwritableFolderError(
            f"The folder {paths.relative_to_root(folder)} cannot be written ({exc.strerror or exc}). "
            f"Fix: {first}, or {elsewhere}."
        ) from exc
    return folder


def no_space_error(*candidates: Path) -> NoSpaceError:
    """The error for a full filesystem: the first of `candidates` (the folder a write failed in, then the run's
    folders) whose filesystem is full, its variable and the fix. Its first candidate when none looks full now."""
    folder = next((c for c in candidates if is_full(c)), candidates[0])
    variable = _variable_for(folder)
    elsewhere = f"export {variable}=/path/to/a/folder/with/room" if variable else "use a folder on a disk with room"
    return NoSpaceError(
        f"No space left on the filesystem of {paths.relative_to_root(folder)} (the run could not write there; "
        f"nothing partial was published). Fix: free space on that filesystem, or {elsewhere}."
    )


@contextlib.contextmanager
def writable_folders(*folders: Path) -> Iterator[None]:
    """Create the folders and prove them writable (`require_writable_folder`) for the block; when it ends,
    however it ends, remove those it created that are still empty.

    Each folder and its parents up to the first that existed before are candidates, deepest first, so a run
    refused after planning (a bad parameter, missing data) leaves no empty `build/runs/<name>/` behind.
    """
    created: list[Path] = []
    for folder in folders:
        for candidate in [folder, *folder.parents]:
            if candidate.exists():
                break
            created.append(candidate)
    try:
        for folder in folders:
            require_writable_folder(folder)
        yield
    finally:
        for folder in sorted(set(created), key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):  # not empty (outputs were written) or already gone
                folder.rmdir()


def lock_path() -> Path:
    """The lock file of this clone's build folder."""
    return paths.build_dir() / "run.lock"


def _holder(text: str) -> str:
    try:
        info = json.loads(text)
        return f"pid {info['pid']}, started {info['started']}, command: {info['command']}"
    except (ValueError, KeyError, TypeError):
        return "a process that left no details"


def _holder_pid(text: str) -> int | None:
    try:
        pid = json.loads(text)["pid"]
    except (ValueError, KeyError, TypeError):
        return None
    return pid if isinstance(pid, int) and pid > 0 else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


_held_fds: set[int] = set()  # this process's lock descriptors


def _close_in_child() -> None:
    """After a fork: the child closes its copy of the lock descriptor (the parent's flock stays with the parent)."""
    for fd in list(_held_fds):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_fds.clear()


os.register_at_fork(after_in_child=_close_in_child)


def _acquire(path: Path) -> int:
    """An open descriptor of `path` holding its flock; RunInProgressError when a live run holds it."""
    for _ in range(5):  # each pass either takes the lock or replaces a file some other process took first
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
            pid = _holder_pid(text)
            if pid is None or _alive(pid):
                os.close(fd)
                raise RunInProgressError(
                    f"another opentrends run is in progress in this clone ({_holder(text)}); lock file "
                    f"{paths.relative_to_root(path)}. Fix: wait for it to finish (or stop it), then run again."
                ) from None
            # The recorded holder is dead, so whatever holds the flock is a straggler it left behind: a new
            # file (new inode) is a lock nobody holds. Unlink only the file we read, not one a rival made since.
            with contextlib.suppress(OSError):
                if os.stat(path).st_ino == os.fstat(fd).st_ino:
                    os.unlink(path)
            os.close(fd)
            continue
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fd).st_ino:
            return fd
        os.close(fd)  # another run replaced the file between our open and our flock: try the new one
    raise RunInProgressError(
        f"the lock file {paths.relative_to_root(path)} keeps changing under this run. "
        "Fix: wait for the other run to finish, then run again."
    )


@contextlib.contextmanager
def run_lock(command: str | None = None) -> Iterator[Path]:
    """Hold the run lock for the duration of the block, or fail at once naming the run that holds it."""
    path = lock_path()
    require_writable_folder(path.parent)
    fd = _acquire(path)
    _held_fds.add(fd)
    try:
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
        _held_fds.discard(fd)
        os.close(fd)
