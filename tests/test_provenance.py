"""Provenance row counts count records, not lines."""

import json

from opentrends.analysis.provenance import record_count


def test_a_quoted_multi_line_cell_is_one_record(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text('System,Abstract\nA,"line one\nline two\nline three"\nB,short\n')
    assert len(path.read_text().splitlines()) == 5
    assert record_count(path) == 2


def test_json_captures_count_their_entries_and_other_files_count_nothing(tmp_path):
    capture = tmp_path / "2026-08-07.json"
    capture.write_text(json.dumps({"date": "2026-08-07", "source": "api", "models": [{"id": "a"}, {"id": "b"}]}))
    listing = tmp_path / "list.json"
    listing.write_text(json.dumps([1, 2, 3]))
    ambiguous = tmp_path / "two.json"
    ambiguous.write_text(json.dumps({"a": [1], "b": [2, 3]}))
    script = tmp_path / "regression.py"
    script.write_text("print('not a table')\n")
    assert [record_count(p) for p in (capture, listing, ambiguous, script)] == [2, 3, None, None]


def test_every_file_notebook_00_lists_names_its_durable_upstream():
    from opentrends.analysis.provenance import durable_upstream
    from opentrends.registry.sources import HubLocation, PinnedFile, Snapshot, load_registry

    for source in load_registry().values():
        for snap in source.snapshots:
            for pinned in snap.files:
                named = durable_upstream(pinned, snap)
                assert named.startswith("commit ") and named.removeprefix("commit ") in pinned.url, pinned.url
                if source.id != "hf-model-trees":  # its ten files sit at three commits of one repository
                    assert named == f"commit {snap.upstream.commit[:12]}", f"{snap.ref}/{pinned.path}"
    moving = PinnedFile("a.csv", "0" * 64, 1, url="https://epoch.ai/data/a.csv")
    hub = HubLocation(repo_id="o/n", revision="c" * 40)
    assert durable_upstream(moving, Snapshot("s", "2026-01-01", (moving,), hub=hub)) == f"hub {'c' * 12}"
    assert durable_upstream(moving, Snapshot("s", "2026-01-01", (moving,))) == "none"


def test_notebook_00_valid_values_come_from_the_registry():
    from opentrends.analysis import provenance

    refs = provenance.registered_refs()
    assert "epoch-ai-models@2026-03-30" in refs and "ecosystem-graphs@2025-01-24" in refs
    comparable = provenance.comparable_refs()
    assert "epoch-ai-models@2026-07-19" in comparable and set(comparable) <= set(refs)
    files = provenance.comparable_files("epoch-ai-models@2026-03-30", "epoch-ai-models@2026-07-19")
    assert "notable_ai_models.csv" in files and all(f.endswith(".csv") for f in files)
