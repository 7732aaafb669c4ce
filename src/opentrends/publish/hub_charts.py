"""Drawing of the Hub figures (notebooks 04 and 07): monthly stacked bars with a share line, ranked bars,
daily lines with an event marker, weekly share lines with gaps. Numbers and words stay in the notebook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.dates import DateFormatter, MonthLocator
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from opentrends.publish import charts, figures, palette

ORIGINS = ("United States", "China", "Rest of world", "Unknown")


def finetunes_panels(table: pd.DataFrame, without: pd.DataFrame, origins: Sequence[str] = ORIGINS[:3]):
    """Two aligned panels on one month axis, no second y-axis: monthly new fine-tunes stacked by origin (top),
    China's share of them with and without the top bases (bottom). Partial months are pale bars, left out of
    the share lines, and named in the legend. `without` is kept for callers (the share column is in `table`)."""
    fig, (top, bottom) = figures.new_figure("double", 3.6, nrows=2, sharex=True, height_ratios=[1.6, 1])
    partial = table.groupby("month")["partial_month"].any()
    wide = table.pivot_table(index="month", columns="origin", values="new_finetunes", aggfunc="sum")
    wide = wide.reindex(index=partial.index, columns=list(origins), fill_value=0).fillna(0)
    x = pd.Series(range(len(wide)), index=wide.index)
    complete = ~partial.to_numpy()
    base = np.zeros(len(wide))
    for origin in origins:
        values = wide[origin].to_numpy(dtype=float)
        colour = figures.COLORS[origin]
        top.bar(x[complete], values[complete], bottom=base[complete], color=colour, width=0.85, label=origin)
        top.bar(x[~complete], values[~complete], bottom=base[~complete], color=colour, alpha=0.35, width=0.85)
        base += values
    handles, _ = top.get_legend_handles_labels()
    if (~complete).any():
        handles.append(Patch(color=palette.MUTED, label="Partial month (pale; left out of the shares)"))
    top.set_ylabel("New fine-tunes\nper month")
    top.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    top.legend(handles=handles, loc="upper left")
    share = table.drop_duplicates("month").set_index("month").reindex(wide.index)
    china = figures.COLORS["China"]
    for column, style, label in (
        ("china_share", "-", "China's share, all bases"),
        ("china_share_without_top_bases", "--", "China's share without the top bases"),
    ):
        values = share[column].to_numpy(dtype=float)
        bottom.plot(x.to_numpy()[complete], values[complete], color=china, linestyle=style, linewidth=1.2, label=label)
    bottom.legend(loc="upper left")
    bottom.set_ylim(0, 1)
    bottom.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    bottom.set_ylabel("China's share")
    ticks = [i for i, m in enumerate(wide.index) if m.endswith("-01")]
    bottom.set_xticks(ticks, [wide.index[i][:4] for i in ticks])
    top.grid(axis="x", visible=False)
    bottom.grid(axis="x", visible=False)
    return fig


def ranked_bars(table: pd.DataFrame, label: str, value: str, xlabel: str):
    """Horizontal bars, largest on top, coloured by `origin`, with an origin legend."""
    fig, ax = figures.new_figure("double", 3.8)
    shown = table.iloc[::-1]
    ax.barh(shown[label], shown[value], color=[figures.COLORS[o] for o in shown["origin"]], height=0.7)
    present = [o for o in ORIGINS if o in set(table["origin"])]
    ax.legend(handles=[Patch(color=figures.COLORS[o], label=o) for o in present], loc="lower right")
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    return fig


RAMP_UP = 0.1  # tracking is ramping up while the day's total is under a tenth of its level over the last 30 days


def daily_shares(table: pd.DataFrame, event: str, event_label: str, value: str = "share"):
    """One line per origin over days (a share of the 7-day mean), a dashed vertical line at `event`, labelled.

    The tracking ramp-up (days before the total 7-day mean first reaches `RAMP_UP` of its mean over the last
    30 days, when few models were tracked and shares swing on a handful) is shaded grey and named in the legend.
    """
    fig, ax = figures.new_figure("double", 3.0)
    if "downloads_7d_mean" in table:
        total = table.groupby("date")["downloads_7d_mean"].sum().sort_index()
        reached = total[total >= RAMP_UP * total.iloc[-30:].mean()]
        if len(reached) and reached.index[0] > total.index[0]:
            ax.axvspan(total.index[0], reached.index[0], color=palette.MUTED, alpha=0.6, linewidth=0,
                       label="Tracking ramp-up (few models tracked)")  # fmt: skip
    for origin in [o for o in ORIGINS if o in set(table["origin"])]:
        group = table[table["origin"] == origin]
        ax.plot(group["date"], group[value], color=figures.COLORS[origin], label=origin, linewidth=1.0)
    ax.axvline(pd.Timestamp(event), color=palette.NEUTRAL, linestyle="--", linewidth=0.8)
    ax.annotate(event_label, (pd.Timestamp(event), 0.97), xytext=(-3, 0), textcoords="offset points", ha="right",
                va="top")  # fmt: skip
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.legend(loc="upper right")
    return fig, ax


ROLLING_WEEKS = 4


def weekly_shares(table: pd.DataFrame, gaps: Sequence[str]):
    """Two panels (credited to the maker, to the uploader): the share of trending slots of the United States and
    China as a four-week rolling mean, shaded between the lowest and highest of its four weekly shares; every
    other origin together as one grey line. A last week with fewer than 7 days of files is left out of the
    rolling mean and drawn as a hollow point ('partial week'); days without a file are thin grey bands."""
    fig, axes = figures.new_figure("double", 3.0, ncols=2, sharey=True)
    last = table["week"].max()
    partial_week = bool((table.loc[table["week"] == last, "days"] < 7).any()) if "days" in table else False
    for ax, column, title in ((axes[0], "share", "Credited to the maker"), (axes[1], "share_by_uploader", "To the uploader")):  # fmt: skip
        wide = table.pivot_table(index="week", columns="origin", values=column, aggfunc="sum").sort_index()
        full = wide.iloc[:-1] if partial_week else wide
        rest = [o for o in wide.columns if o not in ("United States", "China")]
        other = full[rest].sum(axis=1).rolling(ROLLING_WEEKS).mean()
        ax.plot(other.index, other, color=palette.REFERENCE, linewidth=0.9, label="All other origins")
        for origin in ("United States", "China"):
            colour = figures.COLORS[origin]
            roll = full[origin].rolling(ROLLING_WEEKS)
            ax.fill_between(full.index, roll.min(), roll.max(), color=colour, alpha=0.18, linewidth=0)
            ax.plot(full.index, roll.mean(), color=colour, linewidth=1.4, label=origin)
            if partial_week:
                ax.plot([last], [wide[origin].iloc[-1]], marker="o", markerfacecolor="white", color=colour,
                        linestyle="none")  # fmt: skip
        for day in gaps:
            ax.axvspan(pd.Timestamp(day), pd.Timestamp(day) + pd.Timedelta(days=1), color=palette.MUTED, linewidth=0)
        ax.set_title(title)
        ax.xaxis.set_major_locator(MonthLocator(interval=2))
        ax.xaxis.set_major_formatter(DateFormatter("%b\n%Y"))
    if partial_week:
        axes[0].plot([], [], marker="o", markerfacecolor="white", color=palette.NEUTRAL, linestyle="none",
                     label="Partial last week (not in the mean)")  # fmt: skip
    axes[0].set_ylim(0, 1)
    axes[0].yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes[0].set_ylabel("Share of the 30 daily\ntrending slots")
    axes[0].legend(loc="upper left")
    return fig


def attribution_bars(table: pd.DataFrame, labels: dict[str, str]):
    """One stacked bar per attribution (uploader, maker, maintainer): download shares by origin."""
    fig, ax = figures.new_figure("double", 3.0)
    wide = table.pivot(index="attribution", columns="origin", values="share").reindex(list(labels))
    wide.index = [labels[a] for a in wide.index]
    charts.stacked_bars(ax, wide, [o for o in ORIGINS if o in wide.columns], width=0.6)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), reverse=True)
    return fig, ax


def small_multiples(timeline: pd.DataFrame, origin_of: Mapping[str, str], capped: Sequence[str], columns: int = 5):
    """One small panel per root on one shared scale, largest count at day 90 first: cumulative derivatives by day
    since release, coloured by the root's origin (legend in the last panel of the first row); a capped root's panel says '≥' (a floor)."""
    ends = timeline.sort_values("days_since_release").groupby("root")["cumulative_derivatives"].last()
    roots = sorted(ends.index, key=lambda r: (-ends[r], r))
    rows = -(-len(roots) // columns)
    fig, axes = figures.new_figure("double", 1.3 * rows + 0.7, nrows=rows, ncols=columns, sharex=True, sharey=True,
                                   squeeze=False)  # fmt: skip
    for ax, root in zip(axes.flat, roots, strict=False):
        group = timeline[timeline["root"] == root]
        ax.step(group["days_since_release"], group["cumulative_derivatives"], where="post",
                color=figures.COLORS[origin_of[root]], linewidth=1.2)  # fmt: skip
        ax.set_title(f"{root.split('/')[-1]}\n{'≥' if root in capped else ''}{int(ends[root]):,}", fontsize=7,
                     fontweight="normal")  # fmt: skip
    axes[0, 0].yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    for ax in list(axes.flat)[len(roots) :]:
        ax.set_visible(False)
    present = [o for o in ORIGINS if o in {origin_of[r] for r in roots}]
    axes[0, -1].legend(handles=[Patch(color=figures.COLORS[o], label=o) for o in present], loc="upper left")
    return fig, axes


def origin_barh(table: pd.DataFrame, label: str, value: str, legend: tuple[Sequence[str], str], height: float):
    """Notebook 04's horizontal bars: one bar per row (first row at the bottom), coloured by `origin`, with a
    legend of the given origins and title (`legend`)."""
    fig, ax = figures.new_figure("double", height)
    bars = ax.barh(table[label], table[value], color=[figures.COLORS[o] for o in table["origin"]], height=0.7)
    origins, title = legend
    ax.legend(handles=[Patch(color=figures.COLORS[o], label=o) for o in origins], loc="lower right", title=title)
    ax.grid(axis="y", visible=False)
    return fig, ax, bars


REGION_LABELS = {"us": "United States", "china": "China", "eu": "European Union", "other": "Other regions",
                 "unknown": "Unknown"}  # fmt: skip


def region_bars(by_region: pd.DataFrame, region_origin: Mapping[str, str]):
    """Horizontal bars of tracked models per ATOM region in plain words, largest on top, coloured by the
    region's origin, each labelled with its models and organizations."""
    fig, ax = figures.new_figure("single", 2.0)
    table = by_region.sort_values("n_models")
    labels = [REGION_LABELS.get(r, r.title()) for r in table["region"]]
    colours = [figures.COLORS[region_origin[r]] for r in table["region"]]
    bars = ax.barh(labels, table["n_models"], color=colours, height=0.7)
    ax.bar_label(bars, labels=[f"{m:,} ({o} orgs)" for m, o in zip(table["n_models"], table["n_orgs"], strict=True)],
                 padding=2)  # fmt: skip
    ax.set_xlabel("Open models tracked")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.margins(x=0.3)
    ax.grid(axis="y", visible=False)
    return fig
