"""Epoch Capabilities Index (ECI) scores, one row per model version, from `epoch-benchmarks-eci` snapshots.

File `epoch_capabilities_index.csv` (in `@2026-07-31` a member of Epoch's benchmarking zip): one row per
model *version* (reasoning-effort variants and the like); `ECI Score` is blank for versions Epoch has not
scored. In `@2026-07-01` every version carries its model's score. The model is `Model name`; a few
versions leave it blank and are keyed by their `Model version` instead (counted). Origin is mapped from
`Country` (Epoch country names, comma-joined per organization) with the explicit rule in `ORIGIN_RULE`.
"""

from __future__ import annotations

import pandas as pd

from opentrends.catalog import taxonomy
from opentrends.catalog.loaders import epoch
from opentrends.catalog.tidy import parse_dates, parse_numbers
from opentrends.core.errors import DataError
from opentrends.core.tables import read_csv_text, require_columns
from opentrends.data.members import table_file
from opentrends.registry.sources import get_snapshot, load_registry

SOURCE_ID = "epoch-benchmarks-eci"
FILE = "epoch_capabilities_index.csv"
REQUIRED = (
    "Model version",
    "ECI Score",
    "Release date",
    "Organization",
    "Country",
    "Model accessibility",
    "Model name",
)
# ECI's `Country` uses Epoch's country names (checked against the Epoch loader's COUNTRIES).
ORIGINS = ("United States", "China", "other", "unknown")
ORIGIN_RULE = (
    "United States when a US organization is among the developers and no Chinese one (Google DeepMind "
    "is listed as UK + US); China when a Chinese organization (incl. Hong Kong) is and no US one; "
    "other for every other country or a US-China collaboration; unknown when blank"
)
CHINESE = frozenset({taxonomy.CHINA}) | taxonomy.CHINA_SARS
TIDY = ["version", "model", "organization", "date", "access", "countries", "origin", "eci"]


def origin(countries: tuple[str, ...]) -> str:
    """Epoch country names of a model's organizations -> United States / China / other / unknown (ORIGIN_RULE)."""
    if not countries:
        return "unknown"
    us = taxonomy.UNITED_STATES in countries
    cn = any(c in CHINESE for c in countries)
    if us and not cn:
        return "United States"
    if cn and not us:
        return "China"
    return "other"


def load_eci(snapshot: str = "epoch-benchmarks-eci@2026-07-01") -> tuple[pd.DataFrame, dict]:
    """ECI versions as tidy rows (scored and dated ones) and a count of what was set aside.

    Columns: version, model, organization, date, access, countries, origin, eci. An accessibility or
    country label the taxonomy does not list is an error naming it.
    """
    snap = get_snapshot(snapshot, load_registry())
    if snap.source_id != SOURCE_ID:
        raise DataError(f"load_eci reads {SOURCE_ID} snapshots, got {snap.ref}.")
    label = f"{snap.ref}/{FILE}"
    frame = require_columns(read_csv_text(table_file(snap.ref, FILE)), REQUIRED, label)  # a file or a zip member
    access = frame["Model accessibility"].str.strip()
    taxonomy.check_labels(access, taxonomy.ACCESS_CLASS, "Model accessibility", label)
    countries = frame["Country"].map(lambda c: tuple(sorted(set(taxonomy.split_list(c)))))
    taxonomy.check_labels((c for row in countries for c in row), epoch.COUNTRIES, "Country", label)
    name = frame["Model name"].str.strip()
    version = frame["Model version"].str.strip()
    rows = pd.DataFrame(
        {
            "version": version,
            "model": name.where(name != "", version),
            "organization": frame["Organization"].str.strip(),
            "date": parse_dates(frame["Release date"], "Release date", label),
            "access": access,
            "countries": countries,
            "origin": countries.map(origin),
            "eci": parse_numbers(frame["ECI Score"], "ECI Score", label),
        }
    )[TIDY]
    notes = {
        "versions": len(rows),
        "versions without a model name (keyed by version)": int((name == "").sum()),
        "versions without an ECI score": int(rows["eci"].isna().sum()),
    }
    rows = rows[rows["eci"].notna()]
    notes["scored versions without a release date"] = int(rows["date"].isna().sum())
    rows = rows[rows["date"].notna()].reset_index(drop=True)
    notes["scored, dated versions"] = len(rows)
    return rows, notes
