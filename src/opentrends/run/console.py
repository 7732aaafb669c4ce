"""Presentation for the command line: one plain-text table printer and the run summary.

Library modules return values; only the CLI prints what these functions format.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from opentrends.core import paths


def format_table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    """Left-aligned columns two spaces apart, a dashed rule under the header, no trailing spaces."""
    cells = [[str(c) for c in row] for row in [header, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def outputs_place(notebooks_out: Path, figures_out: Path) -> str:
    """Where a run wrote, as the user should look: 'build/runs/wide/' when both folders share a run folder,
    else 'notebooks/ and figures/' (relative to the project root when inside it)."""
    if notebooks_out.parent == figures_out.parent and notebooks_out.parent != paths.ROOT:
        return f"{paths.relative_to_root(notebooks_out.parent)}/"
    return f"{paths.relative_to_root(notebooks_out)}/ and {paths.relative_to_root(figures_out)}/"


def run_summary(run_name: str, outcomes: Sequence, where: str | None = None) -> str:
    """The table `opentrends run` prints at the end: one row per notebook, then where the outputs are.

    `where` is `outputs_place(...)` of the run's plan (a variant named 'default' writes under build/runs/ too);
    without it, the place a run of that name writes by default.
    """
    rows = []
    for o in outcomes:
        detail = o.error if o.status in ("failed", "interrupted") else o.reason
        rows.append([o.name, o.status, "-" if o.status == "skipped" else f"{o.seconds:.1f}", detail])
    lines = [format_table(rows, ["notebook", "status", "seconds", "detail"])]
    if where is None:
        where = "notebooks/ and figures/" if run_name == "default" else f"build/runs/{run_name}/"
    failed = [o for o in outcomes if o.status != "done" and o.status != "skipped"]
    lines.append(f"run '{run_name}': {len(outcomes) - len(failed)} ok, {len(failed)} failed; outputs in {where}")
    if any(o.status == "failed" and not o.error.startswith("needs ") for o in failed):
        lines.append(f"failed notebooks were saved with their errors under build/failed/{run_name}/")
    return "\n".join(lines)


def unavailable_block(missing: Sequence, blocked: Sequence[str]) -> str:
    """One block for every snapshot a run cannot get (`availability.Unavailable`s): which ones, what was tried,
    the fix and the notebooks held back.

    What was tried is said once when it is the same for all (each file's own URL reads "its pinned URL"),
    else once per distinct outcome with the snapshots it applies to; each distinct fix is said once.
    """
    refs = [m.ref for m in missing]
    lines = [f"pinned data not available here for {len(refs)} snapshot{'s' * (len(refs) != 1)}: {', '.join(refs)}"]
    tried: dict[str, list[str]] = {}
    for m in missing:
        tried.setdefault(m.tried.replace(m.url, "its pinned URL") if m.url else m.tried, []).append(m.ref)
    for text, which in tried.items():
        lines.append(f"  tried{'' if len(tried) == 1 else ' for ' + ', '.join(which)}: {text}")
    lines += [f"  {fix}" for fix in dict.fromkeys(m.fix for m in missing if m.fix)]
    lines.append(f"  not running the notebooks that need them: {', '.join(blocked)}")
    return "\n".join(lines)
