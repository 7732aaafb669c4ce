"""A small fake Hugging Face Hub for tests: the API routes huggingface_hub calls, on 127.0.0.1 only.

Routes (as huggingface.co answers them, to the extent huggingface_hub reads them):
  GET  /api/models?sort=&direction=&limit=&filter=&search=&author=&expand=&full=&cursor=
       a JSON list page; `Link: <...&cursor=N>; rel="next"` while more remain
  GET  /api/models/{org}/{name}[/revision/{rev}]?expand=
  GET  /api/datasets/{org}/{name}[/revision/{rev}]              DatasetInfo JSON with `sha` and `siblings`
  GET  /api/datasets/{org}/{name}/commits/{rev}                 commits from rev back, newest first (with date)
  HEAD|GET /datasets/{org}/{name}/resolve/{rev}/{path}           the file, with X-Repo-Commit, ETag,
                                                                 X-Linked-Etag, Content-Length (Range on GET)
Faults: `hub.fail("/api/models", 429, 429)` answers the next two matching requests with HTTP 429;
`ctrl_c_on_request(monkeypatch, hub, "/api/models", 4)` is Ctrl-C while the fourth listing page is on its way.
Every request is logged in `hub.requests` as (method, path, query dict of lists).

The records it serves are built at test time from the mirror's real recorded API responses
(`top_model_records`, `tree_model_records`); nothing from the mirror is committed.
Bounded: a threading server with daemon threads, a socket timeout, and `close()` in fixture teardown.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import threading
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

PAGE_SIZE = 100  # small, so that a 300-model capture crosses pages (the Hub's own pages are larger)
DEFAULT_FIELDS = (
    "_id",
    "id",
    "likes",
    "downloads",
    "private",
    "pipeline_tag",
    "library_name",
    "tags",
    "createdAt",
    "modelId",
)  # what /api/models returns without expand (huggingface.co, 2025)
TOP_REF = "hf-hub-top-models@2026-08-22"
TREES_REF = "hf-model-trees@2025-04-22"


@dataclass
class DatasetRepo:
    """A dataset repo at its current commit (`files`: path in repo -> bytes; `date`: commit time, the Hub's form).

    `history`: the earlier commits, newest first, each a DatasetRepo (served at their sha, never at `main`)."""

    repo_id: str
    sha: str
    files: dict[str, bytes] = field(default_factory=dict)
    date: str = "2025-10-01T00:00:00.000Z"
    history: list[DatasetRepo] = field(default_factory=list)

    def at(self, rev: str) -> DatasetRepo | None:
        """The commit that `rev` (main, or a 40-hex sha) names, or None."""
        return self if rev in ("main", self.sha) else next((c for c in self.history if c.sha == rev), None)

    def commits(self, rev: str) -> list[DatasetRepo]:
        """The history from `rev` back, newest first (what /commits/{rev} lists)."""
        chain = [self, *self.history]
        return chain[[c.sha for c in chain].index(self.at(rev).sha) :]


class FakeHub:
    """The server and its state; use as a context manager (or call close())."""

    def __init__(
        self, models: list[dict] | None = None, datasets: list[DatasetRepo] | None = None, page_size: int = PAGE_SIZE
    ):
        self.models = list(models or [])
        self.datasets = {d.repo_id: d for d in (datasets or [])}
        self.page_size = page_size
        self.requests: list[tuple[str, str, dict]] = []
        self._faults: list[list] = []  # [path prefix, requests to let through first, deque of statuses]
        self.authorizations: list[str | None] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail(self, path_prefix: str, *statuses: int, after: int = 0) -> None:
        """Let `after` requests under `path_prefix` through, then answer the next ones with these statuses."""
        with self._lock:
            self._faults.append([path_prefix, after, deque(statuses)])

    def calls(self, path_prefix: str) -> list[tuple[str, str, dict]]:
        """Logged requests whose path starts with `path_prefix`."""
        return [r for r in self.requests if r[1].startswith(path_prefix)]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _take_fault(self, path: str) -> int | None:
        with self._lock:
            for entry in self._faults:
                if path.startswith(entry[0]) and entry[2]:
                    if entry[1] > 0:
                        entry[1] -= 1
                        continue
                    return entry[2].popleft()
        return None


def ctrl_c_on_request(monkeypatch, hub: FakeHub, path_prefix: str, number: int) -> None:
    """Ctrl-C in a capture, deterministically: once request `number` under `path_prefix` has reached `hub`,
    KeyboardInterrupt is raised in the calling thread, as a real SIGINT would while the answer is on its way.

    Raised in process, at that point, rather than sent from the server thread with `_thread.interrupt_main`:
    that is a no-op wherever SIGINT is ignored (a suite started in the background by a shell, a worker
    process) and otherwise lands wherever the main thread happens to be.
    """
    from opentrends.capture import hub_capture, hub_client

    real_get = hub_client.get

    def get(url: str, params, retry):
        response = real_get(url, params, retry)
        if urllib.parse.urlsplit(url).path.startswith(path_prefix) and len(hub.calls(path_prefix)) == number:
            raise KeyboardInterrupt
        return response

    for module in (hub_client, hub_capture):  # hub_capture imported `get` by name
        monkeypatch.setattr(module, "get", get)


def _select(model: dict, expand: list[str], full: bool) -> dict:
    if full:
        return dict(model)
    keep = ("_id", "id", *expand) if expand else DEFAULT_FIELDS
    return {k: model[k] for k in keep if k in model}


def _sort_key(name: str):
    def key(model: dict):
        value = model.get(name)
        return (value is None, -(value or 0) if isinstance(value, (int, float)) else value or "")

    return key


def _handler_for(hub: FakeHub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10  # seconds a silent client may hold a worker thread

        def log_message(self, *args) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict | None = None, head: bool = False) -> None:
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _json(self, status: int, data, headers: dict | None = None) -> None:
            self._send(status, json.dumps(data).encode(), {"Content-Type": "application/json", **(headers or {})})

        def _not_found(self, code: str, message: str, head: bool = False) -> None:
            self._send(
                404,
                json.dumps({"error": message}).encode(),
                {"Content-Type": "application/json", "X-Error-Code": code, "X-Error-Message": message},
                head,
            )

        def do_HEAD(self) -> None:
            self._route("HEAD")

        def do_GET(self) -> None:
            self._route("GET")

        def _route(self, method: str) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(parsed.path)
            query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
            hub.requests.append((method, path, query))
            hub.authorizations.append(self.headers.get("Authorization"))
            status = hub._take_fault(path)
            if status is not None:
                self._json(status, {"error": f"injected HTTP {status}"})
                return
            parts = [p for p in path.split("/") if p]
            if parts[:2] == ["api", "models"] and len(parts) == 2:
                self._list_models(query, parsed)
            elif parts[:2] == ["api", "models"] and len(parts) >= 4:
                self._model_info("/".join(parts[2:4]), query)
            elif parts[:2] == ["api", "datasets"] and len(parts) == 6 and parts[4] == "commits":
                self._dataset_info("/".join(parts[2:4]), parts[5], commits=True)
            elif parts[:2] == ["api", "datasets"] and len(parts) >= 4:
                rev = parts[5] if len(parts) >= 6 and parts[4] == "revision" else "main"
                self._dataset_info("/".join(parts[2:4]), rev)
            elif parts[:1] == ["datasets"] and len(parts) >= 6 and parts[3] == "resolve":
                self._resolve("/".join(parts[1:3]), parts[4], "/".join(parts[5:]), head=method == "HEAD")
            else:
                self._not_found("EntryNotFound", f"no route {path}", head=method == "HEAD")

        def _list_models(self, query: dict, parsed) -> None:
            def first(k):
                return (query.get(k) or [None])[0]

            found = hub.models
            for tag in query.get("filter", []):
                found = [m for m in found if tag in (m.get("tags") or [])]
            if first("search"):
                found = [m for m in found if first("search").lower() in m["id"].lower()]
            if first("author"):
                found = [m for m in found if m["id"].split("/")[0] == first("author")]
            if first("sort"):
                found = sorted(found, key=_sort_key(first("sort")))  # stable: ties keep the recorded order
            limit = int(first("limit")) if first("limit") else None
            total = len(found) if limit is None else min(limit, len(found))
            start = int(first("cursor") or 0)
            stop = min(start + min(hub.page_size, limit or hub.page_size), total)
            full = (first("full") or "").lower() == "true"
            page = [_select(m, query.get("expand", []), full) for m in found[start:stop]]
            headers = {}
            if stop < total:
                next_query = {k: v for k, v in query.items() if k != "cursor"} | {"cursor": [str(stop)]}
                link = f"{hub.url}{parsed.path}?{urllib.parse.urlencode(next_query, doseq=True)}"
                headers["Link"] = f'<{link}>; rel="next"'
            self._json(200, page, headers)

        def _model_info(self, repo_id: str, query: dict) -> None:
            for model in hub.models:
                if model["id"] == repo_id:
                    self._json(200, _select(model, query.get("expand", []), not query.get("expand")))
                    return
            self._not_found("RepoNotFound", f"Repository not found: {repo_id}")

        def _dataset_info(self, repo_id: str, rev: str, commits: bool = False) -> None:
            repo = hub.datasets.get(repo_id)
            commit = repo.at(rev) if repo is not None else None
            if repo is None:
                self._not_found("RepoNotFound", f"Repository not found: {repo_id}")
            elif commit is None:
                self._not_found("RevisionNotFound", f"Invalid rev id: {rev}")
            elif commits:  # GitCommitInfo's fields, as /api/datasets/{id}/commits/{rev} answers (one page here)
                authors = [{"user": repo_id.split("/")[0], "avatar": None}]
                rows = [
                    {"id": c.sha, "title": "Upload", "message": "", "authors": authors, "date": c.date}
                    for c in repo.commits(rev)
                ]
                self._json(200, rows)
            else:
                self._json(
                    200,
                    {
                        "_id": hashlib.sha1(repo_id.encode()).hexdigest()[:24],
                        "id": repo_id,
                        "author": repo_id.split("/")[0],
                        "sha": commit.sha,
                        "private": False,
                        "gated": False,
                        "disabled": False,
                        "downloads": 0,
                        "likes": 0,
                        "tags": [],
                        "lastModified": commit.date,
                        "createdAt": "2024-01-01T00:00:00.000Z",
                        "siblings": [{"rfilename": name} for name in sorted(commit.files)],
                    },
                )

        def _resolve(self, repo_id: str, rev: str, name: str, head: bool) -> None:
            repo = hub.datasets.get(repo_id)
            if repo is None:
                self._not_found("RepoNotFound", f"Repository not found: {repo_id}", head)
                return
            commit = repo.at(rev)
            if commit is None:
                self._not_found("RevisionNotFound", f"Invalid rev id: {rev}", head)
                return
            if name not in commit.files:
                self._not_found("EntryNotFound", f"{name} does not exist at {rev}", head)
                return
            body = commit.files[name]
            etag = f'"{hashlib.sha256(body).hexdigest()}"'
            headers = {
                "Content-Type": "application/octet-stream",
                "X-Repo-Commit": commit.sha,
                "ETag": etag,
                "X-Linked-Etag": etag,
                "Accept-Ranges": "bytes",
            }
            status = 200
            byte_range = self.headers.get("Range", "")
            if not head and byte_range.startswith("bytes="):
                begin = int(byte_range[6:].split("-")[0] or 0)
                headers["Content-Range"] = f"bytes {begin}-{len(body) - 1}/{len(body)}"
                body, status = body[begin:], 206
            self._send(status, body, headers, head)

    return Handler


# --- recorded responses, built from the mirror's real records -------------------------------------------------


def _registry(*names: str) -> dict:
    """The registry entries of these sources only (so other entries cannot stop the replay tests)."""
    import yaml

    from opentrends.core import paths
    from opentrends.registry.sources import parse_source

    registry = {}
    for name in names:
        path = paths.ROOT / "data" / "sources" / f"{name}.yaml"  # the committed entry, whatever the test's registry
        registry[name] = parse_source(yaml.safe_load(path.read_text(encoding="utf-8")), path)
    return registry


def recorded_file(ref: str, relative_path: str) -> Path:
    """A verified local copy of one file of a registered snapshot (cache, mirror, ...)."""
    from opentrends.data.snapshots import local_file
    from opentrends.registry.sources import parse_ref

    return local_file(ref, relative_path, _registry(parse_ref(ref)[0]))


def top_model_records(day: str = "2026-08-22") -> list[dict]:
    """The models of one daily capture of `hf-hub-top-models`, as the Hub API returned them (recorded order)."""
    path = recorded_file(TOP_REF, f"data/snapshots/{day}.json")
    models = json.loads(path.read_text(encoding="utf-8"))["models"]
    return [{**m, "_id": hashlib.sha1(m["id"].encode()).hexdigest()[:24], "modelId": m["id"]} for m in models]


def hub_time(value: str | None) -> str | None:
    """A recorded ModelInfo datetime ('2025-02-18 00:13:05+00:00') in the Hub API's form ('...T00:13:05.000Z')."""
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def tree_model_records() -> tuple[list[dict], list[dict]]:
    """(API-shaped records of every model in the recorded trees, once each; the raw rows with parsed metadata).

    The `metadata` column is the JSON of huggingface_hub's ModelInfo (snake_case); it is turned back into the
    API's names so that huggingface_hub parses it again. Rows without metadata (deleted models) are skipped.
    """
    from opentrends.registry.sources import get_snapshot

    registry = _registry("hf-model-trees")
    snapshot = get_snapshot(TREES_REF, registry)
    csv.field_size_limit(1 << 30)
    models: dict[str, dict] = {}
    rows = []
    for pinned in snapshot.files:
        path = recorded_file(TREES_REF, pinned.path)
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                try:
                    meta = json.loads(row["metadata"])
                except (json.JSONDecodeError, TypeError):
                    continue
                rows.append({**row, "metadata": meta, "file": pinned.path})
                models.setdefault(
                    meta["id"],
                    {
                        "_id": meta.get("_id") or hashlib.sha1(meta["id"].encode()).hexdigest()[:24],
                        "id": meta["id"],
                        "modelId": meta["id"],
                        "author": meta.get("author"),
                        "sha": meta.get("sha"),
                        "createdAt": hub_time(meta.get("created_at")),
                        "lastModified": hub_time(meta.get("last_modified")),
                        "private": meta.get("private"),
                        "gated": meta.get("gated"),
                        "disabled": meta.get("disabled"),
                        "downloads": meta.get("downloads"),
                        "downloadsAllTime": meta.get("downloads_all_time"),
                        "likes": meta.get("likes"),
                        "library_name": meta.get("library_name"),
                        "pipeline_tag": meta.get("pipeline_tag"),
                        "tags": meta.get("tags"),
                    },
                )
    return list(models.values()), rows
