"""Training-compute rows for the frontier-gap analysis, from two Epoch AI vintages.

- `epoch-open-models-report@2024-11-05`: the Epoch database snapshot behind Cottier et al., "How far
  behind are open models?" (Epoch AI, 4 Nov 2024), file `data/All ML Systems - full view.csv`
  (model name column `System`, countries in `Country (from Organization)`).
- `epoch-ai-models@<date>`: Epoch's current "Data on AI Models" download; the union of its four CSVs,
  de-duplicated on the stripped model name, preferring the `all_ai_models.csv` row (the README's default
  population), because `all_ai_models.csv` misses some large models the other files hold.

Both load into one tidy table: model, organization, date, access, domain, training_compute,
base_model, countries, file. Plus the report's hand-set compute estimates for speculative closed models
(`data/frontier_compute_estimates.csv`).
"""

from __future__ import annotations

import pandas as pd

from opentrends.catalog import taxonomy
from opentrends.catalog.loaders import epoch
from opentrends.catalog.tidy import parse_dates, parse_numbers
from opentrends.core import paths
from opentrends.core.errors import DataError, ParameterError
from opentrends.core.tables import read_csv_text, require_columns
from opentrends.data.snapshots import local_file
from opentrends.registry.sources import get_snapshot, load_registry

SOURCE_ID = "epoch-open-models-report"
REPORT_FILE = "data/All ML Systems - full view.csv"
# The report's columns under the names of the current Epoch download.
REPORT_COLUMNS = {"System": "Model", "Country (from Organization)": "Country (of organization)"}
EPOCH_SOURCE = epoch.SOURCE_ID
EPOCH_FILES = tuple(epoch.FILES.values())  # all, notable, large-scale, frontier: the all-models file first
REQUIRED = (
    "Model",
    "Organization",
    "Publication date",
    "Model accessibility",
    "Domain",
    "Training compute (FLOP)",
    "Base model",
    "Country (of organization)",
)
ESTIMATES_FILE = "frontier_compute_estimates.csv"
ESTIMATE_COLUMNS = ("model", "training_compute", "source", "note")
# The report's data writes a few domains the 2026 taxonomy no longer lists.
REPORT_DOMAINS = frozenset({"Other"})
TIDY = ["model", "organization", "date", "access", "domain", "training_compute", "base_model", "countries", "file"]


def _tidy(frame: pd.DataFrame, label: str, file: str) -> pd.DataFrame:
    require_columns(frame, REQUIRED, label)
    access = frame["Model accessibility"].str.strip()
    taxonomy.check_labels(access, taxonomy.ACCESS_CLASS, "Model accessibility", label)
    return pd.DataFrame(
        {
            "model": frame["Model"].str.strip(),
            "organization": frame["Organization"].str.strip(),
            "date": parse_dates(frame["Publication date"], "Publication date", label),
            "access": access,
            "domain": frame["Domain"].map(lambda d: ",".join(taxonomy.split_list(d))),
            "training_compute": parse_numbers(frame["Training compute (FLOP)"], "Training compute (FLOP)", label),
            "base_model": frame["Base model"].str.strip(),
            "countries": frame["Country (of organization)"].map(lambda c: tuple(sorted(set(taxonomy.split_list(c))))),
            "file": file,
        }
    )[TIDY]


def load_report_systems(snapshot: str = "epoch-open-models-report@2024-11-05") -> pd.DataFrame:
    """The report's Epoch database snapshot as tidy rows (one per `System`)."""
    snap = get_snapshot(snapshot, load_registry())
    if snap.source_id != SOURCE_ID:
        raise DataError(f"load_report_systems reads {SOURCE_ID} snapshots, got {snap.ref}.")
    frame = read_csv_text(local_file(snap.ref, REPORT_FILE)).rename(columns=REPORT_COLUMNS)
    return _tidy(frame, f"{snap.ref}/{REPORT_FILE}", REPORT_FILE)


def load_epoch_models(snapshot: str = "epoch-ai-models@2026-03-30") -> pd.DataFrame:
    """An Epoch 'Data on AI Models' download as tidy rows: the union of its files, one row per stripped name."""
    snap = get_snapshot(snapshot, load_registry())
    if snap.source_id != EPOCH_SOURCE:
        raise DataError(f"load_epoch_models reads {EPOCH_SOURCE} snapshots, got {snap.ref}.")
    held = [f for f in EPOCH_FILES if f in {p.path for p in snap.files}]
    if EPOCH_FILES[0] not in held:
        raise DataError(
            f"{snap.ref} has no {EPOCH_FILES[0]}; the compute frontier needs Epoch's full download. "
            f"Fix: use a snapshot that holds it (e.g. {EPOCH_SOURCE}@2026-03-30)."
        )
    parts = [_tidy(read_csv_text(local_file(snap.ref, f)), f"{snap.ref}/{f}", f) for f in held]
    return pd.concat(parts, ignore_index=True).drop_duplicates("model", keep="first").reset_index(drop=True)


def load_compute_rows(snapshot: str) -> pd.DataFrame:
    """Tidy compute rows of either vintage (report snapshot or Epoch download), chosen by the source id."""
    source_id = get_snapshot(snapshot, load_registry()).source_id
    if source_id == SOURCE_ID:
        return load_report_systems(snapshot)
    if source_id == EPOCH_SOURCE:
        return load_epoch_models(snapshot)
    raise ParameterError(f"snapshot must be a {SOURCE_ID} or {EPOCH_SOURCE} snapshot, got {snapshot!r}.")


def estimate_mode(snapshot: str) -> str:
    """How the hand-set estimates apply: `overwrite` on the report's own data (as the report did), `fill` elsewhere.

    A later Epoch download may carry Epoch's own estimate for a model the report had to guess; that
    estimate is newer and documented, so the report's guess only fills a blank.
    """
    return "overwrite" if get_snapshot(snapshot, load_registry()).source_id == SOURCE_ID else "fill"


def load_compute_estimates() -> pd.DataFrame:
    """The report's hand-set compute estimates (`data/frontier_compute_estimates.csv`), one row per model."""
    path = paths.data_dir() / ESTIMATES_FILE
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    require_columns(
        table, ESTIMATE_COLUMNS, f"data/{ESTIMATES_FILE}", fix=f"Fix: restore the header of data/{ESTIMATES_FILE}."
    )
    if table["model"].duplicated().any():
        raise DataError(
            f"data/{ESTIMATES_FILE}: model {table.loc[table['model'].duplicated(), 'model'].iloc[0]!r} "
            "is listed twice; keep one estimate per model."
        )
    table["training_compute"] = parse_numbers(table["training_compute"], "training_compute", f"data/{ESTIMATES_FILE}")
    if table["training_compute"].isna().any() or (table["training_compute"] <= 0).any():
        raise DataError(f"data/{ESTIMATES_FILE}: every estimate needs a positive training_compute in FLOP.")
    return table
