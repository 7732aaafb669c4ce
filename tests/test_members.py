"""Zip members as pinned inputs (`data.members`): the real zips of the mirror, and tiny zips made here.

The real zips (`epoch-ai-models@2026-07-17`, `epoch-benchmarks-eci@2026-07-31`) must hold exactly the members
the registry pins; a tiny zip whose member pin is wrong shows the error a reader gets: the zip, the member, the
expected and the actual sha256, and the fix.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
import yaml
from test_snapshots import CLOSED_HOST, OVERRIDE, Upstream, keep_only

from conftest import run_cli
from opentrends.capture import update as updates
from opentrends.core.files import sha256_file
from opentrends.data import members, snapshots
from opentrends.registry.model import UnknownSourceError
from opentrends.registry.sources import RegistryError, load_registry

ZIPS = {
    "epoch-ai-models@2026-07-17": "input_epoch_ai_models_archive_2026-07-17.zip",
    "epoch-benchmarks-eci@2026-07-31": "epoch_benchmark_data_2026-07-31.zip",
}
COMMIT = "0123456789abcdef0123456789abcdef01234567"
URL = f"https://raw.githubusercontent.com/org/data/{COMMIT}/tiny.zip"


def make_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def tiny_source(registry: Path, mirror: Path, zipped: bytes, pinned_members: dict[str, str], date="2020-01-01"):
    """A registry holding only source `tiny` whose snapshot pins `tiny.zip` (from the mirror) and its members."""
    keep_only(registry)
    (mirror / "tiny" / date).mkdir(parents=True, exist_ok=True)
    (mirror / "tiny" / date / "tiny.zip").write_bytes(zipped)
    entry = {
        "id": "tiny",
        "producer": "Test",
        "title": "Tiny zip",
        "url_main": "https://example.org",
        "license": {"name": "CC0", "url": "https://example.org/cc0"},
        "citation": "Test data",
        "key": "name",
        "download": [{"path": "tiny.zip", "url": "https://example.org/live/tiny.zip"}],
        "snapshots": [
            {
                "date": date,
                "files": [
                    {
                        "path": "tiny.zip",
                        "sha256": sha(zipped),
                        "size": len(zipped),
                        "url": URL,
                        "members": [{"path": p, "sha256": s} for p, s in pinned_members.items()],
                    }
                ],
            }
        ],
    }
    (registry / "tiny.yaml").write_text(yaml.safe_dump(entry, sort_keys=False))


@pytest.fixture
def tiny(isolated, monkeypatch):
    mirror = isolated / "mirror"
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv(OVERRIDE, CLOSED_HOST)
    return isolated / "registry", mirror


# --- the real zips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", sorted(ZIPS))
def test_a_real_zip_holds_exactly_the_members_the_registry_pins(ref, real_snapshot, isolated):
    real_snapshot(ref)
    snapshot = load_registry()[ref.split("@")[0]].snapshot(ref.split("@")[1])
    pinned = snapshot.file(ZIPS[ref])
    local, _ = snapshots.resolve_file(snapshot, pinned)
    assert members.list_members(local) == pinned.members
    for member in pinned.members:
        path = members.member_file(ref, pinned.path, member.path)
        assert (sha256_file(path), path.stat().st_size) == (member.sha256, member.size)


def test_a_loader_reads_a_catalogue_from_the_zip_as_it_reads_plain_files(real_snapshot, isolated):
    from opentrends.catalog.loaders import eci, epoch

    catalog = epoch.load_epoch(real_snapshot("epoch-ai-models@2026-07-17"), population="all")
    assert catalog.notes["rows in all_ai_models.csv"] == 3555  # the mirror README's count
    assert str(catalog.rows["date"].max().date()) == "2026-07-07"
    rows, _ = eci.load_eci(real_snapshot("epoch-benchmarks-eci@2026-07-31"))
    assert str(rows["date"].max().date()) == "2026-07-24"


# --- tiny zips: what goes wrong is said with the fix -----------------------------------------------


def test_a_member_that_differs_from_its_pin_names_zip_member_both_hashes_and_the_fix(tiny):
    registry, mirror = tiny
    body = b"name,score\na,1\n"
    zipped = make_zip({"a.csv": body})
    wrong = "f" * 64
    tiny_source(registry, mirror, zipped, {"a.csv": wrong})
    with pytest.raises(members.MemberError) as err:
        members.member_file("tiny@2020-01-01", "tiny.zip", "a.csv")
    message = str(err.value)
    assert message.startswith(
        f"tiny@2020-01-01/tiny.zip: member a.csv: sha256 mismatch: expected {wrong}, got {sha(body)}"
    )
    assert f"The zip itself matches its pin (sha256 {sha(zipped)})" in message
    assert (
        f"Fix: make sure the zip's pin names the download you meant, then set this member's sha256 to {sha(body)}"
        in message
    )
    assert message.endswith("(never re-pin the zip to fit a member).")
    assert not members.member_path(
        load_registry()["tiny"].snapshot("2020-01-01"), load_registry()["tiny"].snapshot().file("tiny.zip"), "a.csv"
    ).exists()  # nothing unverified is left in the cache

    result = run_cli("verify")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("OK   tiny@2020-01-01/tiny.zip: sha256")
    assert lines[1].startswith(
        f"FAIL tiny@2020-01-01/tiny.zip/a.csv: sha256 mismatch: expected {'f' * 64}, got {sha(body)}"
    )
    assert any(line.startswith("Fix: make sure the zip's pin") for line in lines)
    assert lines[-2:] == ["0 of 1 zip members match their sha256 pins", "1 of 1 files match their sha256 pins"]


def test_a_pinned_member_missing_from_the_zip_and_an_unpinned_member_are_errors_with_the_fix(tiny):
    registry, mirror = tiny
    tiny_source(registry, mirror, make_zip({"a.csv": b"x\n"}), {"a.csv": sha(b"x\n"), "gone.csv": "0" * 64})
    with pytest.raises(
        members.MemberError,
        match=r"tiny.zip has no member 'gone.csv', though .* pins it. Members in the zip: a.csv. Fix: correct or remove",
    ):
        members.member_file("tiny@2020-01-01", "tiny.zip", "gone.csv")
    with pytest.raises(
        UnknownSourceError, match=r"tiny.zip pins no member 'b.csv'. Members pinned: a.csv, gone.csv. Fix:"
    ):
        members.member_file("tiny@2020-01-01", "tiny.zip", "b.csv")
    assert members.member_file("tiny@2020-01-01", "tiny.zip", "a.csv").read_bytes() == b"x\n"
    assert members.table_file("tiny@2020-01-01", "a.csv").read_bytes() == b"x\n"  # a member found by its name
    with pytest.raises(
        UnknownSourceError, match=r"has no file or zip member 'c.csv'. It holds: a.csv, gone.csv, tiny.zip"
    ):
        members.table_file("tiny@2020-01-01", "c.csv")


def test_members_are_refused_on_a_file_that_is_not_a_zip(tiny):
    registry, mirror = tiny
    tiny_source(registry, mirror, make_zip({"a.csv": b"x\n"}), {"a.csv": sha(b"x\n")})
    text = (registry / "tiny.yaml").read_text().replace("path: tiny.zip", "path: tiny.csv")
    (registry / "tiny.yaml").write_text(text)
    with pytest.raises(RegistryError, match=r"snapshots\[0\].files\[0\].members': expected no members on tiny.csv"):
        load_registry()


@pytest.mark.integration  # a local HTTP server
def test_update_compares_each_member_with_the_newest_earlier_snapshot_holding_it(tiny, monkeypatch):
    registry, mirror = tiny
    old_a = b"name,score\na,1\nb,2\n"
    tiny_source(
        registry,
        mirror,
        make_zip({"a.csv": old_a, "notes.md": b"hi\n"}),
        {"a.csv": sha(old_a), "notes.md": sha(b"hi\n")},
    )
    new_a = b"name,points\na,1\nc,3\n"
    server = Upstream()
    try:
        server.serve("https://example.org/live/tiny.zip", make_zip({"a.csv": new_a, "b.csv": b"name\nz\n"}))
        monkeypatch.setenv(OVERRIDE, server.base)
        report = updates.update("tiny", date="2020-02-01")
    finally:
        server.close()
    changes = {(c.path, c.kind, c.baseline) for c in report.file_changes}
    assert changes == {
        ("tiny.zip", "changed", "tiny@2020-01-01"),
        ("tiny.zip/a.csv", "changed", "tiny@2020-01-01"),
        ("tiny.zip/b.csv", "added", None),
        ("tiny.zip/notes.md", "removed", "tiny@2020-01-01"),
    }
    assert report.schema_changes["tiny.zip/a.csv"].renamed == [("score", "points", "same values")]  # a: 1 in both
    assert report.table_changes["tiny.zip/a.csv"].count("added") == 1
    pinned = load_registry()["tiny"].snapshot("2020-02-01").file("tiny.zip")
    assert [(m.path, m.sha256, m.size) for m in pinned.members] == [
        ("a.csv", sha(new_a), len(new_a)),
        ("b.csv", sha(b"name\nz\n"), 7),
    ]


def test_a_member_without_a_sha256_is_refused_naming_the_entry(tiny):
    registry, mirror = tiny
    tiny_source(registry, mirror, make_zip({"a.csv": b"x\n"}), {"a.csv": sha(b"x\n")})
    text = (registry / "tiny.yaml").read_text().replace(f"sha256: {sha(b'x' + bytes([10]))}", "size: 2")
    (registry / "tiny.yaml").write_text(text)
    with pytest.raises(
        RegistryError, match=r"entry 'snapshots\[0\].files\[0\].members\[0\].sha256': expected a non-empty value"
    ):
        load_registry()
