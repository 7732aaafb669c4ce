"""`figures/index.html`: a self-contained gallery built from the figure sidecars, grouped by question.

Figures are grouped by the question they answer (`questions`), the headline figure of each
question first. Each card shows the figure, its caption, how to read its bands and dotted or
dashed lines (the caption's own sentences about them), and its data dictionary: every column of
its CSV, in the CSV's order, with the meaning the sidecar records. Each card carries the figure's
citation and embed snippets (Markdown, LaTeX, HTML; see `snippets`), each with a copy button.

No web fonts, no CDN, no external scripts: one HTML file with the inline stylesheet, one small inline
script (the copy buttons, `templates/pages/copy.js`) and relative links, so it works opened straight
from the file system and from any static host. The HTML is `templates/pages/gallery.html.j2` and its
card `gallery_card.html.j2`; this module gathers what they show (`Card`).
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from opentrends.core import paths
from opentrends.core.atomic import write_text_atomic
from opentrends.core.errors import OpenTrendsError
from opentrends.publish import html_page, questions, snippets, vega
from opentrends.publish import sidecars as sidecars_of

PIXELS_PER_INCH = 130

# Caption sentences that say how to read a band, a bound or a line style, and the swatch shown beside each.
# The first pattern that matches a sentence decides its swatch (a "light band between dotted lines" is one thing).
LEGEND_KINDS = (
    (re.compile(r"light band|dotted", re.I), "light-band"),
    (re.compile(r"\bband\b", re.I), "band"),
    (re.compile(r"dashed", re.I), "dashed"),
    (re.compile(r"shaded", re.I), "shaded"),
    (re.compile(r"\binterval", re.I), "interval"),
)


def legend_items(caption: str) -> list[tuple[str, str]]:
    """(swatch kind, sentence) for each caption sentence or clause about bands, bounds, dashes or intervals."""
    items = []
    for clause in re.split(r"(?<=[.;])\s+", caption.strip()):
        for pattern, kind in LEGEND_KINDS:
            if pattern.search(clause):
                text = clause.rstrip(" ;.") + "."
                items.append((kind, text[:1].upper() + text[1:]))
                break
    return items


def data_dictionary(sidecar: dict, csv_columns: list[str] | None = None) -> list[tuple[str, str]]:
    """(column, meaning) for the figure's CSV: the CSV's header order when known, else the sidecar's."""
    meanings = sidecar.get("columns") or {}
    order = list(csv_columns) if csv_columns else list(meanings)
    return [(name, meanings.get(name, "(no description recorded)")) for name in order]


@dataclass(frozen=True)
class Snippet:
    kind: str  # a key of snippets.KINDS
    label: str
    target: str  # the id of its <pre>, which the copy button names
    text: str


@dataclass(frozen=True)
class Card:
    """What one figure's card shows (templates/pages/gallery_card.html.j2), in the order it shows it."""

    id: str
    title: str
    headline: bool
    png: str
    width: int  # pixels, proportional to the printed width, so column and page figures keep their relation
    alt_text: str
    caption: str
    legend: list[tuple[str, str]]  # legend_items
    csv: str
    dictionary: list[tuple[str, str]]  # data_dictionary
    source_line: str
    citations: list[tuple[str, str]]  # (citation, licence), each once
    notebook: str | None
    links: list[tuple[str, str]]  # (label, file): PDF, SVG, PNG, CSV, those there are
    snippets: list[Snippet]
    permalink: str = ""  # the card's own address: "#<id>", absolute under a base URL
    chart: object = None  # a report.HeadlineFigure-like view when the figure has a Vega-Lite spec


def card(
    sidecar: dict,
    headline: bool = False,
    csv_columns: list[str] | None = None,
    base: str = "",
    spec: dict | None = None,
) -> Card:
    """The card of one figure sidecar; `csv_columns` is its CSV's header, when known; `base` the base URL
    (`paths.base_url`: links and snippets absolute) and `spec` the figure's Vega-Lite spec, when it has one."""
    fid, files = sidecar["id"], sidecar["files"]
    if base:
        texts = snippets.for_figure(sidecar, version=snippets.project_version(), prefix=f"{base}figures/")
        files = {k: f"{base}figures/{v}" for k, v in files.items()}
    else:
        texts = sidecar.get("snippets") or snippets.for_figure(sidecar, version=snippets.project_version())
    width, height = sidecar.get("size_inches", [7.2, 4.0])
    chart = None
    if spec:
        chart = ChartView(
            id=fid,
            title=sidecar["title"],
            alt_text=sidecar["alt_text"],
            png=files["png"],
            width=round(width * PIXELS_PER_INCH),
            height=round(height * PIXELS_PER_INCH),
            csv=files.get("csv", f"{fid}.csv"),
            vl=f"{base}figures/{fid}.vl.json" if base else f"{fid}.vl.json",
            gallery=f"#{fid}",
            spec=Markup(vega.for_script(spec)),
        )
    return Card(
        id=fid,
        title=sidecar["title"],
        headline=headline,
        png=files["png"],
        width=round(sidecar.get("size_inches", [7.2])[0] * PIXELS_PER_INCH),
        alt_text=sidecar["alt_text"],
        caption=sidecar["caption"],
        legend=legend_items(sidecar["caption"]),
        csv=files.get("csv", f"{fid}.csv"),
        dictionary=data_dictionary(sidecar, csv_columns),
        source_line=sidecar["source_line"],
        citations=list(dict.fromkeys((s["citation"], s["license"]) for s in sidecar["sources"])),
        notebook=sidecar.get("notebook"),
        links=[(k.upper(), files[k]) for k in ("pdf", "svg", "png", "csv") if k in files],
        snippets=[Snippet(k, label, f"snippet-{fid}-{k}", texts[k]) for k, label in snippets.KINDS.items()],
        permalink=f"{base}figures/index.html#{fid}" if base else f"#{fid}",
        chart=chart,
    )


