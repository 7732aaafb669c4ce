"""The sentences about the Hub's head and derivative trees (notebook 04): coverage, ranks, origins, trees.

Each sentence's wording is a template (`templates/notebooks/04_hub_adoption/`, `templates/captions/hub-*`); the
functions here compute its facts (named numbers and names) and fill the template (`core.wording.render`). Shares
are in %, differences of shares in percentage points.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from opentrends.core import wording

ORIGINS = ("United States", "China", "Rest of world", "Unknown")
PAGE_CAP = 300  # the Hub API's page cap on direct children, about which the tree records stop
NOTEBOOK = "notebooks/04_hub_adoption/"


def _say(name: str, **facts) -> str:
    return wording.render(NOTEBOOK + name + ".md", **facts)


def _caption(figure: str, kind: str, **facts) -> str:
    return wording.render(f"captions/{figure}.{kind}.txt", **facts)


def head_text(dates: Sequence, list_size: int, n_head: int, n_atom: int, n_table: int, n_used: int) -> str:
    """The head paragraph: how many daily captures, how the lists are ordered, and who labels an author."""
    return _say("head", n_captures=len(dates), first=dates[0], last=dates[-1], list_size=list_size, n_head=n_head,
                n_atom=n_atom, n_table=n_table, n_used=n_used)  # fmt: skip


def coverage_facts(date, head_size: int, likes, downloads, atom_likes, atom_downloads, dl_unknown: tuple) -> dict:
    """How much of the head has a known origin: `likes`/`downloads` are `hubquery.label_coverage` rows (both
    tables), `atom_*` the same with ATOM's labels alone, `dl_unknown` (models, share) of the downloads."""
    models, share = dl_unknown
    return {
        "date": date, "head_size": head_size, "likes_known": likes.known_share, "downloads_known": 1 - share,
        "atom_likes_known": atom_likes.known_share, "atom_downloads_known": atom_downloads.known_share,
        "likes_unknown_authors": likes.n_unknown_authors, "likes_unknown_models": likes.n_unknown_models,
        "downloads_unknown_authors": downloads.n_unknown_authors, "downloads_unknown_models": models,
        "downloads_unknown_share": share,
        "likes_unlabelled_authors": likes.n_unlabelled_authors, "likes_unlabelled_models": likes.n_unlabelled_models,
        "downloads_unlabelled_authors": downloads.n_unlabelled_authors,
        "downloads_unlabelled_models": downloads.n_unlabelled_models,
        "atom_unknown": sorted(set(likes.labelled_unknown_authors) | set(downloads.labelled_unknown_authors)),
    }  # fmt: skip


def coverage_text(*args, **kwargs) -> str:
    """The coverage sentence (arguments of `coverage_facts`)."""
    return _say("coverage", **coverage_facts(*args, **kwargs))


def rank_facts(model: str, followed: pd.DataFrame, leaders: pd.DataFrame, n_days: int, head_size: int) -> dict:
    """Where `model` ranks by likes over the captures (`followed`: date, rank, likes of its days in the head)
    against the daily leader (`leaders`: date, id, likes of rank 1 each day; first and last day are compared).
    `leads` is 'every', 'none' or 'some' (days `model` is the most-liked); `steady_rank` its rank when it held
    one rank every day, else None."""
    first, last = followed.iloc[0], followed.iloc[-1]
    lead_first, lead_last = leaders.iloc[0], leaders.iloc[-1]
    ranks = sorted(followed["rank"].unique())
    every_day = len(followed) == n_days
    leads = "every" if ranks == [1] and every_day else "none" if 1 not in ranks else "some"
    return {
        "model": model, "steady_rank": ranks[0] if len(ranks) == 1 and every_day else None,
        "daily": [(r.rank, r.date) for r in followed.itertuples()], "n_followed": len(followed), "n_days": n_days,
        "head_size": head_size, "first_likes": first.likes, "last_likes": last.likes,
        "lead_first_date": lead_first.date, "lead_last_date": lead_last.date,
        "leaders": list(dict.fromkeys([lead_first.id, lead_last.id])),
        "lead_first_likes": lead_first.likes, "lead_last_likes": lead_last.likes,
        "gap_first": lead_first.likes - first.likes, "gap_last": lead_last.likes - last.likes, "leads": leads,
    }  # fmt: skip


def rank_text(*args, **kwargs) -> str:
    """The rank paragraph (arguments of `rank_facts`)."""
    return _say("rank", **rank_facts(*args, **kwargs))


def tree_rank_facts(model: str, in_trees: pd.DataFrame, n_models: int, n_roots: int, capture, first: tuple) -> dict:
    """`model`'s likes and rank in the tree records (`in_trees`: its ranking rows, empty when absent; rank, likes
    and gained are None then) and the likes gained until the first head capture (`first`: date, likes)."""
    capture, (first_date, first_likes) = pd.Timestamp(capture), first
    likes, rank = (in_trees["likes"].iloc[0], in_trees["rank"].iloc[0]) if len(in_trees) else (None, None)
    return {
        "model": model, "year": capture.year, "capture": capture, "n_models": n_models, "n_roots": n_roots,
        "likes": likes, "rank": rank, "first_date": first_date,
        "gained": None if likes is None else first_likes - likes,
    }  # fmt: skip


