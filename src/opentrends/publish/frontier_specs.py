"""Notebook 03's figures and ECI sentences: each figure function draws on given axes and returns `save`'s arguments.

The returned dict holds title, caption, alt text, sources, data and column notes. The wording of titles, captions, alt
text and sentences is in templates (`templates/captions/<figure-id>.*`, `templates/notebooks/03_frontier_gap/`); the
functions here compute their facts and fill them (`core.wording.render`).
"""

from __future__ import annotations

import pandas as pd

from opentrends.analysis import capability, frontier
from opentrends.core import wording
from opentrends.publish import frontier_charts as plots
from opentrends.publish.figures import COLORS
from opentrends.publish.frontier_notes import PUBLISHED


def _texts(figure: str, **facts) -> dict[str, str]:
    """Title, caption and alt text of `figure` from its three templates in `templates/captions/`."""
    return {key: wording.render(f"captions/{figure}.{kind}.txt", **facts)
            for key, kind in (("title", "title"), ("caption", "caption"), ("alt_text", "alt"))}  # fmt: skip


def _say(name: str, **facts) -> str:
    return wording.render(f"notebooks/03_frontier_gap/{name}.md", **facts)


def lag_estimates(ax, lags: pd.DataFrame, report_snapshot: str, snapshot: str, samples: int, seed: int) -> dict:
    table = lags[["dataset", "method", "lag_months", "ci_low", "ci_high", "n_frontier_models"]]
    plots.lag_estimates(ax, table, PUBLISHED["separate slopes"])
    ax.set_title("Training-compute lag of the open frontier: the report's data and the pinned snapshot")
    rows = [r._asdict() for r in table.itertuples()]
    return {
        **_texts(
            "frontier-lag-estimates",
            samples=samples,
            seed=seed,
            snapshot=snapshot,
            published=PUBLISHED["separate slopes"],
            rows=rows,
        ),  # fmt: skip
        "sources": list(dict.fromkeys([report_snapshot, snapshot])),
        "data": table.round(4),
        "columns": wording.columns("frontier-lag-estimates"),
    }


def compute_frontier(
    ax, pop: pd.DataFrame, front: pd.DataFrame, start, snapshot: str, lag: float, open_definition: str
) -> dict:
    trend = frontier.fit_trend(front, "separate slopes")
    points = pop[pop["access_class"].isin(frontier.CLASSES) & (pop["date"] > start)].copy()
    points["frontier"] = points["model"].isin(front["model"])
    points["fitted_log10_compute"] = frontier.fitted_compute(points, trend)
    points = points[["date", "access_class", "model", "training_compute", "frontier", "fitted_log10_compute"]]
    plots.compute_frontier(ax, points, frontier.trend_lines(trend, start, front["date"].max()))
    ax.set_title(f"Top-1 training-compute frontiers since {start:%Y-%m-%d} ({snapshot})")
    ends = {c: front[front.access_class == c].model.iloc[-1] for c in frontier.CLASSES}
    return {
        **_texts(
            "frontier-compute-open-vs-closed",
            start=start,
            snapshot=snapshot,
            seed_model=front["seed_model"].iloc[0],
            lag=lag,
            n_frontier=points.frontier.sum(),
            closed_end=ends["closed"],
            open_end=ends["open"],
        ),  # fmt: skip
        "sources": [snapshot],
        "data": points,
        "columns": wording.columns("frontier-compute-open-vs-closed", open_definition=open_definition),
    }


def closed_record_lags(ax, lags: pd.DataFrame, start, snapshot: str, km: dict, label: str) -> dict:
    """One bar per closed compute record: months until an open model matched it, censored ones marked."""
    table = lags[["closed_date", "closed_model", "training_compute", "open_model", "open_date", "months", "status"]]
    censored = table["status"] == "censored: no open match yet"
    ax.axhline(0, color="#999999", linewidth=0.6)
    ax.bar(table.loc[~censored, "closed_date"], table.loc[~censored, "months"], width=25, color=COLORS["closed"])
    ax.bar(table.loc[censored, "closed_date"], table.loc[censored, "months"], width=25, fill=False, hatch="///",
           edgecolor=COLORS["closed"], label="Not yet matched: censored at the snapshot date (at least this long)")  # fmt: skip
    for row in table.itertuples(index=False):
        ax.annotate(row.closed_model, (row.closed_date, max(row.months, 0)), xytext=(0, 2), textcoords="offset points",
                    fontsize=5, rotation=90, ha="center", va="bottom")  # fmt: skip
    ax.set_ylim(min(0.0, float(table["months"].min())) - 2, float(table["months"].max()) + 18)
    ax.set_ylabel("Months until an open model\nreached the same compute")
    ax.set_xlabel("Date of the closed compute record")
    ax.legend(loc="upper left", fontsize=6)
    ax.set_title("Closed compute records: months until an open model reached the same compute")
    return {
        **_texts(
            "frontier-compute-lag",
            start=start,
            snapshot=snapshot,
            label=label,
            censored=km["censored"],
            records=km["records"],
            median=None if pd.isna(km["median_months"]) else km["median_months"],
            n_records=len(table),
            n_censored=int(censored.sum()),
        ),  # fmt: skip
        "sources": [snapshot],
        "data": table,
        "columns": wording.columns("frontier-compute-lag"),
    }


