"""Epoch AI, "Data on AI Models": the four CSVs of the download, as one tidy catalog.

A snapshot holds the CSVs as plain files (`@2026-03-30`) or as pinned members of Epoch's download zip
(`@2026-07-17`); `data.members.table_file` reads either, each checked against its own pin.

Everything specific to Epoch lives here: its files and required columns, the label sets its
columns may hold (countries, domains, the frontier flag; accessibility uses the project's shared
access labels in taxonomy.py, which are Epoch's), its organization-list quirks, and the filters
that only make sense for its labels (`released_only`, `domain`, `min_training_compute`).
"""

from __future__ import annotations

import re

import pandas as pd

from opentrends.catalog import taxonomy
from opentrends.catalog.tidy import (
    Catalog,
    CatalogError,
    apply_corrections,
    check_corrections_matched,
    label_of,
    parse_dates,
    parse_numbers,
    read_source_table,
    tidy,
)
from opentrends.core.errors import ParameterError
from opentrends.core.tables import read_csv_text, require_columns
from opentrends.data.members import held_paths
from opentrends.data.snapshots import local_file
from opentrends.registry.sources import get_snapshot, load_registry

SOURCE_ID = "epoch-ai-models"
FILES = {
    "all": "all_ai_models.csv",
    "notable": "notable_ai_models.csv",
    "large_scale": "large_scale_ai_models.csv",
    "frontier": "frontier_ai_models.csv",
}
REQUIRED = (
    "Model",
    "Organization",
    "Publication date",
    "Country (of organization)",
    "Model accessibility",
    "Domain",
    "Training compute (FLOP)",
)
# Read by `opentrends update` to refuse a snapshot that drops a column this loader needs.
REQUIRED_COLUMNS = {file: REQUIRED for file in FILES.values()}

# Epoch AI "Country (of organization)" values seen in the 2026 snapshots (one entry per organization).
COUNTRIES = frozenset(
    {
        "Argentina",
        "Australia",
        "Austria",
        "Belgium",
        "Bulgaria",
        "Canada",
        "China",
        "Croatia",
        "Czechia",
        "Denmark",
        "Finland",
        "France",
        "Germany",
        "Greece",
        "Hong Kong",
        "Hungary",
        "Iceland",
        "India",
        "Indonesia",
        "Iran (Islamic Republic of)",
        "Ireland",
        "Israel",
        "Italy",
        "Japan",
        "Korea (Republic of)",
        "Lebanon",
        "Lithuania",
        "Luxembourg",
        "Macao",
        "Malaysia",
        "Mexico",  # first seen in all_ai_models.csv of @2026-07-17
        "Multinational",
        "Netherlands",
        "New Zealand",
        "Norway",
        "Poland",
        "Portugal",
        "Russia",
        "Saudi Arabia",
        "Singapore",
        "Spain",
        "Sweden",
        "Switzerland",
        "Taiwan",
        "Thailand",
        "Ukraine",
        "United Arab Emirates",
        "United Kingdom of Great Britain and Northern Ireland",
        "United States of America",
        "Vietnam",
    }
)
# Epoch AI "Domain" values (comma-joined per row).
DOMAINS = frozenset(
    {
        "3D modeling",
        "Astronomy",
        "Audio",
        "Biology",
        "Cybersecurity",
        "Driving",
        "Earth science",
        "Games",
        "Image generation",
        "Language",
        "Materials science",
        "Mathematics",
        "Medicine",
        "Multimodal",
        "Other",
        "Psychology",
        "Recommendation",
        "Robotics",
        "Search",
        "Speech",
        "Video",
        "Vision",
    }
)
FRONTIER = {"True": True, "": False}  # Epoch never writes False
# Only Epoch's labels carry open-weights subtypes, so both definitions apply.
OPEN_DEFINITIONS = taxonomy.OPEN_DEFINITIONS

# Organization names that themselves contain a comma ("... Co., Ltd.", "SambaNova Systems, Inc"): a part
# starting with a legal-form word continues the previous name (all_ai_models.csv, 2026-03-30).
_LEGAL_FORM = re.compile(r"^(ltd|inc|llc|co|corp|gmbh|s\.a)\b\.?", re.IGNORECASE)


def split_organizations(cell: str) -> list[str]:
    """Epoch's comma-joined organization list -> one name per organization, legal forms kept attached."""
    names: list[str] = []
    for part in taxonomy.split_list(cell):
        if names and _LEGAL_FORM.match(part):
            names[-1] = f"{names[-1]}, {part}"
        else:
            names.append(part)
    return names


