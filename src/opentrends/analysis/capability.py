"""The capability gap: how far the best open model trails the best closed one on the Epoch Capabilities Index.

Pure functions on ECI tables with the columns `model`, `date` (datetime64), `access_class` ('open' /
'closed') and `eci` (and `version` before versions are collapsed). No I/O, no printing.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from opentrends.analysis.frontier import CLASSES, ECI_COLUMNS, _ordered, _require, months_between


def collapse_versions(versions: pd.DataFrame) -> pd.DataFrame:
    """One row per model: its highest ECI score over versions, dated by the first version reaching it.

    For counting models. For the running best over time use `score_path`, which dates each version by its own
    release (this table would date an early version's jump by the later version that beat it).
    """
    _require(versions, ECI_COLUMNS, "collapse_versions")
    scored = versions[versions["eci"].notna()]
    ordered = scored.sort_values(["model", "eci", "date"], ascending=[True, False, True], kind="stable")
    return _ordered(ordered.drop_duplicates("model", keep="first"))


def score_path(versions: pd.DataFrame) -> pd.DataFrame:
    """Every version that raised its model's best score so far, at its own date with its own score.

    The running best, gap, lag and leader are read over these rows, so a model's early version counts
    from its own release (DeepSeek-R1 in January 2025) and a later, better version from its date.
    Versions on one date: the highest counts (ties: the first by version name). A version whose score
    is not above the model's best so far adds nothing. Columns of `versions`, in date order.
    Caveat: a snapshot where every version carries its model's score (`epoch-benchmarks-eci@2026-07-01`)
    gives the earliest version that score from its own date.
    """
    _require(versions, ECI_COLUMNS, "score_path")
    scored = versions[versions["eci"].notna() & versions["date"].notna()]
    keys = ["model", "date", "eci"] + (["version"] if "version" in scored.columns else [])
    ordered = scored.sort_values(keys, ascending=[True, True, False] + [True] * (len(keys) - 3), kind="stable")
    before = ordered.groupby("model")["eci"].cummax().groupby(ordered["model"]).shift()
    return _ordered(ordered[before.isna() | (ordered["eci"] > before)])


def version_scores(versions: pd.DataFrame) -> dict:
    """How many models have several scored versions, and how many of those carry one score on every version."""
    counts = versions[versions["eci"].notna()].groupby("model")["eci"].agg(["size", "nunique"])
    several = counts[counts["size"] > 1]
    return {
        "models with several scored versions": len(several),
        "of which one score on every version": int((several["nunique"] == 1).sum()),
    }


def running_best(models: pd.DataFrame, group: str = "access_class", groups=CLASSES) -> pd.DataFrame:
    """Best ECI so far of each group at every release date of any model (columns date, group, best_eci, model).

    Dates before a group's first model carry no row for it. Ties on a score keep the earlier model.
    """
    _require(models, ("model", "date", "eci", group), "running_best")
    ordered = _ordered(models)
    dates = ordered["date"].drop_duplicates().sort_values()
    out = []
    for name in groups:
        own = ordered[ordered[group] == name]
        best, best_model = -np.inf, None
        for date in dates:
            for row in own[own["date"] == date].itertuples(index=False):
                if row.eci > best:
                    best, best_model = row.eci, row.model
            if best_model is not None:
                out.append((date, name, float(best), best_model))
    return (
        pd.DataFrame(out, columns=["date", group, "best_eci", "model"])
        .sort_values(["date", group], kind="stable")
        .reset_index(drop=True)
    )


def eci_gap(models: pd.DataFrame) -> pd.DataFrame:
    """At each release date: best closed minus best open ECI (points) and how far open is behind in time.

    lag_months is the time since the closed frontier first reached the current best open score (0 when
    open is level with or above closed). Rows start once both classes have a model.
    Columns: date, best_open, best_closed, eci_gap, lag_months.
    """
    best = running_best(models)
    wide = best.pivot(index="date", columns="access_class", values="best_eci").dropna()
    closed_path = best[best["access_class"] == "closed"]
    out = []
    for date, row in wide.iterrows():
        gap = row["closed"] - row["open"]
        if gap <= 0:
            lag = 0.0
        else:
            first = closed_path[closed_path["best_eci"] >= row["open"]]["date"].min()
            lag = months_between(date, first)
        out.append((date, float(row["open"]), float(row["closed"]), float(gap), lag))
    return pd.DataFrame(out, columns=["date", "best_open", "best_closed", "eci_gap", "lag_months"])


def window_mean(gaps: pd.DataFrame, start, end) -> tuple[float, float]:
    """Time-weighted mean ECI gap (points) and lag (months) over [start, end], each value held until the next date.

    Comparable to Epoch's averages over a period (their data insights average over Jan 2023 - Oct 2025).
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    steps = gaps[gaps["date"] <= end].sort_values("date")
    if steps.empty or steps["date"].max() < start:
        return float("nan"), float("nan")
    edges = list(steps["date"].clip(lower=start)) + [end]
    weights = np.array([(b - a).days for a, b in itertools.pairwise(edges)], dtype=float)
    if weights.sum() <= 0:
        return float(steps["eci_gap"].iloc[-1]), float(steps["lag_months"].iloc[-1])
    return (
        float(np.average(steps["eci_gap"], weights=weights)),
        float(np.average(steps["lag_months"], weights=weights)),
    )


def leader_since(best: pd.DataFrame, group: str) -> tuple[str, str, pd.Timestamp]:
    """Which group holds the best score now, its model, and since when it has held it without interruption."""
    wide = best.pivot(index="date", columns=group, values="best_eci").ffill()
    models = best.pivot(index="date", columns=group, values="model").ffill()
    leaders = wide.fillna(-np.inf).idxmax(axis=1)
    current = leaders.iloc[-1]
    changed = leaders[leaders != current]
    since = leaders.index[0] if changed.empty else leaders[leaders.index > changed.index[-1]].index[0]
    return current, models[current].iloc[-1], since
