"""What changed between two versions of a table: columns added, removed or renamed; rows added,
removed, and changed key columns.

Used by `opentrends update` (old snapshot vs the new download) and by notebook
`00_data_sources` (Epoch notable models, 2026-03-30 vs 2026-07-19). Keys are compared
after stripping whitespace, because real model names carry stray spaces and newlines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from opentrends.core.errors import DataError
from opentrends.core.tables import read_csv_text


@dataclass
class TableComparison:
    """Counts plus one tidy row per change (kind, key, column, old, new)."""

    key: str
    n_old: int
    n_new: int
    duplicate_keys_old: int
    duplicate_keys_new: int
    changes: pd.DataFrame  # columns: kind, key, column, old, new

    def count(self, kind: str, column: str | None = None) -> int:
        rows = self.changes[self.changes["kind"] == kind]
        if column is not None:
            rows = rows[rows["column"] == column]
        return len(rows)

    def lines(self) -> list[str]:
        """A short human-readable report."""
        out = [f"rows: {self.n_old} -> {self.n_new}; added {self.count('added')}, removed {self.count('removed')}"]
        changed = self.changes[self.changes["kind"] == "changed"]
        for column, group in changed.groupby("column", sort=True):
            out.append(f"changed {column}: {len(group)} rows")
        for kind, n in (("old", self.duplicate_keys_old), ("new", self.duplicate_keys_new)):
            if n:
                out.append(f"note: {n} duplicated key value(s) in the {kind} table; first occurrence compared")
        return out


@dataclass
class SchemaChange:
    """Columns added and removed between two versions of a table, and the removed+added pairs that look renamed."""

    added: list[str]
    removed: list[str]
    renamed: list[tuple[str, str, str]]  # (old name, new name, evidence: "same values" | "same position")

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def lines(self) -> list[str]:
        """One line per kind of change; renames are listed as candidates, their columns not repeated."""
        paired_old = {old for old, _, _ in self.renamed}
        paired_new = {new for _, new, _ in self.renamed}
        out = [f"column renamed? '{old}' -> '{new}' ({why})" for old, new, why in self.renamed]
        if removed := [c for c in self.removed if c not in paired_old]:
            out.append("columns removed: " + ", ".join(f"'{c}'" for c in removed))
        if added := [c for c in self.added if c not in paired_new]:
            out.append("columns added: " + ", ".join(f"'{c}'" for c in added))
        return out


def _values(frame: pd.DataFrame, column: str, key: str | None) -> pd.Series:
    values = frame[column].astype("string").fillna("").str.strip()
    if key is None:
        return values.reset_index(drop=True)
    keys = frame[key].astype("string").fillna("").str.strip()
    return values.set_axis(keys.to_numpy()).loc[lambda s: ~s.index.duplicated(keep="first")]


def _same_values(old: pd.DataFrame, new: pd.DataFrame, old_col: str, new_col: str, key: str | None) -> bool:
    before, after = _values(old, old_col, key), _values(new, new_col, key)
    if key is None and len(before) != len(after):
        return False
    common = before.index.intersection(after.index)
    return len(common) > 0 and bool((before.loc[common] == after.loc[common]).all())


def compare_schema(old: pd.DataFrame, new: pd.DataFrame, key: str | None = None) -> SchemaChange:
    """Columns added, removed and renamed from `old` to `new`.

    Rename rule: a removed column R and an added column A are reported as a rename candidate when
    A holds the same values as R (rows matched on `key` when both tables have it, else by position
    when the row counts are equal), or else when A stands at the same column position as R did.
    Removed columns are paired in their old order, each added column at most once, values first.
    """
    old_cols, new_cols = [str(c) for c in old.columns], [str(c) for c in new.columns]
    removed = [c for c in old_cols if c not in new_cols]
    added = [c for c in new_cols if c not in old_cols]
    key = key if key is not None and key in old_cols and key in new_cols else None
    renamed: list[tuple[str, str, str]] = []
    free = list(added)
    for column in removed:
        match = next((a for a in free if _same_values(old, new, column, a, key)), None)
        why = "same values"
        if match is None:
            position = old_cols.index(column)
            match = next((a for a in free if new_cols.index(a) == position), None)
            why = "same position"
        if match is not None:
            free.remove(match)
            renamed.append((column, match, why))
    return SchemaChange(added=added, removed=removed, renamed=renamed)


def _keyed(frame: pd.DataFrame, key: str, label: str) -> tuple[pd.DataFrame, int]:
    if key not in frame.columns:
        raise DataError(f"{label}: no key column '{key}'. Columns: {', '.join(map(str, frame.columns))}.")
    frame = frame.assign(**{key: frame[key].astype("string").str.strip()})
    duplicates = int(frame[key].duplicated().sum())
    return frame.drop_duplicates(key, keep="first").set_index(key), duplicates


def compare_frames(old: pd.DataFrame, new: pd.DataFrame, key: str, columns: Sequence[str] = ()) -> TableComparison:
    """Compare two tables on `key`; report value changes in `columns` (those present in both)."""
    old_k, dup_old = _keyed(old, key, "old table")
    new_k, dup_new = _keyed(new, key, "new table")
    added = sorted(set(new_k.index) - set(old_k.index))
    removed = sorted(set(old_k.index) - set(new_k.index))
    rows = [{"kind": "added", "key": k, "column": None, "old": None, "new": None} for k in added]
    rows += [{"kind": "removed", "key": k, "column": None, "old": None, "new": None} for k in removed]
    common = sorted(set(old_k.index) & set(new_k.index))
    for column in columns:
        if column not in old_k.columns or column not in new_k.columns:
            continue
        before = old_k.loc[common, column].astype("string").fillna("").str.strip()
        after = new_k.loc[common, column].astype("string").fillna("").str.strip()
        differ = before != after
        for k in before.index[differ.to_numpy()]:
            rows.append({"kind": "changed", "key": k, "column": column, "old": before[k], "new": after[k]})
    changes = pd.DataFrame(rows, columns=["kind", "key", "column", "old", "new"])
    return TableComparison(key, len(old), len(new), dup_old, dup_new, changes)


def compare_csv(old_path: Path, new_path: Path, key: str, columns: Sequence[str] = ()) -> TableComparison:
    """`compare_frames` on two CSV files."""
    return compare_frames(read_csv_text(old_path), read_csv_text(new_path), key, columns)
