"""Each claim's rule: evidence in, verdict out. One function per claim, named after it.

A rule reads its thresholds (written in claims.py before the data was read) and the evidence
(evidence.py), and returns a `Finding`. Nothing here loads data directly or types a verdict for a
particular outcome: every verdict is the result of comparing a number with a threshold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from opentrends.claims import evidence as ev
from opentrends.claims import hub_evidence as hub
from opentrends.claims import indicators as ind
from opentrends.core import text

VERDICTS = ("supported", "contradicted", "mixed", "not testable")


@dataclass
class Finding:
    """What a rule found: the verdict, one line of evidence, the numbers, the snapshots, what would decide it."""

    verdict: str
    summary: str
    evidence: dict
    sources: list[str]
    needs: str = ""
    context: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


def combine(indicators: dict, variants: dict[str, bool], t: dict) -> dict:
    """A multi-indicator verdict that must survive every reasonable variant of every indicator.

    `indicators`: name -> {"holds": True/False/None, ...}; `variants`: "indicator:variant" -> holds. An indicator
    is robust when every variant agrees with its default answer, fragile otherwise (the variants that reverse it
    are named). supported: at least `supported_if_at_least` indicators hold robustly; contradicted: at most
    `contradicted_if_at_most` hold under the default or any variant; mixed otherwise; not testable when fewer
    than `min_indicators` could be measured.
    """
    measured = {k: v["holds"] for k, v in indicators.items() if v["holds"] is not None}
    reversed_by: dict[str, list[str]] = {}
    for name, value in variants.items():
        indicator, _, variant = name.partition(":")
        if indicator in measured and bool(value) != measured[indicator]:
            reversed_by.setdefault(indicator, []).append(variant)
    holds = [k for k, v in measured.items() if v]
    robust = [k for k in holds if k not in reversed_by]
    possible = [k for k in measured if measured[k] or k in reversed_by]
    if len(measured) < t["min_indicators"]:
        verdict = "not testable"
    elif len(robust) >= t["supported_if_at_least"]:
        verdict = "supported"
    elif len(possible) <= t["contradicted_if_at_most"]:
        verdict = "contradicted"
    else:
        verdict = "mixed"
    return {"verdict": verdict, "measured": len(measured), "holds": holds, "robust": robust, "reversed_by": reversed_by}


def _combined_summary(indicators: dict, result: dict, what: str) -> str:
    parts = [f"{name} ({item['says']})" for name, item in indicators.items() if item["holds"] is not None]
    line = (
        f"{len(result['holds'])} of {result['measured']} indicators {what}, {len(result['robust'])} under every "
        f"variant: " + "; ".join(parts) + "."
    )
    if result["reversed_by"]:
        line += (
            " Reversed by a variant: "
            + "; ".join(f"{k} under {', '.join(v)}" for k, v in result["reversed_by"].items())
            + "."
        )
    return line


def us_led(ctx: ev.Context, t: dict) -> Finding:
    table = ev.open_releases_by_country(ctx, t["start_year"], t["end_year"])
    pooled = table.groupby("country")[["n_open", "n_orgs"]].sum()
    per_year = table.loc[table.groupby("year")["n_open"].idxmax()].set_index("year")["country"]
    years_led = int((per_year == ev.US).sum())
    runner_name = pooled.drop(index=ev.US)["n_open"].idxmax()
    us, runner_up = pooled.loc[ev.US], pooled.loc[runner_name]
    first_on_releases = pooled["n_open"].idxmax() == ev.US
    first_on_orgs = pooled["n_orgs"].idxmax() == ev.US
    if first_on_releases and first_on_orgs and years_led >= t["min_years_led"]:
        verdict = "supported"
    elif first_on_releases:
        verdict = "mixed"
    else:
        verdict = "contradicted"
    return Finding(
        verdict,
        f"US-only organizations released {int(us.n_open)} open-weights models in {t['start_year']}–{t['end_year']} "
        f"(next: {runner_name}, {int(runner_up.n_open)}) from {int(us.n_orgs)} organizations (next: "
        f"{int(runner_up.n_orgs)}), and led in {years_led} of {t['end_year'] - t['start_year'] + 1} years.",
        {
            "us_open_releases": int(us.n_open),
            "us_open_organizations": int(us.n_orgs),
            "runner_up": runner_name,
            "runner_up_open_releases": int(runner_up.n_open),
            "runner_up_open_organizations": int(runner_up.n_orgs),
            "years_us_led": years_led,
            "leader_by_year": {int(y): c for y, c in per_year.items()},
        },
        [ctx.snapshot],
    )


def _multi_indicator(indicators: dict, variants: dict[str, bool], t: dict, what: str, needs: str = "") -> Finding:
    """The Finding of a multi-indicator claim: `combine`'s verdict, its summary and every indicator's sources."""
    result = combine(indicators, variants, t)
    return Finding(
        result["verdict"],
        _combined_summary(indicators, result, what),
        {"indicators": indicators, **result},
        sorted({s for item in indicators.values() for s in item.get("sources", [])}),
        needs=needs,
    )


def us_slipping(ctx: ev.Context, t: dict) -> Finding:
    return _multi_indicator(
        ind.slipping_indicators(ctx, t), ind.slipping_variants(ctx, t), t, "show the US losing ground to China"
    )


def dozens_chinese(ctx: ev.Context, t: dict) -> Finding:
    counts = ev.chinese_open_organizations(ctx, t["years"])
    n_all, n_notable = counts["all_open"], counts["notable_open"]
    if n_notable >= t["dozens"]:
        verdict = "supported"
    elif n_all < t["contradicted_below"]:
        verdict = "contradicted"
    else:
        verdict = "mixed"
    years = f"{t['years'][0]}–{t['years'][-1]}"
    return Finding(
        verdict,
        f"{n_all} distinct Chinese organizations released open weights in {years}; {n_notable} of them an "
        f"Epoch-notable model (threshold: {t['dozens']}).",
        counts,
        [ctx.snapshot],
    )


def flagships(ctx: ev.Context, t: dict) -> Finding:
    table = ev.flagship_access(ctx, t["families"])
    n_open = int(table["open"].sum())
    labelled = table[table["access"] != ""]
    api_or_hosted = int(labelled["access"].isin(["API access", "Hosted access (no API)"]).sum())
    share = api_or_hosted / len(labelled) if len(labelled) else 0.0
    if n_open == 0 and share >= t["min_api_or_hosted_share"]:
        verdict = "supported"
    elif n_open == 0:
        verdict = "mixed"
    else:
        verdict = "contradicted"
    by_family = {f: {a: int(n) for a, n in g["access"].value_counts().items()} for f, g in table.groupby("family")}
    return Finding(
        verdict,
        f"{len(table)} {', '.join(t['families'])} models in Epoch: {n_open} with open weights; {api_or_hosted} of "
        f"{len(labelled)} labelled ones ({text.pct(share)}) via API or hosted access, the rest unreleased.",
        {
            "models": len(table),
            "open_weights": n_open,
            "api_or_hosted": api_or_hosted,
            "labelled": len(labelled),
            "by_family": by_family,
        },
        [ctx.snapshot],
    )


def moment_claim(kind: str) -> Callable[[ev.Context, dict], Finding]:
    """R1 claims: decided only by a whole-Hub snapshot captured in the window after the release."""

    def rule(ctx: ev.Context, t: dict) -> Finding:
        start = dt.date.fromisoformat(t["release_date"])
        end = start + dt.timedelta(days=t["window_days"])
        context = hub.r1_context(ctx)
        found = hub.hub_snapshot_in_window(ctx, start, end, t["needs_sources"])
        if found is None:
            return Finding(
                "not testable",
                f"No whole-Hub snapshot dated {start}..{end} is pinned. Other data, context only: "
                f"{context['likes_summary' if kind == 'likes' else 'variants_summary']}",
                {"window": [start.isoformat(), end.isoformat()]},
                context["sources"],
                needs=t["needs"],
                context=context,
            )
        measured = hub.r1_at_moment(ctx, found, kind)
        if kind == "likes":
            verdict = "supported" if measured["rank_by_likes"] == 1 else "contradicted"
            line = f"DeepSeek-R1 ranked {measured['rank_by_likes']} by likes in {found} (leader: {measured['leader']})."
        else:
            n = measured["derivatives"]
            verdict = "supported" if n >= t["thousands"] else "mixed" if n >= t["thousands"] // 2 else "contradicted"
            line = f"{n:,} models derive from DeepSeek-R1 in {found}."
        return Finding(verdict, line, measured, [found], context=context)

    return rule


def llama(ctx: ev.Context, t: dict) -> Finding:
    context = hub.tree_context(ctx, t["family_roots"])
    found = hub.latest_whole_hub_snapshot(ctx, t["needs_sources"])
    if found is None:
        return Finding(
            "not testable",
            f"No whole-Hub snapshot is pinned; the April 2025 trees follow fine-tune links only and are capped near 300 "
            f"direct children per model "
            f"(recorded: {context['summary']}).",
            {},
            context["sources"],
            needs=t["needs"],
            context=context,
        )
    n = hub.family_derivatives(ctx, found, t["family_author"])
    limit = t["tens_of_thousands"]
    verdict = "supported" if n >= limit else "mixed" if n >= limit // 2 else "contradicted"
    return Finding(
        verdict,
        f"{n:,} Hub models derive from a {t['family_author']} base ({found}).",
        {"derivatives": n},
        [found],
        context=context,
    )


def openai(ctx: ev.Context, t: dict) -> Finding:
    releases = ev.organization_open_releases(ctx, t["organization"], t["after"])
    if releases:
        first = releases[0]
        return Finding(
            "supported",
            f"Yes: {len(releases)} OpenAI open-weights models after {t['after']}, first {first['model']} on "
            f"{first['date']} ({first['access']}).",
            {"releases": releases},
            ctx.epoch_snapshots,
        )
    return Finding(
        "mixed",
        f"No OpenAI open-weights model after {t['after']} in the pinned snapshots.",
        {"releases": []},
        ctx.epoch_snapshots,
    )


def ai2(ctx: ev.Context, t: dict) -> Finding:
    yearly = ev.organization_open_years(ctx, t["organization"], t["years"])
    continuing = all(yearly[y] >= 1 for y in t["years"])
    openness = ev.fully_open_entries(ctx, t["osai_org"], t["fully_open_dimensions"])
    fully_open = bool(openness["fully_open"])
    quality = ev.eci_open_rank(ctx, t["organization"])
    beaten = quality["best_percentile"]
    excellent = beaten is not None and beaten >= t["excellent_percentile"]
    if continuing and fully_open and excellent:
        verdict = "supported"
    elif not continuing and not fully_open:
        verdict = "contradicted"
    else:
        verdict = "mixed"
    per_year = ", ".join(f"{n} in {y}" for y, n in yearly.items())
    excellence = (
        f"its best ECI model {quality['best_model']} beats {text.pct(beaten)} of scored open models"
        if beaten is not None
        else f"no Ai2 model has an ECI score in {ctx.eci_snapshot}, so 'excellent' is not measured"
    )
    return Finding(
        verdict,
        f"Ai2 open-weights releases: {per_year}; fully open (weights, data, code) in the Open Source AI Index: "
        f"{', '.join(openness['fully_open']) or 'none'}; {excellence}.",
        {"open_releases_by_year": yearly, "continuing": continuing, "excellent": excellent, **openness, **quality},
        [ctx.snapshot, ctx.osai_snapshot, ctx.eci_snapshot],
    )


def builders(ctx: ev.Context, t: dict) -> Finding:
    return _multi_indicator(
        ind.builders_indicators(ctx, t),
        ind.builders_variants(ctx, t),
        t,
        "point to builders choosing Chinese open models",
        needs=t["needs"],
    )
