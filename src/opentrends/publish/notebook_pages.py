"""One page per executed notebook (`report/NN_*.html`): nbconvert's HTML, made readable and accessible.

`notebook_html` converts the notebook (code folded); this module then, on the parsed fragment:
- gives every image the alt text of the figure its cell saves (the figure ids are literal in the cell's code,
  CONTRIBUTING), in the order the cell names them, and links the committed PNG (`../figures/<id>.png`, lazy,
  sized) instead of repeating it inline; an image no saved figure matches gets an explicit description of where
  it comes from, never nbconvert's "No description has been provided for this image";
- formats each pandas table: a default 0..n-1 index is dropped, a meaningful one stays as row headers; numbers
  are rounded and get thousands separators (years, dates and ids are left alone); the table sits in a focusable
  scroll container (`tabindex="0"`, `role="region"`, an `aria-label`);
- demotes the notebook's headings by one level, so its own H1 sits under the page's title.
The page (`templates/pages/notebook.html.j2`) links back to the findings.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from opentrends.publish import html_page, notebook_html

PIXELS_PER_INCH = 110  # the width attribute of a linked figure; CSS scales it to the column
INTEGER = re.compile(r"-?\d+")
FLOAT = re.compile(r"-?\d*\.\d+(?:[eE][-+]?\d+)?|-?\d+[eE][-+]?\d+")
VERBATIM = re.compile(r"year|date|month|day|_id$|^id$|snapshot|revision|sha256|commit", re.I)


def page_name(notebook: str) -> str:
    """The file name of a notebook's page: `02_us_vs_china.html`."""
    return f"{notebook}.html"


def number(text: str, column: str = "") -> str:
    """A table cell as shown: rounded, with thousands separators; text, years, dates and ids as they are."""
    value = text.strip()
    if value in ("<NA>", "NaN", "nan", "NaT", "None"):
        return "n/a"
    if VERBATIM.search(column):
        return text
    if INTEGER.fullmatch(value):
        return f"{int(value):,}"
    if FLOAT.fullmatch(value):
        x = float(value)
        if abs(x) >= 1e7:
            return f"{x:.3g}"
        if abs(x) >= 1000:
            return f"{x:,.0f}"
        if abs(x) >= 10:
            return f"{x:,.1f}"
        return f"{x:.3g}"
    return text


def _default_index(labels: list[str]) -> bool:
    return labels == [str(i) for i in range(len(labels))]


def _merge_index_names(head_rows: list) -> list:
    """pandas puts the index names in a second header row (names first, the rest empty) under empty corner cells:
    move them up into the corner and drop the row."""
    if len(head_rows) != 2:
        return head_rows
    top, names = (row.find_all(["th", "td"]) for row in head_rows)
    k = next((i for i, c in enumerate(names) if not c.get_text(strip=True)), len(names))
    if k == 0 or any(c.get_text(strip=True) for c in names[k:]) or any(c.get_text(strip=True) for c in top[:k]):
        return head_rows
    for cell, name in zip(top[:k], names[:k], strict=False):
        cell.string = name.get_text(strip=True)
    head_rows[1].decompose()
    return head_rows[:1]


def format_table(soup, table, label: str) -> None:
    """Reformat one pandas table in place and wrap it in a labelled, focusable scroll container."""
    table.attrs.pop("border", None)
    head_rows = table.thead.find_all("tr") if table.thead else []
    body_rows = table.tbody.find_all("tr") if table.tbody else []
    simple = not table.find(attrs={"rowspan": True}) and not table.find(attrs={"colspan": True})
    indexed = simple and body_rows and all(r.find(["th", "td"]).name == "th" for r in body_rows)
    head_rows = _merge_index_names(head_rows)
    if indexed:
        labels = [r.find("th").get_text(strip=True) for r in body_rows]
        first = head_rows[0].find(["th", "td"]) if head_rows else None
        if _default_index(labels) and first is not None and not first.get_text(strip=True):
            for row in head_rows + body_rows:
                row.find(["th", "td"]).decompose()
    for row in body_rows:
        for cell in row.find_all("th"):
            cell["scope"] = "row"
            cell.attrs.pop("valign", None)
    for row in head_rows:
        for cell in row.find_all("th"):
            if not cell.get_text(strip=True):
                cell.name = "td"  # an empty corner is not a header
    columns = [c.get_text(strip=True) for c in head_rows[-1].find_all(["th", "td"])] if head_rows else []
    for row in body_rows:
        for i, cell in enumerate(row.find_all("td")):
            offset = len(row.find_all(["th", "td"])) - len(row.find_all("td"))
            column = columns[i + offset] if i + offset < len(columns) else ""
            if cell.string is not None:
                cell.string = number(str(cell.string), column)
    for row in head_rows:
        row.attrs.pop("style", None)
        for cell in row.find_all("th"):
            cell["scope"] = "col"
    for row in body_rows:
        row.attrs.pop("style", None)
    wrapper = soup.new_tag("div", attrs={"class": "table-scroll", "role": "region", "tabindex": "0"})
    wrapper["aria-label"] = label
    table.wrap(wrapper)


