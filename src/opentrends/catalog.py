"""Load each source into one tidy schema: one row per model, labels normalized.

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

Loaders fail at load time, naming the file, the expectation and the fix: a missing column,
an unknown label (see taxonomy.py), a malformed date or number, a population the snapshot
does not hold. Known errors in a source are fixed only through `data/corrections.csv`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import paths, taxonomy
from .errors import OpenTrendsError
from .tables import read_csv_text
from .snapshots import local_file
from .sources import get_snapshot, load_registry

COLUMNS = ["model", "organization", "date", "year", "access", "access_class", "open_weights", "countries",
           "origin", "origins_any", "domain", "training_compute", "notable", "frontier", "source", "snapshot"]

EPOCH_SOURCE = "epoch-ai-models"
EPOCH_FILES = {
    "all": "all_ai_models.csv",
    "notable": "notable_ai_models.csv",
    "large_scale": "large_scale_ai_models.csv",
    "frontier": "frontier_ai_models.csv",
}
EPOCH_REQUIRED = ("Model", "Organization", "Publication date", "Country (of organization)", "Model accessibility",
                  "Domain", "Training compute (FLOP)")
ECOSYSTEM_SOURCE = "ecosystem-graphs"
ECOSYSTEM_REQUIRED = ("type", "name", "organization", "created_date", "access", "nationality")
CORRECTIONS_COLUMNS = ("source", "model", "field", "old_value", "new_value", "evidence_url", "note")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CatalogError(OpenTrendsError, ValueError):
    """Data that cannot be loaded as asked; the message names the file, the expectation and the fix."""


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


def _label(ref: str, file: str) -> str:
    return f"{ref}/{file}"


def read_source_table(ref: str, file: str, required: tuple[str, ...]) -> pd.DataFrame:
    """A pinned CSV as text; every required column must be there."""
    frame = read_csv_text(local_file(ref, file))
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise CatalogError(
            f"{_label(ref, file)}: missing column(s) {', '.join(repr(c) for c in missing)}; the loader needs "
            f"{', '.join(required)}. Fix: check the snapshot is the file the registry says it is "
            "(`opentrends verify`), or update the loader for the renamed column."
        )
    return frame


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
        raise CatalogError(f"{file}: column '{column}' has the impossible date {impossible.iloc[0]!r} (row {int(impossible.index[0]) + 2}).")
    return parsed


def parse_numbers(values: pd.Series, column: str, file: str) -> pd.Series:
    """Text -> float; blanks -> NaN; anything else is an error naming the row."""
    text = values.astype("string").fillna("").str.strip()
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = text[(text != "") & numbers.isna()]
    if not bad.empty:
        raise CatalogError(f"{file}: column '{column}' row {int(bad.index[0]) + 2} has {bad.iloc[0]!r}, expected a number or blank.")
    return numbers.astype("float64")


# --- corrections ----------------------------------------------------------------------------------


def load_corrections() -> pd.DataFrame:
    """`data/corrections.csv`: source, model, field, old_value, new_value, evidence_url, note."""
    path = paths.data_dir() / "corrections.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in CORRECTIONS_COLUMNS if c not in table.columns]
    if missing:
        raise CatalogError(f"data/corrections.csv: missing column(s) {', '.join(missing)}; expected {', '.join(CORRECTIONS_COLUMNS)}.")
    no_evidence = table[~table["evidence_url"].str.startswith("http")]
    if not no_evidence.empty:
        raise CatalogError(f"data/corrections.csv row {int(no_evidence.index[0]) + 2}: every correction needs an evidence_url.")
    return table


def apply_corrections(frame: pd.DataFrame, source_id: str, key: str, file: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply this source's corrections; each must still match a row (else the source changed: say so)."""
    table = load_corrections()
    table = table[table["source"] == source_id]
    frame = frame.copy()
    names = frame[key].str.strip()
    applied = []
    for index, fix in table.iterrows():
        if fix["field"] not in frame.columns:
            raise CatalogError(f"data/corrections.csv row {index + 2}: {file} has no column {fix['field']!r}.")
        hit = (names == fix["model"]) & (frame[fix["field"]].str.strip() == fix["old_value"])
        if not hit.any():
            raise CatalogError(
                f"data/corrections.csv row {index + 2}: no row of {file} has {key}={fix['model']!r} with "
                f"{fix['field']}={fix['old_value']!r}. The source may have fixed it; remove or update the correction."
            )
        frame.loc[hit, fix["field"]] = fix["new_value"]
        applied.append({**fix.to_dict(), "rows": int(hit.sum())})
    return frame, pd.DataFrame(applied, columns=[*CORRECTIONS_COLUMNS, "rows"])


