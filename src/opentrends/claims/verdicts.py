"""Each claim's rule: evidence in, verdict out. One function per claim, named after it.

A rule reads its thresholds (written in ledger.py's `CLAIMS` before the data was read) and the evidence
(evidence.py), and returns a `Finding`. Nothing here loads data directly or types a verdict for a
particular outcome: every verdict is the result of comparing a number with a threshold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from opentrends.claims import change, hub_time
from opentrends.claims import evidence as ev
from opentrends.claims import hub_evidence as hub
from opentrends.claims import indicators as ind
from opentrends.core import text

VERDICTS = ("supported", "partly supported", "contradicted", "mixed", "inconclusive", "not testable")


@dataclass
class Finding:
    """What a rule found: the verdict, one line of evidence, the numbers, the snapshots, what would decide it."""

    verdict: str
    summary: str
    evidence: dict
    sources: list[str]
    needs: str = ""
    context: dict = field(default_factory=dict)
    changes: str = ""  # one line: what would change this verdict

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


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
        changes="Another country with more open releases and organizations pooled over 2016–2020 would contradict it "
        "(back-filling of old years by Epoch could move the counts).",
    )


def _trend_claim(ctx: ev.Context, indicators: dict, t: dict, what: str, needs: str = "") -> Finding:
    """A trend claim's Finding: only change indicators vote (levels are context); the summary gives every interval."""
    result = change.combine(indicators, t)
    votes = {k: v for k, v in indicators.items() if v["kind"] == "change"}
    levels = {k: v for k, v in indicators.items() if v["kind"] == "level"}
    line = ind.summary(votes, result, what)
    decide = needs
    if result["verdict"] in ("not testable", "inconclusive"):
        decide = f"{result['why']}; would decide it: " + (needs or "a longer dated series of the same indicators")
    return Finding(
        result["verdict"],
        line,
        {"indicators": votes, **result},
        sorted({s for item in indicators.values() for s in item.get("sources", [])}),
        needs=decide,
        context={"levels": levels},
        changes=ind.what_would_change(votes, result, t),
    )


def us_slipping(ctx: ev.Context, t: dict) -> Finding:
    return _trend_claim(ctx, ind.slipping_indicators(ctx, t), t, "show the US losing ground to China")


def dozens_verdict(eci_floor: int, atom_count: int | None, t: dict) -> str:
    """supported: either count >= `dozens`; not testable: only the ECI floor (below it) can be read; contradicted:
    ATOM's count below `contradicted_below`; mixed otherwise."""
    if max(eci_floor, atom_count or 0) >= t["dozens"]:
        return "supported"
    if atom_count is None:
        return "not testable"
    return "contradicted" if atom_count < t["contradicted_below"] else "mixed"


def dozens_chinese(ctx: ev.Context, t: dict) -> Finding:
    """Counted by capability: the ATOM count decides when it can be read; the ECI count is a floor (the ECI scores
    few open models), so it can support the claim but never contradict it."""
    found = ev.chinese_frontier_organizations(ctx, t["years"], t["near_points"])
    any_release = ev.chinese_open_organizations(ctx, t["years"])
    eci_n, atom_n = found["eci_near_frontier"], found["atom_tracked"]
    verdict = dozens_verdict(eci_n, atom_n, t)
    years = f"{t['years'][0]}–{t['years'][-1]}"
    atom_part = (
        f"{atom_n} Chinese organizations have an open model among ATOM's tracked models"
        if atom_n is not None
        else "ATOM's tracked list is undated, so it cannot be read before the cutoff"
    )
    return Finding(
        verdict,
        f"{eci_n} Chinese organizations released an open model in {years} within {t['near_points']:g} ECI points of "
        f"the best open score at its release ({', '.join(found['eci_organizations']) or 'none'}; the ECI scores "
        f"{found['open_models_scored']} open models of those years, so this is a floor); {atom_part} (threshold "
        f"{t['dozens']}). Context: {any_release['all_open']} released any open-weights model in Epoch.",
        {**found, "any_open_release": any_release["all_open"], "notable_open_release": any_release["notable_open"]},
        [ctx.eci_snapshot, ctx.snapshot] + ([ctx.atom_snapshot] if atom_n is not None else []),
        needs="" if verdict != "not testable" else t["needs"],
        changes=f"{t['dozens']} or more Chinese organizations near the open frontier (ECI) or in ATOM's tracked list "
        f"would support it; fewer than {t['contradicted_below']} in ATOM's list would contradict it.",
    )


