"""huggingface_hub's HTTP client, as the Hub captures use it: bounded retries, Link pagination, ModelInfo records.

Requests go through huggingface_hub's own session and `http_backoff` (retry with exponential backoff on
HTTP 429 and 5xx, honouring the Hub's rate-limit headers), errors through `hf_raise_for_status`, and every
model through `huggingface_hub.hf_api.ModelInfo`, the parser `HfApi.list_models` uses. Pages are followed
here rather than through `list_models`' generator so that the number of tries and the backoff base are
parameters, and a progress bar can advance per record. The token comes from `HF_TOKEN` only.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from opentrends.core.errors import OpenTrendsError
from opentrends.registry.model import REVISION_RE

# Properties requested with `expand` (names from huggingface_hub's ExpandModelProperty_T).
RECORD_FIELDS = (
    "author",
    "createdAt",
    "downloads",
    "downloadsAllTime",
    "gated",
    "lastModified",
    "library_name",
    "likes",
    "pipeline_tag",
    "sha",
    "tags",
)
TRIES = 5  # one request and at most four retries on 429/5xx
BACKOFF_BASE = 1.0  # seconds before the first retry; doubled each time, capped at 8x
TIMEOUT = 60.0  # seconds per HTTP request


class HubCaptureError(OpenTrendsError, RuntimeError):
    """A Hub capture that could not be completed; nothing was pinned."""


@dataclass(frozen=True)
class Retry:
    """Bounds of the retry on HTTP 429 and 5xx: `tries` requests in all, waits base, 2x base, ... (max 8x)."""

    tries: int = TRIES
    backoff_base: float = BACKOFF_BASE


DEFAULT_RETRY = Retry()


def token() -> str | bool:
    """The token from HF_TOKEN, or False (no token) when it is unset."""
    # False, not None: None would let huggingface_hub fall back to a token stored on disk.
    return os.environ.get("HF_TOKEN", "").strip() or False


def endpoint_url(endpoint: str | None) -> str:
    """`endpoint`, or huggingface_hub's (HF_ENDPOINT, default https://huggingface.co), without a trailing slash."""
    from huggingface_hub import constants

    return (endpoint or constants.ENDPOINT).rstrip("/")


def require_online() -> None:
    """Refuse early, with the fix, when huggingface_hub is in offline mode."""
    from huggingface_hub import constants

    if constants.is_offline_mode():
        raise HubCaptureError(
            "HF_HUB_OFFLINE is set, so huggingface_hub refuses every request; a capture needs the Hub. "
            "Fix: run with HF_HUB_OFFLINE=0 where huggingface.co (or HF_ENDPOINT) can be reached."
        )


def get(url: str, params: Any, retry: Retry):
    """GET with huggingface_hub's session and backoff; an HTTP error becomes a HubCaptureError."""
    import httpx2
    from huggingface_hub.errors import HfHubHTTPError
    from huggingface_hub.utils import build_hf_headers, hf_raise_for_status, http_backoff

    headers = build_hf_headers(token=token(), library_name="opentrends")
    try:
        response = http_backoff(
            "GET",
            url,
            params=params,
            headers=headers,
            timeout=TIMEOUT,
            max_retries=max(retry.tries - 1, 0),
            base_wait_time=retry.backoff_base,
            max_wait_time=retry.backoff_base * 8,
            retry_on_status_codes=(429, 500, 502, 503, 504),
        )
        hf_raise_for_status(response)
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else 0
        if status == 429:
            hint = (
                f"the Hub kept answering 429 (rate limited) through {retry.tries} tries; wait and rerun, "
                "or export HF_TOKEN for a higher limit"
            )
        elif status >= 500:
            hint = f"the Hub kept failing through {retry.tries} tries; rerun later"
        elif status in (401, 403):
            hint = "the Hub refused access; export HF_TOKEN with a token that can read it"
        else:
            hint = "check the model id or query"
        raise HubCaptureError(f"GET {url} failed with HTTP {status}: {hint}. Nothing was pinned.") from exc
    except (httpx2.HTTPError, OSError) as exc:
        raise HubCaptureError(
            f"GET {url} failed ({exc}); nothing was pinned. Check the network or HF_ENDPOINT."
        ) from exc
    return response


