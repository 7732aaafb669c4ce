"""Notebook builds: cold build, sequential nbconvert and the no-op rebuild (`make bench`, `python -m benchmarks run`).

This benchmark times, on the committed notebooks with the default parameters, all under `build/bench/`
(the committed notebooks and figures are never touched):

1. cold build      `opentrends run --force` (parallel kernels, papermill)
2. sequential      `jupyter nbconvert --execute` on each notebook, one after another (same run)
3. no-op rebuild   `opentrends run` again with nothing changed: the median of five

The Hub query layer has its own benchmarks (`hub_query.py`, `hub_scale.py`); `python -m benchmarks all`
(`make bench`) runs all of them and ends with one table: each figure, its target, met or not. These are
benchmarks, never timed tests: a slow shared machine makes a figure miss, not a test fail.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time

from opentrends.core import paths
from opentrends.core.errors import UsageError
from opentrends.run import params as runparams

COLD_RATIO_TARGET = 0.45  # cold build / sequential nbconvert (issue 19)
NOOP_TARGET_SECONDS = 0.2  # median of NOOP_RUNS no-op rebuilds (issue 19)
NOOP_RUNS = 5


def _timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"benchmark step failed: {' '.join(command[:4])} ...")
    return time.perf_counter() - started


def build_figures(jobs: int | None = None) -> dict | None:
    """Cold build, sequential nbconvert and the no-op median, printed as they come; None without notebooks."""
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be a whole number of at least 1, got {jobs}.")
    bench_root = paths.build_dir() / "bench"
    for stale in ("build", "nbconvert"):
        shutil.rmtree(bench_root / stale, ignore_errors=True)
    env = {**os.environ, "OPENTRENDS_BUILD": str(bench_root / "build"), "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    notebooks = runparams.project_notebooks()  # NN_topic.ipynb only, as `opentrends run` executes
    if not notebooks:
        print("no notebooks to benchmark")
        return None
    cli = [sys.executable, "-m", "opentrends.cli.main", "run", "--name", "bench"]
    if jobs:
        cli += ["--jobs", str(jobs)]

    print(f"benchmarking {len(notebooks)} notebooks on {os.cpu_count()} cores", flush=True)
    cold = _timed([*cli, "--force"], env)
    print(f"cold build (opentrends run --force):        {cold:7.2f} s", flush=True)

    out = bench_root / "nbconvert"
    out.mkdir(parents=True, exist_ok=True)
    nbconvert_env = {**env, "OPENTRENDS_FIGURE_OUTPUT": str(out / "figures")}
    nbconvert = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir"]
    sequential = sum(_timed([*nbconvert, str(out), str(nb)], nbconvert_env) for nb in notebooks)
    print(f"sequential (jupyter nbconvert --execute):   {sequential:7.2f} s", flush=True)

    noops = [_timed(cli, env) for _ in range(NOOP_RUNS)]
    noop = statistics.median(noops)
    shown = ", ".join(f"{s:.2f}" for s in noops)
    print(f"no-op rebuild (opentrends run), median of {NOOP_RUNS}: {noop:5.2f} s  ({shown})", flush=True)
    ratio = cold / sequential if sequential else float("nan")
    print(
        f"cold / sequential = {ratio:.2f} (target <= {COLD_RATIO_TARGET}); "
        f"no-op {noop:.2f} s (target <= {NOOP_TARGET_SECONDS} s)"
    )
    return {"cold": cold, "sequential": sequential, "ratio": ratio, "noop": noop, "noops": noops}


def build_targets(result: dict) -> list[tuple[str, str, str, bool]]:
    """(figure, measured, target, met) rows for the summary table."""
    return [
        (
            "no-op rebuild (median of 5)",
            f"{result['noop']:.2f} s",
            f"<= {NOOP_TARGET_SECONDS} s",
            result["noop"] <= NOOP_TARGET_SECONDS,
        ),
        (
            "cold build / sequential nbconvert",
            f"{result['ratio']:.2f} ({result['cold']:.1f} s / {result['sequential']:.1f} s)",
            f"<= {COLD_RATIO_TARGET}",
            result["ratio"] <= COLD_RATIO_TARGET,
        ),
    ]
