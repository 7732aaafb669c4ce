"""The command line against the real registry and (when set) the real mirror."""

import tomllib

import yaml

from conftest import ROOT, run_cli
from opentrends.registry.sources import load_registry


def newest_in(folder) -> tuple[str, list[str]]:
    """The newest snapshot date in a registry folder and the sources pinning it, read straight from the YAML."""
    dates = {}
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for snap in data.get("snapshots") or []:
            dates.setdefault(str(snap["date"]), []).append(data["id"])
    newest = max(dates)
    return newest, sorted(dates[newest])


def test_version_prints_the_package_version_and_the_newest_snapshot_date():
    package = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    date, sources = newest_in(ROOT / "data" / "sources")
    assert (date, sources) == ("2026-08-22", ["hf-hub-top-models"])
    result = run_cli("--version")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == f"opentrends {package}; data: newest pinned snapshot 2026-08-22 (hf-hub-top-models)\n"


def test_version_follows_the_registry_it_reads(isolated):
    registry = isolated / "registry"
    (registry / "hf-hub-top-models.yaml").unlink()
    date, sources = newest_in(registry)
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.endswith(f"; data: newest pinned snapshot {date} ({', '.join(sources)})\n")
    assert date == "2026-08-21"


def test_version_with_a_broken_registry_is_an_error_naming_the_file(isolated):
    (isolated / "registry" / "osai-index.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = run_cli("--version")
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and "osai-index.yaml: not valid YAML" in result.stderr


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
    assert (
        lines[-1] == "675 of 675 files match their sha256 pins"
    )  # 579, the zips, eci-reproduced-intervals, 91 Arena files
    assert lines[-2] == "81 of 81 zip members match their sha256 pins"  # 5 (epoch-ai-models) + 76 (ECI zip)
    assert sum(l.startswith("OK   ") for l in lines) == 675 + 81
