"""Plot mechanics the notebooks share: stacked and counted bars, lines per group, a share line with its bounds, a forest plot.

Only drawing lives here (house style, sizes and `save` are in figures.py); captions, alt text and
the numbers in them stay in the notebooks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from opentrends.core import wording
from opentrends.publish import figures

BOUNDS_ALPHA = 0.07  # lighter than the Wilson band (figures.share_line uses 0.18) so the two read apart


def stacked_bars(ax, wide: pd.DataFrame, order: Sequence[str], colors: dict | None = None, width: float = 0.8) -> None:
    """One bar per index value (a year), stacked in `order` (first at the bottom); missing values stack as 0."""
    colors = colors or figures.COLORS
    bottom = np.zeros(len(wide.index))
    for name in order:
        values = wide[name].fillna(0).to_numpy(dtype=float)
        ax.bar(wide.index, values, bottom=bottom, color=colors[name], label=name, width=width)
        bottom += values
    ax.grid(axis="x", visible=False)


def counted_bars(ax, labels: Sequence[str], values: Sequence[int], color: str) -> None:
    """Horizontal bars (the first label at the bottom), each with its count written at its end."""
    ax.barh(labels, values, color=color)
    for y, n in enumerate(values):
        ax.annotate(f"{n:,}", (n, y), xytext=(2, 0), textcoords="offset points", va="center", fontsize=7)
    ax.grid(axis="y", visible=False)


def count_table(ax, labels: Sequence[str], values: Sequence[int], header: tuple[str, str] = ("Change", "Models")):
    """A small two-column table (label, count with thousands separators) drawn on `ax`, largest count first:
    for a handful of counts a table reads better than bars of 55, 1, 1 and 0."""
    rows = sorted(zip(labels, values, strict=True), key=lambda r: (-r[1], str(r[0])))
    ax.set_axis_off()
    table = ax.table(cellText=[[str(label)[:1].upper() + str(label)[1:], f"{int(n):,}"] for label, n in rows], colLabels=list(header),
                     cellLoc="left", colLoc="left", colWidths=[0.78, 0.22], loc="upper center", edges="horizontal")  # fmt: skip
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1, 1.3)
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("#CCCCCC")
        cell.set_linewidth(0.5)
        if col == 1:
            cell.get_text().set_horizontalalignment("right")
            cell.PAD = 0.05
        if row == 0:
            cell.get_text().set_fontweight("bold")
    return table


def lines_by(ax, table: pd.DataFrame, by: str, *, x: str = "year", y: str = "open_share", colors=None) -> None:
    """One line with markers per `by` group (in order of appearance), taking `colors` (default PALETTE) in turn."""
    for (name, group), color in zip(table.groupby(by, sort=False), colors or figures.PALETTE):
        ax.plot(group[x], group[y], marker="o", color=color, label=name)


def column_lines(ax, wide: pd.DataFrame, columns: Sequence[str], colors: dict | None = None) -> None:
    """One line with markers per column of `wide` (index on x), coloured by name (default figures.COLORS)."""
    colors = colors or figures.COLORS
    for name in columns:
        ax.plot(wide.index, wide[name], marker="o", color=colors[name], label=name)


def share_with_bounds(ax, table: pd.DataFrame, *, color: str, label: str, x: str = "year") -> None:
    """A yearly share (metrics.yearly_shares table) with its 95% Wilson band, partial years hollow, and a
    lighter band between the unlabelled-counted-as-closed and -as-open bounds, edged by dotted lines."""
    years = table[x].to_numpy(dtype=float)
    low = table["share_if_unlabelled_closed"].to_numpy(dtype=float)
    high = table["share_if_unlabelled_open"].to_numpy(dtype=float)
    ax.fill_between(years, low, high, color=color, alpha=BOUNDS_ALPHA, linewidth=0)
    ax.plot(years, low, color=color, linestyle=":", linewidth=0.8)
    ax.plot(years, high, color=color, linestyle=":", linewidth=0.8)
    figures.share_line(
        ax,
        years,
        table["open_share"],
        table["ci_low"],
        table["ci_high"],
        color=color,
        label=label,
        partial=table.get("partial_year"),
    )


CATALOGUING_MONTHS = 12  # a year is still being catalogued until a snapshot taken this long after it ends


def still_catalogued(year: int, snapshot_date: str) -> bool:
    """Whether `year` was still being catalogued when the snapshot of `snapshot_date` (YYYY-MM-DD) was taken."""
    ends = pd.Timestamp(f"{int(year)}-12-31")
    return pd.Timestamp(snapshot_date) < ends + pd.DateOffset(months=CATALOGUING_MONTHS)


def mark_cataloguing(ax, year: int, snapshot: str) -> None:
    """Shade `year` and say 'Still being catalogued' when the snapshot (a ref `source@YYYY-MM-DD` or a date) was
    taken within `CATALOGUING_MONTHS` of the year's end: its counts will grow as the catalogue back-fills."""
    date = str(snapshot).rsplit("@", 1)[-1]
    if still_catalogued(year, date):
        ax.axvspan(year - 0.5, year + 0.5, color="#EEEEEE", zorder=0, linewidth=0)
        ax.annotate("Still being catalogued", (year, 1), xycoords=("data", "axes fraction"), xytext=(0, -3),
                    textcoords="offset points", ha="center", va="top", rotation=90, color="#555555")  # fmt: skip


