"""core.schema: YAML documents checked against the package's JSON Schemas, reported as entry, expectation, value."""

from __future__ import annotations

import datetime as dt

from opentrends.core.schema import Violation, plain, violation

PARAMS = ("opentrends.run", "params.schema.json")


def test_plain_turns_yaml_dates_into_iso_text_at_any_depth():
    assert plain({"a": [dt.date(2025, 1, 24), {"b": dt.date(2026, 3, 30)}], "c": 1}) == {
        "a": ["2025-01-24", {"b": "2026-03-30"}],
        "c": 1,
    }


def test_a_valid_document_has_no_violation():
    assert violation({"common": {"start_year": 2018}, "notebooks": {"01_x": None}}, *PARAMS) is None
    assert violation({}, *PARAMS) is None


def test_the_violation_names_the_entry_with_list_positions_and_the_expected_words():
    assert violation(["start_year"], *PARAMS) == Violation(
        "(top level)", "top-level keys 'common' and 'notebooks' (mappings)", ["start_year"]
    )
    assert violation({"common": [1, 2]}, *PARAMS) == Violation(
        "common", "a mapping of parameter names to values (for every notebook that declares the name)", [1, 2]
    )
    assert violation({"notebooks": {"01_x": "2018"}}, *PARAMS) == Violation(
        "notebooks.01_x", "a mapping of parameter names to values", "2018"
    )


def test_list_positions_are_written_in_brackets():
    document = {"id": "x", "snapshots": [{"date": "2025-01-24", "files": [{"path": "a", "sha256": "b", "size": 1}]}]}
    found = violation(document, "opentrends.registry", "source.schema.json")
    assert found == Violation("producer", "a non-empty value", None)
    document.update(producer="p", title="t", url_main="u", citation="c", license={"name": "n", "url": "u"})
    found = violation(document, "opentrends.registry", "source.schema.json")
    assert found == Violation("snapshots[0].files[0].sha256", "64 hexadecimal characters", "b")
