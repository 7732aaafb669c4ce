"""Snapshot resolution against real bytes: mirror, a real huggingface_hub offline cache, a real local HTTP server.

No test here reaches the internet: upstream URLs in the private registry copy point at 127.0.0.1.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from opentrends import snapshots
from opentrends.sources import load_registry

CLOSED_PORT_URL = "http://127.0.0.1:9/unreachable"  # discard port: connection refused at once


def rewrite_registry(registry: Path, source_id: str, edit) -> None:
    path = registry / f"{source_id}.yaml"
    data = yaml.safe_load(path.read_text())
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def point_urls_at(registry: Path, source_id: str, base: str) -> None:
    def edit(data):
        for snap in data["snapshots"]:
            for f in snap["files"]:
                f["url"] = f"{base}/{f['path']}"
        for d in data.get("download", []):
            d["url"] = f"{base}/{d['path']}"

    rewrite_registry(registry, source_id, edit)


def copy_snapshot(mirror_root: Path, ref: str, target_mirror: Path) -> Path:
    source_id, date = ref.split("@")
    dest = target_mirror / source_id / date
    shutil.copytree(mirror_root / source_id / date, dest)
    for p in dest.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)
    return dest


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves files; paths under /truncated/ announce the full length but send half and hang up."""

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        if self.path.startswith("/truncated/"):
            body = Path(self.directory, self.path.removeprefix("/truncated/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture
def http_server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# --- mirror ---------------------------------------------------------------------------------------


def test_fetch_from_mirror_verifies_and_caches(isolated, mirror_root, monkeypatch):
    mirror = isolated / "mirror"
    copy_snapshot(mirror_root, "ecosystem-graphs@2025-01-24", mirror)
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))
    report = snapshots.fetch("ecosystem-graphs@2025-01-24")
    assert report.origins == {"all_assets.csv": "mirror"}
    cached = isolated / "cache" / "ecosystem-graphs" / "2025-01-24" / "all_assets.csv"
    assert report.files["all_assets.csv"] == cached
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == load_registry()["ecosystem-graphs"].snapshots[0].files[0].sha256
    # second time: from the cache, even with the mirror gone
    shutil.rmtree(mirror)
    assert snapshots.fetch("ecosystem-graphs@2025-01-24").origins == {"all_assets.csv": "cache"}


def test_tampered_mirror_file_is_refused_with_both_hashes(isolated, mirror_root):
    mirror = isolated / "mirror"
    folder = copy_snapshot(mirror_root, "epoch-ai-models@2026-03-30", mirror)
    with open(folder / "all_ai_models.csv", "ab") as handle:
        handle.write(b"x")
    point_urls_at(isolated / "registry", "epoch-ai-models", CLOSED_PORT_URL)
    pinned = load_registry()["epoch-ai-models"].snapshot("2026-03-30").file("all_ai_models.csv")
    actual = hashlib.sha256((folder / "all_ai_models.csv").read_bytes()).hexdigest()

    result = run_cli("fetch", "epoch-ai-models@2026-03-30", env={"OPENTRENDS_MIRROR": str(mirror), "HF_HUB_OFFLINE": "1"})

    assert result.returncode != 0
    assert "sha256 mismatch" in result.stderr
    assert pinned.sha256 in result.stderr and actual in result.stderr
    assert "all_ai_models.csv" in result.stderr
    assert not (isolated / "cache" / "epoch-ai-models" / "2026-03-30" / "all_ai_models.csv").exists()
    leftovers = [p.name for p in (isolated / "cache").rglob("*") if p.name.endswith(".part")]
    assert leftovers == []


def test_truncated_mirror_file_says_truncated(isolated, mirror_root, monkeypatch):
    mirror = isolated / "mirror"
    folder = copy_snapshot(mirror_root, "ecosystem-graphs@2025-01-24", mirror)
    data = (folder / "all_assets.csv").read_bytes()
    (folder / "all_assets.csv").write_bytes(data[:1000])
    point_urls_at(isolated / "registry", "ecosystem-graphs", CLOSED_PORT_URL)
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))
    with pytest.raises(snapshots.ChecksumError) as err:
        snapshots.fetch("ecosystem-graphs@2025-01-24")
    assert f"truncated: 1000 of {len(data)} bytes" in str(err.value)
    assert not (isolated / "cache" / "ecosystem-graphs").exists() or not any((isolated / "cache" / "ecosystem-graphs").rglob("*.csv"))


