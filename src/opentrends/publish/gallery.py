"""`figures/index.html`: a self-contained gallery built from the figure sidecars, grouped by question.

Figures are grouped by the question they answer (`questions`), the headline figure of each
question first. Each card shows the figure, its caption, how to read its bands and dotted or
dashed lines (the caption's own sentences about them), and its data dictionary: every column of
its CSV, in the CSV's order, with the meaning the sidecar records. No web fonts, no CDN, no external scripts: one HTML file with inline CSS, one small inline
script (the copy buttons) and relative links, so it works opened straight from the file
system and from any static host. Each card carries the figure's citation and embed snippets
(Markdown, LaTeX, HTML; see `snippets`), each with a copy button.
"""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

from opentrends.core import paths
from opentrends.core.atomic import write_text_atomic
from opentrends.core.errors import OpenTrendsError
from opentrends.publish import html_page, questions, snippets
from opentrends.publish import sidecars as sidecars_of

PIXELS_PER_INCH = 130

CSS = """
:root { color-scheme: light dark; --fg: #222; --bg: #fff; --muted: #555; --rule: #ddd; --box: #f6f6f6;
        --box-rule: #e4e4e4; --link: #0063a0; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e6e6; --bg: #16181c; --muted: #a8adb5; --rule: #3a3f47; --box: #22262c; --box-rule: #3a3f47;
          --link: #6cb8ff; }
  figure img { background: #fff; }
}
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 64rem;
       padding: 0 1rem; color: var(--fg); background: var(--bg); line-height: 1.45; overflow-wrap: break-word; }
a { color: var(--link); }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
p.lead { color: var(--muted); margin-top: 0; }
nav.toc { border: 1px solid var(--rule); padding: 0.4rem 1rem; margin: 1rem 0 2rem; }
nav.toc ol { padding-left: 1.2rem; margin: 0.3rem 0; }
nav.toc ul { padding-left: 1.1rem; margin: 0.1rem 0 0.5rem; columns: 2; column-gap: 2rem; }
nav.toc li { break-inside: avoid; overflow-wrap: anywhere; }
@media (max-width: 40rem) { nav.toc ul { columns: 1; } body { margin: 1rem auto; } }
h2.question { font-size: 1.35rem; border-bottom: 2px solid var(--fg); padding-bottom: 0.2rem; margin-top: 2.5rem; }
figure { border-top: 1px solid var(--rule); margin: 2rem 0; padding-top: 1rem; }
figure.headline { border-top: none; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--box-rule); }
figcaption h3 { font-size: 1.1rem; margin: 0.6rem 0 0.2rem; }
figcaption h3 .badge { font-size: 0.75rem; font-weight: normal; border: 1px solid var(--muted); border-radius: 3px;
                       padding: 0 0.3rem; margin-right: 0.4rem; vertical-align: middle; }
figcaption code { color: var(--muted); font-size: 0.85rem; }
.source, .alt { color: var(--muted); font-size: 0.9rem; }
.legend { font-size: 0.9rem; margin: 0.4rem 0; padding-left: 0; list-style: none; }
.legend li { margin: 0.2rem 0; }
.swatch { display: inline-block; width: 1.6rem; height: 0.8rem; margin-right: 0.4rem; vertical-align: middle; }
.swatch.band { background: rgba(0, 114, 178, 0.45); }
.swatch.light-band { background: rgba(0, 114, 178, 0.15); border-top: 2px dotted #0072B2;
                     border-bottom: 2px dotted #0072B2; height: 0.6rem; }
.swatch.dashed { height: 0; border-top: 2px dashed var(--fg); }
.swatch.shaded { background: rgba(128, 128, 128, 0.35); }
.swatch.interval { height: 0; border-top: 2px solid var(--fg); }
table.columns { border-collapse: collapse; font-size: 0.85rem; margin: 0.4rem 0; width: 100%; }
table.columns caption { text-align: left; font-weight: 600; padding-bottom: 0.2rem; }
table.columns th, table.columns td { border-top: 1px solid var(--rule); padding: 0.15rem 0.5rem 0.15rem 0;
                                     text-align: left; vertical-align: top; }
table.columns td:first-child { white-space: nowrap; }
table.columns td:last-child { overflow-wrap: anywhere; }  /* a meaning may list long snake_case names */
.links a { margin-right: 0.8rem; }
details.embed summary { cursor: pointer; color: var(--link); font-size: 0.95rem; }
.snippet { margin: 0.6rem 0; }
.snippet-head { display: flex; align-items: center; gap: 0.6rem; font-size: 0.85rem; color: var(--muted); }
.snippet pre { margin: 0.2rem 0 0; padding: 0.5rem 0.7rem; background: var(--box); border: 1px solid var(--box-rule);
               font-size: 0.8rem; white-space: pre-wrap; overflow-wrap: anywhere; }
button.copy { font: inherit; font-size: 0.8rem; padding: 0.1rem 0.6rem; cursor: pointer; }
"""

