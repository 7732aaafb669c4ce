"""The claims under test, as data: each op-ed statement, its operational test, thresholds and verdict rule.

A claim's test and thresholds were written before its data was read; the verdict is computed by
the claim's evaluator from the evidence, never typed by hand, and is exactly one of `VERDICTS`.
A claim whose deciding data is in no pinned snapshot is `not testable` (one whose data exist but show no change
either way is `inconclusive`; a multi-part claim whose measured parts are all supported while a part is
unmeasured is `partly supported`) and names the data that
would decide it; the evaluators look for that data in the registry, so registering it (for
example a whole-Hub snapshot dated in the week after a release) makes the claim testable with no
code change. Claims about a moment are tested at that moment; later data is context, not verdict.

Every claim gets two verdicts: `verdict`, from records dated before the op-ed (`AS_OF`, 2025-08-01: after the US AI
Action Plan of 2025-07-23, before gpt-oss on 2025-08-05), read from catalogues downloaded later (so later
back-filling can still move them), and `since_verdict`, from everything pinned now; each has its own evidence.

Evidence is plain data (numbers, snapshot refs, parameters) so `opentrends claims --format json`
can publish it and `opentrends review` can compare it with the committed ledger.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from opentrends.claims import evidence as ev
from opentrends.claims import method_claims, windows
from opentrends.claims import verdicts as rules
from opentrends.claims.verdicts import VERDICTS, Finding
from opentrends.core.errors import UsageError

__all__ = ["CLAIMS", "VERDICTS", "Claim", "Finding", "claim_ids", "evaluate", "to_json", "to_markdown", "to_text"]


@dataclass(frozen=True)
class Claim:
    """One statement of the op-ed and how it is tested."""

    id: str
    statement: str
    test: str
    thresholds: dict
    rule: str
    evaluate: Callable[[ev.Context, dict], Finding]


# --- the ledger ----------------------------------------------------------------------------------

R1_NEEDS = (
    "a whole-Hub models table (source hf-hub-stats) dated 2025-01-20..2025-02-03, the two weeks after "
    "DeepSeek-R1's release: `opentrends update hf-hub-stats --revision <sha of a hub-stats commit of those days>` "
    "on a machine with network"
)

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
        rules.us_led,
    ),
    Claim(
        "us-slipping",
        "Now, the U.S. is slipping in open-source AI.",
        "A trend, so tested as change across every year since the end of the 2016–2020 lead (dates as decimal "
        "years, so a partial year enters with its months): (1) China's open-weights odds against the US's (logistic "
        "regression open ~ year × origin on labelled models; the interaction); (2) the US share of all open-weights "
        "releases (logistic regression on year; a count share that also follows Epoch's cataloguing); (3) Chinese "
        "against US open models' ECI scores since 2023 (least squares eci ~ year × origin; the "
        "interaction). Errors are clustered by organization (an organization's releases are not independent); the "
        "naive interval is shown beside it. An indicator holds when its clustered 95% interval excludes no change "
        "in the slipping direction. "
        "(4) China's best open Chatbot Arena score minus the US's per leaderboard version (models credited to their "
        "maker, licence labels audited as in notebook 08), change per year, its interval from notebook 08's "
        "bootstrap of whole weeks and of whole model pairs (the wider votes); as of the op-ed the versions before "
        "2025-08-01, since all. "
        "Variants: (1) and (2) under notebook 06's ten variants, (3) on the earlier ECI snapshot, (4) the Arena's "
        "organization view. Levels (best open "
        "ECI by origin at the end, Hub downloads on one day) are context and do not vote.",
        {
            "supported_if_at_least": 2,
            "min_indicators": 2,
            "trend_from_year": int(windows.start("open_share_trend")[:4]),
            "eci_from": windows.start("open_eci_trend"),
        },
        "supported: >= 2 change indicators hold under the default and every variant, none points the other way; "
        "contradicted: some point the other way and none holds; inconclusive: every interval includes no change; "
        "not testable: < 2 measured; mixed otherwise.",
        rules.us_slipping,
    ),
    Claim(
        "dozens-chinese-groups",
        "Dozens of Chinese research groups are now pushing the frontiers of open-source AI.",
        "Counted by capability: Chinese organizations with an open model released in 2024–2025 that scored within "
        "10 ECI points of the best open score at its release, and Chinese Hub organizations with a model among the "
        "open models the ATOM Project tracks. 'Dozens' means at least 24. The ECI scores few open models, so its "
        "count is a floor; organizations releasing any open model (Epoch) are context.",
        {
            "years": [2024, 2025],
            "dozens": 24,
            "contradicted_below": 12,
            "near_points": 10,
            "needs": "a dated list of the open-model organizations ATOM tracked before the cutoff (the ATOM Project "
            "repository at a commit of that time), or ECI scores for more open models",
        },
        "supported: >= 24 on either count; contradicted: fewer than 12 in ATOM's tracked list; mixed: 12–23 there; "
        "not testable: only the ECI floor can be read and it is below 24.",
        rules.dozens_chinese,
    ),
    Claim(
        "us-flagships-api-only",
        'US flagships "like GPT-4, Claude and Gemini" are accessible only through chatbots or APIs.',
        "Every Epoch model whose name starts with GPT-4, Claude or Gemini: does any carry an open-weights label? "
        "The mix of API, hosted and unreleased is context.",
        {"families": ["GPT-4", "Claude", "Gemini"]},
        "supported: no open weights, every family with a labelled model; mixed: no open weights but a family without "
        "any labelled model; contradicted: any open weights; not testable: no model of these families.",
        rules.flagships,
    ),
    Claim(
        "r1-most-liked",
        "DeepSeek-R1, within days, became the most-liked model of all time on Hugging Face.",
        "DeepSeek-R1 (released 2025-01-20) is ranked first by likes among all Hub models in a whole-Hub snapshot "
        "taken within 14 days of its release. Later captures are context only.",
        {
            "release_date": "2025-01-20",
            "window_days": 14,
            "needs": R1_NEEDS,
            "needs_sources": ["hf-hub-stats"],
            "known": "A public post of 2025-01-28 placed DeepSeek-R1 in the Hub's top ten by likes (not pinned, so "
            "not evidence here).",
        },
        "supported: rank 1 by likes in a capture in the window; contradicted: lower rank; not testable: no capture.",
        rules.moment_claim("likes"),
    ),
    Claim(
        "r1-thousands-variants",
        "DeepSeek-R1 had thousands of variants created within days.",
        "At least 2,000 Hub models whose base-model chain leads to deepseek-ai/DeepSeek-R1 created within 14 days of "
        "its release, counted in a whole-Hub snapshot. Without one, the Hub-over-time growth data decide: models the "
        "authors associated with DeepSeek-R1 alone, and with the R1 family (R1, R1-Zero, the distills), by 2025-02-18 "
        "(method not published; 29 days: the monthly counts cannot resolve 14 days). The verdict rests wholly on "
        "that source. Capped derivative trees cannot count "
        "thousands.",
        {
            "release_date": "2025-01-20",
            "window_days": 14,
            "thousands": 2000,
            "needs": R1_NEEDS,
            "needs_sources": ["hf-hub-stats"],
        },
        "supported: >= 2,000 (R1 alone); mixed: R1 alone 1,000–1,999 or only the R1 family >= 2,000; contradicted: "
        "fewer; not testable: neither a whole-Hub snapshot in the window nor the growth data.",
        rules.moment_claim("derivatives"),
    ),
    Claim(
        "llama-tens-of-thousands",
        "Meta's open-weight Llama family has led to tens of thousands of variations on Hugging Face.",
        "In a whole-Hub snapshot, at least 20,000 models have a base-model chain leading to a meta-llama model; "
        "without one, the Hub-over-time growth data: models the authors associated with each meta-llama/* base "
        "model (method not published), summed at 2025-02-18 (a model naming two Llama bases counts twice). The "
        "verdict rests wholly on that source.",
        {
            "tens_of_thousands": 20000,
            "family_author": "meta-llama",
            "family_roots": [
                "meta-llama/Llama-2-7b",
                "meta-llama/Llama-2-7b-chat-hf",
                "meta-llama/Llama-4-Scout-17B-16E",
            ],
            "needs": "a whole-Hub models table with base models (source hf-hub-stats, any revision)",
            "needs_sources": ["hf-hub-stats"],
        },
        "supported: >= 20,000; mixed: 10,000–19,999; contradicted: fewer; not testable: neither a whole-Hub snapshot "
        "nor the growth data.",
        rules.llama,
    ),
    Claim(
        "openai-open-weights",
        "Even OpenAI has suggested it may release open weights soon.",
        "A forecast: as of the op-ed, had OpenAI publicly suggested an open-weights release (recorded, dated "
        "statements)? Since: was it fulfilled (an OpenAI open-weights model in Epoch after the statement)?",
        {
            "organization": "OpenAI",
            "after": "2025-01-01",
            "statements": [
                {
                    "date": "2025-03-31",
                    "kind": "suggested",
                    "summary": "OpenAI announced it planned to release an open-weight language model with reasoning "
                    "in the coming months and asked developers for feedback",
                    "url": "https://openai.com/open-model-feedback/",
                }
            ],
        },
        "as of: supported when a recorded statement before the cutoff suggests it, contradicted when one withdraws it, "
        "not testable when none is recorded; since: supported when fulfilled, inconclusive when still pending.",
        rules.openai,
    ),
    Claim(
        "ai2-fully-open",
        "The Allen Institute for AI continues to publish excellent fully open models.",
        "Continues: Ai2 has an open-weights release in each of 2023, 2024 and 2025 (Epoch). Fully open: at least one "
        "Ai2 system graded open on base-model weights, training data and training code in the European Open Source "
        "AI Index. Excellent: its best model scores above at least half of the open-weights models with an Epoch "
        "Capabilities Index score.",
        {
            "organization": "Allen Institute for AI",
            "years": [2023, 2024, 2025],
            "osai_org": "Ai2",
            "fully_open_dimensions": ["weights_basemodel", "datasources_basemodel", "trainingcode"],
            "excellent_percentile": 0.5,
            "needs_by_part": {
                "continues": "Epoch AI's models of those years",
                "fully_open": "an edition of the European Open Source AI Index from before the cutoff (its "
                "repository at a commit of that time): entries are re-dated when a system is updated",
                "excellent": "a pinned benchmark score (ECI) for an Olmo model, to judge 'excellent'",
            },
        },
        "Each part is supported, contradicted or not testable. supported: every part measured and supported; partly "
        "supported: every measured part supported and some part unmeasured (named, never counted against); "
        "contradicted: every measured part contradicted; mixed: measured parts disagree; not testable: no part "
        "measured.",
        rules.ai2,
    ),
    Claim(
        "builders-turn-to-chinese",
        'American builders turn to Chinese open models "as the best U.S. models are locked behind APIs".',
        "A turn is a change, so only change indicators of what builders build on vote: (1) the share of "
        "Epoch-catalogued models built on an open base whose base is Chinese, change per year since 2020 (logistic; "
        "variants: builders other than the base's maker, US builders only; errors clustered by organization); (2) the "
        "Chinese share of new Hub models the growth data's authors associated with 17 organizations' bases (method not "
        "published; bases created from 2022-03), 2023-H2 vs 2024-H2 (variants without the two most fine-tuned bases and without generic-name bases; leave-one-organization-out "
        "in its evidence; "
        "cluster bootstrap by base and by organization); (3) the Chinese maker-origin share of the Hub's trending "
        "slots, 2025-12..2026-01 vs 2026-06..2026-07 (cluster bootstrap by model and by week); (4) American builders on "
        "Chinese foundations, both ways the data allow: of catalogued models by US builders on an open base, the "
        "share on a Chinese base, change per year (logistic, errors clustered by organization), and of the trending "
        "slots of US-uploaded models built on another maker's model, the share on a Chinese maker's model, same "
        "windows (fine-tunes and LoRAs vs repackagings and quantizations as variants). Windows are registered once in "
        "claims/windows.py. "
        "Levels (the best open model's origin, the premise that the best US model is closed, Hub downloads on one "
        "day) are context. Who downloads is not observed; who uploads and who builds is.",
        {
            "supported_if_at_least": "all",
            "min_indicators": 1,
            "trend_from_year": int(windows.start("catalogue_finetunes_on_chinese_bases")[:4]),
            "hub_window": windows.pair("hub_new_finetunes_chinese_share"),
            "trending_window": windows.pair("hub_trending_maker_share"),
            "us_on_chinese_window": windows.pair("hub_trending_us_on_chinese"),
            "needs": "a longer dated series of what US builders upload and build on (a trending archive reaching "
            "before the op-ed, or a dated whole-Hub models table with uploader locations)",
        },
        "supported: every measured change indicator holds under the default and every variant, none against; "
        "contradicted: some point the other way and none holds; inconclusive: every measured interval includes no "
        "change; not testable: none measured; mixed otherwise.",
        rules.builders,
    ),
    *(Claim(**spec) for spec in method_claims.SPECS),
)


AS_OF = "2025-08-01"
AS_OF_NOTE = (
    "As of 2025-08-01: only releases, scores, index entries and Hub records dated before that day count, read from "
    "catalogues downloaded later (Epoch 2026, ECI 2026, the Open Source AI Index 2026), so later back-filling can "
    "still move them."
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
        then = claim.evaluate(ctx.at(ctx.as_of), claim.thresholds)
        now = claim.evaluate(ctx.at(None), claim.thresholds)
        changes = then.changes if then.changes == now.changes else f"As of: {then.changes} Since: {now.changes}"
        ledger.append(
            {
                "id": claim.id,
                "claim": claim.statement,
                "test": claim.test,
                "thresholds": {
                    k: v for k, v in claim.thresholds.items() if k not in ("needs", "needs_sources", "needs_by_part")
                },
                "rule": claim.rule,
                "as_of": ctx.as_of,
                "verdict": then.verdict,
                "summary": then.summary,
                "evidence": ev.plain(then.evidence),
                "sources": then.sources,
                "needs": then.needs,
                "context": ev.plain(then.context),
                "since_verdict": now.verdict,
                "since_summary": now.summary,
                "since_evidence": ev.plain(now.evidence),
                "since_sources": now.sources,
                "since_needs": now.needs,
                "since_context": ev.plain(now.context),
                "what_would_change": changes,
                "parameters": ctx.parameters(),
            }
        )
    return ledger


def to_json(ledger: list[dict]) -> str:
    """Deterministic JSON (sorted keys, two-space indent, trailing newline)."""
    return json.dumps(ledger, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def to_markdown(ledger: list[dict]) -> str:
    """The ledger in Markdown: a table of both verdicts, then per claim its evidence and what would change it."""
    as_of = ledger[0]["as_of"] if ledger else AS_OF
    lines = [f"| claim | as of {as_of} | since (pinned now) |", "|---|---|---|"]
    lines += [f"| `{i['id']}` | **{i['verdict']}** | **{i['since_verdict']}** |" for i in ledger]
    lines += ["", AS_OF_NOTE]
    for item in ledger:
        lines += ["", f"### `{item['id']}`", "", f"- As of {as_of}: **{item['verdict']}**. {_cell(item['summary'])}"]
        if item["needs"]:
            lines.append(f"  Would decide it: {_cell(item['needs'])}")
        lines.append(f"- Since: **{item['since_verdict']}**. {_cell(item['since_summary'])}")
        if item["since_needs"]:
            lines.append(f"  Would decide it: {_cell(item['since_needs'])}")
        lines.append(f"- What would change this verdict: {_cell(item['what_would_change'])}")
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    return value.replace("|", "\\|").rstrip(".") + "." if value else ""


def to_text(ledger: list[dict]) -> str:
    """Plain text for the terminal: one block per claim, both verdicts."""
    blocks = []
    for item in ledger:
        block = [
            f"{item['id']}: as of {item['as_of']} {item['verdict'].upper()}; since {item['since_verdict'].upper()}",
            f"  claim:    {item['claim']}",
            f"  as of:    {item['summary']}",
            f"  since:    {item['since_summary']}",
        ]
        if item["needs"] or item["since_needs"]:
            block.append(f"  needs:    {item['since_needs'] or item['needs']}")
        block.append(f"  change:   {item['what_would_change']}")
        block.append(f"  sources:  {', '.join(dict.fromkeys(item['sources'] + item['since_sources'])) or '-'}")
        blocks.append("\n".join(block))
    return "\n\n".join(blocks) + "\n"


def headline(ledger: list[dict]) -> str:
    """One sentence: how many claims get each verdict as of the op-ed and since."""

    def tally(key: str) -> str:
        values = [item[key] for item in ledger]
        return ", ".join(f"{values.count(v)} {v}" for v in VERDICTS if values.count(v))

    as_of = ledger[0]["as_of"] if ledger else AS_OF
    return f"Of the {len(ledger)} claims, as of {as_of}: {tally('verdict')}; since, on everything pinned now: {tally('since_verdict')}."


def claim_thresholds(claim_id: str) -> dict:
    """The thresholds of one claim (for figures that draw them)."""
    return next(c.thresholds for c in CLAIMS if c.id == claim_id)


def indicator(ledger: list[dict], claim_id: str, name: str, since: bool = True) -> dict:
    """One change indicator of a trend claim from the evaluated ledger (the since evidence by default)."""
    item = next(i for i in ledger if i["id"] == claim_id)
    return item["since_evidence" if since else "evidence"]["indicators"][name]


def tests_and_rules(ledger: list[dict]) -> str:
    """Each claim's statement, test and rule, as written before the data was read (Markdown)."""
    return "\n\n".join(
        f"**`{item['id']}`** — {item['claim']}\n\n*Test.* {item['test']}\n\n*Rule.* {item['rule']}" for item in ledger
    )
