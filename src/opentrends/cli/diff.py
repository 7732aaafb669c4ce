"""`opentrends diff RUN`: what moved in a variant run's figures against the default run's.

RUN is a folder of `build/runs/`, named in full or by its readable part (a variant's folder is its readable
name plus an eight-hex digest of its parameters; the newest such run is taken, and the others named).
For each figure both runs produced, the CSVs (`build/runs/RUN/figures/<id>.csv` and `figures/<id>.csv`)
are compared as text, cell by cell: rows are matched by the shortest run of leading columns that
identifies every row in both tables (e.g. `year, origin`), else by position; then rows added, rows
removed and values changed (old -> new) are listed, with the columns added or removed. The headline
sentences (title and caption in the JSON sidecars) that differ are shown side by side.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from opentrends.core import paths
from opentrends.core.errors import UsageError
from opentrends.publish import snippets


class UnknownRunError(UsageError):
    """`opentrends diff` was given a run that does not exist under build/runs/."""


@dataclass
class FigureDiff:
    """What moved in one figure: rows matched by `key`, rows added/removed, cells changed, sentences that differ."""

    id: str
    key: list[str]
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, list[tuple[str, str, str]]]] = field(default_factory=list)  # key, (column, old, new)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    sentences: list[tuple[str, str, str]] = field(default_factory=list)  # (field, default, variant)
    variant: dict = field(default_factory=dict)  # the variant's changed parameters, from its sidecar

    @property
    def moved(self) -> bool:
        return bool(
            self.added or self.removed or self.changed or self.columns_added or self.columns_removed or self.sentences
        )


def matching_runs(run: str) -> list[Path]:
    """The run folders `run` names, newest first: the folder of that exact name, else every folder named
    `run` plus the eight-hex digest of its parameters (`build/runs/<readable name>-<digest>/`)."""
    runs = paths.build_dir() / "runs"
    if not run or "/" in run or run in (".", "..") or not runs.is_dir():
        return []
    if (runs / run / "figures").is_dir():
        return [runs / run]
    named = re.compile(re.escape(run) + r"-[0-9a-f]{8}")
    found = [p for p in runs.iterdir() if named.fullmatch(p.name) and (p / "figures").is_dir()]
    return sorted(found, key=lambda p: ((p / "figures").stat().st_mtime, p.name), reverse=True)


def run_folder(run: str) -> Path:
    """The figures folder of variant run `run` (a full folder name, or its readable part: then the newest run
    of that name); UnknownRunError listing the runs when there is none."""
    found = matching_runs(run)
    if found:
        return found[0] / "figures"
    runs = paths.build_dir() / "runs"
    known = sorted(p.name for p in runs.iterdir() if (p / "figures").is_dir()) if runs.is_dir() else []
    listed = f"Runs: {', '.join(known)}." if known else "There are no variant runs yet."
    raise UnknownRunError(
        f"No variant run {run!r} with figures under {paths.relative_to_root(runs)}/. {listed} "
        "Fix: name one of them (the whole folder name, or its readable part before the eight-character "
        "digest), or make one, e.g. `opentrends run 02_us_vs_china -p population=notable --name notable`."
    )


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return (rows[0], rows[1:]) if rows else ([], [])


def _key_columns(header: list[str], old: list[dict], new: list[dict]) -> list[str]:
    """The shortest prefix of the shared columns that identifies every row in both tables ([] = by position)."""
    for width in range(1, len(header)):
        key = header[:width]
        if all(len({tuple(r[c] for c in key) for r in rows}) == len(rows) for rows in (old, new)):
            return key
    return []


def compare_figure(figure_id: str, default_dir: Path, variant_dir: Path) -> FigureDiff:
    """Compare one figure's CSV and sidecar sentences between the default run and a variant."""
    old_header, old_rows = _read_csv(default_dir / f"{figure_id}.csv")
    new_header, new_rows = _read_csv(variant_dir / f"{figure_id}.csv")
    shared = [c for c in old_header if c in new_header]
    old = [dict(zip(old_header, r)) for r in old_rows]
    new = [dict(zip(new_header, r)) for r in new_rows]
    key = _key_columns(shared, old, new)
    found = FigureDiff(figure_id, key)
    found.columns_added = [c for c in new_header if c not in old_header]
    found.columns_removed = [c for c in old_header if c not in new_header]

    def index(rows: list[dict]) -> dict:
        return {tuple(r[c] for c in key) if key else (str(i),): r for i, r in enumerate(rows)}

    old_by, new_by = index(old), index(new)
    for k, row in new_by.items():
        if k not in old_by:
            found.added.append(row)
    for k, row in old_by.items():
        if k not in new_by:
            found.removed.append(row)
            continue
        cells = [(c, row[c], new_by[k][c]) for c in shared if c not in key and row[c] != new_by[k][c]]
        if cells:
            found.changed.append(({c: row[c] for c in key} if key else {"row": k[0]}, cells))
    default_side, variant_side = _sidecar(default_dir, figure_id), _sidecar(variant_dir, figure_id)
    found.variant = variant_side.get("variant") or {}
    for field_name in ("title", "caption"):
        before, after = default_side.get(field_name, ""), variant_side.get(field_name, "")
        if field_name == "caption":  # the note naming the variant's parameters is said once, not as a change
            after = after.removesuffix(snippets.variant_note(found.variant)).rstrip()
        if before != after:
            found.sentences.append((field_name, before, after))
    return found


