"""The pages' templates: autoescaped, no HTML escaped by hand in publish/, one stylesheet, shipped with the package."""

from __future__ import annotations

import ast
import fnmatch
import html
import tomllib

import pytest

from conftest import ROOT
from opentrends.publish import gallery, html_page, report, snippets

PUBLISH = ROOT / "src" / "opentrends" / "publish"
PAGES = ROOT / "src" / "opentrends" / html_page.PAGES
EVIL = "<script>alert(\"x\")</script> & 'quoted'"
EVIL_ESCAPED = html.escape(EVIL)  # &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;


def escape_calls(path) -> list[str]:
    """Each `html.escape`, `escape(...)` or `from html|markupsafe import escape` in a module, as `line: text`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "escape":
            found.append(f"{node.lineno}: .escape")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("escape", "e"):
            found.append(f"{node.lineno}: {node.func.id}(")
        elif isinstance(node, ast.ImportFrom) and any(a.name == "escape" for a in node.names):
            found.append(f"{node.lineno}: from {node.module} import escape")
    return found


def test_no_module_under_publish_escapes_html_by_hand():
    # figure_files.py writes an SVG's <title>/<desc>: XML text, escaped as XML (xml.sax.saxutils), no page of ours
    modules = [p for p in sorted(PUBLISH.glob("*.py")) if p.name != "figure_files.py"]
    offenders = {p.name: calls for p in modules if (calls := escape_calls(p))}
    assert offenders == {}, "escape in the templates (autoescape), not in Python"


def test_the_escape_check_can_fail(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import html\ne = html.escape\nfrom markupsafe import escape\nx = e('<')\n")
    assert len(escape_calls(module)) == 3


def test_every_page_template_is_autoescaped_and_the_stylesheet_and_script_are_not():
    env = html_page.environment()
    names = sorted(p.name for p in PAGES.iterdir())
    pages = [n for n in names if n.endswith(".html.j2")]
    assert {"base.html.j2", "gallery.html.j2", "report.html.j2"} <= set(pages)
    assert all(env.autoescape(n) for n in pages)
    assert sorted(n for n in names if n not in pages) == ["charts.js", "copy.js", "style.css.j2"]
    assert not any(env.autoescape(n) for n in ("charts.js", "copy.js", "style.css.j2"))
    assert env.autoescape("new-partial.j2"), "a template of an unknown kind is escaped by default"


def sidecar(**text) -> dict:
    return {
        "id": "x-figure",
        "title": "A figure",
        "caption": "A caption.",
        "alt_text": "An image.",
        "source_line": "Data: somebody.",
        "files": {"png": "x-figure.png", "csv": "x-figure.csv"},
        "sources": [{"citation": "Somebody (2026).", "license": "CC BY 4.0"}],
        "snippets": {"citation": "c", "markdown": "m", "latex": "l", "html": "<figure></figure>"},
        "columns": {"year": "the year"},
        "notebook": "01_open_vs_closed",
    } | text


def test_the_gallery_escapes_every_value_it_prints():
    page = gallery.render([sidecar(title=EVIL, caption=EVIL, alt_text=EVIL)], title=EVIL)
    assert "<script>alert" not in page
    assert page.count(EVIL_ESCAPED) == 7  # <title>, <h1>, the contents, the heading, the caption, the alt text twice
    assert "&lt;figure&gt;&lt;/figure&gt;</pre>" in page  # a snippet is text to copy, shown as text


def test_the_report_escapes_every_value_it_prints():
    ledger = [{"id": "x", "claim": EVIL, "verdict": "supported", "summary": EVIL}]
    section = html_page.render("report_claims.html.j2", claims=report.claims(ledger, {}))
    assert (
        "<script>alert" not in section and section.count(EVIL_ESCAPED) == 1
    )  # the claim; the ledger keeps the summary


def test_the_html_snippet_escapes_its_values():
    snippet = snippets.html_figure(sidecar(title="T", caption=EVIL, alt_text=EVIL) | {"source_line": EVIL})
    assert "<script>alert" not in snippet and snippet.count(EVIL_ESCAPED) == 3
    assert snippet.endswith("</figure>"), "pasted as is: no newline after it"


def test_quotes_are_spelled_as_html_escape_spells_them_so_the_committed_pages_keep_their_bytes():
    template = html_page.environment().from_string('<p title="{{ v }}">{{ v }}</p>')
    assert template.render(v=EVIL) == f'<p title="{EVIL_ESCAPED}">{EVIL_ESCAPED}</p>'
    assert "&#39;" not in template.render(v="'") and "&#34;" not in template.render(v='"')


@pytest.mark.parametrize("page", ["gallery", "report"])
def test_both_pages_share_one_head(page):
    committed = (ROOT / ("figures" if page == "gallery" else "report") / "index.html").read_text(encoding="utf-8")
    head = html_page.render("base.html.j2", page=page, title="T", code_colours="").split("<title>")[0]
    assert committed.startswith(head) and head.startswith("<!DOCTYPE html>")


def text_files():
    for folder in ("src", "scripts", "tests", "benchmarks"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".j2", ".css", ".js", ".html", ".md", ".toml", ".txt"):
                yield path


def test_the_stylesheet_exists_once():
    """Each rule of the pages' stylesheet is written in one file, style.css.j2 (not in Python, not twice)."""
    style = PAGES / "style.css.j2"
    rules = [
        line
        for line in style.read_text(encoding="utf-8").splitlines()
        if "{" in line and not line.lstrip().startswith(("{%", "{#", "{{")) and len(line) > 30
    ]
    assert len(rules) > 40
    for rule in rules:
        assert style.read_text(encoding="utf-8").count(rule + "\n") == 1, f"{rule!r} twice in the stylesheet"
    elsewhere = {p.name for p in text_files() if p != style and any(r in p.read_text(encoding="utf-8") for r in rules)}
    assert elsewhere == set()
    assert sorted(p.name for p in ROOT.joinpath("src").rglob("*.css*")) == ["style.css.j2"]


def test_the_script_exists_once():
    script = (PAGES / "copy.js").read_text(encoding="utf-8")
    line = next(l for l in script.splitlines() if "execCommand" in l)
    assert [p.name for p in text_files() if line in p.read_text(encoding="utf-8")] == ["copy.js"]


def test_the_templates_ship_with_the_package():
    """Every file in templates/ matches a package-data pattern, so a wheel carries it (not only an editable install)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["opentrends"]
    package = ROOT / "src" / "opentrends"
    files = [p.relative_to(package).as_posix() for p in package.joinpath("templates").rglob("*") if p.is_file()]
    assert files and [f for f in files if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)] == []
