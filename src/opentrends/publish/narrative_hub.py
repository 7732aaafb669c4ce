"""The sentences about the Hub's head and derivative trees (notebook 04): coverage, ranks, origins, trees.

Every function returns text built from computed values; the notebook only displays it. Shares are in %,
differences of shares in percentage points.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from opentrends.core import text

ORIGINS = ("United States", "China", "Rest of world", "Unknown")
HEAD_LIMITS = "The head is not the whole Hub; downloads are 30-day counts."
PAGE_CAP = 300  # the Hub API's page cap on direct children, about which the tree records stop


def _day(date) -> str:
    return f"{pd.Timestamp(date):%-d %B %Y}"


def head_text(dates: Sequence, list_size: int, n_head: int, n_atom: int, n_table: int, n_used: int) -> str:
    """The head paragraph: how many daily captures, how the lists are ordered, and who labels an author."""
    word = "captures" if len(dates) > 1 else "capture"
    n = text.count(list_size)
    return (
        f"**The head.** {text.count(len(dates))} daily {word}, {_day(dates[0])} to {_day(dates[-1])}, of the "
        f"Hub API's top {n} models by likes and top {n} by downloads ({text.count(n_head)} distinct models on the "
        f"last day). The first {n} entries of each file are the likes list in order, the rest are the downloads-list "
        "models not already in it; the loader checks both orders on every file and derives the downloads rank over "
        "the union. Downloads are the Hub's 30-day counts, so they measure current use, not all-time adoption.\n\n"
        "**Who made each model.** An author (the id before `/`) gets its region from the ATOM Project's "
        f"`organization_regions.csv` ({text.count(n_atom)} organizations; its `us` is United States, `china` "
        "China, `eu` and `other` are Rest of world, `unknown` stays Unknown). Authors ATOM lacks are labelled in the "
        f"committed `data/hub_author_regions.csv` ({text.count(n_table)} rows, each with an evidence URL; "
        f"{text.count(n_used)} of them appear on the last day)."
    )


def coverage_text(date, head_size: int, likes, downloads, atom_likes, atom_downloads, dl_unknown: tuple) -> str:
    """How much of the head has a known origin: `likes`/`downloads` are `hubquery.label_coverage` rows (both
    tables), `atom_*` the same with ATOM's labels alone, `dl_unknown` (models, share) of the downloads."""
    models, share = dl_unknown
    n = text.count(head_size)
    flagged = sorted(set(likes.labelled_unknown_authors) | set(downloads.labelled_unknown_authors))
    note = (
        f"ATOM itself labels the rest `unknown`: {', '.join(flagged)}"
        if flagged
        else "no author in either list carries ATOM's `unknown` label"
    )
    return (
        f"On {_day(date)} authors of known origin (United States, China or Rest of world) hold "
        f"{text.pct(likes.known_share, 1)} of the likes of the top {n} by likes and {text.pct(1 - share, 1)} of the "
        f"downloads of the top {n} by downloads (with ATOM's labels alone: {text.pct(atom_likes.known_share, 1)} and "
        f"{text.pct(atom_downloads.known_share, 1)}). The rest is of **Unknown** origin: "
        f"{text.count(likes.n_unknown_authors)} authors ({text.count(likes.n_unknown_models)} models) in the likes "
        f"list and {text.count(downloads.n_unknown_authors)} authors ({text.count(models)} models, "
        f"{text.pct(share, 1)} of the downloads, as in `hub-downloads-by-origin`) in the downloads list. Of these, "
        f"{text.count(likes.n_unlabelled_authors)} and {text.count(downloads.n_unlabelled_authors)} authors "
        f"({text.count(likes.n_unlabelled_models)} and {text.count(downloads.n_unlabelled_models)} models) have no "
        "label in either table, mostly individuals and pseudonymous accounts (fine-tunes, quantizations, community "
        f"checkpoints) whose location no public page states; {note}."
    )


