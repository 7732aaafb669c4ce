"""The claims' figures (notebook 05): each draws on given axes and returns the rest of `figures.save`'s arguments.

The returned dict holds title, caption, alt text, sources, data and column notes.

Captions and alt texts are built here from the same numbers the verdicts use, so notebook cells stay short.
"""

from __future__ import annotations

import pandas as pd

from opentrends.claims import change, hub_time
from opentrends.claims import evidence as ev
from opentrends.core import text

US_NAME = {"United States of America": "United States", "United Kingdom of Great Britain and Northern Ireland": "UK"}


def led_2016_2020(ax, ctx: ev.Context, colors: dict) -> dict:
    """Open-weights releases and organizations by single country, pooled 2016–2020."""
    by_country = ev.open_releases_by_country(ctx, 2016, 2020)
    pooled = (
        by_country.groupby("country", as_index=False)[["n_open", "n_orgs"]]
        .sum()
        .sort_values(["n_open", "country"], ascending=[False, True])
        .head(8)
        .reset_index(drop=True)
    )
    names = pooled["country"].replace(US_NAME)
    bar_colors = [colors.get(n, colors["Rest of world"]) for n in names]
    ax.barh(names[::-1], pooled["n_open"][::-1], color=bar_colors[::-1], height=0.7)
    for y, (n, orgs) in enumerate(zip(pooled["n_open"][::-1], pooled["n_orgs"][::-1], strict=True)):
        ax.annotate(f"{n} ({orgs} orgs)", (n, y), xytext=(2, 0), textcoords="offset points", va="center", fontsize=6)
    ax.set_xlabel("Open-weights models, 2016–2020")
    ax.grid(axis="y", visible=False)
    first, second = pooled.iloc[0], pooled.iloc[1]
    return {
        "title": "Open-weights releases by country, 2016–2020",
        "caption": f"Open-weights models published 2016–2020 whose releasing organizations are all in one country, and "
        f"the distinct organizations releasing them (Epoch AI, all models, {ctx.snapshot}). Models from organizations "
        f"in several countries are left out. Counts reflect Epoch's cataloguing as well as releases.",
        "alt_text": f"Horizontal bars: {names[0]} {first.n_open} open-weights models from {first.n_orgs} "
        f"organizations, then {names[1]} with {second.n_open}.",
        "sources": [ctx.snapshot],
        "data": pooled,
        "columns": {
            "country": "the single country of the releasing organizations (Epoch's label)",
            "n_open": "open-weights models published 2016–2020",
            "n_orgs": "distinct organizations releasing them",
        },
    }


def open_share_by_year(ctx: ev.Context, first_year: int) -> pd.DataFrame:
    """China-minus-US open share per year from `first_year` (default variant) with Newcombe 95% intervals, and
    whether the year is complete before the op-ed (`before_as_of`)."""
    from opentrends.analysis import robustness

    rows = change._variant_rows(ctx, first_year)["default"]
    years = sorted(int(y) for y in rows["year"].dropna().unique())
    table = robustness.us_china_table({"default": rows}, years).drop(columns="variant")
    return table.assign(before_as_of=table["year"] < int(ctx.as_of[:4]))