def versions_note(eci_notes: dict) -> str:
    """How ECI dates model versions, per vintage."""
    vintages = [(ref, n["of which one score on every version"], n["models with several scored versions"])
                for ref, n in eci_notes.items()]  # fmt: skip
    return _say("versions", vintages=vintages)


def best_by_origin_sentence(ref: str, by_origin: pd.DataFrame, origins: list[str]) -> str:
    leader, model, since = capability.leader_since(by_origin, "origin")
    took = by_origin[(by_origin["date"] == since) & (by_origin["origin"] == leader)]["model"].iloc[0]
    tops = by_origin.groupby("origin").tail(1).set_index("origin")
    shown = [(o, tops.loc[o, "model"], tops.loc[o, "best_eci"]) for o in origins if o in tops.index]
    return _say("best_by_origin", ref=ref, model=model, leader=leader, leader_best=tops.loc[leader, "best_eci"],
                since=since, took=took, tops=shown)  # fmt: skip


def sensitivities(
    n: dict, loo: pd.DataFrame, current: pd.DataFrame, snapshot: str, n_estimates: int, n_front: int
) -> str:
    sep = current.loc["separate slopes", "lag_months"]
    swing = loo.loc[(loo["lag_months"] - sep).abs().idxmax()]
    return _say("sensitivities", snapshot=snapshot, n_closed_unknown=n["closed models without training compute"],
                n_open_unknown=n["open models without training compute"], n_estimates=n_estimates,
                n_finetunes=n["fine-tunes (a base model is named)"], n_front=n_front, loo_min=loo.lag_months.min(),
                loo_max=loo.lag_months.max(), swing_model=swing.model, swing_class=swing.access_class,
                fits_apart=abs(sep - current.loc["same slope", "lag_months"]))  # fmt: skip


def capability_gap(ax, best: pd.DataFrame, gaps: pd.DataFrame, end, ref: str, colors: dict) -> dict:
    table = best[["date", "access_class", "best_eci", "model"]]
    plots.best_score_steps(ax, table, "access_class", {c: colors[c] for c in frontier.CLASSES}, end)
    ax.set_title(f"Best open vs best closed model on the Epoch Capabilities Index ({ref})")
    latest = gaps.iloc[-1]
    return {
        **_texts(
            "capability-gap-eci",
            ref=ref,
            date=latest.date,
            gap=latest.eci_gap,
            lag=latest.lag_months,
            always_above=bool((gaps["eci_gap"] >= 0).all()),
            best_closed=latest.best_closed,
            best_open=latest.best_open,
        ),  # fmt: skip
        "sources": [ref],
        "data": table,
        "columns": wording.columns("capability-gap-eci"),
    }


def gap_and_lag(ax_gap, ax_lag, gaps: pd.DataFrame, ref: str) -> dict:
    from opentrends.publish.frontier_notes import EPOCH_ECI

    table = gaps[["date", "eci_gap", "lag_months"]]
    plots.gap_and_lag(ax_gap, ax_lag, table)
    ax_gap.set_title(f"How far the best open model trails the best closed one on ECI ({ref})")
    mean_gap, mean_lag = capability.window_mean(table, "2023-01-01", "2025-10-30")
    return {
        **_texts(
            "capability-gap-eci-lag",
            ref=ref,
            mean_gap=mean_gap,
            mean_lag=mean_lag,
            **EPOCH_ECI,
            last_gap=table.eci_gap.iloc[-1],
            last_lag=table.lag_months.iloc[-1],
        ),  # fmt: skip
        "sources": [ref],
        "data": table,
        "columns": wording.columns("capability-gap-eci-lag"),
    }


def best_open_by_origin(ax, by_origin: pd.DataFrame, end, ref: str) -> dict:
    table = by_origin[["date", "origin", "best_eci", "model"]]
    plots.best_score_steps(ax, table, "origin", plots.ORIGIN_COLORS, end)
    ax.set_title(f"Best open-weights model by origin on the Epoch Capabilities Index ({ref})")
    leader, model, since = capability.leader_since(by_origin, "origin")
    return {
        **_texts("best-open-model-by-origin", ref=ref, model=model, leader=leader, since=since),
        "sources": [ref],
        "data": table,
        "columns": wording.columns("best-open-model-by-origin"),
    }