def rank_text(model: str, followed: pd.DataFrame, leaders: pd.DataFrame, n_days: int, head_size: int) -> str:
    """Where `model` ranks by likes over the captures (`followed`: date, rank, likes of its days in the head)
    against the daily leader (`leaders`: date, id, likes of rank 1 each day; first and last day are compared)."""
    first, last = followed.iloc[0], followed.iloc[-1]
    lead_first, lead_last = leaders.iloc[0], leaders.iloc[-1]
    ranks = sorted(followed["rank"].unique())
    every_day = len(followed) == n_days
    who = lead_first.id if lead_first.id == lead_last.id else f"{lead_first.id}, then {lead_last.id}"
    if ranks == [1] and every_day:
        leads = "is the most-liked model on the Hub on every capture day"
    elif 1 not in ranks:
        leads = "is not the most-liked model on the Hub on any capture day"
    else:
        leads = "is the most-liked model on the Hub on some capture days only"
    if len(ranks) == 1 and every_day:
        held = f"rank {ranks[0]} on every one of the {text.count(len(followed))} capture days"
    else:
        held = "ranks " + ", ".join(f"{r.rank} ({_day(r.date)})" for r in followed.itertuples())
        held += f" (in the top {text.count(head_size)} by likes on {text.count(len(followed))} of {text.count(n_days)} days)"
    return (
        f"**{model}** holds {held}: {text.count(first.likes)} likes on {_day(lead_first.date)}, "
        f"{text.count(last.likes)} on {_day(lead_last.date)}. The most-liked model on the first and last day is "
        f"{who} ({text.count(lead_first.likes)} and {text.count(lead_last.likes)} likes); the gap went "
        f"from {text.count(lead_first.likes - first.likes)} to {text.count(lead_last.likes - last.likes)} likes over "
        f"the captures. So at these captures {model} {leads}; whether it led in early 2025, when the claim was made, "
        "these captures cannot say. The daily ranks:"
    )


def tree_rank_text(model: str, in_trees: pd.DataFrame, n_models: int, n_roots: int, capture, first: tuple) -> str:
    """`model`'s likes and rank in the tree records (`in_trees`: its ranking rows, empty when absent) and the
    likes gained until the first head capture (`first`: date, likes)."""
    capture, (first_date, first_likes) = pd.Timestamp(capture), first
    if len(in_trees):
        likes, rank = in_trees["likes"].iloc[0], in_trees["rank"].iloc[0]
        said = (
            f"In the April {capture.year} tree records ({text.count(n_models)} models of {text.count(n_roots)} "
            f"families, snapshot of {_day(capture)}) {model} had {text.count(likes)} likes, rank {rank} among them"
        )
        gained = text.count(first_likes - likes)
    else:
        said, gained = f"{model} is not in the April {capture.year} tree records", "n/a"
    return (
        f"{said}. Those records hold only {text.count(n_roots)} families and their derivatives, so that rank is "
        f"within the families, not the Hub; between that capture and {_day(first_date)} it gained {gained} likes."
    )


def most_liked_caption(top_n: int, date) -> str:
    """Caption of hub-most-liked."""
    return (
        f"Likes of the {top_n} most-liked Hub models at the capture of {_day(date)}, coloured by the origin of "
        "the author (ATOM organization regions, then the project's evidenced author table; Unknown when "
        f"neither labels it). {HEAD_LIMITS} Likes accumulate over a model's lifetime, so older models are "
        f"favoured. The CSV gives the {top_n} models drawn (ranks 1 to {top_n} on that day)."
    )


def most_liked_alt(top_n: int, leader, model: str, rank: int, likes: int) -> str:
    """Alt text of hub-most-liked: the leader (a row with model, likes) and the followed model's rank."""
    return (
        f"Horizontal bars of likes for the {top_n} most-liked Hub models; {leader.model} leads with "
        f"{text.count(leader.likes)} likes and {model} is at rank {rank} with {text.count(likes)}."
    )


def columns(figure: str, head_size: int) -> dict[str, str]:
    """The CSV column descriptions of one of notebook 04's figures."""
    origin = "origin of the author: United States, China, Rest of world, Unknown"
    return {
        "hub-most-liked": {
            "date": "capture date (the Hub API query's day)", "rank": "rank by likes on that date (ties by id)",
            "model": "Hub model id", "author": "Hub author (id before '/')", "origin": origin,
            "likes": "likes on that date", "created_at": "the model repository's createdAt (UTC)",
        },
        "hub-downloads-by-origin": {
            "attribution": "uploader, maker or maintainer (how each model is credited)", "origin": "origin credited",
            "n_models": f"models among the top {head_size}", "downloads_30d": "their summed 30-day downloads",
            "share": f"downloads_30d / the top {head_size}'s total",
        },
        "hub-popular-models-by-creation": {
            "created_month": "month the repository was created (YYYY-MM, UTC); 'before 2023-01' bins the early tail",
            "origin": origin, "n_models": "head models created that month",
        },
        "hub-derivatives-by-base": {
            "root": "family root: the base model reached by following first base models up the chain",
            "origin": "origin of the root's author", "relation": "the derivative's declared relation to its base",
            "n": "derivatives recorded",
            "capped": "true where the root's direct children reach the API page cap: n is a floor (≥)",
        },
        "hub-derivative-timeline": {
            "root": "family root (base model)",
            "days_since_release": "whole calendar days since the root was created (0..90)",
            "cumulative_derivatives": "derivatives created up to that day (day 0 includes those dated earlier)",
        },
        "hub-tracked-models-by-region": {
            "region": "ATOM region label (us, china, eu, other, unknown)", "n_models": "tracked Hub models",
            "n_orgs": "organizations with tracked models",
        },
    }[figure]  # fmt: skip


