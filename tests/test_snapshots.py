"""Snapshot resolution against real bytes: mirror, a real huggingface_hub offline cache, a real local HTTP server.

No test here reaches the internet: the registered upstream URLs are kept as they are and the fetcher is pointed
at a server on 127.0.0.1 with OPENTRENDS_URL_HOST_OVERRIDE (same download code, only the host differs).
"""

from __future__ import annotations

import hashlib
import http.server
import os
import shutil
import threading
import urllib.parse
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_cli
from opentrends.capture import update
from opentrends.core.errors import UsageError
from opentrends.data import availability, snapshots
from opentrends.registry.sources import PinnedFile, load_registry

CLOSED_HOST = "http://127.0.0.1:9"  # discard port: connection refused at once
OVERRIDE = "OPENTRENDS_URL_HOST_OVERRIDE"


def rewrite_registry(registry: Path, source_id: str, edit) -> None:
    path = registry / f"{source_id}.yaml"
    data = yaml.safe_load(path.read_text())
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def keep_only(registry: Path, *source_ids: str) -> None:
    """Drop every other source from a private registry copy (keeps `verify` runs small)."""
    for path in registry.glob("*.yaml"):
        if path.stem not in source_ids:
            path.unlink()


def copy_snapshot(mirror_root: Path, ref: str, target_mirror: Path) -> Path:
    source_id, date = ref.split("@")
    dest = target_mirror / source_id / date
    shutil.copytree(mirror_root / source_id / date, dest)
    for p in dest.rglob("*"):
        p.chmod(0o644 if p.is_file() else 0o755)
    return dest


def url_path(url: str) -> str:
    """The decoded path of a registered URL: what a server sees after unquoting."""
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path)


class Upstream:
    """A local HTTP server: `routes` maps decoded URL paths to bytes; under /truncated/ it sends half and hangs up."""

    def __init__(self):
        self.routes: dict[str, bytes] = {}
        routes = self.routes

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
                truncated = path.startswith("/truncated/")
                body = routes.get(path.removeprefix("/truncated") if truncated else path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if truncated else body)
                self.close_connection = truncated

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, url: str, body: bytes) -> None:
        self.routes[url_path(url)] = body

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def upstream():
    server = Upstream()
    yield server
    server.close()


ECO = "ecosystem-graphs@2025-01-24"


def eco_pin() -> PinnedFile:
    return load_registry()["ecosystem-graphs"].snapshot("2025-01-24").file("all_assets.csv")


# --- mirror ---------------------------------------------------------------------------------------


def test_fetch_from_mirror_verifies_and_caches(isolated, mirror_root, monkeypatch):
    mirror = isolated / "mirror"
    copy_snapshot(mirror_root, ECO, mirror)
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))
    report = snapshots.fetch(ECO)
    assert report.origins == {"all_assets.csv": "mirror"}
    cached = isolated / "cache" / "ecosystem-graphs" / "2025-01-24" / "all_assets.csv"
    assert report.files["all_assets.csv"] == cached
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == eco_pin().sha256
    # second time: from the cache, even with the mirror gone
    shutil.rmtree(mirror)
    assert snapshots.fetch(ECO).origins == {"all_assets.csv": "cache"}


def test_tampered_mirror_file_is_refused_with_both_hashes_and_called_damaged(isolated, mirror_root):
    mirror = isolated / "mirror"
    folder = copy_snapshot(mirror_root, "epoch-ai-models@2026-03-30", mirror)
    with open(folder / "all_ai_models.csv", "ab") as handle:
        handle.write(b"x")
    pinned = load_registry()["epoch-ai-models"].snapshot("2026-03-30").file("all_ai_models.csv")
    actual = hashlib.sha256((folder / "all_ai_models.csv").read_bytes()).hexdigest()

    result = run_cli(
        "fetch",
        "epoch-ai-models@2026-03-30",
        env={"OPENTRENDS_MIRROR": str(mirror), "HF_HUB_OFFLINE": "1", OVERRIDE: CLOSED_HOST},
    )

    assert result.returncode != 0
    assert "sha256 mismatch" in result.stderr
    assert pinned.sha256 in result.stderr and actual in result.stderr
    assert "all_ai_models.csv" in result.stderr
    assert f"Fix: the mirror copy {(folder / 'all_ai_models.csv').as_posix()} is damaged" in result.stderr
    assert "export OPENTRENDS_MIRROR" not in result.stderr  # it is set; the advice must fit
    assert "Traceback" not in result.stderr
    assert not (isolated / "cache" / "epoch-ai-models" / "2026-03-30" / "all_ai_models.csv").exists()
    leftovers = [p.name for p in (isolated / "cache").rglob("*") if p.name.endswith(".part")]
    assert leftovers == []