def _cells_by_id(cells: tuple[dict, ...]) -> dict[str, str]:
    return {c.get("id"): "".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code"}


def _saved(source: str, sidecars: dict[str, dict]) -> list[str]:
    """The figure ids a cell's code names (literal, CONTRIBUTING), in the order it names them."""
    return sorted((f for f in sidecars if f'"{f}"' in source), key=lambda f: source.index(f'"{f}"'))


def _image(img, sidecar: dict | None, figures_href: str, where: str) -> None:
    if sidecar:
        img["alt"] = sidecar["alt_text"]
        img["src"] = f"{figures_href}/{sidecar['files']['png']}"
        width, height = sidecar.get("size_inches", [7.2, 4.0])
        img["width"], img["height"] = round(width * PIXELS_PER_INCH), round(height * PIXELS_PER_INCH)
        img["loading"] = "lazy"
    else:
        img["alt"] = (
            f"A chart drawn by a code cell {where}; it is not one of the saved figures, so no caption is recorded for it."
        )


def polish(rendered: notebook_html.RenderedNotebook, sidecars: dict[str, dict], figures_href: str) -> str:
    """The notebook's fragment with alt texts, linked figures, formatted tables and demoted headings."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(rendered.body, "html.parser")
    sources = _cells_by_id(rendered.cells)
    prefix = f"{rendered.name}-cell-id="
    section = rendered.title
    tables = 0
    cells = soup.find_all(id=lambda value: bool(value) and value.startswith(prefix))
    for k, cell in enumerate(cells):
        heading = cell.find(re.compile("^h[1-6]$"))
        if heading is not None:
            section = heading.get_text(" ", strip=True).rstrip("¶").strip()
        ids = _saved(sources.get(cell["id"][len(prefix) :], ""), sidecars)
        following = next((c for c in cells[k + 1 :] if c["id"][len(prefix) :] in sources), None)
        if not ids and following is not None and not following.find("img"):
            ids = _saved(sources[following["id"][len(prefix) :]], sidecars)  # drawn here, saved by the next cell
        for i, img in enumerate(cell.find_all("img")):
            _image(img, sidecars.get(ids[i]) if i < len(ids) else None, figures_href, f"under “{section}”")
        for table in cell.find_all("table", class_="dataframe"):
            tables += 1
            format_table(soup, table, f"Table {tables}: {section} (scrolls sideways)")
    for img in soup.find_all("img", alt=False):
        _image(img, None, figures_href, f"in {rendered.name}")
    for heading in soup.find_all(re.compile("^h[1-5]$")):
        heading.name = f"h{int(heading.name[1]) + 1}"
    return str(soup)


def render(
    rendered: notebook_html.RenderedNotebook,
    sidecars: dict[str, dict],
    figures_href: str,
    ipynb_href: str,
    findings_href: str = "index.html",
    canonical: str | None = None,
    code_colours: str = "",
) -> str:
    """The whole page of one notebook: title, link back to the findings, the polished body."""
    # Markup: the body is nbconvert's HTML of the executed notebook (its templates escaped cells and outputs),
    # re-serialised by BeautifulSoup after the changes above.
    return html_page.render_page(
        "notebook",
        title=f"{rendered.title} · OpenTrends",
        heading=f"OpenTrends notebook {rendered.name}",
        name=rendered.name,
        body=Markup(polish(rendered, sidecars, figures_href)),
        ipynb=ipynb_href,
        findings=findings_href,
        description=f"OpenTrends notebook {rendered.name}, executed with the default parameters: {rendered.title}.",
        og_image=None,
        canonical=canonical,
        code_colours=code_colours,
    )
