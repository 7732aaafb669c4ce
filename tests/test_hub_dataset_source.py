"""The whole-Hub source kind: a file of a Hub dataset repo at a 40-hex revision (`hf-hub-stats`).

A local fake Hub (tests/hubserver.py, 127.0.0.1) serves a generated `models.parquet` with the schema of
`cfahlgren1/hub-stats`; huggingface_hub's `HfApi.repo_info` and `hf_hub_download` run unchanged against it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
from pathlib import Path

import hubserver
import pytest
import yaml

from conftest import run_cli
from opentrends.capture import hub_capture
from opentrends.capture.hub_capture import HubCaptureError
from opentrends.core.files import sha256_file
from opentrends.data.snapshots import pin_directory
from opentrends.registry.sources import RegistryError, Source, load_registry
from opentrends.registry.writer import write_snapshot

ROOT = Path(__file__).resolve().parents[1]
REPO = "cfahlgren1/hub-stats"
REVISION = hashlib.sha1(b"hub-stats test revision 1").hexdigest()  # 40 hex, like a git commit
NEXT_REVISION = hashlib.sha1(b"hub-stats test revision 2").hexdigest()
RELATIONS = ("adapter", "finetune", "quantized", "merge")


def models_parquet(rows: int = 400, seed: int = 20251001) -> bytes:
    """A seeded table with the hub-stats `models.parquet` columns; about 28% of rows declare base models."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    authors = ["meta-llama", "deepseek-ai", "Qwen", "google", "mistralai", "unsloth", "TheBloke", "someone"]
    ids = [f"{authors[i % len(authors)]}/model-{i:05d}" for i in range(rows)]
    base_models = []
    for i in range(rows):
        if rng.random() < 0.28 and i > 10:
            relation = RELATIONS[int(rng.integers(len(RELATIONS)))]
            base_models.append({"models": [{"id": ids[int(rng.integers(10))]}], "relation": relation})
        else:
            base_models.append(None)
    created = pa.array(
        (np.datetime64("2022-01-01", "ms") + rng.integers(0, 3 * 365 * 86_400_000, rows).astype("timedelta64[ms]")),
        type=pa.timestamp("ms", tz="UTC"),
    )
    likes = np.floor(rng.pareto(1.2, rows) * 3).astype("int64")  # heavy-tailed, as on the Hub
    table = pa.table(
        {
            "id": pa.array(ids),
            "author": pa.array([i.split("/")[0] for i in ids]),
            "createdAt": created,
            "likes": pa.array(likes),
            "downloads": pa.array(np.floor(rng.pareto(1.1, rows) * 50).astype("int64")),
            "downloadsAllTime": pa.array(np.floor(rng.pareto(1.1, rows) * 500).astype("int64")),
            "tags": pa.array(
                [["transformers", f"license:{'mit' if i % 3 else 'apache-2.0'}"] for i in range(rows)],
                type=pa.list_(pa.string()),
            ),
            "pipeline_tag": pa.array(["text-generation" if i % 4 else None for i in range(rows)], type=pa.string()),
            "library_name": pa.array(["transformers" if i % 5 else "gguf" for i in range(rows)]),
            "baseModels": pa.array(
                base_models,
                type=pa.struct(
                    [
                        ("models", pa.list_(pa.struct([("id", pa.string())]))),
                        ("relation", pa.string()),
                    ]
                ),
            ),
        }
    )
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


@pytest.fixture(scope="module")
def parquet_bytes() -> bytes:
    return models_parquet()


@pytest.fixture
def online(monkeypatch):
    """huggingface_hub read HF_HUB_OFFLINE=1 at import; these tests talk to 127.0.0.1 only."""
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.delenv("HF_TOKEN", raising=False)


@pytest.fixture
def hub(parquet_bytes):
    with hubserver.FakeHub(datasets=[hubserver.DatasetRepo(REPO, REVISION, {"models.parquet": parquet_bytes})]) as h:
        yield h


