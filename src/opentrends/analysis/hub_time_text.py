"""Sentences, captions and CSV column descriptions of notebook 07 (Hub adoption over time), from computed values.

Every function returns text; the notebook only displays it. Shares are in %, changes in percentage points.
"""

from __future__ import annotations

import pandas as pd

from opentrends.analysis.hub_growth import FamilyCount, ShareChange
from opentrends.core import text

COLUMNS = {
    "hub-finetunes-by-base-origin": {
        "month": "calendar month (YYYY-MM) of the base model's creation date + k months (the k-month column)",
        "origin": "origin of the base model's maker: United States, China, Rest of world",
        "new_finetunes": "Hub models registered as fine-tunes of that origin's base models, new that month",
        "cumulative_finetunes": "new_finetunes summed over every month up to this one (from the data's start)",
        "china_share": "China's share of the month's new fine-tunes (all bases)",
        "china_share_without_top_bases": "the same without the bases with the most fine-tunes (named in the caption)",
        "partial_month": "true where the month holds some base's last column, counted to the snapshot date",
    },
    "hub-top-bases-by-finetunes": {
        "base_model": "Hub id of the base model",
        "organization": "the organization's file in the source (17 organizations)",
        "origin": "origin of the organization: United States, China, Rest of world",
        "created_at": "the base model repository's creation time (UTC)",
        "finetunes": "Hub models registered as its fine-tunes at the snapshot date",
    },
    "hub-downloads-by-maker-origin": {
        "date": "day",
        "origin": "origin of the model's maker (makers.maker_of): United States, China, Rest of world, Unknown",
        "downloads": "that day's downloads of the tracked models of that origin (increase of the cumulative count)",
        "downloads_7d_mean": "mean of downloads over the 7 days ending that day",
        "share": "downloads_7d_mean / the sum over origins that day",
    },
    "hub-trending-by-origin": {
        "week": "week starting Monday (YYYY-MM-DD)",
        "origin": "origin: United States, China, Rest of world, Unknown",
        "slots": "daily trending slots (day, rank) held by models whose maker has that origin",
        "share": "slots / all slots of the week (maker origin, the headline)",
        "share_by_uploader": "the same share credited to the uploading account's origin",
    },
}


def change(c: ShareChange, what: str) -> str:
    """'<what> went from A% (first) to B% (last), +X percentage points (95% interval L to H)'."""
    return (
        f"{what} went from {text.pct(c.first_share, 1)} ({c.first_period}, {text.count(c.first_n)}) to "
        f"{text.pct(c.last_share, 1)} ({c.last_period}, {text.count(c.last_n)}): "
        f"{text.pp(c.difference_pp / 100, 1, signed=True)} (95% interval "
        f"{text.pp(c.ci_low_pp / 100, 1, signed=True)} to {text.pp(c.ci_high_pp / 100, 1, signed=True)})"
    )


def families_text(counts: dict[str, FamilyCount], date: str) -> str:
    """The claims' counts: DeepSeek-R1 alone, the R1 family, the Llama family, Qwen."""
    r1, fam, llama, qwen = (counts[k] for k in ("DeepSeek-R1", "R1 family", "Llama family", "Qwen"))
    return (
        f"At {date}, **DeepSeek-R1** alone had {text.count(r1.finetunes)} Hub fine-tunes; the **R1 family** "
        f"({text.count(fam.n_bases)} bases: R1, R1-Zero and the distills) {text.count(fam.finetunes)}. The **Llama "
        f"family**, summed over {text.count(llama.n_bases)} `meta-llama/*` base models, had "
        f"{text.count(llama.finetunes)} (a model that names two bases counts twice in a sum over bases). **Qwen**'s "
        f"{text.count(qwen.n_bases)} base models had {text.count(qwen.finetunes)}."
    )


def growth_text(table: pd.DataFrame, all_bases: ShareChange, without: ShareChange, excluded, h2: tuple) -> str:
    """The monthly new fine-tunes paragraph: totals, the top bases left out, the share change both ways."""
    total = int(table["new_finetunes"].sum())
    top = table.groupby("month")["new_finetunes"].sum().idxmax()
    h2_all, h2_without = h2
    return (
        f"From {table['month'].min()} to {table['month'].max()} the 17 organizations' base models gained "
        f"{text.count(total)} fine-tunes; the busiest month was {top}. The two bases with most fine-tunes "
        f"({', '.join(excluded)}) owe much of their count to automated uploads, so every share is also given "
        f"without them. {change(all_bases, 'The Chinese share of new fine-tunes')}; without those bases it "
        f"{change(without, '')[1:]}. From 2023-H2 to 2025-01: {change(h2_all, 'all bases')}; "
        f"{change(h2_without, 'without the two')}."
    )


def growth_caption(excluded, partial_months) -> str:
    """Caption of hub-finetunes-by-base-origin."""
    return (
        "New Hub fine-tunes per calendar month of the base models of 17 organizations (Bhandari et al. 2025), by the "
        "origin of the base model's maker; the line is China's share, left with all bases, right without "
        f"{' and '.join(excluded)}. Month of column k = creation month + k; hatched months "
        f"({', '.join(partial_months)}) hold counts cut at the snapshot date. Counts include automated uploads; "
        "17 organizations, not the whole Hub."
    )


