"""The tidy schema every loader writes: one row per model, labels normalized; reading and parsing pinned CSVs.

Schema (`COLUMNS`):
  model             name, whitespace stripped
  organization      as the source writes it (comma-joined when several)
  date, year        publication / creation date (NaT and <NA> when the source has none)
  access            the source's accessibility label ('' when unknown)
  access_class      open / closed / unknown
  open_weights      True / False / <NA> (any Open weights label; Ecosystem Graphs: access 'open')
  countries         tuple of distinct countries of the row's organizations
  origin            United States / China / Multinational / Rest of world / Unknown (exclusive rule)
  origins_any       tuple of every region the row lists (the `any` rule)
  domain            comma-joined domains ('' when unknown)
  training_compute  FLOP (NaN when unknown)
  notable, frontier flags from Epoch's notable and frontier files
  source, snapshot  where the row came from (`snapshot` is the `source@date` ref)
  organization_countries  one country per organization as the source lists them (in its order)

Each source's loader lives in `opentrends.catalog.loaders.<name>` with its label sets, its required columns
and the filters its labels support; this module holds what they share (reading, parsing, corrections,
the tidy schema, the year coverage check and `select`). Loaders fail at load time, naming the file,
the expectation and the fix. Known errors in a source are fixed only through `data/corrections.csv`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from opentrends.catalog import taxonomy
from opentrends.catalog.curation import (  # noqa: F401  (loaders import these through catalog)
    ALIAS_COLUMNS,
    CORRECTIONS_COLUMNS,
    CatalogError,
    apply_corrections,
    check_corrections_matched,
    load_corrections,
    load_organization_aliases,
)
from opentrends.core.tables import read_csv_text, require_columns
from opentrends.data.members import table_file

COLUMNS = [
    "model",
    "organization",
    "date",
    "year",
    "access",
    "access_class",
    "open_weights",
    "countries",
    "origin",
    "origins_any",
    "domain",
    "training_compute",
    "notable",
    "frontier",
    "source",
    "snapshot",
    "organization_countries",
]

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Catalog:
    """Tidy rows plus what loading did to get them (reported by the notebooks)."""

    rows: pd.DataFrame
    source: str
    snapshot: str
    population: str
    notes: dict[str, int] = field(default_factory=dict)
    corrections: pd.DataFrame = field(default_factory=pd.DataFrame)


# --- reading and parsing --------------------------------------------------------------------------


def label_of(ref: str, file: str) -> str:
    """How a pinned file is named in messages: `source@date/file`."""
    return f"{ref}/{file}"


def read_source_table(ref: str, file: str, required: tuple[str, ...]) -> pd.DataFrame:
    """A pinned CSV (a file, or a member of a pinned zip) as text; every required column must be there."""
    return require_columns(read_csv_text(table_file(ref, file)), required, label_of(ref, file), error=CatalogError)


def parse_dates(values: pd.Series, column: str, file: str) -> pd.Series:
    """YYYY-MM-DD text -> datetime64; blanks -> NaT; anything else is an error naming the row."""
    text = values.astype("string").fillna("").str.strip()
    bad = text[(text != "") & ~text.str.match(DATE_RE.pattern)]
    if not bad.empty:
        row = int(bad.index[0])
        raise CatalogError(
            f"{file}: column '{column}' row {row + 2} (line in the CSV) has {bad.iloc[0]!r}, expected a date as "
            "YYYY-MM-DD or blank. Fix: correct it through data/corrections.csv with evidence."
        )
    parsed = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
    impossible = text[(text != "") & parsed.isna()]
    if not impossible.empty:
        raise CatalogError(
            f"{file}: column '{column}' has the impossible date {impossible.iloc[0]!r} (row {int(impossible.index[0]) + 2})."
        )
    return parsed


def parse_numbers(values: pd.Series, column: str, file: str) -> pd.Series:
    """Text -> float; blanks -> NaN; anything else is an error naming the row."""
    text = values.astype("string").fillna("").str.strip()
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = text[(text != "") & numbers.isna()]
    if not bad.empty:
        raise CatalogError(
            f"{file}: column '{column}' row {int(bad.index[0]) + 2} has {bad.iloc[0]!r}, expected a number or blank."
        )
    return numbers.astype("float64")


# --- the tidy schema ------------------------------------------------------------------------------


def tidy(
    frame: pd.DataFrame,
    *,
    model,
    organization,
    date,
    access,
    access_class,
    open_weights,
    countries,
    domain,
    training_compute,
    notable,
    frontier,
    source,
    snapshot,
    hong_kong_macao_as_china,
    organization_countries,
) -> pd.DataFrame:
    """The columns of `COLUMNS` from one source's parsed series (all indexed like `frame`)."""
    table = pd.DataFrame(
        {
            "model": model.str.strip(),
            "organization": organization.str.strip(),
            "date": date,
            "year": date.dt.year.astype("Int64"),
            "access": access,
            "access_class": access_class,
            "open_weights": open_weights,
            "countries": countries,
            "origin": countries.map(lambda c: taxonomy.origins(c, "exclusive", hong_kong_macao_as_china)[0]),
            "origins_any": countries.map(lambda c: taxonomy.origins(c, "any", hong_kong_macao_as_china)),
            "domain": domain,
            "training_compute": training_compute,
            "notable": notable,
            "frontier": frontier,
            "source": source,
            "snapshot": snapshot,
            "organization_countries": organization_countries,
        },
        index=frame.index,
    )
    return table[COLUMNS].reset_index(drop=True)
