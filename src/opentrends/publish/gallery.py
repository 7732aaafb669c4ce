"""`figures/index.html`: a self-contained gallery built from the figure sidecars.

No web fonts, no CDN, no external scripts: one HTML file with inline CSS, one small inline
script (the copy buttons) and relative links, so it works opened straight from the file
system and from any static host. Each card carries the figure's citation and embed snippets
(Markdown, LaTeX, HTML; see `snippets`), each with a copy button.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from opentrends.core import paths
from opentrends.core.atomic import write_text_atomic
from opentrends.core.errors import OpenTrendsError
from opentrends.publish import snippets

PIXELS_PER_INCH = 130

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 64rem;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
p.lead { color: #555; margin-top: 0; }
nav ul { columns: 2; padding-left: 1.2rem; }
figure { border-top: 1px solid #ddd; margin: 2rem 0; padding-top: 1rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption h2 { font-size: 1.15rem; margin: 0.6rem 0 0.2rem; }
figcaption code { color: #666; font-size: 0.85rem; }
.source, .alt { color: #555; font-size: 0.9rem; }
.links a { margin-right: 0.8rem; }
details.embed summary { cursor: pointer; color: #0072B2; font-size: 0.95rem; }
.snippet { margin: 0.6rem 0; }
.snippet-head { display: flex; align-items: center; gap: 0.6rem; font-size: 0.85rem; color: #555; }
.snippet pre { margin: 0.2rem 0 0; padding: 0.5rem 0.7rem; background: #f6f6f6; border: 1px solid #e4e4e4;
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


def _figure_html(sidecar: dict) -> str:
    e = html.escape
    fid = sidecar["id"]
    files = sidecar["files"]
    links = " ".join(f'<a href="{e(files[k])}">{k.upper()}</a>' for k in ("pdf", "svg", "png", "csv") if k in files)
    citations = "; ".join(dict.fromkeys(f"{e(s['citation'])} ({e(s['license'])})" for s in sidecar["sources"]))
    # Shown at a size proportional to the printed width, so column and page figures keep their relation.
    width = round(sidecar.get("size_inches", [7.2])[0] * PIXELS_PER_INCH)
    notebook = f" From notebook <code>{e(sidecar['notebook'])}</code>." if sidecar.get("notebook") else ""
    return f"""<figure id="{e(fid)}">
<img src="{e(files["png"])}" alt="{e(sidecar["alt_text"])}" width="{width}">
<figcaption>
<h2>{e(sidecar["title"])} <code>{e(fid)}</code></h2>
<p>{e(sidecar["caption"])}</p>
<p class="alt"><strong>Alt text:</strong> {e(sidecar["alt_text"])}</p>
<p class="source">{e(sidecar["source_line"])} Cite: {citations}.{notebook}</p>
<p class="links">{links} <a href="{e(fid)}.json">JSON</a></p>
{_snippets_html(sidecar)}
</figcaption>
</figure>"""


def render(sidecars: list[dict], title: str = "OpenTrends figures") -> str:
    """The gallery page for these sidecars (deterministic: by notebook, then id; no dates)."""
    sidecars = sorted(sidecars, key=lambda s: (s.get("notebook") or "", s["id"]))
    toc = "\n".join(f'<li><a href="#{html.escape(s["id"])}">{html.escape(s["title"])}</a></li>' for s in sidecars)
    body = "\n".join(_figure_html(s) for s in sidecars)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="icon" href="data:,">
<style>{CSS}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="lead">{len(sidecars)} figures. Each links to PDF, SVG, PNG (300 dpi), the plotted numbers (CSV)
and its metadata (JSON), and offers a citation and embed snippets (Markdown, LaTeX, HTML) to copy.</p>
<nav><ul>
{toc}
</ul></nav>
{body}
<script>{SCRIPT}</script>
</body>
</html>
"""


def read_sidecars(folder: Path) -> list[dict]:
    """Every figure sidecar (`<id>.json`) in `folder`.

    Plain JSON on purpose: building the gallery at the end of a run must not import matplotlib.
    """
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def build(folder: Path | None = None) -> Path:
    """Write `<folder>/index.html` from the sidecars in `folder` (default: the figures folder).

    A folder that does not exist (or is a file) is refused rather than given an empty gallery, and one
    that cannot be written is an error naming it: both say the fix.
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
        write_text_atomic(target, render(read_sidecars(folder)))
    except OSError as exc:
        raise OpenTrendsError(
            f"The gallery {paths.relative_to_root(target)} cannot be written ({exc.strerror or exc}). "
            "Fix: make that folder writable, or export OPENTRENDS_FIGURES=/path/to/a/writable/folder."
        ) from exc
    return target
