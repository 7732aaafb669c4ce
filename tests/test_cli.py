"""The command line against the real registry and (when set) the real mirror."""

from conftest import run_cli
from opentrends.registry.sources import load_registry


def test_sources_prints_a_table_with_upstream_kind_and_licenses():
    result = run_cli("sources")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["source", "snapshot", "files", "upstream", "capture", "license", "hub"]
    assert any(
        l.split()[:6] == ["epoch-ai-models", "2026-03-30", "5", "commit", "url", "urls"] and "CC BY 4.0" in l
        for l in lines
    )
    assert any(l.split()[:3] == ["epoch-ai-models", "2026-07-19", "1"] for l in lines)
    for ref in (
        "epoch-benchmarks-eci 2026-07-01",
        "epoch-open-models-report 2024-11-05",
        "hf-hub-top-models 2026-08-22",
    ):
        assert any(l.startswith(ref.split()[0]) and ref.split()[1] in l for l in lines), ref
    registry = load_registry()
    expected = sum(max(len(source.snapshots), 1) for source in registry.values())  # "none pinned" is a row too
    assert len([l for l in lines[2:] if l.strip()]) == expected


def test_verify_reports_every_pinned_file(mirror_root):
    result = run_cli("verify")
    assert result.returncode == 0, result.stdout[-2000:]
    lines = result.stdout.splitlines()
    assert lines[-1] == "584 of 584 files match their sha256 pins"  # 579 before the zips and eci-reproduced-intervals
    assert lines[-2] == "81 of 81 zip members match their sha256 pins"  # 5 (epoch-ai-models) + 76 (ECI zip)
    assert sum(l.startswith("OK   ") for l in lines) == 584 + 81