# --- filters only Epoch's labels support ----------------------------------------------------------


def _released_only(rows: pd.DataFrame, value) -> tuple[pd.Series, str]:
    return rows["access"] != "Unreleased", "unreleased"


def _domain(rows: pd.DataFrame, value) -> tuple[pd.Series, str]:
    if value not in DOMAINS:
        raise ParameterError(f"Unknown domain {value!r}. Known domains: {', '.join(sorted(DOMAINS))}.")
    return rows["domain"].map(lambda d: value in d.split(",")), "other domains"


def _min_training_compute(rows: pd.DataFrame, value) -> tuple[pd.Series, str]:
    return rows["training_compute"] >= float(value), "below or without training compute"


# filter name -> function(rows, value) -> (rows to keep, what the others are called); a filter is active
# when its value is not None/False.
FILTERS = {"released_only": _released_only, "domain": _domain, "min_training_compute": _min_training_compute}


# --- loading --------------------------------------------------------------------------------------


def _countries(cells: pd.Series, column: str, file: str) -> pd.Series:
    parts = cells.map(taxonomy.split_list)
    taxonomy.check_labels((c for row in parts for c in row), COUNTRIES, column, file)
    return parts.map(lambda row: tuple(sorted(set(row))))


def _rows(frame: pd.DataFrame, ref: str, file: str, hong_kong_macao_as_china: bool) -> pd.DataFrame:
    label = label_of(ref, file)
    access = frame["Model accessibility"].str.strip()
    taxonomy.check_labels(access, taxonomy.ACCESS_CLASS, "Model accessibility", label)
    domains = frame["Domain"].map(taxonomy.split_list)
    taxonomy.check_labels((d for row in domains for d in row), DOMAINS, "Domain", label)
    frontier_flag = frame.get("Frontier model", pd.Series("", index=frame.index)).str.strip()
    taxonomy.check_labels(frontier_flag, FRONTIER, "Frontier model", label)
    access_class = access.map(taxonomy.ACCESS_CLASS)
    return tidy(
        frame,
        model=frame["Model"],
        organization=frame["Organization"],
        date=parse_dates(frame["Publication date"], "Publication date", label),
        access=access,
        access_class=access_class,
        open_weights=access_class.map({"open": True, "closed": False, "unknown": pd.NA}).astype("boolean"),
        countries=_countries(frame["Country (of organization)"], "Country (of organization)", label),
        domain=domains.map(",".join),
        training_compute=parse_numbers(frame["Training compute (FLOP)"], "Training compute (FLOP)", label),
        notable=pd.Series(file == FILES["notable"], index=frame.index),
        frontier=frontier_flag.map(FRONTIER).astype(bool),
        source=pd.Series(SOURCE_ID, index=frame.index),
        snapshot=pd.Series(ref, index=frame.index),
        hong_kong_macao_as_china=hong_kong_macao_as_china,
        # one entry per organization, in the source's order (aligned with the organization list when lengths match)
        organization_countries=frame["Country (of organization)"].map(lambda c: tuple(taxonomy.split_list(c))),
    )


