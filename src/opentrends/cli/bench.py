"""`opentrends bench run`: how fast is a build, compared with running the notebooks by hand?

Three timings, all on the committed notebooks with the default parameters and all written
under `build/bench/` (the committed notebooks and figures are never touched):

1. cold build      `opentrends run --force` (parallel kernels, papermill)
2. sequential      `jupyter nbconvert --execute` on each notebook, one after another
3. no-op rebuild   `opentrends run` again, nothing changed

Targets (a benchmark, not a test): cold <= 0.6 x sequential; no-op <= 1 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

from opentrends.core import paths
from opentrends.core.errors import UsageError
from opentrends.run import params as runparams

COLD_RATIO_TARGET = 0.6
NOOP_TARGET_SECONDS = 1.0


def _timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"benchmark step failed: {' '.join(command[:4])} ...")
    return time.perf_counter() - started


def main(jobs: int | None = None) -> int:
    """Run the three timings and print them with the ratios against the targets."""
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be a whole number of at least 1, got {jobs}.")
    bench_root = paths.build_dir() / "bench"
    shutil.rmtree(bench_root, ignore_errors=True)
    env = {**os.environ, "OPENTRENDS_BUILD": str(bench_root / "build"), "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    notebooks = runparams.project_notebooks()  # NN_topic.ipynb only, as `opentrends run` executes
    if not notebooks:
        print("no notebooks to benchmark")
        return 0
    cli = [sys.executable, "-m", "opentrends.cli.main", "run", "--name", "bench"]
    if jobs:
        cli += ["--jobs", str(jobs)]

    print(f"benchmarking {len(notebooks)} notebooks on {os.cpu_count()} cores", flush=True)
    cold = _timed([*cli, "--force"], env)
    print(f"cold build (opentrends run --force):        {cold:7.2f} s", flush=True)

    out = bench_root / "nbconvert"
    out.mkdir(parents=True, exist_ok=True)
    nbconvert_env = {**env, "OPENTRENDS_FIGURE_OUTPUT": str(out / "figures")}
    sequential = 0.0
    for nb in notebooks:
        sequential += _timed(
            [
                sys.executable,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--output-dir",
                str(out),
                str(nb),
            ],
            nbconvert_env,
        )
    print(f"sequential (jupyter nbconvert --execute):   {sequential:7.2f} s", flush=True)

    noop = _timed(cli, env)
    print(f"no-op rebuild (opentrends run):             {noop:7.2f} s", flush=True)

    ratio = cold / sequential if sequential else float("nan")
    print(
        f"cold / sequential = {ratio:.2f} (target <= {COLD_RATIO_TARGET}); "
        f"no-op {noop:.2f} s (target <= {NOOP_TARGET_SECONDS:.0f} s)"
    )
    met = ratio <= COLD_RATIO_TARGET and noop <= NOOP_TARGET_SECONDS
    print("targets met" if met else "targets NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
