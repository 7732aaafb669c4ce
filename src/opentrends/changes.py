"""What changed between two versions of a table: rows added, removed, and changed key columns.

Used by `opentrends update` (old snapshot vs the new download) and by notebook
`00_data_sources` (Epoch notable models, 2026-03-30 vs 2026-07-19). Keys are compared
after stripping whitespace, because real model names carry stray spaces and newlines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import DataError
from .tables import read_csv_text


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
        return int(len(rows))

    def summary(self) -> pd.DataFrame:
        """One row per (kind, column) with the number of changes."""
        if self.changes.empty:
            return pd.DataFrame({"kind": [], "column": [], "n": []})
        return (
            self.changes.groupby(["kind", "column"], dropna=False, sort=True)
            .size()
            .rename("n")
            .reset_index()
        )

    def lines(self) -> list[str]:
        """A short human-readable report."""
        out = [
            f"rows: {self.n_old} -> {self.n_new}; added {self.count('added')}, removed {self.count('removed')}"
        ]
        changed = self.changes[self.changes["kind"] == "changed"]
        for column, group in changed.groupby("column", sort=True):
            out.append(f"changed {column}: {len(group)} rows")
        for kind, n in (("old", self.duplicate_keys_old), ("new", self.duplicate_keys_new)):
            if n:
                out.append(f"note: {n} duplicated key value(s) in the {kind} table; first occurrence compared")
        return out


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
