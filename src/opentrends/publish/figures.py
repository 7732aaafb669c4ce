"""House style and `save()`: every figure leaves as PDF + SVG + PNG (1,200 px wide) + CSV + JSON sidecar.

Style: widths 3.5 in (single column) and 7.2 in (double column); the house style file
`publish/opentrends.mplstyle` (DejaVu Sans, shipped with matplotlib, so every machine draws the same
glyphs; nothing under 7 pt; SVG text kept as text; TrueType fonts embedded in PDFs); colours with one
meaning each from `palette` (origins, access, neutral). `save` frames the figure (`frame`: the finding as
title, a subtitle from `templates/captions/<id>.subtitle.txt`, the source line with snapshot dates in
words, "OpenTrends · CC BY 4.0"), records each series' colour and role in the sidecar (`"colours"`) and
writes the files with their metadata (`figure_files`); the PNG is `WEB_PX` (1,200 px) wide.

Determinism: PDF without CreationDate, SVG with a fixed hash salt and no date, PNG without
the Software chunk, CSV with fixed float format and "\\n" line ends, JSON with sorted keys.
Files are written to temporary names and renamed, so a failure never leaves half a figure.

A variant cites itself: in a variant run the runner sets `OPENTRENDS_VARIANT` (JSON,
`{parameter: {"value": ..., "default": ...}}` for each parameter that differs from the default run);
`save` then ends the caption and the figure's foot line with those parameters, names them in the
citation and records them in the sidecar under "variant". The default run sets nothing.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

from opentrends.core import paths
from opentrends.core.atomic import write_text_atomic
from opentrends.core.errors import OpenTrendsError
from opentrends.publish import figure_files, frame, palette, snippets
from opentrends.registry.sources import Source, get_snapshot, load_registry

SINGLE = 3.5  # inches: one journal column
DOUBLE = 7.2  # inches: full page width
DPI = 300

WEB_PX = 1200  # the PNG's width in pixels: sharp in a 600 px column at 2x, or a 1,200 px one
STYLE_FILE = Path(__file__).with_name("opentrends.mplstyle")

# One colour per meaning everywhere in the project (publish/palette.py), so a reader learns them once.
COLORS = palette.COLORS
PALETTE = [palette.NEUTRAL, palette.REFERENCE]  # the colour cycle: one series is neutral, never an origin

FIGURE_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCE_LINE_PT = frame.FOOT_PT
HASH_SALT = "opentrends"
STYLE = dict(matplotlib.rc_params_from_file(STYLE_FILE, use_default_template=False))


class FigureError(OpenTrendsError, ValueError):
    """A figure that cannot be saved as asked (bad id, no data, unknown source)."""


def use_style() -> None:
    """Apply the house style: `publish/opentrends.mplstyle`, the one file that sets how every figure looks."""
    matplotlib.style.use(STYLE_FILE)


def new_figure(width: str | float = "single", height: float | None = None, **subplot_kw):
    """A styled figure at a house width ('single' 3.5 in, 'double' 7.2 in, or inches)."""
    use_style()
    columns = {"single": SINGLE, "double": DOUBLE}
    if width not in columns and not isinstance(width, int | float):
        raise FigureError(f"width must be 'single', 'double' or inches, got {width!r}")
    inches = columns.get(width, width)
    height = height if height is not None else inches * 0.62
    return plt.subplots(figsize=(inches, height), **subplot_kw)


@dataclass(frozen=True)
class FigureRecord:
    """What `save` wrote: the figure id, the folder it wrote to, and the file names in that folder."""

    id: str
    files: tuple[str, ...]
    sidecar: dict
    folder: Path
    scratch: bool  # written outside `opentrends run` (OPENTRENDS_FIGURE_OUTPUT unset): a scratch copy

    @property
    def where(self) -> str:
        """The folder, relative to the project root when inside it (no machine paths in notebook outputs)."""
        return paths.relative_to_root(self.folder) + "/"

    def note(self) -> str:
        """One line saying what was written where, e.g. for a notebook run from JupyterLab."""
        kinds = ", ".join(name.rsplit(".", 1)[-1].upper() for name in self.files)
        line = f"Saved figure {self.id} ({kinds}) to {self.where}"
        if self.scratch:
            line += " (a scratch folder; only `opentrends run` writes the committed figures/)"
        return line + "."

    def __repr__(self) -> str:
        return f"FigureRecord(id={self.id!r}, folder={self.where!r}, files={self.files!r})"

    def _repr_markdown_(self) -> str:
        return self.note()

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython's text/plain: the same one line
        printer.text(self.note())


def _source_entries(refs: Sequence[str]) -> list[dict]:
    registry = load_registry()
    entries = []
    for ref in refs:
        snap = get_snapshot(ref, registry)
        source: Source = registry[snap.source_id]
        entries.append(
            {
                "ref": snap.ref,
                "source": source.id,
                "snapshot": snap.date,
                "producer": source.producer,
                "title": source.title,
                "citation": source.citation,
                "license": source.license.name,
                "license_url": source.license.url,
                "url": source.url_main,
            }
        )
    return entries


def source_line(entries: Sequence[dict]) -> str:
    """'Data: Epoch AI, Data on AI Models (snapshots of 30 March 2026 and 19 July 2026).' for the foot of a figure."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for e in entries:
        grouped.setdefault((e["producer"], e["title"]), []).append(e["snapshot"])
    parts = [
        f"{producer}, {title} (snapshot{'s' if len(dates) > 1 else ''} of {_and(dates)})"
        for (producer, title), dates in grouped.items()
    ]
    return "Data: " + "; ".join(parts) + "."


