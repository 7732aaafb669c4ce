"""Schema drift between two versions of a table: columns added, removed, and rename candidates (by the stated rule)."""

import pandas as pd

from opentrends.data.changes import compare_schema


def table(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns, dtype="string")


def test_a_removed_and_an_added_column_with_the_same_values_on_the_key_is_a_rename():
    old = table(Model=["a", "b", "c"], Org=["x", "y", "z"], Year=["2020", "2021", "2022"])
    # rows reordered and one added: values still match on the key
    new = table(Model=["c", "a", "b", "d"], Year=["2022", "2020", "2021", "2023"], Organization=["z", "x", "y", "w"])
    change = compare_schema(old, new, key="Model")
    assert change.removed == ["Org"] and change.added == ["Organization"]
    assert change.renamed == [("Org", "Organization", "same values")]
    assert change.lines() == ["column renamed? 'Org' -> 'Organization' (same values)"]


def test_without_a_key_values_are_matched_by_row_position():
    old = table(a=["1", "2"], b=["3", "4"])
    new = table(a=["1", "2"], c=["3", "4"])
    assert compare_schema(old, new).renamed == [("b", "c", "same values")]


def test_different_values_at_the_same_position_are_a_rename_candidate_by_position():
    old = table(Model=["a", "b"], Country=["US", "CN"], Extra=["1", "2"])
    new = table(Model=["a", "b"], Nation=["United States", "China"], Extra=["1", "2"])
    change = compare_schema(old, new, key="Model")
    assert change.renamed == [("Country", "Nation", "same position")]


def test_columns_that_pair_with_nothing_are_reported_as_removed_and_added():
    old = table(Model=["a", "b"], Country=["US", "CN"])
    new = table(Model=["a", "b"], Flag=["1", "0"], Country2=["x", "y"])
    change = compare_schema(old, new, key="Model")
    # Country sat at position 1, where Flag now stands: paired by position; Country2 stays added
    assert change.renamed == [("Country", "Flag", "same position")]
    assert change.lines() == ["column renamed? 'Country' -> 'Flag' (same position)", "columns added: 'Country2'"]
    dropped = compare_schema(table(Model=["a"], Country=["US"], Year=["2020"]), table(Model=["a"], Year=["2020"]))
    assert dropped.renamed == [] and dropped.lines() == ["columns removed: 'Country'"]


def test_same_columns_report_no_change():
    old = table(Model=["a"], Year=["2020"])
    change = compare_schema(old, table(Model=["b"], Year=["2021"]), key="Model")
    assert not change.changed and change.lines() == []
