"""The image files of one figure, each carrying its own description: SVG, PDF and PNG metadata from the sidecar.

SVG keeps its text as text (`svg.fonttype: none`, searchable and read by screen readers) and opens with
`<title>` and `<desc>` (alt text, source line and licence); its clip ids are numbered in order
(`canonical_svg_ids`) so one drawing gives one file. The PDF carries Title, Author, Subject and Keywords,
its fonts embedded as TrueType; the PNG carries Title, Description, Source, Author and License text chunks.
No dates, no software versions: the same figure gives the same bytes.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape  # SVG is XML: its <title>/<desc> text, not a page

from opentrends.core.atomic import atomic_path

AUTHOR = "OpenTrends contributors"
LICENSE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); data under their own licences, see Source"
_CLIP_ID = re.compile(r'<clipPath id="(p[0-9a-f]{10})"')


def canonical_svg_ids(svg: str) -> str:
    """Number matplotlib's clip-path ids in order of definition (`clip1`, `clip2`, ...).

    matplotlib names a clip rectangle by a hash of its float bounds: the same drawing laid out in
    another process can differ in the last bit of a bound (constrained layout), which renames the id and
    changes the file although nothing visible moved. Numbering by order keeps the same drawing byte-identical.
    """
    for number, old in enumerate(dict.fromkeys(_CLIP_ID.findall(svg)), start=1):
        svg = svg.replace(f'"{old}"', f'"clip{number}"').replace(f"url(#{old})", f"url(#clip{number})")
    return svg


def titled_svg(svg: str, title: str, desc: str) -> str:
    """Put `<title>` and `<desc>` first inside the root `<svg>` element (replacing any there), and label the root."""
    svg = re.sub(r'\s*<title id="svg-title">.*?</title>|\s*<desc id="svg-desc">.*?</desc>', "", svg, flags=re.S)
    head, sep, rest = svg.partition("<svg ")
    tag_end = rest.index(">") + 1
    root = rest[:tag_end]
    if "aria-labelledby" not in root:
        root = root[:-1].rstrip("/ ") + ' role="img" aria-labelledby="svg-title svg-desc">'
    meta = f'\n <title id="svg-title">{escape(title)}</title>\n <desc id="svg-desc">{escape(desc)}</desc>'
    return head + sep + root + meta + rest[tag_end:]


def write_images(fig, out: Path, figure_id: str, sidecar: dict, dpi: int) -> dict[str, str]:
    """Write `<id>.pdf`, `.svg` and `.png` into `out`; return {extension: file name}."""
    title = sidecar["title"]
    keywords = ", ".join(["OpenTrends", figure_id] + sorted({e["producer"] for e in sidecar["sources"]}))
    metadata = {
        "pdf": {"Title": title, "Author": AUTHOR, "Subject": sidecar["alt_text"], "Keywords": keywords,
                "Creator": "OpenTrends", "Producer": None, "CreationDate": None, "ModDate": None},
        "svg": {"Date": None, "Creator": None},
        "png": {"Software": None, "Title": title, "Description": sidecar["alt_text"], "Author": AUTHOR,
                "Source": sidecar["source_line"], "License": LICENSE},
    }  # fmt: skip
    files = {}
    for ext, meta in metadata.items():
        files[ext] = f"{figure_id}.{ext}"
        with atomic_path(out / files[ext]) as tmp:
            fig.savefig(tmp, format=ext, dpi=dpi, metadata=meta)
            if ext == "svg":
                text = canonical_svg_ids(tmp.read_text(encoding="utf-8"))
                desc = f"{sidecar['alt_text']} {sidecar['source_line']} Licence: {LICENSE}."
                tmp.write_text(titled_svg(text, title, desc), encoding="utf-8")
    return files