def tree_rank_text(*args, **kwargs) -> str:
    """The tree-records rank sentence (arguments of `tree_rank_facts`)."""
    return _say("tree_rank", **tree_rank_facts(*args, **kwargs))


def most_liked_caption(top_n: int, date) -> str:
    """Caption of hub-most-liked."""
    return _caption("hub-most-liked", "caption", top_n=top_n, date=date)


def most_liked_alt(top_n: int, leader, model: str, rank: int, likes: int) -> str:
    """Alt text of hub-most-liked: the leader (a row with model, likes) and the followed model's rank."""
    return _caption("hub-most-liked", "alt", top_n=top_n, leader=leader.model, leader_likes=leader.likes,
                    model=model, rank=rank, likes=likes)  # fmt: skip


def columns(figure: str, head_size: int) -> dict[str, str]:
    """The CSV column descriptions of one of notebook 04's figures (`templates/columns/<figure>.yaml`)."""
    return wording.columns(figure, head_size=head_size)


def shares_on(by_origin: pd.DataFrame, date, column: str = "share") -> pd.Series:
    """One day's `column` by origin from a `hubquery.downloads_by_origin` table, every origin present (0 if none)."""
    return by_origin[by_origin["date"] == date].set_index("origin")[column].reindex(list(ORIGINS), fill_value=0)


def china_of_pair(by_origin: pd.DataFrame) -> float:
    """China's share of the China + United States downloads on the table's last day."""
    last = shares_on(by_origin, by_origin["date"].max(), "downloads_30d")
    return last["China"] / (last["China"] + last["United States"])


def downloads_facts(by_origin: pd.DataFrame, head_size: int, maintainer: Sequence[str], moved: tuple) -> dict:
    """Download shares by origin on the first and last day of `by_origin` (`hubquery.downloads_by_origin`),
    China's share of the China+US pair, and the maintainer variant (`moved`: the share of the head's downloads
    in the `maintainer` namespaces, the variant's shares by origin)."""
    moved_share, variant = moved
    first_date, last_date = by_origin["date"].min(), by_origin["date"].max()
    first, last = shares_on(by_origin, first_date), shares_on(by_origin, last_date)
    return {
        "first_date": first_date, "last_date": last_date, "head_size": head_size,
        "last_us": last["United States"], "last_china": last["China"], "last_rest": last["Rest of world"],
        "last_unknown": last["Unknown"], "first_shares": [first[o] for o in ORIGINS],
        "us_lead": last["United States"] - last["China"], "china_of_pair": china_of_pair(by_origin),
        "maintainer": list(maintainer), "moved_share": moved_share, "variant_us": variant.get("United States", 0),
        "variant_rest": variant.get("Rest of world", 0), "variant_china": variant.get("China", 0),
    }  # fmt: skip


def downloads_text(*args, **kwargs) -> str:
    """The download-shares paragraph (arguments of `downloads_facts`)."""
    return _say("downloads", **downloads_facts(*args, **kwargs))


def anchors_facts(anchors: dict, pair: float, head_size: int) -> dict:
    """The published anchors (ATOM, Longpre et al., hub-stats from `hubquery.ANCHORS`) against the head's pair."""
    atom, longpre, hub_stats = (anchors[k] for k in ("atom", "longpre", "hub_stats"))
    return {
        "atom_source": atom["source"], "atom_china_billions": atom["china_downloads"] / 1e9,
        "atom_us_millions": atom["us_downloads"] / 1e6, "atom_as_of": atom["as_of"],
        "atom_pair": atom["china_downloads"] / (atom["china_downloads"] + atom["us_downloads"]),
        "longpre_source": longpre["source"], "longpre_china": longpre["china_share"], "longpre_us": longpre["us_share"],
        "longpre_period": longpre["period"], "pair": pair, "head_size": head_size,
        "hub_stats_source": hub_stats["source"], "hub_stats_models": hub_stats["n_models"],
    }  # fmt: skip


def anchors_text(*args, **kwargs) -> str:
    """The published-anchors paragraph (arguments of `anchors_facts`)."""
    return _say("anchors", **anchors_facts(*args, **kwargs))


def attribution_caption(head_size: int, date) -> str:
    """Caption of hub-downloads-by-origin."""
    return _caption("hub-downloads-by-origin", "caption", head_size=head_size, date=date)


def attribution_alt(by_maker: pd.Series) -> str:
    """Alt text of hub-downloads-by-origin: the maker-credited shares by origin."""
    return _caption("hub-downloads-by-origin", "alt", us=by_maker["United States"], china=by_maker["China"],
                    rest=by_maker["Rest of world"], unknown=by_maker["Unknown"])  # fmt: skip