def test_shorter_mirror_file_without_a_verified_copy_is_shorter_than_pinned(isolated, mirror_root, monkeypatch):
    mirror = isolated / "mirror"
    folder = copy_snapshot(mirror_root, ECO, mirror)
    data = (folder / "all_assets.csv").read_bytes()
    (folder / "all_assets.csv").write_bytes(data[:1000])
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))
    monkeypatch.setenv(OVERRIDE, CLOSED_HOST)
    with pytest.raises(snapshots.ChecksumError) as err:
        snapshots.fetch(ECO)
    assert f"shorter than pinned: 1000 of {len(data)} bytes" in str(err.value)
    assert "truncated" not in str(err.value)
    assert not any((isolated / "cache").rglob("*.csv"))


def test_shorter_bytes_are_truncated_only_when_a_prefix_of_the_verified_copy(tmp_path, mirror_root):
    good = mirror_root / "ecosystem-graphs" / "2025-01-24" / "all_assets.csv"
    data = good.read_bytes()
    pinned = PinnedFile("all_assets.csv", hashlib.sha256(data).hexdigest(), len(data))
    prefix, edited = tmp_path / "prefix.csv", tmp_path / "edited.csv"
    prefix.write_bytes(data[:1000])
    edited.write_bytes(data[:499] + b"#" + data[500:1000])  # same length as the prefix, one byte changed

    assert snapshots.check_bytes(good, pinned) is None
    assert f"(truncated: 1000 of {len(data)} bytes" in snapshots.check_bytes(prefix, pinned, reference=good)
    assert f"(edited: 1000 of {len(data)} bytes" in snapshots.check_bytes(edited, pinned, reference=good)
    assert f"(shorter than pinned: 1000 of {len(data)} bytes)" in snapshots.check_bytes(edited, pinned)


def test_corrupt_cache_copy_is_replaced_from_the_mirror(isolated, mirror_root, monkeypatch):
    mirror = isolated / "mirror"
    copy_snapshot(mirror_root, ECO, mirror)
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))
    cached = snapshots.fetch(ECO).files["all_assets.csv"]
    cached.write_bytes(b"garbage")
    report = snapshots.fetch(ECO)
    assert report.origins["all_assets.csv"] == "mirror"
    assert cached.stat().st_size == eco_pin().size


def test_no_mirror_and_no_network_lists_every_place_tried(isolated, monkeypatch):
    monkeypatch.delenv("OPENTRENDS_MIRROR", raising=False)
    result = run_cli("fetch", ECO, env={"HF_HUB_OFFLINE": "1", OVERRIDE: CLOSED_HOST})
    assert result.returncode == 1
    first, fix = result.stderr.splitlines()
    assert first.startswith(f"error: Could not get {ECO}/all_assets.csv")
    for place in (
        "Tried cache: not there; ",
        "mirror: OPENTRENDS_MIRROR is not set; ",
        "hub: no Hub location registered",
        "url: download of http://127.0.0.1:9/",
    ):
        assert place in first
    assert first.endswith("connection refused")  # the reason, not only "Tried:"
    assert fix.startswith("Fix: export OPENTRENDS_MIRROR=/abs/path/to/snapshots")


def test_the_error_carries_reasons_fix_and_url_and_its_class_comes_from_the_outcomes(
    isolated, mirror_root, monkeypatch
):
    monkeypatch.setenv(OVERRIDE, CLOSED_HOST)
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(isolated / "no-such-mirror"))
    with pytest.raises(snapshots.SnapshotError) as err:
        snapshots.fetch(ECO)
    assert type(err.value) is snapshots.SnapshotError  # no place held wrong bytes: not a ChecksumError
    assert err.value.reasons.startswith(
        f"cache: not there; mirror: mirror folder {(isolated / 'no-such-mirror').as_posix()} does not exist; "
    )
    assert err.value.fix.startswith("Fix: OPENTRENDS_MIRROR names ")
    assert err.value.url == (
        f"{CLOSED_HOST}/stanford-crfm/ecosystem-graphs/576655a544c974e91b7ca02e26cf7ba4c8347516/resources/all_assets.csv"
    )

    folder = copy_snapshot(mirror_root, ECO, isolated / "mirror")
    with open(folder / "all_assets.csv", "ab") as handle:
        handle.write(b"x")
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(isolated / "mirror"))
    with pytest.raises(snapshots.ChecksumError) as err:
        snapshots.fetch(ECO)
    assert err.value.reasons.startswith("cache: not there; mirror: sha256 mismatch: expected ")
    assert err.value.fix.startswith(f"Fix: the mirror copy {(folder / 'all_assets.csv').as_posix()} is damaged")


