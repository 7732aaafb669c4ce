"""ECI scores with 90% bootstrap intervals (`eci-reproduced-intervals`): one row per model.

A third party refitted the Epoch Capabilities Index with Epoch's public code on Epoch's benchmark inputs of
2026-07-31 (500 bootstrap samples, seed 12345; the snapshot's metadata JSON records the command). The point
scores match Epoch's published ECI; the intervals are the reproduction's, not Epoch's. The two anchor models
of the fit (Claude 3.5 Sonnet = 130, GPT-5 = 150) have fixed scores and so no interval: their bounds are blank.
"""

from __future__ import annotations

import pandas as pd

from opentrends.catalog.tidy import label_of, parse_numbers
from opentrends.core.errors import DataError
from opentrends.core.tables import read_csv_text, require_columns
from opentrends.data.snapshots import local_file
from opentrends.registry.sources import get_snapshot, load_registry

SOURCE_ID = "eci-reproduced-intervals"
SCORES_PREFIX = "epoch_eci_reproduced_scores_"  # + the inputs' date + .csv: one such file per snapshot
COLUMNS = ("Model", "eci", "eci_ci_low", "eci_ci_high")
# Read by `opentrends update` to refuse a snapshot that drops a column this loader needs.
REQUIRED_COLUMNS = {"epoch_eci_reproduced_scores_2026-07-31.csv": COLUMNS}


def scores_file(snapshot: str) -> str:
    """The path of the snapshot's scores file (`epoch_eci_reproduced_scores_<date>.csv`); an error lists its files."""
    snap = get_snapshot(snapshot, load_registry())
    if snap.source_id != SOURCE_ID:
        raise DataError(f"load_intervals reads {SOURCE_ID} snapshots, got {snap.ref}. Fix: pass {SOURCE_ID}@DATE.")
    found = [f.path for f in snap.files if f.path.startswith(SCORES_PREFIX) and f.path.endswith(".csv")]
    if len(found) != 1:
        raise DataError(
            f"{snap.ref} should pin one {SCORES_PREFIX}<date>.csv, found {found or 'none'} among "
            f"{', '.join(f.path for f in snap.files)}. Fix: pin exactly one scores file in data/sources/{SOURCE_ID}.yaml."
        )
    return found[0]


def load_intervals(snapshot: str = "eci-reproduced-intervals@2026-07-31") -> pd.DataFrame:
    """One row per model: Model, eci, eci_ci_low, eci_ci_high (floats; both bounds blank only for an anchor).

    Errors name the file, the row and the fix: a missing column, a blank or repeated model name, a value that
    is not a number, a score without a score, one bound without the other, or a score outside its interval.
    """
    file = scores_file(snapshot)
    label = label_of(get_snapshot(snapshot, load_registry()).ref, file)
    frame = require_columns(read_csv_text(local_file(snapshot, file)), COLUMNS, label)
    model = frame["Model"].str.strip()
    rows = pd.DataFrame({"Model": model, **{c: parse_numbers(frame[c], c, label) for c in COLUMNS[1:]}})
    fix = f"Fix: use a snapshot whose scores file is whole, or re-pin {SOURCE_ID} from its upstream."

    def fail(mask: pd.Series, what: str) -> None:
        if mask.any():
            row = int(mask.to_numpy().nonzero()[0][0])
            raise DataError(f"{label}: line {row + 2} (model {model.iloc[row]!r}) {what}. {fix}")

    fail(model == "", "has a blank Model, expected a model name")
    fail(model.duplicated(), "repeats a model listed above, expected one row per model")
    fail(rows["eci"].isna(), "has a blank eci, expected a score")
    fail(rows["eci_ci_low"].isna() != rows["eci_ci_high"].isna(), "has one interval bound without the other")
    outside = (rows["eci_ci_low"] > rows["eci"]) | (rows["eci"] > rows["eci_ci_high"])
    fail(outside, "has an eci outside [eci_ci_low, eci_ci_high], expected eci_ci_low <= eci <= eci_ci_high")
    return rows
