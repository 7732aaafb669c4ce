"""Fine-tune counts and daily downloads of 17 organizations' Hub models to 2025-02-18 (`hf-derivative-growth`).

`finetune/<Org>.csv`: one row per base model the organization published; column `k-month` is the
cumulative number of models the authors associated with the base (their method is not published) at
`created_at` + k whole months; the filled columns run to the last whole month before the collection (about
2025-02-20), later columns blank. The increment of column k covers `created_at` + (k-1) .. + k months, so the
long table puts column k in the calendar month holding that interval's midpoint (column 0, the count at creation,
in the creation month). A calendar month is `partial_month` from the month holding the midpoint of the first
uncounted interval of most bases (2025-02 in the 2025-02-18 snapshot); earlier months are complete.

`download/<Org>.csv` (the same 17 plus `Other`): the organization's most-downloaded models, one column per
day holding cumulative downloads since 2024-07-02 (0 before a model existed). The long table adds
`daily_downloads` (the day's increase; missing on the first day) and the maker's origin (`makers.maker_of`:
`nvidia/DeepSeek-R1-FP4` counts for DeepSeek; `Other.csv` mixes many uploaders).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from opentrends.catalog import makers
from opentrends.core.errors import DataError
from opentrends.core.tables import read_csv_text, require_columns
from opentrends.data.snapshots import local_file
from opentrends.registry.sources import get_snapshot

SOURCE_ID = "hf-derivative-growth"
MONTH_COLUMNS = tuple(f"{k}-month" for k in range(35))
FINETUNE_REQUIRED = ("model", "created_at", "company", MONTH_COLUMNS[0])
DOWNLOAD_REQUIRED = ("model", "created_at")
REQUIRED_COLUMNS = {"finetune/*.csv": FINETUNE_REQUIRED, "download/*.csv": DOWNLOAD_REQUIRED}
OTHER = "Other"  # download/Other.csv: many uploaders, credited model by model

# The origin table of the 17 organizations (file name -> origin), each with the place its evidence states.
ORGANIZATION_ORIGIN = {
    "AMAZON": "United States",  # Amazon.com, Seattle (https://en.wikipedia.org/wiki/Amazon_(company))
    "Allen_AI": "United States",  # Allen Institute for AI, Seattle (https://allenai.org/)
    "Apple": "United States",  # Apple, Cupertino (https://en.wikipedia.org/wiki/Apple_Inc.)
    "BAAI": "China",  # Beijing Academy of Artificial Intelligence (https://www.baai.ac.cn/)
    "CohereAI": "Rest of world",  # Cohere, Toronto (https://en.wikipedia.org/wiki/Cohere)
    "DeepSeek": "China",  # DeepSeek, Hangzhou (https://en.wikipedia.org/wiki/DeepSeek)
    "Google": "United States",  # Google, Mountain View (https://en.wikipedia.org/wiki/Google)
    "HuggingFace": "United States",  # Hugging Face, New York (ATOM maps its namespaces to us)
    "IBM": "United States",  # IBM, Armonk (https://en.wikipedia.org/wiki/IBM)
    "Meta": "United States",  # Meta, Menlo Park (https://en.wikipedia.org/wiki/Meta_Platforms)
    "Microsoft": "United States",  # Microsoft, Redmond (https://en.wikipedia.org/wiki/Microsoft)
    "MistralAI": "Rest of world",  # Mistral AI, Paris (https://en.wikipedia.org/wiki/Mistral_AI)
    "Nvidia": "United States",  # NVIDIA, Santa Clara (https://en.wikipedia.org/wiki/Nvidia)
    "OpenAI": "United States",  # OpenAI, San Francisco (https://en.wikipedia.org/wiki/OpenAI)
    "Qwen": "China",  # Qwen team, Alibaba Cloud, Hangzhou (https://huggingface.co/Qwen)
    "Salesforce": "United States",  # Salesforce, San Francisco (https://en.wikipedia.org/wiki/Salesforce)
    "StabilityAI": "Rest of world",  # Stability AI, London (https://en.wikipedia.org/wiki/Stability_AI)
}
FINETUNE_COLUMNS = (
    "base_model",
    "organization",
    "origin",
    "created_at",
    "month",
    "months_since_creation",
    "cumulative_finetunes",
    "partial_month",
)
DOWNLOAD_COLUMNS = ("model", "organization", "origin", "date", "cumulative_downloads", "daily_downloads")


def organization_origin(organization: str, where: str) -> str:
    """The origin of a file's organization; one the origin table lacks is an error naming file and fix."""
    if organization not in ORGANIZATION_ORIGIN:
        raise DataError(
            f"{where}: organization {organization!r} is not in the origin table (hf_growth.ORGANIZATION_ORIGIN: "
            f"{', '.join(ORGANIZATION_ORIGIN)}). Fix: add it there with its origin and the evidence for it."
        )
    return ORGANIZATION_ORIGIN[organization]


def _whole(value: str, where: str) -> int:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not number >= 0 or number != int(number):
        raise DataError(f"{where}: {value!r} is not a whole non-negative count. Fix: re-fetch the snapshot.")
    return int(number)


def _created(values: pd.Series, where: str) -> pd.Series:
    created = pd.to_datetime(values, utc=True, errors="coerce")
    if created.isna().any():
        raise DataError(
            f"{where}: unreadable created_at {values[created.isna()].iloc[0]!r}. Fix: re-fetch the snapshot."
        )
    return created.dt.tz_localize(None)