def flagships_verdict(table, families: list[str]) -> str:
    """On `flagship_access` rows (family, access, open): contradicted by any open weights; supported when none and
    every family has a labelled model; mixed when a family has none; not testable without any model."""
    if table.empty:
        return "not testable"
    if table["open"].any():
        return "contradicted"
    labelled = set(table.loc[table["access"] != "", "family"])
    return "supported" if labelled >= set(families) else "mixed"


def flagships(ctx: ev.Context, t: dict) -> Finding:
    """Decided by "no open weights among the named families"; the access mix is context."""
    table = ev.flagship_access(ctx, t["families"])
    n_open = int(table["open"].sum())
    labelled = table[table["access"] != ""]
    families_labelled = sorted(labelled["family"].unique())
    verdict = flagships_verdict(table, t["families"])
    by_family = {f: {a: int(n) for a, n in g["access"].value_counts().items()} for f, g in table.groupby("family")}
    api_or_hosted = int(labelled["access"].isin(["API access", "Hosted access (no API)"]).sum())
    opened = ", ".join(table.loc[table["open"], "model"]) or "none"
    return Finding(
        verdict,
        f"{n_open} of {len(table)} {', '.join(t['families'])} models in Epoch dated to {ctx.end} carry an open-weights "
        f"label ({opened}); families with a labelled model: {', '.join(families_labelled) or 'none'}. Context: "
        f"{api_or_hosted} of {len(labelled)} labelled ones via API or hosted access, the rest unreleased.",
        {
            "models": len(table),
            "open_weights": n_open,
            "open_models": list(table.loc[table["open"], "model"]),
            "families_labelled": families_labelled,
            "api_or_hosted": api_or_hosted,
            "labelled": len(labelled),
            "by_family": by_family,
        },
        [ctx.snapshot],
        needs="" if verdict != "not testable" else "Epoch models of these families",
        changes="Any GPT-4, Claude or Gemini model released with open weights would contradict it.",
    )


def moment_claim(kind: str) -> Callable[[ev.Context, dict], Finding]:
    """R1 claims: decided only by a whole-Hub snapshot captured in the window after the release."""

    def rule(ctx: ev.Context, t: dict) -> Finding:
        start = dt.date.fromisoformat(t["release_date"])
        end = start + dt.timedelta(days=t["window_days"])
        context = hub.r1_context(ctx)
        found = hub.hub_snapshot_in_window(ctx, start, end, t["needs_sources"])
        grown = hub_time.r1_variants(ctx, t) if kind == "derivatives" and found is None else None
        if grown is not None:
            return r1_from_growth(grown, t, context)
        if found is None:
            return Finding(
                "not testable",
                f"No whole-Hub snapshot dated {start}..{end} is pinned"
                + (f" ({hub_time.MISSING})" if kind == "derivatives" else "")
                + ". What exists, context only: "
                + " ".join(
                    filter(
                        None, [t.get("known", ""), context["likes_summary" if kind == "likes" else "variants_summary"]]
                    )
                ),
                {"window": [start.isoformat(), end.isoformat()]},
                context["sources"],
                needs=t["needs"],
                context=context,
                changes=f"A whole-Hub snapshot dated {start}..{end} would decide it.",
            )
        measured = hub.r1_at_moment(ctx, found, kind)
        if kind == "likes":
            verdict = "supported" if measured["rank_by_likes"] == 1 else "contradicted"
            line = f"DeepSeek-R1 ranked {measured['rank_by_likes']} by likes in {found} (leader: {measured['leader']})."
        else:
            n = measured["derivatives"]
            verdict = "supported" if n >= t["thousands"] else "mixed" if n >= t["thousands"] // 2 else "contradicted"
            line = f"{n:,} models derive from DeepSeek-R1 in {found}."
        return Finding(
            verdict, line, measured, [found], context=context, changes="A different whole-Hub snapshot of the window."
        )

    return rule


