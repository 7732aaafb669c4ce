"""`report/index.html`: the findings first, then the executed notebooks, then every source.

The page opens with the answers to the project's questions, each a sentence computed by
`findings` from a committed figure table (`figures/<id>.csv`) or the claims ledger
(`claims/ledger.json`), its headline figure, and a link to the notebook section that derives it.
Then come the executed notebooks (nbconvert, code folded; `notebook_html`), a table of contents,
and every registered source with its pinned snapshot dates and citation.

Self-contained, decided this way: one HTML file with inline CSS and no script. The notebooks'
own images are inline (data URIs, as in the executed notebooks); the headline figures and their
CSVs are relative links (`../figures/<id>.png`) to the committed files beside it, so the page
works from a checkout or any static host of the repository and never duplicates a figure. The
same inputs give the same bytes: no dates, no machine paths. The HTML is
`templates/pages/report.html.j2` and its partials (`report_*.html.j2`); this module gathers what
they show, in order.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from opentrends.core import paths
from opentrends.core.atomic import write_text_atomic
from opentrends.core.errors import OpenTrendsError
from opentrends.publish import findings, headlines, html_page, notebook_html, notebook_pages, questions, vega
from opentrends.publish import sidecars as sidecars_of

TITLE = "OpenTrends: open-weights vs closed AI, what the data show"
DESCRIPTION = "Open-weights vs closed AI models, 2016 to today: who releases them, how far behind open models are, where builders build, and which claims of a July 2025 op-ed hold."
PIXELS_PER_INCH = 110
NAN = re.compile(r"\bnan\b", re.I)


@dataclass(frozen=True)
class Answer:
    question: str  # a questions.Question slug
    figure: str | None  # the headline figure id
    tables: tuple[str, ...]  # figure ids whose CSVs the sentence reads
    sentence: Callable[..., str]  # (tables, sidecars, ledger) -> sentence


def _us(tables, sidecars, ledger):
    claim = next((c for c in ledger if c.get("id") == "us-slipping"), None)
    return findings.us_slipping(tables[0], claim)


def _leader(tables, sidecars, ledger):
    return findings.open_leader(*tables)


def _gap(tables, sidecars, ledger):
    description = sidecars.get("frontier-lag-estimates", {}).get("columns", {}).get("ci_low", "")
    level = {"5th": "90%", "2.5th": "95%"}.get(description.split(" ")[0], "bootstrap")
    return findings.open_gap(*tables, level=level)


def _builders(tables, sidecars, ledger):
    item = next((i for i in ledger or [] if i.get("id") == "builders-turn-to-chinese"), None)
    return findings.builders(tables[0], findings.registered_windows(item))


ANSWERS = (
    Answer("us-slipping", "open-share-by-origin", ("open-share-by-origin",), _us),
    Answer("who-leads", "best-open-model-by-origin", ("best-open-model-by-origin",), _leader),
    Answer("how-far-behind", "capability-gap-eci-lag", ("capability-gap-eci-lag", "frontier-lag-estimates"), _gap),
    Answer(
        "where-builders-build",
        "hub-finetunes-by-base-origin",
        ("hub-finetunes-by-base-origin",),
        _builders,
    ),
)


def code_colours() -> str:
    """Pygments' default colours for nbconvert's highlighted code (same version, same bytes): the stylesheet's end."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style="default").get_style_defs(".highlight")


def _rel(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def read_ledger(path: Path) -> list[dict]:
    """The recorded claims (a list, or a mapping with a `claims` list); [] when the file is not there."""
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data.get("claims", [])) if isinstance(data, dict) else list(data)


@dataclass(frozen=True)
class Derivation:
    href: str  # the notebook page's section
    notebook: str
    heading: str


@dataclass(frozen=True)
class HeadlineFigure:
    id: str
    title: str
    alt_text: str
    png: str  # links relative to the page (absolute with a base URL)
    width: int
    height: int
    csv: str
    vl: str  # the Vega-Lite spec beside the figure
    gallery: str  # the figure's card in the gallery
    spec: Markup | None  # the spec as an inline script's text, when the figure has one


@dataclass(frozen=True)
class AnswerView:
    """What one finding shows (templates/pages/report_finding.html.j2)."""

    slug: str
    title: str
    sentence: str  # the computed sentence in full (findings)
    headline: headlines.Headline | None
    data_as_of: str | None
    derived: Derivation | None
    figure: HeadlineFigure | None  # None when the headline figure has no sidecar


