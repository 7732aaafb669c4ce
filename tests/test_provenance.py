"""Provenance row counts count records, not lines."""

import json

import pandas as pd

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
                # hf-model-trees: ten files at three commits of one repository; the Arena history: one commit a version
                if source.id not in ("hf-model-trees", "arena-leaderboard-history"):
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


def test_snapshot_summary_is_one_row_per_snapshot_with_totals():
    from opentrends.analysis.provenance import snapshot_summary

    table = pd.DataFrame(
        {
            "source": ["a", "a", "b"],
            "snapshot": ["2025-01-01", "2025-01-01", "2025-02-01"],
            "file": ["x.csv", "y.csv", "z.md"],
            "upstream": ["u1", "u1", "u2"],
            "size_bytes": [10, 32, 5],
            "rows": pd.array([3, 4, pd.NA], dtype="Int64"),
            "license": ["MIT", "MIT", "CC-BY"],
        }
    )
    summary = snapshot_summary(table)
    assert summary.to_dict("records") == [
        {
            "source": "a",
            "snapshot": "2025-01-01",
            "files": 2,
            "size_bytes": 42,
            "rows": 7,
            "upstream": "u1",
            "license": "MIT",
        },
        {
            "source": "b",
            "snapshot": "2025-02-01",
            "files": 1,
            "size_bytes": 5,
            "rows": None,
            "upstream": "u2",
            "license": "CC-BY",
        },
    ]


def test_file_rows_keep_snapshots_of_few_files_with_readable_sizes():
    from opentrends.analysis.provenance import file_rows

    table = pd.DataFrame(
        {
            "source": ["daily", "daily", "daily", "small"],
            "snapshot": ["2025-01-01"] * 3 + ["2025-02-01"],
            "file": ["d1.csv", "d2.csv", "d3.csv", "z.csv"],
            "size_bytes": [1, 2, 3, 2048],
            "citation": ["c"] * 4,
        }
    )
    shown = file_rows(table, max_files=2)
    assert shown.to_dict("records") == [
        {"source": "small", "snapshot": "2025-02-01", "file": "z.csv", "size": "2.0 KiB"}
    ]