def test_a_snapshot_error_not_from_resolving_a_file_has_empty_fields_and_its_first_line_as_summary():
    error = snapshots.SnapshotError("No files under x to pin.\nsecond line")
    assert (error.reasons, error.fix, error.url) == ("", "", "")
    assert error.summary() == "No files under x to pin."
    assert snapshots.SnapshotError("m", reasons="cache: not there").summary() == "cache: not there"


def test_an_unwritable_cache_folder_is_a_cache_error_with_the_cache_fix(isolated):
    blocker = isolated / "cache"
    blocker.write_text("a file, not a folder")
    with pytest.raises(snapshots.CacheError) as err:
        snapshots.ensure_writable(blocker / "eco")
    assert err.value.reasons == f"cache: {blocker.as_posix()} cannot be written (Not a directory)"
    assert err.value.fix == snapshots.CACHE_FIX
    assert str(err.value) == (
        f"The snapshot cache cannot be written: {(blocker / 'eco').as_posix()} (Not a directory). "
        f"The cache is {blocker.as_posix()}. {snapshots.CACHE_FIX}"
    )


def test_missing_mirror_folder_is_reported_as_a_missing_folder(isolated, monkeypatch):
    missing = isolated / "no-such-mirror"
    result = run_cli(
        "fetch", ECO, env={"OPENTRENDS_MIRROR": str(missing), "HF_HUB_OFFLINE": "1", OVERRIDE: CLOSED_HOST}
    )
    assert result.returncode == 1
    assert result.stderr.count(f"mirror: mirror folder {missing.as_posix()} does not exist") == 1
    assert "no file at" not in result.stderr
    assert f"Fix: OPENTRENDS_MIRROR names {missing.as_posix()}, which does not exist" in result.stderr