def test_corrupt_cache_copy_is_replaced_from_the_mirror(isolated, mirror_root, monkeypatch):
    mirror = isolated / "mirror"
    copy_snapshot(mirror_root, "ecosystem-graphs@2025-01-24", mirror)
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))
    cached = snapshots.fetch("ecosystem-graphs@2025-01-24").files["all_assets.csv"]
    cached.write_bytes(b"garbage")
    report = snapshots.fetch("ecosystem-graphs@2025-01-24")
    assert report.origins["all_assets.csv"] == "mirror"
    assert cached.stat().st_size == load_registry()["ecosystem-graphs"].snapshots[0].files[0].size


def test_no_mirror_and_no_network_lists_every_place_tried(isolated, monkeypatch):
    monkeypatch.delenv("OPENTRENDS_MIRROR", raising=False)
    point_urls_at(isolated / "registry", "ecosystem-graphs", CLOSED_PORT_URL)
    result = run_cli("fetch", "ecosystem-graphs@2025-01-24", env={"HF_HUB_OFFLINE": "1"})
    assert result.returncode == 1
    for place in ("- cache: not there", "- mirror: OPENTRENDS_MIRROR is not set",
                  "- hub: no Hub location registered", "- url: download of http://127.0.0.1:9/"):
        assert place in result.stderr
    assert "Fix: set OPENTRENDS_MIRROR" in result.stderr


def test_unknown_source_and_date_on_the_command_line(isolated):
    result = run_cli("fetch", "nope@2020-01-01")
    assert result.returncode == 2 and "Known sources:" in result.stderr
    result = run_cli("fetch", "ecosystem-graphs@2020-01-01")
    assert result.returncode == 2 and "Known dates: 2025-01-24" in result.stderr


# --- Hugging Face Hub (real huggingface_hub, offline cache layout) --------------------------------


def build_hub_cache(hub_cache: Path, repo_id: str, revision: str, files: dict[str, bytes]) -> None:
    """Lay out files the way huggingface_hub caches a dataset repo (blobs + snapshot symlinks + refs/main)."""
    repo_dir = hub_cache / f"datasets--{repo_id.replace('/', '--')}"
    (repo_dir / "refs").mkdir(parents=True)
    (repo_dir / "refs" / "main").write_text(revision)  # no trailing newline, as the library writes it
    for name, data in files.items():
        blob = repo_dir / "blobs" / hashlib.sha256(data).hexdigest()
        blob.parent.mkdir(parents=True, exist_ok=True)
        blob.write_bytes(data)
        link = repo_dir / "snapshots" / revision / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(Path(*[".."] * (len(Path(name).parts) + 1), "blobs", blob.name))


REVISION = "0123456789abcdef0123456789abcdef01234567"
HUB_FILE = "ecosystem-graphs/2025-01-24/all_assets.csv"


