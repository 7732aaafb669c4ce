"""Citation and embed snippets: exact text for a small hand-written sidecar, escaping, page-wide figures."""

from __future__ import annotations

import html.parser

import pytest

from opentrends.publish import snippets

SIDECAR = {
    "id": "open-share-by-year",
    "title": "Share of AI models released with open weights, 2016–2025",
    "caption": "Share open (n_open / n_known), 95% Wilson intervals; 45 models & more.",
    "alt_text": 'Line chart: the share rises from 20% to 50% ("open" > closed).',
    "source_line": "Data: Epoch AI, Data on AI Models (snapshot 2026-03-30).",
    "sources": [
        {"producer": "Epoch AI", "title": "Data on AI Models", "snapshot": "2026-03-30", "license": "CC BY 4.0"}
    ],
    "files": {"pdf": "open-share-by-year.pdf", "png": "open-share-by-year.png"},
    "size_inches": [3.5, 2.2],
}


def test_citation_credits_project_version_and_data_with_licence():
    assert snippets.citation(SIDECAR, version="0.1.0") == (
        "OpenTrends contributors (2026). Share of AI models released with open weights, 2016–2025 "
        "[figure open-share-by-year]. OpenTrends, version 0.1.0. figures/open-share-by-year.png. "
        "Licence CC BY 4.0. Data: Epoch AI, Data on AI Models (snapshot 2026-03-30), CC BY 4.0."
    )
    assert "version" not in snippets.citation(SIDECAR, version=None)


def test_data_credit_groups_snapshots_of_one_source():
    sources = [
        {"producer": "Epoch AI", "title": "Data on AI Models", "snapshot": "2026-03-30", "license": "CC BY 4.0"},
        {"producer": "Epoch AI", "title": "Data on AI Models", "snapshot": "2026-07-19", "license": "CC BY 4.0"},
        {"producer": "Stanford CRFM", "title": "Ecosystem Graphs", "snapshot": "2025-01-24", "license": "Apache 2.0"},
    ]
    assert snippets.data_credit(sources) == (
        "Epoch AI, Data on AI Models (snapshots 2026-03-30, 2026-07-19), CC BY 4.0; "
        "Stanford CRFM, Ecosystem Graphs (snapshot 2025-01-24), Apache 2.0"
    )


def test_markdown_is_an_image_with_alt_text_then_the_escaped_caption():
    assert snippets.markdown(SIDECAR) == (
        '![Line chart: the share rises from 20% to 50% ("open" \\> closed).](figures/open-share-by-year.png)\n\n'
        "**Share of AI models released with open weights, 2016–2025.** "
        "Share open (n\\_open / n\\_known), 95% Wilson intervals; 45 models & more. "
        "Data: Epoch AI, Data on AI Models (snapshot 2026-03-30)."
    )


def test_latex_float_has_includegraphics_caption_and_label_with_escaped_text():
    assert snippets.latex(SIDECAR).splitlines() == [
        r"\begin{figure}[tbp]",
        r"  \centering",
        r"  \includegraphics[width=\columnwidth]{figures/open-share-by-year.pdf}",
        (
            r"  \caption[{Share of AI models released with open weights, 2016–2025}]"
            r"{\textbf{Share of AI models released with open weights, 2016–2025.} "
            r"Share open (n\_open / n\_known), 95\% Wilson intervals; 45 models \& more. "
            r"Data: Epoch AI, Data on AI Models (snapshot 2026-03-30).}"
        ),
        r"  \label{fig:open-share-by-year}",
        '  % Alt text: Line chart: the share rises from 20% to 50% ("open" > closed).',
        r"\end{figure}",
    ]


def test_a_page_wide_figure_spans_both_columns_in_latex():
    wide = snippets.latex(SIDECAR | {"size_inches": [7.2, 3.0]})
    assert wide.startswith(r"\begin{figure*}[tbp]") and wide.endswith(r"\end{figure*}")
    assert r"\includegraphics[width=\textwidth]" in wide


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("a_b", r"a\_b"),
        ("50%", r"50\%"),
        ("$5 & #1", r"\$5 \& \#1"),
        ("{x}", r"\{x\}"),
        ("~^", r"\textasciitilde{}\textasciicircum{}"),
        ("a\\b", r"a\textbackslash{}b"),
    ],
)
def test_latex_escape(text, escaped):
    assert snippets.latex_escape(text) == escaped