@pytest.fixture
def stats_source(tmp_path, monkeypatch) -> Source:
    """hf-hub-stats as committed, in a private registry (with a placeholder pin, so today's parser reads it)."""
    registry = tmp_path / "registry"
    registry.mkdir()
    data = yaml.safe_load((ROOT / "data" / "sources" / "hf-hub-stats.yaml").read_text(encoding="utf-8"))
    data["snapshots"] = [
        {
            "date": "2000-01-01",
            "files": [{"path": "models.parquet", "sha256": "0" * 64, "size": 0}],
            "hub": {"repo_id": REPO, "repo_type": "dataset", "revision": "0" * 40},
        }
    ]
    path = registry / "hf-hub-stats.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("OPENTRENDS_REGISTRY", str(registry))
    monkeypatch.setenv("OPENTRENDS_CACHE", str(tmp_path / "cache"))
    return load_registry()["hf-hub-stats"]


def test_registry_entry_declares_the_whole_hub_table():
    data = yaml.safe_load((ROOT / "data" / "sources" / "hf-hub-stats.yaml").read_text(encoding="utf-8"))
    assert data["capture"] == {
        "kind": "hub-dataset",
        "repo_id": REPO,
        "repo_type": "dataset",
        "files": ["models.parquet"],
    }
    assert data["snapshots"] == []  # no revision can be pinned from an offline machine
    assert data["license"]["name"] == "Apache-2.0"
    assert data["url_main"] == "https://huggingface.co/datasets/cfahlgren1/hub-stats"
    committed = Source(
        id=data["id"],
        producer=data["producer"],
        title=data["title"],
        url_main=data["url_main"],
        license=None,
        citation=data["citation"],
        snapshots=(),
        registry_file=ROOT / "data" / "sources" / "hf-hub-stats.yaml",
    )
    assert hub_capture.capture_spec(committed) == hub_capture.CaptureSpec(
        kind="hub-dataset", repo_id=REPO, repo_type="dataset", files=("models.parquet",)
    )


@pytest.mark.integration
def test_capture_resolves_the_current_revision_then_downloads_at_it(hub, parquet_bytes, online, stats_source, tmp_path):
    import pyarrow.parquet as pq

    folder = tmp_path / "cache" / "hf-hub-stats" / "2026-08-23"
    location = hub_capture.capture_dataset(stats_source, "2026-08-23", folder, endpoint=hub.url)
    assert location == hub_capture.HubLocation(repo_id=REPO, revision=REVISION, repo_type="dataset")
    assert (folder / "models.parquet").read_bytes() == parquet_bytes
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == ["models.parquet"]
    assert [p.name for p in folder.parent.iterdir()] == ["2026-08-23"]  # the private download cache is gone
    table = pq.read_table(folder / "models.parquet")
    assert table.num_rows == 400 and table.column_names[:3] == ["id", "author", "createdAt"]
    # The revision is asked for once (no revision: the current one), and the file at that sha, not at `main`.
    assert [path for _, path, _ in hub.calls("/api/datasets")] == [f"/api/datasets/{REPO}"]
    assert {path for _, path, _ in hub.calls("/datasets/")} == {f"/datasets/{REPO}/resolve/{REVISION}/models.parquet"}

    hub.datasets[REPO].sha = NEXT_REVISION  # the repo moved on: the next capture pins the new commit
    again = hub_capture.capture_dataset(stats_source, "2026-08-24", tmp_path / "next", endpoint=hub.url)
    assert again.revision == NEXT_REVISION


