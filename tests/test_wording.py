"""core/wording: templates as Markdown reads them, strict facts, core.text's number filters; and core.text.day."""

import jinja2
import pytest

from opentrends.core import text, wording


def test_unwrap_joins_lines_and_keeps_paragraphs():
    source = "A wrapped\n  sentence, on\ntwo lines.\n\n\nNext   paragraph.\n"
    assert wording.unwrap(source) == "A wrapped sentence, on two lines.\n\nNext   paragraph."


def test_render_fills_facts_with_number_filters():
    env = wording.environment()
    template = env.from_string("{{ a | pct(1) }}, {{ d | pp }}, {{ n | count }}, {{ x | pct }}, {{ t | day }}")
    assert template.render(a=0.6912, d=-0.25, n=12345, x=None, t="2026-08-22") == (
        "69.1%, 25 percentage points, 12,345, n/a, 22 August 2026"
    )
    joined = env.from_string('{{ s | map("pct") | join(", ") }}').render(s=[0.69, 0.44])
    assert joined == "69%, 44%"


def test_a_missing_fact_is_an_error_naming_it():
    with pytest.raises(jinja2.UndefinedError, match="n_head"):
        wording.render("captions/hub-popular-models-by-creation.caption.txt", list_size=300, date="2026-08-22",
                       earliest="2022-03-02")  # fmt: skip


def test_shipped_templates_end_without_their_final_newline():
    out = wording.render("captions/hub-derivative-timeline.alt.txt", subject="a/b", n=1200)
    assert out == "Small multiples of step lines; a/b reaches 1,200 derivatives within 30 days."


def test_every_template_parses():
    env = wording.environment()
    names = env.list_templates(filter_func=lambda n: not n.startswith("pages/"))
    assert names and [env.get_template(n).name for n in names] == names


def test_day_reads_timestamps_dates_and_strings():
    assert text.day("2026-08-07") == "7 August 2026"
    import pandas as pd

    assert text.day(pd.Timestamp("2025-04-22 13:00")) == "22 April 2025"


def test_csv_column_descriptions_come_in_csv_order_with_their_facts():
    described = wording.columns("hub-downloads-by-origin", head_size=300)
    assert list(described) == ["attribution", "origin", "n_models", "downloads_30d", "share"]
    assert described["share"] == "downloads_30d / the top 300's total"
    assert (
        "open_definition=weights"
        in wording.columns("frontier-compute-open-vs-closed", open_definition="weights")["access_class"]
    )
