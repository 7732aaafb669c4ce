"""The source registry: real entries load with full provenance; malformed entries point at themselves."""

from pathlib import Path

import pytest
import yaml

from opentrends.sources import RegistryError, UnknownSourceError, get_snapshot, load_registry, parse_source

REQUIRED_SNAPSHOTS = [
    "epoch-ai-models@2026-03-30", "epoch-ai-models@2026-07-19", "epoch-benchmarks-eci@2025-12-02",
    "ecosystem-graphs@2025-01-24", "hf-model-trees@2025-04-22", "atom-tracked-models@2026-08-17",
]


def test_registry_holds_every_snapshot_the_notebooks_read():
    registry = load_registry()
    for ref in REQUIRED_SNAPSHOTS:
        snap = get_snapshot(ref, registry)
        assert snap.ref == ref and snap.files
    assert len(get_snapshot("epoch-ai-models@2026-03-30", registry).files) == 5
    assert [f.path for f in get_snapshot("epoch-ai-models@2026-07-19", registry).files] == ["notable_ai_models.csv"]


def test_every_source_carries_provenance():
    for source in load_registry().values():
        assert source.producer and source.title and source.citation
        assert source.url_main.startswith("https://")
        assert source.license.name and source.license.url.startswith("https://")
        for snap in source.snapshots:
            for f in snap.files:
                assert len(f.sha256) == 64 and f.size > 0


def test_newest_snapshot_is_the_default():
    assert get_snapshot("epoch-ai-models").date == "2026-07-19"


def test_unknown_source_lists_known_ids():
    with pytest.raises(UnknownSourceError) as err:
        get_snapshot("epoch-models@2026-03-30")
    assert "Unknown source 'epoch-models'" in str(err.value)
    assert "epoch-ai-models" in str(err.value) and "ecosystem-graphs" in str(err.value)


def test_unknown_date_lists_known_dates():
    with pytest.raises(UnknownSourceError) as err:
        get_snapshot("epoch-ai-models@2026-01-01")
    assert "2026-03-30, 2026-07-19" in str(err.value)


def _entry(tmp_path: Path) -> tuple[dict, Path]:
    src = Path(__file__).resolve().parents[1] / "data" / "sources" / "ecosystem-graphs.yaml"
    return yaml.safe_load(src.read_text()), tmp_path / "ecosystem-graphs.yaml"


@pytest.mark.parametrize(
    "mutate, where, expectation",
    [
        (lambda d: d["snapshots"][0]["files"][0].update(sha256="abc"), "snapshots[0].files[0].sha256", "64 hexadecimal"),
        (lambda d: d["snapshots"][0]["files"][0].update(size="big"), "snapshots[0].files[0].size", "whole number"),
        (lambda d: d["snapshots"][0].update(date="24 Jan 2025"), "snapshots[0].date", "YYYY-MM-DD"),
        (lambda d: d["snapshots"][0].update(files=[]), "snapshots[0].files", "non-empty list"),
        (lambda d: d["snapshots"][0].update(hub={"repo_id": "a/b", "revision": "main"}), "snapshots[0].hub.revision", "40-hex"),
        (lambda d: d.pop("citation"), "citation", "non-empty"),
        (lambda d: d["snapshots"][0]["files"][0].update(path="../escape.csv"), "snapshots[0].files[0].path", "relative path"),
    ],
)
def test_malformed_entry_names_file_entry_and_expectation(tmp_path, mutate, where, expectation):
    data, path = _entry(tmp_path)
    mutate(data)
    with pytest.raises(RegistryError) as err:
        parse_source(data, path)
    message = str(err.value)
    assert "ecosystem-graphs.yaml" in message
    assert f"entry '{where}'" in message
    assert expectation in message
    assert "Fix" in message


def test_malformed_yaml_file_is_reported_by_name(tmp_path, monkeypatch):
    (tmp_path / "broken.yaml").write_text("id: broken\nsnapshots: [\n")
    with pytest.raises(RegistryError, match=r"broken.yaml: not valid YAML"):
        load_registry(tmp_path)