def us_slipping(ax, ctx: ev.Context, colors: dict, trend: dict) -> dict:
    """Every year's China-minus-US open share with its interval, the op-ed's date marked, the trend in the caption."""
    table = open_share_by_year(ctx, 2020)
    points = table[["difference", "ci_low", "ci_high"]] * 100
    ax.errorbar(
        table["year"],
        points["difference"],
        yerr=[(points["difference"] - points["ci_low"]).clip(0), (points["ci_high"] - points["difference"]).clip(0)],
        fmt="o",
        color=colors["China"],
        capsize=2,
    )
    ax.axhline(0, color="#555555", linewidth=0.6)
    ax.axvline(int(ctx.as_of[:4]) + 0.58, color="#999999", linestyle="--", linewidth=0.8)
    ax.annotate("Op-ed", (int(ctx.as_of[:4]) + 0.58, 1), xycoords=("data", "axes fraction"), xytext=(-3, -2),
                textcoords="offset points", ha="right", va="top", color="#555555")  # fmt: skip
    ax.set_xlabel("Publication year")
    ax.set_ylabel("China minus US open share (pp)")
    last = table.iloc[-1]
    return {
        "title": "China minus US open-weights share, every year, with 95% intervals",
        "caption": f"China's open-weights share minus the US share (labelled models, exclusive origin), every year "
        f"{int(table['year'].min())}–{int(last['year'])}, with Newcombe's 95% interval (Epoch AI, {ctx.snapshot}). Dashed: "
        f"the op-ed ({ctx.as_of}). The trend across all years (logistic open ~ year × origin, interaction): "
        f"{trend['says'].split(': ', 1)[-1]}. Catalogues are not random samples and recent years are still "
        f"back-filled.",
        "alt_text": f"Points with error bars per year; in {int(last['year'])} the difference is "
        f"{text.pp(last['difference'], signed=True)} ({text.interval(last['ci_low'], last['ci_high'], text.pp)}).",
        "sources": [ctx.snapshot],
        "data": table,
        "columns": {
            "year": "publication year",
            "us_known": "US-only models with an accessibility label",
            "us_open": "of those, open weights",
            "us_share": "us_open / us_known",
            "china_known": "China-only models with an accessibility label",
            "china_open": "of those, open weights",
            "china_share": "china_open / china_known",
            "difference": "china_share - us_share (0..1; x100 = percentage points)",
            "ci_low": "Newcombe 95% interval, lower bound",
            "ci_high": "Newcombe 95% interval, upper bound",
            "before_as_of": "True for years that ended before the op-ed",
        },
    }


def flagships(ax, ctx: ev.Context, colors: dict) -> dict:
    """Access labels of GPT-4, Claude and Gemini models, with the open-weights count (zero) drawn as its own bar."""
    families = ev.flagship_access(ctx, ["GPT-4", "Claude", "Gemini"])
    mix = (
        families.assign(access=families["access"].replace("", "Unknown"))
        .groupby(["family", "access"], as_index=False)
        .size()
        .rename(columns={"size": "n"})
    )
    opened = families.groupby("family")["open"].sum().astype(int)
    mix = pd.concat([mix, pd.DataFrame({"family": opened.index, "access": "Open weights", "n": opened.to_numpy()})])
    wide = mix.pivot(index="family", columns="access", values="n").fillna(0)
    left = None
    for label in [c for c in ["API access", "Hosted access (no API)", "Unreleased", "Unknown"] if c in wide.columns]:
        ax.barh(wide.index, wide[label], left=left, color=colors.get(label, "#999999"), label=label, height=0.6)
        left = wide[label] if left is None else left + wide[label]
    for y, family in enumerate(wide.index):
        ax.annotate(f"open weights: {int(wide.loc[family, 'Open weights'])}", (left[family], y), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=6)  # fmt: skip
    ax.set_xlabel("Models in Epoch AI")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncols=2, fontsize=6)
    ax.grid(axis="y", visible=False)
    n_open = int(opened.sum())
    return {
        "title": "GPT-4, Claude and Gemini: open-weights models and access labels",
        "caption": f"Every Epoch AI model whose name starts with GPT-4, Claude or Gemini ({ctx.snapshot}): {n_open} of "
        f"{len(families)} carry an open-weights label (the deciding count, written beside each bar); the access mix "
        f"is context.",
        "alt_text": f"Stacked horizontal bars per family with 'open weights: {n_open}' written beside each.",
        "sources": [ctx.snapshot],
        "data": mix.reset_index(drop=True),
        "columns": {
            "family": "name prefix",
            "access": "Epoch accessibility label (Unknown when blank; 'Open weights' is the count of open models)",
            "n": "models",
        },
    }


