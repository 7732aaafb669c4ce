"""Stanford CRFM Ecosystem Graphs (`resources/all_assets.csv`): its *models*, as a tidy catalog.

Its labels live here: `access` is open / limited / closed (open -> open; limited and closed -> closed),
and `nationality` is mapped to Epoch's country names. It has no open-weights subtypes, no
"Unreleased" label, no domains and no compute, so only the broad open definition applies and none of
Epoch's filters do (asking one is a ParameterError that says so).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from opentrends.catalog import taxonomy
from opentrends.catalog.tidy import (
    Catalog,
    CatalogError,
    apply_corrections,
    label_of,
    parse_dates,
    read_source_table,
    tidy,
)
from opentrends.registry.sources import get_snapshot, load_registry

SOURCE_ID = "ecosystem-graphs"
FILE = "all_assets.csv"
REQUIRED = ("type", "name", "organization", "created_date", "access", "nationality")
# Read by `opentrends update` to refuse a snapshot that drops a column this loader needs.
REQUIRED_COLUMNS = {FILE: REQUIRED}

ACCESS = {"open": "open", "limited": "limited", "closed": "closed"}
ACCESS_ALIASES = {"Open": "open"}  # one row spells it with a capital
ACCESS_CLASS = {"open": "open", "limited": "closed", "closed": "closed", "": "unknown"}
OPEN_DEFINITIONS = {"weights": frozenset({"open"})}
# No filter beyond the years applies: there is no Unreleased label, no domain and no compute column.
FILTERS: dict = {}

# `nationality` -> Epoch country names ("" = unknown).
NATIONALITY = {
    "USA": ("United States of America",),
    "China": ("China",),
    "UK": ("United Kingdom of Great Britain and Northern Ireland",),
    "Canada": ("Canada",),
    "South Korea": ("Korea (Republic of)",),
    "Israel": ("Israel",),
    "Germany": ("Germany",),
    "Japan": ("Japan",),
    "UAE": ("United Arab Emirates",),
    "Singapore": ("Singapore",),
    "France": ("France",),
    "Canada/Switzerland": ("Canada", "Switzerland"),
    "Belgium": ("Belgium",),
    "Philippines": ("Philippines",),
    "Russia": ("Russia",),
    "International": ("Multinational",),
    "unknown": (),
    "Unknown": (),
    "": (),
}


def load_ecosystem_graphs(
    snapshot: str = "ecosystem-graphs@2025-01-24", hong_kong_macao_as_china: bool = False
) -> Catalog:
    """Ecosystem Graphs *models* as a tidy catalog (access open -> open; limited and closed -> closed).

    Known source errors are fixed through data/corrections.csv. Assets listed twice under the same
    name and organization are kept once (earliest date).
    """
    snap = get_snapshot(snapshot, load_registry())
    if snap.source_id != SOURCE_ID:
        raise CatalogError(f"load_ecosystem_graphs reads {SOURCE_ID} snapshots, got {snap.ref}.")
    label = label_of(snap.ref, FILE)
    frame = read_source_table(snap.ref, FILE, REQUIRED)
    frame = frame[frame["type"].str.strip() == "model"]
    frame = frame.assign(access=frame["access"].str.strip().replace(ACCESS_ALIASES))
    frame, applied = apply_corrections(frame, SOURCE_ID, "name", label)
    taxonomy.check_labels(frame["access"], ACCESS, "access", label)
    nationality = frame["nationality"].str.strip()
    taxonomy.check_labels(nationality, NATIONALITY, "nationality", label)
    access = frame["access"]
    countries = nationality.map(lambda n: tuple(sorted(set(NATIONALITY[n]))))
    rows = tidy(
        frame,
        model=frame["name"],
        organization=frame["organization"],
        date=parse_dates(frame["created_date"], "created_date", label),
        access=access,
        access_class=access.map(ACCESS_CLASS),
        open_weights=(access == "open").astype("boolean"),
        countries=countries,
        domain=pd.Series("", index=frame.index),
        training_compute=pd.Series(np.nan, index=frame.index),
        notable=pd.Series(False, index=frame.index),
        frontier=pd.Series(False, index=frame.index),
        source=pd.Series(SOURCE_ID, index=frame.index),
        snapshot=pd.Series(snap.ref, index=frame.index),
        hong_kong_macao_as_china=hong_kong_macao_as_china,
        organization_countries=countries,
    )
    n_before = len(rows)
    rows = rows.sort_values(["model", "organization", "date"], kind="stable").drop_duplicates(["model", "organization"])
    rows = rows.sort_index().reset_index(drop=True)
    notes = {
        "models": len(rows),
        "duplicate name+organization dropped": n_before - len(rows),
        "models without a date": int(rows["date"].isna().sum()),
        "corrections applied": int(applied["rows"].sum()),
    }
    return Catalog(rows, SOURCE_ID, snap.ref, "models", notes, applied)
