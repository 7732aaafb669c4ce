"""Plot helpers for notebook 03 (frontier gap): drawing only, every number comes in computed.

Each helper draws one figure's content onto axes made by `figures.new_figure`, in the house colours
(`figures.COLORS`), and returns nothing; the notebook saves through `figures.save`.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.text import Annotation, Text
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import Bbox

from opentrends.publish import frame
from opentrends.publish.figures import COLORS

LABEL_PT = 7  # the smallest text of the house style at print size (publish/frame.py MIN_PT)
ORIGIN_COLORS = {"United States": COLORS["United States"], "China": COLORS["China"], "other": COLORS["Rest of world"]}


class LabelPlacer(Artist):
    """Places an axes' annotations at draw time (after the layout is final) so no two labels overlap.

    Greedy and deterministic: labels in order of their points' x, each takes the first free offset from a
    fixed list (nearest first, the preferred side first: `prefer` maps a label colour to +1 above / -1 below),
    avoiding earlier labels, the plotted markers and lines, the legend and the axes edge. A leader line joins
    each label to its point. Drawn first (zorder -100), so the labels move before they are drawn.
    """

    def __init__(self, prefer: dict | None = None):
        super().__init__()
        self.prefer = prefer or {}
        self.set_zorder(-100)

    def draw(self, renderer) -> None:
        place_labels(self.axes, renderer, self.prefer)


STEPS_PT = (6, 11, 16, 22, 28, 35, 42, 50, 60, 72)  # candidate vertical offsets, nearest first
PAD_PT = 1.5  # clear space around a label
MARKER_PT = 2.5  # clear space around a marker or line point


def _obstacle_points(ax) -> tuple[np.ndarray, np.ndarray]:
    """Display-space points of every line (densified to about one per pixel) and marker of `ax`; and the markers."""
    pts, markers = [np.empty((0, 2))], [np.empty((0, 2))]
    for line in ax.lines:
        xy = line.get_transform().transform(line.get_xydata())
        xy = xy[np.isfinite(xy).all(axis=1)]
        if line.get_linestyle() in ("None", "", " "):
            markers.append(xy)
        elif len(xy) > 1:
            seg = np.diff(xy, axis=0)
            counts = np.maximum(1, np.hypot(seg[:, 0], seg[:, 1]).astype(int))
            xy = np.vstack(
                [xy[:-1][k] + seg[k] * (np.arange(n) / n)[:, None] for k, n in enumerate(counts)] + [xy[-1:]]
            )
        pts.append(xy)
    return np.vstack(pts), np.vstack(markers)


def place_labels(ax, renderer, prefer: dict) -> list[Bbox]:
    """Move each annotation of `ax` to its first free offset (see LabelPlacer); returns the text boxes in pixels."""
    labels = [t for t in ax.texts if isinstance(t, Annotation)]
    anchors = [ax.transData.transform((ax.convert_xunits(t.xy[0]), ax.convert_yunits(t.xy[1]))) for t in labels]
    px = renderer.points_to_pixels(1.0)
    points, markers = _obstacle_points(ax)
    fixed = [ax.get_legend().get_window_extent(renderer)] if ax.get_legend() is not None else []
    frame = ax.get_window_extent(renderer)
    placed: list[Bbox] = []
    for i in sorted(range(len(labels)), key=lambda k: tuple(anchors[k])):
        ann, anchor = labels[i], anchors[i]
        side = prefer.get(ann.get_color(), 1)
        others = points[np.hypot(*(points - anchor).T) > MARKER_PT * px]  # not the label's own point
        other_markers = markers[np.hypot(*(markers - anchor).T) > MARKER_PT * px]
        best, best_cost = None, np.inf
        for dy, ha in [(d * s, ha) for d in STEPS_PT for s in (side, -side) for ha in ("center", "right", "left")]:
            _set_offset(ann, dy, ha)
            box = Text.get_window_extent(ann, renderer).padded(PAD_PT * px)
            cost = int(box.padded(MARKER_PT * px).count_contains(others))
            cost += 100 * sum(box.overlaps(b) for b in placed + fixed)
            cost += 10 * _leader_hits(anchor, box, other_markers, 2 * MARKER_PT * px)
            cost += 0 if frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1) else 1000
            if cost < best_cost:
                best, best_cost = (dy, ha), cost
            if cost == 0:
                break
        _set_offset(ann, *best)
        placed.append(Text.get_window_extent(ann, renderer).padded(PAD_PT * px))
    return placed


def _leader_hits(anchor, box: Bbox, markers: np.ndarray, radius: float) -> int:
    """Markers within `radius` of the leader line from `anchor` to the nearest point of the label's box."""
    end = np.clip(anchor, [box.x0, box.y0], [box.x1, box.y1])
    path = anchor + (end - anchor) * np.linspace(0, 1, 25)[:, None]
    return int(sum((np.hypot(*(path - m).T) < radius).any() for m in markers))