def creation_facts(n_head: int, date, recent: pd.Series, older: pd.Series, earliest: tuple) -> dict:
    """When the head's models were made: `recent`/`older` are models by origin created within / before the
    twelve months before `date`; `earliest` is (the earliest createdAt, models carrying that day)."""
    day, n_day = earliest
    return {
        "n_head": n_head, "date": date, "n_recent": recent.sum(), "recent_china": recent["China"] / recent.sum(),
        "recent_us": recent["United States"] / recent.sum(), "n_older": older.sum(),
        "older_china": older["China"] / older.sum(), "older_us": older["United States"] / older.sum(),
        "earliest": day, "n_earliest": n_day,
    }  # fmt: skip


def creation_text(*args, **kwargs) -> str:
    """The creation-dates paragraph (arguments of `creation_facts`)."""
    return _say("creation", **creation_facts(*args, **kwargs))


def creation_caption(n_head: int, list_size: int, date, earliest) -> str:
    """Caption of hub-popular-models-by-creation."""
    return _caption("hub-popular-models-by-creation", "caption", n_head=n_head, list_size=list_size, date=date,
                    earliest=earliest)  # fmt: skip


def creation_alt(recent: pd.Series) -> str:
    """Alt text of hub-popular-models-by-creation."""
    return _caption("hub-popular-models-by-creation", "alt", n_recent=recent.sum(),
                    recent_china=recent["China"] / recent.sum())  # fmt: skip


def trees_facts(year: int, n_roots: int, n_models: int, missing: tuple, relations: Sequence[str], hub_stats: dict,
                capped: Sequence[str]) -> dict:  # fmt: skip
    """What the tree records hold: `missing` is (rows without metadata, duplicates); `capped` the roots at the
    page cap; `hub_stats` the whole-Hub anchor (base_share, relations shares)."""
    n_missing, duplicates = missing
    rel = hub_stats["relations"]
    return {
        "year": year, "n_roots": n_roots, "n_models": n_models, "n_missing": n_missing,
        "missing_share": n_missing / (n_missing + n_models + duplicates), "relations": list(relations),
        "hub_stats_source": hub_stats["source"], "base_share": hub_stats["base_share"],
        **{k: rel[k] for k in ("finetune", "adapter", "quantized", "merge")}, "capped": list(capped),
        "page_cap": PAGE_CAP,
    }  # fmt: skip


def trees_text(*args, **kwargs) -> str:
    """The tree-records paragraph (arguments of `trees_facts`)."""
    return _say("trees", **trees_facts(*args, **kwargs))


def derivatives_caption(n_roots: int, year: int) -> str:
    """Caption of hub-derivatives-by-base."""
    return _caption("hub-derivatives-by-base", "caption", n_roots=n_roots, year=year, page_cap=PAGE_CAP)


def derivatives_alt(per_root: pd.DataFrame, n_capped: int) -> str:
    """Alt text of hub-derivatives-by-base (`per_root` sorted by n, largest last)."""
    top = per_root.iloc[-1]
    return _caption("hub-derivatives-by-base", "alt", root=top["root"], n=top["n"], n_capped=n_capped)


def spread_facts(model: str, thirty: pd.Series, n_roots: int, busiest: tuple) -> dict:
    """Derivatives within 30 days of release per root (`thirty`), led by `model` or, when it is no root, the
    root with most; `busiest` is (the month with most new derivatives, China's share of them). `others` are
    (the root's last name part, derivatives) of the other roots, most first."""
    subject = model if model in thirty.index else thirty.idxmax()
    others = thirty.drop(subject).sort_values(ascending=False)
    month, cn = busiest
    return {
        "model": model, "subject": subject, "n_subject": thirty[subject], "n_roots": n_roots, "month": month,
        "others": [(root.split("/")[-1], n) for root, n in others.items()], "china_share": cn,
    }  # fmt: skip


def spread_text(*args, **kwargs) -> str:
    """The 30-day spread paragraph (arguments of `spread_facts`)."""
    return _say("spread", **spread_facts(*args, **kwargs))


def timeline_caption(n_before: int, n_roots: int) -> str:
    """Caption of hub-derivative-timeline."""
    return _caption("hub-derivative-timeline", "caption", n_before=n_before, n_roots=n_roots, page_cap=PAGE_CAP)


def atom_text(n_models: int, n_orgs: int, counts: pd.DataFrame) -> str:
    """The ATOM universe: tracked models and organizations per region (`counts`: index region, n_models, n_orgs)."""
    regions = {r: counts.loc[r, ["n_models", "n_orgs"]].to_dict() for r in ("china", "us", "eu", "other", "unknown")}
    return _say("atom", n_models=n_models, n_orgs=n_orgs, **regions)


def atom_alt(by_region: pd.DataFrame) -> str:
    """Alt text of hub-tracked-models-by-region."""
    rows = list(by_region[["region", "n_models", "n_orgs"]].itertuples(index=False, name=None))
    return _caption("hub-tracked-models-by-region", "alt", rows=rows)


ATOM_CAPTION = _caption("hub-tracked-models-by-region", "caption")  # fixed: no numbers


def timeline_alt(subject: str, n: int) -> str:
    """Alt text of hub-derivative-timeline."""
    return _caption("hub-derivative-timeline", "alt", subject=subject, n=n)
