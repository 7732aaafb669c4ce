"""Hub API captures replayed against a local fake Hub serving the mirror's real recorded records.

huggingface_hub's own client (session, backoff, error mapping) and parser (`ModelInfo`) run against
`tests/hubserver.py` on 127.0.0.1; the capture must give back the recorded ids, likes, dates and tags.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import hubserver
import pytest
import yaml

from conftest import run_cli
from opentrends.capture import hub_capture
from opentrends.capture.hub_capture import HubCaptureError, Retry
from opentrends.cli import hub as cli_hub
from opentrends.core.errors import ParameterError
from opentrends.core.files import sha256_file
from opentrends.data.snapshots import SnapshotError
from opentrends.registry.sources import RegistryError, load_registry

FAST = Retry(tries=5, backoff_base=0.001)  # the backoff schedule, shrunk: 1 ms, 2 ms, 4 ms, ...
PLACEHOLDER = {  # an earlier snapshot, so the private registry parses with or without `snapshots: []` support
    "date": "2000-01-01",
    "files": [{"path": "placeholder.json", "sha256": "0" * 64, "size": 0}],
    "hub": {"repo_id": "org/placeholder", "repo_type": "dataset", "revision": "0" * 40},
}


def _recorded(builder):
    try:
        return builder()
    except SnapshotError as exc:
        # "pinned data ..." like every skip for data that cannot be had here, so the run's one summary line counts it
        pytest.skip(f"pinned data not available here (recorded Hub responses): {str(exc).splitlines()[0]}")


@pytest.fixture(scope="session")
def recorded_top() -> list[dict]:
    """The 529 models of hf-hub-top-models@2026-08-22's last day, as the Hub API returned them."""
    return _recorded(hubserver.top_model_records)


@pytest.fixture(scope="session")
def recorded_trees() -> tuple[list[dict], list[dict]]:
    """Every model of hf-model-trees@2025-04-22 in the API's form, and the recorded rows."""
    return _recorded(hubserver.tree_model_records)


@pytest.fixture
def online(monkeypatch):
    """huggingface_hub read HF_HUB_OFFLINE=1 at import; the captures here talk to 127.0.0.1 only."""
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.delenv("HF_TOKEN", raising=False)


