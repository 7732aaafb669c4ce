"""Every pinned file resolves through its registered URL alone, and its bytes match the pin (issue 7, item 4).

A local server on 127.0.0.1 serves the mirror's bytes under each registered URL's *path* (percent-decoded, as
a real server decodes it); the fetcher is pointed at it with OPENTRENDS_URL_HOST_OVERRIDE, so the same download
code runs as against raw.githubusercontent.com, only the host differs. Empty cache, no mirror, Hub offline.
"""

from __future__ import annotations

import urllib.parse

import pytest
from test_snapshots import OVERRIDE, Upstream

from opentrends.data import snapshots
from opentrends.registry.sources import is_durable_url, load_registry

pytestmark = pytest.mark.integration  # a local HTTP server


def test_every_pinned_file_resolves_through_its_url_alone(isolated, mirror_root, monkeypatch):
    registry = load_registry()
    server = Upstream()
    try:
        expected = 0
        for source in registry.values():
            for snap in source.snapshots:
                for pinned in snap.files:
                    assert pinned.url and is_durable_url(pinned.url), f"{snap.ref}/{pinned.path}: {pinned.url}"
                    assert " " not in pinned.url  # spaces are %20 in the registry; the server decodes them
                    path = urllib.parse.unquote(urllib.parse.urlsplit(pinned.url).path)
                    body = (mirror_root / snap.source_id / snap.date / pinned.path).read_bytes()
                    # two pins under one URL would have to be the same bytes
                    assert server.routes.setdefault(path, body) == body, f"{pinned.url} pinned twice, differently"
                    expected += 1
        monkeypatch.delenv("OPENTRENDS_MIRROR", raising=False)
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
        monkeypatch.setenv(OVERRIDE, server.base)

        lines = snapshots.verify(registry)
    finally:
        server.close()

    failures = [f"{line.ref}/{line.path}: {line.detail}" for line in lines if not line.ok]
    assert failures == []
    # 260 + hf-derivative-growth (35) + hf-trending-archive (284) + 5 (issue 27) + arena-leaderboard-history (91)
    assert len(lines) == expected == 675
    assert all(line.detail.endswith("(url)") for line in lines)  # nothing came from a cache or the mirror
    assert len([p for p in (isolated / "cache").rglob("*") if p.is_file()]) == 675