class FigureParser(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.img, self.caption, self._in_caption = [], {}, "", False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_caption |= tag == "figcaption"
        if tag == "img":
            self.img = dict(attrs)

    def handle_endtag(self, tag):
        self._in_caption &= tag != "figcaption"

    def handle_data(self, data):
        if self._in_caption:
            self.caption += data


def test_html_figure_carries_alt_text_and_figcaption_that_parse_back_exactly():
    snippet = snippets.html_figure(SIDECAR)
    parsed = FigureParser()
    parsed.feed(snippet)
    assert parsed.tags == ["figure", "img", "figcaption", "strong", "small"]
    assert parsed.img["src"] == "figures/open-share-by-year.png"
    assert parsed.img["alt"] == SIDECAR["alt_text"]
    assert parsed.caption == f"{SIDECAR['title']}. {SIDECAR['caption']} {SIDECAR['source_line']}"
    assert 'id="fig-open-share-by-year"' in snippet


def test_for_figure_returns_every_kind_in_order_and_accepts_another_prefix():
    result = snippets.for_figure(SIDECAR, version="1.2.3", prefix="")
    assert list(result) == [*snippets.KINDS, "bibtex"] == ["citation", "markdown", "latex", "html", "bibtex"]
    assert result["bibtex"].startswith("@misc{opentrends-open-share-by-year,\n  author = {{OpenTrends contributors}},")
    assert "year = {2026}" in result["bibtex"] and "howpublished = {\\url{open-share-by-year.png}}" in result["bibtex"]

    assert "](open-share-by-year.png)" in result["markdown"]
    assert "{open-share-by-year.pdf}" in result["latex"]
    assert "version 1.2.3" in result["citation"]


def test_snippets_point_at_the_configured_base_url(monkeypatch):
    monkeypatch.setenv("OPENTRENDS_BASE_URL", "https://example.org/ot")
    result = snippets.for_figure(SIDECAR, version="1.2.3")
    assert "](https://example.org/ot/figures/open-share-by-year.png)" in result["markdown"]
    assert "https://example.org/ot/figures/open-share-by-year.png" in result["citation"]
    monkeypatch.delenv("OPENTRENDS_BASE_URL")
    assert "](figures/open-share-by-year.png)" in snippets.for_figure(SIDECAR)["markdown"]


def test_multi_line_text_becomes_one_line():
    sidecar = SIDECAR | {"caption": "First line\n  second line.", "alt_text": "Alt\ntext"}
    assert "First line second line." in snippets.html_figure(sidecar)
    assert "% Alt text: Alt text\n" in snippets.latex(sidecar)


def test_citation_cff_is_valid_cff_1_2_0_software_in_step_with_pyproject():
    import tomllib

    import yaml

    from conftest import ROOT

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert {"cff-version", "message", "title", "authors"} <= set(cff)  # required by the CFF 1.2.0 schema
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "software"
    assert isinstance(cff["message"], str) and cff["message"].strip()
    assert cff["title"].startswith("OpenTrends")
    assert isinstance(cff["authors"], list) and cff["authors"]
    for author in cff["authors"]:  # a person has family-names, an entity a name
        assert isinstance(author, dict) and ({"family-names", "name"} & set(author)), author
    assert cff["authors"] == [{"name": snippets.AUTHORS}]
    assert cff["license"] == "MIT" == pyproject["license"]["text"]
    assert str(cff["version"]) == pyproject["version"]
    assert "repository-code" not in cff  # no placeholder URL: the project has no public address yet
    allowed = {
        "cff-version",
        "message",
        "title",
        "authors",
        "type",
        "version",
        "license",
        "abstract",
        "keywords",
        "repository-code",
        "url",
        "doi",
        "date-released",
        "identifiers",
        "preferred-citation",
        "contact",
        "commit",
        "license-url",
        "references",
        "repository",
        "repository-artifact",
    }
    assert set(cff) <= allowed, f"keys outside the CFF 1.2.0 schema: {set(cff) - allowed}"
