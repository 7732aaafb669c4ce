"""Execute a run's jobs: in this process (one at a time) or in forked worker processes, each with its kernel.

Workers and kernels never outlive the run. A worker is forked into the run's process group and watches
its parent: when the run is gone (even by `kill -9`, which no handler sees), the worker kills its kernel,
removes its staging folder and exits within a second. A kernel watches its own parent the same way
(ipykernel's parent poller, armed by `JPY_PARENT_PID`), which covers `--jobs 1`, where the run itself
starts the kernel. The run lock's descriptor is closed in every forked child (`lock`), so a straggler
could never hold the lock either.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import wait as wait_for

from opentrends.run.execute import Job, Outcome, execute, warm_up

__all__ = ["PARENT_POLL_SECONDS", "execute_all"]

PARENT_POLL_SECONDS = 0.5  # how soon a worker notices that its run died


def execute_all(pending: list[Job], jobs: int | None, report: Callable[..., None]) -> Iterator[Outcome]:
    """Outcomes as jobs finish; "running" is reported as each job actually starts."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
    if workers == 1:
        for job in pending:
            report(f"{job.name}: running ({job.reason})")
            yield execute(job)
        return
    # fork: a worker starts at once instead of re-importing the package. One process per notebook, so
    # Ctrl-C can stop exactly the workers that are running (each shuts its kernel down first).
    warm_up()  # once here, not once per forked worker
    context = multiprocessing.get_context("fork")
    queue = list(pending)
    running: dict = {}  # connection -> (process, job)
    try:
        while queue or running:
            while queue and len(running) < workers:
                job = queue.pop(0)
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_worker, args=(job, send, os.getpid()), daemon=True)
                report(f"{job.name}: running ({job.reason})")
                process.start()
                send.close()
                running[receive] = (process, job)
            for conn in wait_for(list(running)):
                process, job = running.pop(conn)
                try:
                    outcome = conn.recv()
                except EOFError:  # the worker died without a word
                    outcome = Outcome(
                        job.name, "failed", 0.0, job.reason, f"worker process ended with exit code {process.exitcode}"
                    )
                conn.close()
                process.join()
                yield outcome
    except BaseException:
        for process, _ in running.values():
            process.terminate()  # SIGTERM: the worker raises KeyboardInterrupt, papermill shuts the kernel down
        for process, _ in running.values():
            process.join(timeout=30)
        raise


class _Stop(KeyboardInterrupt):
    """Raised in a worker by SIGTERM from the orchestrator (Ctrl-C there)."""


def _stop(signum, frame):
    raise _Stop()


def watch_parent(parent: int, staging_dir: str, poll: float = PARENT_POLL_SECONDS) -> None:
    """In a worker: once `parent` (the run) is gone, kill this worker's kernels, remove its staging folder and
    exit. A dead parent reparents us (getppid changes); nothing else tells a child that its parent was killed."""
    from opentrends.run.kernel import kill_running_kernels

    while os.getppid() == parent:
        time.sleep(poll)
    kill_running_kernels()
    shutil.rmtree(staging_dir, ignore_errors=True)
    os._exit(137)  # as if killed with the run: no outcome, no traceback, no cleanup handlers of the dead run


def _worker(job: Job, send, parent: int) -> None:
    """A worker process: execute one job, send back its outcome, exit quietly when stopped or orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the orchestrator decides; it stops us with SIGTERM
    signal.signal(signal.SIGTERM, _stop)
    threading.Thread(target=watch_parent, args=(parent, job.staging_dir), daemon=True).start()
    try:
        send.send(execute(job))
    except KeyboardInterrupt:
        os._exit(130)  # staging already removed by execute(); no traceback after the "interrupted" message
    except BaseException as exc:  # a bug in the worker: reported as this notebook's failure
        send.send(Outcome(job.name, "failed", 0.0, job.reason, f"{type(exc).__name__}: {exc}"))
    finally:
        send.close()