# --- Epoch AI -------------------------------------------------------------------------------------


def _countries(cells: pd.Series, column: str, file: str, known: frozenset[str]) -> pd.Series:
    parts = cells.map(taxonomy.split_list)
    taxonomy.check_labels((c for row in parts for c in row), known, column, file)
    return parts.map(lambda row: tuple(sorted(set(row))))


def _tidy(frame: pd.DataFrame, *, model, organization, date, access, access_class, open_weights, countries,
          domain, training_compute, notable, frontier, source, snapshot, hong_kong_macao_as_china) -> pd.DataFrame:
    tidy = pd.DataFrame({
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
    }, index=frame.index)
    return tidy[COLUMNS].reset_index(drop=True)


def _epoch_rows(frame: pd.DataFrame, ref: str, file: str, hong_kong_macao_as_china: bool) -> pd.DataFrame:
    label = _label(ref, file)
    access = frame["Model accessibility"].str.strip()
    taxonomy.check_labels(access, taxonomy.ACCESS_CLASS, "Model accessibility", label)
    domains = frame["Domain"].map(taxonomy.split_list)
    taxonomy.check_labels((d for row in domains for d in row), taxonomy.EPOCH_DOMAINS, "Domain", label)
    frontier_flag = frame.get("Frontier model", pd.Series("", index=frame.index)).str.strip()
    taxonomy.check_labels(frontier_flag, taxonomy.EPOCH_FRONTIER, "Frontier model", label)
    access_class = access.map(taxonomy.ACCESS_CLASS)
    return _tidy(
        frame,
        model=frame["Model"], organization=frame["Organization"],
        date=parse_dates(frame["Publication date"], "Publication date", label),
        access=access, access_class=access_class,
        open_weights=access_class.map({"open": True, "closed": False, "unknown": pd.NA}).astype("boolean"),
        countries=_countries(frame["Country (of organization)"], "Country (of organization)", label, taxonomy.EPOCH_COUNTRIES),
        domain=domains.map(",".join),
        training_compute=parse_numbers(frame["Training compute (FLOP)"], "Training compute (FLOP)", label),
        notable=pd.Series(file == EPOCH_FILES["notable"], index=frame.index),
        frontier=frontier_flag.map(taxonomy.EPOCH_FRONTIER).astype(bool),
        source=pd.Series(EPOCH_SOURCE, index=frame.index), snapshot=pd.Series(ref, index=frame.index),
        hong_kong_macao_as_china=hong_kong_macao_as_china,
    )


