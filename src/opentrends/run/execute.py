"""Execute one notebook in a fresh kernel, into a staging folder.

The kernel gets its environment as an argument (the calling process's `os.environ` is never
changed, so parallel jobs in one process cannot see each other's settings): figures go to the
job's staging folder (`OPENTRENDS_FIGURE_OUTPUT`), `OPENTRENDS_NOTEBOOK` names the notebook for
the sidecars, `OPENTRENDS_VARIANT` (variant runs only) holds the parameters that differ from the default
run as JSON `{name: {"value": ..., "default": ...}}`, and credentials are removed (notebooks read pinned data only). Nothing outside the
staging folder is written here except, on failure, the failed notebook under `build/failed/`;
publishing into `notebooks/` and `figures/` is the orchestrator's job.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from opentrends.core import paths
from opentrends.core.atomic import write_text_atomic
from opentrends.core.errors import OpenTrendsError
from opentrends.core.files import is_full, no_space
from opentrends.run.params import tags

VOLATILE_PAPERMILL_KEYS = (
    "start_time",
    "end_time",
    "duration",
    "exception",
    "input_path",
    "output_path",
    "environment_variables",
    "version",
)
CREDENTIALS = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
KERNEL_MANAGER = "opentrends.run.kernel.LocalKernelManager"
# The project's own kernelspec, installed into the venv by `make setup` (ipykernel install --sys-prefix);
# committed notebooks name it, so JupyterLab, nbconvert and the runner all use the project's environment.
KERNEL_NAME = "opentrends"


@dataclass
class Job:
    """One notebook to execute, with everything a worker process needs (plain, picklable values)."""

    name: str
    input_path: str
    staging_dir: str
    failed_path: str
    parameters: dict
    components: dict = field(default_factory=dict)
    declared: dict = field(default_factory=dict)
    reason: str = ""
    variant: dict = field(default_factory=dict)  # name -> {"value", "default"} for a variant run's changed parameters


@dataclass
class Outcome:
    """How a notebook's run ended: "done", "skipped", "failed" or "interrupted"."""

    name: str
    status: str
    seconds: float = 0.0
    reason: str = ""
    error: str = ""
    figures: list[str] = field(default_factory=list)
    no_space: bool = False  # failed because the build folder's filesystem is full (the run then ends in one error)


def kernel_environment(job_env: Mapping[str, str], base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The kernel's whole environment: `base` (default: this process's) without credentials, plus `job_env`."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in CREDENTIALS}
    env.update({"HF_HUB_DISABLE_PROGRESS_BARS": "1", "PYTHONHASHSEED": "0"})
    env.update(job_env)
    return env


def normalize_notebook(nb) -> None:
    """Strip what changes from run to run: papermill timings and paths, execution timestamps, random cell ids."""
    pm = nb.metadata.get("papermill", {})
    for key in VOLATILE_PAPERMILL_KEYS:
        pm.pop(key, None)
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        for key in ("papermill", "execution", "collapsed"):
            cell.metadata.pop(key, None)
        if "id" in cell:
            cell["id"] = f"cell-{index:02d}"
        for output in cell.get("outputs", []):
            output.get("metadata", {}).pop("execution", None)


def write_notebook(nb, target: Path) -> None:
    """Write a normalized notebook atomically (byte-identical for identical runs)."""
    import nbformat

    normalize_notebook(nb)
    write_text_atomic(target, nbformat.writes(nb) + "\n")