def load_epoch(
    snapshot: str = "epoch-ai-models@2026-03-30", population: str = "all", hong_kong_macao_as_china: bool = False
) -> Catalog:
    """Epoch AI models as a tidy catalog.

    population: `all` = the union of the four files, de-duplicated on the stripped model name,
    preferring the `all_ai_models.csv` row; `notable`, `large_scale`, `frontier` = that file
    (de-duplicated the same way). `notable` and `frontier` flags come from membership in those
    files (and Epoch's own `Frontier model` column) whenever the snapshot holds them. The
    corrections applied from data/corrections.csv are kept in `Catalog.corrections`.
    """
    if population not in FILES:
        raise ParameterError(f"population must be one of {', '.join(FILES)}, got {population!r}.")
    snap = get_snapshot(snapshot, load_registry())
    if snap.source_id != SOURCE_ID:
        raise CatalogError(f"load_epoch reads {SOURCE_ID} snapshots, got {snap.ref}.")
    held = held_paths(snap)  # plain files, or the members of Epoch's download zip (e.g. @2026-07-17)
    needed = list(FILES.values()) if population == "all" else [FILES[population]]
    absent = [f for f in needed if f not in held]
    if absent:
        usable = [p for p, f in FILES.items() if f in held and (p != "all" or set(FILES.values()) <= held)]
        raise CatalogError(
            f"{snap.ref} holds only {', '.join(sorted(held & set(FILES.values())))}; population {population!r} "
            f"needs {', '.join(absent)}. Fix: use population {' or '.join(repr(p) for p in usable)} with this "
            f"snapshot, or a snapshot that holds the full download (e.g. {SOURCE_ID}@2026-03-30)."
        )
    parts, notes, applied = [], {}, []
    for pop, file in FILES.items():
        if file not in held or (population != "all" and pop not in (population, "notable", "frontier")):
            continue
        frame = read_source_table(snap.ref, file, REQUIRED)
        # A correction must match in at least one of the files (checked below), not in every file.
        frame, fixes = apply_corrections(frame, SOURCE_ID, "Model", label_of(snap.ref, file), require_match=False)
        applied.append(fixes.assign(file=file))
        rows = _rows(frame, snap.ref, file, hong_kong_macao_as_china)
        rows["_population"] = pop
        parts.append(rows)

    every = pd.concat(parts, ignore_index=True)
    notable_names = set(every.loc[every["_population"] == "notable", "model"])
    frontier_names = set(every.loc[(every["_population"] == "frontier") | every["frontier"], "model"])
    if population == "all":
        chosen = every
        for pop, file in FILES.items():
            notes[f"rows in {file}"] = int((every["_population"] == pop).sum())
        first_file = every.drop_duplicates(["_population", "model"])
        notes["duplicate names within all_ai_models.csv"] = int(
            (every["_population"] == "all").sum() - (first_file["_population"] == "all").sum()
        )
        in_all = set(every.loc[every["_population"] == "all", "model"])
        for pop in ("notable", "large_scale", "frontier"):
            names = set(every.loc[every["_population"] == pop, "model"])
            notes[f"{pop} models missing from all_ai_models.csv"] = len(names - in_all)
    else:
        chosen = every[every["_population"] == population]
        notes[f"rows in {FILES[population]}"] = len(chosen)
    n_before = len(chosen)
    rows = chosen.drop_duplicates("model", keep="first").drop(columns="_population").reset_index(drop=True)
    rows["notable"] = rows["model"].isin(notable_names)
    rows["frontier"] = rows["model"].isin(frontier_names)
    notes["duplicate names dropped"] = n_before - len(rows)
    notes["models"] = len(rows)
    notes["models without a publication date"] = int(rows["date"].isna().sum())
    notes["models with unknown accessibility"] = int((rows["access_class"] == "unknown").sum())
    corrections = pd.concat(applied, ignore_index=True)
    check_corrections_matched(corrections, SOURCE_ID, snap.ref)
    notes["corrections applied"] = int(corrections["rows"].sum()) if len(corrections) else 0
    return Catalog(rows, SOURCE_ID, snap.ref, population, notes, corrections)


# --- an older Epoch database export (the Nov 2024 report's data) -----------------------------------

EXPORT_REQUIRED = ("System", "Publication date", "Model accessibility", "Notability criteria")


def load_database_export(
    snapshot: str = "epoch-open-models-report@2024-11-05", file: str = "data/All ML Systems - full view.csv"
) -> pd.DataFrame:
    """An Epoch database export in its older schema (model column `System`; notable = non-blank
    `Notability criteria`) as rows: model, date, year, access, access_class, is_open, notable.

    Used to compare shares across snapshots (back-filling); labels are checked like the current files.
    """
    label = label_of(snapshot, file)
    frame = require_columns(read_csv_text(local_file(snapshot, file)), EXPORT_REQUIRED, label, error=CatalogError)
    access = frame["Model accessibility"].str.strip()
    taxonomy.check_labels(access, taxonomy.ACCESS_CLASS, "Model accessibility", label)
    date = parse_dates(frame["Publication date"], "Publication date", label)
    access_class = access.map(taxonomy.ACCESS_CLASS)
    return pd.DataFrame(
        {
            "model": frame["System"].str.strip(),
            "date": date,
            "year": date.dt.year.astype("Int64"),
            "access": access,
            "access_class": access_class,
            "is_open": access_class.map({"open": True, "closed": False, "unknown": pd.NA}).astype("boolean"),
            "notable": frame["Notability criteria"].str.strip() != "",
        }
    )