def shares_on(by_origin: pd.DataFrame, date, column: str = "share") -> pd.Series:
    """One day's `column` by origin from a `hubquery.downloads_by_origin` table, every origin present (0 if none)."""
    return by_origin[by_origin["date"] == date].set_index("origin")[column].reindex(list(ORIGINS), fill_value=0)


def china_of_pair(by_origin: pd.DataFrame) -> float:
    """China's share of the China + United States downloads on the table's last day."""
    last = shares_on(by_origin, by_origin["date"].max(), "downloads_30d")
    return last["China"] / (last["China"] + last["United States"])


def downloads_text(by_origin: pd.DataFrame, head_size: int, maintainer: Sequence[str], moved: tuple) -> str:
    """Download shares by origin on the first and last day of `by_origin` (`hubquery.downloads_by_origin`),
    China's share of the China+US pair, and the maintainer variant (`moved`: the share of the head's downloads
    in the `maintainer` namespaces, the variant's shares by origin)."""
    moved_share, variant = moved
    first_date, last_date = by_origin["date"].min(), by_origin["date"].max()
    first, last = shares_on(by_origin, first_date), shares_on(by_origin, last_date)
    return (
        f"On {_day(last_date)} the top {text.count(head_size)} models by 30-day downloads split as: "
        f"United States {text.pct(last['United States'], 1)}, China {text.pct(last['China'], 1)}, Rest of world "
        f"{text.pct(last['Rest of world'], 1)}, Unknown {text.pct(last['Unknown'], 1)} of their downloads "
        f"(on {_day(first_date)}: " + ", ".join(text.pct(first[o], 1) for o in ORIGINS) + "). "
        f"China trails the United States by {text.pp(last['United States'] - last['China'], 1)}; of the downloads "
        f"of the two, China has {text.pct(china_of_pair(by_origin))}. The largest single labelling judgement is the "
        f"Sentence Transformers namespaces ({', '.join(maintainer)}: {text.pct(moved_share, 1)} of the head's "
        "downloads), labelled Germany after their creator, UKP Lab; counted with their maintainer since 2023, "
        f"Hugging Face, the United States would have {text.pct(variant.get('United States', 0), 1)} and Rest of world "
        f"{text.pct(variant.get('Rest of world', 0), 1)} (China unchanged at {text.pct(variant.get('China', 0), 1)})."
    )


def anchors_text(anchors: dict, pair: float, head_size: int) -> str:
    """The published anchors (ATOM, Longpre et al., hub-stats from `hubquery.ANCHORS`) against the head's pair."""
    atom, longpre, hub_stats = (anchors[k] for k in ("atom", "longpre", "hub_stats"))
    atom_pair = atom["china_downloads"] / (atom["china_downloads"] + atom["us_downloads"])
    return (
        f"**Published anchors.** The {atom['source']} reports that Chinese open models overtook US ones in Hub "
        f"downloads in summer 2025, with {atom['china_downloads'] / 1e9:.2f} billion against "
        f"{text.count(atom['us_downloads'] / 1e6)} million tracked downloads by {atom['as_of']} (China "
        f"{text.pct(atom_pair)} of the two). {longpre['source']} attribute {text.pct(longpre['china_share'], 1)} of "
        f"Hub downloads in {longpre['period']} to Chinese organizations and {text.pct(longpre['us_share'], 1)} to US "
        f"ones. The head here points the other way (China {text.pct(pair)} of the pair), and it is not comparable: "
        f"it is {text.count(head_size)} models ranked by 30-day downloads, led by small encoders (sentence embeddings, "
        "BERT-style classifiers, speech models) that pipelines and CI jobs pull millions of times, while ATOM counts "
        "a curated list of open language models and Longpre et al. attribute all Hub downloads over a year. A "
        f"whole-Hub answer needs the whole-Hub table: {hub_stats['source']} lists {text.count(hub_stats['n_models'])} "
        "models, and `hubquery.downloads_by_origin` runs on it unchanged once a revision is pinned."
    )


