"""The source registry: real entries load with full provenance; malformed entries point at themselves."""

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from opentrends.core.schema import load_schema
from opentrends.registry.sources import (
    Capture,
    HubLocation,
    PinnedFile,
    RegistryError,
    Snapshot,
    UnknownSourceError,
    Upstream,
    get_snapshot,
    is_durable_url,
    load_registry,
    parse_source,
)
from opentrends.registry.writer import write_snapshot

REQUIRED_SNAPSHOTS = [
    "epoch-ai-models@2026-03-30",
    "epoch-ai-models@2026-07-19",
    "epoch-benchmarks-eci@2025-12-02",
    "ecosystem-graphs@2025-01-24",
    "hf-model-trees@2025-04-22",
    "atom-tracked-models@2026-08-17",
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
    assert "2026-03-30, 2026-07-17, 2026-07-19" in str(err.value)


def _entry(tmp_path: Path) -> tuple[dict, Path]:
    src = Path(__file__).resolve().parents[1] / "data" / "sources" / "ecosystem-graphs.yaml"
    return yaml.safe_load(src.read_text()), tmp_path / "ecosystem-graphs.yaml"


@pytest.mark.parametrize(
    "mutate, where, expectation",
    [
        (
            lambda d: d["snapshots"][0]["files"][0].update(sha256="abc"),
            "snapshots[0].files[0].sha256",
            "64 hexadecimal",
        ),
        (lambda d: d["snapshots"][0]["files"][0].update(size="big"), "snapshots[0].files[0].size", "whole number"),
        (lambda d: d["snapshots"][0].update(date="24 Jan 2025"), "snapshots[0].date", "YYYY-MM-DD"),
        (lambda d: d["snapshots"][0].update(files=[]), "snapshots[0].files", "non-empty list"),
        (
            lambda d: d["snapshots"][0].update(hub={"repo_id": "a/b", "revision": "main"}),
            "snapshots[0].hub.revision",
            "40-hex",
        ),
        (lambda d: d.pop("citation"), "citation", "non-empty"),
        (
            lambda d: d["snapshots"][0]["files"][0].update(path="../escape.csv"),
            "snapshots[0].files[0].path",
            "relative path",
        ),
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


@pytest.mark.parametrize(
    "mutate, message",
    [
        (
            lambda d: d["snapshots"][0].update(dat="2025-01-24"),
            "entry 'snapshots[0].dat': expected one of the keys date, date_accessed, note, files, upstream, hub, "
            "awaiting_push, got 'dat'.",
        ),
        (lambda d: d.pop("license"), "entry 'license': expected a mapping, got None."),
        (
            lambda d: d.update(capture={"kind": "hub-dataset", "files": ["models.parquet"]}),
            "entry 'capture.repo_id': expected a non-empty value, got None.",
        ),
        (lambda d: d.update(compare_columns="access"), "entry 'compare_columns': expected a list of column names"),
    ],
)
def test_the_schema_names_unknown_keys_missing_mappings_and_conditional_keys(tmp_path, mutate, message):
    data, path = _entry(tmp_path)
    mutate(data)
    with pytest.raises(RegistryError) as err:
        parse_source(data, path)
    assert str(err.value).startswith(f"{path.as_posix()}: {message}")
    assert str(err.value).endswith("Fix the entry in that file (see data/sources/README.md for the schema).")


def test_the_schema_files_are_valid_draft_07_schemas():
    import jsonschema

    for package, name in (("opentrends.registry", "source.schema.json"), ("opentrends.run", "params.schema.json")):
        jsonschema.Draft7Validator.check_schema(load_schema(package, name))


def test_malformed_yaml_file_is_reported_by_name(tmp_path, monkeypatch):
    (tmp_path / "broken.yaml").write_text("id: broken\nsnapshots: [\n")
    with pytest.raises(RegistryError, match=r"broken.yaml: not valid YAML"):
        load_registry(tmp_path)


# --- durability, upstream, capture kinds ----------------------------------------------------------

COMMIT = "576655a544c974e91b7ca02e26cf7ba4c8347516"


@pytest.mark.parametrize(
    "mutate, where, expectation",
    [
        (
            lambda d: d["snapshots"][0]["upstream"].update(commit="576655a"),
            "snapshots[0].upstream.commit",
            "full 40-hex commit",
        ),
        (
            lambda d: d["snapshots"][0]["upstream"].update(repo="github.com/stanford-crfm/ecosystem-graphs"),
            "snapshots[0].upstream.repo",
            "https:// URL",
        ),
        (lambda d: d["snapshots"][0]["upstream"].pop("commit"), "snapshots[0].upstream.commit", "non-empty"),
        (
            lambda d: d["snapshots"][0]["files"][0].update(url="raw.githubusercontent.com/x/y"),
            "snapshots[0].files[0].url",
            "http(s) URL",
        ),
        (
            lambda d: d["snapshots"][0]["files"][0].update(
                url=f"https://raw.githubusercontent.com/o/r/{COMMIT}/AMD OLMo.yaml"
            ),
            "snapshots[0].files[0].url",
            "percent-encoded",
        ),
        (lambda d: (d.pop("download"), d.update(snapshots=[])), "snapshots", "non-empty list"),  # no capture
        (lambda d: d.update(capture={"kind": "ftp"}), "capture.kind", "one of urls, hub-dataset, hub-api"),
        (
            lambda d: d.update(capture={"kind": "hub-dataset", "repo_id": "hub-stats", "files": ["a.parquet"]}),
            "capture.repo_id",
            "'org/name'",
        ),
        (
            lambda d: d.update(capture={"kind": "hub-dataset", "repo_id": "o/n", "files": []}),
            "capture.files",
            "non-empty list",
        ),
        (lambda d: d["snapshots"][0].update(awaiting_push="yes"), "snapshots[0].awaiting_push", "true or false"),
    ],
)
def test_malformed_upstream_url_or_capture_names_the_entry(tmp_path, mutate, where, expectation):
    data, path = _entry(tmp_path)
    mutate(data)
    with pytest.raises(RegistryError) as err:
        parse_source(data, path)
    assert f"entry '{where}'" in str(err.value) and expectation in str(err.value) and "Fix" in str(err.value)


@pytest.mark.parametrize(
    "moving_url",
    [
        "https://raw.githubusercontent.com/stanford-crfm/ecosystem-graphs/main/resources/all_assets.csv",
        "https://raw.githubusercontent.com/stanford-crfm/ecosystem-graphs/576655a/resources/all_assets.csv",
        "https://epoch.ai/data/notable_ai_models.csv",
        None,
    ],
)
def test_a_pinned_file_whose_only_upstream_moves_is_refused(tmp_path, moving_url):
    data, path = _entry(tmp_path)
    data["snapshots"][0]["files"][0]["url"] = moving_url
    with pytest.raises(RegistryError) as err:
        parse_source(data, path)
    message = str(err.value)
    assert "ecosystem-graphs.yaml" in message and "entry 'snapshots[0].files[0]'" in message
    assert "all_assets.csv of ecosystem-graphs@2025-01-24" in message
    assert "no durable upstream" in message and "40-hex" in message
    assert "opentrends snapshot push ecosystem-graphs@2025-01-24" in message


def test_a_hub_revision_or_an_awaiting_push_mark_lets_a_moving_url_load(tmp_path):
    data, path = _entry(tmp_path)
    data["snapshots"][0]["files"][0]["url"] = "https://epoch.ai/data/notable_ai_models.csv"
    data["snapshots"][0]["hub"] = {"repo_id": "o/n", "revision": "a" * 40}
    assert parse_source(data, path).snapshots[0].hub.revision == "a" * 40
    del data["snapshots"][0]["hub"]
    data["snapshots"][0]["awaiting_push"] = True
    assert parse_source(data, path).snapshots[0].awaiting_push is True


def test_every_registered_file_has_a_durable_upstream_and_every_snapshot_its_commit():
    for source in load_registry().values():
        for snap in source.snapshots:
            assert not snap.awaiting_push, snap.ref
            # a snapshot taken from a repository names its commit; one pinned on the Hub has its revision
            assert snap.hub is not None or (snap.upstream is not None and len(snap.upstream.commit) == 40), snap.ref
            for f in snap.files:
                assert (f.url and is_durable_url(f.url)) or snap.hub is not None, f"{snap.ref}/{f.path}"


def test_upstream_is_parsed():
    snap = get_snapshot("ecosystem-graphs@2025-01-24")
    assert snap.upstream == Upstream(repo="https://github.com/stanford-crfm/ecosystem-graphs", commit=COMMIT)


def test_capture_kinds_parse_and_a_capture_allows_no_snapshot_yet(tmp_path):
    data, path = _entry(tmp_path)
    assert parse_source(data, path).capture == Capture(kind="urls")  # a download list means urls
    data.pop("download")
    assert parse_source(data, path).capture is None
    data["capture"] = {"kind": "hub-dataset", "repo_id": "cfahlgren1/hub-stats", "files": ["models.parquet"]}
    data["snapshots"] = []
    source = parse_source(data, path)
    assert source.capture == Capture(
        kind="hub-dataset", repo_id="cfahlgren1/hub-stats", repo_type="dataset", files=("models.parquet",)
    )
    assert source.snapshots == ()
    with pytest.raises(UnknownSourceError, match="no snapshot pinned yet"):
        source.snapshot()
    data["capture"] = {"kind": "hub-api", "command": "opentrends hub capture top"}
    assert parse_source(data, path).capture.command == "opentrends hub capture top"
    data["capture"] = {"kind": "urls"}
    with pytest.raises(RegistryError, match="entry 'download'"):
        parse_source(data, path)


# --- the round-trip writer -------------------------------------------------------------------------


def _registry_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "registry"
    folder.mkdir()
    text = (Path(__file__).resolve().parents[1] / "data" / "sources" / "ecosystem-graphs.yaml").read_text()
    text = text.replace("key: name\n", "# rows are matched on the asset name\nkey: name  # never the id\n")
    (folder / "ecosystem-graphs.yaml").write_text(text)
    return folder / "ecosystem-graphs.yaml"


def test_write_snapshot_keeps_comments_key_order_and_other_entries(tmp_path):
    path = _registry_copy(tmp_path)
    before = path.read_text()
    source = load_registry(path.parent)["ecosystem-graphs"]
    new = replace(source.snapshot(), date="2026-11-29", date_accessed="2026-11-29", note=None, upstream=None)
    written = write_snapshot(source, new)
    after = path.read_text()
    assert written == path
    assert "# rows are matched on the asset name\nkey: name  # never the id\n" in after
    assert after.startswith(before.rstrip("\n"))  # everything before is byte-identical; the new entry is appended
    assert "- date: '2026-11-29'" in after
    reloaded = load_registry(path.parent)["ecosystem-graphs"]
    assert reloaded.dates == ["2025-01-24", "2026-11-29"] and reloaded.snapshot("2026-11-29").files == new.files


def test_write_snapshot_updates_an_entry_in_place(tmp_path):
    path = _registry_copy(tmp_path)
    source = load_registry(path.parent)["ecosystem-graphs"]
    hub = HubLocation(repo_id="o/n", revision="b" * 40, path_in_repo="ecosystem-graphs/2025-01-24")
    write_snapshot(source, replace(source.snapshot(), hub=hub))
    text = path.read_text()
    assert "key: name  # never the id" in text and text.count("- date:") == 1
    assert load_registry(path.parent)["ecosystem-graphs"].snapshot().hub == hub


def test_the_committed_registry_is_in_the_writers_canonical_form():
    # a no-op rewrite must not touch a committed file, or every `update` would reformat the registry
    from opentrends.registry.writer import _dump, _round_trip_yaml

    rt = _round_trip_yaml()
    for path in sorted((Path(__file__).resolve().parents[1] / "data" / "sources").glob("*.yaml")):
        text = path.read_text()
        assert _dump(rt, rt.load(text)) == text, path.name


def test_first_snapshot_of_a_capture_only_source_is_written_as_a_block_list(tmp_path):
    folder = tmp_path / "registry"
    folder.mkdir()
    path = folder / "hub-stats-example.yaml"
    path.write_text(
        "id: hub-stats-example\nproducer: Example\ntitle: A Hub dataset\nurl_main: https://huggingface.co/datasets/o/n\n"
        "license: {name: Apache-2.0, url: https://www.apache.org/licenses/LICENSE-2.0}\ncitation: Example.\n"
        "# captured by revision; no snapshot yet\n"
        "capture: {kind: hub-dataset, repo_id: o/n, repo_type: dataset, files: [models.parquet]}\nsnapshots: []\n"
    )
    source = load_registry(folder)["hub-stats-example"]
    pinned = PinnedFile(path="models.parquet", sha256="d" * 64, size=10)
    snap = Snapshot(source.id, "2026-11-29", (pinned,), hub=HubLocation(repo_id="o/n", revision="e" * 40))
    write_snapshot(source, snap)
    text = path.read_text()
    assert "# captured by revision; no snapshot yet\n" in text
    assert "snapshots:\n- date: '2026-11-29'\n" in text
    assert load_registry(folder)["hub-stats-example"].snapshot().hub.revision == "e" * 40


@pytest.mark.parametrize(
    "url, durable",
    [
        (f"https://raw.githubusercontent.com/o/r/{'a' * 40}/data/x.csv", True),
        (f"https://raw.githubusercontent.com/o/r/main/{'a' * 40}/x.csv", False),  # a 40-hex folder on a branch
        (f"https://raw.githubusercontent.com/o/r/refs/heads/{'a' * 40}/x.csv", False),
        (f"https://raw.githubusercontent.com/o/r/{'a' * 40}", False),  # no file after the commit
        (f"https://raw.githubusercontent.com/o/r/{'a' * 40}/", False),
        (f"https://raw.githubusercontent.com/o/r/{'a' * 39}/x.csv", False),
        (f"https://github.com/o/r/raw/{'a' * 40}/x.csv", True),
        (f"https://github.com/o/r/blob/main/{'a' * 40}/x.csv", False),
        (f"https://huggingface.co/datasets/o/n/resolve/{'a' * 40}/f.csv", True),
        (f"https://example.org/{'a' * 40}", False),
        ("https://epoch.ai/data/all_ai_models.csv", False),
    ],
)
def test_durable_url_needs_the_commit_where_the_host_puts_the_ref(url, durable):
    assert is_durable_url(url) is durable
