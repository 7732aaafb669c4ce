"""House style and `save()`: every figure leaves as PDF + SVG + PNG (300 dpi) + CSV + JSON sidecar.

Style: widths 3.5 in (single column) and 7.2 in (double column); the Okabe-Ito palette;
DejaVu Sans (shipped with matplotlib, so every machine draws the same glyphs) at 7-9 pt;
TrueType fonts embedded in PDFs (`pdf.fonttype = 42`, never Type 3). Each saved figure
gets a source line naming the data and snapshot dates.

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
from opentrends.core.atomic import atomic_path, write_text_atomic
from opentrends.core.errors import OpenTrendsError
from opentrends.publish import snippets
from opentrends.registry.sources import Source, get_snapshot, load_registry

SINGLE = 3.5  # inches: one journal column
DOUBLE = 7.2  # inches: full page width
DPI = 300

# Okabe & Ito (2008), "Color Universal Design", https://jfly.uni-koeln.de/color/ —
# distinguishable with colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
PALETTE = [
    OKABE_ITO[k]
    for k in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "yellow", "black")
]

# One colour per category everywhere in the project, so a reader learns them once.
COLORS = {
    "open": OKABE_ITO["bluish_green"],
    "closed": OKABE_ITO["vermillion"],
    "United States": OKABE_ITO["blue"],
    "China": OKABE_ITO["vermillion"],
    "Rest of world": OKABE_ITO["bluish_green"],
    "Multinational": OKABE_ITO["reddish_purple"],
    "Unknown": "#999999",
    "Open weights (unrestricted)": OKABE_ITO["bluish_green"],
    "Open weights (restricted use)": OKABE_ITO["sky_blue"],
    "Open weights (non-commercial)": OKABE_ITO["blue"],
    "API access": OKABE_ITO["orange"],
    "Hosted access (no API)": OKABE_ITO["yellow"],
    "Unreleased": OKABE_ITO["vermillion"],
}

FIGURE_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCE_LINE_PT = 7
HASH_SALT = "opentrends"

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.title_fontsize": 7,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "grid.linewidth": 0.4,
    "grid.color": "#dddddd",
    "lines.linewidth": 1.4,
    "lines.markersize": 3.5,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "figure.dpi": 110,
    "savefig.dpi": DPI,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "path",
    "svg.hashsalt": HASH_SALT,
    "figure.constrained_layout.use": True,
}


class FigureError(OpenTrendsError, ValueError):
    """A figure that cannot be saved as asked (bad id, no data, unknown source)."""


def use_style() -> None:
    """Apply the house style (seaborn's white-grid theme under the project's rc settings)."""
    import seaborn as sns

    sns.set_theme(style="whitegrid", rc=STYLE)
    matplotlib.rcParams.update(STYLE)


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
    """'Data: Epoch AI, Data on AI Models (snapshots 2026-03-30, 2026-07-19).' for the foot of a figure."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for e in entries:
        grouped.setdefault((e["producer"], e["title"]), []).append(e["snapshot"])
    parts = [
        f"{producer}, {title} (snapshot{'s' if len(dates) > 1 else ''} {', '.join(dates)})"
        for (producer, title), dates in grouped.items()
    ]
    return "Data: " + "; ".join(parts) + "."


def _add_source_line(fig, text: str) -> None:
    """Put the source line at the foot of `fig`, replacing the one an earlier `save` of this figure added."""
    import textwrap

    previous = fig.__dict__.pop("_opentrends_source_line", None)
    if previous is not None and previous in fig.texts:
        previous.remove()
    width_in, height_in = fig.get_size_inches()
    # DejaVu Sans averages about 0.55 em per character.
    chars_per_line = max(20, int(width_in * 72 / (SOURCE_LINE_PT * 0.55)))
    wrapped = textwrap.fill(text, chars_per_line)
    n_lines = wrapped.count("\n") + 1
    band = (SOURCE_LINE_PT * 1.25 * n_lines + 6) / 72 / height_in
    fig._opentrends_source_line = fig.text(
        0.005, 0.006, wrapped, fontsize=SOURCE_LINE_PT, color="#555555", ha="left", va="bottom"
    )
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(rect=(0, band, 1, 1 - band))  # absolute, so a second save sets the same band
    else:
        # Remember the author's bottom margin, so a second save does not grow it again.
        bottom = fig.__dict__.setdefault("_opentrends_bottom", fig.subplotpars.bottom)
        fig.subplots_adjust(bottom=max(bottom, band + 0.08))


def _csv_text(data: pd.DataFrame) -> str:
    return data.to_csv(index=False, lineterminator="\n", float_format="%.6g")


def save(
    fig,
    figure_id: str,
    *,
    title: str,
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

    _add_source_line(fig, " ".join(filter(None, [source_line(entries), snippets.variant_note(variant)])))
    out = paths.figure_output_dir()
    out.mkdir(parents=True, exist_ok=True)
    files = {ext: f"{figure_id}.{ext}" for ext in ("pdf", "svg", "png", "csv", "json")}
    with matplotlib.rc_context({"svg.hashsalt": HASH_SALT, "pdf.fonttype": 42}):
        for ext, meta in (
            ("pdf", {"CreationDate": None, "ModDate": None}),
            ("svg", {"Date": None}),
            ("png", {"Software": None}),
        ):
            with atomic_path(out / files[ext]) as tmp:
                fig.savefig(tmp, format=ext, dpi=DPI, metadata=meta)
                if ext == "svg":
                    tmp.write_text(canonical_svg_ids(tmp.read_text(encoding="utf-8")), encoding="utf-8")
    write_text_atomic(out / files["csv"], _csv_text(data))
    sidecar = {
        "id": figure_id,
        "title": title,
        "caption": caption,
        "alt_text": alt_text,
        "source_line": source_line(entries),
        "sources": entries,
        "parameters": dict(parameters or {}),
        "notebook": notebook or os.environ.get("OPENTRENDS_NOTEBOOK") or None,
        "columns": columns,
        "files": {k: v for k, v in files.items() if k != "json"},
        "size_inches": [round(float(x), 3) for x in fig.get_size_inches()],
    }
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
