"""`opentrends update`: real downloads from a local HTTP server (host override), compared with what is pinned.

The registered `download` URLs stay as they are (epoch.ai's live CSVs, GitHub branches); the server answers
under their paths. Baselines come from the real mirror.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from test_snapshots import CLOSED_HOST, OVERRIDE, Upstream, keep_only

from conftest import run_cli
from opentrends.capture import update as updates
from opentrends.capture.update import required_columns
from opentrends.core.errors import UsageError
from opentrends.data import snapshots
from opentrends.registry.sources import load_registry

EPOCH_FILES = ("all_ai_models.csv", "notable_ai_models.csv", "large_scale_ai_models.csv", "frontier_ai_models.csv")


@pytest.fixture
def upstream():
    server = Upstream()
    yield server
    server.close()


def serve_epoch(upstream: Upstream, mirror_root, notable: bytes) -> None:
    """Serve a full Epoch download: three files as pinned on 2026-03-30, `notable` as given."""
    source = load_registry()["epoch-ai-models"]
    for spec in source.download:
        body = (
            notable
            if spec.path == "notable_ai_models.csv"
            else (mirror_root / "epoch-ai-models" / "2026-03-30" / spec.path).read_bytes()
        )
        upstream.serve(spec.url, body)


def edited_notable(mirror_root, rename: dict[str, str] | None = None) -> bytes:
    """The 2026-07-19 notable table with one accessibility label changed, one row dropped, one added."""
    table = pd.read_csv(
        mirror_root / "epoch-ai-models" / "2026-07-19" / "notable_ai_models.csv", dtype=str, keep_default_na=False
    )
    first = table.loc[0, "Model accessibility"]
    table.loc[0, "Model accessibility"] = "Unreleased" if first == "API access" else "API access"
    table = table.drop(index=1)
    table = pd.concat([table, table.iloc[[0]].assign(Model="Brand New Model 9000")])
    return table.rename(columns=rename or {}).to_csv(index=False).encode()


@pytest.mark.integration
def test_full_download_compares_each_file_with_the_newest_snapshot_that_has_it(
    isolated, mirror_root, upstream, monkeypatch
):
    notable = edited_notable(mirror_root, rename={"Parameters": "Parameter count"})
    serve_epoch(upstream, mirror_root, notable)
    env = {"OPENTRENDS_MIRROR": str(mirror_root), OVERRIDE: upstream.base}
    result = run_cli("update", "epoch-ai-models", "--date", "2026-11-29", env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert out[0] == "epoch-ai-models@2026-11-29 (previous: epoch-ai-models@2026-07-19)"
    # 2026-07-19 is partial: the other three files are compared with 2026-03-30, not called "added"
    assert "  all_ai_models.csv: unchanged (compared with epoch-ai-models@2026-03-30)" in out
    assert "  large_scale_ai_models.csv: unchanged (compared with epoch-ai-models@2026-03-30)" in out
    assert "  notable_ai_models.csv: changed (compared with epoch-ai-models@2026-07-19)" in out
    assert "    column renamed? 'Parameters' -> 'Parameter count' (same values)" in out
    assert any(line.startswith("    rows: ") and line.endswith("; added 1, removed 1") for line in out)
    assert "    changed Model accessibility: 1 rows" in out
    registry_file = isolated / "registry" / "epoch-ai-models.yaml"
    # OPENTRENDS_REGISTRY points outside the project: the file actually written, by its absolute path
    assert f"pinned epoch-ai-models@2026-11-29 in the registry; commit {registry_file.as_posix()}" in out
    assert any(line.startswith("not durable yet") and "opentrends snapshot push" in line for line in out)

    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror_root))
    snap = load_registry()["epoch-ai-models"].snapshot("2026-11-29")
    assert snap.awaiting_push  # epoch.ai's live URLs cannot serve these bytes later
    assert [f.path for f in snap.files] == sorted(EPOCH_FILES)
    assert snap.file("notable_ai_models.csv").sha256 == hashlib.sha256(notable).hexdigest()
    assert snapshots.fetch("epoch-ai-models@2026-11-29").origins["notable_ai_models.csv"] == "cache"


@pytest.mark.integration
def test_update_refuses_a_download_that_lost_a_column_the_loader_needs(isolated, mirror_root, upstream):
    serve_epoch(upstream, mirror_root, edited_notable(mirror_root, rename={"Model accessibility": "Accessibility"}))
    before = (isolated / "registry" / "epoch-ai-models.yaml").read_bytes()
    result = run_cli(
        "update",
        "epoch-ai-models",
        "--date",
        "2026-11-29",
        env={"OPENTRENDS_MIRROR": str(mirror_root), OVERRIDE: upstream.base},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nothing pinned" in result.stderr
    assert "notable_ai_models.csv lost 'Model accessibility' (rename candidate: 'Accessibility')" in result.stderr
    assert (isolated / "registry" / "epoch-ai-models.yaml").read_bytes() == before
    assert not (isolated / "cache" / "epoch-ai-models" / "2026-11-29").exists()


def test_epoch_required_columns_come_from_the_epoch_loader():
    needed = required_columns("epoch-ai-models")
    assert set(needed) >= {"notable_ai_models.csv", "all_ai_models.csv"}
    assert "Model accessibility" in needed["notable_ai_models.csv"]


@pytest.mark.integration
def test_update_with_unchanged_upstream_pins_nothing(isolated, mirror_root, upstream, monkeypatch):
    source = load_registry()["ecosystem-graphs"]
    upstream.serve(
        source.download[0].url, (mirror_root / "ecosystem-graphs" / "2025-01-24" / "all_assets.csv").read_bytes()
    )
    monkeypatch.setenv("OPENTRENDS_MIRROR", str(mirror_root))
    monkeypatch.setenv(OVERRIDE, upstream.base)
    report = updates.update("ecosystem-graphs", date="2026-11-29")
    assert report.pinned is False
    assert [(c.path, c.kind, c.baseline) for c in report.file_changes] == [
        ("all_assets.csv", "unchanged", "ecosystem-graphs@2025-01-24")
    ]
    assert load_registry()["ecosystem-graphs"].dates == ["2025-01-24"]
    assert not (isolated / "cache" / "ecosystem-graphs" / "2026-11-29").exists()


@pytest.mark.integration
def test_interrupted_update_pins_nothing_and_keeps_no_file(isolated, mirror_root, upstream, monkeypatch):
    source = load_registry()["ecosystem-graphs"]
    upstream.serve(
        source.download[0].url, (mirror_root / "ecosystem-graphs" / "2025-01-24" / "all_assets.csv").read_bytes()
    )
    monkeypatch.setenv(OVERRIDE, f"{upstream.base}/truncated")
    with pytest.raises(snapshots.SnapshotError, match="interrupted after"):
        updates.update("ecosystem-graphs", date="2026-11-29")
    assert load_registry()["ecosystem-graphs"].dates == ["2025-01-24"]
    assert not (isolated / "cache" / "ecosystem-graphs" / "2026-11-29").exists()


HUB_API_SOURCE = """\
id: hub-api-example
producer: Example
title: Hub API records
url_main: https://huggingface.co/models
license: {name: public metadata, url: https://huggingface.co/terms-of-service}
citation: Example citation.
capture: {kind: hub-api, command: opentrends hub capture top --sort likes --limit 300}
snapshots: []
"""


def test_update_of_a_hub_api_source_says_which_command_captures_it(isolated):
    keep_only(isolated / "registry", "ecosystem-graphs")
    (isolated / "registry" / "hub-api-example.yaml").write_text(HUB_API_SOURCE)
    with pytest.raises(UsageError, match=r"run `opentrends hub capture top --sort likes --limit 300`"):
        updates.update("hub-api-example", date="2026-11-29")
    result = run_cli("update", "hub-api-example", env={OVERRIDE: CLOSED_HOST})
    assert result.returncode == 2 and "captures of Hub API records" in result.stderr
    assert not (isolated / "cache" / "hub-api-example").exists() or not any((isolated / "cache").rglob("*.json"))


@pytest.mark.parametrize("source_id", ["ecosystem-graphs", "hub-api-example"])
def test_revision_is_refused_for_sources_that_are_not_hub_datasets(isolated, source_id):
    keep_only(isolated / "registry", "ecosystem-graphs")
    (isolated / "registry" / "hub-api-example.yaml").write_text(HUB_API_SOURCE)
    before = {p.name: p.read_bytes() for p in (isolated / "registry").iterdir()}
    with pytest.raises(UsageError, match="--revision pins a Hub dataset revision"):
        updates.update(source_id, revision="0" * 40)
    result = run_cli("update", source_id, "--revision", "0" * 40, env={OVERRIDE: CLOSED_HOST})
    assert result.returncode == 2 and f"'{source_id}' is captured as" in result.stderr
    assert {p.name: p.read_bytes() for p in (isolated / "registry").iterdir()} == before
    assert not any((isolated / "cache").rglob("*.csv"))


@pytest.mark.parametrize("date", ["2026-13-45", "2026-02-30", "2026-8-23", "20260823", "yesterday"])
def test_update_refuses_a_date_that_is_not_a_real_yyyy_mm_dd(isolated, date):
    keep_only(isolated / "registry", "ecosystem-graphs")
    before = {p.name: p.read_bytes() for p in (isolated / "registry").iterdir()}
    with pytest.raises(UsageError) as caught:
        updates.update("ecosystem-graphs", date=date)
    assert str(caught.value).startswith(
        f"--date must be a real calendar date written YYYY-MM-DD (e.g. 2026-08-23), got {date!r}"
    )
    result = run_cli("update", "ecosystem-graphs", "--date", date, env={OVERRIDE: CLOSED_HOST})
    assert result.returncode == 2 and "Fix: pass a date such as --date 2026-08-23" in result.stderr
    assert {p.name: p.read_bytes() for p in (isolated / "registry").iterdir()} == before
    assert not (isolated / "cache").exists() or not any((isolated / "cache").rglob("*"))
