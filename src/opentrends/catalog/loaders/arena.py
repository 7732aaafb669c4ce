"""Chatbot Arena (LMArena) text leaderboard, every version (`arena-leaderboard-history`): one tidy row per
version and model.

Each `<version date>/lmsys.csv` (to 2025-07-18) or `<version date>/lmarena_text.csv` (from 2025-07-27) has
`rank`, `model`, the score (`arena_score`; `arena_elo` in older layouts), `95_pct_ci` (`+5/-5`), `votes`,
`organization` and `license` (the Arena's own label, audited in `analysis.arena`). A missing column, a
malformed interval, a non-numeric score or a model listed twice with different values in one version is a
DataError naming the file; a row repeated with only its rank changed (Yi-34B-Chat in the four
`lmarena_text.csv` versions) counts once, at its first rank. The committed tables that credit a model to its maker (`data/arena_organizations.csv`,
`data/arena_base_models.csv`) and the licence overrides (`data/arena_license_overrides.csv`) are read here
too, each row with its evidence.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from opentrends.core import paths
from opentrends.core.errors import DataError
from opentrends.core.tables import read_csv_text, require_columns
from opentrends.data.snapshots import local_file
from opentrends.registry.sources import get_snapshot

SOURCE_ID = "arena-leaderboard-history"
FILE_NAMES = ("lmsys.csv", "lmarena_text.csv")
SCORE_COLUMNS = ("arena_score", "arena_elo")  # the newer name first
REQUIRED = ("rank", "model", "95_pct_ci", "votes", "organization", "license")
REQUIRED_COLUMNS = {f"*/{name}": REQUIRED for name in FILE_NAMES}
COLUMNS = ("version", "rank", "model", "score", "ci_plus", "ci_minus", "votes", "organization", "license", "file")
CI_RE = re.compile(r"^\+(\d+(?:\.\d+)?)/-(\d+(?:\.\d+)?)$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

ORGANIZATION_TABLE = "arena_organizations.csv"
ORGANIZATION_COLUMNS = ("organization", "maker", "country", "origin", "evidence_url", "note")
BASE_MODEL_TABLE = "arena_base_models.csv"
BASE_MODEL_COLUMNS = ("pattern", "base_model", "base_maker", "base_origin", "evidence_url", "note")
OVERRIDE_TABLE = "arena_license_overrides.csv"
OVERRIDE_COLUMNS = ("model", "arena_license", "decision", "evidence")
ORIGINS = ("United States", "China", "Rest of world")
DECISIONS = ("open", "closed")


def parse_ci(text: str, where: str) -> tuple[float, float]:
    """`'+5/-4'` -> (5.0, 4.0), the upper and lower half-widths of the Arena's 95% interval.

    Anything else is a DataError naming `where` (file and model) and the value.
    """
    match = CI_RE.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise DataError(
            f"{where}: 95_pct_ci {text!r} is not an interval of the form '+a/-b' (e.g. '+5/-4'). "
            "Fix: re-fetch the snapshot (`opentrends fetch`), or extend arena.parse_ci if the layout changed."
        )
    return float(match.group(1)), float(match.group(2))


def score_column(columns, where: str) -> str:
    """The score column of a version file (`arena_score`, else `arena_elo`); neither is a DataError."""
    for name in SCORE_COLUMNS:
        if name in columns:
            return name
    raise DataError(
        f"{where}: no score column; expected one of {', '.join(SCORE_COLUMNS)}, found {', '.join(columns)}. "
        "Fix: re-fetch the snapshot, or add the new name to arena.SCORE_COLUMNS."
    )


def _number(frame: pd.DataFrame, column: str, where: str) -> pd.Series:
    values = pd.to_numeric(frame[column].str.replace(",", "", regex=False), errors="coerce")
    bad = frame.loc[values.isna(), "model"].tolist()
    if bad:
        raise DataError(f"{where}: column {column!r} is not a number for model(s) {', '.join(bad[:5])}.")
    return values


def parse_version(frame: pd.DataFrame, version: str, where: str) -> pd.DataFrame:
    """One version's CSV (as text) -> tidy rows in `COLUMNS` order (`file` = `where`)."""
    require_columns(frame, REQUIRED, where, fix="Fix: re-fetch the snapshot (`opentrends fetch`).", error=DataError)
    score = score_column(frame.columns, where)
    # a row repeated with only its position changed (Yi-34B-Chat from 2025-07-27) counts once, at its first rank
    frame = frame.drop_duplicates([c for c in frame.columns if not c.startswith("rank")])
    twice = frame.loc[frame["model"].duplicated(), "model"].tolist()
    if twice:
        raise DataError(
            f"{where}: model(s) listed twice with different values: {', '.join(twice)}. Fix: re-fetch the snapshot."
        )
    intervals = [parse_ci(ci, f"{where} ({model})") for ci, model in zip(frame["95_pct_ci"], frame["model"])]
    return pd.DataFrame(
        {
            "version": pd.Timestamp(version),
            "rank": _number(frame, "rank", where).astype(int),
            "model": frame["model"].str.strip(),
            "score": _number(frame, score, where).astype(float),
            "ci_plus": [plus for plus, _ in intervals],
            "ci_minus": [minus for _, minus in intervals],
            "votes": _number(frame, "votes", where).astype(int),
            "organization": frame["organization"].str.strip(),
            "license": frame["license"].str.strip(),
            "file": where,
        },
        columns=list(COLUMNS),
    )