def test_relative_mirror_path_is_taken_from_the_project_root_not_the_working_directory(isolated, mirror_root):
    mirror = isolated / "mirror"
    copy_snapshot(mirror_root, ECO, mirror)
    relative = os.path.relpath(mirror, ROOT)
    assert not Path(relative).is_absolute()
    elsewhere = isolated / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("fetch", ECO, env={"OPENTRENDS_MIRROR": str(relative), OVERRIDE: CLOSED_HOST}, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "all_assets.csv: ok (mirror)" in result.stdout


def test_unwritable_cache_names_the_folder_and_the_fix(isolated, mirror_root):
    # Tests run as root, which ignores permission bits: a regular FILE where the cache's parent folder
    # should be makes every write fail for root too.
    blocker = isolated / "not-a-folder"
    blocker.write_text("a file, not a folder")
    cache = blocker / "cache"
    mirror = isolated / "mirror"
    copy_snapshot(mirror_root, ECO, mirror)
    result = run_cli("fetch", ECO, env={"OPENTRENDS_CACHE": str(cache), "OPENTRENDS_MIRROR": str(mirror)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "OSError" not in result.stderr
    assert "The snapshot cache cannot be written" in result.stderr
    assert cache.as_posix() in result.stderr
    assert "export OPENTRENDS_CACHE=/path/to/a/writable/folder" in result.stderr
    keep_only(isolated / "registry", "ecosystem-graphs")
    verified = run_cli("verify", env={"OPENTRENDS_CACHE": str(cache), "OPENTRENDS_MIRROR": str(mirror)})
    assert verified.returncode == 1 and "Traceback" not in verified.stderr
    assert verified.stderr.startswith("error: The snapshot cache cannot be written")


def test_verify_fail_line_gives_each_reason_and_one_specific_fix(isolated, mirror_root):
    keep_only(isolated / "registry", "ecosystem-graphs")
    mirror = isolated / "mirror"
    folder = copy_snapshot(mirror_root, ECO, mirror)
    (folder / "all_assets.csv").write_bytes(b"name,access\nx,open\n")
    result = run_cli("verify", env={"OPENTRENDS_MIRROR": str(mirror), "HF_HUB_OFFLINE": "1", OVERRIDE: CLOSED_HOST})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    fail = next(line for line in lines if line.startswith("FAIL"))
    assert fail.startswith(f"FAIL {ECO}/all_assets.csv: cache: not there; mirror: sha256 mismatch")
    assert "(shorter than pinned: 19 of" in fail
    assert "hub: no Hub location registered for this snapshot" in fail
    assert "url: download of http://127.0.0.1:9/stanford-crfm/ecosystem-graphs/" in fail
    assert fail.endswith("connection refused")
    assert any(line.startswith("Fix: the mirror copy") and "is damaged" in line for line in lines)
    assert lines[-1] == "0 of 1 files match their sha256 pins"


def test_verify_with_a_missing_mirror_folder_says_so_once(isolated):
    keep_only(isolated / "registry", "ecosystem-graphs", "epoch-benchmarks-eci")
    missing = isolated / "no-such-mirror"
    result = run_cli("verify", env={"OPENTRENDS_MIRROR": str(missing), "HF_HUB_OFFLINE": "1", OVERRIDE: CLOSED_HOST})
    assert result.returncode == 1
    assert result.stdout.count(f"mirror folder {missing.as_posix()} does not exist") == 1
    assert result.stdout.startswith(f"note: mirror folder {missing.as_posix()} does not exist")
    assert result.stdout.count("mirror: folder missing (see the note above)") == 5  # 1 + 4 (epoch-benchmarks-eci)
    assert result.stdout.splitlines()[-1] == "0 of 5 files match their sha256 pins"  # 1 + 4 (epoch-benchmarks-eci)


def test_unknown_source_and_date_on_the_command_line(isolated):
    result = run_cli("fetch", "nope@2020-01-01")
    assert result.returncode == 2 and "Known sources:" in result.stderr
    result = run_cli("fetch", "ecosystem-graphs@2020-01-01")
    assert result.returncode == 2 and "Known dates: 2025-01-24" in result.stderr


CAPTURE_ONLY = """\
id: hub-stats-example
producer: Example
title: A Hub dataset captured by revision
url_main: https://huggingface.co/datasets/cfahlgren1/hub-stats
license: {name: Apache-2.0, url: https://www.apache.org/licenses/LICENSE-2.0}
citation: Example citation.
capture: {kind: hub-dataset, repo_id: cfahlgren1/hub-stats, repo_type: dataset, files: [models.parquet]}
snapshots: []
"""


def test_source_with_a_capture_and_no_snapshot_says_none_pinned(isolated, mirror_root):
    keep_only(isolated / "registry", "ecosystem-graphs")
    (isolated / "registry" / "hub-stats-example.yaml").write_text(CAPTURE_ONLY)
    env = {"OPENTRENDS_MIRROR": str(mirror_root)}

    listing = run_cli("sources", env=env)
    assert listing.returncode == 0, listing.stderr
    row = next(line for line in listing.stdout.splitlines() if line.startswith("hub-stats-example"))
    assert row.split()[1:4] == ["none", "pinned", "0"] and "hub-dataset" in row

    fetched = run_cli("fetch", "hub-stats-example", env=env)
    assert fetched.returncode == 2
    assert "has no snapshot pinned yet" in fetched.stderr and "opentrends update hub-stats-example" in fetched.stderr

    everything = run_cli("fetch", env=env)
    assert everything.returncode == 0, everything.stderr
    assert "hub-stats-example: none pinned" in everything.stdout

    verified = run_cli("verify", env=env)
    assert verified.returncode == 0, verified.stdout
    assert "NONE hub-stats-example: none pinned" in verified.stdout
    assert verified.stdout.splitlines()[-1] == "1 of 1 files match their sha256 pins"


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
        doc["snapshots"][0]["hub"] = {
            "repo_id": "opentrends/snapshots",
            "repo_type": "dataset",
            "revision": pinned_revision,
            "path_in_repo": "ecosystem-graphs/2025-01-24",
        }

    rewrite_registry(isolated / "registry", "ecosystem-graphs", edit)
    return run_cli(
        "fetch",
        ECO,
        env={"HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(hub_cache), "OPENTRENDS_MIRROR": "", OVERRIDE: CLOSED_HOST},
    )


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
    assert "hub: LocalEntryNotFoundError" in result.stderr
    assert "HF_HUB_OFFLINE=1" in result.stderr


def test_tampered_hub_blob_is_refused(isolated, mirror_root):
    result = fetch_through_hub(isolated, (mirror_root / HUB_FILE).read_bytes() + b"\n")
    assert result.returncode == 1
    assert "hub: sha256 mismatch" in result.stderr


# --- upstream URL (real downloads from 127.0.0.1 through the host override) -----------------------


@pytest.mark.integration
def test_fetch_downloads_the_registered_url_path_from_the_override_host(isolated, mirror_root, upstream, monkeypatch):
    upstream.serve(eco_pin().url, (mirror_root / HUB_FILE).read_bytes())
    monkeypatch.delenv("OPENTRENDS_MIRROR", raising=False)
    monkeypatch.setenv(OVERRIDE, upstream.base)
    report = snapshots.fetch(ECO)
    assert report.origins == {"all_assets.csv": "url"}
    assert hashlib.sha256(report.files["all_assets.csv"].read_bytes()).hexdigest() == eco_pin().sha256


def test_host_override_must_be_a_scheme_and_a_host(monkeypatch):
    monkeypatch.setenv(OVERRIDE, "127.0.0.1:8000")
    with pytest.raises(UsageError, match="expected scheme://host"):
        snapshots.effective_url("https://raw.githubusercontent.com/o/r/" + "a" * 40 + "/x%20y.csv")
    monkeypatch.setenv(OVERRIDE, "http://127.0.0.1:8000/")
    assert snapshots.effective_url("https://raw.githubusercontent.com/o/r/c/x%20y.csv?raw=1") == (
        "http://127.0.0.1:8000/o/r/c/x%20y.csv?raw=1"
    )


@pytest.mark.integration
def test_changed_upstream_file_is_refused_with_advice(isolated, mirror_root, upstream, monkeypatch):
    data = (mirror_root / HUB_FILE).read_bytes()
    upstream.serve(eco_pin().url, data.replace(b"open", b"closed", 1))
    monkeypatch.delenv("OPENTRENDS_MIRROR", raising=False)
    monkeypatch.setenv(OVERRIDE, upstream.base)
    with pytest.raises(snapshots.ChecksumError) as err:
        snapshots.fetch(ECO)
    assert "upstream has probably changed" in str(err.value)
    assert list((isolated / "cache").rglob("*.csv")) == []


@pytest.mark.integration
def test_interrupted_download_leaves_no_partial_file(isolated, mirror_root, upstream, monkeypatch):
    upstream.serve(eco_pin().url, (mirror_root / HUB_FILE).read_bytes())
    monkeypatch.delenv("OPENTRENDS_MIRROR", raising=False)
    monkeypatch.setenv(OVERRIDE, f"{upstream.base}/truncated")
    with pytest.raises(snapshots.SnapshotError) as err:
        snapshots.fetch(ECO)
    assert "interrupted after" in str(err.value) and "no partial file" in str(err.value)
    assert [p for p in (isolated / "cache").rglob("*") if p.is_file()] == []


# --- push (the upload itself needs the network; everything around it is tested) ------------------


def test_push_without_token_is_refused(isolated, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    result = run_cli("snapshot", "push", ECO, "--repo-id", "org/name")
    assert result.returncode == 1 and "HF_TOKEN is not set" in result.stderr


def test_push_uploads_only_verified_files_and_pins_the_commit(isolated, mirror_root, monkeypatch):
    copy_snapshot(mirror_root, ECO, isolated / "mirror")
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(isolated / "mirror"))
    monkeypatch.setenv("HF_TOKEN", "hf_test")
    calls = []

    def upload(folder, repo_id, path_in_repo, allow, message, token):
        calls.append((sorted(p.name for p in folder.iterdir()), repo_id, path_in_repo, allow, token))
        return REVISION

    pinned = update.push(ECO, "opentrends/snapshots", uploader=upload)
    assert calls == [
        (["all_assets.csv"], "opentrends/snapshots", "ecosystem-graphs/2025-01-24", ["all_assets.csv"], "hf_test")
    ]
    hub = load_registry()["ecosystem-graphs"].snapshot("2025-01-24").hub
    assert hub == pinned.hub and hub.revision == REVISION and hub.path_in_repo == "ecosystem-graphs/2025-01-24"


def test_push_refuses_a_non_commit_answer(isolated, mirror_root, monkeypatch):
    copy_snapshot(mirror_root, ECO, isolated / "mirror")
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(isolated / "mirror"))
    monkeypatch.setenv("HF_TOKEN", "hf_test")
    with pytest.raises(snapshots.SnapshotError, match="40-hex"):
        update.push(ECO, "o/n", uploader=lambda *a: "main")
    assert load_registry()["ecosystem-graphs"].snapshot("2025-01-24").hub is None


# --- first_unavailable: the fix that fits the cause (what `opentrends run` and the skips print) ---------------


def test_first_unavailable_with_a_damaged_mirror_copy_gives_the_damaged_copy_fix(isolated, mirror_root, monkeypatch):
    mirror = isolated / "mirror"
    folder = copy_snapshot(mirror_root, ECO, mirror)
    with open(folder / "all_assets.csv", "ab") as handle:
        handle.write(b"x")
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))
    monkeypatch.setenv(OVERRIDE, CLOSED_HOST)
    reason = availability.first_unavailable([ECO])
    assert reason.startswith(f"pinned data {ECO} not available here (tried cache: not there; mirror: sha256 mismatch")
    assert f"Fix: the mirror copy {(folder / 'all_assets.csv').as_posix()} is damaged" in reason
    assert "export OPENTRENDS_MIRROR" not in reason and reason.count("ix: ") == 1  # one fix, the one that fits


def test_first_unavailable_with_an_unwritable_cache_gives_only_the_cache_fix(isolated, mirror_root, monkeypatch):
    blocker = isolated / "not-a-folder"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv("OPENTRENDS_CACHE", str(blocker / "cache"))
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror_root))
    reason = availability.first_unavailable([ECO])
    assert reason.startswith(f"pinned data {ECO} not available here (tried cache: {(blocker / 'cache').as_posix()}")
    assert reason.endswith("; Fix: export OPENTRENDS_CACHE=/path/to/a/writable/folder, or make that folder writable.")
    assert "OPENTRENDS_MIRROR" not in reason


