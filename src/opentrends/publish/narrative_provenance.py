"""The sentences about the data sources: the citation list and what changed between two snapshots of a table.

Functions take computed tables (`analysis.provenance`) and return Markdown; figure texts come back as a
dict of `title`, `caption` and `alt_text` for `figures.save`.
"""

from __future__ import annotations

import pandas as pd

ACCESS_CHANGED, DATE_CHANGED = "Model accessibility changed", "Publication date changed"


def citation_list(table: pd.DataFrame) -> str:
    """One Markdown bullet per source of a provenance table: '- **source** (license): citation'."""
    citations = table.drop_duplicates("source")
    return "\n".join(f"- **{r.source}** ({r.license}): {r.citation}" for r in citations.itertuples())


def snapshot_changes_text(
    counts: pd.DataFrame, n_old: int, n_new: int, old: str, new: str, file: str
) -> tuple[str, dict[str, str]]:
    """What changed in `file` between snapshot refs `old` and `new` (`counts`: `change`, `n` per kind of change;
    `n_old`, `n_new`: the rows of each), and the texts of `notable-snapshot-changes`. A kind absent is 0."""
    by_kind = dict(zip(counts["change"], counts["n"]))
    added, removed = by_kind.get("added", 0), by_kind.get("removed", 0)
    access, dates = by_kind.get(ACCESS_CHANGED, 0), by_kind.get(DATE_CHANGED, 0)
    paragraph = (
        f"Between **{old}** and **{new}**, `{file}` went from {n_old:,} to {n_new:,} rows: {added:,} models were "
        f"added and {removed:,} removed. Among models in both, {access:,} changed accessibility label and {dates:,} "
        "changed publication date."
    )
    source, old_date = old.split("@")
    return paragraph, {
        "title": f"What changed in {file} ({source}) between {old_date} and {new.split('@')[1]}",
        "caption": (
            "Rows added and removed, and values changed among models present in both snapshots of "
            f"{file} ({n_old:,} and {n_new:,} rows)."
        ),
        "alt_text": (
            f"Horizontal bar chart of changes between two snapshots: {added} models added, {removed} removed, "
            f"{access} accessibility labels changed."
        ),
    }