@pytest.mark.integration
def test_pinned_revision_is_fetched_with_hf_hub_download_and_tampering_is_refused(
    hub, parquet_bytes, online, stats_source, tmp_path
):
    # What `opentrends update hf-hub-stats` does: capture into a folder, pin it with its Hub location.
    folder = tmp_path / "captured"
    location = hub_capture.capture_dataset(stats_source, "2026-08-23", folder, endpoint=hub.url)
    snapshot = dataclasses.replace(pin_directory(stats_source, "2026-08-23", folder), hub=location)
    write_snapshot(stats_source, snapshot)
    pinned = load_registry()["hf-hub-stats"].snapshot("2026-08-23")
    assert pinned.hub.revision == REVISION and pinned.file("models.parquet").sha256 == sha256_file(
        folder / "models.parquet"
    )

    env = {
        "HF_ENDPOINT": hub.url,
        "HF_HUB_OFFLINE": "0",
        "HF_TOKEN": "",
        "OPENTRENDS_MIRROR": "",
        "HF_HUB_CACHE": str(tmp_path / "hf-cache"),
        "OPENTRENDS_REGISTRY": os.environ["OPENTRENDS_REGISTRY"],
        "OPENTRENDS_CACHE": str(tmp_path / "fresh-cache"),
    }
    done = run_cli("fetch", "hf-hub-stats@2026-08-23", env=env)
    assert done.returncode == 0, done.stderr
    assert "hf-hub-stats@2026-08-23/models.parquet: ok (hub)" in done.stdout
    cached = tmp_path / "fresh-cache" / "hf-hub-stats" / "2026-08-23" / "models.parquet"
    assert cached.read_bytes() == parquet_bytes
    assert {path for _, path, _ in hub.calls("/datasets/")} == {f"/datasets/{REPO}/resolve/{REVISION}/models.parquet"}

    # Same revision, same length, one byte changed: refused on sha256, nothing cached.
    tampered = bytearray(parquet_bytes)
    tampered[len(tampered) // 2] ^= 0xFF
    hub.datasets[REPO].files["models.parquet"] = bytes(tampered)
    env |= {"HF_HUB_CACHE": str(tmp_path / "hf-cache-2"), "OPENTRENDS_CACHE": str(tmp_path / "cache-2")}
    refused = run_cli("fetch", "hf-hub-stats@2026-08-23", env=env)
    assert refused.returncode == 1
    assert "sha256 mismatch" in refused.stderr and "hub:" in refused.stderr
    assert not (tmp_path / "cache-2" / "hf-hub-stats" / "2026-08-23" / "models.parquet").exists()


@pytest.mark.integration
def test_unknown_repo_or_file_is_a_capture_error_naming_it(hub, online, stats_source, tmp_path):
    missing_repo = dataclasses.replace(stats_source)
    hub.datasets.clear()
    with pytest.raises(HubCaptureError, match=REPO):
        hub_capture.capture_dataset(missing_repo, "2026-08-23", tmp_path / "a", endpoint=hub.url)
    hub.datasets[REPO] = hubserver.DatasetRepo(REPO, REVISION, {"other.parquet": b"x"})
    with pytest.raises(HubCaptureError, match="models.parquet"):
        hub_capture.capture_dataset(stats_source, "2026-08-23", tmp_path / "b", endpoint=hub.url)
    assert not any(p.name.startswith(".hub-download") for p in tmp_path.iterdir())


def test_a_source_without_hub_dataset_capture_is_refused(tmp_path):
    registry_file = tmp_path / "plain.yaml"
    registry_file.write_text("id: plain\n", encoding="utf-8")
    plain = Source(
        id="plain",
        producer="p",
        title="t",
        url_main="u",
        license=None,
        citation="c",
        snapshots=(),
        registry_file=registry_file,
    )
    with pytest.raises(RegistryError, match="capture"):
        hub_capture.capture_dataset(plain, "2026-08-23", tmp_path / "x")


def test_generated_table_has_the_hub_stats_shape(parquet_bytes):
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(parquet_bytes))
    assert table.column_names == [
        "id",
        "author",
        "createdAt",
        "likes",
        "downloads",
        "downloadsAllTime",
        "tags",
        "pipeline_tag",
        "library_name",
        "baseModels",
    ]
    with_base = sum(v is not None for v in table.column("baseModels").to_pylist())
    assert 0.2 < with_base / table.num_rows < 0.36  # about 28%, as in the October 2025 table


