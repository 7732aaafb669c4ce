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
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from opentrends.core import paths
from opentrends.core.atomic import write_text_atomic
from opentrends.core.errors import OpenTrendsError
from opentrends.publish import findings, html_page, notebook_html, questions
from opentrends.publish import sidecars as sidecars_of

TITLE = "OpenTrends: open-weights vs closed AI, findings first"
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
    return findings.builders(tables[0])


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
    anchor: str  # the notebook section's id on the page
    notebook: str
    heading: str


@dataclass(frozen=True)
class HeadlineFigure:
    id: str
    title: str
    alt_text: str
    png: str  # links relative to the page
    csv: str
    gallery: str
    derived: Derivation | None  # the notebook section whose code saves it


@dataclass(frozen=True)
class AnswerView:
    """What one answer shows (templates/pages/report_answer.html.j2)."""

    slug: str
    title: str
    sentence: str
    figure: HeadlineFigure | None  # None when the headline figure has no sidecar


def _answer(answer: Answer, sentence: str, sidecars: dict, notebooks: dict, figures: Path, out: Path) -> AnswerView:
    question = questions.question(answer.question)
    sidecar = sidecars.get(answer.figure)
    figure = None
    if sidecar:
        notebook = notebooks.get(sidecar.get("notebook"))
        derived = None
        if notebook:
            anchor, heading = notebook_html.section_anchor(notebook, answer.figure)
            derived = Derivation(anchor, notebook.name, heading)
        png, csv = (figures / sidecar["files"][k] for k in ("png", "csv"))
        figure = HeadlineFigure(
            id=answer.figure,
            title=sidecar["title"],
            alt_text=sidecar["alt_text"],
            png=_rel(png, out),
            csv=_rel(csv, out),
            gallery=_rel(figures / "index.html", out),
            derived=derived,
        )
    return AnswerView(question.slug, question.title, sentence, figure)


def claims(ledger: list[dict], notebooks: dict) -> dict:
    """The claims section's values: the summary sentence and one row per claim (templates/pages/report_claims.html.j2).

    A row carries the since-the-op-ed verdict only when every claim of the ledger has one, and the anchor of
    the claim's derivation in notebook 05 when the page has that notebook.
    """
    both = bool(ledger) and all("since_verdict" in item for item in ledger)
    claims_nb = notebooks.get("05_claims")
    rows = []
    for item in ledger:
        heading = notebook_html.find_heading(claims_nb, f"{item['id']}:") if claims_nb else None
        summary = item.get("since_summary") if both and item.get("since_summary") else item.get("summary", "")
        rows.append(
            {
                "id": item["id"],
                "claim": item["claim"],
                "verdict": item["verdict"],
                "label": findings.verdict_label(item) if both else None,
                "since_verdict": item["since_verdict"] if both else None,
                "summary": summary,
                "derivation": heading.anchor if heading else None,
            }
        )
    return {"sentence": findings.claims_summary(ledger), "rows": rows}


def render(figures: Path, notebooks: Path, ledger_path: Path, out: Path, registry=None) -> str:
    """The report page for these folders (`out` is where it will be written: links are relative to it)."""
    from opentrends.registry.sources import load_registry

    # Every figure the notebooks declare must have a readable sidecar: an answer never loses its figure silently.
    sidecars = {s["id"]: s for s in sidecars_of.read(figures, notebooks)}
    rendered = notebook_html.render_all(sorted(p for p in notebooks.glob("[0-9][0-9]_*.ipynb")))
    by_name = {nb.name: nb for nb in rendered}
    answers, glance = [], []
    ledger = read_ledger(ledger_path)
    for answer in ANSWERS:
        missing = [t for t in answer.tables if not (figures / f"{t}.csv").is_file()]
        if missing:
            sentence = f"Not answered: {', '.join(f'{m}.csv' for m in missing)} is not in the figures folder yet."
        else:
            tables = [pd.read_csv(figures / f"{t}.csv") for t in answer.tables]
            sentence = answer.sentence(tables, sidecars, ledger)
        title = questions.question(answer.question).title
        glance.append((answer.question, title, sentence))
        answers.append(_answer(answer, sentence, sidecars, by_name, figures, out))
    glance.append(("claims", "The ten claims", findings.claims_summary(ledger)))
    registry = registry if registry is not None else load_registry()
    # Markup: a notebook's body is nbconvert's HTML of the executed notebook (its templates escaped the cells'
    # text and outputs); it goes into the page as HTML.
    notebook_pages = [(replace(nb, body=Markup(nb.body)), _rel(notebooks / f"{nb.name}.ipynb", out)) for nb in rendered]
    return html_page.render_page(
        "report",
        title=TITLE,
        code_colours=code_colours(),
        glance=glance,
        answers=answers,
        claims=claims(ledger, by_name),
        notebooks=notebook_pages,
        sources=list(registry.values()),
    )


def visible_nan(page: str) -> list[str]:
    """Snippets of text outside code where "nan" appears (a missing value that reached a sentence)."""
    text = re.sub(r"<details class=\"code\">.*?</details>", "", page, flags=re.S)
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in NAN.finditer(text)]


def build(figures: Path | None = None, notebooks: Path | None = None, out: Path | None = None) -> Path:
    """Write `<out>/index.html` (default: `report/` beside the figures folder) and return its path.

    The claims ledger is read from `claims/ledger.json` beside the figures folder (a variant run has
    none: its claims answer says so). A page where "nan" would show is refused, and nothing is written.
    """
    figures = Path(figures) if figures else paths.figures_dir()
    notebooks = Path(notebooks) if notebooks else paths.notebooks_dir()
    out = Path(out) if out else figures.parent / "report"
    if not figures.is_dir():
        raise OpenTrendsError(
            f"The figures folder {paths.relative_to_root(figures)} does not exist; the report is built from the "
            "figure tables. Fix: run `opentrends run` first, or export OPENTRENDS_FIGURES=/path/to/figures."
        )
    page = render(figures, notebooks, figures.parent / "claims" / "ledger.json", out)
    shown = visible_nan(page)
    if shown:
        raise OpenTrendsError(
            f"The report would show a missing value as 'nan' ({shown[0].strip()!r}). "
            "Fix: the table behind that sentence lacks a value; rerun its notebook with `opentrends run --force`."
        )
    target = out / "index.html"
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target, page)
    except OSError as exc:
        raise OpenTrendsError(
            f"The report {paths.relative_to_root(target)} cannot be written ({exc.strerror or exc}). "
            "Fix: make that folder writable."
        ) from exc
    return target