def bounds_legend_note() -> str:
    """The sentence every caption with `share_with_bounds` carries (`templates/captions/_bounds-legend.txt`)."""
    return wording.render("captions/_bounds-legend.txt")


def forest_plot(
    axes,
    table: pd.DataFrame,
    variants: Sequence[str],
    years: Sequence[int],
    *,
    labels: dict[str, str] | None = None,
    xlabel: str = "China minus US open share (percentage points)",
):
    """One panel (of `axes`) per year; per variant a point at `difference` with a line from `ci_low` to
    `ci_high` (0..1 scale, labelled in percentage points), a zero line, the first variant on top."""
    from matplotlib.ticker import FuncFormatter

    labels = labels or {}
    axes = np.atleast_1d(axes)
    ypos = {v: len(variants) - 1 - i for i, v in enumerate(variants)}
    span = np.nanmax(np.abs(table[["ci_low", "ci_high"]].to_numpy(dtype=float)))
    limit = min(1.0, np.ceil((span if np.isfinite(span) else 0.5) * 10 + 0.5) / 10)
    for ax, year in zip(axes, years):
        part = table[table["year"] == year]
        for row in part.itertuples():
            y = ypos[row.variant]
            color = figures.COLORS["China"] if row.difference > 0 else figures.COLORS["United States"]
            ax.plot([row.ci_low, row.ci_high], [y, y], color=color, linewidth=1.2)
            ax.plot([row.difference], [y], marker="o", color=color, markersize=3.5)
        ax.axvline(0, color="#555555", linewidth=0.8)
        ax.set_xlim(-limit, limit)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v * 100:+.0f}" if v else "0"))
        ax.set_title(str(year))
        ax.grid(axis="y", visible=False)
    axes[0].set_yticks([ypos[v] for v in variants], [labels.get(v, v) for v in variants])
    axes[0].set_ylim(-0.7, len(variants) - 0.3)
    axes[len(axes) // 2].set_xlabel(xlabel)  # under the middle panel (a figure-level label would meet the source line)
    return axes


def label_partial_years(ax, table: pd.DataFrame, data_end: str) -> None:
    """Write 'YYYY (to MM-DD)' above the point of each partial year of a `yearly_shares` table."""
    for row in table[table["partial_year"]].itertuples():
        ax.annotate(
            f"{row.year}\n(to {data_end[5:]})",
            (row.year, row.open_share),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            fontsize=7,
        )


BANDED = ("United States", "China")  # the comparison the panels make; other origins are context


def share_panels(axes, table: pd.DataFrame, panel: str, origins: Sequence[str], titles: dict[str, str]) -> None:
    """One panel per `panel` value of a stacked `yearly_shares` table split by origin: the United States and
    China each as a share line with its 95% band (partial years hollow and dashed), any other origin in
    `origins` as a thin line without a band; year and share axes, the panel's title from `titles`, the legend in
    the first panel. The unlabelled-counted-as-closed/-open bounds stay in the table (and the CSV)."""
    axes = np.atleast_1d(axes)
    for ax, (name, part) in zip(axes, table.groupby(panel, sort=False)):
        for origin in origins:
            rows = part[part["origin"] == origin]
            if origin in BANDED:
                figures.share_line(ax, rows["year"], rows["open_share"], rows["ci_low"], rows["ci_high"],
                                   color=figures.COLORS[origin], label=origin, partial=rows.get("partial_year"))  # fmt: skip
            else:
                ax.plot(rows["year"], rows["open_share"], color=figures.COLORS[origin], linewidth=0.9, label=origin)
        figures.year_axis(ax, part["year"])
        figures.share_axis(ax)
        ax.set_title(titles[name])
        ax.set_xlabel("Publication year")
    axes[0].legend(loc="upper left")


def bounds_panels(axes, table: pd.DataFrame, panel: str, titles: dict[str, str]) -> None:
    """`share_panels`' companion: per panel, the United States' and China's share lines each with the light band
    between the unlabelled-counted-as-closed and -as-open shares, edged by dotted lines (no Wilson band)."""
    axes = np.atleast_1d(axes)
    for ax, (name, part) in zip(axes, table.groupby(panel, sort=False)):
        for origin in BANDED:
            rows, colour = part[part["origin"] == origin], figures.COLORS[origin]
            years = rows["year"].to_numpy(dtype=float)
            low, high = (
                rows[c].to_numpy(dtype=float) for c in ("share_if_unlabelled_closed", "share_if_unlabelled_open")
            )
            ax.fill_between(years, low, high, color=colour, alpha=0.15, linewidth=0)
            for bound in (low, high):
                ax.plot(years, bound, color=colour, linestyle=":", linewidth=0.9)
            ax.plot(years, rows["open_share"], color=colour, marker="o", label=origin)
        figures.year_axis(ax, part["year"])
        figures.share_axis(ax)
        ax.set_title(titles[name])
        ax.set_xlabel("Publication year")
    axes[0].legend(loc="upper left")
