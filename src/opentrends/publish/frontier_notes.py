"""Notebook 03's sentences and steps: the frontier gap's prose, each sentence built from the numbers it states.

Every function returns text (Markdown) or a table, so notebook 03's cells stay short and its sentences are tested.
The wording is in templates (`templates/notebooks/03_frontier_gap/`); the functions here compute the facts each
sentence states and fill its template (`core.wording.render`). Units are explicit (months, ECI points, FLOP).
"""

from __future__ import annotations

import pandas as pd

from opentrends.analysis import capability, frontier
from opentrends.core import wording

# The report's published numbers (Cottier et al. 2024, compute_analysis.ipynb results table).
PUBLISHED = {"separate slopes": (15.37, 6.45, 21.9), "same slope": (15.61, 11.55, 19.82)}
REPORT_SETTINGS = dict(
    open_definition="weights", frontier_start="2018-01-01", domain=None, bootstrap_samples=1000, seed=43
)
# Epoch's ECI insight of 30 Oct 2025: open models lag by about 3.5 months (90% CI 1.1–5.3) and 7 ECI points (90% CI 0–14)
EPOCH_ECI = {"months": (3.5, 1.1, 5.3), "points": (7.0, 0.0, 14.0)}
NOTEBOOK = "notebooks/03_frontier_gap/"


def _say(name: str, **facts) -> str:
    return wording.render(NOTEBOOK + name + ".md", **facts)


def known_refs() -> dict[str, list[str]]:
    """Registered snapshot refs by source (for the parameter checks)."""
    from opentrends.registry import sources

    return {sid: [snap.ref for snap in source.snapshots] for sid, source in sources.load_registry().items()}


def compute_lags(report_snapshot: str, snapshot: str, start, open_definition: str, domain, samples: int, seed: int):
    """Populations, notes, frontiers and the lag table of both data vintages (the report's and the pinned one)."""
    from opentrends.catalog.loaders import epoch_report

    estimates = epoch_report.load_compute_estimates()
    populations, notes, frontiers, rows = {}, {}, {}, []
    for ref in dict.fromkeys([report_snapshot, snapshot]):
        populations[ref], notes[ref] = frontier.compute_population(
            epoch_report.load_compute_rows(ref), estimates, estimate_mode=epoch_report.estimate_mode(ref),
            open_definition=open_definition, domain=domain)  # fmt: skip
        frontiers[ref] = frontier.compute_frontier(populations[ref], start)
        frontier.check_frontier(frontiers[ref], domain=domain, open_definition=open_definition)
        for method in frontier.METHODS:
            e = frontier.lag_estimate(frontiers[ref], method, samples, seed)
            rows.append(dict(dataset=ref, method=method, lag_months=e.lag_months, ci_low=e.ci_low, ci_high=e.ci_high,
                             n_frontier_models=e.n_frontier_models, last_date=e.last_date, slope_open=e.slope_open,
                             slope_closed=e.slope_closed, skipped=e.bootstrap_skipped))  # fmt: skip
    return populations, notes, frontiers, pd.DataFrame(rows), len(estimates)


def replication(lags: pd.DataFrame, report_snapshot: str, as_report: bool) -> str:
    """The replication paragraph: the re-implemented method on the report's data against the published lag
    (published lags carry two decimals)."""
    mine = lags[lags.dataset == report_snapshot].set_index("method")
    sep, same = mine.loc["separate slopes"].to_dict(), mine.loc["same slope"].to_dict()
    published = PUBLISHED["separate slopes"]
    return _say("replication", report_snapshot=report_snapshot, sep=sep, same=same, published=published,
                published_same=PUBLISHED["same slope"], difference=abs(sep["lag_months"] - published[0]),
                as_report=as_report)  # fmt: skip


def current_lag(lags: pd.DataFrame, snapshot: str) -> str:
    """The same method on the pinned snapshot, both fits, and whether the separate-slope lag widens."""
    cur = lags[lags.dataset == snapshot].set_index("method")
    sep, same = cur.loc["separate slopes"].to_dict(), cur.loc["same slope"].to_dict()
    return _say("current_lag", snapshot=snapshot, sep=sep, same=same, last_date=sep["last_date"],
                closed_growth=10 ** sep["slope_closed"], open_growth=10 ** sep["slope_open"],
                widens=sep["slope_closed"] > sep["slope_open"])  # fmt: skip


