"""core.tables: CSV text as published, and the one missing-column check."""

from __future__ import annotations

import pandas as pd
import pytest

from opentrends.core.errors import DataError, OpenTrendsError
from opentrends.core.tables import missing_columns, read_csv_text, require_columns


def test_require_columns_returns_the_frame_when_complete():
    frame = pd.DataFrame({"a": [1], "b": [2]})
    assert require_columns(frame, ["a", "b"], "x.csv") is frame


def test_require_columns_names_the_file_the_missing_and_the_expected_columns_and_the_fix():
    frame = pd.DataFrame({"a": [1]})
    with pytest.raises(DataError) as err:
        require_columns(frame, ["a", "b", "c"], "src@2025-01-01/x.csv", fix="Fix: re-pin it.")
    assert str(err.value) == "src@2025-01-01/x.csv: missing column(s) 'b', 'c'; expected a, b, c. Fix: re-pin it."


def test_require_columns_raises_the_error_class_asked_for():
    class LoaderError(OpenTrendsError):
        pass

    with pytest.raises(LoaderError):
        require_columns(pd.DataFrame(), ["a"], "t", error=LoaderError)


def test_require_columns_accepts_the_column_names_of_a_table_not_in_memory():
    names = ["id", "likes"]  # e.g. a Parquet schema's names
    assert require_columns(names, ["id"], "m.parquet") is names
    with pytest.raises(DataError) as err:
        require_columns(names, ["id", "downloads"], "m.parquet", fix="Fix: x.")
    assert str(err.value) == "m.parquet: missing column(s) 'downloads'; expected id, downloads. Fix: x."


def test_missing_columns_keeps_the_order_of_the_required_names():
    assert missing_columns(["b"], ["c", "b", "a"]) == ["c", "a"]
    assert missing_columns(pd.DataFrame({"a": [1]}).columns, ["a"]) == []


def test_read_csv_text_keeps_blanks_and_skips_leading_comments(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("# a comment\n# another\nname,value\nx,\n,2\n", encoding="utf-8")
    frame = read_csv_text(path)
    assert frame.to_dict("records") == [{"name": "x", "value": ""}, {"name": "", "value": "2"}]