def fetch_through_hub(isolated, served: bytes, pinned_revision: str = REVISION):
    """Cache `served` as the Hub repo's file at REVISION, pin the snapshot to `pinned_revision`, run `fetch`."""
    hub_cache = isolated / "hf"
    build_hub_cache(hub_cache, "opentrends/snapshots", REVISION, {HUB_FILE: served})

    def edit(doc):
        doc["snapshots"][0]["hub"] = {"repo_id": "opentrends/snapshots", "repo_type": "dataset",
                                      "revision": pinned_revision, "path_in_repo": "ecosystem-graphs/2025-01-24"}
        doc["snapshots"][0]["files"][0]["url"] = CLOSED_PORT_URL

    rewrite_registry(isolated / "registry", "ecosystem-graphs", edit)
    return run_cli("fetch", "ecosystem-graphs@2025-01-24",
                   env={"HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(hub_cache), "OPENTRENDS_MIRROR": ""})


def test_snapshot_resolves_through_huggingface_hub_offline(isolated, mirror_root):
    data = (mirror_root / HUB_FILE).read_bytes()
    result = fetch_through_hub(isolated, data)
    assert result.returncode == 0, result.stderr
    assert "all_assets.csv: ok (hub)" in result.stdout
    cached = isolated / "cache" / "ecosystem-graphs" / "2025-01-24" / "all_assets.csv"
    assert cached.read_bytes() == data and not cached.is_symlink()


def test_hub_revision_not_in_cache_is_reported(isolated, mirror_root):
    result = fetch_through_hub(isolated, (mirror_root / HUB_FILE).read_bytes(), pinned_revision="f" * 40)
    assert result.returncode == 1
    assert "- hub: LocalEntryNotFoundError" in result.stderr
    assert "HF_HUB_OFFLINE=1" in result.stderr


def test_tampered_hub_blob_is_refused(isolated, mirror_root):
    result = fetch_through_hub(isolated, (mirror_root / HUB_FILE).read_bytes() + b"\n")
    assert result.returncode == 1
    assert "- hub: sha256 mismatch" in result.stderr


# --- upstream URL and update (real downloads from 127.0.0.1) --------------------------------------


def test_fetch_downloads_from_upstream_url(isolated, mirror_root, http_server, monkeypatch):
    www, base = http_server
    shutil.copy(mirror_root / "ecosystem-graphs" / "2025-01-24" / "all_assets.csv", www / "all_assets.csv")
    point_urls_at(isolated / "registry", "ecosystem-graphs", base)
    monkeypatch.delenv("OPENTRENDS_MIRROR", raising=False)
    report = snapshots.fetch("ecosystem-graphs@2025-01-24")
    assert report.origins == {"all_assets.csv": "url"}


def test_changed_upstream_file_is_refused_with_advice(isolated, mirror_root, http_server, monkeypatch):
    www, base = http_server
    data = (mirror_root / "ecosystem-graphs" / "2025-01-24" / "all_assets.csv").read_bytes()
    (www / "all_assets.csv").write_bytes(data.replace(b"open", b"closed", 1))
    point_urls_at(isolated / "registry", "ecosystem-graphs", base)
    monkeypatch.delenv("OPENTRENDS_MIRROR", raising=False)
    with pytest.raises(snapshots.ChecksumError) as err:
        snapshots.fetch("ecosystem-graphs@2025-01-24")
    assert "upstream has probably changed" in str(err.value)
    assert list((isolated / "cache").rglob("*.csv")) == []


def test_interrupted_download_leaves_no_partial_file(isolated, mirror_root, http_server, monkeypatch):
    www, base = http_server
    shutil.copy(mirror_root / "ecosystem-graphs" / "2025-01-24" / "all_assets.csv", www / "all_assets.csv")
    point_urls_at(isolated / "registry", "ecosystem-graphs", f"{base}/truncated")
    monkeypatch.delenv("OPENTRENDS_MIRROR", raising=False)
    with pytest.raises(snapshots.SnapshotError) as err:
        snapshots.fetch("ecosystem-graphs@2025-01-24")
    assert "interrupted after" in str(err.value) and "no partial file" in str(err.value)
    assert [p for p in (isolated / "cache").rglob("*") if p.is_file()] == []


def test_update_pins_a_new_snapshot_and_reports_what_changed(isolated, mirror_root, http_server, monkeypatch):
    www, base = http_server
    old = copy_snapshot(mirror_root, "epoch-ai-models@2026-07-19", isolated / "mirror")
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(isolated / "mirror"))
    import pandas as pd

    table = pd.read_csv(old / "notable_ai_models.csv", dtype=str, keep_default_na=False)
    table.loc[0, "Model accessibility"] = "API access" if table.loc[0, "Model accessibility"] != "API access" else "Unreleased"
    table = table.drop(index=1)
    extra = table.iloc[[0]].assign(Model="Brand New Model 9000")
    pd.concat([table, extra]).to_csv(www / "notable_ai_models.csv", index=False)

    def edit(doc):
        doc["download"] = [{"path": "notable_ai_models.csv", "url": f"{base}/notable_ai_models.csv"}]

    rewrite_registry(isolated / "registry", "epoch-ai-models", edit)
    result = run_cli("update", "epoch-ai-models", "--date", "2026-11-29", env={"OPENTRENDS_MIRROR": str(isolated / "mirror")})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "epoch-ai-models@2026-11-29 (previous: epoch-ai-models@2026-07-19)" in out
    assert "notable_ai_models.csv: changed" in out
    assert "added 1, removed 1" in out
    assert "changed Model accessibility: 1 rows" in out

    snap = load_registry()["epoch-ai-models"].snapshot("2026-11-29")
    served = (www / "notable_ai_models.csv").read_bytes()
    assert snap.files[0].sha256 == hashlib.sha256(served).hexdigest()
    assert snap.files[0].url == f"{base}/notable_ai_models.csv"
    assert snapshots.fetch("epoch-ai-models@2026-11-29").origins == {"notable_ai_models.csv": "cache"}


def test_update_with_unchanged_upstream_pins_nothing(isolated, mirror_root, http_server, monkeypatch):
    www, base = http_server
    copy_snapshot(mirror_root, "ecosystem-graphs@2025-01-24", isolated / "mirror")
    shutil.copy(mirror_root / "ecosystem-graphs" / "2025-01-24" / "all_assets.csv", www / "all_assets.csv")
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(isolated / "mirror"))
    point_urls_at(isolated / "registry", "ecosystem-graphs", base)
    report = snapshots.update("ecosystem-graphs", date="2026-11-29")
    assert report.pinned is False and report.file_changes == [("all_assets.csv", "unchanged")]
    assert load_registry()["ecosystem-graphs"].dates == ["2025-01-24"]
    assert not (isolated / "cache" / "ecosystem-graphs" / "2026-11-29").exists()