def test_mirror_path_that_is_a_file_is_not_called_a_missing_folder(isolated, monkeypatch):
    afile = isolated / "mirror-file"
    afile.write_text("")
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(afile))
    monkeypatch.setenv(OVERRIDE, CLOSED_HOST)
    assert snapshots.mirror_problem() == f"mirror folder {afile.as_posix()} is a file, not a folder"
    reason = availability.first_unavailable([ECO])
    assert "does not exist" not in reason
    assert f"Fix: OPENTRENDS_MIRROR names {afile.as_posix()}, which is a file, not a folder;" in reason


def test_snapshots_missing_for_one_cause_are_tried_and_fixed_once_in_a_run_block(isolated, monkeypatch):
    from opentrends.data import availability
    from opentrends.run import console

    monkeypatch.delenv("OPENTRENDS_MIRROR", raising=False)
    monkeypatch.setenv(OVERRIDE, CLOSED_HOST)
    missing = [availability.why_unavailable(ref) for ref in (ECO, "epoch-ai-models@2026-03-30")]
    block = console.unavailable_block(missing, ["01_a", "02_b"]).splitlines()
    assert block == [
        f"pinned data not available here for 2 snapshots: {ECO}, epoch-ai-models@2026-03-30",
        "  tried: cache: not there; mirror: OPENTRENDS_MIRROR is not set; hub: no Hub location registered for this "
        "snapshot; url: download of its pinned URL failed: connection refused",
        f"  {missing[0].fix}",
        "  not running the notebooks that need them: 01_a, 02_b",
    ]
    assert missing[0].fix.startswith("Fix: export OPENTRENDS_MIRROR=/abs/path/to/snapshots")


def test_full_cache_is_one_error_naming_the_folder_and_the_fix(isolated, mirror_root, tmpfs):
    cache = tmpfs("256k")  # smaller than all_assets.csv (451 KB): the copy into the cache runs out of space
    mirror = isolated / "mirror"
    copy_snapshot(mirror_root, ECO, mirror)
    result = run_cli("fetch", ECO, env={"OPENTRENDS_CACHE": str(cache), "OPENTRENDS_MIRROR": str(mirror)})
    assert result.returncode == 1
    assert result.stderr == (
        f"error: The snapshot cache is full: no space left on the filesystem of {cache.as_posix()} for "
        f"{ECO}/all_assets.csv (451063 bytes); nothing partial was kept. Fix: free space on that filesystem, or "
        "export OPENTRENDS_CACHE=/path/to/a/folder/with/room.\n"
    )
    assert [p for p in cache.rglob("*") if p.is_file()] == []
