"""The frame every figure leaves in: finding title, subtitle, source line and licence mark, legible text.

`apply(fig, ...)` draws, in figure coordinates and outside the axes, the title (the finding, bold) and a
subtitle (measure, unit, population, period) on top, the source line (producers, titles, snapshot dates in
plain words) at the foot on the left and "OpenTrends · CC BY 4.0" on the right. The figure grows by the
frame's height, so the axes keep the room their author gave them; a second `apply` replaces the frame.
Every text is raised to `MIN_PT` at the figure's print width, and an internal snapshot id
(`source@YYYY-MM-DD`) is replaced by its date in words, so no id reaches the image.
"""

from __future__ import annotations

import re
import textwrap

from matplotlib.text import Text

MIN_PT = 7.0  # the smallest text at print width (3.5 in or 7.2 in)
TITLE_PT = 9.5
SUBTITLE_PT = 7.5
FOOT_PT = 7.0
MARK = "OpenTrends · CC BY 4.0"
INK, GREY, LIGHT = "#1A1A1A", "#555555", "#777777"
_REF = re.compile(r"\(?\b[a-z0-9]+(?:-[a-z0-9]+)*@(\d{4}-\d{2}-\d{2})\b\)?")
_PAD_IN = 0.06


def plain_date(iso: str) -> str:
    """'2026-03-30' -> '30 March 2026'."""
    from opentrends.core.text import day

    return day(iso)


def scrub_ids(text: str) -> str:
    """'ECI (epoch-benchmarks-eci@2026-07-01)' -> 'ECI (1 July 2026)': no internal id in an image."""
    return _REF.sub(lambda m: f"({plain_date(m.group(1))})" if m.group(0).startswith("(") else plain_date(m.group(1)),
                    text)  # fmt: skip


def thousands(fig) -> None:
    """Give every linear numeric axis whose ticks are whole numbers reaching 1,000 a thousands separator
    (not a year axis: ticks all within 1900–2100 are read as years)."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is not ScalarFormatter or axis.get_scale() != "linear":
                continue
            ticks = [t for t in axis.get_majorticklocs() if abs(t) < 1e15]
            if not ticks or 1900 <= min(ticks) <= max(ticks) <= 2100:
                continue
            if max(abs(t) for t in ticks) >= 1000 and all(float(t).is_integer() for t in ticks):
                axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def legible(fig, min_pt: float = MIN_PT) -> None:
    """Raise every visible text of `fig` to at least `min_pt` and scrub internal ids from it (drawn once first,
    so tick labels exist)."""
    thousands(fig)
    fig.draw_without_rendering()
    for text in fig.findobj(Text):
        content = text.get_text()
        if not content:
            continue
        if text.get_fontsize() < min_pt:
            text.set_fontsize(min_pt)
        if "@" in content:
            text.set_text(scrub_ids(content))


def _wrap(text: str, width_in: float, pt: float, em: float = 0.56) -> str:
    chars = max(20, int(width_in * 72 / (pt * em)))  # DejaVu Sans averages 0.56 em a character, bold 0.63
    return "\n".join(textwrap.fill(part, chars) for part in text.split("\n"))


def _lines(text: str) -> int:
    return text.count("\n") + 1 if text else 0


def apply(fig, *, title: str, subtitle: str = "", foot: str) -> None:
    """Draw the frame on `fig` (replacing an earlier one) and make every text legible."""
    for artist in fig.__dict__.pop("_opentrends_frame", []):
        if artist in fig.texts:
            artist.remove()
    width_in, _ = fig.get_size_inches()
    base_h = fig.__dict__.setdefault("_opentrends_base_height", float(fig.get_size_inches()[1]))
    title_t = _wrap(scrub_ids(title.strip()), width_in - 2 * _PAD_IN, TITLE_PT, em=0.64)
    sub_t = _wrap(scrub_ids(subtitle.strip()), width_in - 2 * _PAD_IN, SUBTITLE_PT)
    foot_t = _wrap(scrub_ids(foot.strip()), width_in * 0.78, FOOT_PT)
    top_in = (_lines(title_t) * TITLE_PT * 1.25 + _lines(sub_t) * SUBTITLE_PT * 1.3 + 6) / 72
    bottom_in = (_lines(foot_t) * FOOT_PT * 1.25 + 6) / 72
    height = base_h + top_in + bottom_in
    fig.set_size_inches(width_in, height, forward=False)
    x = _PAD_IN / width_in
    top = 1 - 3 / 72 / height
    made = [fig.text(x, top, title_t, fontsize=TITLE_PT, fontweight="bold", color=INK, ha="left", va="top")]
    if sub_t:
        below = top - _lines(title_t) * TITLE_PT * 1.25 / 72 / height
        made.append(fig.text(x, below, sub_t, fontsize=SUBTITLE_PT, color=GREY, ha="left", va="top"))
    made.append(fig.text(x, 2 / 72 / height, foot_t, fontsize=FOOT_PT, color=GREY, ha="left", va="bottom"))
    made.append(fig.text(1 - x, 2 / 72 / height, MARK, fontsize=FOOT_PT, color=LIGHT, ha="right", va="bottom"))
    fig._opentrends_frame = made
    fig._opentrends_source_line = made[-2]
    lo, hi = bottom_in / height, top_in / height
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(rect=(0, lo, 1, 1 - lo - hi))  # absolute, so a second save sets the same bands
    else:
        pars = fig.__dict__.setdefault("_opentrends_margins", (fig.subplotpars.bottom, fig.subplotpars.top))
        fig.subplots_adjust(bottom=lo + pars[0] * base_h / height, top=1 - hi - (1 - pars[1]) * base_h / height)
    legible(fig)
