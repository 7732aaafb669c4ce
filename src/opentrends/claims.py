"""The claims under test, as data: each op-ed statement, its operational test, thresholds and verdict rule.

A claim's test and thresholds were written before its data was read; the verdict is computed by
the claim's evaluator from the evidence, never typed by hand, and is exactly one of `VERDICTS`.
A claim whose deciding data is in no pinned snapshot is `not testable` and names the data that
would decide it; the evaluators look for that data in the registry, so registering it (for
example a whole-Hub snapshot dated in the week after a release) makes the claim testable with no
code change. Claims about a moment are tested at that moment; later data is context, not verdict.

Evidence is plain data (numbers, snapshot refs, parameters) so `opentrends claims --format json`
can publish it and `opentrends review` can compare it with the committed ledger.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from . import evidence as ev
from .errors import UsageError

VERDICTS = ("supported", "contradicted", "mixed", "not testable")


@dataclass(frozen=True)
class Claim:
    """One statement of the op-ed and how it is tested."""

    id: str
    statement: str
    test: str
    thresholds: dict
    rule: str
    evaluate: Callable[[ev.Context, dict], Finding]


@dataclass
class Finding:
    """What an evaluator found: the verdict its rule gives, one line of evidence, the numbers, the data."""

    verdict: str
    summary: str
    evidence: dict
    sources: list[str]
    needs: str = ""
    context: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


# --- evaluators: evidence from pinned data, verdict from the claim's thresholds --------------------


def _us_led(ctx: ev.Context, t: dict) -> Finding:
    table = ev.open_releases_by_country(ctx, t["start_year"], t["end_year"])
    pooled = table.groupby("country")[["n_open", "n_orgs"]].sum()
    leader_releases = pooled["n_open"].idxmax()
    leader_orgs = pooled["n_orgs"].idxmax()
    per_year = table.loc[table.groupby("year")["n_open"].idxmax()].set_index("year")["country"]
    years_led = int((per_year == ev.US).sum())
    us, runner_up = pooled.loc[ev.US], pooled.drop(index=ev.US).sort_values("n_open").iloc[-1]
    if leader_releases == ev.US and leader_orgs == ev.US and years_led >= t["min_years_led"]:
        verdict = "supported"
    elif leader_releases == ev.US:
        verdict = "mixed"
    else:
        verdict = "contradicted"
    runner_name = pooled.drop(index=ev.US)["n_open"].idxmax()
    return Finding(
        verdict,
        f"US-only organizations released {int(us.n_open)} open-weights models in {t['start_year']}–{t['end_year']} "
        f"(next: {runner_name}, {int(runner_up.n_open)}) and led in {years_led} of "
        f"{t['end_year'] - t['start_year'] + 1} years.",
        {"us_open_releases": int(us.n_open), "us_open_organizations": int(us.n_orgs),
         "runner_up": runner_name, "runner_up_open_releases": int(runner_up.n_open),
         "runner_up_open_organizations": int(pooled.loc[runner_name, "n_orgs"]),
         "years_us_led": years_led, "leader_by_year": {int(y): c for y, c in per_year.items()}},
        [ctx.snapshot],
    )


def _us_slipping(ctx: ev.Context, t: dict) -> Finding:
    indicators = ev.slipping_indicators(ctx, t)
    slipping = [name for name, item in indicators.items() if item["slipping"] is True]
    testable = [name for name, item in indicators.items() if item["slipping"] is not None]
    flips = ev.robustness_flips(ctx, t)
    if len(testable) < t["min_indicators"]:
        verdict = "not testable"
    elif len(slipping) >= t["supported_if_at_least"] and not flips:
        verdict = "supported"
    elif len(slipping) <= t["contradicted_if_at_most"] and not flips:
        verdict = "contradicted"
    else:
        verdict = "mixed"
    flip_text = f"; flipped by variant(s): {', '.join(flips)}" if flips else "; no variant flips it"
    return Finding(
        verdict,
        f"{len(slipping)} of {len(testable)} indicators show the US losing ground to China"
        f" ({', '.join(slipping) or 'none'}){flip_text}.",
        {"indicators": indicators, "variants_that_flip": flips},
        sorted({s for item in indicators.values() for s in item.get("sources", [])}),
    )


def _dozens_chinese(ctx: ev.Context, t: dict) -> Finding:
    counts = ev.chinese_open_organizations(ctx, t["years"])
    n_all, n_notable = counts["all_open"], counts["notable_open"]
    if n_notable >= t["dozens"]:
        verdict = "supported"
    elif n_all >= t["dozens"]:
        verdict = "mixed"
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


def _flagships(ctx: ev.Context, t: dict) -> Finding:
    table = ev.flagship_access(ctx, t["families"])
    n_open = int(table["open"].sum())
    labelled = table[table["access"] != ""]
    api_or_hosted = int(labelled["access"].isin(["API access", "Hosted access (no API)"]).sum())
    share = api_or_hosted / len(labelled) if len(labelled) else float("nan")
    if n_open == 0 and share >= t["min_api_or_hosted_share"]:
        verdict = "supported"
    elif n_open == 0:
        verdict = "mixed"
    else:
        verdict = "contradicted"
    by_family = {f: dict(g["access"].value_counts()) for f, g in table.groupby("family")}
    return Finding(
        verdict,
        f"{len(table)} {', '.join(t['families'])} models in Epoch: {n_open} with open weights, {api_or_hosted} of "
        f"{len(labelled)} labelled ones via API or hosted access (the rest unreleased).",
        {"models": len(table), "open_weights": n_open, "api_or_hosted": api_or_hosted,
         "labelled": len(labelled), "by_family": {k: {a: int(n) for a, n in v.items()} for k, v in by_family.items()}},
        [ctx.snapshot],
    )


def _moment_claim(kind: str) -> Callable[[ev.Context, dict], Finding]:
    """R1 claims: decided only by Hub data captured in the window after the release."""

    def evaluate(ctx: ev.Context, t: dict) -> Finding:
        start = dt.date.fromisoformat(t["release_date"])
        end = start + dt.timedelta(days=t["window_days"])
        context = ev.r1_context(ctx)
        found = ev.hub_snapshot_in_window(ctx, start, end, t["needs_sources"])
        if found is None:
            return Finding(
                "not testable",
                f"No pinned Hub snapshot dated {start}..{end}; later data is context only: {context['summary']}",
                {"window": [start.isoformat(), end.isoformat()]},
                context["sources"],
                needs=t["needs"],
                context=context,
            )
        measured = ev.r1_at_moment(ctx, found, kind)
        if kind == "likes":
            verdict = "supported" if measured["rank_by_likes"] == 1 else "contradicted"
            line = f"DeepSeek-R1 ranked {measured['rank_by_likes']} by likes on {found}."
        else:
            n = measured["derivatives"]
            verdict = ("supported" if n >= t["thousands"] else "mixed" if n >= t["thousands"] // 2 else "contradicted")
            line = f"{n} DeepSeek-R1 derivatives created by {end} ({found})."
        return Finding(verdict, line, measured, [found], context=context)

    return evaluate


def _llama(ctx: ev.Context, t: dict) -> Finding:
    context = ev.tree_context(ctx, t["family_roots"])
    found = ev.latest_whole_hub_snapshot(ctx, t["needs_sources"])
    if found is None:
        return Finding(
            "not testable",
            f"No whole-Hub snapshot is pinned; the pinned derivative trees are capped near 300 children per model "
            f"({context['summary']}).",
            {}, context["sources"], needs=t["needs"], context=context,
        )
    n = ev.family_derivatives(ctx, found, t["family_author"])
    verdict = "supported" if n >= t["tens_of_thousands"] else "mixed" if n >= t["tens_of_thousands"] // 2 else "contradicted"
    return Finding(verdict, f"{n:,} Hub models derive from a {t['family_author']} base ({found}).",
                   {"derivatives": n}, [found], context=context)


def _openai(ctx: ev.Context, t: dict) -> Finding:
    releases = ev.organization_open_releases(ctx, t["organization"], t["after"])
    if releases:
        first = releases[0]
        verdict = "supported"
        line = (f"Yes: {len(releases)} OpenAI open-weights models after {t['after']}, first {first['model']} "
                f"on {first['date']} ({first['access']}).")
    else:
        verdict = "mixed"
        line = f"No OpenAI open-weights model after {t['after']} in the pinned snapshots."
    return Finding(verdict, line, {"releases": releases}, ctx.epoch_snapshots)


def _ai2(ctx: ev.Context, t: dict) -> Finding:
    yearly = ev.organization_open_years(ctx, t["organization"], t["years"])
    continuing = all(yearly[y] >= 1 for y in t["years"])
    openness = ev.fully_open_entries(ctx, t["osai_org"], t["fully_open_dimensions"])
    fully_open = len(openness["fully_open"]) >= 1
    quality = ev.eci_open_rank(ctx, t["organization"])
    excellent = quality["best_percentile"] is not None and quality["best_percentile"] >= t["excellent_percentile"]
    if continuing and fully_open and excellent:
        verdict = "supported"
    elif continuing and fully_open:
        verdict = "mixed"
    elif not continuing and not fully_open:
        verdict = "contradicted"
    else:
        verdict = "mixed"
    pct = quality["best_percentile"]
    line = (f"Ai2 open releases per year {yearly}; fully open (weights, data, code) in the Open Source AI Index: "
            f"{', '.join(openness['fully_open']) or 'none'}; best ECI among open models: "
            f"{quality['best_model'] or 'none scored'}"
            + (f" (above {pct:.0%} of open models)." if pct is not None else "."))
    return Finding(verdict, line, {"open_releases_by_year": yearly, **openness, **quality},
                   [*ctx.epoch_snapshots[:1], ctx.osai_snapshot, ctx.eci_snapshot])


def _builders(ctx: ev.Context, t: dict) -> Finding:
    head = ev.hub_downloads_by_origin(ctx)
    if head is None:
        return Finding("not testable", "No Hub download data is pinned.", {}, [], needs=t["needs"])
    china, us = head["shares"].get("China", 0.0), head["shares"].get("United States", 0.0)
    verdict = "mixed" if china > us else "contradicted"
    return Finding(
        verdict,
        f"In the Hub's most-downloaded head on {head['date']}, Chinese models had {china:.0%} of 30-day downloads "
        f"and US models {us:.0%}; who the downloaders are (American builders) is not observed.",
        head, head["sources"],
    )


# --- the ledger ----------------------------------------------------------------------------------

R1_NEEDS = ("a whole-Hub models table (source hf-hub-stats) or a Hub API capture sorted by likes, dated "
            "2025-01-20..2025-02-03 (the two weeks after DeepSeek-R1's release)")

CLAIMS: tuple[Claim, ...] = (
    Claim(
        "us-led-open-2016-2020",
        "Between 2016 and 2020, the U.S. was the global leader in open-source AI.",
        "Count open-weights models and the distinct organizations releasing them, 2016–2020, by the single country "
        "of the releasing organizations (Epoch AI, all models). The US leads when it has more of both than any "
        "other single country, pooled over the five years, and has the most open releases in most years.",
        {"start_year": 2016, "end_year": 2020, "min_years_led": 4},
        "supported: US first on releases and organizations pooled, and first in >= 4 of 5 years; "
        "mixed: US first on releases pooled only; contradicted: another country first pooled.",
        _us_led,
    ),
    Claim(
        "us-slipping",
        "Now, the U.S. is slipping in open-source AI.",
        "Four indicators of the US position against China: (1) the US open-weights share of its labelled models fell "
        "from 2023 to 2025 while China's did not; (2) the US share of all open-weights releases in 2025 is below its "
        "2016–2020 share (a count share, flagged); (3) the best open model on the Epoch Capabilities Index at the "
        "latest date is Chinese; (4) Chinese models out-download US models in the Hub's most-downloaded head at the "
        "latest capture. Indicator 1 is recomputed under every robustness variant.",
        {"supported_if_at_least": 3, "contradicted_if_at_most": 1, "min_indicators": 3,
         "share_years": [2023, 2025], "baseline_years": [2016, 2020], "latest_year": 2025},
        "supported: >= 3 of 4 indicators show slipping and no variant flips indicator 1; contradicted: <= 1 and no "
        "flip; mixed otherwise (names the variant that flips).",
        _us_slipping,
    ),
    Claim(
        "dozens-chinese-groups",
        "Dozens of Chinese research groups are now pushing the frontiers of open-source AI.",
        "Count distinct Chinese organizations (aliases merged) with at least one open-weights model in 2024–2025, and "
        "those with an open-weights model that Epoch lists as notable. 'Dozens' means at least 24.",
        {"years": [2024, 2025], "dozens": 24, "contradicted_below": 12},
        "supported: >= 24 with a notable open model; mixed: >= 24 with any open model but fewer notable; "
        "contradicted: fewer than 12 with any open model.",
        _dozens_chinese,
    ),
    Claim(
        "us-flagships-api-only",
        'US flagships "like GPT-4, Claude and Gemini" are accessible only through chatbots or APIs.',
        "Every Epoch model whose name starts with GPT-4, Claude or Gemini: none may carry an open-weights label, and "
        "at least 90% of those with a label are API or hosted access.",
        {"families": ["GPT-4", "Claude", "Gemini"], "min_api_or_hosted_share": 0.9},
        "supported: no open weights and >= 90% API/hosted; mixed: no open weights but more unreleased; "
        "contradicted: any open weights.",
        _flagships,
    ),
    Claim(
        "r1-most-liked",
        "DeepSeek-R1, within days, became the most-liked model of all time on Hugging Face.",
        "DeepSeek-R1 (released 2025-01-20) is ranked first by likes among all Hub models in a capture made within "
        "14 days of its release. Later captures are context only.",
        {"release_date": "2025-01-20", "window_days": 14, "needs": R1_NEEDS,
         "needs_sources": ["hf-hub-stats", "hf-hub-api"]},
        "supported: rank 1 by likes in a capture in the window; contradicted: lower rank; not testable: no capture.",
        _moment_claim("likes"),
    ),
    Claim(
        "r1-thousands-variants",
        "DeepSeek-R1 had thousands of variants created within days.",
        "At least 2,000 Hub models whose base-model chain leads to deepseek-ai/DeepSeek-R1 were created within 14 days "
        "of its release, counted in a whole-Hub snapshot. Capped derivative trees cannot count thousands.",
        {"release_date": "2025-01-20", "window_days": 14, "thousands": 2000,
         "needs": R1_NEEDS.replace("or a Hub API capture sorted by likes, ", ""),
         "needs_sources": ["hf-hub-stats"]},
        "supported: >= 2,000; mixed: 1,000–1,999; contradicted: fewer; not testable: no whole-Hub snapshot in window.",
        _moment_claim("derivatives"),
    ),
    Claim(
        "llama-tens-of-thousands",
        "Meta's open-weight Llama family has led to tens of thousands of variations on Hugging Face.",
        "In a whole-Hub snapshot, at least 20,000 models have a base-model chain leading to a meta-llama model.",
        {"tens_of_thousands": 20000, "family_author": "meta-llama",
         "family_roots": ["meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-7b-chat-hf",
                          "meta-llama/Llama-4-Scout-17B-16E"],
         "needs": "a whole-Hub models table with base models (source hf-hub-stats, any revision)",
         "needs_sources": ["hf-hub-stats"]},
        "supported: >= 20,000; mixed: 10,000–19,999; contradicted: fewer; not testable: no whole-Hub snapshot.",
        _llama,
    ),
    Claim(
        "openai-open-weights",
        "Even OpenAI has suggested it may release open weights soon.",
        "Did it? Look for OpenAI models with an open-weights label published after 2025-01-01 in Epoch's snapshots, "
        "and give the first one and its date.",
        {"organization": "OpenAI", "after": "2025-01-01"},
        "supported: at least one such release (named, dated); mixed: none yet (the suggestion stands untested).",
        _openai,
    ),
    Claim(
        "ai2-fully-open",
        "The Allen Institute for AI continues to publish excellent fully open models.",
        "Continues: Ai2 has an open-weights release in each of 2023, 2024 and 2025 (Epoch). Fully open: at least one "
        "Ai2 system graded open on base-model weights, training data and training code in the European Open Source "
        "AI Index. Excellent: its best model scores above at least half of the open-weights models with an Epoch "
        "Capabilities Index score.",
        {"organization": "Allen Institute for AI", "years": [2023, 2024, 2025], "osai_org": "Ai2",
         "fully_open_dimensions": ["weights_basemodel", "datasources_basemodel", "trainingcode"],
         "excellent_percentile": 0.5},
        "supported: all three; mixed: continuing and fully open, not excellent (or one of the first two missing); "
        "contradicted: neither continuing nor fully open.",
        _ai2,
    ),
    Claim(
        "builders-turn-to-chinese",
        'American builders turn to Chinese open models "as the best U.S. models are locked behind APIs".',
        "Chinese models take a larger share of 30-day downloads than US models among the Hub's most-downloaded "
        "models at the latest capture. Who downloads (American builders) and why are not observed, so the verdict "
        "is at most mixed.",
        {"needs": "Hub download records with downloader location (not published by the Hub)"},
        "mixed: Chinese share above the US share (the shift is visible, its American and causal parts are not); "
        "contradicted: US share at or above China's.",
        _builders,
    ),
)


def claim_ids() -> list[str]:
    return [c.id for c in CLAIMS]


def evaluate(ids: list[str] | None = None, ctx: ev.Context | None = None) -> list[dict]:
    """The ledger: one dict per claim with id, claim, test, thresholds, rule, verdict, evidence, sources."""
    wanted = ids or claim_ids()
    unknown = sorted(set(wanted) - set(claim_ids()))
    if unknown:
        raise UsageError(f"Unknown claim id(s) {', '.join(unknown)}. Known: {', '.join(claim_ids())}.")
    ctx = ctx or ev.Context()
    ledger = []
    for claim in CLAIMS:
        if claim.id not in wanted:
            continue
        found = claim.evaluate(ctx, claim.thresholds)
        ledger.append({
            "id": claim.id, "claim": claim.statement, "test": claim.test,
            "thresholds": {k: v for k, v in claim.thresholds.items() if k not in ("needs", "needs_sources")},
            "rule": claim.rule, "verdict": found.verdict, "summary": found.summary,
            "evidence": ev.plain(found.evidence), "sources": found.sources, "needs": found.needs,
            "context": ev.plain(found.context), "parameters": ctx.parameters(),
        })
    return ledger


def to_json(ledger: list[dict]) -> str:
    """Deterministic JSON (sorted keys, two-space indent, trailing newline)."""
    return json.dumps(ledger, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def to_markdown(ledger: list[dict]) -> str:
    """The ledger as a Markdown table: id, verdict, one line of evidence."""
    lines = ["| claim | verdict | evidence |", "|---|---|---|"]
    for item in ledger:
        evidence = item["summary"].replace("|", "\\|")
        if item["needs"]:
            evidence += f" Would decide it: {item['needs']}."
        lines.append(f"| `{item['id']}` | **{item['verdict']}** | {evidence} |")
    return "\n".join(lines) + "\n"


def to_text(ledger: list[dict]) -> str:
    """Plain text for the terminal: one block per claim."""
    blocks = []
    for item in ledger:
        block = [f"{item['id']}: {item['verdict'].upper()}", f"  claim:    {item['claim']}",
                 f"  evidence: {item['summary']}"]
        if item["needs"]:
            block.append(f"  needs:    {item['needs']}")
        block.append(f"  sources:  {', '.join(item['sources']) or '-'}")
        blocks.append("\n".join(block))
    return "\n\n".join(blocks) + "\n"