# Copy buttons. navigator.clipboard needs a secure context (https, localhost; file:// in Chromium); elsewhere,
# or when the browser refuses, a hidden textarea with execCommand("copy") does the job. If both fail the snippet
# is selected so Ctrl+C works. Each attempt fires an "opentrends-copy" event with what was copied (tests watch it).
SCRIPT = """
(function () {
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function finish(button, source, ok, how) {
    if (!ok) { window.getSelection().selectAllChildren(source); }
    button.textContent = ok ? "Copied" : "Press Ctrl+C";
    button.dispatchEvent(new CustomEvent("opentrends-copy",
      {bubbles: true, detail: {ok: ok, how: how, target: source.id, text: source.textContent}}));
    setTimeout(function () { button.textContent = "Copy"; }, 2000);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy") : null;
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    var text = source.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { finish(button, source, true, "clipboard"); },
        function () { finish(button, source, fallback(text), "execCommand"); });
    } else {
      finish(button, source, fallback(text), "execCommand");
    }
  });
})();
"""


def _snippets_html(sidecar: dict) -> str:
    """The card's "Cite and embed" block: one labelled snippet per kind, each with a copy button."""
    e = html.escape
    texts = sidecar.get("snippets") or snippets.for_figure(sidecar, version=snippets.project_version())
    blocks = []
    for kind, label in snippets.KINDS.items():
        target = f"snippet-{sidecar['id']}-{kind}"
        # No newline after <pre>: the HTML parser would drop it, but the copied text must be the snippet exactly.
        blocks.append(
            f'<div class="snippet"><div class="snippet-head"><span>{label}</span>'
            f'<button type="button" class="copy" data-copy="{e(target)}" '
            f'aria-label="Copy {label} for {e(sidecar["id"])}">Copy</button></div><pre id="{e(target)}" data-kind="{kind}">{e(texts[kind])}</pre></div>'
        )
    return '<details class="embed"><summary>Cite and embed</summary>\n' + "\n".join(blocks) + "\n</details>"


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


def _legend_html(sidecar: dict) -> str:
    items = legend_items(sidecar["caption"])
    if not items:
        return ""
    rows = "".join(
        f'<li><span class="swatch {kind}" aria-hidden="true"></span>{html.escape(text)}</li>' for kind, text in items
    )
    return f'<ul class="legend" aria-label="How to read the chart">{rows}</ul>'


def data_dictionary(sidecar: dict, csv_columns: list[str] | None = None) -> list[tuple[str, str]]:
    """(column, meaning) for the figure's CSV: the CSV's header order when known, else the sidecar's."""
    meanings = sidecar.get("columns") or {}
    order = list(csv_columns) if csv_columns else list(meanings)
    return [(name, meanings.get(name, "(no description recorded)")) for name in order]


def _dictionary_html(sidecar: dict, csv_columns: list[str] | None) -> str:
    e = html.escape
    rows = "\n".join(
        f"<tr><td><code>{e(name)}</code></td><td>{e(meaning)}</td></tr>"
        for name, meaning in data_dictionary(sidecar, csv_columns)
    )
    if not rows:
        return ""
    csv = sidecar["files"].get("csv", f"{sidecar['id']}.csv")
    return (
        f'<table class="columns"><caption>Data dictionary: the columns of <code>{e(csv)}</code></caption>\n'
        f"<thead><tr><th>column</th><th>meaning</th></tr></thead>\n<tbody>\n{rows}\n</tbody></table>"
    )


