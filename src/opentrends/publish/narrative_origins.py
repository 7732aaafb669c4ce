"""The sentences about US and Chinese open releases: unlabelled rates, open shares by origin, releases, organizations.

Every function takes computed tables and a `narrative_shares.Setting` (the headline series) and returns
text; figure texts come back as a dict of `title`, `caption` and `alt_text` for `figures.save`. A
missing number is written "n/a", never "nan".
"""

from __future__ import annotations

import pandas as pd

from opentrends.core import text
from opentrends.publish.charts import bounds_legend_note
from opentrends.publish.narrative_shares import Setting

US, CHINA = "United States", "China"


def compare_from(setting: Setting) -> int:
    """The first year of the recent span the text compares with the last: two years back, not before the start."""
    return max(setting.start_year, setting.end_year - 2)


def unlabelled_sentence(rate: pd.Series, setting: Setting) -> str:
    """How often China-only and US-only models have no accessibility label, over the recent span and over all years.

    `rate`: `unlabelled_rate` indexed by (years, origin), the years written 'first–last'.
    """
    s, recent = setting, compare_from(setting)
    late, full = f"{recent}–{s.end_year}", f"{s.start_year}–{s.end_year}"
    return (
        f"Pooled {recent}–{s.year(s.end_year)}, {text.pct(rate.get((late, CHINA)))} of China-only models "
        f"have no accessibility label, against {text.pct(rate.get((late, US)))} of US-only models (over {full}: "
        f"{text.pct(rate.get((full, CHINA)))} and {text.pct(rate.get((full, US)))}). The unlabelled models are not "
        "missing at random, so the bounds below matter as much as the Wilson intervals."
    )


def population_title(population: str) -> str:
    """A panel title for an Epoch population: 'All models (union)', 'Notable models', 'Large-scale models'."""
    return "All models (union)" if population == "all" else population.replace("_", "-").capitalize() + " models"


def _us_share(share_table: pd.DataFrame, population: str, year: int) -> float:
    part = share_table[(share_table["origin"] == US) & (share_table["population"] == population)]
    hit = part.loc[part["year"] == year, "open_share"]
    return float(hit.iloc[0]) if len(hit) else float("nan")


def population_answer(changes: list[float]) -> str:
    """Whether the populations agree on the direction of the US share's change (one change per population)."""
    known = [c for c in changes if pd.notna(c)]
    directions = {"down" if c < 0 else "up" if c > 0 else "flat" for c in known}
    if not known:
        return "neither population has labelled US models in both years, so the data cannot answer it"
    if len(changes) == 1:
        return "the notable population is the headline here, so there is no second population to compare"
    if len(known) == 1:
        return "only one population has labelled US models in both years, so the populations cannot be compared"
    if len(directions) > 1:
        return "the answer depends on the population"
    return f"both populations move the same way ({directions.pop()}), though by different amounts"


def us_china_text(
    share_table: pd.DataFrame, setting: Setting, notable: Setting, origins: list[str], origin_rule: str
) -> tuple[str, dict[str, str]]:
    """The headline on China vs the US and on whether the US share is slipping, and the texts of
    `open-share-by-origin`.

    `share_table`: `metrics.stacked_shares(..., column="population", origin_rule=...)` with the headline population
    first and, unless it is the notable one, the notable population (`notable`: its setting) second.
    """
    s, start = setting, compare_from(setting)
    main = share_table[share_table["population"] == s.population].set_index(["origin", "year"])
    us, cn = next(main.loc[[(US, s.end_year)]].itertuples()), next(main.loc[[(CHINA, s.end_year)]].itertuples())
    populations = list(dict.fromkeys(share_table["population"]))
    change = {p: _us_share(share_table, p, s.end_year) - _us_share(share_table, p, start) for p in populations}
    answer = population_answer([change[p] for p in populations])
    end_label = s.year(s.end_year)
    unknown = int(main["n_total"].sum() - main["n_known"].sum())
    partial = sorted(set(share_table.loc[share_table["partial_year"], "year"]))
    partial_list = ", ".join(s.year(y) for y in partial)

    def moved(population: str) -> str:
        levels = f"{text.pct(_us_share(share_table, population, start))} to "
        return levels + text.pct(_us_share(share_table, population, s.end_year))

    slipping = (
        f"**Is the US slipping?** From {start} to {end_label} the US open share changed by "
        f"{text.pp(change[s.population], signed=True)} in the `{s.population}` population ({moved(s.population)}"
    )
    if len(populations) > 1:
        slipping += f") and by {text.pp(change['notable'], signed=True)} among notable models ({moved('notable')}" + (
            "" if notable.end_year >= s.end_year else f"; the notable file's dates end {notable.data_end}"
        )
    paragraph = (
        f"In {end_label}, **{text.pct(cn.open_share)}** of labelled Chinese models ({cn.n_open} of {cn.n_known}) were "
        f"released with open weights, against **{text.pct(us.open_share)}** of US models ({us.n_open} of "
        f"{us.n_known}), a gap of {text.pp(cn.open_share - us.open_share)}. Counting every unlabelled model as closed "
        f"or as open moves China to {text.pct(cn.share_if_unlabelled_closed)}–{text.pct(cn.share_if_unlabelled_open)} "
        f"and the US to {text.pct(us.share_if_unlabelled_closed)}–{text.pct(us.share_if_unlabelled_open)}. "
        f"{text.count(unknown)} models without an accessibility label are excluded from the shares.\n\n"
        + slipping
        + f"); {answer}, and notable counts are small (see the intervals). Shares of past years also move as Epoch "
        f"back-fills and relabels models (notebook 06 measures one such move), so these are statements about "
        f"{s.snapshot}." + (f" Partial years (flagged in the CSV): {partial_list}." if partial else "")
    )
    widest = " because it is the widest list Epoch publishes" if s.population == "all" else ""
    change_note = f"on the change in the US share from {start} to {end_label}: {answer}"
    panels = (
        f"Left: Epoch AI {s.population} models ({s.snapshot}), the headline population{widest}; right: Epoch's "
        f"notable subset, a curated list ({change_note})."
        if len(populations) > 1
        else f"Epoch AI notable models ({s.snapshot}), the headline population ({change_note})."
    )
    return paragraph, {
        "title": f"Share of models released with open weights, by origin, {s.start_year}–{s.end_year}",
        "caption": (
            "Open-weights share among models with a known accessibility label, by the origin of the releasing "
            f"organizations ({origin_rule} rule). {panels} {bounds_legend_note()} Drawn: {', '.join(origins)}; the "
            "CSV has every origin." + (f" {partial_list}: partial year, drawn hollow and dashed." if partial else "")
        ),
        "alt_text": (
            f"{'Two line charts' if len(populations) > 1 else 'A line chart'} of open share by year for "
            f"{', '.join(origins)}; in {end_label}, in the {s.population} population China is at "
            f"{text.share_of(cn.open_share, cn.n_open, cn.n_known)} and the United States at "
            f"{text.share_of(us.open_share, us.n_open, us.n_known)}; among notable models the US goes from "
            f"{text.pct(_us_share(share_table, 'notable', start))} in {start} to "
            f"{text.pct(_us_share(share_table, 'notable', notable.end_year))} in {notable.year(notable.end_year)}."
        ),
    }