def dozens(ax, ctx: ev.Context, colors: dict, t: dict) -> dict:
    """Chinese organizations counted by capability (as of the op-ed and now), with the any-release count as context."""
    then = ev.chinese_frontier_organizations(ctx.at(ctx.as_of), t["years"], t["near_points"])
    now = ev.chinese_frontier_organizations(ctx.at(None), t["years"], t["near_points"])
    release = ev.chinese_open_organizations(ctx.at(None), t["years"])["all_open"]
    counts = pd.DataFrame(
        {
            "measure": [
                f"near the open frontier on the ECI, to {ctx.as_of}",
                "near the open frontier on the ECI, now",
                "in ATOM's tracked open models, now",
                "any open-weights model (context)",
            ],
            "n_organizations": [then["eci_near_frontier"], now["eci_near_frontier"], now["atom_tracked"], release],
        }
    )
    shades = [colors["China"]] * 3 + ["#999999"]  # context in the reference grey, not Unknown's
    ax.barh(counts["measure"][::-1], counts["n_organizations"][::-1], color=shades[::-1], height=0.6)
    ax.axvline(t["dozens"], color="#333333", linestyle="--", linewidth=0.8)
    ax.annotate(f"Threshold: {t['dozens']}", (t["dozens"], 1), xycoords=("data", "axes fraction"), xytext=(3, -2),
                textcoords="offset points", ha="left", va="top", color="#333333")  # fmt: skip
    ax.set_xlabel(f"Chinese organizations, {t['years'][0]}–{t['years'][-1]}")
    ax.grid(axis="y", visible=False)
    return {
        "title": "Chinese organizations pushing the open frontier, counted by capability",
        "caption": f"Chinese organizations with an open model within {t['near_points']:g} ECI points of the best open "
        f"score at its release ({ctx.eci_snapshot}; a floor: the ECI scores few open models), with a model among "
        f"the ATOM Project's tracked open models ({ctx.atom_snapshot}, undated, so read only now), and, as context, "
        f"with any open-weights model in Epoch ({ctx.snapshot}). Dashed: 'dozens' = {t['dozens']}.",
        "alt_text": "Four bars: " + "; ".join(f"{m}: {n}" for m, n in counts.itertuples(index=False)) + ".",
        "sources": [ctx.eci_snapshot, ctx.atom_snapshot, ctx.snapshot],
        "data": counts,
        "columns": {"measure": "which organizations count", "n_organizations": "distinct Chinese organizations"},
    }


def chinese_base_share_by_year(ctx: ev.Context, first_year: int) -> pd.DataFrame:
    """Per year: catalogued models on an open US or Chinese base, how many on a Chinese one, share, Wilson 95%."""
    from opentrends.analysis import metrics

    rows = change.derivative_rows(ctx.at(None))
    rows = rows[rows["date"].dt.year >= first_year]
    table = rows.groupby(rows["date"].dt.year).agg(n=("chinese_base", "size"), chinese=("chinese_base", "sum"))
    table = table.rename_axis("year").reset_index().astype(int)
    low, high = metrics.wilson_interval(table["chinese"], table["n"])
    return table.assign(share=table["chinese"] / table["n"], ci_low=low, ci_high=high)