@dataclass(frozen=True)
class RepoRevision:
    """One commit of a Hub repo: its 40-hex sha and when it was committed (UTC)."""

    sha: str
    committed_at: dt.datetime
    title: str = ""

    @property
    def date(self) -> str:
        """The UTC day of the commit (YYYY-MM-DD): the date of a snapshot pinned at this revision."""
        return self.committed_at.astimezone(dt.UTC).date().isoformat()

    @property
    def committed(self) -> str:
        """The commit time as 2025-01-25T06:12:00Z."""
        return self.committed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def repo_revision(
    repo_id: str, repo_type: str = "dataset", revision: str | None = None, endpoint: str | None = None
) -> RepoRevision:
    """`revision` of a Hub repo (default: its current one) as a 40-hex sha with its commit date.

    `HfApi.repo_info(revision=...)` resolves the revision to its sha (and says RevisionNotFound for an unknown
    one); `HfApi.list_repo_commits(revision=sha)` lists the history from that commit back, newest first, so
    its first entry is the commit itself, with `created_at`, the commit's date.
    """
    import httpx2
    import huggingface_hub
    from huggingface_hub.errors import HfHubHTTPError

    require_online()
    url = endpoint_url(endpoint)
    api = huggingface_hub.HfApi(endpoint=url, token=token())
    what = f"{repo_type} {repo_id}@{revision}" if revision else f"the current revision of {repo_type} {repo_id}"
    try:
        sha = api.repo_info(repo_id, repo_type=repo_type, revision=revision).sha
        if not isinstance(sha, str) or not REVISION_RE.match(sha) or (revision and sha != revision):
            raise HubCaptureError(
                f"{url} gave {sha!r} as the commit of {what}, not its 40-hex sha; nothing was pinned."
            )
        commits = api.list_repo_commits(repo_id, repo_type=repo_type, revision=sha)
    except HfHubHTTPError as exc:
        raise HubCaptureError(
            f"Could not resolve {what} at {url}: {str(exc).splitlines()[0]}. "
            "Check the repo id, the revision, the network and HF_TOKEN; nothing was pinned."
        ) from exc
    except (httpx2.HTTPError, OSError) as exc:
        raise HubCaptureError(f"Could not resolve {what} at {url} ({exc}); nothing was pinned.") from exc
    head = commits[0] if commits else None
    if head is None or head.commit_id != sha or head.created_at is None:
        raise HubCaptureError(
            f"{url} listed no commit {sha} (with a date) at the head of the history of {repo_id}; "
            "cannot date the snapshot, nothing was pinned."
        )
    return RepoRevision(sha=sha, committed_at=head.created_at.astimezone(dt.UTC), title=head.title or "")


def _iso(value: dt.datetime | None) -> str | None:
    # The Hub's own form (2024-07-31T21:13:44.000Z), so records compare with recorded API responses.
    if value is None:
        return None
    value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def record(info) -> dict:
    """The fields of a huggingface_hub `ModelInfo` that a capture keeps, under the Hub API's names."""
    return {
        "id": info.id,
        "author": info.author,
        "createdAt": _iso(info.created_at),
        "lastModified": _iso(info.last_modified),
        "likes": info.likes,
        "downloads": info.downloads,
        "downloadsAllTime": info.downloads_all_time,
        "pipeline_tag": info.pipeline_tag,
        "library_name": info.library_name,
        "tags": list(info.tags) if info.tags is not None else None,
        "gated": info.gated,
        "sha": info.sha,
    }


def iter_models(params: dict, limit: int | None, retry: Retry, endpoint: str | None = None, bar=None) -> Iterator[dict]:
    """Records of `/api/models` for `params`, following Link pagination, at most `limit` of them."""
    from huggingface_hub.hf_api import ModelInfo

    url: str | None = f"{endpoint_url(endpoint)}/api/models"
    query: Any = params
    seen = 0
    while url is not None:
        response = get(url, query, retry)
        page = response.json()
        if not isinstance(page, list):
            raise HubCaptureError(f"GET {url} returned {type(page).__name__}, expected a list of models.")
        for item in page:
            item.setdefault("siblings", None)  # as list_models does before parsing
            yield record(ModelInfo(**item))
            seen += 1
            if bar is not None:
                bar.update(1)
            if limit is not None and seen >= limit:
                return
        url = response.links.get("next", {}).get("url")
        query = None  # the next link already carries the query


def progress(total: int | None, label: str):
    """A tqdm bar on stderr, shown only when stderr is a terminal."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=label, unit="model", leave=False, file=sys.stderr, disable=not sys.stderr.isatty())