def _registry_knows_capture_kinds() -> bool:
    from opentrends.registry.sources import parse_source

    path = ROOT / "data" / "sources" / "hf-hub-stats.yaml"
    try:
        parse_source(yaml.safe_load(path.read_text(encoding="utf-8")), path)
    except RegistryError:
        return False
    return True


needs_capture_kinds = pytest.mark.skipif(
    not _registry_knows_capture_kinds(),
    reason="this registry parser refuses `capture:` sources with `snapshots: []` (capture kinds not merged yet)",
)
# The week of DeepSeek-R1 (2025-01-20): an old hub-stats commit, and the repo's current one much later.
OLD_COMMIT = "2025-01-25T06:12:34.000Z"
NEW_COMMIT = "2026-11-28T05:00:00.000Z"


@pytest.fixture
def two_revisions(parquet_bytes):
    """hub-stats with two commits: REVISION (2025-01-25, 300 rows) under NEXT_REVISION (current, 400 rows)."""
    old = hubserver.DatasetRepo(REPO, REVISION, {"models.parquet": models_parquet(rows=300)}, date=OLD_COMMIT)
    current = hubserver.DatasetRepo(
        REPO, NEXT_REVISION, {"models.parquet": parquet_bytes}, date=NEW_COMMIT, history=[old]
    )
    with hubserver.FakeHub(datasets=[current]) as h:
        yield h


def update_env(hub, tmp_path) -> tuple[dict, Path]:
    """A private registry holding hf-hub-stats as committed, and the environment pointing the CLI at `hub`."""
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "hf-hub-stats.yaml").write_bytes((ROOT / "data" / "sources" / "hf-hub-stats.yaml").read_bytes())
    env = {
        "HF_ENDPOINT": hub.url,
        "HF_HUB_OFFLINE": "0",
        "HF_TOKEN": "",
        "OPENTRENDS_MIRROR": "",
        "HF_HUB_CACHE": str(tmp_path / "hf-cache"),
        "OPENTRENDS_REGISTRY": str(registry),
        "OPENTRENDS_CACHE": str(tmp_path / "cache"),
    }
    return env, registry


@pytest.mark.integration
@needs_capture_kinds
def test_update_dates_the_current_revision_by_its_commit(two_revisions, parquet_bytes, tmp_path):
    env, registry = update_env(two_revisions, tmp_path)
    done = run_cli("update", "hf-hub-stats", env=env)  # no --date: the commit's UTC day, not today
    assert done.returncode == 0, done.stderr
    assert "hf-hub-stats@2026-11-28" in done.stdout
    source = load_registry(registry)["hf-hub-stats"]
    assert list(source.dates) == ["2026-11-28"]
    pinned = source.snapshot("2026-11-28")
    assert pinned.hub.repo_id == REPO and pinned.hub.revision == NEXT_REVISION
    assert pinned.file("models.parquet").sha256 == hashlib.sha256(parquet_bytes).hexdigest()
    assert "committed 2026-11-28T05:00:00Z" in pinned.note
    assert (tmp_path / "cache" / "hf-hub-stats" / "2026-11-28" / "models.parquet").read_bytes() == parquet_bytes
    # The commit was read with list_repo_commits at the resolved sha; the file downloaded at that sha.
    assert [p for _, p, _ in two_revisions.calls("/api/datasets/")] == [
        f"/api/datasets/{REPO}",
        f"/api/datasets/{REPO}/commits/{NEXT_REVISION}",
    ]
    assert {p for _, p, _ in two_revisions.calls("/datasets/")} == {
        f"/datasets/{REPO}/resolve/{NEXT_REVISION}/models.parquet"
    }

    # The matching --date is accepted; the same revision again is already pinned.
    again = run_cli("update", "hf-hub-stats", "--date", "2026-11-28", env=env)
    assert again.returncode == 1 and "already pinned" in again.stderr


