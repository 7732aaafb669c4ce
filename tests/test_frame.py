"""The frame of every figure: finding title, subtitle, source line and mark; no text under 7 pt; no internal id.

The committed figures are checked through their SVGs, whose text is text (`svg.fonttype: none`) drawn at
print width (1 SVG unit = 1 pt), so each `font-size` is the size a reader sees on paper.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pytest

from opentrends.core import paths
from opentrends.publish import frame

SVGS = sorted((paths.ROOT / "figures").glob("*.svg"))
FONT_SIZE = re.compile(r"font-size: ([0-9.]+)px|font: (?:bold |italic )*([0-9.]+)px")


def test_apply_draws_title_subtitle_foot_and_mark_and_grows_the_figure():
    fig, ax = plt.subplots(figsize=(3.5, 2.0), layout="constrained")
    ax.set_xlabel("tiny", fontsize=5)
    frame.apply(fig, title="China passed the US", subtitle="Share open, %", foot="Data: X (snapshot of 1 May 2026).")
    texts = [t.get_text() for t in fig.texts]
    assert texts == ["China passed the US", "Share open, %", "Data: X (snapshot of 1 May 2026).", frame.MARK]
    assert fig.get_size_inches()[1] > 2.0 and ax.xaxis.label.get_fontsize() == frame.MIN_PT
    height = fig.get_size_inches()[1]
    frame.apply(fig, title="China passed the US", subtitle="Share open, %", foot="Data: X (snapshot of 1 May 2026).")
    assert len(fig.texts) == 4 and fig.get_size_inches()[1] == height  # a second frame replaces the first
    plt.close(fig)


def test_internal_snapshot_ids_become_dates_in_words():
    assert frame.scrub_ids("ECI (epoch-benchmarks-eci@2026-07-01)") == "ECI (1 July 2026)"
    assert frame.scrub_ids("as of hf-hub-top-models@2026-08-22, rank") == "as of 22 August 2026, rank"


@pytest.mark.skipif(not SVGS, reason="no committed figures")
@pytest.mark.parametrize("svg", SVGS, ids=lambda p: p.stem)
def test_every_committed_figure_is_legible_titled_and_free_of_ids(svg):
    text = svg.read_text(encoding="utf-8")
    assert "<title" in text and "<desc" in text, "no <title>/<desc>: rerun the notebook"
    sizes = [float(a or b) for a, b in FONT_SIZE.findall(text)]
    assert sizes, "text drawn as paths (svg.fonttype must be none): rerun the notebook"
    assert min(sizes) >= frame.MIN_PT
    width_pt = float(re.search(r'<svg[^>]* width="([0-9.]+)pt"', text).group(1))
    assert width_pt in (252.0, 518.4), "print width is one column (3.5 in) or the page (7.2 in)"
    shown = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", text))
    assert not re.search(r"[a-z0-9-]+@\d{4}-\d{2}-\d{2}", shown)
    assert frame.MARK in shown.replace("&#183;", "·")


def test_counts_from_a_thousand_get_a_thousands_separator():
    fig, ax = plt.subplots(figsize=(3.5, 2.0))
    ax.barh(["a", "b"], [12_000, 3_000])
    frame.legible(fig)
    assert "10,000" in [t.get_text() for t in ax.get_xticklabels()]
    plt.close(fig)


def test_a_year_axis_keeps_its_years_plain():
    fig, ax = plt.subplots(figsize=(3.5, 2.0))
    ax.plot([2016, 2025], [1, 2])
    frame.legible(fig)
    assert "2,020" not in [t.get_text() for t in ax.get_xticklabels()]
    plt.close(fig)
