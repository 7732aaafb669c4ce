"""`opentrends review` / `make review`: everything a reviewer checks, in one pass, with a one-page report.

1. verify   every pinned snapshot file against its sha256 pin;
2. nbval    every committed notebook (`pytest --nbval notebooks/`), in a subprocess;
3. figures  a fresh forced default run into a scratch build folder; every committed PNG compared with its
            re-rendered twin (matplotlib `compare_images`, RMS tolerance `PNG_TOLERANCE`), every CSV byte for byte;
4. claims   the claims ledger recomputed and compared with the committed `claims/ledger.json`.

`progress(line)` hears as each check starts and ends, as nbval reaches each notebook and as the fresh run
starts and finishes each one, so no step is silent for long. Each figure problem names its fix; the
`*-failed-diff.png` images `compare_images` draws beside a differing PNG are never listed as problems.
Nothing committed is written. The exit status is 0 only when every check passed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from opentrends.core import paths

# RMS difference on the 0-255 scale; the same inputs give byte-identical PNGs here, so anything above
# this is a real change, not anti-aliasing noise from another FreeType build.
PNG_TOLERANCE = 0.5


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    seconds: float


def ledger_path() -> Path:
    """The committed claims ledger."""
    return paths.ROOT / "claims" / "ledger.json"


def _timed(name: str, run, progress=None) -> Check:
    started = time.perf_counter()
    try:
        ok, detail = run(progress)
    except Exception as exc:  # a crashed check is a failed check, reported with its reason
        ok, detail = False, f"{type(exc).__name__}: {exc}"
    return Check(name, ok, detail, time.perf_counter() - started)


def check_snapshots(progress=None) -> tuple[bool, str]:
    from opentrends.data.snapshots import verify

    lines = verify()
    failed = [f"{line.ref}/{line.path}: {line.detail}" for line in lines if not line.ok]
    detail = f"{len(lines) - len(failed)} of {len(lines)} pinned files match their sha256"
    return not failed, detail + ("" if not failed else "; first failure: " + failed[0])


NBVAL_ITEM = re.compile(r"^(?:\S*/)?(\d{2}_[a-z0-9_]+\.ipynb)::")
DIFF_SUFFIX = "-failed-diff.png"  # what matplotlib's compare_images writes beside a differing PNG


def _streamed(command: list[str], env: dict, on_line) -> tuple[int, str]:
    """Run `command`, passing each output line to `on_line` as it comes; (exit status, whole output)."""
    lines = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=paths.ROOT
    ) as process:
        for line in process.stdout:
            lines.append(line)
            on_line(line.rstrip("\n"))
    return process.returncode, "".join(lines)


def check_nbval(progress=None) -> tuple[bool, str]:
    env = {**os.environ, "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    seen: list[str] = []

    def on_line(line: str) -> None:  # pytest -v names each cell item; say each notebook once, as it starts
        match = NBVAL_ITEM.match(line)
        if match and match.group(1) not in seen:
            seen.append(match.group(1))
            if progress:
                progress(f"  nbval: {match.group(1)}")

    command = [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-v", str(paths.notebooks_dir())]
    returncode, output = _streamed(command, env, on_line)
    summary = next(
        (line for line in reversed(output.splitlines()) if " passed" in line or " failed" in line or " error" in line),
        output.strip().splitlines()[-1] if output.strip() else "",
    )
    return returncode == 0, f"pytest --nbval notebooks/: {summary.strip('= ')}"


def compare_figures(committed: Path, fresh: Path) -> tuple[list[str], int, int]:
    """(problems, each naming its fix; PNGs compared; CSVs compared) for the committed figures against fresh ones."""
    from matplotlib.testing.compare import compare_images

    rerun = "Fix: if the change is intended, run `opentrends run` and commit figures/; else find what changed it"
    pngs = {p.name for p in fresh.glob("*.png") if not p.name.endswith(DIFF_SUFFIX)}  # before any diff is drawn
    problems, n_png, n_csv = [], 0, 0
    for png in sorted(p for p in committed.glob("*.png") if not p.name.endswith(DIFF_SUFFIX)):
        twin = fresh / png.name
        if not twin.exists():
            problems.append(
                f"{png.name} not produced (Fix: restore the notebook cell that saves it, or remove "
                f"figures/{png.stem}.* and commit)"
            )
            continue
        n_png += 1
        if compare_images(str(png), str(twin), tol=PNG_TOLERANCE) is not None:
            problems.append(f"{png.name} differs (RMS > {PNG_TOLERANCE}; {rerun})")
    for csv in sorted(committed.glob("*.csv")):
        n_csv += 1
        twin = fresh / csv.name
        if not twin.exists() or twin.read_bytes() != csv.read_bytes():
            problems.append(f"{csv.name} data differ ({rerun})")
    extra = sorted(pngs - {p.name for p in committed.glob("*.png")})
    problems += [f"{name} is new (Fix: run `opentrends run` and commit figures/)" for name in extra]
    return problems, n_png, n_csv


def check_figures(progress=None) -> tuple[bool, str]:
    committed = paths.figures_dir()
    with tempfile.TemporaryDirectory(prefix="opentrends-review-") as scratch:
        env = {**os.environ, "OPENTRENDS_BUILD": scratch}
        command = [sys.executable, "-m", "opentrends.cli.main", "run", "--force", "--name", "review"]
        returncode, output = _streamed(
            command, env, lambda line: progress and (": running" in line or ": done" in line) and progress(f"  {line}")
        )
        if returncode != 0:
            return False, "fresh run failed: " + output.strip().splitlines()[-1]
        problems, n_png, n_csv = compare_figures(committed, Path(scratch) / "runs" / "review" / "figures")
    detail = f"{n_png} PNGs within RMS {PNG_TOLERANCE} and {n_csv} CSVs byte-identical"
    return not problems, detail if not problems else f"{len(problems)} problem(s): " + "; ".join(problems[:5])


def check_claims(progress=None) -> tuple[bool, str]:
    from opentrends.claims import ledger as claims

    path = ledger_path()
    if not path.exists():
        return False, f"{paths.relative_to_root(path)} is missing; write it with `opentrends claims --write`"
    committed = json.loads(path.read_text(encoding="utf-8"))
    fresh = json.loads(claims.to_json(claims.evaluate()))
    by_id = {item["id"]: item for item in committed}
    changed = [item["id"] for item in fresh if by_id.get(item["id"]) != item]
    verdicts = ", ".join(f"{item['verdict']}" for item in fresh)
    counts = {v: verdicts.split(", ").count(v) for v in claims.VERDICTS}
    summary = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
    if changed or len(committed) != len(fresh):
        return False, f"ledger differs from the committed one for: {', '.join(changed) or 'the claim list'}"
    return True, f"{len(fresh)} claims match the committed ledger ({summary})"


CHECKS = (("snapshots", check_snapshots), ("nbval", check_nbval), ("figures", check_figures), ("claims", check_claims))


def run(selected: list[str] | None = None, progress=None) -> list[Check]:
    """Run the checks (all, or the named ones) and return their results.

    `progress(line)` gets a line as each check starts and ends, and lines from within the long ones
    (each notebook nbval starts, each notebook the fresh run starts and finishes).
    """
    results = []
    for number, (name, fn) in enumerate(((n, f) for n, f in CHECKS if not selected or n in selected), start=1):
        if progress:
            progress(f"[{number}] {name}: started")
        results.append(_timed(name, fn, progress))
        if progress:
            check = results[-1]
            progress(f"[{number}] {name}: {'passed' if check.ok else 'FAILED'} in {check.seconds:.1f} s")
    return results


def report(checks: list[Check]) -> str:
    """The one-page report."""
    width = max(len(c.name) for c in checks)
    lines = ["OpenTrends review", "=" * 17]
    lines += [f"{'PASS' if c.ok else 'FAIL'}  {c.name.ljust(width)}  {c.seconds:6.1f} s  {c.detail}" for c in checks]
    failed = [c.name for c in checks if not c.ok]
    lines.append("")
    lines.append("review passed" if not failed else f"review FAILED: {', '.join(failed)}")
    return "\n".join(lines)
