"""Hub-over-time evidence for the claims (derivative growth to 2025-02-18, daily trending 2025-11 → 2026-08).

Reads `catalog.loaders.hf_growth` / `hf_trending` through `analysis.hub_growth` / `hub_trending`. The growth data
end before the op-ed (usable as of it); the trending archive starts after it (since only). A snapshot ref that is
not registered leaves its indicators unmeasured, saying so (`MISSING`).
"""

from __future__ import annotations

import pandas as pd

from opentrends.analysis import trends
from opentrends.claims import change
from opentrends.claims.evidence import Context

MISSING = "not testable: the Hub-over-time snapshot is not registered"


def loaded(ctx: Context, kind: str) -> bool:
    """Whether the snapshot of `kind` (growth / trending) named by the context is registered."""
    from opentrends.registry.sources import load_registry

    ref = ctx.growth_snapshot if kind == "growth" else ctx.trending_snapshot
    source, _, date = ref.partition("@")
    registry = load_registry()
    return source in registry and any(s.date == date for s in registry[source].snapshots)


def growth(ctx: Context) -> pd.DataFrame:
    """The long table of cumulative fine-tunes per base model and month (to the snapshot date); under a cutoff only
    the months that ended before it (the snapshot ends 2025-02-18, before the op-ed, so as of it all are seen)."""
    from opentrends.catalog.loaders import hf_growth

    table = ctx.at(None).cached(("growth", ctx.growth_snapshot), lambda: hf_growth.load_finetunes(ctx.growth_snapshot))
    month_end = pd.to_datetime(table["month"]) + pd.offsets.MonthEnd(0)
    return table[ctx.before_cutoff(month_end)]


def family_counts(ctx: Context) -> dict:
    """Fine-tunes at the snapshot date of DeepSeek-R1 alone, the R1 family, the Llama family and Qwen."""
    from opentrends.analysis import hub_growth

    table = growth(ctx)
    out = {}
    for family in hub_growth.FAMILIES:
        found = hub_growth.family_finetunes(table, family)
        out[family] = {"finetunes": found.finetunes, "bases": found.n_bases}
    return out


def _slope(sc, scale: str, clustered: dict | None = None) -> trends.Slope:
    """A ShareChange as a Slope-like estimate (percentage points, last period minus first). With `clustered`
    (unit -> ClusteredChange) the interval is the widest cluster bootstrap's and Newcombe's is the naive one."""
    naive = (round(sc.ci_low_pp, 4), round(sc.ci_high_pp, 4))
    found = [c for c in (clustered or {}).values() if c is not None]
    if not found:
        return trends.Slope(round(sc.difference_pp, 4), *naive, float("nan"), int(sc.first_n + sc.last_n), scale,
                            f"[{sc.first_period}]", f"[{sc.last_period}]", *naive)  # fmt: skip
    widest = max(found, key=lambda c: c.ci_high_pp - c.ci_low_pp)
    return trends.Slope(round(sc.difference_pp, 4), widest.ci_low_pp, widest.ci_high_pp, float("nan"),
                        int(sc.first_n + sc.last_n), scale, f"[{sc.first_period}]", f"[{sc.last_period}]", *naive,
                        widest.unit, widest.n_clusters)  # fmt: skip


def _bootstraps(items: pd.DataFrame, units: tuple[str, ...], hit: str, weight: str | None = None) -> dict:
    """unit -> ClusteredChange (seeded cluster bootstrap) of the last-minus-first share of `hit`."""
    from opentrends.analysis import clustered

    return {u: clustered.share_change(clustered.by_cluster(items, u, hit, "period", weight), u) for u in units}


def _clustered_evidence(found: dict) -> dict:
    return {u: (c.as_dict() if c is not None else None) for u, c in found.items()}


def finetune_items(table: pd.DataFrame, first: tuple[str, str], last: tuple[str, str]) -> pd.DataFrame:
    """New fine-tunes per base and month with `period` (first / last / other) and `china` (0/1 base origin)."""
    from opentrends.analysis import hub_growth

    rows = hub_growth.new_finetunes(table)
    period = pd.Series("other", index=rows.index)
    period[rows["month"].between(*first)] = "first"
    period[rows["month"].between(*last)] = "last"
    return rows.assign(period=period, china=(rows["origin"] == "China").astype(int))


