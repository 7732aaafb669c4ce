"""`opentrends review` / `make review`: everything a reviewer checks, in one pass, with a one-page report.

1. verify   every pinned snapshot file against its sha256 pin;
2. nbval    every committed notebook (`pytest --nbval notebooks/`), in a subprocess;
3. figures  a fresh forced default run into a scratch build folder; every committed PNG compared with its
            re-rendered twin (matplotlib `compare_images`, RMS tolerance `PNG_TOLERANCE`), every CSV byte for byte;
4. claims   the claims ledger recomputed and compared with the committed `claims/ledger.json`.

`progress(line)` hears as each check starts and ends, as nbval finishes each notebook (`nbval_progress`) and
as the fresh run starts and finishes each one, so no step is silent for long. Each figure problem names its fix;
the `*-failed-diff.png` images `compare_images` draws beside a differing PNG are never listed as problems.
A check that cannot run here (nbval with every cell skipped for missing data) is SKIP with the reason, never
PASS. Nothing committed is written. The exit status is 0 only when every check passed (a SKIP is not a pass:
the summary says "review INCOMPLETE").
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
    ok: bool  # passed; a skipped check did not
    detail: str
    seconds: float
    skipped: bool = False

    @property
    def status(self) -> str:
        """PASS, FAIL or SKIP, as the report prints it."""
        return "SKIP" if self.skipped else "PASS" if self.ok else "FAIL"


class Skipped(Exception):  # noqa: N818 - a check that could not run here is skipped, not an error
    """Raised by a check that could not run here (e.g. no pinned data); the message says why and the fix."""


def ledger_path() -> Path:
    """The committed claims ledger."""
    return paths.ROOT / "claims" / "ledger.json"


def _timed(name: str, run, progress=None) -> Check:
    started = time.perf_counter()
    skipped = False
    try:
        ok, detail = run(progress)
    except Skipped as exc:  # not run here: said as SKIP with the reason, never as a pass
        ok, detail, skipped = False, str(exc), True
    except Exception as exc:  # a crashed check is a failed check, reported with its reason
        ok, detail = False, f"{type(exc).__name__}: {exc}"
    return Check(name, ok, detail, time.perf_counter() - started, skipped)


def check_snapshots(progress=None) -> tuple[bool, str]:
    from opentrends.data.snapshots import verify

    lines = verify()
    failed = [f"{line.ref}/{line.path}: {line.detail}" for line in lines if not line.ok]
    detail = f"{len(lines) - len(failed)} of {len(lines)} pinned files match their sha256"
    return not failed, detail + ("" if not failed else "; first failure: " + failed[0])


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


def check_nbval(progress=None, notebooks: Path | None = None) -> tuple[bool, str]:
    """`pytest --nbval` on every notebook in `notebooks` (default: notebooks/), a line per notebook as it finishes.

    Raises Skipped, with pytest's reason, when a notebook's cells were all skipped (no pinned data here):
    a notebook nbval did not execute is not a notebook that passed.
    """
    from opentrends.cli import nbval_progress

    # unbuffered: the per-notebook lines reach the reviewer as they are written, not when pytest exits
    env = {**os.environ, "HF_HUB_DISABLE_PROGRESS_BARS": "1", "PYTHONUNBUFFERED": "1"}
    finished: dict[str, str] = {}

    def on_line(line: str) -> None:
        if nbval_progress.PREFIX in line:
            name, _, outcome = line.split(nbval_progress.PREFIX, 1)[1].partition(": ")
            finished[name] = outcome
            if progress:  # a skip's full reason and fix end the step; here only what was missing
                progress(f"  nbval: {name}: {outcome.split(' (tried ')[0]}")

    folder = notebooks or paths.notebooks_dir()
    command = [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-p", nbval_progress.__name__]
    returncode, output = _streamed([*command, "-q", str(folder)], env, on_line)
    lines = output.strip().splitlines()
    summary = next((x for x in reversed(lines) if re.search(r"\d+ (passed|failed|skipped|errors?)\b", x)), "")
    detail = f"pytest --nbval {paths.relative_to_root(folder)}/: {summary.strip('= ') or (lines or ['no output'])[-1]}"
    skipped = [name for name, outcome in finished.items() if outcome.startswith("skipped")]
    if returncode == 5 or (returncode == 0 and not finished):
        raise Skipped(f"{detail}; no notebooks collected in {paths.relative_to_root(folder)}/")
    if returncode == 0 and skipped:
        # the root conftest's last line counts the skips for missing data and gives the fix that fits
        why = lines[-1] if "skipped: pinned data" in lines[-1] else finished[skipped[0]]
        raise Skipped(f"{detail}; {len(skipped)} of {len(finished)} notebooks not executed: {why}")
    return returncode == 0, detail


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
            said = {"PASS": "passed", "FAIL": "FAILED", "SKIP": "SKIPPED"}[check.status]
            progress(f"[{number}] {name}: {said} in {check.seconds:.1f} s")
    return results


def report(checks: list[Check]) -> str:
    """The one-page report."""
    width = max(len(c.name) for c in checks)
    lines = ["OpenTrends review", "=" * 17]
    lines += [f"{c.status}  {c.name.ljust(width)}  {c.seconds:6.1f} s  {c.detail}" for c in checks]
    failed = [c.name for c in checks if c.status == "FAIL"]
    skipped = [c.name for c in checks if c.skipped]
    lines.append("")
    if failed:
        lines.append(f"review FAILED: {', '.join(failed)}" + (f"; skipped: {', '.join(skipped)}" if skipped else ""))
    elif skipped:
        lines.append(f"review INCOMPLETE: {', '.join(skipped)} skipped (see SKIP above: not checked here)")
    else:
        lines.append("review passed")
    return "\n".join(lines)
