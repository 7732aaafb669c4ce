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

import json
from collections.abc import Callable
from dataclasses import dataclass

from opentrends.claims import evidence as ev
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
        "Four indicators of the US position against China, each a change where the data allow: (1) the "
        "China-minus-US gap in open-weights share (of labelled models) widened from 2023 to 2025; (2) the US share of "
        "all open-weights releases fell from 2016–2020 to 2025 (a count share, flagged as such); (3) the China-minus-US "
        "gap between the best open models on the Epoch Capabilities Index widened from the end of 2023 to the latest "
        "date; (4) Chinese open language models out-download US ones in the Hub's most-downloaded head at the latest "
        "capture (a level: the pinned captures span 16 days). Each indicator is recomputed under its reasonable "
        "variants: (1) under the ten robustness variants of notebook 06, (3) on the earlier ECI snapshot, (4) over the "
        "whole head and with Sentence Transformers labelled by its maintainer.",
        {
            "supported_if_at_least": 3,
            "contradicted_if_at_most": 1,
            "min_indicators": 3,
            "share_years": [2023, 2025],
            "baseline_years": [2016, 2020],
            "latest_year": 2025,
        },
        "An indicator is robust when every one of its variants agrees with it. supported: >= 3 indicators show "
        "slipping robustly; contradicted: <= 1 shows slipping under the default or any variant; mixed otherwise. "
        "The evidence names every variant that reverses an indicator.",
        rules.us_slipping,
    ),
    Claim(
        "dozens-chinese-groups",
        "Dozens of Chinese research groups are now pushing the frontiers of open-source AI.",
        "Count distinct Chinese organizations (aliases merged) with at least one open-weights model in 2024–2025, and "
        "those with an open-weights model that Epoch lists as notable. 'Dozens' means at least 24.",
        {"years": [2024, 2025], "dozens": 24, "contradicted_below": 12},
        "supported: >= 24 with a notable open model; mixed: >= 24 with any open model but fewer notable; "
        "contradicted: fewer than 12 with any open model.",
        rules.dozens_chinese,
    ),
    Claim(
        "us-flagships-api-only",
        'US flagships "like GPT-4, Claude and Gemini" are accessible only through chatbots or APIs.',
        "Every Epoch model whose name starts with GPT-4, Claude or Gemini: none may carry an open-weights label, and "
        "at least 90% of those with a label are API or hosted access.",
        {"families": ["GPT-4", "Claude", "Gemini"], "min_api_or_hosted_share": 0.9},
        "supported: no open weights and >= 90% API/hosted; mixed: no open weights but more unreleased; "
        "contradicted: any open weights.",
        rules.flagships,
    ),
    Claim(
        "r1-most-liked",
        "DeepSeek-R1, within days, became the most-liked model of all time on Hugging Face.",
        "DeepSeek-R1 (released 2025-01-20) is ranked first by likes among all Hub models in a whole-Hub snapshot "
        "taken within 14 days of its release. Later captures are context only.",
        {"release_date": "2025-01-20", "window_days": 14, "needs": R1_NEEDS, "needs_sources": ["hf-hub-stats"]},
        "supported: rank 1 by likes in a capture in the window; contradicted: lower rank; not testable: no capture.",
        rules.moment_claim("likes"),
    ),
    Claim(
        "r1-thousands-variants",
        "DeepSeek-R1 had thousands of variants created within days.",
        "At least 2,000 Hub models whose base-model chain leads to deepseek-ai/DeepSeek-R1 were created within 14 days "
        "of its release, counted in a whole-Hub snapshot. Capped derivative trees cannot count thousands.",
        {
            "release_date": "2025-01-20",
            "window_days": 14,
            "thousands": 2000,
            "needs": R1_NEEDS,
            "needs_sources": ["hf-hub-stats"],
        },
        "supported: >= 2,000; mixed: 1,000–1,999; contradicted: fewer; not testable: no whole-Hub snapshot in window.",
        rules.moment_claim("derivatives"),
    ),
    Claim(
        "llama-tens-of-thousands",
        "Meta's open-weight Llama family has led to tens of thousands of variations on Hugging Face.",
        "In a whole-Hub snapshot, at least 20,000 models have a base-model chain leading to a meta-llama model.",
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
        "supported: >= 20,000; mixed: 10,000–19,999; contradicted: fewer; not testable: no whole-Hub snapshot.",
        rules.llama,
    ),
    Claim(
        "openai-open-weights",
        "Even OpenAI has suggested it may release open weights soon.",
        "Did it? Look for OpenAI models with an open-weights label published after 2025-01-01 in Epoch's snapshots, "
        "and give the first one and its date.",
        {"organization": "OpenAI", "after": "2025-01-01"},
        "supported: at least one such release (named, dated); mixed: none yet (the suggestion stands untested).",
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
        },
        "supported: all three; mixed: continuing and fully open but not excellent, or excellence not measurable "
        "(no Ai2 model with an ECI score), or only one of the first two; contradicted: neither continuing nor fully "
        "open.",
        rules.ai2,
    ),
    Claim(
        "builders-turn-to-chinese",
        'American builders turn to Chinese open models "as the best U.S. models are locked behind APIs".',
        "Three indicators of what builders can choose and choose: (1) Chinese open language models take a larger "
        "share of 30-day downloads than US ones among the open LLMs the ATOM Project tracks in the Hub's "
        "most-downloaded head at the latest capture; (2) the best open model on the Epoch Capabilities Index is "
        "Chinese; (3) the best US model on the ECI is closed and ahead of the best US open model (the premise "
        "'locked behind APIs'). Variants: (1) over the whole head (every model kind) and with Sentence Transformers "
        "labelled by its maintainer; (2) on the earlier ECI snapshot. Who downloads (American builders) and why are "
        "not observed: the test reads builders' choices worldwide.",
        {
            "supported_if_at_least": 3,
            "contradicted_if_at_most": 1,
            "min_indicators": 2,
            "needs": "Hub download records with the downloader's location (the Hub publishes none), to test the "
            "'American' part",
        },
        "An indicator is robust when every one of its variants agrees with it. supported: all 3 hold robustly; "
        "contradicted: <= 1 holds under the default or any variant; mixed otherwise, naming the variants that "
        "reverse an indicator.",
        rules.builders,
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
        ledger.append(
            {
                "id": claim.id,
                "claim": claim.statement,
                "test": claim.test,
                "thresholds": {k: v for k, v in claim.thresholds.items() if k not in ("needs", "needs_sources")},
                "rule": claim.rule,
                "verdict": found.verdict,
                "summary": found.summary,
                "evidence": ev.plain(found.evidence),
                "sources": found.sources,
                "needs": found.needs,
                "context": ev.plain(found.context),
                "parameters": ctx.parameters(),
            }
        )
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
        block = [
            f"{item['id']}: {item['verdict'].upper()}",
            f"  claim:    {item['claim']}",
            f"  evidence: {item['summary']}",
        ]
        if item["needs"]:
            block.append(f"  needs:    {item['needs']}")
        block.append(f"  sources:  {', '.join(item['sources']) or '-'}")
        blocks.append("\n".join(block))
    return "\n\n".join(blocks) + "\n"