@pytest.fixture
def capture_registry(tmp_path, monkeypatch) -> Path:
    """A private registry holding the two hub-api sources (as committed) and an empty cache."""
    registry = tmp_path / "registry"
    registry.mkdir()
    root = Path(__file__).resolve().parents[1] / "data" / "sources"
    for name in (cli_hub.TOP_SOURCE, cli_hub.TREE_SOURCE):
        data = yaml.safe_load((root / f"{name}.yaml").read_text(encoding="utf-8"))
        data["snapshots"] = [PLACEHOLDER]
        (registry / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("OPENTRENDS_REGISTRY", str(registry))
    monkeypatch.setenv("OPENTRENDS_CACHE", str(tmp_path / "cache"))
    return tmp_path


def _records(snapshot, name: str, cache: Path) -> list[dict]:
    return json.loads((cache / snapshot.source_id / snapshot.date / name).read_text(encoding="utf-8"))


def _leftovers(cache: Path, source_id: str) -> list[str]:
    folder = cache / source_id
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.integration
def test_top_by_likes_reproduces_the_recorded_ranking(recorded_top, online, capture_registry):
    with hubserver.FakeHub(recorded_top) as hub:
        snap = hub_capture.capture_top("likes", 300, "2026-08-23", endpoint=hub.url, retry=FAST)
        pages = hub.calls("/api/models")
    rows = _records(snap, "top-likes.json", capture_registry / "cache")
    # The recorded day lists the top 300 by likes first, in the Hub's order.
    expected = recorded_top[:300]
    assert [r["id"] for r in rows] == [m["id"] for m in expected]
    assert [r["likes"] for r in rows] == [m["likes"] for m in expected]
    assert [r["createdAt"] for r in rows] == [m["createdAt"] for m in expected]
    assert [(r["downloads"], r["pipeline_tag"], r["library_name"]) for r in rows] == [
        (m["downloads"], m["pipeline_tag"], m["library_name"]) for m in expected
    ]
    assert len(pages) == 3  # 300 records over the server's 100-record pages, following Link headers
    assert pages[0][2]["sort"] == ["likes"] and pages[0][2]["direction"] == ["-1"] and pages[0][2]["limit"] == ["300"]
    assert pages[0][2]["expand"] == list(hub_capture.RECORD_FIELDS)


@pytest.mark.integration
def test_top_capture_is_pinned_with_its_query_and_reloads_from_the_registry(recorded_top, online, capture_registry):
    import huggingface_hub

    with hubserver.FakeHub(recorded_top) as hub:
        snap = hub_capture.capture_top(["likes", "downloads"], 50, "2026-08-24", endpoint=hub.url, retry=FAST)
        url = hub.url
    pinned = load_registry()[cli_hub.TOP_SOURCE].snapshot("2026-08-24")
    assert pinned == load_registry()[cli_hub.TOP_SOURCE].snapshot(None) == snap
    assert [f.path for f in pinned.files] == ["capture.json", "top-downloads.json", "top-likes.json"]
    folder = capture_registry / "cache" / cli_hub.TOP_SOURCE / "2026-08-24"
    for f in pinned.files:
        assert sha256_file(folder / f.path) == f.sha256
    meta = json.loads((folder / "capture.json").read_text(encoding="utf-8"))
    assert meta["endpoint"] == url
    assert meta["huggingface_hub_version"] == huggingface_hub.__version__
    assert meta["query"]["sort"] == ["likes", "downloads"] and meta["query"]["limit"] == 50
    assert meta["records"] == {"top-likes.json": 50, "top-downloads.json": 50}
    assert meta["captured_at"].endswith("Z")
    downloads = _records(snap, "top-downloads.json", capture_registry / "cache")
    assert [r["downloads"] for r in downloads] == sorted((m["downloads"] for m in recorded_top), reverse=True)[:50]
    # Records are one a line with sorted keys, so two captures diff line by line.
    lines = (folder / "top-likes.json").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 52 and lines[0] == "[" and lines[-1] == "]"
    assert all(list(json.loads(line.rstrip(","))) == sorted(json.loads(line.rstrip(","))) for line in lines[1:-1])


@pytest.mark.integration
def test_capture_gives_the_same_records_as_list_models(recorded_top, online, capture_registry):
    from huggingface_hub import HfApi

    with hubserver.FakeHub(recorded_top) as hub:
        snap = hub_capture.capture_top("downloads", 300, "2026-08-25", endpoint=hub.url, retry=FAST)
        listed = [
            hub_capture.record(m)
            for m in HfApi(endpoint=hub.url).list_models(
                sort="downloads", limit=300, expand=list(hub_capture.RECORD_FIELDS)
            )
        ]
    assert _records(snap, "top-downloads.json", capture_registry / "cache") == listed
    # The 229 models that made the recorded day only through downloads keep their recorded order.
    only_by_downloads = [m["id"] for m in recorded_top[300:]]
    captured = [r["id"] for r in listed]
    assert [i for i in captured if i in set(only_by_downloads)] == only_by_downloads


@pytest.mark.integration
def test_tree_reproduces_the_recorded_derivatives_ids_likes_dates_tags(recorded_trees, online, capture_registry):
    models, rows = recorded_trees
    root = "deepseek-ai/DeepSeek-R1"
    with hubserver.FakeHub(models) as hub:
        snap = hub_capture.capture_tree(root, "2026-08-23", endpoint=hub.url, retry=FAST)
        filters = [q["filter"][0] for _, _, q in hub.calls("/api/models") if "filter" in q]
    captured = _records(snap, "tree-deepseek-ai--DeepSeek-R1.json", capture_registry / "cache")
    assert sorted(set(filters)) == [f"base_model:{r}:{root}" for r in hub_capture.RELATIONS]
    recorded_file = next(r["file"] for r in rows if r["model_id"] == root and r["depth"] == "0")
    recorded = {r["metadata"]["id"]: r["metadata"] for r in rows if r["file"] == recorded_file and r["depth"] == "1"}
    assert captured[0]["id"] == root and captured[0]["depth"] == 0
    children = {r["id"]: r for r in captured if r["depth"] == 1}
    assert len(children) == 286 and set(children) == set(recorded)
    assert {r["relation"] for r in children.values()} == {"finetune"}  # the recorded trees are finetune trees
    for model_id, meta in recorded.items():
        row = children[model_id]
        assert row["likes"] == meta["likes"], model_id
        assert row["downloads"] == meta["downloads"], model_id
        assert row["tags"] == meta["tags"], model_id
        assert row["createdAt"] == hubserver.hub_time(meta["created_at"]), model_id
        assert row["author"] == meta["author"] and row["parent"] == root


@pytest.mark.integration
def test_tree_depth_two_reproduces_the_recorded_grandchildren(recorded_trees, online, capture_registry):
    models, rows = recorded_trees
    root = "meta-llama/Llama-4-Scout-17B-16E"
    with hubserver.FakeHub(models) as hub:
        snap = hub_capture.capture_tree(root, "2026-08-23", depth=2, endpoint=hub.url, retry=FAST)
    captured = _records(snap, "tree-meta-llama--Llama-4-Scout-17B-16E.json", capture_registry / "cache")
    recorded_file = next(r["file"] for r in rows if r["model_id"] == root and r["depth"] == "0")
    recorded = {
        d: {r["metadata"]["id"] for r in rows if r["file"] == recorded_file and r["depth"] == d} for d in ("1", "2")
    }
    depth1 = {r["id"] for r in captured if r["depth"] == 1}
    depth2 = [r for r in captured if r["depth"] == 2]
    assert depth1 == recorded["1"] and len(depth1) == 12
    assert {r["id"] for r in depth2} == recorded["2"] and len(recorded["2"]) == 6
    # Each grandchild names its depth-1 parent and carries the tag it was found by.
    assert all(r["parent"] in depth1 and f"base_model:{r['relation']}:{r['parent']}" in r["tags"] for r in depth2)


@pytest.mark.integration
def test_http_429_twice_is_retried_with_backoff(recorded_top, online, capture_registry):
    with hubserver.FakeHub(recorded_top) as hub:
        hub.fail("/api/models", 429, 429)
        snap = hub_capture.capture_top("likes", 20, "2026-08-23", endpoint=hub.url, retry=FAST)
        statuses = len(hub.calls("/api/models"))
    assert statuses == 3  # two refusals, then the page
    assert [r["id"] for r in _records(snap, "top-likes.json", capture_registry / "cache")] == [
        m["id"] for m in recorded_top[:20]
    ]


@pytest.mark.integration
def test_http_429_past_the_bound_fails_and_pins_nothing(recorded_top, online, capture_registry):
    with hubserver.FakeHub(recorded_top) as hub:
        hub.fail("/api/models", *[429] * 6)
        with pytest.raises(HubCaptureError, match="429") as err:
            hub_capture.capture_top("likes", 20, "2026-08-23", endpoint=hub.url, retry=FAST)
        tries = len(hub.calls("/api/models"))
    assert tries == 5 and "5 tries" in str(err.value)
    assert load_registry()[cli_hub.TOP_SOURCE].dates == ["2000-01-01"]
    assert _leftovers(capture_registry / "cache", cli_hub.TOP_SOURCE) == []


@pytest.mark.integration
def test_a_failure_mid_capture_pins_nothing_and_leaves_no_folder(recorded_trees, online, capture_registry):
    models, _ = recorded_trees
    with hubserver.FakeHub(models) as hub:
        hub.fail("/api/models", 500, 500, 500, 500, 500, after=2)  # the third listing request fails for good
        with pytest.raises(HubCaptureError, match="HTTP 500"):
            hub_capture.capture_tree("deepseek-ai/DeepSeek-R1", "2026-08-23", endpoint=hub.url, retry=FAST)
    assert load_registry()[cli_hub.TREE_SOURCE].dates == ["2000-01-01"]
    assert _leftovers(capture_registry / "cache", cli_hub.TREE_SOURCE) == []


@pytest.mark.integration
def test_ctrl_c_mid_capture_pins_nothing_and_leaves_no_folder(recorded_trees, online, capture_registry, monkeypatch):
    models, _ = recorded_trees
    with hubserver.FakeHub(models) as hub:
        hubserver.ctrl_c_on_request(monkeypatch, hub, "/api/models", 4)  # Ctrl-C while the fourth page is on its way
        with pytest.raises(KeyboardInterrupt):
            hub_capture.capture_tree("deepseek-ai/DeepSeek-R1", "2026-08-23", endpoint=hub.url, retry=FAST)
        assert len(hub.calls("/api/models")) == 4
    assert load_registry()[cli_hub.TREE_SOURCE].dates == ["2000-01-01"]
    assert _leftovers(capture_registry / "cache", cli_hub.TREE_SOURCE) == []


@pytest.mark.integration
def test_token_comes_from_the_environment_and_is_never_written(recorded_top, online, capture_registry, monkeypatch):
    token = "hf_opentrendsTestToken0123456789"
    monkeypatch.setenv("HF_TOKEN", token)
    with hubserver.FakeHub(recorded_top) as hub:
        snap = hub_capture.capture_top("likes", 5, "2026-08-23", endpoint=hub.url, retry=FAST)
        sent = set(hub.authorizations)
    assert sent == {f"Bearer {token}"}
    folder = capture_registry / "cache" / snap.source_id / snap.date
    written = [p.read_text(encoding="utf-8") for p in folder.iterdir()]
    written += [p.read_text(encoding="utf-8") for p in (capture_registry / "registry").iterdir()]
    assert not any(token in text for text in written)
    assert json.loads((folder / "capture.json").read_text(encoding="utf-8"))["authenticated"] is True


@pytest.mark.integration
def test_without_hf_token_no_stored_login_is_sent(recorded_top, online, capture_registry, monkeypatch, tmp_path):
    stored = tmp_path / "hf-home"
    stored.mkdir()
    (stored / "token").write_text("hf_storedLoginMustNotBeUsed", encoding="utf-8")
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(stored / "token"))
    with hubserver.FakeHub(recorded_top) as hub:
        hub_capture.capture_top("likes", 5, "2026-08-23", endpoint=hub.url, retry=FAST)
        sent = set(hub.authorizations)
    assert sent == {None}


