"""The Hub query benchmark (benchmarks/hub_query.py): its synthetic table has the real schema and shape, and DuckDB == pandas on every aggregation."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pyarrow.compute as pc
import pytest

from benchmarks import hub_query as hubbench
from opentrends.core import paths

ROWS = 5000


@pytest.fixture(scope="module")
def small_table(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hubbench")
    parquet, origins = folder / "models.parquet", folder / "origins.parquet"
    hubbench.write_table(ROWS, 0, parquet, origins)
    return parquet, pd.read_parquet(origins)


def test_synthetic_table_has_the_hub_stats_schema_and_shape():
    table, origins = hubbench.generate(20_000, seed=1)
    assert table.column_names == [
        "id",
        "author",
        "createdAt",
        "likes",
        "downloads",
        "downloadsAllTime",
        "tags",
        "pipeline_tag",
        "library_name",
        "baseModels",
    ]
    with_base = table.filter(pc.is_valid(table["baseModels"]))
    assert abs(len(with_base) / len(table) - hubbench.BASE_SHARE) < 0.02
    relations = pd.Series(pc.struct_field(with_base["baseModels"], "relation").to_pylist()).value_counts(normalize=True)
    for name, share in zip(hubbench.RELATIONS, hubbench.RELATION_MIX):
        assert abs(relations[name] - share) < 0.02, name
    likes = pd.Series(table["likes"].to_numpy())
    assert likes.max() > 100 * max(likes.median(), 1)  # heavy tail: a few models hold most likes
    assert table["id"].to_pandas().is_unique
    assert set(origins["origin"]) == {"United States", "China", "Rest of world"}


def test_same_seed_same_table():
    first, _ = hubbench.generate(500, seed=3)
    again, _ = hubbench.generate(500, seed=3)
    assert first.equals(again)


def test_duckdb_and_pandas_agree_on_every_aggregation(small_table):
    parquet, origins = small_table
    duck = hubbench.duckdb_aggregations(parquet, origins)
    plain = hubbench.pandas_aggregations(parquet, origins)
    assert set(duck) == set(plain) == set(hubbench.AGGREGATIONS)
    assert all(len(duck[name]) > 0 for name in hubbench.AGGREGATIONS)
    assert hubbench.differences(duck, plain) == []


def test_a_single_changed_value_is_reported(small_table):
    parquet, origins = small_table
    duck = hubbench.duckdb_aggregations(parquet, origins)
    plain = hubbench.pandas_aggregations(parquet, origins)
    plain["derivatives_by_base"].loc[0, "n"] += 1
    bad = hubbench.differences(duck, plain)
    assert len(bad) == 1 and bad[0].startswith("derivatives_by_base")


def bench(*arguments: str, build) -> subprocess.CompletedProcess:
    """`python -m benchmarks ARGS` from the project root, as `make bench` runs it."""
    env = {**os.environ, "OPENTRENDS_BUILD": str(build)}
    command = [sys.executable, "-m", "benchmarks", *arguments]
    return subprocess.run(command, cwd=paths.ROOT, env=env, capture_output=True, text=True, check=False)


@pytest.mark.integration  # a whole benchmark: three child processes
def test_bench_command_prints_exactly_the_report_json(tmp_path):
    result = bench("hub", "--rows", "2000", "--json", build=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert list(report) == ["rows", "seconds", "peak_rss_mb", "pandas_seconds", "pandas_peak_rss_mb"]
    assert report["rows"] == 2000 and report["seconds"] > 0 and report["pandas_peak_rss_mb"] > 0
    assert (tmp_path / "bench" / "hub_2000_0.parquet").is_file()


def test_too_few_rows_is_a_usage_error(tmp_path):
    result = bench("hub", "--rows", "10", build=tmp_path)
    assert result.returncode == 2 and "--rows must be at least 100" in result.stderr
