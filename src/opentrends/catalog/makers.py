"""Credit a Hub model to the organization that made it, not the account that uploaded it: `maker_of`.

A repackaging (`unsloth/Qwen3-8B-GGUF`, `Comfy-Org/...`, `mlx-community/...`, abliterated or quantized
copies) counts for the maker of the underlying model. Rules, first match wins:

1. `base model tag`: the record's `base_model` tags name the underlying model; its author is the maker
   (a tag that points at a repackager's copy is followed through the rules below, without tags);
1b. `declared base`: records without tags (trending) whose model card declares a base, committed in
   `data/hub_declared_bases.csv` (model_pattern, base_model, evidence_url): checked before the family table,
   so a name that matches one family (NVIDIA's Nemotron) cannot hide a base of another (Qwen);
2. `family table`: the model name matches a pattern of the committed `data/hub_model_families.csv`
   (pattern, maker, origin, evidence_url), read in file order, so more specific families come first;
3. `uploader`: the uploader is not a known repackager (`data/hub_repackagers.csv`), so it made the model;
4. `unknown`: a repackager's copy no family matches. Unknown stays unknown and is counted.

Every Hub figure and claim credits through `maker_of` (or `attribute`, the same rules over a column).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from opentrends.core import paths
from opentrends.core.errors import DataError
from opentrends.core.tables import read_csv_text, require_columns

FAMILY_TABLE = "hub_model_families.csv"
FAMILY_COLUMNS = ("pattern", "maker", "origin", "evidence_url", "note")
REPACKAGER_TABLE = "hub_repackagers.csv"
REPACKAGER_COLUMNS = ("author", "evidence_url", "note")
ORIGINS = ("United States", "China", "Rest of world", "Unknown")
RULES = ("base model tag", "declared base", "family table", "uploader", "unknown")
DECLARED_TABLE = "hub_declared_bases.csv"
DECLARED_COLUMNS = ("model_pattern", "base_model", "evidence_url", "note")


@dataclass(frozen=True)
class Attribution:
    """Who made a model: `maker` (a Hub organization, or None when unknown), its `origin`, the `evidence`
    for the credit (the tag, the family table's evidence URL, or the uploader) and the `rule` that decided."""

    maker: str | None
    origin: str
    evidence: str
    rule: str


def _where(path: Path) -> str:
    return paths.relative_to_root(path) if path.is_absolute() else str(path)


def _read(path: Path, columns) -> pd.DataFrame:
    try:
        frame = read_csv_text(path)
    except FileNotFoundError as exc:
        raise DataError(f"{_where(path)}: file not found. Fix: restore it from git (it is committed data).") from exc
    require_columns(frame, columns, _where(path), fix="Fix: restore the committed header.")
    no_evidence = frame.index[~frame["evidence_url"].str.match(r"^https?://\S+$")].tolist()
    if no_evidence:
        raise DataError(
            f"{_where(path)}: row(s) {', '.join(str(i + 2) for i in no_evidence)} (file lines) lack an http(s) "
            "evidence URL. Fix: cite the maker's Hub page or site, or remove the row."
        )
    return frame


def load_families(path: Path | None = None) -> pd.DataFrame:
    """The family table (pattern, maker, origin, evidence_url, note), in file order; a bad origin or an
    invalid regular expression is an error naming the row."""
    path = path or paths.data_dir() / FAMILY_TABLE
    frame = _read(path, FAMILY_COLUMNS)
    for i, row in frame.iterrows():
        if row["origin"] not in ORIGINS[:3]:
            raise DataError(
                f"{_where(path)}: pattern {row['pattern']!r} has origin {row['origin']!r}; expected one of "
                f"{', '.join(ORIGINS[:3])}. Fix: correct the origin."
            )
        try:
            re.compile(row["pattern"])
        except re.error as exc:
            raise DataError(
                f"{_where(path)}: pattern {row['pattern']!r} (line {i + 2}) is not a regex: {exc}."
            ) from exc
    return frame[list(FAMILY_COLUMNS)]


def load_repackagers(path: Path | None = None) -> frozenset[str]:
    """Hub accounts that upload copies of other makers' models (quantizers, converters, abliterators)."""
    path = path or paths.data_dir() / REPACKAGER_TABLE
    return frozenset(_read(path, REPACKAGER_COLUMNS)["author"])


@lru_cache(maxsize=1)
def declared_bases() -> tuple[tuple[re.Pattern, str, str], ...]:
    """(pattern, base model, evidence URL) of every committed declared base, in file order."""
    frame = _read(paths.data_dir() / DECLARED_TABLE, DECLARED_COLUMNS)
    return tuple((re.compile(r.model_pattern), r.base_model, r.evidence_url) for r in frame.itertuples())


@lru_cache(maxsize=1)
def _default_tables() -> tuple[tuple[tuple[re.Pattern, str, str, str], ...], frozenset[str]]:
    families = load_families()
    compiled = tuple(
        (re.compile(r.pattern, re.IGNORECASE), r.maker, r.origin, r.evidence_url) for r in families.itertuples()
    )
    return compiled, load_repackagers()


def family_origins() -> dict[str, str]:
    """maker -> origin of every maker in the family table (so a maker's own uploads get its origin)."""
    return {maker: origin for _, maker, origin, _ in _default_tables()[0]}


def maker_of(model_id: str, base_model_tags: Iterable[str] | None = None, origins: Mapping[str, str] | None = None):
    """The Attribution of Hub model `model_id` (`org/name`) by the rules in the module docstring.

    `base_model_tags` are the record's `base_model` tags (None or empty where it has none); `origins` maps
    Hub organizations to United States / China / Rest of world / Unknown (default: the family table's makers).
    An organization absent from `origins` has origin Unknown.
    """
    if not isinstance(model_id, str) or "/" not in model_id:
        raise DataError(f"maker_of: {model_id!r} is not a Hub model id (`org/name`). Fix: pass the full id.")
    families, repackagers = _default_tables()
    origin_of = {**family_origins(), **dict(origins or {})}
    uploader, name = model_id.split("/", 1)
    tags = [t for t in (base_model_tags or []) if isinstance(t, str) and "/" in t]
    if tags:
        base_author = tags[0].split("/", 1)[0]
        if base_author not in repackagers:
            return Attribution(base_author, origin_of.get(base_author, "Unknown"), tags[0], "base model tag")
        return maker_of(tags[0], None, origins)
    for pattern, base, evidence in declared_bases():
        if pattern.search(model_id):
            base_author = base.split("/", 1)[0]
            return Attribution(base_author, origin_of.get(base_author, "Unknown"), evidence, "declared base")
    for pattern, maker, origin, evidence in families:
        if pattern.search(name):
            return Attribution(maker, origin, evidence, "family table")
    if uploader not in repackagers:
        return Attribution(uploader, origin_of.get(uploader, "Unknown"), uploader, "uploader")
    return Attribution(None, "Unknown", uploader, "unknown")


def attribute(model_ids: Iterable[str], origins: Mapping[str, str] | None = None) -> pd.DataFrame:
    """`maker_of` over many model ids (no base-model tags): columns model, maker, maker_origin,
    uploader, uploader_origin, evidence, rule (one row per id, input order)."""
    ids = list(model_ids)
    origin_of = {**family_origins(), **dict(origins or {})}
    credited = {m: maker_of(m, None, origins) for m in dict.fromkeys(ids)}
    uploaders = [m.split("/", 1)[0] for m in ids]
    return pd.DataFrame(
        {
            "model": ids,
            "maker": [credited[m].maker for m in ids],
            "maker_origin": [credited[m].origin for m in ids],
            "uploader": uploaders,
            "uploader_origin": [origin_of.get(u, "Unknown") for u in uploaders],
            "evidence": [credited[m].evidence for m in ids],
            "rule": [credited[m].rule for m in ids],
        }
    )


def hub_origins(atom_ref: str) -> dict[str, str]:
    """Hub organization -> origin: ATOM's organization regions first, then the committed author table
    (`data/hub_author_regions.csv`), as every Hub figure labels authors."""
    from opentrends.catalog.loaders import atom  # a loader: imported on use, like the LOADERS registry does

    table = atom.author_origins(atom.load_regions(atom_ref), atom.load_author_table())
    return dict(zip(table["author"], table["origin"], strict=True))