def releases_text(wide: pd.DataFrame, setting: Setting, origin_rule: str) -> tuple[str, dict[str, str]]:
    """Open releases by origin (`wide`: year x origin counts) as count shares, and the texts of
    `open-releases-by-origin`."""
    s, earlier, end = setting, compare_from(setting), setting.end_year
    totals = wide.sum(axis=1)
    count_share = wide.div(totals.where(totals > 0), axis=0)
    end_label = s.year(end)
    paragraph = (
        f"Epoch lists {text.count(wide.loc[end].sum())} open releases dated {end_label}: "
        f"{text.count(wide.loc[end, CHINA])} from Chinese and {text.count(wide.loc[end, US])} from US organizations "
        f"({text.pct(count_share.loc[end, CHINA])} and {text.pct(count_share.loc[end, US])} of the listed open "
        f"releases; {text.pct(count_share.loc[earlier, CHINA])} and {text.pct(count_share.loc[earlier, US])} in "
        f"{earlier}). These are *count shares*: they move with how many models Epoch catalogues from each country, "
        "not only with what is released, so read them as a description of the catalogue; the label-based open "
        "shares above are the comparison to rely on."
    )
    return paragraph, {
        "title": f"Open-weights releases by origin, {s.start_year}–{end}",
        "caption": (
            f"Number of models released with open weights ({s.open_definition} definition) per year, by origin of the "
            f"releasing organizations ({origin_rule} rule). Epoch AI, {s.population} models ({s.snapshot}). Counts "
            "reflect Epoch's cataloguing effort and back-filling as well as releases."
        ),
        "alt_text": (
            f"Stacked bars of listed open releases per year by origin; in {end_label}, "
            f"{text.count(wide.loc[end, CHINA])} are Chinese and {text.count(wide.loc[end, US])} American."
        ),
    }


def organizations_text(
    org_wide: pd.DataFrame, organizations: pd.DataFrame, setting: Setting
) -> tuple[str, dict[str, str]]:
    """How many distinct Chinese and US organizations released open weights in the last year, how many names the
    aliases merged (`organizations`: one row per model and organization, with `listed_as`), and the texts of
    `open-orgs-by-origin` (`org_wide`: year x region counts)."""
    s, end = setting, setting.end_year
    opened = organizations[organizations["is_open"].fillna(False).astype(bool) & (organizations["year"] == end)]
    end_label = s.year(end)
    china, us = text.count(org_wide.loc[end, CHINA]), text.count(org_wide.loc[end, US])
    paragraph = (
        f"In {end_label}, {china} distinct Chinese and {us} distinct US organizations released at least one "
        f"open-weights model. The aliases merged {text.count(opened['listed_as'].nunique())} names as Epoch writes "
        f"them into {text.count(opened['organization'].nunique())} organizations that year."
    )
    return paragraph, {
        "title": f"Organizations releasing open weights, by origin, {s.start_year}–{end}",
        "caption": (
            "Distinct organizations with at least one open-weights release per year, by the organization's own "
            "country (names normalized through an evidence-backed alias table; each organization counted once per "
            f"year, in one region). Epoch AI, {s.population} models ({s.snapshot})."
        ),
        "alt_text": (
            f"Line chart of organizations releasing open weights per year; in {end_label}, {china} Chinese and {us} US "
            "organizations."
        ),
    }
