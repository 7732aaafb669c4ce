"""Daily captures of the Hub's 300 most-liked and 300 most-downloaded models (`hf-hub-top-models`).

Each file is `{date, fetched_at, source, models: [...]}`. `models` is the union of two API lists
(`/api/models?sort=likes` and `?sort=downloads`, limit 300 each): the first 300 entries are the likes
list in order, the rest are the downloads-list models not already in it, in downloads order. So
`rank_likes` is the position among the first 300 entries, and `rank_downloads` is the rank by
downloads over the whole union (ties keep the file's order), kept for the top 300. The loader checks
both facts on every file (likes non-increasing over the first 300, downloads over the rest, and every
entry after 300 inside the top 300 by downloads) and fails if a file breaks them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from opentrends.core.errors import DataError, ParameterError
from opentrends.data.snapshots import local_file
from opentrends.registry.sources import get_snapshot

SOURCE_ID = "hf-hub-top-models"
LIST_SIZE = 300  # `limit=300` of both API queries (snapshot README)
MODEL_FIELDS = ("id", "likes", "downloads", "pipeline_tag", "library_name", "createdAt")
COLUMNS = (
    "date",
    "rank_likes",
    "rank_downloads",
    "id",
    "author",
    "likes",
    "downloads_30d",
    "pipeline_tag",
    "library_name",
    "created_at",
)


def parse_capture(payload: dict, where: str, list_size: int = LIST_SIZE) -> pd.DataFrame:
    """One capture (the parsed JSON object) -> tidy rows with both ranks; `where` names the file in errors.

    `list_size` is the `limit` of both API lists (300 in this snapshot).
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("models"), list) or "date" not in payload:
        raise DataError(f"{where}: expected a JSON object with 'date' and a 'models' list. Fix: re-pin the file.")
    models = payload["models"]
    for i, record in enumerate(models):
        missing = [f for f in MODEL_FIELDS if not isinstance(record, dict) or f not in record]
        if missing:
            raise DataError(f"{where}: models[{i}] lacks field(s) {', '.join(missing)}. Fix: re-pin the file.")
    frame = pd.DataFrame.from_records(models, columns=list(MODEL_FIELDS))
    if frame["id"].duplicated().any():
        raise DataError(f"{where}: model id(s) listed twice: {', '.join(frame['id'][frame['id'].duplicated()])}.")
    for column in ("likes", "downloads"):
        if not frame[column].map(lambda v: isinstance(v, int) and not isinstance(v, bool)).all():
            raise DataError(f"{where}: '{column}' must be a whole number in every record.")
    head, tail = frame.iloc[:list_size], frame.iloc[list_size:]
    if (head["likes"].diff().dropna() > 0).any() or (tail["downloads"].diff().dropna() > 0).any():
        raise DataError(
            f"{where}: expected the first {list_size} entries in likes order and the rest in downloads order. "
            "Fix: check the capture's query (sort=likes then sort=downloads, limit 300)."
        )
    order = frame["downloads"].rank(ascending=False, method="first").astype("int64")
    if len(tail) and order.iloc[list_size:].max() > list_size:
        raise DataError(f"{where}: an entry after the likes list is outside the top {list_size} by downloads.")
    created = pd.to_datetime(frame["createdAt"], utc=True, errors="coerce")
    if created.isna().any():
        raise DataError(f"{where}: unreadable createdAt for {', '.join(frame['id'][created.isna()])}.")
    return pd.DataFrame(
        {
            "date": pd.Timestamp(payload["date"]),
            "rank_likes": pd.array([i + 1 if i < list_size else None for i in range(len(frame))], dtype="Int64"),
            "rank_downloads": pd.array(order.where(order <= list_size), dtype="Int64"),
            "id": frame["id"],
            "author": frame["id"].str.split("/", n=1).str[0],
            "likes": frame["likes"].astype("int64"),
            "downloads_30d": frame["downloads"].astype("int64"),
            "pipeline_tag": frame["pipeline_tag"],
            "library_name": frame["library_name"],
            "created_at": created.dt.tz_localize(None),
        }
    )