class Links:
    """Hrefs from the report folder: relative by default, absolute under a base URL (`paths.base_url`)."""

    def __init__(self, out: Path, base: str = ""):
        self.out, self.base = out, base

    def __call__(self, path: Path) -> str:
        if self.base:
            return self.base + Path(os.path.relpath(path, paths.ROOT)).as_posix()
        return _rel(path, self.out)


def _figure(figure_id: str, sidecar: dict, figures: Path, link: Links, spec: dict | None) -> HeadlineFigure:
    width, height = sidecar.get("size_inches", [7.2, 4.0])
    return HeadlineFigure(
        id=figure_id,
        title=sidecar["title"],
        alt_text=sidecar["alt_text"],
        png=link(figures / sidecar["files"]["png"]),
        width=round(width * PIXELS_PER_INCH),
        height=round(height * PIXELS_PER_INCH),
        csv=link(figures / sidecar["files"]["csv"]),
        vl=link(figures / f"{figure_id}.vl.json"),
        gallery=link(figures / "index.html") + f"#{figure_id}",
        spec=Markup(vega.for_script(spec)) if spec else None,
    )


def _derived(notebook, figure_id: str, link: Links, out: Path) -> Derivation | None:
    if notebook is None:
        return None
    anchor, heading = notebook_html.section_anchor(notebook, figure_id)
    return Derivation(f"{link(out / notebook_pages.page_name(notebook.name))}#{anchor}", notebook.name, heading)


def claims(ledger: list[dict], notebooks: dict, link: Links | None = None, out: Path | None = None) -> dict:
    """The claims ledger's values: the summary sentence and one row per claim (templates/pages/report_claims.html.j2).

    A row carries the since-the-op-ed verdict only when every claim of the ledger has one, and a link to the
    claim's derivation on notebook 05's page when the page has that notebook.
    """
    both = bool(ledger) and all("since_verdict" in item for item in ledger)
    claims_nb = notebooks.get("05_claims")
    page = link(out / notebook_pages.page_name("05_claims")) if claims_nb and link and out else None
    rows = []
    for item in ledger:
        heading = notebook_html.find_heading(claims_nb, f"{item['id']}:") if claims_nb else None
        rows.append(
            {
                "id": item["id"],
                "claim": item["claim"],
                "verdict": item["verdict"],
                "since_verdict": item["since_verdict"] if both else None,
                "derivation": f"{page}#{heading.anchor}" if heading and page else None,
            }
        )
    labels = list(dict.fromkeys(findings.verdict_label(item) for item in ledger))
    return {
        "sentence": findings.claims_summary(ledger),
        "rows": rows,
        "both": both,
        "then_label": labels[0] if len(labels) == 1 else "before the op-ed",
        "derivation": page,
    }


def _headline(answer: Answer, tables: list, ledger: list[dict]):
    oped = headlines.as_of(ledger)
    if answer.question == "us-slipping":
        return headlines.us_slipping(tables[0], headlines.claim(ledger, "us-slipping"))
    if answer.question == "who-leads":
        return headlines.open_leader(tables[0], oped)
    if answer.question == "how-far-behind":
        return headlines.open_gap(tables[0], tables[1], oped, "90%")
    return headlines.builders(tables[0], headlines.claim(ledger, "builders-turn-to-chinese"))


