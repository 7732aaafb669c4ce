"""Drawing of the Hub figures (notebooks 04 and 07): monthly stacked bars with a share line, ranked bars,
daily lines with an event marker, weekly share lines with gaps. Numbers and words stay in the notebook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from opentrends.publish import charts, figures

ORIGINS = ("United States", "China", "Rest of world", "Unknown")


def finetunes_panels(table: pd.DataFrame, without: pd.DataFrame, origins: Sequence[str] = ORIGINS[:3]):
    """Two panels: monthly new fine-tunes stacked by origin with China's share on a right axis, all bases
    (`table`) and without the top bases (`without`, a monthly_by_origin table). Partial months are hatched."""
    fig, axes = figures.new_figure("double", 3.2, ncols=2, sharey=True)
    partial = table.groupby("month")["partial_month"].any()
    panels = ((axes[0], table, "china_share", "All bases"), (axes[1], without, "china_share_without_top_bases", ""))
    for ax, counts, column, title in panels:
        wide = counts[counts["month"].isin(partial.index)].pivot(
            index="month", columns="origin", values="new_finetunes"
        )
        wide = wide.reindex(index=partial.index, columns=list(origins), fill_value=0)
        positions = pd.Series(range(len(wide)), index=wide.index)
        charts.stacked_bars(ax, wide.set_axis(positions.to_numpy()), list(origins), width=0.85)
        for x in positions[partial[partial].index]:
            ax.bar(x, wide.iloc[x].sum(), width=0.85, fill=False, hatch="///", edgecolor="#555555", linewidth=0)
        share = table.drop_duplicates("month").set_index("month")[column]
        right = ax.twinx()
        right.plot(positions.to_numpy(), share.reindex(wide.index).to_numpy(), color="black", linewidth=1.0)
        right.set_ylabel("China's share (line)", fontsize=7)
        right.set_ylim(0, 1)
        right.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ticks = [i for i, m in enumerate(wide.index) if m.endswith("-01")]
        ax.set_xticks(ticks, [wide.index[i][:4] for i in ticks])
        ax.set_title(title or "Without the top bases", fontsize=8)
    axes[0].set_ylabel("New fine-tunes per month")
    axes[0].legend(loc="upper left", fontsize=6)
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


def daily_shares(table: pd.DataFrame, event: str, event_label: str, value: str = "share"):
    """One line per origin over days (a share of the 7-day mean), a dashed vertical line at `event`."""
    fig, ax = figures.new_figure("double", 3.0)
    for origin in [o for o in ORIGINS if o in set(table["origin"])]:
        group = table[table["origin"] == origin]
        ax.plot(group["date"], group[value], color=figures.COLORS[origin], label=origin, linewidth=1.0)
    ax.axvline(pd.Timestamp(event), color="black", linestyle="--", linewidth=0.8)
    ax.annotate(event_label, (pd.Timestamp(event), 0.95), xytext=(3, 0), textcoords="offset points", fontsize=6)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.legend(loc="upper left", fontsize=6)
    return fig, ax


def weekly_shares(table: pd.DataFrame, gaps: Sequence[str]):
    """Two panels (by maker, by uploader): the weekly share of trending slots per origin; days without a
    file are marked by grey vertical bands (gaps, not interpolated)."""
    fig, axes = figures.new_figure("double", 3.0, ncols=2, sharey=True)
    for ax, column, title in (
        (axes[0], "share", "Credited to the maker"),
        (axes[1], "share_by_uploader", "To the uploader"),
    ):
        for origin, group in table.groupby("origin", sort=False):
            ax.plot(group["week"], group[column], color=figures.COLORS[origin], label=origin, linewidth=1.0, marker=".")
        for day in gaps:
            ax.axvspan(pd.Timestamp(day), pd.Timestamp(day) + pd.Timedelta(days=1), color="#cccccc", linewidth=0)
        ax.set_title(title, fontsize=8)
        ax.tick_params(axis="x", labelrotation=45, labelsize=6)
    axes[0].set_ylim(0, 1)
    axes[0].yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes[0].set_ylabel("Share of the 30 daily trending slots")
    axes[0].legend(loc="upper left", fontsize=6)
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
    """One small panel per root: cumulative derivatives by day since release, coloured by the root's origin;
    a capped root's panel says '≥' (its count is a floor)."""
    roots = sorted(timeline["root"].unique())
    rows = -(-len(roots) // columns)
    fig, axes = figures.new_figure("double", 1.5 * rows + 0.4, nrows=rows, ncols=columns, sharex=True, squeeze=False)
    for ax, root in zip(axes.flat, roots, strict=False):
        group = timeline[timeline["root"] == root]
        ax.step(group["days_since_release"], group["cumulative_derivatives"], where="post",
                color=figures.COLORS[origin_of[root]], linewidth=1.0)  # fmt: skip
        end = int(group["cumulative_derivatives"].iloc[-1])
        ax.set_title(f"{root.split('/')[-1]}\n{'≥' if root in capped else ''}{end:,}", fontsize=6)
        ax.tick_params(labelsize=5)
    for ax in list(axes.flat)[len(roots) :]:
        ax.set_visible(False)
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


def region_bars(by_region: pd.DataFrame, region_origin: Mapping[str, str]):
    """Vertical bars of tracked models per ATOM region, coloured by the region's origin, organizations on top."""
    fig, ax = figures.new_figure("single")
    colors = [figures.COLORS[region_origin[r]] for r in by_region["region"]]
    bars = ax.bar(by_region["region"], by_region["n_models"], color=colors, width=0.7)
    ax.bar_label(bars, labels=[f"{n} orgs" for n in by_region["n_orgs"]], fontsize=6, padding=2)
    ax.set_ylabel("Tracked models")
    ax.set_xlabel("ATOM region of the organization")
    ax.grid(axis="x", visible=False)
    return fig