def read_version(path: Path, version: str, where: str) -> pd.DataFrame:
    """One version file -> tidy rows (`parse_version`)."""
    return parse_version(read_csv_text(path), version, where)


def version_files(ref: str) -> dict[str, str]:
    """version date -> pinned path of snapshot `ref`; a path not `<YYYY-MM-DD>/<lmsys|lmarena_text>.csv` is an
    error."""
    versions = {}
    for pinned in get_snapshot(ref).files:
        version, _, name = pinned.path.partition("/")
        if name not in FILE_NAMES or not DATE_RE.match(version) or version in versions:
            raise DataError(
                f"{ref}: pinned file {pinned.path!r} is not one <YYYY-MM-DD>/{' or '.join(FILE_NAMES)} per version. "
                "Fix: re-pin the snapshot."
            )
        versions[version] = pinned.path
    return dict(sorted(versions.items()))


def load_arena(ref: str) -> pd.DataFrame:
    """Every version of snapshot `ref` -> one table (columns `COLUMNS`), sorted by version and rank."""
    parts = [
        read_version(local_file(ref, path), version, f"{ref} {path}") for version, path in version_files(ref).items()
    ]
    if not parts:
        raise DataError(f"{ref}: no version files pinned. Fix: pin <version>/lmsys.csv files.")
    rows = pd.concat(parts, ignore_index=True)
    return rows.sort_values(["version", "rank", "model"], kind="stable").reset_index(drop=True)


# --- committed tables: maker credit and licence overrides ------------------------------------------


def _committed(name: str, columns: tuple[str, ...], evidence: str, data_dir: Path | None = None) -> pd.DataFrame:
    path = (data_dir or paths.data_dir()) / name
    try:
        table = read_csv_text(path)
    except FileNotFoundError as exc:
        raise DataError(f"data/{name}: file not found. Fix: restore it from git (it is committed data).") from exc
    require_columns(table, columns, f"data/{name}", fix=f"Fix: restore the header row of data/{name}.", error=DataError)
    missing = table.index[~table[evidence].str.contains(r"https?://\S+", regex=True)].tolist()
    if missing:
        raise DataError(f"data/{name} row {missing[0] + 2}: no evidence URL in {evidence!r}. Fix: cite a source.")
    return table


def _check_values(table: pd.DataFrame, column: str, allowed: tuple[str, ...], name: str) -> None:
    bad = table.index[~table[column].isin(allowed)].tolist()
    if bad:
        raise DataError(
            f"data/{name} row {bad[0] + 2}: {column} {table.at[bad[0], column]!r} is not one of {', '.join(allowed)}."
        )


def load_organizations(data_dir: Path | None = None) -> pd.DataFrame:
    """`data/arena_organizations.csv`: each Arena spelling of an organization -> maker, country, origin."""
    table = _committed(ORGANIZATION_TABLE, ORGANIZATION_COLUMNS, "evidence_url", data_dir)
    _check_values(table, "origin", ORIGINS, ORGANIZATION_TABLE)
    twice = table.loc[table["organization"].duplicated(), "organization"].tolist()
    if twice:
        raise DataError(f"data/{ORGANIZATION_TABLE}: organization(s) listed twice: {', '.join(twice)}.")
    return table


def load_base_models(data_dir: Path | None = None) -> pd.DataFrame:
    """`data/arena_base_models.csv`: fine-tunes by one lab of another lab's base (regex on the Arena model name,
    case-insensitive, first match wins) -> base model, its maker and the maker's origin."""
    table = _committed(BASE_MODEL_TABLE, BASE_MODEL_COLUMNS, "evidence_url", data_dir)
    _check_values(table, "base_origin", ORIGINS, BASE_MODEL_TABLE)
    for i, pattern in enumerate(table["pattern"]):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise DataError(
                f"data/{BASE_MODEL_TABLE} row {i + 2}: pattern {pattern!r} is not a regex ({exc})."
            ) from exc
    return table


def load_license_overrides(data_dir: Path | None = None) -> pd.DataFrame:
    """`data/arena_license_overrides.csv`: model (case-insensitive), the Arena's licence label, the decision
    (`open` or `closed` weights) and the evidence (with at least one URL)."""
    table = _committed(OVERRIDE_TABLE, OVERRIDE_COLUMNS, "evidence", data_dir)
    _check_values(table, "decision", DECISIONS, OVERRIDE_TABLE)
    keys = table["model"].str.lower()
    if keys.duplicated().any():
        raise DataError(
            f"data/{OVERRIDE_TABLE}: model(s) listed twice: {', '.join(table['model'][keys.duplicated()])}."
        )
    return table