def trending_items(table: pd.DataFrame, first: tuple[str, str], last: tuple[str, str]) -> pd.DataFrame:
    """Trending slots with `period` (months `first` / `last`, else other), `week` and `china` (maker)."""
    month = table["day"].dt.strftime("%Y-%m")
    period = pd.Series("other", index=table.index)
    period[month.between(*first)] = "first"
    period[month.between(*last)] = "last"
    week = (table["day"] - pd.to_timedelta(table["day"].dt.day_of_week, unit="D")).dt.strftime("%Y-%m-%d")
    return table.assign(period=period, week=week, china=(table["maker_origin"] == "China").astype(int))


def _unmeasured(says: str, why: str = MISSING) -> dict:
    return {"kind": "change", "holds": None, "against": False, "says": f"{says}: {why}", "variants": {},
            "robust": False, "sources": []}  # fmt: skip


def finetune_indicator(ctx: Context, t: dict) -> dict:
    """Chinese share of new fine-tunes, first vs last six months, with the most fine-tuned bases left out as a variant."""
    says = "Chinese share of new Hub fine-tunes of 17 organizations' bases, registered windows, last minus first (pp)"
    if not loaded(ctx, "growth"):
        return _unmeasured(says)
    from opentrends.analysis import hub_growth

    first, last = (tuple(w) for w in t["hub_window"])  # registered in claims/windows.py
    scale = "percentage points"
    default = hub_growth.china_share_change(growth(ctx), first, last)
    without = hub_growth.china_share_change(growth(ctx), first, last, n_top_excluded=2)
    items = finetune_items(growth(ctx), first, last)
    kept = items[~items["base_model"].isin(hub_growth.top_bases(growth(ctx), 2)["base_model"])]
    boot = _bootstraps(items, ("base_model", "organization"), "china", "new_finetunes")
    boot_without = _bootstraps(kept, ("base_model", "organization"), "china", "new_finetunes")
    item = change.indicator("change", _slope(default, scale, boot), trends.UP,
                            says + "; interval: cluster bootstrap by base model and by organization, the wider votes",
                            origin_rule="maker of the base model", sources=[ctx.growth_snapshot],
                            clustered=_clustered_evidence(boot))  # fmt: skip
    from opentrends.analysis import growth_audit

    generic = growth_audit.generic_bases(growth(ctx))["base_model"]
    plain = growth(ctx)[~growth(ctx)["base_model"].isin(generic)]
    no_generic = hub_growth.china_share_change(plain, first, last)
    boot_generic = _bootstraps(items[~items["base_model"].isin(generic)], ("base_model", "organization"), "china",
                               "new_finetunes")  # fmt: skip
    loo = growth_audit.leave_one_organization_out(growth(ctx), first, last).set_index("left_out")["difference_pp"]
    item["leave_one_organization_out_pp"] = {k: round(float(v), 2) for k, v in loo.items()}
    item["generic_bases_left_out"] = list(generic)
    return change.with_variants(
        item,
        {"without_top_2_bases": _slope(without, scale, boot_without),
         "without_generic_bases": _slope(no_generic, scale, boot_generic)},
    )  # fmt: skip


def trending(ctx: Context) -> pd.DataFrame:
    """Every trending slot of the pinned archive, credited to the model's maker (uploader beside it); loaded once."""
    from opentrends.catalog.loaders import hf_trending
    from opentrends.claims.hub_evidence import hub_origins

    def make():
        origins = hub_origins(ctx)
        return hf_trending.load_trending(
            ctx.trending_snapshot, dict(zip(origins["author"], origins["origin"], strict=True))
        )

    return ctx.at(None).cached(("trending", ctx.trending_snapshot), make)  # loaded once, cut per view


