"""Change indicators of the trend claims (`us-slipping`, `builders-turn-to-chinese`): slopes across every year.

Each indicator is typed `change` (a fitted slope over every dated row with its 95% interval; it `holds` only
when the interval excludes no change in the claimed direction, and is `against` when it excludes no change
the other way) or `level` (one moment; context, never a vote). Every change indicator is refitted under its
variants and is robust only when every variant holds too; an indicator without variants is never robust.
Each indicator states its origin rule. Rows are those the context sees (before its cutoff, if any).
"""

from __future__ import annotations

import pandas as pd

from opentrends.analysis import trends
from opentrends.claims.evidence import Context, eci_models

ORIGIN_CATALOGUE = (
    "exclusive origin: United States when every releasing organization is in the US, China when every one is in "
    "China (mainland); models of several countries count for neither (the 'any' rule is a variant)"
)
ORIGIN_ECI = (
    "ECI Country: United States when a US organization is among the developers and no Chinese one, China when a "
    "Chinese (incl. Hong Kong) one is and no US one"
)
ORIGIN_BASE = "the base model's exclusive origin in Epoch AI (United States or China; other bases left out)"
# Catalogue indicators: an organization's releases share its origin and its habits, so errors are clustered by
# the releasing organization (statsmodels cov_type="cluster"); the naive interval is kept beside it.
CLUSTER = "organization"


def _naive_direction(slope: trends.Slope) -> str | None:
    if slope.naive_low is None:
        return None
    return trends.Slope(slope.estimate, slope.naive_low, slope.naive_high, 0, 0, "", "", "").direction


def indicator(kind: str, slope: trends.Slope | None, claimed: str, says: str, **extra) -> dict:
    """A change indicator from its default fit: holds / against / unmeasured (None) with the fit's numbers. The
    vote follows the clustered interval; `naive_direction` says what rows-as-independent would have said."""
    if slope is None:
        return {"kind": kind, "holds": None, "against": False, "says": says, "variants": {}, "robust": False, **extra}
    opposite = trends.DOWN if claimed == trends.UP else trends.UP
    return {
        "clustering_unit": slope.unit,
        "n_clusters": slope.n_clusters,
        "interval_naive": [slope.naive_low, slope.naive_high],
        "interval_clustered": [slope.ci_low, slope.ci_high],
        "naive_direction": _naive_direction(slope),
        "kind": kind,
        "holds": slope.direction == claimed,
        "against": slope.direction == opposite,
        "claimed_direction": claimed,
        "fit": slope.as_dict(),
        "says": f"{says}: {slope.describe()}",
        "variants": {},
        "robust": False,
        **extra,
    }


def with_variants(item: dict, variants: dict[str, trends.Slope | None]) -> dict:
    """Attach each variant's direction; `reversed_by` names the variants whose direction differs from the default's;
    robust when the default holds and every (measured) variant agrees."""
    directions = {name: (s.direction if s is not None else "not measured") for name, s in variants.items()}
    fits = {name: s.as_dict() for name, s in variants.items() if s is not None}
    measured = [d for d in directions.values() if d != "not measured"]
    default = item.get("fit", {}).get("direction")
    reversed_by = [name for name, d in directions.items() if d not in (default, "not measured")]
    robust = bool(item["holds"]) and bool(measured) and not reversed_by
    return {**item, "variants": directions, "variant_fits": fits, "reversed_by": reversed_by, "robust": robust}


def level(says: str, sources: list[str], **extra) -> dict:
    """A level indicator (one moment): shown as context, never counted for a trend claim."""
    return {"kind": "level", "holds": None, "against": False, "says": says, "sources": sources, **extra}


# --- us-slipping ------------------------------------------------------------------------------------


def _variant_rows(ctx: Context, first_year: int) -> dict[str, pd.DataFrame]:
    """notebook 06's variant rows from `first_year` to the last year the context sees, cut at the cutoff."""
    from opentrends.analysis import robustness
    from opentrends.catalog import selection as catalog

    last_year = int(ctx.end[:4])

    def make():
        catalogs = {
            "default": catalog.load_epoch(ctx.snapshot, "all"),
            "notable": catalog.load_epoch(ctx.snapshot, "notable"),
            "notable_newest": catalog.load_epoch(ctx.notable_snapshot, "notable"),
            "hong_kong_macao_as_china": catalog.load_epoch(ctx.snapshot, "all", hong_kong_macao_as_china=True),
        }
        last = min(last_year, *(int(catalog.coverage(c).last[:4]) for c in catalogs.values()))
        rows = robustness.variant_rows(catalogs, first_year, last)
        return {name: frame[ctx.before_cutoff(frame["date"])] for name, frame in rows.items()}

    return ctx.cached(("variant_rows", first_year), make)


