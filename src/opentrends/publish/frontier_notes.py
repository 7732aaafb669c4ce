"""Notebook 03's sentences and steps: the frontier gap's prose, each sentence built from the numbers it states.

Every function returns text (Markdown) or a table, so notebook 03's cells stay short and its sentences
are tested. Units are explicit (months, ECI points, FLOP).
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from opentrends.analysis import capability, frontier
from opentrends.core import text

# The report's published numbers (Cottier et al. 2024, compute_analysis.ipynb results table).
PUBLISHED = {"separate slopes": (15.37, 6.45, 21.9), "same slope": (15.61, 11.55, 19.82)}
REPORT_SETTINGS = dict(
    open_definition="weights", frontier_start="2018-01-01", domain=None, bootstrap_samples=1000, seed=43
)
# Epoch's ECI insight of 30 Oct 2025: open models lag by about 3.5 months (90% CI 1.1–5.3) and 7 ECI points (90% CI 0–14)
EPOCH_ECI = {"months": (3.5, 1.1, 5.3), "points": (7.0, 0.0, 14.0)}
months2 = partial(text.months, digits=2)  # published lags carry two decimals


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
    """The replication paragraph: the re-implemented method on the report's data against the published lag."""
    mine = lags[lags.dataset == report_snapshot].set_index("method")
    sep, same = mine.loc["separate slopes"], mine.loc["same slope"]
    pub, pub_same = PUBLISHED["separate slopes"], PUBLISHED["same slope"]
    settings = (
        "These are the report's own settings (frontier from 2018-01-01, any open-weights label, all domains, 1,000 "
        "resamples, seed 43), and with the frontier models in date order the bootstrap draws are the report's own, so "
        "the interval matches too. "
        if as_report
        else "The parameters differ from the report's settings, so this row is a variant, not the replication. "
    )
    return (
        f"**Replication.** On the report's own data ({report_snapshot}) the re-implemented method puts the open "
        f"compute frontier **{text.months(sep.lag_months, 2)}** behind the closed one (90% CI "
        f"{text.interval(sep.ci_low, sep.ci_high, months2)}), against the published {text.months(pub[0], 2)} (90% CI "
        f"{text.interval(pub[1], pub[2], months2)}); the point estimates differ by "
        f"{text.months(abs(sep.lag_months - pub[0]), 3)}. The same-slope variant gives {text.months(same.lag_months, 2)} "
        f"({text.interval(same.ci_low, same.ci_high, months2)}) against the report's {text.months(pub_same[0], 2)} "
        f"({text.interval(pub_same[1], pub_same[2], months2)}). {settings}Both fits use "
        f"{text.count(sep.n_frontier_models)} frontier models."
    )


def current_lag(lags: pd.DataFrame, snapshot: str) -> str:
    """The same method on the pinned snapshot, both fits, and whether the separate-slope lag widens."""
    cur = lags[lags.dataset == snapshot].set_index("method")
    sep, same = cur.loc["separate slopes"], cur.loc["same slope"]
    widens = "widens" if sep.slope_closed > sep.slope_open else "narrows"
    return (
        f"**The same method on {snapshot}** (frontiers through {sep.last_date:%B %Y}): the open frontier trails by "
        f"**{text.months(sep.lag_months)}** with separate slopes (90% CI "
        f"{text.interval(sep.ci_low, sep.ci_high, text.months)}) and **{text.months(same.lag_months)}** with one common "
        f"slope ({text.interval(same.ci_low, same.ci_high, text.months)}), from {text.count(sep.n_frontier_models)} "
        f"frontier models. The separate-slope fit has the closed frontier growing {10**sep.slope_closed:.1f}× a year "
        f"against {10**sep.slope_open:.1f}× for open, so its lag {widens} with time; the same-slope fit assumes one "
        f"growth rate."
    )


def frontier_changes(changes: pd.DataFrame, seeds: dict, estimated: dict, snapshot: str, report_snapshot: str) -> str:
    """What entered and left the frontiers between the two vintages, the seeds and the report's estimates."""
    entered, left = changes[changes.change == "entered"], changes[changes.change == "left"]

    def names(part):
        return "; ".join(f"{m} ({c})" for m, c in zip(part.model, part.access_class, strict=True)) or "none"

    return (
        f"Between the two vintages {text.count(len(entered))} models entered the frontiers and "
        f"{text.count(len(left))} left them. Entered: {names(entered)}. Left: {names(left)}. The seed (the overall "
        "top model as of the start date) is "
        + " and ".join(f"{m} ({c:.1e} FLOP) in {ref}" for ref, (m, c) in seeds.items())
        + ". Renamed entries (Epoch now writes `GPT-4 (Mar 2023)` for `GPT-4`, say) count as one leaving and one "
        "entering; others moved because Epoch revised a compute estimate or added a model. The report's hand-set "
        f"estimates set the compute of {text.count(len(estimated[report_snapshot]))} models kept in its own data and "
        f"fill {text.count(len(estimated.get(snapshot, [])))} blanks in {snapshot} "
        f"({', '.join(estimated.get(snapshot, [])) or 'none'}); elsewhere Epoch's newer estimates stand."
    )