def _set_offset(ann, dy: float, ha: str) -> None:
    ann.set_horizontalalignment(ha)
    ann.set_verticalalignment("bottom" if dy > 0 else "top")
    ann.xyann = ({"center": 0, "right": -3, "left": 3}[ha], dy)


def _date_axis(ax) -> None:
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def compute_frontier(ax, points: pd.DataFrame, trend_lines: pd.DataFrame) -> None:
    """Log-scale compute by date: all models faint, frontier models bold and labelled, trend lines dashed.

    points: date, access_class, model, training_compute, frontier; trend_lines: date, access_class, log10_compute.
    """
    for access_class in ("closed", "open"):
        color = COLORS[access_class]
        rows = points[points["access_class"] == access_class]
        rest = rows[~rows["frontier"]]
        ax.scatter(rest["date"], rest["training_compute"], s=4, color=color, alpha=0.18, linewidths=0)
        top = rows[rows["frontier"]].sort_values("date")
        ax.plot(
            top["date"],
            top["training_compute"],
            "o",
            color=color,
            markersize=3.5,
            label=f"{access_class.capitalize()} frontier (top-1 by compute)",
        )
        line = trend_lines[trend_lines["access_class"] == access_class]
        ax.plot(
            line["date"],
            10 ** line["log10_compute"],
            "--",
            color=color,
            linewidth=1.0,
            label=f"{access_class.capitalize()} trend",
        )
        for row in top.itertuples(index=False):
            ax.annotate(
                row.model,
                (row.date, row.training_compute),
                xytext=(0, 6 if access_class == "closed" else -6),
                textcoords="offset points",
                fontsize=LABEL_PT,
                color=color,
                va="center",
                ha="center",
                arrowprops={"arrowstyle": "-", "linewidth": 0.3, "color": color, "shrinkA": 0, "shrinkB": 2},
            )
    top_all = points[points["frontier"]]["training_compute"]
    ax.set_ylim(10 ** (np.floor(np.log10(top_all.min())) - 1), 10 ** (np.ceil(np.log10(top_all.max())) + 0.5))
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))  # full-size exponents: no 4.9 pt superscripts
    ax.set_ylabel("Training compute (FLOP)")
    ax.set_xlabel("Publication date")
    _date_axis(ax)
    ax.legend(loc="upper left")
    ax.add_artist(LabelPlacer(prefer={COLORS["closed"]: 1, COLORS["open"]: -1}))


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value: float, _pos=None) -> str:
    """'10²⁴' in Unicode superscripts (the same size as the label, unlike mathtext's reduced exponent)."""
    return "10" + str(int(round(np.log10(value)))).translate(_SUPERSCRIPT)


def lag_estimates(ax, table: pd.DataFrame, published: tuple[float, float, float] | None = None) -> None:
    """Horizontal point-and-interval chart, one row per (dataset, method); the published value as a band."""
    labels = [f"Snapshot of {frame.scrub_ids(d)}\n{m}" if "@" in d else f"{d}\n{m}"
              for d, m in zip(table["dataset"], table["method"])]  # fmt: skip
    ypos = np.arange(len(table))[::-1]
    if published is not None:
        point, low, high = published
        ax.axvspan(low, high, color="#eeeeee", zorder=0, label="Published 90% CI")
        ax.axvline(point, color="#777777", linewidth=0.8, linestyle=":", label=f"Published {point:.2f} months")
    ax.errorbar(
        table["lag_months"],
        ypos,
        xerr=[table["lag_months"] - table["ci_low"], table["ci_high"] - table["lag_months"]],
        fmt="o",
        color=COLORS["open"],
        ecolor=COLORS["open"],
        capsize=2,
        label="Estimate, 90% bootstrap CI",
    )
    for x, y in zip(table["lag_months"], ypos):
        ax.annotate(f"{x:.1f}", (x, y), xytext=(0, 4), textcoords="offset points", ha="center", fontsize=6)
    ax.set_yticks(ypos, labels)
    ax.set_xlabel("Lag of the open compute frontier (months)")
    ax.set_xlim(0, max(float(table["ci_high"].max()), published[2] if published else 0) * 1.1)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))


