"""The scale benchmark (benchmarks/hub_scale.py): the chunked synthetic table is one consistent table; the scale table and figure are written."""

from __future__ import annotations

import csv

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from benchmarks import hub_query as hub_bench
from benchmarks import hub_scale
from benchmarks.__main__ import summary


@pytest.fixture
def chunked(tmp_path, monkeypatch):
    monkeypatch.setattr(hub_scale, "CHUNK", 700)  # 3 chunks and a partial one
    parquet, origins = tmp_path / "t.parquet", tmp_path / "o.parquet"
    hub_scale.write_table(2500, 0, parquet, origins)
    return parquet, origins


def test_a_table_written_in_chunks_is_one_table_of_the_hub_stats_schema(chunked):
    parquet, _ = chunked
    table = pq.read_table(parquet)
    reference, _ = hub_bench.generate(500)
    assert table.schema.names == reference.schema.names and len(table) == 2500
    assert table["id"].to_pandas().is_unique
    ids = set(table["id"].to_pylist())
    with_base = table.filter(pc.is_valid(table["baseModels"]))
    bases = {m["id"] for row in pc.struct_field(with_base["baseModels"], "models").to_pylist() for m in row}
    assert bases and bases <= ids  # every base, in whichever chunk, is a model of the table
    assert bases <= set(hub_scale._plan(2500, 0)["base_ids"])  # drawn once for the whole table


def test_the_same_seed_writes_the_same_bytes(chunked, tmp_path):
    parquet, _ = chunked
    again = tmp_path / "again.parquet"
    hub_scale.write_table(2500, 0, again, tmp_path / "again_o.parquet")
    assert pq.read_table(again).equals(pq.read_table(parquet))


@pytest.mark.integration  # a whole benchmark: child processes and a figure
def test_scale_writes_the_csv_and_the_figure(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENTRENDS_BUILD", str(tmp_path))
    points = hub_scale.run(sizes=(300, 1200), progress=lambda line: None)
    assert [p["rows"] for p in points] == [300, 1200]
    with open(tmp_path / "bench" / "hub-scale.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["rows"]) for r in rows] == [300, 1200] and list(rows[0]) == list(hub_scale.COLUMNS)
    assert all(float(r["seconds"]) > 0 and float(r["peak_rss_mib"]) > 0 and int(r["result_rows"]) > 0 for r in rows)
    assert (tmp_path / "bench" / "hub-scale.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert hub_scale.targets(points) == []  # only the 20M-row point carries the targets


def test_the_summary_puts_each_target_beside_its_figure():
    text = summary(
        [
            ("no-op rebuild (median of 5)", "0.15 s", "<= 0.2 s", True),
            ("hub query, 2M rows: time", "1.20 s", "<= 1.0 s", False),
        ]
    )
    lines = text.splitlines()
    assert lines[2].split() == ["no-op", "rebuild", "(median", "of", "5)", "0.15", "s", "<=", "0.2", "s", "met"]
    assert lines[3].endswith("NOT met") and "1.20 s" in lines[3]
    assert lines[-1] == "1 of 2 targets met; 1 NOT met"
    report = {
        "rows": 2_000_000,
        "seconds": 0.9,
        "peak_rss_mb": 310.0,
        "pandas_seconds": 9.0,
        "pandas_peak_rss_mb": 1600.0,
    }
    assert [met for *_, met in hub_bench.targets(report)] == [True, False]
    assert hub_bench.describe(report).endswith("(targets: <= 1.0 s, <= 300 MiB)")
