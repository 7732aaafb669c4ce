"""Drawing of the Arena figures (notebook 08): best closed and best open score per leaderboard version with
the Arena's 95% intervals as bands, the gap in percent; the best open model by origin in two attribution
views. Numbers and words stay in the notebook and `narrative_arena`."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from opentrends.publish import figures

ORIGINS = ("United States", "China", "Rest of world")


def _band(ax, x, low, high, y, *, color: str, label: str) -> None:
    ax.fill_between(x, low, high, step="post", color=color, alpha=0.2, linewidth=0)
    ax.step(x, y, where="post", color=color, label=label, linewidth=1.2)


def gap_figure(gap: pd.DataFrame, marks: Sequence[tuple[str, str]] = ()):
    """Two panels over the versions: the best closed and best open scores (lines) with their Arena 95%
    intervals (bands), and the gap in percent of the best open score. `marks` are (date, label) pairs drawn as
    dotted vertical lines on both panels."""
    fig, (top, bottom) = figures.new_figure("double", 4.2, nrows=2, sharex=True, height_ratios=(2, 1))
    x = gap["version"]
    for access in ("closed", "open"):
        _band(
            top,
            x,
            gap[f"best_{access}_low"],
            gap[f"best_{access}_high"],
            gap[f"best_{access}_score"],
            color=figures.COLORS[access],
            label=f"Best {access} model",
        )
    top.set_ylabel("Arena score (points)")
    top.legend(loc="lower right")
    bottom.step(x, gap["gap_pct"], where="post", color="#555555", linewidth=1.2)
    bottom.set_ylabel("Gap (% of best open)")
    bottom.set_ylim(0, max(10.0, float(gap["gap_pct"].max()) * 1.1))
    for day, label in marks:
        for ax in (top, bottom):
            ax.axvline(pd.Timestamp(day), color="#777777", linestyle=":", linewidth=0.8)
        top.annotate(label, (pd.Timestamp(day), 1.0), xycoords=("data", "axes fraction"), xytext=(-2, -3),
                     textcoords="offset points", rotation=90, rotation_mode="anchor", va="bottom", ha="right",
                     color="#555555")  # fmt: skip
    bottom.tick_params(axis="x", labelrotation=45)
    return fig


def origin_figure(by_maker: pd.DataFrame, by_organization: pd.DataFrame):
    """Two panels (credited to the maker of the base model, to the organization the Arena names): per origin,
    the best open model's score per version (line) with its Arena 95% interval (band)."""
    fig, axes = figures.new_figure("double", 3.2, ncols=2, sharey=True)
    panels = ((axes[0], by_maker, "Credited to the maker"), (axes[1], by_organization, "To the organization"))
    for ax, table, title in panels:
        for origin in ORIGINS:
            rows = table[table["origin"] == origin]
            if rows.empty:
                continue
            _band(
                ax,
                rows["version"],
                rows["low"],
                rows["high"],
                rows["score"],
                color=figures.COLORS[origin],
                label=origin,
            )
        ax.set_title(title, fontsize=8)
        ax.tick_params(axis="x", labelrotation=45)
    axes[0].set_ylabel("Best open model's Arena score (points)")
    axes[0].legend(loc="upper left")
    return fig