def error_summary(nb) -> str:
    """'cell N: Error: message' for the first failing cell, N counted as the author sees the notebook."""
    added_by_papermill = {"injected-parameters", "papermill-error-cell-tag"}
    authored = [c for c in nb.cells if not added_by_papermill & set(tags(c))]
    for number, cell in enumerate(authored, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"cell {number}: {output.get('ename')}: {output.get('evalue')}"
    return "the kernel stopped without reporting an error"


def staged_notebook(job: Job) -> Path:
    """Where a successful job leaves its normalized executed notebook."""
    return Path(job.staging_dir) / "notebook" / f"{job.name}.ipynb"


def staged_figures(job: Job) -> Path:
    """Where a job's `figures.save` calls write."""
    return Path(job.staging_dir) / "figures"


def require_kernel() -> None:
    """Refuse to start when the project's kernelspec is missing (before any notebook is planned to run)."""
    from jupyter_client.kernelspec import KernelSpecManager

    if KERNEL_NAME not in KernelSpecManager().find_kernel_specs():
        raise OpenTrendsError(
            f"The Jupyter kernel '{KERNEL_NAME}' is not installed in this environment. Fix: run `make setup` "
            f"(or `python -m ipykernel install --sys-prefix --name {KERNEL_NAME}` in the project's venv)."
        )


def warm_up() -> None:
    """Import what `execute` needs, in a process about to fork its workers: papermill alone takes about 1.5 s of
    CPU to import, which each forked worker would otherwise pay again (a tenth of a cold build's work)."""
    import nbformat  # noqa: F401
    import papermill  # noqa: F401
    import traitlets.config  # noqa: F401

    import opentrends.run.kernel  # noqa: F401  (jupyter_client)


def _failed(job: Job, exc: Exception, started: float) -> Outcome:
    """The outcome of a failed execution; the failed notebook kept under build/failed/, the staging removed.

    A full build filesystem shows up in many forms (ENOSPC, a notebook cut short and no longer JSON, a kernel
    that died); each is checked against the filesystem itself, and flagged `no_space` so the run ends in one
    error naming the folder instead of a failure per notebook.
    """
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    staging, executed = Path(job.staging_dir), Path(job.staging_dir) / "raw.ipynb"
    seconds = time.perf_counter() - started
    full = no_space(exc) or is_full(staging)
    nb = None
    if executed.exists() and not full:
        try:
            nb = nbformat.read(executed, as_version=4)
            write_notebook(nb, Path(job.failed_path))
        except Exception as again:  # noqa: BLE001 -- unreadable or unwritable: the outcome still says why
            full = no_space(again) or is_full(Path(job.failed_path).parent)
    shutil.rmtree(staging, ignore_errors=True)
    if full:
        return Outcome(job.name, "failed", seconds, job.reason, "no space left on device", no_space=True)
    if isinstance(exc, PapermillExecutionError) and nb is not None:
        return Outcome(job.name, "failed", seconds, job.reason, error_summary(nb))
    return Outcome(job.name, "failed", seconds, job.reason, f"{type(exc).__name__}: {exc}")


def execute(job: Job) -> Outcome:
    """Execute one notebook in a fresh kernel; on success its outputs wait in the staging folder."""
    import nbformat
    import papermill
    from traitlets.config import Config

    started = time.perf_counter()
    staging = Path(job.staging_dir)
    shutil.rmtree(staging, ignore_errors=True)
    executed = staging / "raw.ipynb"
    env = kernel_environment({"OPENTRENDS_FIGURE_OUTPUT": str(staged_figures(job)), "OPENTRENDS_NOTEBOOK": job.name})
    if job.variant:  # figures.save cites these in the caption, citation and sidecar
        env["OPENTRENDS_VARIANT"] = json.dumps(job.variant, sort_keys=True, default=str)
    try:
        staged_figures(job).mkdir(parents=True)
        papermill.execute_notebook(
            job.input_path,
            str(executed),
            parameters=job.parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            cwd=str(paths.notebooks_dir()),
            kernel_manager_class=KERNEL_MANAGER,
            config=Config({"LocalKernelManager": {"launch_env": env}}),
            # jupyter_client interrupts every kernel before shutting it down; a kernel caught mid-handler
            # then logs a harmless "KeyboardInterrupt caught in kernel". Cell errors still reach the
            # notebook and a dead kernel still fails the run.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    except Exception as exc:  # a cell's error, a dead kernel, a full disk, ...: reported, the others carry on
        return _failed(job, exc, started)
    except BaseException:  # Ctrl-C: the kernel was shut down by papermill's own cleanup; leave nothing staged
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        write_notebook(nbformat.read(executed, as_version=4), staged_notebook(job))
        executed.unlink()
    except Exception as exc:  # a notebook written short (a full disk) is no JSON: reported like any failure
        return _failed(job, exc, started)
    produced = sorted(p.name for p in staged_figures(job).iterdir() if not p.name.startswith("."))
    return Outcome(job.name, "done", time.perf_counter() - started, job.reason, figures=produced)