def test_interrupted_update_pins_nothing_and_keeps_no_file(isolated, mirror_root, http_server):
    www, base = http_server
    shutil.copy(mirror_root / "ecosystem-graphs" / "2025-01-24" / "all_assets.csv", www / "all_assets.csv")
    point_urls_at(isolated / "registry", "ecosystem-graphs", f"{base}/truncated")
    with pytest.raises(snapshots.SnapshotError):
        snapshots.update("ecosystem-graphs", date="2026-11-29")
    assert load_registry()["ecosystem-graphs"].dates == ["2025-01-24"]
    assert not (isolated / "cache" / "ecosystem-graphs" / "2026-11-29").exists()


# --- push (the upload itself needs the network; everything around it is tested) ------------------


def test_push_without_token_is_refused(isolated, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    result = run_cli("snapshot", "push", "ecosystem-graphs@2025-01-24", "--repo-id", "org/name")
    assert result.returncode == 1 and "HF_TOKEN is not set" in result.stderr


def test_push_uploads_only_verified_files_and_pins_the_commit(isolated, mirror_root, monkeypatch):
    copy_snapshot(mirror_root, "ecosystem-graphs@2025-01-24", isolated / "mirror")
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(isolated / "mirror"))
    monkeypatch.setenv("HF_TOKEN", "hf_test")
    calls = []

    def upload(folder, repo_id, path_in_repo, allow, message, token):
        calls.append((sorted(p.name for p in folder.iterdir()), repo_id, path_in_repo, allow, token))
        return REVISION

    pinned = snapshots.push("ecosystem-graphs@2025-01-24", "opentrends/snapshots", uploader=upload)
    assert calls == [(["all_assets.csv"], "opentrends/snapshots", "ecosystem-graphs/2025-01-24", ["all_assets.csv"], "hf_test")]
    hub = load_registry()["ecosystem-graphs"].snapshot("2025-01-24").hub
    assert hub == pinned.hub and hub.revision == REVISION and hub.path_in_repo == "ecosystem-graphs/2025-01-24"


def test_push_refuses_a_non_commit_answer(isolated, mirror_root, monkeypatch):
    copy_snapshot(mirror_root, "ecosystem-graphs@2025-01-24", isolated / "mirror")
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(isolated / "mirror"))
    monkeypatch.setenv("HF_TOKEN", "hf_test")
    with pytest.raises(snapshots.SnapshotError, match="40-hex"):
        snapshots.push("ecosystem-graphs@2025-01-24", "o/n", uploader=lambda *a: "main")
    assert load_registry()["ecosystem-graphs"].snapshot("2025-01-24").hub is None
