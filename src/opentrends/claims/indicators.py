"""The indicators of the trend claims: change indicators that vote, levels shown as context, and their summaries.

The trend claims are `us-slipping` and `builders-turn-to-chinese`.

Each indicator is a dict with `kind` (`change` or `level`), `holds` (True / False / None when it cannot be
measured), `says` (one line with its numbers and interval, units explicit), `origin_rule` and `sources`.
Change indicators come from `change.py`; `change.combine` turns them into a verdict.
"""

from __future__ import annotations

from opentrends.claims import change, hub_time
from opentrends.claims.evidence import Context, best_open_by_origin, eci_models
from opentrends.core import text


def _downloads_level(hub: dict | None) -> dict:
    """Chinese vs US share of 30-day downloads of tracked open LLMs in the Hub head at one capture (a level)."""
    if hub is None:
        return change.level("no Hub head capture in the period seen", [])
    china, us = hub["shares"].get("China", 0.0), hub["shares"].get("United States", 0.0)
    return change.level(
        f"tracked open LLMs in the Hub head: {text.pct(china)} of 30-day downloads Chinese, {text.pct(us)} US on "
        f"{hub['date']} (one day: a level, not a change)",
        hub["sources"],
        shares=hub["shares"],
        date=hub["date"],
    )


def slipping_indicators(ctx: Context, t: dict) -> dict:
    """us-slipping: three change indicators (open-share trend, US share of open releases, open ECI trend) that
    vote, and two levels (best open ECI by origin at the end, Hub downloads) as context."""
    from opentrends.claims import arena_evidence
    from opentrends.claims.hub_evidence import hub_downloads_by_origin

    out = change.slipping(ctx, t)
    out["arena_best_open_difference_trend"] = arena_evidence.indicator(ctx)
    best = best_open_by_origin(ctx)["best_by_origin"]
    china, us = best.get("China", {}), best.get("United States", {})
    out["best_open_eci_level"] = change.level(
        f"best open ECI to {ctx.end}: China {china.get('model')} ({china.get('best_eci')}), United States "
        f"{us.get('model')} ({us.get('best_eci')})",
        [ctx.eci_snapshot],
        best_by_origin=best,
        origin_rule=change.ORIGIN_ECI,
    )
    out["hub_downloads_level"] = _downloads_level(hub_downloads_by_origin(ctx))
    return out


def builders_indicators(ctx: Context, t: dict) -> dict:
    """builders-turn-to-chinese: change indicators of what builders build on (catalogue; Hub over time) that vote,
    and levels (best open model's origin, the premise that the best US models are closed, Hub downloads)."""
    from opentrends.claims.hub_evidence import hub_downloads_by_origin

    out = {
        "catalogue_finetunes_on_chinese_bases": change.builders_catalogue(ctx, t),
        "catalogue_us_builders_on_chinese_bases": change.builders_catalogue_us(ctx, t),
        **hub_time.builders_indicators(ctx, t),
    }
    best = best_open_by_origin(ctx)
    models = eci_models(ctx)
    us = models[models["origin"] == "United States"].sort_values(["eci", "date"], ascending=[False, True])
    us_open = us[us["access_class"] == "open"]
    out["best_open_model_level"] = change.level(
        f"best open model on the ECI to {ctx.end}: {best['model']} ({best['leader']}, since {best['since']})",
        [ctx.eci_snapshot],
        leader=best["leader"],
        origin_rule=change.ORIGIN_ECI,
    )
    if len(us) and len(us_open):
        top, top_open = us.iloc[0], us_open.iloc[0]
        out["premise_best_us_closed"] = change.level(
            f"premise: best US model {top['model']} ({float(top['eci']):.1f}, {top['access_class']}), best US open "
            f"model {top_open['model']} ({float(top_open['eci']):.1f})",
            [ctx.eci_snapshot],
            best_us_access=top["access_class"],
            points_behind=round(float(top["eci"]) - float(top_open["eci"]), 1),
        )
    out["hub_downloads_level"] = _downloads_level(hub_downloads_by_origin(ctx))
    return out


def summary(votes: dict, result: dict, what: str) -> str:
    """One line: how many change indicators hold (robustly), each with its estimate and interval."""
    parts = []
    for name, item in votes.items():
        mark = "holds" if item["holds"] else "against" if item["against"] else "no clear change"
        if item["holds"] is None:
            mark = "not measured"
        robust = "" if item["holds"] is None else ", robust" if item["robust"] else ", not robust"
        differ = [f"{v} {item['variants'][v]}" for v in item.get("reversed_by", [])]
        reversed_by = f"; differs under {', '.join(differ)}" if differ else ""
        parts.append(f"{name} [{mark}{robust}{reversed_by}]: {item['says']}")
    head = (
        f"{len(result['holds'])} of {result['measured']} measured change indicators {what} (95% interval excludes "
        f"no change), {len(result['robust'])} under every variant"
    )
    return head + ". " + "; ".join(parts) + "."


def what_would_change(votes: dict, result: dict, t: dict) -> str:
    """The one line of the ledger saying what would change a trend claim's verdict."""
    flat = [k for k, v in votes.items() if v["holds"] is False and not v["against"]]
    fragile = [k for k, v in votes.items() if v["holds"] and not v["robust"]]
    unmeasured = [k for k, v in votes.items() if v["holds"] is None]
    bits = []
    if flat:
        bits.append(f"an interval of {', '.join(flat)} excluding no change")
    if fragile:
        bits.append(f"{', '.join(fragile)} holding under every variant")
    if unmeasured:
        bits.append(f"data for {', '.join(unmeasured)}")
    if result["against"]:
        bits.append(f"{', '.join(result['against'])} no longer pointing the other way")
    need = t["supported_if_at_least"]
    return (
        f"Supported needs {need if need != 'all' else 'every measured'} change indicator(s) holding under every "
        f"variant and none against; " + ("; ".join(bits) or "a reversal of a holding indicator") + " would move it."
    )
