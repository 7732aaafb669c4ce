"""One page per notebook: tables formatted, images described from their sidecars, headings demoted."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from conftest import ROOT
from opentrends.publish import notebook_html, notebook_pages

DEFAULT_INDEX = """<table border="1" class="dataframe"><thead><tr style="text-align: right;"><th></th><th>year</th>
<th>n</th><th>share</th></tr></thead><tbody><tr><th>0</th><td>2024</td><td>12345</td><td>0.333333</td></tr>
<tr><th>1</th><td>2025</td><td>NaN</td><td>1.0e+25</td></tr></tbody></table>"""

NAMED_INDEX = """<table border="1" class="dataframe"><thead><tr><th></th><th>n</th></tr><tr><th>origin</th><th></th></tr>
</thead><tbody><tr><th>China</th><td>1234.5678</td></tr></tbody></table>"""


def formatted(html):
    soup = BeautifulSoup(html, "html.parser")
    notebook_pages.format_table(soup, soup.table, "Table 1: t")
    return soup


def test_a_default_index_is_dropped_and_numbers_are_rounded_with_separators():
    soup = formatted(DEFAULT_INDEX)
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in soup.find_all("tr")]
    assert rows == [["year", "n", "share"], ["2024", "12,345", "0.333"], ["2025", "n/a", "1e+25"]]
    wrapper = soup.find("div")
    assert wrapper["tabindex"] == "0" and wrapper["role"] == "region" and wrapper["aria-label"] == "Table 1: t"


def test_a_named_index_stays_as_row_headers_under_its_name():
    soup = formatted(NAMED_INDEX)
    assert [c.get_text() for c in soup.thead.find_all("th")] == ["origin", "n"]
    assert soup.tbody.th["scope"] == "row" and soup.tbody.td.get_text() == "1,235"


def test_the_committed_notebook_pages_describe_every_image_and_demote_the_notebooks_h1():
    for page in sorted((ROOT / "report").glob("[0-9][0-9]_*.html")):
        text = page.read_text(encoding="utf-8")
        assert "No description has been provided" not in text
        assert len(re.findall(r"<h1[ >]", text)) == 1, page.name
        assert 'href="index.html"' in text  # back to the findings
        for img in re.findall(r"<img [^>]*>", text):
            assert re.search(r'alt="[^"]{20,}"', img), f"{page.name}: {img[:120]}"


def test_an_image_no_figure_matches_gets_an_explicit_description():
    nb = notebook_html.RenderedNotebook(
        "09_x",
        "nb-09_x",
        "T",
        '<div id="09_x-cell-id=a"><img src="data:image/png;base64,AA=="></div>',
        (),
        ({"id": "a", "cell_type": "code", "source": "plot()"},),
    )
    body = notebook_pages.polish(nb, {}, "../figures")
    assert "not one of the saved figures" in body
