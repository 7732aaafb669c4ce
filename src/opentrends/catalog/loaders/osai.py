"""European Open Source AI Index: one YAML per model family, openness dimensions graded open/partial/closed.

Only systems that claim to be open are listed, so the index measures *how open* open models are.
National origin sits in a header comment (`# - National origin: China`), not in the YAML body.
"""

from __future__ import annotations

import re

import pandas as pd
import yaml

from opentrends.catalog.taxonomy import check_labels
from opentrends.core.errors import DataError
from opentrends.data.snapshots import local_file
from opentrends.registry.sources import get_snapshot

SOURCE_ID = "osai-index"
# The graded dimensions present in every system file of the 2026-06-12 snapshot, in the files' own order
# (criteria: https://osai-index.eu/contribute).
DIMENSIONS = (
    "datasources_basemodel",
    "datasources_endmodel",
    "weights_basemodel",
    "weights_endmodel",
    "trainingcode",
    "code",
    "hardware_architecture",
    "preprint",
    "paper",
    "modelcard",
    "datasheet",
    "licenses",
)
GRADES = {"open": 1.0, "partial": 0.5, "closed": 0.0}
ORIGIN_RE = re.compile(r"^#\s*-\s*National origin:\s*(.+?)\s*$", re.MULTILINE)
REQUIRED_COLUMNS = {"yaml/*.yaml": ("system", "org", *DIMENSIONS)}


def load_index(snapshot: str = "osai-index@2026-06-12") -> pd.DataFrame:
    """One row per graded system: file, system, organization, origin, release_date, a grade per dimension, openness.

    `openness` is the mean grade (open 1, partial 0.5, closed 0) over the dimensions. Files that hold no
    `system` entry (templates) are skipped; a grade outside open/partial/closed is an error naming the file.
    """
    snap = get_snapshot(snapshot)
    if snap.source_id != SOURCE_ID:
        raise DataError(f"load_index reads {SOURCE_ID} snapshots, got {snap.ref}.")
    records = []
    for pinned in snap.files:
        if not pinned.path.endswith(".yaml"):
            continue
        label = f"{snap.ref}/{pinned.path}"
        text = local_file(snap.ref, pinned.path).read_text(encoding="utf-8")
        try:
            doc = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise DataError(
                f"{label}: not valid YAML ({exc}). Fix: check the snapshot with `opentrends verify`."
            ) from exc
        if not isinstance(doc.get("system"), dict):
            continue
        missing = [d for d in DIMENSIONS if not isinstance(doc.get(d), dict)]
        if missing:
            raise DataError(
                f"{label}: missing dimension(s) {', '.join(missing)}; expected all of {', '.join(DIMENSIONS)}."
            )
        grades = {d: str(doc[d].get("class", "")).strip() for d in DIMENSIONS}
        check_labels(grades.values(), GRADES, "class", label)
        origin = ORIGIN_RE.search(text)
        records.append(
            {
                "file": pinned.path,
                "system": str(doc["system"].get("name", "")).strip(),
                "organization": str((doc.get("org") or {}).get("name", "")).strip(),
                "origin": origin.group(1) if origin else "",
                "release_date": str(doc["system"].get("releasedate", "") or "").strip(),
                **grades,
                "openness": sum(GRADES[g] for g in grades.values()) / len(DIMENSIONS),
            }
        )
    return pd.DataFrame(records).sort_values("file").reset_index(drop=True)
