"""Presentation for the command line: one plain-text table printer and the run summary.

Library modules return values; only the CLI prints what these functions format.
"""

from __future__ import annotations

from collections.abc import Sequence


def format_table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    """Left-aligned columns two spaces apart, a dashed rule under the header, no trailing spaces."""
    cells = [[str(c) for c in row] for row in [header, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run_summary(run_name: str, outcomes: Sequence) -> str:
    """The table `opentrends run` prints at the end: one row per notebook, then where the outputs are."""
    rows = []
    for o in outcomes:
        detail = o.error if o.status in ("failed", "interrupted") else o.reason
        rows.append([o.name, o.status, "-" if o.status == "skipped" else f"{o.seconds:.1f}", detail])
    lines = [format_table(rows, ["notebook", "status", "seconds", "detail"])]
    where = "notebooks/ and figures/" if run_name == "default" else f"build/runs/{run_name}/"
    failed = [o for o in outcomes if o.status != "done" and o.status != "skipped"]
    lines.append(f"run '{run_name}': {len(outcomes) - len(failed)} ok, {len(failed)} failed; outputs in {where}")
    if any(o.status == "failed" and not o.error.startswith("needs ") for o in failed):
        lines.append(f"failed notebooks were saved with their errors under build/failed/{run_name}/")
    return "\n".join(lines)
