"""The Hub's 30 trending models, day by day (`hf-trending-archive`): one tidy row per day and rank.

Each `<day>/trending_model.json` is a list of 30 entries in trending order with `title` (`org/name`),
`category`, `model_size`, `last_modified`, `download` and `like` as display strings. Quirk of the
scraper: when a card shows no parameter size (and sometimes no pipeline label or no downloads), the
fields shift left, so the sequence `category, model_size, last_modified, download` is read as display
tokens in card order: [pipeline label] [size] `Updated ...` [downloads]. Before the `Updated` token come
the pipeline label and/or the size; after it at most one token, the downloads. `like` never shifts.

Display counts are parsed exactly: `"1.73M"` -> 1,730,000, `"12k"` -> 12,000, `"951"` -> 951, blank ->
missing; anything else is a DataError naming the file, the entry and the value. Missing days are gaps:
`missing_days` lists them; nothing is interpolated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pandas as pd

from opentrends.catalog import makers
from opentrends.core.errors import DataError
from opentrends.data.snapshots import local_file
from opentrends.registry.sources import get_snapshot

SOURCE_ID = "hf-trending-archive"
FILE_NAME = "trending_model.json"
SLOTS = 30  # the trending page lists 30 models a day
FIELDS = ("title", "category", "model_size", "last_modified", "download", "like")
REQUIRED_COLUMNS = {f"<day>/{FILE_NAME}": FIELDS}
COLUMNS = (
    "day",
    "rank",
    "model",
    "uploader",
    "maker",
    "maker_origin",
    "uploader_origin",
    "category",
    "downloads",
    "likes",
)
COUNT_RE = re.compile(r"^(\d+(?:\.\d+)?)([kM]?)$")
SIZE_RE = re.compile(r"^\d+(?:\.\d+)?[KMBT]$")
UPDATED_RE = re.compile(r"^Updated\s*\S")
MULTIPLIER = {"": 1, "k": 1_000, "M": 1_000_000}


def parse_count(value, where: str) -> int | None:
    """A display count -> whole number: '1.73M' -> 1730000, '12k' -> 12000, '951' -> 951, '' -> None.

    Anything else is a DataError naming `where` (file and entry) and the value.
    """
    if value is None or value == "":
        return None
    match = COUNT_RE.match(value) if isinstance(value, str) else None
    if not match:
        raise DataError(
            f"{where}: display count {value!r} is not a number with an optional k or M suffix (e.g. '1.73M', "
            "'12k', '951') or blank. Fix: re-fetch the snapshot (`opentrends fetch`), or extend "
            "hf_trending.parse_count if the page changed its format."
        )
    number = Decimal(match.group(1)) * MULTIPLIER[match.group(2)]
    if number != number.to_integral_value():
        raise DataError(f"{where}: display count {value!r} is not a whole number of downloads or likes.")
    return int(number)


def realign(entry: Mapping, where: str) -> tuple[str | None, str | None, str]:
    """(pipeline label or None, size or None, downloads display string) of one entry, undoing the shift.

    Tokens before the `Updated ...` token are label and size; after it, at most the downloads.
    """
    tokens = [entry[f] for f in ("category", "model_size", "last_modified", "download")]
    tokens = [t for t in tokens if t not in ("", None)]
    if not all(isinstance(t, str) for t in tokens):
        raise DataError(f"{where}: expected text fields, got {tokens!r}. Fix: re-fetch the snapshot.")
    updated = [i for i, t in enumerate(tokens) if UPDATED_RE.match(t)]
    if not updated:
        raise DataError(f"{where}: no 'Updated ...' field among {tokens!r}. Fix: re-fetch the snapshot.")
    before = tokens[: updated[0]]
    after = [t for t in tokens[updated[0] :] if not UPDATED_RE.match(t)]
    if len(before) > 2 or len(after) > 1:
        raise DataError(
            f"{where}: cannot read the card fields {tokens!r} as [label] [size] 'Updated ...' [downloads]. "
            "Fix: re-fetch the snapshot, or extend hf_trending.realign for the new layout."
        )
    label = next((t for t in before if not SIZE_RE.match(t)), None)
    size = next((t for t in before if SIZE_RE.match(t)), None)
    return label, size, after[0] if after else ""


def parse_day(entries, day: str, where: str) -> pd.DataFrame:
    """One day's parsed JSON list -> rows day, rank, model, category, downloads, likes (no attribution)."""
    if not isinstance(entries, list) or len(entries) != SLOTS:
        found = f"a list of {len(entries)}" if isinstance(entries, list) else type(entries).__name__
        raise DataError(f"{where}: expected a JSON list of {SLOTS} entries, found {found}. Fix: re-fetch the snapshot.")
    rows = []
    for i, entry in enumerate(entries):
        at = f"{where} entry {i}"
        missing = [f for f in FIELDS if not isinstance(entry, dict) or f not in entry]
        if missing:
            raise DataError(f"{at}: lacks field(s) {', '.join(missing)}. Fix: re-fetch the snapshot.")
        title = entry["title"]
        if not isinstance(title, str) or not re.match(r"^[^/\s]+/[^/\s]+$", title):
            raise DataError(f"{at}: title {title!r} is not a Hub model id `org/name`. Fix: re-fetch the snapshot.")
        label, _size, download = realign(entry, at)
        at = f"{at} ({title})"
        rows.append((day, i + 1, title, label, parse_count(download, at), parse_count(entry["like"], at)))
    frame = pd.DataFrame(rows, columns=["day", "rank", "model", "category", "downloads", "likes"])
    if frame["model"].duplicated().any():
        raise DataError(f"{where}: model(s) listed twice: {', '.join(frame['model'][frame['model'].duplicated()])}.")
    return frame