def parse_finetunes(frame: pd.DataFrame, organization: str, where: str, keep_markers: bool = False) -> pd.DataFrame:
    """One `finetune/<Org>.csv` (all text) -> long rows (`FINETUNE_COLUMNS`); blanks inside a row's filled
    months, a decreasing count or a non-count are errors naming the file, the model and the value."""
    require_columns(frame, FINETUNE_REQUIRED, where)
    origin = organization_origin(organization, where)
    months = [c for c in MONTH_COLUMNS if c in frame.columns]
    created = _created(frame["created_at"], where)
    rows = []
    for (_, record), start in zip(frame.iterrows(), created, strict=True):
        at = f"{where} model {record['model']}"
        values = [record[c] for c in months]
        filled = [v != "" for v in values]
        last = max(i for i, f in enumerate(filled) if f) if any(filled) else -1
        if last < 0 or not all(filled[: last + 1]):
            raise DataError(f"{at}: month columns must be filled from 0-month up to the last count. Fix: re-fetch.")
        counts = [_whole(v, f"{at} {months[k]}") for k, v in enumerate(values[: last + 1])]
        if any(b < a for a, b in zip(counts, counts[1:], strict=False)):
            raise DataError(f"{at}: cumulative fine-tunes decrease ({counts}). Fix: re-fetch the snapshot.")
        for k, n in enumerate(counts + [None]):
            month = interval_month(start, k)
            rows.append((record["model"], organization, origin, start, month, k, n, n is None))
    table = pd.DataFrame(rows, columns=list(FINETUNE_COLUMNS))
    return table if keep_markers else flag_partial(table)


def interval_month(created: pd.Timestamp, k: int) -> str:
    """The calendar month (YYYY-MM) of column k's increment: the midpoint of created + (k-1) .. + k months
    (column 0: the creation month)."""
    if k == 0:
        return created.strftime("%Y-%m")
    begin, end = created + pd.DateOffset(months=k - 1), created + pd.DateOffset(months=k)
    return (begin + (end - begin) / 2).strftime("%Y-%m")


def flag_partial(rows: pd.DataFrame) -> pd.DataFrame:
    """Drop each base's marker row of its first uncounted interval (count None) and flag `partial_month` from
    the month where most bases' first uncounted interval lies."""
    marker = rows["cumulative_finetunes"].isna()
    first_gap = rows.loc[marker, "month"].mode()
    counted = rows[~marker].copy()
    counted["cumulative_finetunes"] = counted["cumulative_finetunes"].astype("int64")
    counted["partial_month"] = counted["month"] >= first_gap.iloc[0] if len(first_gap) else False
    return counted.reset_index(drop=True)


def parse_downloads(
    frame: pd.DataFrame, organization: str, where: str, origins: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One `download/<Org>.csv` (all text) -> long rows (`DOWNLOAD_COLUMNS`), origin = the maker's origin."""
    require_columns(frame, DOWNLOAD_REQUIRED, where)
    day_columns = [c for c in frame.columns if re.match(r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$", c)]
    if not day_columns:
        raise DataError(f"{where}: no day columns (YYYY-MM-DD). Fix: re-fetch the snapshot.")
    known = dict(origins or {})
    if organization != OTHER:  # the organization's own namespaces carry its origin
        own = organization_origin(organization, where)
        known = {**{m.split("/", 1)[0]: own for m in frame["model"]}, **known}
    cumulative = frame.set_index("model")[day_columns].apply(
        lambda column: column.map(lambda v: _whole(v, f"{where} {column.name}"))
    )
    cumulative.columns = pd.to_datetime([c[:10] for c in day_columns])
    if (cumulative.diff(axis=1).iloc[:, 1:] < 0).any().any():
        raise DataError(f"{where}: cumulative downloads decrease for some model. Fix: re-fetch the snapshot.")
    daily = cumulative.diff(axis=1)
    credit = makers.attribute(cumulative.index, known).set_index("model")["maker_origin"]
    long = cumulative.stack().rename("cumulative_downloads").rename_axis(["model", "date"]).reset_index()
    long["daily_downloads"] = pd.array(daily.stack().to_numpy(), dtype="Int64")
    long["organization"], long["origin"] = organization, long["model"].map(credit)
    return long[list(DOWNLOAD_COLUMNS)]


def _files(ref: str, folder: str) -> dict[str, str]:
    return {
        p.path.split("/", 1)[1].removesuffix(".csv"): p.path
        for p in get_snapshot(ref).files
        if p.path.startswith(f"{folder}/") and p.path.endswith(".csv")
    }


def load_finetunes(ref: str) -> pd.DataFrame:
    """Every `finetune/<Org>.csv` of snapshot `ref` -> one long table (`FINETUNE_COLUMNS`)."""
    parts = [
        parse_finetunes(read_csv_text(local_file(ref, path)), org, f"{ref} {path}", keep_markers=True)
        for org, path in sorted(_files(ref, "finetune").items())
    ]
    if not parts:
        raise DataError(f"{ref}: no finetune/<Org>.csv files pinned. Fix: pin the finetune folder.")
    table = flag_partial(pd.concat(parts, ignore_index=True))
    return table.sort_values(["organization", "base_model", "months_since_creation"], kind="stable").reset_index(
        drop=True
    )


def load_downloads(ref: str, origins: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Every `download/<Org>.csv` of snapshot `ref` -> one long table (`DOWNLOAD_COLUMNS`); a model listed in
    an organization's file and in `Other.csv` is kept once, with the organization."""
    parts = [
        parse_downloads(read_csv_text(local_file(ref, path)), org, f"{ref} {path}", origins)
        for org, path in sorted(_files(ref, "download").items(), key=lambda item: (item[0] == OTHER, item[0]))
    ]
    if not parts:
        raise DataError(f"{ref}: no download/<Org>.csv files pinned. Fix: pin the download folder.")
    table = pd.concat(parts, ignore_index=True).drop_duplicates(["model", "date"], keep="first")
    return table.sort_values(["organization", "model", "date"], kind="stable").reset_index(drop=True)