@pytest.mark.integration
@needs_capture_kinds
def test_update_pins_an_old_revision_with_its_bytes_and_commit_date(two_revisions, tmp_path):
    env, registry = update_env(two_revisions, tmp_path)
    done = run_cli("update", "hf-hub-stats", "--revision", REVISION, env=env)
    assert done.returncode == 0, done.stderr
    assert "hf-hub-stats@2025-01-25" in done.stdout
    pinned = load_registry(registry)["hf-hub-stats"].snapshot("2025-01-25")
    old_bytes = models_parquet(rows=300)
    assert pinned.hub.revision == REVISION
    assert pinned.file("models.parquet").sha256 == hashlib.sha256(old_bytes).hexdigest()
    assert pinned.file("models.parquet").size == len(old_bytes)
    assert "committed 2025-01-25T06:12:34Z" in pinned.note
    assert (tmp_path / "cache" / "hf-hub-stats" / "2025-01-25" / "models.parquet").read_bytes() == old_bytes
    assert {p for _, p, _ in two_revisions.calls("/datasets/")} == {
        f"/datasets/{REPO}/resolve/{REVISION}/models.parquet"
    }

    # What a claim then fetches is the old revision's bytes, from the Hub, sha256-checked.
    env |= {"OPENTRENDS_CACHE": str(tmp_path / "fresh"), "HF_HUB_CACHE": str(tmp_path / "hf-cache-2")}
    fetched = run_cli("fetch", "hf-hub-stats@2025-01-25", env=env)
    assert fetched.returncode == 0, fetched.stderr
    assert (tmp_path / "fresh" / "hf-hub-stats" / "2025-01-25" / "models.parquet").read_bytes() == old_bytes


@pytest.mark.integration
@needs_capture_kinds
@pytest.mark.parametrize(
    ("args", "day"),
    [
        (("--revision", REVISION, "--date", "2025-01-20"), "2025-01-25"),  # the old revision is not of that day
        (("--date", "2025-01-25"), "2026-11-28"),  # the current revision labelled as a past day
    ],
)
def test_a_date_that_disagrees_with_the_revision_is_refused_and_nothing_is_pinned(two_revisions, tmp_path, args, day):
    env, registry = update_env(two_revisions, tmp_path)
    before = (registry / "hf-hub-stats.yaml").read_bytes()
    refused = run_cli("update", "hf-hub-stats", *args, env=env)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "disagrees with the revision" in refused.stderr
    assert f"({day}, UTC)" in refused.stderr and f"hf-hub-stats@{day}" in refused.stderr
    assert "list_repo_commits('cfahlgren1/hub-stats'" in refused.stderr
    assert (registry / "hf-hub-stats.yaml").read_bytes() == before
    assert not two_revisions.calls("/datasets/")  # nothing downloaded
    assert not any((tmp_path / "cache").rglob("*.parquet"))


@pytest.mark.integration
@needs_capture_kinds
@pytest.mark.parametrize("revision", ["main", REVISION[:12], REVISION.upper(), REVISION + "0"])
def test_a_revision_that_is_not_40_hex_is_refused_before_any_request(two_revisions, tmp_path, revision):
    env, registry = update_env(two_revisions, tmp_path)
    before = (registry / "hf-hub-stats.yaml").read_bytes()
    refused = run_cli("update", "hf-hub-stats", "--revision", revision, env=env)
    assert refused.returncode == 2 and "--revision must be a full 40-hex commit sha" in refused.stderr
    assert not two_revisions.requests
    assert (registry / "hf-hub-stats.yaml").read_bytes() == before


@pytest.mark.integration
@needs_capture_kinds
def test_a_revision_the_repo_does_not_have_is_a_capture_error(two_revisions, tmp_path):
    env, registry = update_env(two_revisions, tmp_path)
    before = (registry / "hf-hub-stats.yaml").read_bytes()
    unknown = hashlib.sha1(b"no such commit").hexdigest()
    refused = run_cli("update", "hf-hub-stats", "--revision", unknown, env=env)
    assert refused.returncode == 1 and unknown in refused.stderr and "nothing was pinned" in refused.stderr
    assert (registry / "hf-hub-stats.yaml").read_bytes() == before
