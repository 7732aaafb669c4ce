"""The vendored scripts (report/vendor: Vega, Vega-Lite, vega-embed; tests/vendor: axe-core) are the bytes recorded."""

from __future__ import annotations

import hashlib
import json

import pytest

from conftest import ROOT

MANIFESTS = [ROOT / "report" / "vendor" / "VENDOR.json", ROOT / "tests" / "vendor" / "VENDOR.json"]


def entries():
    for manifest in MANIFESTS:
        for entry in json.loads(manifest.read_text(encoding="utf-8"))["files"]:
            yield pytest.param(manifest.parent, entry, id=entry["package"])


@pytest.mark.parametrize(("folder", "entry"), list(entries()))
def test_each_vendored_file_matches_its_sha256_and_ships_its_licence(folder, entry):
    data = (folder / entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"], (
        f"{entry['file']} is not the vendored {entry['package']}"
    )
    assert (folder / entry["license_file"]).is_file() and entry["license"]
    assert entry["source"].startswith(f"npm pack {entry['package']}@{entry['version']}")


def test_the_pages_load_the_vendored_scripts_and_nothing_from_a_cdn():
    for page in (ROOT / "report" / "index.html", ROOT / "figures" / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert "vendor/vega-embed.min.js" in text
        assert "cdn.jsdelivr" not in text and "unpkg.com" not in text