def attribution_caption(head_size: int, date) -> str:
    """Caption of hub-downloads-by-origin."""
    return (
        f"Share of the 30-day downloads of the top {head_size} models by downloads on {_day(date)} by origin, "
        "credited to the uploading account, to the model's maker (makers.maker_of: repackagings count for the maker) "
        f"and to the uploader with the Sentence Transformers namespaces labelled by their maintainer. {HEAD_LIMITS}"
    )


def attribution_alt(by_maker: pd.Series) -> str:
    """Alt text of hub-downloads-by-origin: the maker-credited shares by origin."""
    return (
        f"Three stacked bars; credited to the maker, the United States has {text.pct(by_maker['United States'])}, "
        f"China {text.pct(by_maker['China'])}, Rest of world {text.pct(by_maker['Rest of world'])}, Unknown "
        f"{text.pct(by_maker['Unknown'])}."
    )


def creation_text(n_head: int, date, recent: pd.Series, older: pd.Series, earliest: tuple) -> str:
    """When the head's models were made: `recent`/`older` are models by origin created within / before the
    twelve months before `date`; `earliest` is (the earliest createdAt, models carrying that day)."""
    day, n_day = earliest
    return (
        f"Of the {text.count(n_head)} models in the head on {_day(date)}, {text.count(recent.sum())} were created in "
        f"the twelve months before it; among those, {text.pct(recent['China'] / recent.sum())} are Chinese and "
        f"{text.pct(recent['United States'] / recent.sum())} American, against "
        f"{text.pct(older['China'] / older.sum())} and {text.pct(older['United States'] / older.sum())} of the "
        f"{text.count(older.sum())} older ones. The earliest creation date the Hub returns is {_day(day)}: "
        f"{text.count(n_day)} head models carry that day, which therefore means *on or before*."
    )


def creation_caption(n_head: int, list_size: int, date, earliest) -> str:
    """Caption of hub-popular-models-by-creation."""
    return (
        f"The {n_head} models in the top {list_size} by likes or by 30-day downloads on {_day(date)}, by the month "
        f"their repository was created and the origin of the author. {HEAD_LIMITS} The Hub's createdAt starts on "
        f"{_day(earliest)}; earlier models carry that date. Months before 2023 are one bin."
    )


def creation_alt(recent: pd.Series) -> str:
    """Alt text of hub-popular-models-by-creation."""
    return (
        f"Stacked monthly bars of head models by creation month; of the {text.count(recent.sum())} created in the "
        f"last twelve months, {text.pct(recent['China'] / recent.sum())} are Chinese."
    )


def trees_text(year: int, n_roots: int, n_models: int, missing: tuple, relations: Sequence[str], hub_stats: dict,
               capped: Sequence[str]) -> str:  # fmt: skip
    """What the tree records hold: `missing` is (rows without metadata, duplicates); `capped` the roots at the
    page cap; `hub_stats` the whole-Hub anchor (base_share, relations shares)."""
    n_missing, duplicates = missing
    rel = hub_stats["relations"]
    return (
        f"The April {year} records follow {text.count(n_roots)} base models' trees ({text.count(n_models)} models "
        f"with metadata; {text.count(n_missing)} rows, {text.pct(n_missing / (n_missing + n_models + duplicates), 1)}, "
        "have none: deleted or private models, counted and left out). Each derivative is assigned to its family root "
        f"by following its first base model up the chain. The records carry one relation only ({', '.join(relations)}): "
        f"the crawl followed fine-tune links. In {hub_stats['source']}, {text.pct(hub_stats['base_share'])} of models "
        f"declare base models, and of the declared relations finetune is {text.pct(rel['finetune'])}, adapter "
        f"{text.pct(rel['adapter'])}, quantized {text.pct(rel['quantized'])} and merge {text.pct(rel['merge'])}; so "
        "these records hold only the fine-tune share, and adapters, quantizations and merges are missing. "
        f"{text.count(len(capped))} of the trees stop near the API's page cap of about {text.count(PAGE_CAP)} direct "
        f"children ({', '.join(capped)}), so their counts are floors: these records cannot test the claim that Llama "
        "has tens of thousands of derivatives, and they cannot rank families against each other."
    )


