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


def share_panels(axes, table: pd.DataFrame, panel: str, origins: Sequence[str], titles: dict[str, str]) -> None:
    """One panel per `panel` value of a stacked `yearly_shares` table split by origin: a `share_with_bounds` line
    per origin in `origins`, year and share axes, the panel's title from `titles`; the legend in the first panel."""
    axes = np.atleast_1d(axes)
    for ax, (name, part) in zip(axes, table.groupby(panel, sort=False)):
        for origin in origins:
            share_with_bounds(ax, part[part["origin"] == origin], color=figures.COLORS[origin], label=origin)
        figures.year_axis(ax, part["year"])
        figures.share_axis(ax)
        ax.set_title(titles[name])
        ax.set_xlabel("Publication year")
    axes[0].legend(loc="upper left", fontsize=6)
