"""Hub API records of ten model families' derivative trees, April 2025 (`hf-model-trees`).

Each file `raw/<Root>_finetunes_<timestamp>.csv` holds one row per model of one root's tree, with
`metadata` = the JSON of huggingface_hub's `ModelInfo` (or `N/A` for about 4% of rows: models deleted or
made private before the capture) and `depth` (0 for the root). The loader turns the records into the
Hub models-table schema that `hubquery` reads (id, author, createdAt, likes, downloads, tags,
pipeline_tag, library_name, baseModels{models[{id}], relation}) plus `root` (the file's root) and
`depth`. `baseModels` comes from the `base_model:<relation>:<id>` tags, as the Hub derives it.
Limits: trees are truncated near 300 children per model (an API page cap), downloads are 30-day.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pandas as pd

from opentrends.core.errors import DataError
from opentrends.core.tables import read_csv_text, require_columns
from opentrends.data.snapshots import local_file
from opentrends.registry.sources import get_snapshot

SOURCE_ID = "hf-model-trees"
REQUIRED = ("model_id", "metadata", "depth")
NO_METADATA = "N/A"  # how the capture marks a model whose ModelInfo could not be read
# The four relations the Hub writes into `base_model:<relation>:<id>` tags (huggingface.co/docs/hub/model-cards).
RELATIONS = ("adapter", "finetune", "quantized", "merge")
FILE_RE = re.compile(r"^raw/(?P<root>.+)_finetunes_\d{8}_\d{6}\.csv$")


@dataclass(frozen=True)
class Trees:
    """The models table (one row per model id) and what the loader could not use."""

    models: pd.DataFrame
    without_metadata: pd.DataFrame  # root, n: rows marked N/A, per tree file
    duplicates: int  # rows dropped because the model already appeared (in another tree or shallower)


def base_models(tags) -> dict | None:
    """`base_model:<relation>:<id>` tags -> {'models': [{'id': ...}], 'relation': ...}; None without a base.

    A model with several relational tags (a merge of several bases) keeps every base of its first
    relation, in tag order; bare `base_model:<id>` tags only name bases the relational tags repeat.
    """
    relation, ids = None, []
    for tag in tags or []:
        parts = tag.split(":", 2)
        if len(parts) == 3 and parts[0] == "base_model" and parts[1] in RELATIONS:
            relation = relation or parts[1]
            if parts[1] == relation and parts[2] not in ids:
                ids.append(parts[2])
    if relation is None:
        bare = [t.split(":", 1)[1] for t in tags or [] if t.startswith("base_model:") and t.count(":") == 1]
        if not bare:
            return None
        ids = list(dict.fromkeys(bare))
    return {"models": [{"id": i} for i in ids], "relation": relation}


def parse_records(frame: pd.DataFrame, root: str, where: str) -> tuple[pd.DataFrame, int]:
    """One tree file (text columns) -> models-table rows and the count of rows without metadata."""
    require_columns(frame, REQUIRED, where, fix="Fix: re-pin the tree file from model_metadata_analyses.")
    rows, without = [], 0
    for line, (model_id, metadata, depth) in enumerate(frame[list(REQUIRED)].itertuples(index=False), start=2):
        if metadata.strip() in (NO_METADATA, ""):
            without += 1
            continue
        try:
            info = json.loads(metadata)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"{where} line {line} ({model_id}): malformed metadata JSON ({exc.msg}). "
                "Fix: re-fetch the snapshot (`opentrends fetch`), which verifies its sha256."
            ) from exc
        if not isinstance(info, dict) or "id" not in info or "created_at" not in info:
            raise DataError(f"{where} line {line} ({model_id}): metadata lacks 'id' or 'created_at'.")
        if not str(depth).isdigit():
            raise DataError(f"{where} line {line} ({model_id}): depth {depth!r} is not a whole number.")
        tags = list(info.get("tags") or [])
        rows.append(
            {
                "id": info["id"],
                "author": info.get("author") or info["id"].split("/", 1)[0],
                "createdAt": info["created_at"],
                "likes": int(info.get("likes") or 0),
                "downloads": int(info.get("downloads") or 0),
                "tags": tags,
                "pipeline_tag": info.get("pipeline_tag"),
                "library_name": info.get("library_name"),
                "baseModels": base_models(tags),
                "root": root,
                "depth": int(depth),
            }
        )
    models = pd.DataFrame(
        rows,
        columns=[
            "id",
            "author",
            "createdAt",
            "likes",
            "downloads",
            "tags",
            "pipeline_tag",
            "library_name",
            "baseModels",
            "root",
            "depth",
        ],
    )
    created = pd.to_datetime(models["createdAt"], utc=True, errors="coerce")
    if created.isna().any():
        raise DataError(f"{where}: unreadable created_at for {', '.join(models['id'][created.isna()])}.")
    models["createdAt"] = created.dt.tz_localize(None).astype("datetime64[us]")
    return models, without


def load_trees(ref: str) -> Trees:
    """Every tree file of snapshot `ref` -> one models table, one row per id (the shallowest occurrence)."""
    parts, without = [], []
    for pinned in get_snapshot(ref).files:
        match = FILE_RE.match(pinned.path)
        if not match:
            continue
        frame = read_csv_text(local_file(ref, pinned.path))
        roots = frame.loc[frame.get("depth", pd.Series(dtype=str)) == "0", "model_id"].tolist()
        if len(roots) != 1:
            raise DataError(f"{ref} {pinned.path}: expected exactly one row at depth 0 (the root), found {len(roots)}.")
        models, n_without = parse_records(frame, roots[0], f"{ref} {pinned.path}")
        parts.append(models)
        without.append({"root": roots[0], "n": n_without})
    if not parts:
        raise DataError(f"{ref}: no raw/<Root>_finetunes_<timestamp>.csv files pinned.")
    stacked = pd.concat(parts, ignore_index=True).sort_values(["depth", "root", "id"], kind="stable")
    models = stacked.drop_duplicates("id").sort_values(["root", "depth", "id"]).reset_index(drop=True)
    return Trees(models, pd.DataFrame(without, columns=["root", "n"]), len(stacked) - len(models))
