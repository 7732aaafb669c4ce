"""Hub-over-time evidence for the claims (derivative growth to 2025-02-18, daily trending 2025-11 → 2026-08).

The loaders come from the Hub-over-time work (issue 17). Until they are present every indicator here is
unmeasured and says "not testable: Hub-over-time data not loaded", so the claims keep a clear path.
"""

from __future__ import annotations

from opentrends.claims.evidence import Context

MISSING = "not testable: Hub-over-time data not loaded"


def loaded() -> bool:
    """Whether the Hub-over-time loaders are installed in this checkout."""
    import importlib.util

    return importlib.util.find_spec("opentrends.catalog.loaders.hf_growth") is not None


def _unmeasured(says: str) -> dict:
    return {"kind": "change", "holds": None, "against": False, "says": f"{says}: {MISSING}", "variants": {},
            "robust": False, "sources": []}  # fmt: skip


def builders_indicators(ctx: Context, t: dict) -> dict:
    """The two Hub-over-time change indicators of `builders-turn-to-chinese`."""
    return {
        "hub_new_finetunes_chinese_share": _unmeasured(
            "Chinese share of new Hub fine-tunes, first vs last six months to 2025-02-18 (both variants)"
        ),
        "hub_trending_maker_share": _unmeasured(
            "Chinese maker-origin share of the Hub's trending slots, first vs last two months"
        ),
    }