def _sidecar(folder: Path, figure_id: str) -> dict:
    try:
        return json.loads((folder / f"{figure_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _row_text(row: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in row.items())


def compare(run: str) -> tuple[list[FigureDiff], list[str], list[str]]:
    """(one FigureDiff per figure both runs produced, ids only in the variant, ids only in the default run)."""
    variant_dir, default_dir = run_folder(run), paths.figures_dir()
    variant_ids = {p.stem for p in variant_dir.glob("*.csv")}
    default_ids = {p.stem for p in default_dir.glob("*.csv")}
    both = sorted(variant_ids & default_ids)
    return (
        [compare_figure(i, default_dir, variant_dir) for i in both],
        sorted(variant_ids - default_ids),
        sorted(default_ids - variant_ids),
    )


def report(run: str, limit: int = 10) -> str:
    """The text `opentrends diff RUN` prints."""
    diffs, only_variant, only_default = compare(run)
    where = paths.relative_to_root(run_folder(run))
    lines = [f"run '{run}' ({where}/) against the default run ({paths.relative_to_root(paths.figures_dir())}/)"]
    others = [p.name for p in matching_runs(run)[1:]]
    if others:  # a readable name shared by runs of different parameters: say which one this is
        lines.append(f"the newest of {len(others) + 1} runs named '{run}'; the others: {', '.join(others)}")
    variant = next((d.variant for d in diffs if d.variant), {})
    if variant:
        lines.append(f"parameters: {snippets.variant_parameters(variant)}")
    for d in diffs:
        if not d.moved:
            continue
        by = ", ".join(d.key) if d.key else "position"
        lines.append(f"\n{d.id} (rows matched by {by}):")
        lines += [f"  column added: {c}" for c in d.columns_added] + [
            f"  column removed: {c}" for c in d.columns_removed
        ]
        for label, rows in (("added", d.added), ("removed", d.removed)):
            if rows:
                lines.append(f"  {len(rows)} row{'s' * (len(rows) != 1)} {label}:")
                lines += [f"    {_row_text(r)}" for r in rows[:limit]]
                lines += [f"    ... and {len(rows) - limit} more"] if len(rows) > limit else []
        if d.changed:
            lines.append(f"  {len(d.changed)} row{'s' * (len(d.changed) != 1)} with changed values:")
            for key, cells in d.changed[:limit]:
                moved = "; ".join(f"{c} {old} -> {new}" for c, old, new in cells)
                lines.append(f"    {_row_text(key)}: {moved}")
            lines += [f"    ... and {len(d.changed) - limit} more"] if len(d.changed) > limit else []
        for field_name, before, after in d.sentences:
            lines += [f"  {field_name} differs:", f"    default: {before}", f"    {run}: {after}"]
    moved = [d.id for d in diffs if d.moved]
    lines.append("")
    lines.append(
        f"{len(diffs)} figure{'s' * (len(diffs) != 1)} in both runs: {len(moved)} moved, {len(diffs) - len(moved)} "
        "unchanged"
    )
    if only_variant:
        lines.append(f"only in '{run}': {', '.join(only_variant)}")
    if only_default:
        lines.append(f"not in '{run}' (its notebooks were not run there): {len(only_default)} figures")
    return "\n".join(lines)
