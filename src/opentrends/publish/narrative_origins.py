"""The sentences about US and Chinese open releases: unlabelled rates, open shares by origin, releases, organizations.

The wording is in templates (`templates/notebooks/02_us_vs_china/`, `templates/captions/`); each function here takes
computed tables and a `narrative_shares.Setting` (the headline series), computes the facts its sentences state and
fills the template (`core.wording.render`); figure texts come back as a dict of `title`, `caption` and `alt_text`
for `figures.save`. A missing number is written "n/a", never "nan".
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from opentrends.core import wording
from opentrends.publish.narrative_shares import Setting

US, CHINA = "United States", "China"
NOTEBOOK = "notebooks/02_us_vs_china/"


def _say(name: str, **facts) -> str:
    return wording.render(NOTEBOOK + name + ".md", **facts)


def _figure(figure: str, **facts) -> dict[str, str]:
    """Title, caption and alt text of `figure` from its three templates in `templates/captions/`."""
    return {key: wording.render(f"captions/{figure}.{kind}.txt", **facts)
            for key, kind in (("title", "title"), ("caption", "caption"), ("alt_text", "alt"))}  # fmt: skip


def compare_from(setting: Setting) -> int:
    """The first year of the recent span the text compares with the last: two years back, not before the start."""
    return max(setting.start_year, setting.end_year - 2)


def unlabelled_facts(rate: pd.Series, setting: Setting) -> dict:
    """How often China-only and US-only models have no accessibility label, over the recent span and all years.

    `rate`: `unlabelled_rate` indexed by (years, origin), the years written 'first–last'.
    """
    s, recent = setting, compare_from(setting)
    late, full = f"{recent}–{s.end_year}", f"{s.start_year}–{s.end_year}"
    return {
        **asdict(s), "recent": recent, "recent_china": rate.get((late, CHINA)), "recent_us": rate.get((late, US)),
        "all_china": rate.get((full, CHINA)), "all_us": rate.get((full, US)),
    }  # fmt: skip


def unlabelled_sentence(rate: pd.Series, setting: Setting) -> str:
    """The unlabelled-rates sentence (arguments of `unlabelled_facts`)."""
    return _say("unlabelled", **unlabelled_facts(rate, setting))


def population_title(population: str) -> str:
    """A panel title for an Epoch population: 'All models (union)', 'Notable models', 'Large-scale models'."""
    return wording.render("captions/_population-title.txt", population=population)


def _us_share(share_table: pd.DataFrame, population: str, year: int) -> float:
    part = share_table[(share_table["origin"] == US) & (share_table["population"] == population)]
    hit = part.loc[part["year"] == year, "open_share"]
    return float(hit.iloc[0]) if len(hit) else float("nan")


def agreement(changes: list[float]) -> dict:
    """Whether the populations agree on the direction of the US share's change (one change per population):
    `agreement` is 'unanswerable', 'headline' (one population), 'one' (one with both years), 'differ' or 'same';
    `direction` 'down', 'up' or 'flat' when they agree, else None."""
    known = [c for c in changes if pd.notna(c)]
    directions = {"down" if c < 0 else "up" if c > 0 else "flat" for c in known}
    if not known:
        said = "unanswerable"
    elif len(changes) == 1:
        said = "headline"
    elif len(known) == 1:
        said = "one"
    else:
        said = "differ" if len(directions) > 1 else "same"
    return {"agreement": said, "direction": directions.pop() if said == "same" else None}


def population_answer(changes: list[float]) -> str:
    """Whether the populations agree on the direction of the US share's change, as a clause."""
    return _say("_answer", **agreement(changes))