def _and(dates: Sequence[str]) -> str:
    words = [frame.plain_date(d) for d in dates]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def period_of(data: pd.DataFrame) -> str:
    """'2016–2025', '2022-01 to 2025-02' or '3 November 2025 to 2 August 2026': the span of the plotted table."""
    for column, fmt in (("year", "{}–{}"), ("month", "{} to {}"), ("week", None), ("date", None)):
        if column in data.columns and data[column].notna().any():
            values = data[column].dropna()
            first, last = values.min(), values.max()
            if fmt is None:
                return f"{frame.plain_date(first)} to {frame.plain_date(last)}"
            return fmt.format(first, last) if first != last else str(first)
    return ""


def default_subtitle(figure_id: str, data: pd.DataFrame) -> str:
    """The figure's subtitle template (`captions/<id>.subtitle.txt`: measure, unit, population, period) filled
    with the plotted `period`, or '' when the figure has none."""
    from opentrends.core import wording

    name = f"captions/{figure_id}.subtitle.txt"
    if not (paths.package_dir() / "templates" / name).is_file():
        return ""
    return wording.render(name, period=period_of(data))


def _csv_text(data: pd.DataFrame) -> str:
    return data.to_csv(index=False, lineterminator="\n", float_format="%.6g")


def save(
    fig,
    figure_id: str,
    *,
    title: str,
    subtitle: str = "",
    caption: str,
    alt_text: str,
    sources: Sequence[str],
    data: pd.DataFrame,
    parameters: Mapping | None = None,
    columns: Mapping[str, str] | None = None,
    notebook: str | None = None,
) -> FigureRecord:
    """Write `<id>.{pdf,svg,png,csv,json}` to `paths.figure_output_dir()` and return what was written where.

    `sources` are snapshot refs (`source@date`); `data` is the tidy table of plotted
    numbers; `columns` documents each CSV column (every column must be documented).
    The notebook name defaults to `OPENTRENDS_NOTEBOOK`, which the runner sets.
    The sidecar carries a citation and embed snippets (see `snippets`). Saving one figure
    twice replaces its source line rather than adding a second one.

    Outside `opentrends run` the files go to the scratch folder build/scratch/figures/, never
    to the committed figures/; in a notebook, a one-line note then says so.
    """
    if not FIGURE_ID_RE.match(figure_id):
        raise FigureError(f"figure id {figure_id!r} must be kebab-case (lower-case words joined by '-').")
    if data is None or data.empty:
        raise FigureError(f"figure {figure_id}: the data table is empty; nothing to plot or publish.")
    for name, value in (("title", title), ("caption", caption), ("alt_text", alt_text)):
        if not str(value).strip():
            raise FigureError(f"figure {figure_id}: {name} is empty; writers need it.")
    columns = dict(columns or {})
    undocumented = [c for c in data.columns if c not in columns]
    if undocumented:
        raise FigureError(
            f"figure {figure_id}: CSV columns without a description: {', '.join(map(str, undocumented))}."
        )
    entries = _source_entries(sources)
    if not entries:
        raise FigureError(f"figure {figure_id}: name at least one source snapshot.")
    variant = variant_from_environment()
    caption = " ".join(filter(None, [str(caption).strip(), snippets.variant_note(variant)]))

    subtitle = str(subtitle).strip() or default_subtitle(figure_id, data)
    foot = " ".join(filter(None, [source_line(entries), snippets.variant_note(variant)]))
    frame.apply(fig, title=str(title), subtitle=str(subtitle), foot=foot)
    out = paths.figure_output_dir()
    out.mkdir(parents=True, exist_ok=True)
    files = {ext: f"{figure_id}.{ext}" for ext in ("pdf", "svg", "png", "csv", "json")}
    sidecar = {
        "id": figure_id,
        "title": title,
        "subtitle": str(subtitle),
        "caption": caption,
        "alt_text": alt_text,
        "source_line": source_line(entries),
        "sources": entries,
        "parameters": dict(parameters or {}),
        "notebook": notebook or os.environ.get("OPENTRENDS_NOTEBOOK") or None,
        "columns": columns,
        "files": {k: v for k, v in files.items() if k != "json"},
        "size_inches": [round(float(x), 3) for x in fig.get_size_inches()],
        "colours": palette.colour_roles(fig),
        "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    }
    png_dpi = WEB_PX / float(fig.get_size_inches()[0])
    with matplotlib.rc_context({"svg.hashsalt": HASH_SALT, "pdf.fonttype": 42, "svg.fonttype": "none"}):
        figure_files.write_images(fig, out, figure_id, sidecar, dpi=png_dpi)
    write_text_atomic(out / files["csv"], _csv_text(data))
    if variant:
        sidecar["variant"] = variant
    sidecar["snippets"] = snippets.for_figure(sidecar, version=snippets.project_version())
    sidecar_text = json.dumps(sidecar, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    write_text_atomic(out / files["json"], sidecar_text)
    scratch = not os.environ.get("OPENTRENDS_FIGURE_OUTPUT", "").strip()
    record = FigureRecord(figure_id, tuple(files.values()), sidecar, out, scratch)
    if record.scratch:
        _announce(record)
    return record


canonical_svg_ids = figure_files.canonical_svg_ids  # kept here for callers and tests


def variant_from_environment() -> dict:
    """A variant run's changed parameters (`OPENTRENDS_VARIANT`, set by the runner), or {} outside variant runs."""
    text = os.environ.get("OPENTRENDS_VARIANT", "").strip()
    if not text:
        return {}
    try:
        variant = json.loads(text)
    except ValueError as exc:
        raise FigureError(f"OPENTRENDS_VARIANT is not JSON ({exc}); the runner sets it. Fix: unset it.") from exc
    if not isinstance(variant, dict) or not all(
        isinstance(v, dict) and {"value", "default"} <= set(v) for v in variant.values()
    ):
        raise FigureError(
            'OPENTRENDS_VARIANT must map each parameter to {"value": ..., "default": ...}. Fix: unset it.'
        )
    return variant


def _announce(record: FigureRecord) -> None:
    """Show the record's one-line note when running inside IPython (JupyterLab, nbconvert); silent elsewhere.

    Only in scratch runs: under `opentrends run` and nbval the note would differ between the
    committed outputs and a re-execution.
    """
    ipython = sys.modules.get("IPython")  # never import IPython just to find out it is not running
    if ipython is not None and ipython.get_ipython() is not None:
        from IPython.display import display

        display(record)


def year_axis(ax, periods) -> None:
    """Whole-year ticks (every year up to 10 years, then every other one)."""
    from matplotlib.ticker import MultipleLocator

    periods = list(periods)
    ax.xaxis.set_major_locator(MultipleLocator(1 if len(periods) <= 10 else 2))
    ax.set_xlim(min(periods) - 0.5, max(periods) + 0.5)


def share_axis(ax, label: str = "Share open weights") -> None:
    """0-100 % y axis for shares."""
    from matplotlib.ticker import PercentFormatter

    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel(label)


def share_line(ax, x, share, low, high, *, color: str, label: str, partial=None) -> None:
    """A share over time with its 95% interval as a band; `partial` periods get hollow markers."""
    import numpy as np

    x, share, low, high = (np.asarray(v, dtype=float) for v in (x, share, low, high))
    partial = np.zeros(len(x), dtype=bool) if partial is None else np.asarray(partial, dtype=bool)
    ax.fill_between(x, low, high, color=color, alpha=0.18, linewidth=0)
    complete = ~partial
    ax.plot(x[complete], share[complete], color=color, marker="o", label=label)
    if partial.any():
        last_complete = np.flatnonzero(complete)[-1:] if complete.any() else np.array([], dtype=int)
        idx = np.concatenate([last_complete, np.flatnonzero(partial)])
        ax.plot(x[idx], share[idx], color=color, linestyle="--", marker="none")
        ax.plot(
            x[partial],
            share[partial],
            color=color,
            linestyle="none",
            marker="o",
            markerfacecolor="white",
            label=f"{label}, partial year",
        )