def load_epoch(snapshot: str = "epoch-ai-models@2026-03-30", population: str = "all",
               hong_kong_macao_as_china: bool = False) -> Catalog:
    """Epoch AI models as a tidy catalog.

    population: `all` = the union of the four files, de-duplicated on the stripped model name,
    preferring the `all_ai_models.csv` row; `notable`, `large_scale`, `frontier` = that file
    (de-duplicated the same way). `notable` and `frontier` flags come from membership in those
    files (and Epoch's own `Frontier model` column) whenever the snapshot holds them.
    """
    if population not in EPOCH_FILES:
        raise CatalogError(f"population must be one of {', '.join(EPOCH_FILES)}, got {population!r}.")
    snap = get_snapshot(snapshot, load_registry())
    if snap.source_id != EPOCH_SOURCE:
        raise CatalogError(f"load_epoch reads {EPOCH_SOURCE} snapshots, got {snap.ref}.")
    held = {f.path for f in snap.files}
    needed = list(EPOCH_FILES.values()) if population == "all" else [EPOCH_FILES[population]]
    absent = [f for f in needed if f not in held]
    if absent:
        usable = [p for p, f in EPOCH_FILES.items() if f in held and (p != "all" or set(EPOCH_FILES.values()) <= held)]
        raise CatalogError(
            f"{snap.ref} holds only {', '.join(sorted(held & set(EPOCH_FILES.values())))}; population {population!r} "
            f"needs {', '.join(absent)}. Fix: use population {' or '.join(repr(p) for p in usable)} with this "
            f"snapshot, or a snapshot that holds the full download (e.g. {EPOCH_SOURCE}@2026-03-30)."
        )
    parts, notes = [], {}
    for pop, file in EPOCH_FILES.items():
        if file not in held or (population != "all" and pop not in (population, "notable", "frontier")):
            continue
        frame = read_source_table(snap.ref, file, EPOCH_REQUIRED)
        frame, _ = apply_corrections(frame, EPOCH_SOURCE, "Model", _label(snap.ref, file))
        rows = _epoch_rows(frame, snap.ref, file, hong_kong_macao_as_china)
        rows["_population"] = pop
        parts.append(rows)

    every = pd.concat(parts, ignore_index=True)
    notable_names = set(every.loc[every["_population"] == "notable", "model"])
    frontier_names = set(every.loc[(every["_population"] == "frontier") | every["frontier"], "model"])
    if population == "all":
        chosen = every
        for pop in EPOCH_FILES:
            notes[f"rows in {EPOCH_FILES[pop]}"] = int((every["_population"] == pop).sum())
        first_file = every.drop_duplicates(["_population", "model"])
        notes["duplicate names within all_ai_models.csv"] = int(
            (every["_population"] == "all").sum() - (first_file["_population"] == "all").sum())
        in_all = set(every.loc[every["_population"] == "all", "model"])
        for pop in ("notable", "large_scale", "frontier"):
            names = set(every.loc[every["_population"] == pop, "model"])
            notes[f"{pop} models missing from all_ai_models.csv"] = len(names - in_all)
    else:
        chosen = every[every["_population"] == population]
        notes[f"rows in {EPOCH_FILES[population]}"] = int(len(chosen))
    n_before = len(chosen)
    rows = chosen.drop_duplicates("model", keep="first").drop(columns="_population").reset_index(drop=True)
    rows["notable"] = rows["model"].isin(notable_names)
    rows["frontier"] = rows["model"].isin(frontier_names)
    notes["duplicate names dropped"] = n_before - len(rows)
    notes["models"] = len(rows)
    notes["models without a publication date"] = int(rows["date"].isna().sum())
    notes["models with unknown accessibility"] = int((rows["access_class"] == "unknown").sum())
    return Catalog(rows, EPOCH_SOURCE, snap.ref, population, notes)


# --- Stanford Ecosystem Graphs --------------------------------------------------------------------


def load_ecosystem_graphs(snapshot: str = "ecosystem-graphs@2025-01-24", hong_kong_macao_as_china: bool = False) -> Catalog:
    """Ecosystem Graphs *models* as a tidy catalog (access open -> open; limited and closed -> closed).

    Known source errors are fixed through data/corrections.csv. Assets listed twice under the same
    name and organization are kept once (earliest date).
    """
    snap = get_snapshot(snapshot, load_registry())
    if snap.source_id != ECOSYSTEM_SOURCE:
        raise CatalogError(f"load_ecosystem_graphs reads {ECOSYSTEM_SOURCE} snapshots, got {snap.ref}.")
    file = "all_assets.csv"
    label = _label(snap.ref, file)
    frame = read_source_table(snap.ref, file, ECOSYSTEM_REQUIRED)
    frame = frame[frame["type"].str.strip() == "model"]
    frame = frame.assign(access=frame["access"].str.strip().replace(taxonomy.ECOSYSTEM_ACCESS_ALIASES))
    frame, applied = apply_corrections(frame, ECOSYSTEM_SOURCE, "name", label)
    taxonomy.check_labels(frame["access"], taxonomy.ECOSYSTEM_ACCESS, "access", label)
    nationality = frame["nationality"].str.strip()
    taxonomy.check_labels(nationality, taxonomy.ECOSYSTEM_NATIONALITY, "nationality", label)
    access = frame["access"]
    access_class = access.map(taxonomy.ECOSYSTEM_ACCESS_CLASS)
    rows = _tidy(
        frame,
        model=frame["name"], organization=frame["organization"],
        date=parse_dates(frame["created_date"], "created_date", label),
        access=access, access_class=access_class,
        open_weights=(access == "open").astype("boolean"),
        countries=nationality.map(lambda n: tuple(sorted(set(taxonomy.ECOSYSTEM_NATIONALITY[n])))),
        domain=pd.Series("", index=frame.index), training_compute=pd.Series(np.nan, index=frame.index),
        notable=pd.Series(False, index=frame.index), frontier=pd.Series(False, index=frame.index),
        source=pd.Series(ECOSYSTEM_SOURCE, index=frame.index), snapshot=pd.Series(snap.ref, index=frame.index),
        hong_kong_macao_as_china=hong_kong_macao_as_china,
    )
    n_before = len(rows)
    rows = rows.sort_values(["model", "organization", "date"], kind="stable").drop_duplicates(["model", "organization"])
    rows = rows.sort_index().reset_index(drop=True)
    notes = {"models": len(rows), "duplicate name+organization dropped": n_before - len(rows),
             "models without a date": int(rows["date"].isna().sum()), "corrections applied": int(applied["rows"].sum())}
    return Catalog(rows, ECOSYSTEM_SOURCE, snap.ref, "models", notes, applied)


