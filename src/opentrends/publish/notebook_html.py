"""Executed notebooks as HTML fragments for the report: code folded, ids unique per notebook, sections found.

nbconvert's `HTMLExporter` with the body-only `basic` template, extended so each code cell's input
sits in a closed `<details>` ("Code") and prompts are left out. Several notebooks share one page,
so every `id` and in-page link of a notebook gets the notebook's name as a prefix. The images a
notebook shows are already inline (data URIs in its outputs), so the fragment needs no files.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

TEMPLATE_NAME = "opentrends_report.html.j2"  # in templates/nbconvert/ (package data)
HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str  # the prefixed id on the page
    text: str


@dataclass(frozen=True)
class RenderedNotebook:
    name: str  # "02_us_vs_china"
    anchor: str  # id of the notebook's section on the page
    title: str  # its first heading, else its name
    body: str  # the HTML fragment
    headings: tuple[Heading, ...]
    cells: tuple[dict, ...]  # the notebook's cells (JSON), to find which section derives a figure


def _exporter():
    from jinja2 import PackageLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="basic",
        extra_loaders=[PackageLoader("opentrends", "templates/nbconvert")],
        template_file=TEMPLATE_NAME,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def prefix_ids(body: str, prefix: str) -> str:
    """Every `id="x"` becomes `id="<prefix>-x"` and every `href="#x"` follows it."""
    body = re.sub(r'\bid="([^"]*)"', lambda m: f'id="{prefix}-{m.group(1)}"', body)
    return re.sub(r'\bhref="#([^"]*)"', lambda m: f'href="#{prefix}-{m.group(1)}"', body)


def render(path: Path, exporter=None) -> RenderedNotebook:
    """One executed notebook as a report fragment."""
    import nbformat

    name = path.stem
    notebook = nbformat.read(path, as_version=4)
    body, _ = (exporter or _exporter()).from_notebook_node(notebook)
    body = prefix_ids(body, name)
    headings = tuple(Heading(int(lvl), anchor, _plain(inner)) for lvl, anchor, inner in HEADING.findall(body))
    title = next((h.text for h in headings if h.level == 1), name)
    cells = tuple(json.loads(json.dumps(notebook["cells"])))
    return RenderedNotebook(name, f"nb-{name}", title, body, headings, cells)


def render_all(paths_: list[Path]) -> list[RenderedNotebook]:
    """Every notebook, with one exporter (building it loads the templates once)."""
    exporter = _exporter()
    return [render(p, exporter) for p in paths_]


def _heading_cell_id(cells: tuple[dict, ...], needle: str) -> str | None:
    """The id of the last markdown cell with a heading before the first code cell containing `needle`."""
    last = None
    for cell in cells:
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown" and re.search(r"^#{1,6} ", source, re.M):
            last = cell.get("id")
        elif cell.get("cell_type") == "code" and needle in source:
            return last
    return None


def section_anchor(notebook: RenderedNotebook, figure_id: str) -> tuple[str, str]:
    """(anchor, heading text) of the notebook section whose code saves `figure_id`; the notebook's top otherwise."""
    cell_id = _heading_cell_id(notebook.cells, f'"{figure_id}"')
    if cell_id:
        start = notebook.body.find(f'id="{notebook.name}-cell-id={cell_id}"')
        if start >= 0:
            match = HEADING.search(notebook.body, start)
            if match:
                return match.group(2), _plain(match.group(3))
    return notebook.anchor, notebook.title


def find_heading(notebook: RenderedNotebook, starts_with: str) -> Heading | None:
    """The first heading (markdown cells and outputs alike) whose text starts with `starts_with`."""
    return next((h for h in notebook.headings if h.text.startswith(starts_with)), None)