def _figure_html(sidecar: dict, headline: bool = False, csv_columns: list[str] | None = None) -> str:
    e = html.escape
    fid = sidecar["id"]
    files = sidecar["files"]
    links = " ".join(f'<a href="{e(files[k])}">{k.upper()}</a>' for k in ("pdf", "svg", "png", "csv") if k in files)
    citations = "; ".join(dict.fromkeys(f"{e(s['citation'])} ({e(s['license'])})" for s in sidecar["sources"]))
    # Shown at a size proportional to the printed width, so column and page figures keep their relation.
    width = round(sidecar.get("size_inches", [7.2])[0] * PIXELS_PER_INCH)
    notebook = f" From notebook <code>{e(sidecar['notebook'])}</code>." if sidecar.get("notebook") else ""
    badge = '<span class="badge">headline</span>' if headline else ""
    return f"""<figure id="{e(fid)}"{' class="headline"' if headline else ""}>
<img src="{e(files["png"])}" alt="{e(sidecar["alt_text"])}" width="{width}">
<figcaption>
<h3>{badge}{e(sidecar["title"])} <code>{e(fid)}</code></h3>
<p>{e(sidecar["caption"])}</p>
{_legend_html(sidecar)}
{_dictionary_html(sidecar, csv_columns)}
<p class="alt"><strong>Alt text:</strong> {e(sidecar["alt_text"])}</p>
<p class="source">{e(sidecar["source_line"])} Cite: {citations}.{notebook}</p>
<p class="links">{links} <a href="{e(fid)}.json">JSON</a></p>
{_snippets_html(sidecar)}
</figcaption>
</figure>"""


def render(
    sidecars: list[dict], title: str = "OpenTrends figures", csv_columns: dict[str, list[str]] | None = None
) -> str:
    """The gallery page for these sidecars: grouped by question, headline first (deterministic; no dates).

    `csv_columns` maps a figure id to its CSV's header, so the data dictionary follows the file's order.
    """
    e = html.escape
    csv_columns = csv_columns or {}
    groups = questions.group(sidecars)
    toc, body = [], []
    for question, members in groups:
        items = "\n".join(f'<li><a href="#{e(s["id"])}">{e(s["title"])}</a></li>' for s in members)
        toc.append(f'<li><a href="#q-{question.slug}">{e(question.title)}</a>\n<ul>\n{items}\n</ul></li>')
        cards = "\n".join(
            _figure_html(s, headline=(i == 0 and s["id"] in question.figures), csv_columns=csv_columns.get(s["id"]))
            for i, s in enumerate(members)
        )
        body.append(
            f'<section id="q-{question.slug}">\n<h2 class="question">{e(question.title)}</h2>\n{cards}\n</section>'
        )
    return f"""{html_page.head(title, CSS)}<h1>{e(title)}</h1>
<p class="lead">{len(sidecars)} figures, grouped by the question they answer, the headline figure of each question
first. Each links to PDF, SVG, PNG (300 dpi), the plotted numbers (CSV, with a data dictionary of its columns) and
its metadata (JSON), and offers a citation and embed snippets (Markdown, LaTeX, HTML) to copy.</p>
<nav class="toc" aria-label="Contents"><ol>
{chr(10).join(toc)}
</ol></nav>
{chr(10).join(body)}
<script>{SCRIPT}</script>
</body>
</html>
"""


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
        write_text_atomic(target, render(sidecars, csv_columns={k: v for k, v in columns.items() if v}))
    except OSError as exc:
        raise OpenTrendsError(
            f"The gallery {paths.relative_to_root(target)} cannot be written ({exc.strerror or exc}). "
            "Fix: make that folder writable, or export OPENTRENDS_FIGURES=/path/to/a/writable/folder."
        ) from exc
    return target
