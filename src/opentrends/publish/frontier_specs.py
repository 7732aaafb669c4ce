"""Notebook 03's figures and ECI sentences: each figure function draws on given axes and returns `save`'s arguments.

The returned dict holds title, caption, alt text, sources, data and column notes.
"""

from __future__ import annotations

import pandas as pd

from opentrends.analysis import capability, frontier
from opentrends.core import text
from opentrends.publish import frontier_charts as plots
from opentrends.publish.figures import COLORS
from opentrends.publish.frontier_notes import PUBLISHED, months2


def lag_estimates(ax, lags: pd.DataFrame, report_snapshot: str, snapshot: str, samples: int, seed: int) -> dict:
    table = lags[["dataset", "method", "lag_months", "ci_low", "ci_high", "n_frontier_models"]]
    plots.lag_estimates(ax, table, PUBLISHED["separate slopes"])
    ax.set_title("Training-compute lag of the open frontier: the report's data and the pinned snapshot")
    pub = PUBLISHED["separate slopes"]
    return {
        "title": "How far the open compute frontier trails the closed one",
        "caption": f"Lag of the top-1 open training-compute frontier behind the closed one at the last frontier date, "
        f"with 90% bootstrap intervals ({text.count(samples)} resamples, seed {seed}), on the report's data and on "
        f"{snapshot}; separate slopes and one common slope. Shaded: the published {text.months(pub[0], 2)} (90% CI "
        f"{text.interval(pub[1], pub[2], months2)}), Cottier et al., Epoch AI, 4 Nov 2024.",
        "alt_text": "Point-and-interval chart of four lag estimates in months: "
        + "; ".join(
            f"{r.dataset}, {r.method}: {text.months(r.lag_months)} ({text.interval(r.ci_low, r.ci_high, text.months)})"
            for r in table.itertuples()
        )
        + ".",
        "sources": list(dict.fromkeys([report_snapshot, snapshot])),
        "data": table.round(4),
        "columns": {
            "dataset": "data vintage (snapshot ref) the method ran on",
            "method": "separate slopes (one line per class) or same slope (common slope, two intercepts)",
            "lag_months": "horizontal distance between the closed and open trend lines at the last frontier date (months)",
            "ci_low": "5th percentile of the bootstrap lags (months)",
            "ci_high": "95th percentile of the bootstrap lags (months)",
            "n_frontier_models": "frontier models (both classes) the lines were fitted to",
        },
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
        "title": "Open and closed training-compute frontiers",
        "caption": f"Training compute of open and closed models released after {start:%Y-%m-%d} ({snapshot}; faint: all "
        f"models with a known compute, fine-tunes excluded). Labelled: the top-1 frontier of each class, seeded with "
        f"the overall top model as of {start:%Y-%m-%d} ({front['seed_model'].iloc[0]}). Dashed: log-linear trends; "
        f"the open line reaches the closed line's level {text.months(lag)} later.",
        "alt_text": f"Log-scale scatter of training compute by date. {text.count(points.frontier.sum())} frontier models "
        f"are labelled; the closed frontier ends with {ends['closed']} and the open one with {ends['open']}. Two "
        f"dashed trend lines, open below closed by about {text.months(lag)}.",
        "sources": [snapshot],
        "data": points,
        "columns": {
            "date": "publication date",
            "access_class": f"open (under open_definition={open_definition}) or closed",
            "model": "Epoch model name",
            "training_compute": "training compute (FLOP)",
            "frontier": "True when the model was the top-1 of its class by compute at release (the fitted points)",
            "fitted_log10_compute": "the class's fitted trend (separate slopes) at the model's date, log10 FLOP",
        },
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
    median = text.months(km["median_months"]) if km["median_months"] == km["median_months"] else "not reached"
    return {
        "title": "How long each closed training-compute record waited for an open match",
        "caption": f"For each closed model that set a new closed training-compute record after {start:%Y-%m-%d} "
        f"({snapshot}), the months until an open model first reached at least that compute (negative: open got there "
        f"first); records no open model has reached are censored at the snapshot date (marked, no bar). Kaplan–Meier "
        f"median for {label}: {median}, {km['censored']} of {km['records']} censored.",
        "alt_text": f"Bar chart of {text.count(len(table))} closed compute records by date; "
        f"{int((table['status'] == 'censored: no open match yet').sum())} not yet matched by any open model.",
        "sources": [snapshot],
        "data": table,
        "columns": {
            "closed_date": "publication date of the closed record-setter",
            "closed_model": "closed model that set a new closed training-compute record",
            "training_compute": "its training compute (FLOP)",
            "open_model": "first open model with at least that compute (blank: none yet)",
            "open_date": "publication date of that open model",
            "months": "open_date minus closed_date in months; for censored records, months to the snapshot date",
            "status": "matched, open first, or censored: no open match yet",
        },
    }


def versions_note(eci_notes: dict) -> str:
    """How ECI dates model versions, per vintage."""
    return (
        "**Version dating.** "
        + " ".join(
            f"In {ref}, {text.count(n['of which one score on every version'])} of the "
            f"{text.count(n['models with several scored versions'])} models with several scored versions carry one "
            "score on every version."
            for ref, n in eci_notes.items()
        )
        + " Where every version carries its model's score, the earliest version carries that score from its own "
        "release date, so a model's later improvement is dated too early there; where versions are scored "
        "separately, each counts from its own date with its own score."
    )


def best_by_origin_sentence(ref: str, by_origin: pd.DataFrame, origins: list[str]) -> str:
    leader, model, since = capability.leader_since(by_origin, "origin")
    took = by_origin[(by_origin["date"] == since) & (by_origin["origin"] == leader)]["model"].iloc[0]
    tops = by_origin.groupby("origin").tail(1).set_index("origin")
    return (
        f"**{ref}**: the best open model is **{model}** ({leader}, {tops.loc[leader, 'best_eci']:.1f}); {leader} has "
        f"held the best open score since {since:%B %Y} ({took}). Best by origin: "
        + "; ".join(f"{o}: {tops.loc[o, 'model']} ({tops.loc[o, 'best_eci']:.1f})" for o in origins if o in tops.index)
        + "."
    )


def sensitivities(
    n: dict, loo: pd.DataFrame, current: pd.DataFrame, snapshot: str, n_estimates: int, n_front: int
) -> str:
    sep = current.loc["separate slopes", "lag_months"]
    swing = loo.loc[(loo["lag_months"] - sep).abs().idxmax()]
    return (
        f"- **Compute is unknown for many closed models.** In {snapshot}, "
        f"{text.count(n['closed models without training compute'])} closed models (and "
        f"{text.count(n['open models without training compute'])} open ones) have no training compute and cannot enter "
        f"a frontier; the report itself hand-set the compute of {text.count(n_estimates)} models "
        "(`data/frontier_compute_estimates.csv`), mostly closed models whose compute Epoch lists as speculative.\n"
        f"- **Fine-tunes are excluded** ({text.count(n['fine-tunes (a base model is named)'])} models with a named base "
        "model), as in the report: a fine-tune's compute includes its base model's.\n"
        f"- **The frontier is a handful of models** ({text.count(n_front)} here). Leaving out one model at a time moves "
        f"the separate-slope lag between {text.months(loo.lag_months.min())} and {text.months(loo.lag_months.max())}; "
        f"the largest swing comes from leaving out {swing.model} ({swing.access_class}).\n"
        f"- **Separate or common slope.** The two fits differ by "
        f"{text.months(abs(sep - current.loc['same slope', 'lag_months']))} on {snapshot}; the report preferred neither "
        "decisively (its backtest favoured the common slope).\n"
        "- Rerun with `open_definition=unrestricted`, another `frontier_start` or a `domain` to test these choices."
    )


def capability_gap(ax, best: pd.DataFrame, gaps: pd.DataFrame, end, ref: str, colors: dict) -> dict:
    table = best[["date", "access_class", "best_eci", "model"]]
    plots.best_score_steps(ax, table, "access_class", {c: colors[c] for c in frontier.CLASSES}, end)
    ax.set_title(f"Best open vs best closed model on the Epoch Capabilities Index ({ref})")
    latest = gaps.iloc[-1]
    above = "stays at or above" if (gaps["eci_gap"] >= 0).all() else "is not always above"
    return {
        "title": "Best open and best closed ECI score over time",
        "caption": f"Running best Epoch Capabilities Index of open-weights and closed models ({ref}; each model version "
        f"counts from its own release date with its own score when it raises its model's best). On "
        f"{latest.date:%Y-%m-%d} the gap is {latest.eci_gap:.1f} ECI points and open is "
        f"{text.months(latest.lag_months)} behind.",
        "alt_text": f"Two rising step lines of the best ECI score so far; the closed line {above} the open line, ending "
        f"at {latest.best_closed:.1f} (closed) and {latest.best_open:.1f} (open).",
        "sources": [ref],
        "data": table,
        "columns": {
            "date": "release date at which the running best is read",
            "access_class": "open or closed",
            "best_eci": "highest ECI score of the class released on or before the date",
            "model": "model holding that score",
        },
    }


def gap_and_lag(ax_gap, ax_lag, gaps: pd.DataFrame, ref: str) -> dict:
    from opentrends.publish.frontier_notes import EPOCH_ECI

    table = gaps[["date", "eci_gap", "lag_months"]]
    plots.gap_and_lag(ax_gap, ax_lag, table)
    ax_gap.set_title(f"How far the best open model trails the best closed one on ECI ({ref})")
    mean_gap, mean_lag = capability.window_mean(table, "2023-01-01", "2025-10-30")
    m, p = EPOCH_ECI["months"], EPOCH_ECI["points"]
    return {
        "title": "ECI gap (points) and lag (months) of the best open model",
        "caption": f"Top: best closed minus best open ECI so far, in points. Bottom: months since the closed frontier "
        f"first reached the best open score ({ref}). Time-weighted means over Jan 2023–Oct 2025: {mean_gap:.1f} points "
        f"and {text.months(mean_lag)}; Epoch AI (30 Oct 2025) reports {p[0]:g} points (90% CI {p[1]:g}–{p[2]:g}) and "
        f"{m[0]:g} months (90% CI {m[1]:g}–{m[2]:g}), counting an open model as caught up when its score is not "
        "significantly different; ours counts every difference, so compare the points gap first.",
        "alt_text": f"Two step charts over time. The gap ends at {table.eci_gap.iloc[-1]:.1f} points and the lag at "
        f"{text.months(table.lag_months.iloc[-1])}.",
        "sources": [ref],
        "data": table,
        "columns": {
            "date": "release date at which the gap is read",
            "eci_gap": "best closed minus best open ECI score so far (points)",
            "lag_months": "months since the closed frontier first reached the best open score (0 when open leads)",
        },
    }


def best_open_by_origin(ax, by_origin: pd.DataFrame, end, ref: str) -> dict:
    table = by_origin[["date", "origin", "best_eci", "model"]]
    plots.best_score_steps(ax, table, "origin", plots.ORIGIN_COLORS, end)
    ax.set_title(f"Best open-weights model by origin on the Epoch Capabilities Index ({ref})")
    leader, model, since = capability.leader_since(by_origin, "origin")
    return {
        "title": "Best open-weights model by origin",
        "caption": f"Running best ECI score of open-weights models developed in the United States, China or elsewhere "
        f"({ref}). The best open model is {model} ({leader}); {leader} has led since {since:%B %Y}.",
        "alt_text": f"Three step lines of the best open ECI score by origin; {leader} leads since {since:%B %Y} with {model}.",
        "sources": [ref],
        "data": table,
        "columns": {
            "date": "release date at which the running best is read",
            "origin": "United States, China or other (ECI Country; rule in loaders/eci.py ORIGIN_RULE)",
            "best_eci": "highest ECI score of an open-weights model of that origin released on or before the date",
            "model": "model holding that score",
        },
    }