def render(figures: Path, notebooks: Path, ledger_path: Path, out: Path, registry=None, base: str = "") -> dict:
    """The findings page and the notebook pages for these folders: {file name in `out`: page text}.

    `out` is where they will be written (links are relative to it, or absolute under `base`).
    """
    from opentrends.registry.sources import load_registry

    # Every figure the notebooks declare must have a readable sidecar: an answer never loses its figure silently.
    sidecars = {s["id"]: s for s in sidecars_of.read(figures, notebooks)}
    rendered = notebook_html.render_all(sorted(p for p in notebooks.glob("[0-9][0-9]_*.ipynb")))
    by_name = {nb.name: nb for nb in rendered}
    link = Links(out, base)
    specs = {k: v for k, v in ((f, _spec(figures, f, sidecars)) for f in vega.SPECS) if v}
    ledger = read_ledger(ledger_path)
    answers = []
    for answer in ANSWERS:
        missing = [t for t in answer.tables if not (figures / f"{t}.csv").is_file()]
        headline = None
        if missing:
            sentence = f"Not answered: {', '.join(f'{m}.csv' for m in missing)} is not in the figures folder yet."
        else:
            tables = [pd.read_csv(figures / f"{t}.csv") for t in answer.tables]
            sentence = answer.sentence(tables, sidecars, ledger)
            headline = _headline(answer, tables, ledger)
        sidecar = sidecars.get(answer.figure)
        figure = _figure(answer.figure, sidecar, figures, link, specs.get(answer.figure)) if sidecar else None
        answers.append(
            AnswerView(
                answer.question,
                questions.question(answer.question).title,
                sentence,
                headline,
                headlines.data_as_of([sidecars[t] for t in answer.tables if t in sidecars]),
                _derived(by_name.get((sidecar or {}).get("notebook")), answer.figure, link, out),
                figure,
            )
        )
    claims_view = claims(ledger, by_name, link, out)
    dates = [headlines.ledger_as_of(item) for item in ledger]
    answers.append(
        AnswerView(
            "claims",
            "Which of the op-ed's claims hold?",
            claims_view["sentence"],
            headlines.claims(ledger),
            max((d for d in dates if d), default=None),
            Derivation(claims_view["derivation"], "05_claims", by_name["05_claims"].title)
            if claims_view["derivation"]
            else None,
            None,
        )
    )
    registry = registry if registry is not None else load_registry()
    first = next((a.figure for a in answers if a.figure), None)
    pages = {
        "index.html": html_page.render_page(
            "report",
            title=TITLE,
            description=DESCRIPTION,
            og_image=first.png if first else None,
            canonical=f"{base}report/index.html" if base else None,
            as_of=headlines.as_of(ledger) or "the op-ed",
            answers=answers,
            claims=claims_view,
            notebooks=[
                {"name": nb.name, "title": nb.title, "href": link(out / notebook_pages.page_name(nb.name))}
                for nb in rendered
            ],
            gallery=link(figures / "index.html"),
            sources=list(registry.values()),
            interactive=bool(specs),
            vendor=link(vega.vendor_beside(figures)),
        )
    }
    for nb in rendered:
        pages[notebook_pages.page_name(nb.name)] = notebook_pages.render(
            nb,
            sidecars,
            link(figures),
            link(notebooks / f"{nb.name}.ipynb"),
            findings_href=link(out / "index.html"),
            canonical=link(out / notebook_pages.page_name(nb.name)) if base else None,
            code_colours=code_colours(),
        )
    return pages


def _spec(figures: Path, figure_id: str, sidecars: dict) -> dict | None:
    path = figures / f"{figure_id}.vl.json"
    if figure_id in sidecars and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return None


def visible_nan(page: str) -> list[str]:
    """Snippets of text outside code where "nan" appears (a missing value that reached a sentence)."""
    text = re.sub(r"<details class=\"code\">.*?</details>", "", page, flags=re.S)
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in NAN.finditer(text)]


def build(figures: Path | None = None, notebooks: Path | None = None, out: Path | None = None) -> Path:
    """Write `<out>/index.html` (the findings) and `<out>/NN_*.html` (one page per notebook); return the first.

    Default `out`: `report/` beside the figures folder. The headline figures' Vega-Lite specs are written
    beside them first (`figures/<id>.vl.json`, `vega.write`). The claims ledger is read from `claims/ledger.json`
    beside the figures folder (a variant run has none: its claims answer says so). A page where "nan" would show
    is refused, and nothing is written. `OPENTRENDS_BASE_URL` makes every link absolute.
    """
    figures = Path(figures) if figures else paths.figures_dir()
    notebooks = Path(notebooks) if notebooks else paths.notebooks_dir()
    out = Path(out) if out else figures.parent / "report"
    if not figures.is_dir():
        raise OpenTrendsError(
            f"The figures folder {paths.relative_to_root(figures)} does not exist; the report is built from the "
            "figure tables. Fix: run `opentrends run` first, or export OPENTRENDS_FIGURES=/path/to/figures."
        )
    target = out / "index.html"
    try:
        vega.write(figures, {s["id"]: s for s in sidecars_of.read(figures, notebooks)})
        pages = render(figures, notebooks, figures.parent / "claims" / "ledger.json", out, base=paths.base_url())
        for name, page in pages.items():
            shown = visible_nan(page)
            if shown:
                raise OpenTrendsError(
                    f"The report page {name} would show a missing value as 'nan' ({shown[0].strip()!r}). "
                    "Fix: the table behind that sentence lacks a value; rerun its notebook with `opentrends run --force`."
                )
        out.mkdir(parents=True, exist_ok=True)
        for name, page in pages.items():
            write_text_atomic(out / name, page)
    except OSError as exc:
        raise OpenTrendsError(
            f"The report {paths.relative_to_root(target)} cannot be written ({exc.strerror or exc}). "
            "Fix: make that folder writable."
        ) from exc
    return target