def r1_verdict(r1_alone: int, r1_family: int, thousands: int) -> str:
    """supported: R1 alone >= `thousands`; mixed: R1 alone >= half of it, or only the family reaches it; else
    contradicted."""
    if r1_alone >= thousands:
        return "supported"
    if r1_alone >= thousands // 2 or r1_family >= thousands:
        return "mixed"
    return "contradicted"


def r1_from_growth(grown: dict, t: dict, context: dict) -> Finding:
    """r1-thousands-variants decided from the Hub-over-time growth data (fine-tunes by 2025-02-18)."""
    verdict = r1_verdict(grown["r1_alone"], grown["r1_family"], t["thousands"])
    return Finding(
        verdict,
        f"Hub fine-tunes naming DeepSeek-R1 as base by {grown['as_of']} ({grown['days_after_release']} days after "
        f"release): {grown['r1_alone']:,}; naming any of the {grown['r1_family_bases']} R1-family bases (R1, R1-Zero, "
        f"distills): {grown['r1_family']:,}. The counts are the models the growth data's authors associated with each base "
        f"(method not published; set against the April 2025 model trees they run higher for most bases), in whole months "
        f"that cannot resolve {t['window_days']} days.",
        grown,
        [grown["snapshot"]],
        context=context,
        changes=f"A whole-Hub snapshot of {t['release_date']} + {t['window_days']} days counting every variant; "
        f"R1 alone reaching {t['thousands']:,} would support it.",
    )


def llama(ctx: ev.Context, t: dict) -> Finding:
    context = hub.tree_context(ctx, t["family_roots"])
    found = hub.latest_whole_hub_snapshot(ctx, t["needs_sources"])
    grown = hub_time.llama_variants(ctx) if found is None else None
    if grown is not None:
        n, limit = grown["llama_family"], t["tens_of_thousands"]
        return Finding(
            "supported" if n >= limit else "mixed" if n >= limit // 2 else "contradicted",
            f"{n:,} Hub fine-tunes name one of {grown['llama_bases']} meta-llama/* base models by "
            f"{grown['snapshot'].split('@')[1]} (a model naming two Llama bases counts twice; models the authors associated with each base, method not "
            f"published). "
            f"Context: Qwen's bases {grown['qwen']:,}.",
            grown,
            [grown["snapshot"]],
            context=context,
            changes=f"A whole-Hub count below {limit:,} (after removing double counts) would move it.",
        )
    if found is None:
        return Finding(
            "not testable",
            f"No whole-Hub snapshot is pinned ({hub_time.MISSING}); the April 2025 trees follow fine-tune links only and are capped near 300 "
            f"direct children per model "
            f"(recorded: {context['summary']}).",
            {},
            context["sources"],
            needs=t["needs"],
            context=context,
            changes="A whole-Hub models table with base models (hf-hub-stats) would decide it.",
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
        changes=f"A whole-Hub count below {limit:,} would contradict it.",
    )


def forecast_verdict(statements: list[dict], releases: list[dict], as_of: bool) -> str:
    """A forecast claim. not testable: no recorded statement; contradicted: a statement withdraws it; as of the
    op-ed: supported when suggested; since: supported when fulfilled (a release), inconclusive while pending."""
    if not statements:
        return "not testable"
    if any(st["kind"] == "withdrawn" for st in statements):
        return "contradicted"
    return "supported" if as_of or releases else "inconclusive"


def openai(ctx: ev.Context, t: dict) -> Finding:
    """A forecast: did OpenAI suggest open weights by the cutoff (recorded statements), and was it fulfilled?"""
    said = [st for st in t["statements"] if ctx.cutoff is None or st["date"] < ctx.cutoff]
    releases = ev.organization_open_releases(ctx, t["organization"], said[0]["date"] if said else t["after"])
    first = releases[0] if releases else None
    fulfilled = f"fulfilled: {first['model']} on {first['date']}" if first else "not fulfilled in the pinned data"
    verdict = forecast_verdict(said, releases, as_of=ctx.cutoff is not None)
    line = (
        "; ".join(f"{st['date']}: {st['summary']} ({st['url']})" for st in said) + f". The forecast is {fulfilled}."
        if said
        else f"No recorded OpenAI statement dated before {ctx.cutoff}."
    )
    return Finding(
        verdict,
        line,
        {"statements": said, "releases": releases, "fulfilled": first is not None},
        ctx.epoch_snapshots,
        needs="" if said else "a dated public statement by OpenAI",
        changes="A recorded statement withdrawing the plan would contradict it; after the cutoff only fulfilment "
        "(an OpenAI open-weights release in Epoch) is judged.",
    )