def frontier_ends(frontiers: dict) -> str:
    """Which model ends each class's frontier in each vintage."""
    parts = []
    for ref, f in frontiers.items():
        e = {c: f.loc[f["access_class"] == c].iloc[-1] for c in frontier.CLASSES}
        parts.append(
            f"In {ref} the closed frontier ends with {e['closed'].model} ({e['closed'].date:%b %Y}, "
            f"{e['closed'].training_compute:.1e} FLOP) and the open one with {e['open'].model} "
            f"({e['open'].date:%b %Y}, {e['open'].training_compute:.1e} FLOP)."
        )
    return (
        " ".join(parts)
        + " The lag is read at the last frontier date, so closed records with no open answer yet lengthen it."
    )


def record_years_label(years_present: list[int], first_year: int, last_year: int) -> str:
    """'2023 and 2025 (none in 2024)': the years of the window in which records exist."""
    missing = [y for y in range(first_year, last_year + 1) if y not in years_present]
    shown = " and ".join(", ".join(map(str, years_present)).rsplit(", ", 1)) if years_present else "no year"
    return shown + (f" (none in {', '.join(map(str, missing))})" if missing else "")


def record_lag(km: dict, km_all: dict, first_year: int, last_year: int, since: int, snapshot_date: str) -> str:
    """The censored record-setter lag: Kaplan–Meier medians with the numbers matched and censored."""

    def median(k):
        if k["median_months"] == k["median_months"]:
            return (
                f"**{text.months(k['median_months'])}** (95% CI {text.months(k['ci_low'])} to "
                f"{'not reached' if k['ci_high'] != k['ci_high'] else text.months(k['ci_high'])})"
            )
        return (
            f"**not reached** within the follow-up (up to {text.months(k['longest_follow_up'])}): fewer than half have "
            f"been matched; the 95% interval starts at {text.months(k['ci_low'])}"
        )

    return (
        f"Each time a closed model set a new closed training-compute record, how long until an open model reached "
        f"that compute? Records no open model has matched by {snapshot_date} are censored there, not dropped, and the "
        f"median is a Kaplan–Meier estimate. Window {first_year}–{last_year}: {text.count(km['records'])} closed records, "
        f"dated {record_years_label(km['years_with_records'], first_year, last_year)}; {text.count(km['matched'])} "
        f"matched, {text.count(km['censored'])} censored; the median is {median(km)}. Since {since}: "
        f"{text.count(km_all['records'])} records, dated {record_years_label(km_all['years_with_records'], since, last_year)}; "
        f"{text.count(km_all['matched'])} matched, {text.count(km_all['censored'])} censored; the median is {median(km_all)}."
    )


def eci_definitions() -> str:
    """The two lag definitions side by side, with Epoch's interval."""
    m, p = EPOCH_ECI["months"], EPOCH_ECI["points"]
    return (
        "**Two definitions.** *This project*: at each date, the time since the closed frontier first reached the best "
        "open score so far (it grows while the open best stands still, and counts any score difference). *Epoch AI* "
        "(30 Oct 2025): an open model has caught up when its score is not significantly different from the closed "
        f"frontier's, which gives about {m[0]:g} months (90% CI {m[1]:g}–{m[2]:g}) and {p[0]:g} ECI points (90% CI "
        f"{p[1]:g}–{p[2]:g}) over Jan 2023–Oct 2025. Counting every difference as a lag makes ours longer by "
        "construction, so the points gap is the better comparison."
    )


def eci_snapshot_sentence(ref: str, gaps: pd.DataFrame, best: pd.DataFrame) -> str:
    """One ECI vintage: the latest gap and lag, the window means beside Epoch's numbers with their intervals."""
    latest = gaps.iloc[-1]
    leaders = best.groupby("access_class").tail(1).set_index("access_class")
    mean_gap, mean_lag = capability.window_mean(gaps, "2023-01-01", "2025-10-30")
    recent_gap, recent_lag = capability.window_mean(gaps, "2026-01-01", gaps["date"].max())
    m, p = EPOCH_ECI["months"], EPOCH_ECI["points"]
    recent = (
        f"; since Jan 2026: {recent_gap:.1f} points and {text.months(recent_lag)} (Epoch, 29 May 2026: about 8 points "
        "and 4 months)."
        if recent_gap == recent_gap
        else "; the snapshot ends before 2026."
    )
    return (
        f"**{ref}** (to {latest.date:%Y-%m-%d}): the best closed model ({leaders.loc['closed', 'model']}, "
        f"{leaders.loc['closed', 'best_eci']:.1f}) leads the best open one ({leaders.loc['open', 'model']}, "
        f"{leaders.loc['open', 'best_eci']:.1f}) by **{latest.eci_gap:.1f} ECI points**; open is "
        f"**{text.months(latest.lag_months)}** behind. Averaged over Jan 2023–Oct 2025: {mean_gap:.1f} points (Epoch: "
        f"{p[0]:g}, 90% CI {p[1]:g}–{p[2]:g}) and {text.months(mean_lag)} (Epoch: {m[0]:g}, 90% CI {m[1]:g}–{m[2]:g})"
        + recent
    )


def compute_vs_capability(compute_lag: float, capability_lag: float) -> str:
    """Why a compute lag and a capability lag can differ by years (one sentence)."""
    return (
        f"The compute lag ({text.months(compute_lag)}) and the capability lag ({text.months(capability_lag)}) can both "
        "be true: open developers reach a given score with far less training compute (better data, distillation from "
        "stronger models, efficient architectures), and the largest closed training runs have no open counterpart, so "
        "open models trail much further in compute than in what they can do."
    )
