"""Workers and kernels die with their run: a `kill -9` of `opentrends run` leaves no process, lock or staging.

Real `opentrends run` subprocesses and real kernels (marked integration), found afterwards through /proc.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_runner import make_project

from conftest import FIXTURES, ROOT
from opentrends.cli.main import main
from opentrends.run.lock import run_lock

pytestmark = pytest.mark.integration


def processes_of(build: Path) -> list[int]:
    """Live processes (workers, kernels) whose environment points into this test's build folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and f"OPENTRENDS_BUILD={build}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def start_run(*args: str) -> subprocess.Popen:
    run = subprocess.Popen(
        [sys.executable, "-m", "opentrends.cli.main", "run", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    return run


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_kill_9_takes_workers_and_kernels_down_and_the_next_run_cleans_up(tmp_path, monkeypatch, capsys, jobs):
    root = make_project(tmp_path, monkeypatch, "01_simple", "07_slow")
    shutil.copy(FIXTURES / "slow.ipynb", root / "notebooks" / "08_slow_too.ipynb")
    build = root / "build"
    run = start_run("07_slow", "08_slow_too", "--jobs", jobs)
    try:
        assert "running" in run.stdout.readline()
        staging = build / "staging" / "default"
        # each notebook's kernel is inside time.sleep(60) once its staging folder and kernel exist
        assert wait_until(lambda: staging.exists() and len(processes_of(build)) >= 2, 60), processes_of(build)
        time.sleep(1)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=10)
        # no worker or kernel outlives the run by more than a few seconds (they used to run out their cell)
        assert wait_until(lambda: processes_of(build) == [], 10), f"still running: {processes_of(build)}"
    finally:
        for pid in processes_of(build):
            os.kill(pid, signal.SIGKILL)
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    lock = build / "run.lock"
    assert json.loads(lock.read_text())["pid"] == run.pid  # the dead run's record is still there
    assert (build / "staging" / "default").exists()  # what the killed run staged (workers remove their own part)
    started = time.monotonic()
    assert main(["run", "01_simple"]) == 0  # the lock of the dead run is taken over at once
    assert time.monotonic() - started < 60
    out = capsys.readouterr().out
    assert "build/staging: left behind by a run that did not finish; removed" in out.replace(str(root) + "/", "")
    assert not (build / "staging").exists()
    assert lock.read_text() == ""


def test_a_lock_still_flocked_by_a_straggler_of_a_dead_run_is_taken_over(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENTRENDS_BUILD", str(tmp_path / "build"))
    (tmp_path / "build").mkdir()
    lock = tmp_path / "build" / "run.lock"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock.write_text(json.dumps({"pid": int(dead.stdout), "started": "2026-01-01 00:00:00 UTC", "command": "x"}))
    # a straggler: a process the dead run left behind that still holds the flock of the file
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import fcntl,sys,time; f=open({str(lock)!r}); fcntl.flock(f, fcntl.LOCK_EX); "
            "print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with run_lock("opentrends run") as path:
            assert json.loads(path.read_text())["pid"] == os.getpid()
    finally:
        holder.kill()
        holder.wait()


def test_a_forked_child_never_holds_the_run_lock(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENTRENDS_BUILD", str(tmp_path / "build"))
    script = (
        "import multiprocessing, os, signal, sys, time\n"
        "from opentrends.run.lock import run_lock\n"
        "with run_lock('opentrends run'):\n"
        "    child = multiprocessing.get_context('fork').Process(target=time.sleep, args=(60,))\n"
        "    child.start()\n"
        "    print(child.pid, flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    run = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(run.stdout.readline())  # (the child keeps the pipe open: read one line, never to the end)
    try:
        assert run.wait(timeout=30) == -signal.SIGKILL
        os.kill(child, 0)  # the child is still alive ...
        with run_lock("opentrends run") as path:  # ... and holds no lock: the next run starts
            assert json.loads(path.read_text())["pid"] == os.getpid()
    finally:
        os.kill(child, signal.SIGKILL)