def builders(axes, ctx: ev.Context, colors: dict, indicator: dict) -> dict:
    """A time series: the Chinese-base share of catalogued fine-tunes per year (top); on the Hub, the Chinese-base
    share of new fine-tunes and the Chinese share of trending slots, month by month (bottom)."""
    top, bottom = axes
    table = chinese_base_share_by_year(ctx, 2020)
    top.errorbar(table["year"], table["share"] * 100, color=colors["China"], fmt="o-", capsize=2,
                 yerr=[(table["share"] - table["ci_low"]).clip(0) * 100, (table["ci_high"] - table["share"]).clip(0) * 100])  # fmt: skip
    top.set_ylabel("On a Chinese base (%)")
    hub = hub_time.builders_series(ctx)
    styles = {
        "hub_finetunes_chinese_share": ("New Hub fine-tunes on a Chinese base", colors["China"], "-"),
        "hub_finetunes_chinese_share_without_top_bases": (
            "The same, without the two largest bases",
            colors["China"],
            "--",
        ),
        # Chinese shares in China's colour, told apart by their line; the US-upload series in the neutral grey.
        "trending_maker_china_share": ("Trending slots, Chinese maker", colors["China"], "-."),
        "trending_uploader_china_share": ("Trending slots, Chinese uploader", colors["China"], ":"),
        "trending_us_uploads_on_chinese_share": (
            "US uploads on another's model: on a Chinese one",
            colors["neutral"],
            "-",
        ),
        "trending_us_finetunes_on_chinese_share": ("The same, fine-tunes and LoRAs", colors["neutral"], "--"),
    }
    for series, (label, color, style) in styles.items():
        part = hub[hub["series"] == series]
        bottom.plot(part["date"], part["value"] * 100, color=color, linestyle=style, label=label)
    bottom.set_ylabel("Chinese share (%)")
    bottom.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    last = table.iloc[-1]
    data = pd.concat(
        [
            table.assign(series="chinese_base_share", date=pd.to_datetime(table["year"].astype(str) + "-07-01")),
            hub.assign(share=hub["value"]),
        ]
    )[["series", "date", "year", "n", "chinese", "share", "ci_low", "ci_high"]]
    fine = hub[hub["series"] == "hub_finetunes_chinese_share"]
    hub_alt = (
        f" Bottom: the Chinese-base share of new Hub fine-tunes, {text.pct(fine['value'].iloc[0])} in "
        f"{fine['date'].iloc[0]:%Y-%m} and {text.pct(fine['value'].iloc[-1])} in {fine['date'].iloc[-1]:%Y-%m}, "
        "with the trending shares from 2025-11."
        if len(fine)
        else " Bottom: no Hub-over-time data loaded."
    )
    return {
        "title": "What builders build on, over time: the catalogue and the Hub",
        "caption": "Top: share of Epoch-catalogued models built on an open US or Chinese base whose base is Chinese, "
        f"per year with Wilson 95% intervals ({ctx.snapshot}); the trend: {indicator['says'].split(': ', 1)[-1]}. "
        f"Bottom: on the Hub ({ctx.growth_snapshot}; {ctx.trending_snapshot}), the Chinese-base share of new "
        "fine-tunes of 17 organizations' base models per complete month (solid; dashed without the two bases with "
        "the most fine-tunes, whose counts are dominated by automated uploads), and the Chinese share of the 30 "
        "daily trending slots by maker (dash-dot) and by uploader (dotted), each a Chinese share in China's colour; "
        "grey: of the trending slots of US-uploaded models built on another maker's model, the share on a Chinese "
        "one (dashed: fine-tunes and LoRAs only; the CSV adds repackagings). Gaps in days are not interpolated.",
        "alt_text": f"Top: points rising to {text.pct(last['share'])} in {int(last['year'])}.{hub_alt}",
        "sources": [ctx.snapshot, ctx.growth_snapshot, ctx.trending_snapshot],
        "data": data.reset_index(drop=True),
        "columns": {
            "series": "chinese_base_share (top panel, per year); hub_finetunes_chinese_share, "
            "hub_finetunes_chinese_share_without_top_bases, trending_maker_china_share, "
            "trending_uploader_china_share, trending_us_uploads_on_chinese_share, "
            "trending_us_finetunes_on_chinese_share, trending_us_repackagings_on_chinese_share (bottom panel, per month)",
            "date": "mid-year for the catalogue share; mid-month for the Hub series",
            "year": "publication year (catalogue rows)",
            "n": "catalogued models on an open US or Chinese base that year; new Hub fine-tunes or trending slots that month",
            "chinese": "of the catalogued models, on a Chinese base",
            "share": "the Chinese share (chinese / n for the catalogue rows)",
            "ci_low": "Wilson 95% interval, lower bound (catalogue rows)",
            "ci_high": "Wilson 95% interval, upper bound (catalogue rows)",
        },
    }