def trending_indicator(ctx: Context, t: dict) -> dict:
    """Chinese maker-origin share of trending slots, first vs last two months; by uploader as a variant."""
    says = "Chinese maker-origin share of the Hub's 30 daily trending slots, registered windows, last minus first (pp)"
    if not loaded(ctx, "trending"):
        return _unmeasured(says)
    from opentrends.analysis import hub_trending

    table = trending(ctx)
    table = table[ctx.before_cutoff(table["day"])]
    first, last = (tuple(w) for w in t["trending_window"])  # registered in claims/windows.py
    month = table["day"].dt.strftime("%Y-%m")
    if not month.between(*first).any() or not month.between(*last).any():
        return _unmeasured(says, "no trending days in a window before the cutoff (the archive starts 2025-11-07)")
    scale = "percentage points"
    maker = hub_trending.slot_share_between(table, first, last, "China", "maker_origin")
    uploader = hub_trending.slot_share_between(table, first, last, "China", "uploader_origin")
    items = trending_items(table, first, last)
    boot = _bootstraps(items, ("model", "week"), "china")
    up_items = items.assign(china=(items["uploader_origin"] == "China").astype(int))
    item = change.indicator("change", _slope(maker, scale, boot), trends.UP,
                            says + "; interval: cluster bootstrap by model and by week (block), the wider votes",
                            origin_rule="maker of the model (uploader: variant)", sources=[ctx.trending_snapshot],
                            clustered=_clustered_evidence(boot))  # fmt: skip
    known = table[table["maker_origin"] != "Unknown"]
    known_change = hub_trending.slot_share_between(known, first, last, "China", "maker_origin")
    known_boot = _bootstraps(items[items["maker_origin"] != "Unknown"], ("model", "week"), "china")
    item["unknown_maker_slots"] = int((table["maker_origin"] == "Unknown").sum())
    return change.with_variants(
        item,
        {
            "by_uploader": _slope(uploader, scale, _bootstraps(up_items, ("model", "week"), "china")),
            "known_makers_only": _slope(known_change, scale, known_boot),
        },
    )


def us_on_chinese_slots(ctx: Context) -> pd.DataFrame:
    """Trending slots of US-uploaded models built on another maker's model, with kind and chinese_base."""
    from opentrends.analysis import hub_trending
    from opentrends.catalog import makers

    return hub_trending.us_on_chinese(trending(ctx), makers.load_repackagers())


def us_on_chinese_indicator(ctx: Context, t: dict) -> dict:
    """Of the trending slots of US-uploaded models built on another maker's model, the share on a Chinese maker's
    model, last minus first registered window; fine-tunes (LoRAs included) and repackagings as variants."""
    says = ("US-uploaded trending models built on another maker's model: share on a Chinese maker's model, "
            "registered windows, last minus first (pp)")  # fmt: skip
    if not loaded(ctx, "trending"):
        return _unmeasured(says)
    from opentrends.analysis import hub_growth

    first, last = (tuple(w) for w in t["us_on_chinese_window"])  # registered in claims/windows.py
    slots = us_on_chinese_slots(ctx)
    slots = slots[ctx.before_cutoff(slots["day"])]
    month = slots["day"].dt.strftime("%Y-%m")
    if not month.between(*first).any() or not month.between(*last).any():
        return _unmeasured(says, "no trending days in a window before the cutoff (the archive starts 2025-11-07)")

    def fitted(part: pd.DataFrame):
        m = part["day"].dt.strftime("%Y-%m")
        k1, n1 = int(part.loc[m.between(*first), "chinese_base"].sum()), int(m.between(*first).sum())
        k2, n2 = int(part.loc[m.between(*last), "chinese_base"].sum()), int(m.between(*last).sum())
        if not n1 or not n2:
            return None
        change_ = hub_growth.share_change(k1, n1, k2, n2, "..".join(first), "..".join(last))
        return _slope(
            change_,
            "percentage points",
            _bootstraps(trending_items_from(part, first, last), ("model", "week"), "chinese_base"),
        )

    boot = _bootstraps(trending_items_from(slots, first, last), ("model", "week"), "chinese_base")
    item = change.indicator("change", fitted(slots), trends.UP,
                            says + "; interval: cluster bootstrap by model and by week (block), the wider votes",
                            origin_rule="uploader's origin (United States) and the maker's (China)",
                            sources=[ctx.trending_snapshot], clustered=_clustered_evidence(boot))  # fmt: skip
    return change.with_variants(item, {k: fitted(slots[slots["kind"] == k]) for k in ("fine-tune", "repackaging")})


def trending_items_from(slots: pd.DataFrame, first: tuple[str, str], last: tuple[str, str]) -> pd.DataFrame:
    """`trending_items` keeping the slots' own columns (chinese_base) beside period and week."""
    return trending_items(slots, first, last).drop(columns=["china"])


