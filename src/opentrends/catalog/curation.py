"""Evidence-backed curation of source labels: corrections of known errors and organization aliases.

`data/corrections.csv` (source, model, field, old_value, new_value, evidence_url, note) fixes a known
error in a source at load time; a correction that no longer matches the source is an error, so stale
fixes surface. `data/organization_aliases.csv` (alias, organization, evidence_url, note) merges names of
one organization for counting (Google DeepMind -> Google). Every row needs an evidence URL.
"""

from __future__ import annotations

import pandas as pd

from opentrends.core import paths
from opentrends.core.errors import OpenTrendsError
from opentrends.core.tables import require_columns

CORRECTIONS_COLUMNS = ("source", "model", "field", "old_value", "new_value", "evidence_url", "note")
ALIAS_COLUMNS = ("alias", "organization", "evidence_url", "note")


class CatalogError(OpenTrendsError, ValueError):
    """Data that cannot be loaded as asked; the message names the file, the expectation and the fix."""


def _read_evidenced(name: str, columns: tuple[str, ...], no_evidence_message: str) -> pd.DataFrame:
    """`data/<name>` as text, after checking its columns and that every row has an http(s) evidence_url."""
    table = pd.read_csv(paths.data_dir() / name, dtype=str, keep_default_na=False)
    require_columns(
        table, columns, f"data/{name}", fix=f"Fix: restore the header row of data/{name}.", error=CatalogError
    )
    no_evidence = table[~table["evidence_url"].str.startswith("http")]
    if not no_evidence.empty:
        raise CatalogError(f"data/{name} row {int(no_evidence.index[0]) + 2}: {no_evidence_message}")
    return table


# --- corrections ----------------------------------------------------------------------------------


def load_corrections() -> pd.DataFrame:
    """`data/corrections.csv`: source, model, field, old_value, new_value, evidence_url, note."""
    return _read_evidenced("corrections.csv", CORRECTIONS_COLUMNS, "every correction needs an evidence_url.")


def apply_corrections(
    frame: pd.DataFrame, source_id: str, key: str, file: str, require_match: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply this source's corrections; each must still match a row (else the source changed: say so).

    The applied ones are returned (with `rows`, how many rows each changed) so a loader can report them.
    `require_match=False` for a source split over several files: check with `check_corrections_matched`.
    """
    table = load_corrections()
    table = table[table["source"] == source_id]
    frame = frame.copy()
    names = frame[key].str.strip()
    applied = []
    for index, fix in table.iterrows():
        if fix["field"] not in frame.columns:
            raise CatalogError(f"data/corrections.csv row {index + 2}: {file} has no column {fix['field']!r}.")
        hit = (names == fix["model"]) & (frame[fix["field"]].str.strip() == fix["old_value"])
        if not hit.any() and not require_match:
            continue
        if not hit.any():
            raise CatalogError(
                f"data/corrections.csv row {index + 2}: no row of {file} has {key}={fix['model']!r} with "
                f"{fix['field']}={fix['old_value']!r}. The source may have fixed it; remove or update the correction."
            )
        frame.loc[hit, fix["field"]] = fix["new_value"]
        applied.append({**fix.to_dict(), "rows": int(hit.sum())})
    return frame, pd.DataFrame(applied, columns=[*CORRECTIONS_COLUMNS, "rows"])


def check_corrections_matched(applied: pd.DataFrame, source_id: str, ref: str) -> None:
    """Every correction of `source_id` matched a row in at least one file of `ref` (else the source changed)."""
    table = load_corrections()
    table = table[table["source"] == source_id]
    done = set(zip(applied.get("model", []), applied.get("field", []), applied.get("old_value", [])))
    for index, fix in table.iterrows():
        if (fix["model"], fix["field"], fix["old_value"]) not in done:
            raise CatalogError(
                f"data/corrections.csv row {index + 2}: no file of {ref} has a row {fix['model']!r} with "
                f"{fix['field']}={fix['old_value']!r}. The source may have fixed it; remove or update the correction."
            )


# --- organization aliases -------------------------------------------------------------------------


def load_organization_aliases() -> dict[str, str]:
    """`data/organization_aliases.csv` as alias -> organization; every alias needs evidence, none chains."""
    table = _read_evidenced(
        "organization_aliases.csv",
        ALIAS_COLUMNS,
        "every alias needs an evidence_url (a page showing the alias is part of the organization).",
    )
    twice = table[table["alias"].duplicated()]
    if not twice.empty:
        raise CatalogError(
            f"data/organization_aliases.csv row {int(twice.index[0]) + 2}: alias {twice.iloc[0]['alias']!r} "
            "is listed twice. Fix: keep one row per alias."
        )
    chained = table[table["organization"].isin(table["alias"])]
    if not chained.empty:
        raise CatalogError(
            f"data/organization_aliases.csv row {int(chained.index[0]) + 2}: {chained.iloc[0]['organization']!r} "
            "is itself an alias. Fix: point the alias at the final organization name."
        )
    return dict(zip(table["alias"], table["organization"]))