def read_capture(path: Path, where: str) -> pd.DataFrame:
    """One daily JSON file -> tidy rows (`parse_capture`); malformed JSON is a DataError naming the file."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{where}: malformed JSON ({exc}). Fix: re-fetch the snapshot (`opentrends fetch`), "
            "which verifies its sha256."
        ) from exc
    return parse_capture(payload, where)


def load_top(ref: str) -> pd.DataFrame:
    """Every daily file of snapshot `ref` -> one tidy table (columns `COLUMNS`), sorted by date and rank."""
    parts = []
    for pinned in get_snapshot(ref).files:
        if not pinned.path.endswith(".json"):
            continue
        parts.append(read_capture(local_file(ref, pinned.path), f"{ref} {pinned.path}"))
    if not parts:
        raise DataError(f"{ref}: no daily JSON files pinned. Fix: pin data/snapshots/<date>.json files.")
    return (
        pd.concat(parts, ignore_index=True)
        .sort_values(["date", "rank_likes", "rank_downloads"], kind="stable")
        .reset_index(drop=True)[list(COLUMNS)]
    )


def capture_dates(ref: str) -> list[str]:
    """The capture dates (`'YYYY-MM-DD'`) of snapshot `ref`, from its pinned file names (no file is read)."""
    return sorted(Path(pinned.path).stem for pinned in get_snapshot(ref).files if pinned.path.endswith(".json"))


def check_dates(name: str, dates, available) -> None:
    """`dates` must be None or a non-empty list of `'YYYY-MM-DD'` strings among `available`; else ParameterError."""
    if dates is None:
        return
    available = sorted(map(str, available))
    valid = f"Valid values: None (every date) or a list of the capture dates {', '.join(available)}."
    if not isinstance(dates, (list, tuple)) or not dates:
        raise ParameterError(f"Parameter {name}={dates!r} must be None or a non-empty list of dates. {valid}")
    unknown = [str(d) for d in dates if str(d) not in available]
    if unknown:
        raise ParameterError(
            f"Parameter {name}: {', '.join(unknown)} not among the capture dates {', '.join(available)} "
            "(or None for all)."
        )


def select_dates(top: pd.DataFrame, dates=None, name: str = "dates") -> pd.DataFrame:
    """The rows of the capture dates named (`'YYYY-MM-DD'` strings; None: every date); an unknown date is an error."""
    if dates is None:
        return top
    check_dates(name, dates, top["date"].dt.strftime("%Y-%m-%d").unique())
    return top[top["date"].dt.strftime("%Y-%m-%d").isin([str(d) for d in dates])].reset_index(drop=True)


def check_model(name: str, model, top: pd.DataFrame, list_size: int = LIST_SIZE) -> None:
    """`model` must be a Hub model id in the top `list_size` by likes on at least one capture day of `top`."""
    ranked = top[top["rank_likes"] <= list_size]
    if isinstance(model, str) and model in set(ranked["id"]):
        return
    last = ranked[ranked["date"] == ranked["date"].max()].sort_values("rank_likes")
    raise ParameterError(
        f"Parameter {name}={model!r} is not a model in the top {list_size} by likes on any capture day. "
        f"Valid values: any of them, e.g. {', '.join(last['id'].head(5))}."
    )


def as_models_table(top: pd.DataFrame) -> pd.DataFrame:
    """The tidy capture table in the Hub models-table schema (plus `date` and both ranks) for `hubquery`."""
    return pd.DataFrame(
        {
            "date": top["date"],
            "rank_likes": top["rank_likes"],
            "rank_downloads": top["rank_downloads"],
            "id": top["id"],
            "author": top["author"],
            "createdAt": top["created_at"],
            "likes": top["likes"],
            "downloads": top["downloads_30d"],
            "pipeline_tag": top["pipeline_tag"],
            "library_name": top["library_name"],
        }
    )
