"""`opentrends bench run|hub|all`: every speed target, measured here and printed beside its target.

`bench run` times, on the committed notebooks with the default parameters, all under `build/bench/`
(the committed notebooks and figures are never touched):

1. cold build      `opentrends run --force` (parallel kernels, papermill)
2. sequential      `jupyter nbconvert --execute` on each notebook, one after another (same run)
3. no-op rebuild   `opentrends run` again with nothing changed: the median of five

`bench hub` times the Hub query layer (`cli/hub_bench.py`; `--scale`: `cli/hub_scale.py`). `bench all`
(`make bench`) runs all of them and ends with one table: each figure, its target, met or not. These are
benchmarks, never timed tests: a slow shared machine makes a figure miss, not a test fail.
"""

from __future__ import annotations

import json
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


def summary(rows: list[tuple[str, str, str, bool]]) -> str:
    """Every figure beside its target, one line each, then how many were met."""
    width = max(len(r[0]) for r in rows)
    measured = max(len(r[1]) for r in rows)
    lines = [f"{'figure':<{width}}  {'measured':<{measured}}  target", "-" * (width + measured + 24)]
    for figure, value, target, met in rows:
        lines.append(f"{figure:<{width}}  {value:<{measured}}  {target:<14}  {'met' if met else 'NOT met'}")
    missed = sum(not r[3] for r in rows)
    lines.append(f"{len(rows) - missed} of {len(rows)} targets met" + (f"; {missed} NOT met" if missed else ""))
    return "\n".join(lines)


def _json_of(arguments: list[str]):
    """`opentrends bench ARGS --json` in a process of its own (its children's peak memory is theirs alone)."""
    command = [sys.executable, "-m", "opentrends.cli.main", "bench", *arguments, "--json"]
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed: opentrends bench {' '.join(arguments)}")
    return json.loads(result.stdout)


def dispatch(action: str, jobs: int | None = None, rows: int = 2_000_000, as_json: bool = False, scale=False) -> int:
    """The `opentrends bench ACTION` command."""
    if action == "hub":
        from opentrends.cli import hub_bench, hub_scale

        return hub_scale.main(as_json) if scale else hub_bench.main(rows=rows, as_json=as_json)
    if action == "run":
        result = build_figures(jobs)
        if result:
            print(summary(build_targets(result)))
        return 0
    # all (make bench): every target, then one table
    from opentrends.cli import hub_bench, hub_scale  # for their describe/targets (the work runs in children)

    table = []
    result = build_figures(jobs)
    if result:
        table += build_targets(result)
    print(f"\nhub query layer at {hub_bench.DEFAULT_ROWS:,} rows (DuckDB against pandas) ...", flush=True)
    hub = _json_of(["hub", "--rows", str(hub_bench.DEFAULT_ROWS)])
    print(hub_bench.describe(hub), flush=True)
    table += hub_bench.targets(hub)
    print("\nhub query layer at 0.2M, 2M and 20M rows (a 20M-row table is written once) ...", flush=True)
    points = _json_of(["hub", "--scale"])
    print(hub_scale.table(points), flush=True)
    table += hub_scale.targets(points)
    print()
    print(summary(table))
    return 0


def main(jobs: int | None = None) -> int:
    """`opentrends bench run`."""
    return dispatch("run", jobs=jobs)
