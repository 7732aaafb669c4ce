"""ATOM Project tracked models (Interconnects AI): Hub organization -> region, and the tracked model list.

`organization_regions.csv` labels 118 Hub organizations us / china / eu / other / unknown. The project's
origin categories fold them: us -> United States, china -> China, eu and other -> Rest of world,
unknown -> Unknown. Hub authors ATOM lacks are labelled in the committed `data/hub_author_regions.csv`
(a label is a value plus its evidence: every row carries an http(s) evidence URL).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from opentrends.core import paths
from opentrends.core.errors import DataError
from opentrends.core.tables import read_csv_text, require_columns
from opentrends.data.snapshots import local_file

SOURCE_ID = "atom-tracked-models"

# ATOM's region labels (organization_regions.csv, commit 3cd8020) and the project's origin for each.
REGION_ORIGIN = {
    "us": "United States",
    "china": "China",
    "eu": "Rest of world",
    "other": "Rest of world",
    "unknown": "Unknown",
}
ORIGINS = ("United States", "China", "Rest of world", "Unknown")
AUTHOR_TABLE = "hub_author_regions.csv"
AUTHOR_COLUMNS = ("author", "country", "region", "evidence_url", "note")


def _require(frame: pd.DataFrame, columns, where: str) -> None:
    require_columns(
        frame,
        columns,
        where,
        fix=f"The file has {', '.join(frame.columns)}. Fix: point the loader at the file with the expected columns "
        "(or re-pin the snapshot).",
    )


def _check_regions(values: pd.Series, where: str) -> None:
    unknown = sorted(set(values) - set(REGION_ORIGIN))
    if unknown:
        raise DataError(
            f"{where}: unknown region label(s) {', '.join(map(repr, unknown))}; expected one of "
            f"{', '.join(REGION_ORIGIN)}. Fix: correct the label, or add it to atom.REGION_ORIGIN with its origin."
        )


def load_regions(ref: str) -> pd.DataFrame:
    """ATOM's organization -> region table: columns author, region, origin, note (one row per Hub org)."""
    path = local_file(ref, "organization_regions.csv")
    frame = read_csv_text(path)
    _require(frame, ("hf_org", "region"), f"{ref} organization_regions.csv")
    _check_regions(frame["region"], f"{ref} organization_regions.csv")
    duplicated = frame["hf_org"][frame["hf_org"].duplicated()].tolist()
    if duplicated:
        raise DataError(f"{ref} organization_regions.csv: organization(s) listed twice: {', '.join(duplicated)}.")
    return pd.DataFrame(
        {
            "author": frame["hf_org"],
            "region": frame["region"],
            "origin": frame["region"].map(REGION_ORIGIN),
            "note": frame.get("notes", pd.Series("", index=frame.index)),
        }
    )


def load_tracked_models(ref: str) -> pd.DataFrame:
    """The ATOM universe: `models.csv` plus `extra_models.csv`, one row per Hub model id (org, model_id)."""
    parts = []
    for name in ("models.csv", "extra_models.csv"):
        frame = read_csv_text(local_file(ref, name))
        _require(frame, ("org", "modelId"), f"{ref} {name}")
        parts.append(frame[["org", "modelId"]].rename(columns={"modelId": "model_id"}))
    return pd.concat(parts, ignore_index=True).drop_duplicates("model_id").reset_index(drop=True)


def load_author_table(path: Path | None = None) -> pd.DataFrame:
    """The committed Hub author -> country/region table; every row needs an http(s) evidence URL."""
    path = path or paths.data_dir() / AUTHOR_TABLE
    where = paths.relative_to_root(path) if path.is_absolute() else str(path)
    try:
        frame = read_csv_text(path)
    except FileNotFoundError as exc:
        raise DataError(f"{where}: file not found. Fix: restore it from git (it is committed data).") from exc
    _require(frame, AUTHOR_COLUMNS, where)
    _check_regions(frame["region"], where)
    no_evidence = frame.loc[~frame["evidence_url"].str.match(r"^https?://\S+$"), "author"].tolist()
    if no_evidence:
        raise DataError(
            f"{where}: row(s) without an http(s) evidence URL: {', '.join(no_evidence)}. Fix: cite the "
            "organization's site, its Hub page or a Wikipedia page, or remove the row (the author stays Unknown)."
        )
    duplicated = frame["author"][frame["author"].duplicated()].tolist()
    if duplicated:
        raise DataError(f"{where}: author(s) listed twice: {', '.join(duplicated)}.")
    return frame.assign(origin=frame["region"].map(REGION_ORIGIN))[[*AUTHOR_COLUMNS, "origin"]]


def author_origins(atom_regions: pd.DataFrame, author_table: pd.DataFrame) -> pd.DataFrame:
    """One label per author: ATOM first, the committed table for authors ATOM lacks (column `label_source`)."""
    atom = atom_regions.assign(label_source="ATOM")[["author", "region", "origin", "label_source"]]
    extra = author_table[~author_table["author"].isin(atom["author"])]
    extra = extra.assign(label_source="hub_author_regions.csv")[["author", "region", "origin", "label_source"]]
    return pd.concat([atom, extra], ignore_index=True)


def tracked_by_region(tracked: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """region, n_models, n_orgs of the ATOM universe (every tracked org must have a region label)."""
    region_of = regions.set_index("author")["region"]
    unlabelled = sorted(set(tracked["org"]) - set(region_of.index))
    if unlabelled:
        raise DataError(
            f"ATOM tracked models of organization(s) without a region: {', '.join(unlabelled)}. "
            "Fix: use a snapshot whose organization_regions.csv covers them."
        )
    labelled = tracked.assign(region=tracked["org"].map(region_of))
    table = labelled.groupby("region").agg(n_models=("model_id", "size"), n_orgs=("org", "nunique"))
    return table.reindex(list(REGION_ORIGIN), fill_value=0).rename_axis("region").reset_index()


# The label with the largest effect on the head's download shares: the Sentence Transformers namespaces are
# labelled by their creator, UKP Lab at TU Darmstadt (Germany, https://www.sbert.net/), in
# data/hub_author_regions.csv; Hugging Face (United States) has maintained them since 2023. The notebook
# reports the shares under this alternative too.
MAINTAINER_ALTERNATIVE = {"sentence-transformers": "United States", "cross-encoder": "United States"}


def with_origins(origins: pd.DataFrame, overrides: dict[str, str]) -> pd.DataFrame:
    """A copy of an author -> origin table with some authors' origins replaced (a sensitivity variant)."""
    unknown = sorted(set(overrides.values()) - set(ORIGINS))
    if unknown:
        raise DataError(f"overrides: unknown origin(s) {', '.join(unknown)}; expected one of {', '.join(ORIGINS)}.")
    replaced = origins["author"].map(overrides)
    return origins.assign(origin=replaced.fillna(origins["origin"]))