def us_china_facts(
    share_table: pd.DataFrame, setting: Setting, notable: Setting, origins: list[str], origin_rule: str
) -> dict:
    """The facts of the headline on China vs the US: the last year's rows (`cn`, `us`), the gap, the US share's
    change from `start` in each population (`main_*`, `notable_*`), their agreement and the partial years.

    `share_table`: `metrics.stacked_shares(..., column="population", origin_rule=...)` with the headline population
    first and, unless it is the notable one, the notable population (`notable`: its setting) second.
    """
    s, start = setting, compare_from(setting)
    main = share_table[share_table["population"] == s.population].set_index(["origin", "year"])
    us, cn = (next(main.loc[[(o, s.end_year)]].itertuples())._asdict() for o in (US, CHINA))
    populations = list(dict.fromkeys(share_table["population"]))
    change = {p: _us_share(share_table, p, s.end_year) - _us_share(share_table, p, start) for p in populations}
    return {
        **asdict(s), "start": start, "us": us, "cn": cn, "gap": cn["open_share"] - us["open_share"],
        "unknown": int(main["n_total"].sum() - main["n_known"].sum()), "two": len(populations) > 1,
        "change_main": change[s.population], "change_notable": change.get("notable"),
        "main_from": _us_share(share_table, s.population, start),
        "main_to": _us_share(share_table, s.population, s.end_year),
        "notable_from": _us_share(share_table, "notable", start),
        "notable_to": _us_share(share_table, "notable", s.end_year),
        "notable_at_end": _us_share(share_table, "notable", notable.end_year),
        "notable_end_year": notable.end_year, "notable_data_end": notable.data_end,
        "notable_short": notable.end_year < s.end_year, **agreement([change[p] for p in populations]),
        "partial_years": sorted(set(share_table.loc[share_table["partial_year"], "year"])),
        "origins": list(origins), "origin_rule": origin_rule,
    }  # fmt: skip


def us_china_text(
    share_table: pd.DataFrame, setting: Setting, notable: Setting, origins: list[str], origin_rule: str
) -> tuple[str, dict[str, str]]:
    """The headline on China vs the US and on whether the US share is slipping, and the texts of
    `open-share-by-origin` (arguments of `us_china_facts`)."""
    facts = us_china_facts(share_table, setting, notable, origins, origin_rule)
    return _say("us_china", **facts), _figure("open-share-by-origin", **facts)


def releases_facts(wide: pd.DataFrame, setting: Setting, origin_rule: str) -> dict:
    """Open releases by origin (`wide`: year x origin counts) in the last year, and as count shares then and in
    the first year of the recent span (`earlier`)."""
    s, earlier, end = setting, compare_from(setting), setting.end_year
    totals = wide.sum(axis=1)
    share = wide.div(totals.where(totals > 0), axis=0)
    return {
        **asdict(s), "origin_rule": origin_rule, "earlier": earlier, "n_end": wide.loc[end].sum(),
        "end_china": wide.loc[end, CHINA], "end_us": wide.loc[end, US], "end_china_share": share.loc[end, CHINA],
        "end_us_share": share.loc[end, US], "earlier_china_share": share.loc[earlier, CHINA],
        "earlier_us_share": share.loc[earlier, US],
    }  # fmt: skip


def releases_text(wide: pd.DataFrame, setting: Setting, origin_rule: str) -> tuple[str, dict[str, str]]:
    """Open releases by origin as count shares, and the texts of `open-releases-by-origin` (arguments of
    `releases_facts`)."""
    facts = releases_facts(wide, setting, origin_rule)
    return _say("releases", **facts), _figure("open-releases-by-origin", **facts)


def organizations_facts(org_wide: pd.DataFrame, organizations: pd.DataFrame, setting: Setting) -> dict:
    """Distinct Chinese and US organizations with an open release in the last year (`org_wide`: year x region
    counts) and how many names as Epoch writes them (`n_listed`) the aliases merged into how many (`n_merged`)."""
    s, end = setting, setting.end_year
    opened = organizations[organizations["is_open"].fillna(False).astype(bool) & (organizations["year"] == end)]
    return {
        **asdict(s), "china": org_wide.loc[end, CHINA], "us": org_wide.loc[end, US],
        "n_listed": opened["listed_as"].nunique(), "n_merged": opened["organization"].nunique(),
    }  # fmt: skip


def organizations_text(
    org_wide: pd.DataFrame, organizations: pd.DataFrame, setting: Setting
) -> tuple[str, dict[str, str]]:
    """How many distinct Chinese and US organizations released open weights in the last year and how many names
    the aliases merged (`organizations`: one row per model and organization, with `listed_as`), and the texts of
    `open-orgs-by-origin` (arguments of `organizations_facts`)."""
    facts = organizations_facts(org_wide, organizations, setting)
    return _say("organizations", **facts), _figure("open-orgs-by-origin", **facts)