def frontier_changes(changes: pd.DataFrame, seeds: dict, estimated: dict, snapshot: str, report_snapshot: str) -> str:
    """What entered and left the frontiers between the two vintages, the seeds and the report's estimates."""
    entered, left = changes[changes.change == "entered"], changes[changes.change == "left"]

    def rows(part) -> list[tuple[str, str]]:
        return list(zip(part.model, part.access_class, strict=True))

    return _say("frontier_changes", entered=rows(entered), left=rows(left),
                seeds=[(ref, model, compute) for ref, (model, compute) in seeds.items()],
                n_estimated_report=len(estimated[report_snapshot]), estimated=list(estimated.get(snapshot, [])),
                snapshot=snapshot)  # fmt: skip


def frontier_ends(frontiers: dict) -> str:
    """Which model ends each class's frontier in each vintage."""
    ends = []
    for ref, f in frontiers.items():
        e = {c: f.loc[f["access_class"] == c].iloc[-1] for c in frontier.CLASSES}
        ends.append({"ref": ref, **{f"{c}_{k}": e[c][column] for c in ("closed", "open")
                                    for k, column in (("model", "model"), ("date", "date"),
                                                      ("compute", "training_compute"))}})  # fmt: skip
    return _say("frontier_ends", ends=ends)


def record_years_label(years_present: list[int], first_year: int, last_year: int) -> str:
    """'2023 and 2025 (none in 2024)': the years of the window in which records exist."""
    missing = [y for y in range(first_year, last_year + 1) if y not in years_present]
    return _say("_record_years", years=list(years_present), missing=missing)


def record_lag(km: dict, km_all: dict, first_year: int, last_year: int, since: int, snapshot_date: str) -> str:
    """The censored record-setter lag: Kaplan–Meier medians with the numbers matched and censored."""

    def facts(k: dict, first: int) -> dict:
        return {**k, "reached": not pd.isna(k["median_months"]), "upper_reached": not pd.isna(k["ci_high"]),
                "years_label": record_years_label(k["years_with_records"], first, last_year)}  # fmt: skip

    return _say("record_lag", km=facts(km, first_year), km_all=facts(km_all, since), first_year=first_year,
                last_year=last_year, since=since, snapshot_date=snapshot_date)  # fmt: skip


def eci_definitions() -> str:
    """The two lag definitions side by side, with Epoch's interval."""
    return _say("eci_definitions", **EPOCH_ECI)


def eci_snapshot_sentence(ref: str, gaps: pd.DataFrame, best: pd.DataFrame) -> str:
    """One ECI vintage: the latest gap and lag, the window means beside Epoch's numbers with their intervals."""
    latest = gaps.iloc[-1]
    leaders = best.groupby("access_class").tail(1).set_index("access_class")
    mean_gap, mean_lag = capability.window_mean(gaps, "2023-01-01", "2025-10-30")
    recent_gap, recent_lag = capability.window_mean(gaps, "2026-01-01", gaps["date"].max())
    return _say("eci_snapshot", ref=ref, latest_date=latest.date, closed_model=leaders.loc["closed", "model"],
                closed_best=leaders.loc["closed", "best_eci"], open_model=leaders.loc["open", "model"],
                open_best=leaders.loc["open", "best_eci"], gap=latest.eci_gap, lag=latest.lag_months,
                mean_gap=mean_gap, mean_lag=mean_lag, recent_gap=None if pd.isna(recent_gap) else recent_gap,
                recent_lag=recent_lag, **EPOCH_ECI)  # fmt: skip


def compute_vs_capability(compute_lag: float, capability_lag: float) -> str:
    """Why a compute lag and a capability lag can differ by years (one sentence)."""
    return _say("compute_vs_capability", compute_lag=compute_lag, capability_lag=capability_lag)
