"""Hub loaders on hand-made records (values checked by hand) and on the real pinned snapshots."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from opentrends.catalog.loaders import atom, hf_trees, hub_top
from opentrends.core.errors import DataError, ParameterError

TOP = "hf-hub-top-models@2026-08-22"
TREES = "hf-model-trees@2025-04-22"
ATOM = "atom-tracked-models@2026-08-17"


def record(model_id, likes, downloads, created="2025-01-20T03:46:07.000Z"):
    return {
        "id": model_id,
        "likes": likes,
        "downloads": downloads,
        "pipeline_tag": "text-generation",
        "library_name": "transformers",
        "createdAt": created,
        "lastModified": None,
    }


# a capture with list size 3: three models in likes order, then two more of the downloads top 3
CAPTURE = {
    "date": "2026-08-07",
    "fetched_at": "2026-08-07T21:41:45+09:00",
    "source": "huggingface.co/api/models",
    "models": [
        record("a/liked", 900, 10),
        record("b/both", 800, 5000),
        record("c/third", 700, 1),
        record("d/dl", 3, 9000),
        record("e/dl2", 2, 4000),
    ],
}


def test_capture_ranks_likes_by_position_and_downloads_over_the_union():
    rows = hub_top.parse_capture(CAPTURE, "capture.json", list_size=3).set_index("id")
    assert rows["rank_likes"].tolist()[:3] == [1, 2, 3]
    assert rows["rank_likes"].isna().tolist() == [False, False, False, True, True]
    # downloads: d 9000 (1), b 5000 (2), e 4000 (3); a and c are outside the top 3
    assert rows.loc[["d/dl", "b/both", "e/dl2"], "rank_downloads"].tolist() == [1, 2, 3]
    assert rows.loc[["a/liked", "c/third"], "rank_downloads"].isna().all()
    assert rows.loc["b/both", "author"] == "b"
    assert rows.loc["b/both", "downloads_30d"] == 5000
    assert rows.loc["b/both", "created_at"] == pd.Timestamp("2025-01-20 03:46:07")
    assert set(rows.reset_index().columns) == set(hub_top.COLUMNS)


def test_capture_not_in_likes_then_downloads_order_is_refused():
    shuffled = {**CAPTURE, "models": [CAPTURE["models"][i] for i in (1, 0, 2, 3, 4)]}
    with pytest.raises(DataError, match="capture.json: expected the first 3 entries in likes order"):
        hub_top.parse_capture(shuffled, "capture.json", list_size=3)


def test_capture_entry_outside_the_downloads_head_is_refused():
    extra = {**CAPTURE, "models": [*CAPTURE["models"], record("f/small", 1, 2)]}
    with pytest.raises(DataError, match="outside the top 3 by downloads"):
        hub_top.parse_capture(extra, "capture.json", list_size=3)


def test_capture_record_without_a_field_names_the_file_and_field():
    broken = {**CAPTURE, "models": [{k: v for k, v in record("a/x", 1, 1).items() if k != "likes"}]}
    with pytest.raises(DataError, match=r"capture.json: models\[0\] lacks field\(s\) likes"):
        hub_top.parse_capture(broken, "capture.json", list_size=3)


def test_malformed_capture_json_names_the_file_and_the_fix(tmp_path):
    path = tmp_path / "2026-08-07.json"
    path.write_text('{"date": "2026-08-07", "models": [', encoding="utf-8")
    with pytest.raises(DataError, match=r"2026-08-07.json: malformed JSON .*opentrends fetch"):
        hub_top.read_capture(path, "2026-08-07.json")


def test_real_captures_give_sixteen_days_of_two_300_lists(real_snapshot):
    top = hub_top.load_top(real_snapshot(TOP))
    assert top["date"].nunique() == 16
    per_day = top.groupby("date")
    assert (per_day["rank_likes"].count() == 300).all() and (per_day["rank_downloads"].count() == 300).all()
    first = top[top["date"] == top["date"].min()].set_index("id")
    assert first.loc["deepseek-ai/DeepSeek-R1", "rank_likes"] == 2
    assert first.loc["deepseek-ai/DeepSeek-R1", "likes"] == 13548


def test_base_models_come_from_relation_tags():
    assert hf_trees.base_models(
        ["license:mit", "base_model:deepseek-ai/DeepSeek-R1", "base_model:finetune:deepseek-ai/DeepSeek-R1"]
    ) == {"models": [{"id": "deepseek-ai/DeepSeek-R1"}], "relation": "finetune"}
    assert hf_trees.base_models(["base_model:merge:a/x", "base_model:merge:b/y", "base_model:a/x"]) == {
        "models": [{"id": "a/x"}, {"id": "b/y"}],
        "relation": "merge",
    }
    assert hf_trees.base_models(["base_model:a/x"]) == {"models": [{"id": "a/x"}], "relation": None}
    assert hf_trees.base_models(["region:us"]) is None


def tree_frame(rows):
    return pd.DataFrame(rows, columns=["model_id", "card", "metadata", "depth"]).astype(str)


def info(model_id, created, tags=(), likes=1, downloads=2):
    return json.dumps(
        {
            "id": model_id,
            "author": model_id.split("/")[0],
            "created_at": created,
            "likes": likes,
            "downloads": downloads,
            "tags": list(tags),
            "pipeline_tag": None,
            "library_name": "peft",
        }
    )


def test_tree_records_become_the_models_table_and_missing_metadata_is_counted():
    frame = tree_frame(
        [
            ["r/root", "", info("r/root", "2025-01-20 03:46:07+00:00"), "0"],
            ["u/child", "", info("u/child", "2025-01-22 10:00:00+00:00", ["base_model:adapter:r/root"], 5, 7), "1"],
            ["gone/model", "", "N/A", "1"],
        ]
    )
    models, without = hf_trees.parse_records(frame, "r/root", "tree.csv")
    assert without == 1
    assert models["id"].tolist() == ["r/root", "u/child"]
    child = models.set_index("id").loc["u/child"]
    assert child["baseModels"] == {"models": [{"id": "r/root"}], "relation": "adapter"}
    assert (child["likes"], child["downloads"], child["depth"], child["root"]) == (5, 7, 1, "r/root")
    assert child["createdAt"] == pd.Timestamp("2025-01-22 10:00:00")


def test_tree_file_with_malformed_metadata_names_file_line_and_model():
    frame = tree_frame([["r/root", "", "{not json", "0"]])
    with pytest.raises(DataError, match=r"tree.csv line 2 \(r/root\): malformed metadata JSON"):
        hf_trees.parse_records(frame, "r/root", "tree.csv")


def test_tree_file_without_metadata_column_is_refused():
    with pytest.raises(DataError) as err:
        hf_trees.parse_records(pd.DataFrame({"model_id": ["a/b"], "depth": ["0"]}), "a/b", "tree.csv")
    assert str(err.value) == (
        "tree.csv: missing column(s) 'metadata'; expected model_id, metadata, depth. "
        "Fix: re-pin the tree file from model_metadata_analyses."
    )


def test_real_trees_count_rows_without_metadata(real_snapshot):
    trees = hf_trees.load_trees(real_snapshot(TREES))
    assert trees.without_metadata.set_index("root")["n"].to_dict()["google/gemma-7b"] == 41
    assert int(trees.without_metadata["n"].sum()) == 78
    assert trees.models["id"].is_unique
    assert set(trees.models.loc[trees.models["depth"] == 0, "id"]) >= {"deepseek-ai/DeepSeek-R1", "microsoft/phi-2"}


def write_authors(tmp_path, rows, header="author,country,region,evidence_url,note"):
    path = tmp_path / "authors.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_author_row_without_evidence_url_is_refused(tmp_path):
    path = write_authors(tmp_path, ["acme,United States,us,,no source"])
    with pytest.raises(DataError, match="without an http\\(s\\) evidence URL: acme"):
        atom.load_author_table(path)


def test_author_row_with_unknown_region_label_is_refused(tmp_path):
    path = write_authors(tmp_path, ["acme,Mars,mars,https://example.org,"])
    with pytest.raises(DataError, match="unknown region label.*'mars'.*us, china, eu, other, unknown"):
        atom.load_author_table(path)


def test_author_table_without_country_column_is_refused(tmp_path):
    path = write_authors(tmp_path, ["acme,us,https://example.org,"], header="author,region,evidence_url,note")
    with pytest.raises(DataError) as err:
        atom.load_author_table(path)
    assert str(err.value).endswith(
        "authors.csv: missing column(s) 'country'; expected author, country, region, evidence_url, note. "
        "The file has author, region, evidence_url, note. Fix: point the loader at the file with the expected "
        "columns (or re-pin the snapshot)."
    )


def test_committed_author_table_has_evidence_for_every_row():
    table = atom.load_author_table()
    assert table["evidence_url"].str.startswith(("http://", "https://")).all()
    assert set(table["origin"]) <= set(atom.ORIGINS)
    assert table.set_index("author").loc["sentence-transformers", "origin"] == "Rest of world"


def test_atom_labels_win_over_the_committed_table():
    regions = pd.DataFrame({"author": ["Qwen"], "region": ["china"], "origin": ["China"], "note": [""]})
    table = pd.DataFrame(
        {"author": ["Qwen", "acme"], "region": ["us", "eu"], "origin": ["United States", "Rest of world"]}
    )
    merged = atom.author_origins(regions, table).set_index("author")
    assert merged.loc["Qwen", "origin"] == "China" and merged.loc["Qwen", "label_source"] == "ATOM"
    assert merged.loc["acme", "label_source"] == "hub_author_regions.csv"


def test_real_atom_regions_fold_into_four_origins(real_snapshot):
    regions = atom.load_regions(real_snapshot(ATOM)).set_index("author")
    assert len(regions) == 118
    assert regions.loc["deepseek-ai", "origin"] == "China"
    assert regions.loc["mistralai", "origin"] == "Rest of world"  # eu -> Rest of world
    assert regions.loc["EleutherAI", "origin"] == "Unknown"
    tracked = atom.load_tracked_models(real_snapshot(ATOM))
    assert tracked["model_id"].is_unique and len(tracked) > 1772


def test_tracked_models_counted_by_region():
    tracked = pd.DataFrame(
        {"org": ["Qwen", "Qwen", "google", "mistralai"], "model_id": ["Qwen/a", "Qwen/b", "google/c", "mistralai/d"]}
    )
    regions = pd.DataFrame({"author": ["Qwen", "google", "mistralai"], "region": ["china", "us", "eu"]})
    table = atom.tracked_by_region(tracked, regions).set_index("region")
    assert table.loc["china"].tolist() == [2, 1] and table.loc["us"].tolist() == [1, 1]
    assert table.loc["other"].tolist() == [0, 0]
    with pytest.raises(DataError, match="without a region: acme"):
        atom.tracked_by_region(pd.DataFrame({"org": ["acme"], "model_id": ["acme/x"]}), regions)


def test_unknown_capture_date_lists_the_valid_ones():
    top = hub_top.parse_capture(CAPTURE, "capture.json", list_size=3)
    assert len(hub_top.select_dates(top, ["2026-08-07"])) == 5
    with pytest.raises(ParameterError, match="dates: 2026-09-01 not among the capture dates 2026-08-07"):
        hub_top.select_dates(top, ["2026-09-01"])


def test_origin_overrides_replace_only_the_named_authors():
    origins = pd.DataFrame({"author": ["sentence-transformers", "Qwen"], "origin": ["Rest of world", "China"]})
    variant = atom.with_origins(origins, atom.MAINTAINER_ALTERNATIVE).set_index("author")["origin"]
    assert variant.to_dict() == {"sentence-transformers": "United States", "Qwen": "China"}
    with pytest.raises(DataError, match="unknown origin"):
        atom.with_origins(origins, {"Qwen": "Mars"})


def test_capture_dates_come_from_the_pinned_file_names():
    dates = hub_top.capture_dates(TOP)
    assert dates[0] == "2026-08-07" and dates[-1] == "2026-08-22" and len(dates) == 16


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (["1999-01-01"], "Parameter dates: 1999-01-01 not among the capture dates 2026-08-07, 2026-08-08"),
        ([], r"Parameter dates=\[\] must be None or a non-empty list of dates. Valid values: None"),
        ("2026-08-07", "Parameter dates='2026-08-07' must be None or a non-empty list"),
    ],
)
def test_dates_parameter_names_itself_and_the_capture_dates(dates, message):
    with pytest.raises(ParameterError, match=message):
        hub_top.check_dates("dates", dates, ["2026-08-08", "2026-08-07"])
    hub_top.check_dates("dates", None, ["2026-08-07"])
    hub_top.check_dates("dates", ["2026-08-07"], ["2026-08-07"])


def test_tracked_model_must_be_in_the_likes_list_of_some_day():
    top = hub_top.parse_capture(CAPTURE, "capture.json", list_size=3)
    hub_top.check_model("tracked_model", "c/third", top, list_size=3)
    for bad in ("d/dl", "", None):  # d/dl is only in the downloads list
        with pytest.raises(
            ParameterError, match=r"Parameter tracked_model=.* top 3 by likes .* e\.g\. a/liked, b/both"
        ):
            hub_top.check_model("tracked_model", bad, top, list_size=3)
    with pytest.raises(ParameterError, match="top 1 by likes"):
        hub_top.check_model("tracked_model", "b/both", top, list_size=1)
