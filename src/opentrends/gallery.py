"""`figures/index.html`: a self-contained gallery built from the figure sidecars.

No scripts, no web fonts, no CDN: one HTML file with inline CSS and relative links, so it
works opened straight from the file system and from any static host.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from . import paths
from .atomic import write_text_atomic

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
"""


def _figure_html(sidecar: dict) -> str:
    e = html.escape
    fid = sidecar["id"]
    files = sidecar["files"]
    links = " ".join(
        f'<a href="{e(files[k])}">{k.upper()}</a>' for k in ("pdf", "svg", "png", "csv") if k in files
    )
    citations = "; ".join(dict.fromkeys(f"{e(s['citation'])} ({e(s['license'])})" for s in sidecar["sources"]))
    # Shown at a size proportional to the printed width, so column and page figures keep their relation.
    width = round(sidecar.get("size_inches", [7.2])[0] * PIXELS_PER_INCH)
    notebook = f" From notebook <code>{e(sidecar['notebook'])}</code>." if sidecar.get("notebook") else ""
    return f"""<figure id="{e(fid)}">
<img src="{e(files['png'])}" alt="{e(sidecar['alt_text'])}" width="{width}">
<figcaption>
<h2>{e(sidecar['title'])} <code>{e(fid)}</code></h2>
<p>{e(sidecar['caption'])}</p>
<p class="alt"><strong>Alt text:</strong> {e(sidecar['alt_text'])}</p>
<p class="source">{e(sidecar['source_line'])} Cite: {citations}.{notebook}</p>
<p class="links">{links} <a href="{e(fid)}.json">JSON</a></p>
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
<p class="lead">{len(sidecars)} figures. Each links to PDF, SVG, PNG (300 dpi), the plotted numbers (CSV) and its metadata (JSON).</p>
<nav><ul>
{toc}
</ul></nav>
{body}
</body>
</html>
"""


def read_sidecars(folder: Path) -> list[dict]:
    """Every figure sidecar (`<id>.json`) in `folder`.

    Plain JSON on purpose: building the gallery at the end of a run must not import matplotlib.
    """
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def build(folder: Path | None = None) -> Path:
    """Write `<folder>/index.html` from the sidecars in `folder` (default: the figures folder)."""
    folder = Path(folder) if folder else paths.figures_dir()
    target = folder / "index.html"
    write_text_atomic(target, render(read_sidecars(folder)))
    return target
