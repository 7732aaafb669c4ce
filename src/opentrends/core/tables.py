"""Tables as published: pinned CSVs read as text (no type guessing, blanks kept as ''); the one missing-column check.

Types are decided later, column by column, by the loaders that know what a column means
(the `catalog` loaders), so a malformed value is reported instead of silently becoming NaN.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from opentrends.core.errors import DataError


def leading_comment_lines(path: Path) -> int:
    """How many lines at the top of a CSV start with '#' (ATOM's corrections file has three)."""
    count = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            count += 1
    return count


def read_csv_text(path: Path) -> pd.DataFrame:
    """A CSV with every column as text, blanks as '', leading '#' comment lines skipped."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, skiprows=leading_comment_lines(path))


def missing_columns(columns, required) -> list[str]:
    """The names of `required` not among `columns` (a table's `.columns`, or any collection of names), in order."""
    present = set(columns)
    return [column for column in required if column not in present]


def require_columns(
    frame,
    required,
    where: str,
    fix: str = "Fix: check the snapshot is the file the registry says it is (`opentrends verify`), "
    "or update the loader for the renamed column.",
    error: type[Exception] = DataError,
):
    """`frame` itself when it has every column of `required`; else an `error` naming `where` (the file or
    table), the missing columns, the expected ones and the fix. The one missing-column check of the project.

    `frame` is a DataFrame, or the column names of a table not read into memory (a Parquet schema, say).
    """
    missing = missing_columns(frame.columns if isinstance(frame, pd.DataFrame) else frame, required)
    if missing:
        raise error(
            f"{where}: missing column(s) {', '.join(repr(c) for c in missing)}; expected "
            f"{', '.join(map(str, required))}. {fix}"
        )
    return frame