# --- selection ------------------------------------------------------------------------------------


@dataclass
class Selection:
    """The rows an analysis uses, the filters that chose them, and what the filters set aside."""

    rows: pd.DataFrame
    filters: dict
    set_aside: dict[str, int]


def select(catalog: Catalog, start_year: int, end_year: int, open_definition: str = "weights",
           released_only: bool = False, domain: str | None = None, min_training_compute: float | None = None) -> Selection:
    """Filter a catalog to the analysis population and mark `is_open` under `open_definition`.

    Rows without a date are set aside and counted (they cannot be placed in a year). Unknown
    accessibility is kept (`is_open` is <NA>) so shares can report it. An empty result is an error.
    """
    filters = {"start_year": start_year, "end_year": end_year, "open_definition": open_definition,
               "released_only": released_only, "domain": domain, "min_training_compute": min_training_compute}
    supported = taxonomy.SOURCE_ACCESS[catalog.source][1]
    if open_definition not in supported:
        raise CatalogError(
            f"open_definition {open_definition!r} does not apply to {catalog.source}; "
            f"it supports {', '.join(supported)}."
        )
    try:
        start_year, end_year = int(start_year), int(end_year)
    except (TypeError, ValueError) as exc:
        raise CatalogError(f"start_year and end_year must be whole years, got {filters['start_year']!r} and {filters['end_year']!r}.") from exc
    if start_year > end_year:
        raise CatalogError(f"Empty selection: start_year {start_year} is after end_year {end_year}. Fix: swap them.")
    rows = catalog.rows
    set_aside = {"without a date": int(rows["year"].isna().sum())}
    rows = rows[rows["year"].notna()]
    in_range = rows["year"].between(start_year, end_year)
    set_aside["outside the years"] = int((~in_range).sum())
    rows = rows[in_range]
    if released_only:
        unreleased = rows["access"] == "Unreleased"
        set_aside["unreleased"] = int(unreleased.sum())
        rows = rows[~unreleased]
    if domain:
        if domain not in taxonomy.EPOCH_DOMAINS:
            raise CatalogError(f"Unknown domain {domain!r}. Known domains: {', '.join(sorted(taxonomy.EPOCH_DOMAINS))}.")
        has = rows["domain"].map(lambda d: domain in d.split(","))
        set_aside["other domains"] = int((~has).sum())
        rows = rows[has]
    if min_training_compute is not None:
        enough = rows["training_compute"] >= float(min_training_compute)
        set_aside["below or without training compute"] = int((~enough).sum())
        rows = rows[enough]
    if rows.empty:
        raise CatalogError(
            f"Empty selection: no {catalog.snapshot} ({catalog.population}) rows match {filters}. "
            "Fix: widen the years or drop a filter."
        )
    rows = rows.assign(
        is_open=rows["access"].map(lambda a: taxonomy.is_open(a, open_definition, catalog.source)).astype("boolean"))
    return Selection(rows.reset_index(drop=True), filters, set_aside)