@dataclass(frozen=True)
class ChartView:
    """An interactive figure (templates/pages/chart.html.j2): the PNG fallback and the inline Vega-Lite spec."""

    id: str
    title: str
    alt_text: str
    png: str
    width: int
    height: int
    csv: str
    vl: str
    gallery: str
    spec: Markup


def render(
    sidecars: list[dict],
    title: str = "OpenTrends figures",
    csv_columns: dict[str, list[str]] | None = None,
    specs: dict[str, dict] | None = None,
    base: str = "",
    vendor: str = "../report/vendor",
) -> str:
    """The gallery page for these sidecars: grouped by question, headline first (deterministic; no dates).

    `csv_columns` maps a figure id to its CSV's header, so the data dictionary follows the file's order.
    """
    csv_columns = csv_columns or {}
    groups = [
        (
            question,
            [
                card(
                    s,
                    headline=(i == 0 and s["id"] in question.figures),
                    csv_columns=csv_columns.get(s["id"]),
                    base=base,
                    spec=(specs or {}).get(s["id"]),
                )
                for i, s in enumerate(members)
            ],
        )
        for question, members in questions.group(sidecars)
    ]
    vendor = f"{base}report/vendor" if base else vendor
    return html_page.render_page(
        "gallery", title=title, count=len(sidecars), groups=groups, interactive=bool(specs), vendor=vendor
    )


def csv_header(path: Path) -> list[str] | None:
    """The column names of a figure CSV (its first line), or None when the file is not there."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return next(csv.reader(handle), None)
    except FileNotFoundError:
        return None


def read_sidecars(folder: Path, notebooks: Path | None = None) -> list[dict]:
    """Every figure sidecar (`<id>.json`) in `folder`; a missing or unreadable one is an error (`sidecars.read`)."""
    return sidecars_of.read(folder, notebooks)


def build(folder: Path | None = None, notebooks: Path | None = None) -> Path:
    """Write `<folder>/index.html` from the sidecars in `folder` (default: the figures folder).

    A folder that does not exist (or is a file) is refused rather than given an empty gallery, and one
    that cannot be written is an error naming it: both say the fix. So is a figure that the notebooks in
    `notebooks` (default: those beside the figures, `sidecars.notebooks_beside`) declare but that has no
    readable sidecar: the gallery never shows fewer figures than the notebooks made without saying so.
    """
    folder = Path(folder) if folder else paths.figures_dir()
    where = paths.relative_to_root(folder)
    if not folder.is_dir():
        state = "is a file, not a folder" if folder.exists() else "does not exist"
        raise OpenTrendsError(
            f"The figures folder {where} {state}; there are no figure sidecars to build a gallery from. "
            "Fix: export OPENTRENDS_FIGURES=/path/to/the/figures/folder, or run `opentrends run` first."
        )
    target = folder / "index.html"
    try:
        sidecars = read_sidecars(folder, notebooks)
        columns = {s["id"]: csv_header(folder / s["files"].get("csv", f"{s['id']}.csv")) for s in sidecars}
        specs = vega.write(folder, {s["id"]: s for s in sidecars})  # figures/<id>.vl.json, for the charts and writers
        vendor = Path(os.path.relpath(vega.vendor_beside(folder), folder)).as_posix()
        page = render(
            sidecars,
            csv_columns={k: v for k, v in columns.items() if v},
            specs=specs,
            base=paths.base_url(),
            vendor=vendor,
        )
        write_text_atomic(target, page)
    except OSError as exc:
        raise OpenTrendsError(
            f"The gallery {paths.relative_to_root(target)} cannot be written ({exc.strerror or exc}). "
            "Fix: make that folder writable, or export OPENTRENDS_FIGURES=/path/to/a/writable/folder."
        ) from exc
    return target