def _open_share(rows: pd.DataFrame) -> trends.Slope | None:
    known = rows[rows["is_open"].notna()]
    return trends.logistic_interaction(
        known.assign(open=known["is_open"].astype(bool)), "open", "origin", "China", "United States", CLUSTER
    )


def _us_share(rows: pd.DataFrame) -> trends.Slope | None:
    opened = rows[rows["is_open"].fillna(False).astype(bool)]
    return trends.logistic_slope(opened.assign(us=opened["origin"] == "United States"), "us", CLUSTER)


def _eci_trend(models: pd.DataFrame, since: str) -> trends.Slope | None:
    scored = models[(models["access_class"] == "open") & (models["date"] >= pd.Timestamp(since))]
    return trends.linear_interaction(scored, "eci", "origin", "China", "United States", CLUSTER)


def slipping(ctx: Context, t: dict) -> dict:
    """The change indicators of `us-slipping`, each with its variants, origin rule and sources."""
    rows = _variant_rows(ctx, t["trend_from_year"])
    default = rows["default"]
    others = {k: v for k, v in rows.items() if k != "default"}
    epoch_sources = [ctx.snapshot, ctx.notable_snapshot]
    share = indicator(
        "change",
        _open_share(default),
        trends.UP,
        "China's open-weights odds against the US's, change per year (logistic open ~ year × origin, interaction)",
        origin_rule=ORIGIN_CATALOGUE,
        sources=epoch_sources,
    )
    us_share = indicator(
        "change",
        _us_share(default),
        trends.DOWN,
        "US share of all open-weights releases, change per year (logistic; a count share that also follows "
        "Epoch's cataloguing effort)",
        origin_rule=ORIGIN_CATALOGUE,
        sources=epoch_sources,
    )
    eci = indicator(
        "change",
        _eci_trend(eci_models(ctx), t["eci_from"]),
        trends.UP,
        "Chinese open models' ECI scores against US open models', change per year (least squares eci ~ year × "
        "origin, interaction)",
        origin_rule=ORIGIN_ECI,
        sources=[ctx.eci_snapshot],
    )
    return {
        "open_share_trend": with_variants(share, {k: _open_share(v) for k, v in others.items()}),
        "us_share_of_open_releases_trend": with_variants(us_share, {k: _us_share(v) for k, v in others.items()}),
        "open_eci_trend": with_variants(
            eci, {ref: _eci_trend(eci_models(ctx, ref), t["eci_from"]) for ref in ctx.eci_variants}
        ),
    }


# --- builders-turn-to-chinese: what builders build on (Epoch's catalogued fine-tunes) -----------------


def derivative_rows(ctx: Context) -> pd.DataFrame:
    """Catalogued models with a named open base model of US or Chinese origin: date, builder organization and
    origin, base, base organization and origin, and `chinese_base` (first base listed when several)."""
    from opentrends.catalog.loaders import epoch_report

    def make():
        named = epoch_report.load_compute_rows(ctx.snapshot)
        named = named[named["base_model"].astype(str).str.strip() != ""][["model", "base_model"]]
        everything = ctx.at(None).epoch().drop_duplicates("model").set_index("model")
        seen = ctx.epoch().drop_duplicates("model").set_index("model")
        base = named.assign(base=named["base_model"].str.split(",").str[0].str.strip())
        base = base[base["model"].isin(seen.index) & base["base"].isin(everything.index)]
        out = pd.DataFrame(
            {
                "model": base["model"].to_numpy(),
                "date": seen.loc[base["model"], "date"].to_numpy(),
                "organization": seen.loc[base["model"], "organization"].to_numpy(),
                "origin": seen.loc[base["model"], "origin"].to_numpy(),
                "base": base["base"].to_numpy(),
                "base_organization": everything.loc[base["base"], "organization"].to_numpy(),
                "base_origin": everything.loc[base["base"], "origin"].to_numpy(),
                "base_open": everything.loc[base["base"], "is_open"].fillna(False).astype(bool).to_numpy(),
            }
        )
        out = out[out["base_open"] & out["base_origin"].isin(["United States", "China"])]
        return out.assign(chinese_base=out["base_origin"] == "China").sort_values(["date", "model"])

    return ctx.cached(("derivatives", ctx.snapshot), make)


