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
same inputs give the same bytes: no dates, no machine paths.
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

from opentrends.core import paths
from opentrends.core.atomic import write_text_atomic
from opentrends.core.errors import OpenTrendsError
from opentrends.publish import findings, html_page, notebook_html, questions
from opentrends.publish import sidecars as sidecars_of
from opentrends.publish.report_style import CSS

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


def _rel(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def read_ledger(path: Path) -> list[dict]:
    """The recorded claims (a list, or a mapping with a `claims` list); [] when the file is not there."""
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data.get("claims", [])) if isinstance(data, dict) else list(data)


def _verdict(value: str) -> str:
    return f'<span class="verdict v-{html.escape(value.replace(" ", "-"))}">{html.escape(value)}</span>'


def _answer_html(answer: Answer, sentence: str, sidecars: dict, notebooks: dict, figures: Path, out: Path) -> str:
    e = html.escape
    question = questions.question(answer.question)
    sidecar = sidecars.get(answer.figure)
    parts = [f'<section class="answer" id="answer-{question.slug}">', f"<h2>{e(question.title)}</h2>"]
    parts.append(f'<p class="sentence">{e(sentence)}</p>')
    if sidecar:
        notebook = notebooks.get(sidecar.get("notebook"))
        derived = ""
        if notebook:
            anchor, heading = notebook_html.section_anchor(notebook, answer.figure)
            derived = f'Derived in <a href="#{e(anchor)}">{e(notebook.name)} › {e(heading)}</a>. '
        png, csv = (figures / sidecar["files"][k] for k in ("png", "csv"))
        parts.append(
            f'<figure><img src="{e(_rel(png, out))}" alt="{e(sidecar["alt_text"])}">'
            f"<figcaption><strong>{e(sidecar['title'])}.</strong> {derived}"
            f'<a href="{e(_rel(csv, out))}">Data (CSV)</a> · '
            f'<a href="{e(_rel(figures / "index.html", out))}#{e(answer.figure)}">In the gallery</a></figcaption>'
            "</figure>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _claims_html(ledger: list[dict], notebooks: dict) -> str:
    e = html.escape
    sentence = findings.claims_summary(ledger)
    rows = []
    both = bool(ledger) and all("since_verdict" in item for item in ledger)
    claims_nb = notebooks.get("05_claims")
    for item in ledger:
        heading = notebook_html.find_heading(claims_nb, f"{item['id']}:") if claims_nb else None
        link = f' <a href="#{e(heading.anchor)}">derivation</a>' if heading else ""
        verdicts = _verdict(item["verdict"])
        if both:
            verdicts = (
                f"{_verdict(item['verdict'])} <small>{e(findings.verdict_label(item))}</small><br>"
                f"{_verdict(item['since_verdict'])} <small>since</small>"
            )
        summary = item.get("since_summary") if both and item.get("since_summary") else item.get("summary", "")
        rows.append(
            f"<tr><td>{e(item['claim'])} <code>{e(item['id'])}</code></td><td>{verdicts}</td>"
            f"<td>{e(summary)}{link}</td></tr>"
        )
    table = (
        '<table class="claims"><thead><tr><th>claim</th><th>verdict</th><th>evidence</th></tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table>"
        if rows
        else ""
    )
    return (
        f'<section class="answer" id="answer-claims">\n<h2>The ten claims</h2>\n<p class="sentence">{e(sentence)}</p>'
        f"\n{table}\n</section>"
    )


def _sources_html(registry) -> str:
    e = html.escape
    rows = []
    for source in registry.values():
        dates = ", ".join(s.date for s in source.snapshots) or "none pinned"
        rows.append(
            f'<tr id="source-{e(source.id)}"><td><code>{e(source.id)}</code><br>{e(source.producer)}, '
            f"{e(source.title)}</td><td>{e(dates)}</td><td>{e(source.citation)}</td><td>{e(source.license.name)}</td></tr>"
        )
    return (
        '<section id="sources">\n<h2>Sources</h2>\n<p>Every registered source, its pinned snapshot dates (each file '
        "sha256-pinned; <code>opentrends verify</code> checks them) and how to cite it.</p>\n"
        '<table class="sources"><thead><tr><th>source</th><th>pinned snapshots</th><th>citation</th><th>license</th>'
        "</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n</section>"
    )


def _toc_html(answers: list[str], rendered: list) -> str:
    e = html.escape
    items = [f'<li><a href="#answer-{slug}">{e(title)}</a></li>' for slug, title in answers]
    nbs = []
    for nb in rendered:
        sub = "".join(f'<li><a href="#{e(h.anchor)}">{e(h.text)}</a></li>' for h in nb.headings if h.level == 2)
        nbs.append(f'<li><a href="#{e(nb.anchor)}">{e(nb.title)}</a><ul>{sub}</ul></li>')
    return (
        '<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>\n'
        f'<li><a href="#findings">Findings</a><ol>{"".join(items)}</ol></li>\n'
        f'<li><a href="#notebooks">The notebooks, executed</a><ol>{"".join(nbs)}</ol></li>\n'
        '<li><a href="#sources">Sources</a></li>\n</ol></nav>'
    )


def render(figures: Path, notebooks: Path, ledger_path: Path, out: Path, registry=None) -> str:
    """The report page for these folders (`out` is where it will be written: links are relative to it)."""
    from opentrends.registry.sources import load_registry

    e = html.escape
    # Every figure the notebooks declare must have a readable sidecar: an answer never loses its figure silently.
    sidecars = {s["id"]: s for s in sidecars_of.read(figures, notebooks)}
    rendered = notebook_html.render_all(sorted(p for p in notebooks.glob("[0-9][0-9]_*.ipynb")))
    by_name = {nb.name: nb for nb in rendered}
    sections, glance = [], []
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
        sections.append(_answer_html(answer, sentence, sidecars, by_name, figures, out))
    glance.append(("claims", "The ten claims", findings.claims_summary(ledger)))
    sections.append(_claims_html(ledger, by_name))
    at_a_glance = "\n".join(
        f'<li><a href="#answer-{slug}"><strong>{e(title)}</strong></a> {e(sentence)}</li>'
        for slug, title, sentence in glance
    )
    notebook_sections = "\n".join(
        f'<section class="notebook" id="{e(nb.anchor)}">\n<p class="nb-file">Notebook <code>{e(nb.name)}.ipynb</code>'
        f' · <a href="{e(_rel(notebooks / (nb.name + ".ipynb"), out))}">the executed file</a></p>\n{nb.body}\n</section>'
        for nb in rendered
    )
    page = f"""{html_page.head(TITLE, CSS)}<div class="layout">
{_toc_html([(s, t) for s, t, _ in glance], rendered)}
<main>
<header>
<h1>{e(TITLE)}</h1>
<p class="lead">Each answer is a sentence computed from the committed figure tables and the claims ledger, with its
headline figure and a link to the notebook section that derives it. Open-weights means the model's weights can be
downloaded; everything else (API, hosted, unreleased) is closed.</p>
</header>
<section id="findings">
<ol class="glance">
{at_a_glance}
</ol>
</section>
{chr(10).join(sections)}
<section id="notebooks">
<h2>The notebooks, executed</h2>
<p>Every notebook as <code>opentrends run</code> executed it with the default parameters; code is folded
(open “Code” to read it).</p>
{notebook_sections}
</section>
{_sources_html(registry if registry is not None else load_registry())}
</main>
</div>
</body>
</html>
"""
    return page


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