def test_offline_mode_is_refused_with_the_fix(capture_registry, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(HubCaptureError, match="HF_HUB_OFFLINE"):
        hub_capture.capture_top("likes", 5, "2026-08-23")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: hub_capture.capture_top("stars", 5, "2026-08-23"), "likes, downloads"),
        (lambda: hub_capture.capture_top("likes", 0, "2026-08-23"), "--limit"),
        (lambda: hub_capture.capture_top("likes", 5, "23 Aug 2026"), "YYYY-MM-DD"),
        (lambda: hub_capture.capture_tree("DeepSeek-R1", "2026-08-23"), "org/name"),
        (lambda: hub_capture.capture_tree("a/b", "2026-08-23", depth=3), "--depth"),
    ],
    ids=["unknown-sort", "zero-limit", "bad-date", "model-without-org", "depth-3"],
)
def test_bad_requests_name_the_parameter_and_valid_values(call, message, capture_registry):
    with pytest.raises(ParameterError, match=message):
        call()


@pytest.mark.integration
def test_a_pinned_date_is_not_captured_again(recorded_top, online, capture_registry):
    with hubserver.FakeHub(recorded_top) as hub:
        hub_capture.capture_top("likes", 5, "2026-08-23", endpoint=hub.url, retry=FAST)
        with pytest.raises(
            RegistryError, match=r"^hf-hub-api-top@2026-08-23 is already pinned; snapshots are immutable\. "
        ):
            hub_capture.capture_top("likes", 5, "2026-08-23", endpoint=hub.url, retry=FAST)