def builders_catalogue(ctx: Context, t: dict) -> dict:
    """Share of catalogued fine-tunes built on Chinese open bases, change per year, with its variants."""
    rows = derivative_rows(ctx)
    rows = rows[rows["date"] >= pd.Timestamp(f"{t['trend_from_year']}-01-01")]
    other_builders = rows[rows["organization"] != rows["base_organization"]]
    item = indicator(
        "change",
        trends.logistic_slope(rows, "chinese_base", CLUSTER),
        trends.UP,
        f"share of Epoch-catalogued models built on an open base that build on a Chinese one ({int(rows['chinese_base'].sum())} "
        f"of {len(rows)} since {t['trend_from_year']}), change per year (logistic)",
        origin_rule=ORIGIN_BASE,
        sources=[ctx.snapshot],
        n_chinese_base=int(rows["chinese_base"].sum()),
        n=int(len(rows)),
    )
    return with_variants(
        item,
        {
            "other_builders": trends.logistic_slope(other_builders, "chinese_base", CLUSTER),
            "us_builders": trends.logistic_slope(rows[rows["origin"] == "United States"], "chinese_base", CLUSTER),
        },
    )


def builders_catalogue_us(ctx: Context, t: dict) -> dict:
    """Of catalogued models by US-only builders on an open US or Chinese base, the share on a Chinese base, change
    per year (logistic, errors clustered by builder organization); variant: builders other than the base's maker."""
    rows = derivative_rows(ctx)
    rows = rows[(rows["date"] >= pd.Timestamp(f"{t['trend_from_year']}-01-01")) & (rows["origin"] == "United States")]
    item = indicator(
        "change",
        trends.logistic_slope(rows, "chinese_base", CLUSTER),
        trends.UP,
        f"share of Epoch-catalogued models by US builders on an open base that build on a Chinese one "
        f"({int(rows['chinese_base'].sum())} of {len(rows)} since {t['trend_from_year']}), change per year (logistic)",
        origin_rule=ORIGIN_BASE + "; builder: the catalogued model's exclusive origin (United States)",
        sources=[ctx.snapshot],
        n_chinese_base=int(rows["chinese_base"].sum()),
        n=int(len(rows)),
    )
    others = rows[rows["organization"] != rows["base_organization"]]
    return with_variants(item, {"other_builders": trends.logistic_slope(others, "chinese_base", CLUSTER)})


def combine(indicators: dict, t: dict) -> dict:
    """A trend claim's verdict from its change indicators (levels never vote).

    not testable: fewer than `min_indicators` change indicators measured; inconclusive: enough are measured but
    none shows a change either way (every interval includes no change); supported: at least `supported_if_at_least` hold under every variant
    and none points the other way; contradicted: some point the other way and none holds; mixed otherwise.
    """
    changes = {k: v for k, v in indicators.items() if v["kind"] == "change" and v["holds"] is not None}
    holds = [k for k, v in changes.items() if v["holds"]]
    robust = [k for k in holds if changes[k]["robust"]]
    against = [k for k, v in changes.items() if v["against"]]
    need = len(changes) if t["supported_if_at_least"] == "all" else t["supported_if_at_least"]
    if len(changes) < t["min_indicators"]:
        verdict, why = "not testable", "too few change indicators can be measured"
    elif not holds and not against:
        verdict, why = "inconclusive", "every change indicator's 95% interval includes no change"
    elif len(robust) >= need and not against:
        verdict, why = "supported", ""
    elif against and not holds:
        verdict, why = "contradicted", ""
    else:
        verdict, why = "mixed", ""
    return {
        "verdict": verdict,
        "measured": len(changes),
        "holds": holds,
        "robust": robust,
        "against": against,
        "why": why,
    }
