"""The indicators of the multi-indicator claims (`us-slipping`, `builders-turn-to-chinese`) and their variants.

Each indicator is a dict with `holds` (True / False / None when it cannot be measured), `says` (one line
with its numbers, units explicit) and `sources` (snapshot refs); each variant is `indicator:variant` ->
holds. `verdicts.combine` turns them into a verdict that must survive every variant.
"""

from __future__ import annotations

from opentrends.claims.evidence import (
    Context,
    best_open_by_origin,
    best_open_gap,
    difference_widened,
    eci_models,
    us_share_of_open_releases,
)
from opentrends.core import text


def slipping_indicators(ctx: Context, t: dict) -> dict:
    """The four indicators of claim `us-slipping`: each `holds` True/False (None when it cannot be measured)."""
    from opentrends.claims.hub_evidence import hub_downloads_by_origin

    first, last = t["share_years"]
    widened = difference_widened(ctx, [first, last]).set_index("variant").loc["default"]
    counts = us_share_of_open_releases(ctx, t["baseline_years"], t["latest_year"])
    eci_gap = best_open_gap(ctx, f"{first}-12-31")
    hub = hub_downloads_by_origin(ctx)
    return {
        "open_share_gap": {
            "holds": bool(widened["widened"]),
            "says": f"China-minus-US open share {text.pp(widened['difference_first'], signed=True)} in {first}, "
            f"{text.pp(widened['difference_last'], signed=True)} in {last}",
            "china_minus_us_first": float(widened["difference_first"]),
            "china_minus_us_last": float(widened["difference_last"]),
            "sources": [ctx.snapshot, ctx.notable_snapshot],
        },
        "us_share_of_open_releases": {
            "holds": counts["latest_share"] < counts["baseline_share"],
            "says": f"US share of open releases {text.pct(counts['baseline_share'])} in "
            f"{t['baseline_years'][0]}–{t['baseline_years'][-1]}, {text.pct(counts['latest_share'])} in "
            f"{t['latest_year']} (a count share)",
            **counts,
            "sources": [ctx.snapshot],
        },
        "best_open_model_gap": {
            "holds": eci_gap["widened"],
            "says": f"China-minus-US best open ECI {eci_gap['china_minus_us_at']:+.1f} points at the end of {first}, "
            f"{eci_gap['china_minus_us_latest']:+.1f} on {eci_gap['as_of']}",
            **eci_gap,
            "sources": [ctx.eci_snapshot],
        },
        "hub_downloads": _downloads_indicator(hub),
    }


def _downloads_indicator(hub: dict | None) -> dict:
    """Chinese open LLMs out-download US ones among those ATOM tracks in the Hub head (a level, not a change)."""
    if hub is None:
        return {"holds": None, "says": "no Hub data", "sources": []}
    china, us = hub["shares"].get("China", 0.0), hub["shares"].get("United States", 0.0)
    return {
        "holds": china > us,
        "says": f"tracked open LLMs in the Hub head: {text.pct(china)} of 30-day downloads Chinese, {text.pct(us)} "
        f"US on {hub['date']} (a level: 16 days of captures)",
        "date": hub["date"],
        "shares": hub["shares"],
        "sources": hub["sources"],
    }


def builders_indicators(ctx: Context, t: dict) -> dict:
    """The three indicators of claim `builders-turn-to-chinese`: each `holds` True/False (None: not measured)."""
    from opentrends.claims.hub_evidence import hub_downloads_by_origin

    hub = hub_downloads_by_origin(ctx)
    best = best_open_by_origin(ctx)
    models = eci_models(ctx)
    us = models[models["origin"] == "United States"].sort_values(["eci", "date"], ascending=[False, True])
    us_open = us[us["access_class"] == "open"]
    top, top_open = us.iloc[0], us_open.iloc[0]
    return {
        "open_llm_downloads": _downloads_indicator(hub),
        "best_open_model_chinese": {
            "holds": best["leader"] == "China",
            "says": f"best open model on the ECI: {best['model']} ({best['leader']}, since {best['since']})",
            **best,
            "sources": [ctx.eci_snapshot],
        },
        "best_us_models_closed": {
            "holds": top["access_class"] == "closed" and float(top["eci"]) > float(top_open["eci"]),
            "says": f"best US model {top['model']} ({float(top['eci']):.1f}, {top['access_class']}); best US open "
            f"model {top_open['model']} ({float(top_open['eci']):.1f})",
            "best_us_model": top["model"],
            "best_us_access": top["access_class"],
            "best_us_open_model": top_open["model"],
            "points_behind": round(float(top["eci"]) - float(top_open["eci"]), 1),
            "sources": [ctx.eci_snapshot],
        },
    }


def builders_variants(ctx: Context, t: dict) -> dict[str, bool]:
    """Reasonable variants of the builders indicators, as `indicator:variant` -> does it hold."""
    from opentrends.claims.hub_evidence import hub_variants

    out = {f"open_llm_downloads:{k}": v for k, v in hub_variants(ctx).items()}
    for ref in ctx.eci_variants:
        models = eci_models(ctx, ref)
        open_models = models[models["access_class"] == "open"].sort_values(["eci", "date"], ascending=[False, True])
        out[f"best_open_model_chinese:{ref}"] = bool(len(open_models)) and open_models.iloc[0]["origin"] == "China"
    return out


def slipping_variants(ctx: Context, t: dict) -> dict[str, bool]:
    """Each reasonable variant of a us-slipping indicator, as `indicator:variant` -> does the indicator hold."""
    from opentrends.claims.hub_evidence import hub_variants

    first, last = t["share_years"]
    out = {
        f"open_share_gap:{row.variant}": bool(row.widened)
        for row in difference_widened(ctx, [first, last]).itertuples()
        if row.variant != "default"
    }
    for ref in ctx.eci_variants:
        out[f"best_open_model_gap:{ref}"] = best_open_gap(ctx, f"{first}-12-31", ref)["widened"]
    out.update({f"hub_downloads:{k}": v for k, v in hub_variants(ctx).items()})
    return out