def record_lags(ax, lags: pd.DataFrame, censored_at: float | None = None) -> None:
    """Each open record-setter's lag (months) at its date; right-censored ones as open triangles."""
    matched = lags[lags["lag_months"].notna()]
    ax.axhline(0, color="#999999", linewidth=0.6)
    ax.bar(matched["open_date"], matched["lag_months"], width=25, color=COLORS["open"])
    for row in matched.itertuples(index=False):
        ax.annotate(
            row.open_model,
            (row.open_date, row.lag_months),
            xytext=(0, 2 if row.lag_months >= 0 else -2),
            textcoords="offset points",
            fontsize=LABEL_PT,
            rotation=90,
            ha="center",
            va="bottom" if row.lag_months >= 0 else "top",
        )
    pending = lags[lags["lag_months"].isna()]
    if not pending.empty and censored_at is not None:
        ax.plot(
            pending["open_date"],
            [censored_at] * len(pending),
            "^",
            markerfacecolor="none",
            color=COLORS["open"],
            label="Not yet matched by a closed model",
        )
        ax.legend(loc="upper left")
    low, high = float(np.nanmin([0.0, *matched["lag_months"]])), float(np.nanmax([0.0, *matched["lag_months"]]))
    ax.set_ylim(low - (20 if low < 0 else 2), high + 18)  # room for the rotated labels inside the axes
    ax.set_ylabel("Months since a closed model first\nreached the same compute")
    ax.set_xlabel("Date of the open compute record")
    _date_axis(ax)


def best_score_steps(ax, best: pd.DataFrame, group: str, colors: dict, end=None) -> None:
    """Running best ECI per group as step lines (held until the next record), the record models marked."""
    for name, color in colors.items():
        rows = best[best[group] == name].sort_values("date")
        if rows.empty:
            continue
        dates = list(rows["date"]) + ([pd.Timestamp(end)] if end is not None else [])
        values = list(rows["best_eci"]) + ([rows["best_eci"].iloc[-1]] if end is not None else [])
        label = str(name).capitalize() if group == "access_class" else {"other": "Rest of world"}.get(name, name)
        ax.step(dates, values, where="post", color=color, label=label)
        changes = rows[rows["best_eci"] != rows["best_eci"].shift()]  # every new record, a version too
        ax.plot(changes["date"], changes["best_eci"], "o", color=color, markersize=2.5)
    ax.set_ylabel("Best Epoch Capabilities Index so far")
    ax.set_xlabel("Release date")
    _date_axis(ax)
    ax.legend(loc="upper left")


def gap_and_lag(ax_gap, ax_lag, gaps: pd.DataFrame) -> None:
    """Two stacked step panels: the ECI gap in points and the open lag in months."""
    ax_gap.step(gaps["date"], gaps["eci_gap"], where="post", color=COLORS["closed"])
    ax_gap.axhline(0, color="#999999", linewidth=0.6)
    ax_gap.set_ylabel("Best closed − best open\n(ECI points)")
    ax_lag.step(gaps["date"], gaps["lag_months"], where="post", color=COLORS["open"])
    ax_lag.set_ylabel("Open lag (months)")
    ax_lag.set_xlabel("Release date")
    _date_axis(ax_lag)


def interval_whiskers(ax, leaders: pd.DataFrame, colors: dict) -> None:
    """Each leader's 90% interval (`eci_ci_low`..`eci_ci_high`) as a whisker at its release date; legend redrawn."""
    for i, row in enumerate(leaders.itertuples()):
        low, high = row.eci - row.eci_ci_low, row.eci_ci_high - row.eci
        ax.errorbar([row.date], [row.eci], yerr=[[low], [high]], fmt="none", ecolor=colors[row.access_class],
                    elinewidth=1.2, capsize=3, label="90% interval (reproduction)" if i == 0 else None)  # fmt: skip
    ax.legend(loc="upper left")
