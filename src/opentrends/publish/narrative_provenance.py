"""The sentences about the data sources: the citation list and what changed between two snapshots of a table.

Functions take computed tables (`analysis.provenance`), compute the facts their sentences state and fill the
templates (`templates/notebooks/00_data_sources/`, `templates/captions/notable-snapshot-changes.*`) with
`core.wording.render`; figure texts come back as a dict of `title`, `caption` and `alt_text` for `figures.save`.
"""

from __future__ import annotations

import pandas as pd

from opentrends.core import wording

ACCESS_CHANGED, DATE_CHANGED = "Model accessibility changed", "Publication date changed"
NOTEBOOK = "notebooks/00_data_sources/"


def citation_list(table: pd.DataFrame) -> str:
    """One Markdown bullet per source of a provenance table: '- **source** (license): citation'."""
    citations = table.drop_duplicates("source")
    rows = list(citations[["source", "license", "citation"]].itertuples(index=False, name=None))
    return wording.render(NOTEBOOK + "citations.md", rows=rows)


def snapshot_changes_facts(counts: pd.DataFrame, n_old: int, n_new: int, old: str, new: str, file: str) -> dict:
    """The rows of `file` in snapshot refs `old` and `new` and the changes by kind (`counts`: `change`, `n` per kind;
    a kind absent is 0)."""
    by_kind = dict(zip(counts["change"], counts["n"]))
    source, old_date = old.split("@")
    return {
        "old": old, "new": new, "file": file, "n_old": n_old, "n_new": n_new, "source": source, "old_date": old_date,
        "new_date": new.split("@")[1], "added": by_kind.get("added", 0), "removed": by_kind.get("removed", 0),
        "access": by_kind.get(ACCESS_CHANGED, 0), "dates": by_kind.get(DATE_CHANGED, 0),
    }  # fmt: skip


def snapshot_changes_text(
    counts: pd.DataFrame, n_old: int, n_new: int, old: str, new: str, file: str
) -> tuple[str, dict[str, str]]:
    """What changed in `file` between `old` and `new` (arguments of `snapshot_changes_facts`), and the texts of
    `notable-snapshot-changes`."""
    facts = snapshot_changes_facts(counts, n_old, n_new, old, new, file)
    texts = {key: wording.render(f"captions/notable-snapshot-changes.{kind}.txt", **facts)
             for key, kind in (("title", "title"), ("caption", "caption"), ("alt_text", "alt"))}  # fmt: skip
    return wording.render(NOTEBOOK + "snapshot_changes.md", **facts), texts