def derivatives_caption(n_roots: int, year: int) -> str:
    """Caption of hub-derivatives-by-base."""
    return (
        f"Models whose base-model chain leads to each root, from the Hub API records of {n_roots} families "
        f"(Laufer, Oderinwale & Kleinberg, captured April {year}), by relation (fine-tune only in these records). "
        f"The trees are capped near {PAGE_CAP} children per model by an API page cap, so counts are floors (marked ≥) "
        f"and not comparable across families; downloads are 30-day; the {n_roots} families are not the Hub."
    )


def derivatives_alt(per_root: pd.DataFrame, n_capped: int) -> str:
    """Alt text of hub-derivatives-by-base (`per_root` sorted by n, largest last)."""
    top = per_root.iloc[-1]
    return (
        f"Horizontal bars of recorded derivatives per root; {top['root']} has the most, {text.count(top['n'])}, and "
        f"{text.count(n_capped)} trees are at the page cap."
    )


def spread_text(model: str, thirty: pd.Series, n_roots: int, busiest: tuple) -> str:
    """Derivatives within 30 days of release per root (`thirty`), led by `model` or, when it is no root, the
    root with most; `busiest` is (the month with most new derivatives, China's share of them)."""
    subject = model if model in thirty.index else thirty.idxmax()
    note = "" if subject == model else f"({model} is not one of the roots) "
    others = thirty.drop(subject).sort_values(ascending=False)
    listed = ", ".join(f"{text.count(n)} for {root.split('/')[-1]}" for root, n in others.items())
    month, cn = busiest
    return (
        f"{note}Within {text.count(30)} days of its release {subject} had {text.count(thirty[subject])} recorded "
        f"derivatives, against {listed}; the cap makes every curve flatten where the record stops, not where adoption "
        f"did. In these {text.count(n_roots)} trees the month with most new derivatives is {month}, when "
        f"{text.pct(cn)} were built on Chinese roots; that share reflects which {text.count(n_roots)} roots were "
        "crawled. `hubquery.derivative_share_by_month` gives the Hub-wide monthly share on a whole-Hub snapshot."
    )


def timeline_caption(n_before: int, n_roots: int) -> str:
    """Caption of hub-derivative-timeline."""
    return (
        "Cumulative derivatives of each root by whole days since the root's repository was created, one panel per "
        f"root, 0 to 90 days (day 0 includes {text.count(n_before)} derivatives dated before their root); colour is "
        f"the origin of the root. The trees are capped near {PAGE_CAP} children per model, so '≥' marks floors; "
        f"{n_roots} families, not the Hub."
    )


def atom_text(n_models: int, n_orgs: int, counts: pd.DataFrame) -> str:
    """The ATOM universe: tracked models and organizations per region (`counts`: index region, n_models, n_orgs)."""

    def part(region: str) -> tuple[str, str]:
        return text.count(counts.loc[region, "n_models"]), text.count(counts.loc[region, "n_orgs"])

    (cn, cn_o), (us, us_o), (eu, eu_o), (ot, ot_o), (un, un_o) = map(part, ("china", "us", "eu", "other", "unknown"))
    return (
        f"The ATOM Project tracks {text.count(n_models)} Hub models from {text.count(n_orgs)} organizations: {cn} "
        f"Chinese ({cn_o} organizations), {us} US ({us_o}), {eu} European ({eu_o}), {ot} from elsewhere ({ot_o}) and "
        f"{un} of unknown region ({un_o}). It is a curated list of notable open language models, the universe behind "
        "the ATOM Report's download counts, and it counts models, not their use."
    )


def atom_alt(by_region: pd.DataFrame) -> str:
    """Alt text of hub-tracked-models-by-region."""
    parts = (
        f"{r.region} {text.count(r.n_models)} models ({text.count(r.n_orgs)} organizations)"
        for r in by_region.itertuples()
    )
    return "Bars of tracked models per region: " + ", ".join(parts) + "."


ATOM_CAPTION = (
    "Hub models in ATOM's tracked lists (models.csv plus extra_models.csv) by the region ATOM gives their "
    "organization, with the number of organizations on each bar. A curated list of open language models, not "
    "the whole Hub; it counts models, not downloads."
)


def timeline_alt(subject: str, n: int) -> str:
    """Alt text of hub-derivative-timeline."""
    return f"Small multiples of step lines; {subject} reaches {text.count(n)} derivatives within 30 days."
