"""Image files a publisher can take: SVG with <title>/<desc> and text as text, PDF metadata, PNG text chunks."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import matplotlib.pyplot as plt
import pytest

from opentrends.publish import figure_files, figures

SIDECAR = {
    "title": "China's share passed the US's",
    "alt_text": "Two lines & a band.",
    "source_line": "Data: Epoch AI, Data on AI Models (snapshot of 30 March 2026).",
    "sources": [{"producer": "Epoch AI"}],
}


def test_titled_svg_puts_escaped_title_and_desc_first():
    svg = '<?xml version="1.0"?>\n<svg width="252pt" xmlns="http://www.w3.org/2000/svg">\n <g/>\n</svg>\n'
    out = figure_files.titled_svg(svg, "A < B", "desc & more")
    assert (
        '<svg width="252pt" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="svg-title svg-desc">' in out
    )
    assert '<title id="svg-title">A &lt; B</title>' in out and '<desc id="svg-desc">desc &amp; more</desc>' in out
    assert figure_files.titled_svg(out, "A < B", "desc & more") == out  # idempotent


def test_written_files_carry_their_description(tmp_path):
    figures.use_style()
    fig, ax = plt.subplots(figsize=(3.5, 2.2))
    ax.plot([1, 2], [1, 2], label="China")
    figure_files.write_images(fig, tmp_path, "t", SIDECAR, dpi=1200 / 3.5)
    plt.close(fig)
    svg = (tmp_path / "t.svg").read_text()
    assert "<text" in svg and "China" in svg  # text as text
    from PIL import Image

    with Image.open(tmp_path / "t.png") as image:
        assert image.size[0] == 1200
        assert image.info["Title"] == SIDECAR["title"] and image.info["Source"] == SIDECAR["source_line"]
        assert image.info["License"].startswith("CC BY 4.0")
    pdf = (tmp_path / "t.pdf").read_bytes()
    assert b"CreationDate" not in pdf and b"/Author (OpenTrends contributors)" in pdf
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(tmp_path / "t.pdf")], capture_output=True, text=True).stdout
        assert "China's share passed the US's" in info and re.search(r"Keywords: +OpenTrends, t, Epoch AI", info)
        fonts = subprocess.run(["pdffonts", str(tmp_path / "t.pdf")], capture_output=True, text=True).stdout
        assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded


@pytest.mark.parametrize("name", ["open-share-by-year"])
def test_a_committed_sidecar_cites_year_url_and_bibtex(name):
    from opentrends.core import paths

    sidecar = json.loads((paths.ROOT / "figures" / f"{name}.json").read_text())
    assert sidecar["license"]["name"] == "CC BY 4.0"
    assert sidecar["snippets"]["bibtex"].startswith(f"@misc{{opentrends-{name},")
    assert "(2026)" in sidecar["snippets"]["citation"]