def downloads_text(table: pd.DataFrame, before_after: ShareChange, release: str, n_models: int) -> str:
    """The downloads paragraph: shares on the last day, the change across the DeepSeek-R1 release."""
    last = table[table["date"] == table["date"].max()].set_index("origin")["share"]
    return (
        f"On {table['date'].max():%Y-%m-%d} the 7-day mean downloads of the {text.count(n_models)} tracked models "
        f"split by maker origin as United States {text.pct(last.get('United States'), 1)}, China "
        f"{text.pct(last.get('China'), 1)}, Rest of world {text.pct(last.get('Rest of world'), 1)}, Unknown "
        f"{text.pct(last.get('Unknown'), 1)}. Across DeepSeek-R1's release ({release}) "
        f"{change(before_after, 'China’s share of daily downloads')}; with billions of downloads as trials the "
        "interval is narrow, but downloads are not independent draws. The models are each organization's top "
        "downloads as of the snapshot and count from 2024-07-02, so the early months undercount: read the shares, "
        "not the levels."
    )


def trending_text(monthly: pd.DataFrame, maker: ShareChange, uploader: ShareChange, gaps, n_unknown: int) -> str:
    """The trending paragraph: first and last month both ways, the change, the gaps, the unknown makers."""
    first, last = monthly.iloc[0], monthly.iloc[-1]
    return (
        f"In {first['month']} ({text.count(first['days'])} days) models of Chinese makers held "
        f"{text.pct(first['maker_share'], 1)} of the trending slots ({text.pct(first['uploader_share'], 1)} credited to "
        f"the uploader); in {last['month']} ({text.count(last['days'])} days) {text.pct(last['maker_share'], 1)} "
        f"({text.pct(last['uploader_share'], 1)}). {change(maker, 'By maker, the Chinese share')}; "
        f"{change(uploader, 'by uploader')}. Days without a file ({', '.join(gaps) or 'none'}) are gaps: those "
        f"weeks hold fewer slots and nothing is interpolated. {text.count(n_unknown)} slots are of makers of unknown "
        "origin (repackagings no family matches, or uploaders no table labels); they stay Unknown."
    )


def caveats_text(n_orgs: int, top_share: float, gaps, slots: int) -> str:
    """The caveats, computed: organizations covered, the top bases' weight, trending's form, the gaps."""
    return (
        f"**Limits.** The growth data cover {text.count(n_orgs)} organizations' base models, not the Hub. Fine-tune "
        f"counts include automated uploads: the two bases with most fine-tunes hold {text.pct(top_share, 1)} of all. "
        f"Trending is a ranking of {text.count(slots)} a day and its download and like counts are display values "
        f"rounded to three digits. {text.count(len(gaps))} days have no file and are shown as gaps."
    )


def top_bases_caption(date: str) -> str:
    """Caption of hub-top-bases-by-finetunes."""
    return (
        f"Hub models registered as fine-tunes of each base model at {date}, among the base models of 17 "
        "organizations (Bhandari et al. 2025), coloured by the origin of the maker. Counts include automated uploads."
    )


def top_bases_alt(top: pd.DataFrame) -> str:
    """Alt text of hub-top-bases-by-finetunes (`top`: base_model, finetunes, largest first)."""
    return f"Horizontal bars; {top.iloc[0].base_model} leads with {text.count(top.iloc[0].finetunes)} fine-tunes."


def growth_alt(all_bases: ShareChange, without: ShareChange) -> str:
    """Alt text of hub-finetunes-by-base-origin."""
    return (
        "Stacked monthly bars with China's share as a line; the Chinese share goes from "
        f"{text.pct(all_bases.first_share)} to {text.pct(all_bases.last_share)} ({text.pct(without.last_share)} "
        "without the top bases)."
    )


DOWNLOADS_CAPTION = (
    "Share of the 7-day mean of daily downloads of each organization's (up to) 100 most-downloaded models, "
    "plus the source's Other file, by the origin of the model's maker (repackagings credited to the maker; "
    "Unknown where no rule applies). The dashed line marks DeepSeek-R1's release. 17 organizations, not the Hub."
)


def downloads_alt(moment: ShareChange, release: str) -> str:
    """Alt text of hub-downloads-by-maker-origin."""
    return (
        f"Lines of download shares by origin; China's share moves from {text.pct(moment.first_share)} in the two "
        f"weeks before {release} to {text.pct(moment.last_share)} in the last two weeks."
    )


def trending_caption(gaps) -> str:
    """Caption of hub-trending-by-origin."""
    return (
        "Weekly share of the 30 daily trending slots by the origin of the model's maker (left) and of the "
        f"uploading account (right). Grey bands: days without a file ({', '.join(gaps)}), gaps not interpolated; "
        "weeks with fewer days hold fewer slots (column days). Trending is a ranking of 30, not downloads."
    )


def trending_alt(by_maker: ShareChange) -> str:
    """Alt text of hub-trending-by-origin."""
    return (
        f"Two panels of weekly share lines; credited to the maker, China holds {text.pct(by_maker.first_share)} of "
        f"the slots in the first two months and {text.pct(by_maker.last_share)} in the last two."
    )