def ai2_parts(ctx: ev.Context, t: dict) -> dict:
    """Per-part verdicts of `ai2-fully-open`: continues, fully open, excellent (supported / contradicted / not
    testable), with each part's numbers."""
    years = [y for y in t["years"] if ctx.cutoff is None or y <= int(ctx.end[:4])]
    yearly = ev.organization_open_years(ctx, t["organization"], years)
    openness = ev.fully_open_entries(ctx, t["osai_org"], t["fully_open_dimensions"])
    quality = ev.eci_open_rank(ctx, t["organization"])
    beaten = quality["best_percentile"]
    return {
        "continues": {
            "verdict": "supported" if all(n >= 1 for n in yearly.values()) else "contradicted",
            "says": "open-weights releases " + ", ".join(f"{n} in {y}" for y, n in yearly.items()),
            "open_releases_by_year": yearly,
        },
        "fully_open": {
            # an index entry is dated by its system's latest release, so before a cutoff a missing fully open entry
            # may be one re-dated later: only the current edition can contradict
            "verdict": "supported"
            if openness["fully_open"]
            else "contradicted"
            if openness["osai_systems"] and ctx.cutoff is None
            else "not testable",
            "says": f"graded open on weights, data and code in the Open Source AI Index: "
            f"{', '.join(openness['fully_open']) or 'none'} of {len(openness['osai_systems'])} Ai2 entries dated "
            f"to {ctx.end}",
            **openness,
        },
        "excellent": {
            "verdict": "not testable"
            if beaten is None
            else "supported"
            if beaten >= t["excellent_percentile"]
            else "contradicted",
            "says": f"its best ECI model {quality['best_model']} beats {text.pct(beaten)} of scored open models"
            if beaten is not None
            else f"no Ai2 model has an ECI score in {ctx.eci_snapshot} to {ctx.end}",
            **quality,
        },
    }


def overall(parts: dict) -> str:
    """A multi-part claim's verdict: unmeasured parts are named, never counted as contradictions.

    supported: every part measured and supported; partly supported: every measured part supported, some part
    unmeasured; contradicted: every measured part contradicted; mixed: measured parts disagree; not testable: no
    part measured.
    """
    measured = [p["verdict"] for p in parts.values() if p["verdict"] != "not testable"]
    if not measured:
        return "not testable"
    if all(v == "supported" for v in measured):
        return "supported" if len(measured) == len(parts) else "partly supported"
    if all(v == "contradicted" for v in measured):
        return "contradicted"
    return "mixed"


def ai2(ctx: ev.Context, t: dict) -> Finding:
    parts = ai2_parts(ctx, t)
    verdict = overall(parts)
    unmeasured = [k for k, p in parts.items() if p["verdict"] == "not testable"]
    return Finding(
        verdict,
        "; ".join(f"{name}: {p['verdict']} ({p['says']})" for name, p in parts.items())
        + (f". Not measured, so not counted: {', '.join(unmeasured)}." if unmeasured else "."),
        {"parts": parts, "verdict_by_part": {k: p["verdict"] for k, p in parts.items()}},
        [ctx.snapshot, ctx.osai_snapshot, ctx.eci_snapshot],
        needs="; ".join(t["needs_by_part"][k] for k in unmeasured),
        changes="An ECI (or other pinned benchmark) score for an Olmo model would decide 'excellent'; a year "
        "without an Ai2 open release, or no fully open entry, would contradict a part.",
    )


def builders(ctx: ev.Context, t: dict) -> Finding:
    return _trend_claim(
        ctx, ind.builders_indicators(ctx, t), t, "show builders turning to Chinese open models", needs=t["needs"]
    )