def read_day(path: Path, day: str, where: str) -> pd.DataFrame:
    """One day file -> rows (`parse_day`); malformed JSON is a DataError naming the file."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{where}: malformed JSON ({exc}). Fix: re-fetch the snapshot (`opentrends fetch`), which checks sha256."
        ) from exc
    return parse_day(entries, day, where)


def day_files(ref: str) -> dict[str, str]:
    """day ('YYYY-MM-DD') -> pinned path of snapshot `ref`; a path not of the form `<day>/trending_model.json`
    is an error."""
    days = {}
    for pinned in get_snapshot(ref).files:
        day, _, name = pinned.path.partition("/")
        if name != FILE_NAME or not re.match(r"^\d{4}-\d{2}-\d{2}$", day):
            raise DataError(f"{ref}: pinned file {pinned.path!r} is not <YYYY-MM-DD>/{FILE_NAME}. Fix: re-pin.")
        days[day] = pinned.path
    return dict(sorted(days.items()))


def missing_days(days) -> list[str]:
    """The days between the first and last of `days` that have no file (gaps: shown, never interpolated)."""
    stamps = pd.to_datetime(sorted(set(map(str, days))))
    if len(stamps) == 0:
        return []
    every = pd.date_range(stamps[0], stamps[-1], freq="D")
    return [d.strftime("%Y-%m-%d") for d in every.difference(stamps)]


def attribute(rows: pd.DataFrame, origins: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Parsed rows plus uploader, maker, maker_origin, uploader_origin (`makers.maker_of`), in `COLUMNS` order."""
    credit = makers.attribute(rows["model"], origins)
    out = rows.assign(
        uploader=credit["uploader"].to_numpy(),
        maker=credit["maker"].to_numpy(),
        maker_origin=credit["maker_origin"].to_numpy(),
        uploader_origin=credit["uploader_origin"].to_numpy(),
    )
    out["day"] = pd.to_datetime(out["day"])
    for column in ("downloads", "likes"):
        out[column] = pd.array(out[column], dtype="Int64")
    return out[list(COLUMNS)]


def load_trending(ref: str, origins: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every day of snapshot `ref` -> one table (columns `COLUMNS`), sorted by day and rank; `origins`
    maps Hub organizations to origins (e.g. ATOM plus the committed author table)."""
    parts = [read_day(local_file(ref, path), day, f"{ref} {path}") for day, path in day_files(ref).items()]
    if not parts:
        raise DataError(f"{ref}: no day files pinned. Fix: pin <day>/{FILE_NAME} files.")
    return attribute(pd.concat(parts, ignore_index=True), origins)