def test_cli_choices_match_the_library():
    assert cli_hub.SORTS == hub_capture.SORTS
    assert (cli_hub.TOP_SOURCE, cli_hub.TREE_SOURCE) == (hub_capture.TOP_SOURCE, hub_capture.TREE_SOURCE)


@pytest.mark.integration
def test_cli_capture_top_pins_through_hf_endpoint(recorded_top, capture_registry):
    with hubserver.FakeHub(recorded_top) as hub:
        env = {
            "HF_ENDPOINT": hub.url,
            "HF_HUB_OFFLINE": "0",
            "HF_TOKEN": "",
            "OPENTRENDS_REGISTRY": os.environ["OPENTRENDS_REGISTRY"],
            "OPENTRENDS_CACHE": os.environ["OPENTRENDS_CACHE"],
        }
        done = run_cli(
            "hub",
            "capture",
            "top",
            "--sort",
            "likes",
            "--sort",
            "downloads",
            "--limit",
            "10",
            "--date",
            "2026-08-23",
            env=env,
        )
        refused = run_cli("hub", "capture", "top", "--sort", "stars", env=env)
    assert done.returncode == 0, done.stderr
    assert f"pinned {cli_hub.TOP_SOURCE}@2026-08-23" in done.stdout
    assert "2026-08-23" in load_registry()[cli_hub.TOP_SOURCE].dates
    assert refused.returncode == 2 and "invalid choice" in refused.stderr


@pytest.mark.integration
def test_unknown_base_model_is_a_capture_error_naming_it(recorded_top, online, capture_registry):
    refused = pytest.raises(HubCaptureError, match=r"nobody/no-such-model failed with HTTP 404: check the model id")
    with hubserver.FakeHub(recorded_top) as hub, refused:
        hub_capture.capture_tree("nobody/no-such-model", "2026-08-23", endpoint=hub.url, retry=FAST)
    assert _leftovers(capture_registry / "cache", cli_hub.TREE_SOURCE) == []


@pytest.mark.integration
def test_an_unwritable_cache_is_refused_before_any_request(recorded_top, online, capture_registry, monkeypatch):
    blocker = capture_registry / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")  # refused even for root
    monkeypatch.setenv("OPENTRENDS_CACHE", str(blocker / "cache"))
    with hubserver.FakeHub(recorded_top) as hub:
        with pytest.raises(HubCaptureError, match="OPENTRENDS_CACHE"):
            hub_capture.capture_top("likes", 5, "2026-08-23", endpoint=hub.url, retry=FAST)
        assert hub.requests == []
    assert load_registry()[cli_hub.TOP_SOURCE].dates == ["2000-01-01"]
