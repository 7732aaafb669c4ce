"""`python -m benchmarks run|hub|scale|all` (from the project root; `make bench` runs `all`).

- `run`    cold build vs sequential `jupyter nbconvert --execute` vs no-op rebuild (notebook_build.py)
- `hub`    the Hub query layer on N synthetic rows, DuckDB against pandas, each in its own process (hub_query.py)
- `scale`  the Hub query layer at 0.2M, 2M and 20M rows: time and peak memory (hub_scale.py)
- `all`    every target above, each beside its measured figure, then met / NOT met
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from benchmarks import hub_query, hub_scale, notebook_build
from opentrends.core import paths
from opentrends.core.errors import OpenTrendsError


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
    """`python -m benchmarks ARGS --json` in a process of its own (its children's peak memory is theirs alone)."""
    command = [sys.executable, "-m", "benchmarks", *arguments, "--json"]
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False, cwd=paths.ROOT)
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed: python -m benchmarks {' '.join(arguments)}")
    return json.loads(result.stdout)


def run_all(jobs: int | None) -> int:
    """Every target, then one table (`make bench`)."""
    table = []
    result = notebook_build.build_figures(jobs)
    if result:
        table += notebook_build.build_targets(result)
    print(f"\nhub query layer at {hub_query.DEFAULT_ROWS:,} rows (DuckDB against pandas) ...", flush=True)
    hub = _json_of(["hub", "--rows", str(hub_query.DEFAULT_ROWS)])
    print(hub_query.describe(hub), flush=True)
    table += hub_query.targets(hub)
    print("\nhub query layer at 0.2M, 2M and 20M rows (a 20M-row table is written once) ...", flush=True)
    points = _json_of(["scale"])
    print(hub_scale.table(points), flush=True)
    table += hub_scale.targets(points)
    print()
    print(summary(table))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and run one benchmark; an expected failure is one `error:` line (exit 2 for a usage error, 1 for failed work)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("run", "hub", "scale", "all"))
    parser.add_argument("--jobs", type=int, default=None, help="run/all: kernels at once (default: one per core)")
    parser.add_argument("--rows", type=int, default=hub_query.DEFAULT_ROWS, help="hub: rows of the synthetic table")
    parser.add_argument("--json", action="store_true", help="hub/scale: print only the JSON report")
    args = parser.parse_args(argv)
    try:
        if args.action == "hub":
            return hub_query.main(rows=args.rows, as_json=args.json)
        if args.action == "scale":
            return hub_scale.main(args.json)
        if args.action == "run":
            result = notebook_build.build_figures(args.jobs)
            if result:
                print(summary(notebook_build.build_targets(result)))
            return 0
        return run_all(args.jobs)
    except OpenTrendsError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