def builders_indicators(ctx: Context, t: dict) -> dict:
    """The Hub-over-time change indicators of `builders-turn-to-chinese`."""
    return {
        "hub_new_finetunes_chinese_share": finetune_indicator(ctx, t),
        "hub_trending_maker_share": trending_indicator(ctx, t),
        "hub_trending_us_uploads_on_chinese_bases": us_on_chinese_indicator(ctx, t),
    }


def r1_variants(ctx: Context, t: dict) -> dict | None:
    """DeepSeek-R1 alone and the R1 family's Hub fine-tunes at the growth snapshot's date, or None when not loaded."""
    if not loaded(ctx, "growth"):
        return None
    counts = family_counts(ctx)
    return {
        "r1_alone": counts["DeepSeek-R1"]["finetunes"],
        "r1_family": counts["R1 family"]["finetunes"],
        "r1_family_bases": counts["R1 family"]["bases"],
        "as_of": ctx.growth_snapshot.split("@")[1],
        "days_after_release": (pd.Timestamp(ctx.growth_snapshot.split("@")[1]) - pd.Timestamp(t["release_date"])).days,
        "snapshot": ctx.growth_snapshot,
    }


def llama_variants(ctx: Context) -> dict | None:
    """The Llama family's fine-tunes (sum over meta-llama/* bases; a model naming two bases counts twice), or None."""
    if not loaded(ctx, "growth"):
        return None
    counts = family_counts(ctx)
    return {
        "llama_family": counts["Llama family"]["finetunes"],
        "llama_bases": counts["Llama family"]["bases"],
        "qwen": counts["Qwen"]["finetunes"],
        "snapshot": ctx.growth_snapshot,
    }


def builders_series(ctx: Context) -> pd.DataFrame:
    """The Hub time series behind `builders-turn-to-chinese`, one row per month and series (date, series, n,
    value): the Chinese-base share of new fine-tunes (all bases; without the two bases with most fine-tunes;
    partial months left out) and the Chinese share of trending slots by maker and by uploader. Empty when the
    Hub-over-time snapshots are not loaded."""
    from opentrends.analysis import hub_growth, hub_trending

    parts = []
    if loaded(ctx, "growth"):
        monthly = hub_growth.finetunes_by_base_origin(growth(ctx), "2022-01", 2)
        monthly = monthly[~monthly["partial_month"].astype(bool)]
        totals = monthly.groupby("month", sort=True).agg(
            n=("new_finetunes", "sum"),
            all_bases=("china_share", "first"),
            without=("china_share_without_top_bases", "first"),
        )
        totals = totals[totals["n"] > 0].reset_index()
        for series, column in (
            ("hub_finetunes_chinese_share", "all_bases"),
            ("hub_finetunes_chinese_share_without_top_bases", "without"),
        ):
            parts.append(
                pd.DataFrame({"month": totals["month"], "series": series, "n": totals["n"], "value": totals[column]})
            )
    if loaded(ctx, "trending"):
        shares = hub_trending.monthly_shares(trending(ctx))
        for series, column in (
            ("trending_maker_china_share", "maker_share"),
            ("trending_uploader_china_share", "uploader_share"),
        ):
            parts.append(
                pd.DataFrame(
                    {"month": shares["month"], "series": series, "n": shares["slots"], "value": shares[column]}
                )
            )
    if loaded(ctx, "trending"):
        from opentrends.analysis.hub_trending import us_on_chinese_monthly

        monthly = us_on_chinese_monthly(us_on_chinese_slots(ctx))
        for kind, series in (("all", "trending_us_uploads_on_chinese_share"),
                             ("fine-tune", "trending_us_finetunes_on_chinese_share"),
                             ("repackaging", "trending_us_repackagings_on_chinese_share")):  # fmt: skip
            part = monthly[monthly["kind"] == kind]
            parts.append(pd.DataFrame({"month": part["month"], "series": series, "n": part["slots"],
                                       "value": part["share"]}))  # fmt: skip
    if not parts:
        return pd.DataFrame(columns=["date", "series", "n", "value"])
    table = pd.concat(parts, ignore_index=True)
    table["date"] = pd.to_datetime(table.pop("month") + "-15")
    return table[["date", "series", "n", "value"]]
