"""The DuckDB query layer on a hand-made Hub models table; every expected value is worked out by hand."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_cli
from opentrends.analysis import hub_query as hubquery
from opentrends.core.errors import DataError, ParameterError

BASE = pa.struct([("models", pa.list_(pa.struct([("id", pa.string())]))), ("relation", pa.string())])
SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("author", pa.string()),
        ("createdAt", pa.timestamp("us")),
        ("likes", pa.int64()),
        ("downloads", pa.int64()),
        ("baseModels", BASE),
    ]
)


def base(relation, *ids):
    return {"models": [{"id": i} for i in ids], "relation": relation}


# us/base and cn/base are roots; x/ft2 -> x/ft1 -> us/base is a chain; y/m merges cn/base and us/base
# (the first listed base decides the family); z/orphan's base is not in the table (it is its own root).
ROWS = [
    ("us/base", "us", "2025-01-01 00:00", 100, 1000, None),
    ("cn/base", "cn", "2025-01-10 00:00", 100, 3000, None),
    ("x/ft1", "x", "2025-01-03 10:00", 5, 500, base("finetune", "us/base")),
    ("x/ft2", "x", "2025-02-01 00:00", 1, 100, base("adapter", "x/ft1")),
    ("y/q", "y", "2025-02-15 00:00", 0, 50, base("quantized", "cn/base")),
    ("y/m", "y", "2025-02-20 23:59", 0, 0, base("merge", "cn/base", "us/base")),
    ("z/orphan", "z", "2025-02-21 00:00", 2, 10, base("finetune", "gone/base")),
]
ORIGINS = pd.DataFrame({"author": ["us", "cn", "x"], "origin": ["United States", "China", "Rest of world"]})


def arrow_table(rows=ROWS) -> pa.Table:
    columns = list(zip(*rows))
    return pa.table(
        [
            pa.array(columns[0]),
            pa.array(columns[1]),
            pa.array(pd.to_datetime(list(columns[2])).astype("datetime64[us]"), type=pa.timestamp("us")),
            pa.array(columns[3], pa.int64()),
            pa.array(columns[4], pa.int64()),
            pa.array(columns[5], type=BASE),
        ],
        schema=SCHEMA,
    )


@pytest.fixture(params=["pandas", "arrow", "parquet", "connection"])
def hub_table(request, tmp_path):
    """The same table as each input kind hubquery accepts; yields (models, origins) for the call."""
    table = arrow_table()
    if request.param == "pandas":
        yield table.to_pandas(), ORIGINS
    elif request.param == "arrow":
        yield table, ORIGINS
    elif request.param == "parquet":
        pq.write_table(table, tmp_path / "models.parquet")
        yield tmp_path / "models.parquet", ORIGINS
    else:
        con = hubquery.connect(table, ORIGINS)
        yield con, None
        con.close()


def records(frame: pd.DataFrame, columns) -> list[tuple]:
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


def test_likes_ranking_breaks_ties_by_id(hub_table):
    top = hubquery.ranking(*hub_table, metric="likes", top_n=3)
    assert records(top, ["rank", "model", "origin", "likes"]) == [
        (1, "cn/base", "China", 100),
        (2, "us/base", "United States", 100),
        (3, "x/ft1", "Rest of world", 5),
    ]
    assert top["date"].isna().all()  # a whole-Hub snapshot has no capture date


def test_downloads_ranking(hub_table):
    top = hubquery.ranking(*hub_table, metric="downloads", top_n=2)
    assert records(top, ["rank", "model", "downloads_30d"]) == [(1, "cn/base", 3000), (2, "us/base", 1000)]


def test_downloads_share_by_origin_over_every_model(hub_table):
    shares = hubquery.downloads_by_origin(*hub_table)
    total = 1000 + 3000 + 500 + 100 + 50 + 0 + 10
    assert records(shares, ["origin", "n_models", "downloads_30d", "share"]) == [
        ("China", 1, 3000, 3000 / total),
        ("Rest of world", 2, 600, 600 / total),
        ("United States", 1, 1000, 1000 / total),
        ("Unknown", 3, 60, 60 / total),
    ]


def test_downloads_share_by_origin_over_the_head(hub_table):
    shares = hubquery.downloads_by_origin(*hub_table, top_n=2)
    assert records(shares, ["origin", "n_models", "share"]) == [("China", 1, 0.75), ("United States", 1, 0.25)]


def test_models_by_creation_month_and_origin(hub_table):
    months = hubquery.models_by_creation(*hub_table)
    assert records(months, ["created_month", "origin", "n_models"]) == [
        ("2025-01", "China", 1),
        ("2025-01", "Rest of world", 1),
        ("2025-01", "United States", 1),
        ("2025-02", "Rest of world", 1),
        ("2025-02", "Unknown", 3),
    ]


def test_derivatives_follow_the_chain_to_the_family_root(hub_table):
    families = hubquery.derivatives_by_base(*hub_table)
    assert records(families, ["root", "origin", "relation", "n"]) == [
        ("cn/base", "China", "merge", 1),
        ("cn/base", "China", "quantized", 1),
        ("gone/base", "Unknown", "finetune", 1),
        ("us/base", "United States", "adapter", 1),
        ("us/base", "United States", "finetune", 1),
    ]


def test_share_of_new_derivatives_by_root_origin_per_month(hub_table):
    monthly = hubquery.derivative_share_by_month(*hub_table)
    assert records(monthly, ["month", "origin", "n", "share"]) == [
        ("2025-01", "United States", 1, 1.0),
        ("2025-02", "China", 2, 0.5),
        ("2025-02", "United States", 1, 0.25),
        ("2025-02", "Unknown", 1, 0.25),
    ]


def test_derivative_timeline_counts_calendar_days_since_the_root(hub_table):
    timeline = hubquery.derivative_timeline(*hub_table)
    # us/base 2025-01-01: x/ft1 on day 2, x/ft2 on day 31; cn/base 2025-01-10: y/q day 36, y/m day 41.
    # gone/base is not in the table, so it has no release date and no timeline.
    assert records(timeline, ["root", "days_since_release", "cumulative_derivatives"]) == [
        ("cn/base", 36, 1),
        ("cn/base", 41, 2),
        ("us/base", 2, 1),
        ("us/base", 31, 2),
    ]
    only = hubquery.derivative_timeline(*hub_table, roots=["cn/base"])
    assert set(only["root"]) == {"cn/base"}


def test_capture_dates_partition_rankings_and_creation_counts():
    day1 = arrow_table().to_pandas().assign(date=pd.Timestamp("2026-08-07"))
    day2 = day1.assign(date=pd.Timestamp("2026-08-08"), likes=day1["likes"].where(day1["id"] != "x/ft1", 500))
    head = pd.concat([day1, day2], ignore_index=True).drop(columns="baseModels")
    top = hubquery.ranking(head, ORIGINS, metric="likes", top_n=1)
    assert records(top, ["date", "model"]) == [
        (pd.Timestamp("2026-08-07"), "cn/base"),
        (pd.Timestamp("2026-08-08"), "x/ft1"),
    ]
    months = hubquery.models_by_creation(head, ORIGINS, date="2026-08-08")
    assert int(months["n_models"].sum()) == len(ROWS)
    assert hubquery.derivatives_by_base(head, ORIGINS).empty  # a head capture has no base models


def test_a_cycle_of_base_models_ends():
    rows = [
        ("a/1", "a", "2025-01-01 00:00", 0, 0, base("finetune", "a/2")),
        ("a/2", "a", "2025-01-02 00:00", 0, 0, base("finetune", "a/1")),
    ]
    families = hubquery.derivatives_by_base(arrow_table(rows))
    assert int(families["n"].sum()) == 2


def test_table_without_downloads_is_refused():
    with pytest.raises(DataError, match="missing column\\(s\\) downloads"):
        hubquery.ranking(arrow_table().drop_columns(["downloads"]))


def test_missing_parquet_file_is_refused(tmp_path):
    with pytest.raises(DataError, match="no such parquet file"):
        hubquery.ranking(tmp_path / "absent.parquet")


def test_unknown_metric_lists_the_valid_ones():
    with pytest.raises(ParameterError, match="metric must be one of likes, downloads"):
        hubquery.ranking(arrow_table(), metric="stars")


def test_real_head_likes_ranking_matches_the_api_order(real_snapshot):
    from opentrends.catalog.loaders import hub_top

    top = hub_top.load_top(real_snapshot("hf-hub-top-models@2026-08-22"))
    ranked = hubquery.ranking(hub_top.as_models_table(top), metric="likes", top_n=20)
    api = top[top["rank_likes"] <= 20]
    assert records(ranked, ["date", "rank", "model"]) == records(api, ["date", "rank_likes", "id"])


def test_label_coverage_of_the_downloads_head(hub_table):
    # top 4 by downloads: cn/base 3000, us/base 1000, x/ft1 500, x/ft2 100; all four authors are labelled
    full = hubquery.label_coverage(*hub_table, metric="downloads", top_n=4)
    assert records(full, ["n_models", "n_authors", "n_unlabelled_authors", "labelled_share"]) == [(4, 3, 0, 1.0)]
    # top 5 adds y/q (50 downloads, author y has no label)
    five = hubquery.label_coverage(*hub_table, metric="downloads", top_n=5)
    assert records(five, ["n_unlabelled_authors", "n_unlabelled_models", "labelled_share"]) == [(1, 1, 4600 / 4650)]


def test_created_at_as_iso_text_or_tz_aware_reads_as_utc():
    frame = arrow_table().to_pandas().drop(columns="baseModels")
    as_text = frame.assign(createdAt=frame["createdAt"].dt.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    as_tz = frame.assign(createdAt=frame["createdAt"].dt.tz_localize("UTC").dt.tz_convert("Asia/Seoul"))
    expected = hubquery.models_by_creation(frame, ORIGINS)
    pd.testing.assert_frame_equal(hubquery.models_by_creation(as_text, ORIGINS), expected)
    pd.testing.assert_frame_equal(hubquery.models_by_creation(as_tz, ORIGINS), expected)


def test_origins_with_an_author_twice_are_refused():
    twice = pd.concat([ORIGINS, ORIGINS.head(1)], ignore_index=True)
    with pytest.raises(DataError, match="listed more than once: us"):
        hubquery.ranking(arrow_table(), twice)


def test_label_coverage_counts_unknown_as_downloads_by_origin_does():
    # z (z/orphan, 10 downloads) is labelled Unknown: labelled, yet of Unknown origin; y (y/q 50, y/m 0) has no label
    origins = pd.concat([ORIGINS, pd.DataFrame({"author": ["z"], "origin": ["Unknown"]})], ignore_index=True)
    cover = hubquery.label_coverage(arrow_table(), origins, metric="downloads", top_n=7).iloc[0]
    assert (cover.n_unlabelled_authors, cover.n_unlabelled_models) == (1, 2)
    assert (cover.n_unknown_authors, cover.n_unknown_models) == (2, 3)
    assert list(cover.labelled_unknown_authors) == ["z"]
    assert cover.labelled_share == pytest.approx(4610 / 4660) and cover.known_share == pytest.approx(4600 / 4660)
    unknown = hubquery.downloads_by_origin(arrow_table(), origins, top_n=7).set_index("origin").loc["Unknown"]
    assert unknown.n_models == cover.n_unknown_models and unknown.share == pytest.approx(1 - cover.known_share)
    assert list(hubquery.label_coverage(arrow_table(), ORIGINS, top_n=7).iloc[0].labelled_unknown_authors) == []
    with pytest.raises(ParameterError, match="top_n must be a positive whole number"):
        hubquery.label_coverage(arrow_table(), ORIGINS, top_n=0)


def test_notebook_04_refuses_a_bad_top_n_before_any_kernel_starts(tmp_path):
    """Declared types and ranges are checked by the runner (run.param_spec), so no pinned data is needed here."""
    result = run_cli(
        "run", "04_hub_adoption", "-p", "top_n=0", "--name", "bad", env={"OPENTRENDS_BUILD": str(tmp_path)}
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr == (
        "error: Parameter top_n=0 of notebook 04_hub_adoption is not valid. Valid values: a whole number from 1 to "
        "head_size (here 300). Fix: pass a valid value; `opentrends params 04_hub_adoption` lists every parameter, "
        "its default and valid values.\n"
    )
    assert "running" not in result.stdout
    assert not (tmp_path / "failed").exists() and not (tmp_path / "runs").exists()
