"""Evidence from Hugging Face Hub data for the claims ledger: head captures, derivative trees, whole-Hub snapshots.

Each function answers one question a claim asks, from pinned snapshots (through the hub loaders and the
DuckDB query layer), and returns plain numbers and names; verdicts are decided in verdicts.py.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from opentrends.claims.evidence import Context

R1 = "deepseek-ai/DeepSeek-R1"
WHOLE_HUB = "hf-hub-stats"


def hub_origins(ctx: Context) -> pd.DataFrame:
    """Hub author -> origin: ATOM's organization regions first, then the project's evidenced author table."""
    from opentrends.catalog.loaders import atom

    return ctx.cached(
        ("origins", ctx.atom_snapshot),
        lambda: atom.author_origins(atom.load_regions(ctx.atom_snapshot), atom.load_author_table()),
    )


def hub_head(ctx: Context) -> pd.DataFrame:
    """The recorded head captures as a models table (one row per model per capture day)."""
    from opentrends.catalog.loaders import hub_top

    def make():
        head = hub_top.as_models_table(hub_top.load_top(ctx.hub_top_snapshot))
        return head[ctx.before_cutoff(head["date"])]

    return ctx.cached(("head", ctx.hub_top_snapshot), make)


def hub_downloads_by_origin(ctx: Context) -> dict | None:
    """30-day download shares by origin at the last capture: among the open language models ATOM tracks that are in
    the Hub's head (the default universe), and among the whole head (all model kinds, a variant)."""
    from opentrends.analysis import hub_query as hubquery
    from opentrends.catalog.loaders import atom

    head = hub_head(ctx)
    if head.empty:
        return None
    last = head["date"].max()
    at_last = head[head["date"] == last]
    tracked = set(atom.load_tracked_models(ctx.atom_snapshot)["model_id"])
    origins = hub_origins(ctx)

    def shares(models, top_n):
        table = hubquery.downloads_by_origin(models, origins, top_n=top_n)
        return {row.origin: float(row.share) for row in table.itertuples()}

    llms = at_last[at_last["id"].isin(tracked)]
    return {
        "date": pd.Timestamp(last).strftime("%Y-%m-%d"),
        "universe": "ATOM-tracked open language models in the head",
        "shares": shares(llms, None),
        "models": int(len(llms)),
        "all_head_shares": shares(at_last, 300),
        "sources": [ctx.hub_top_snapshot, ctx.atom_snapshot],
    }


def _snapshots_of(source_id: str) -> list:
    from opentrends.registry.sources import load_registry

    registry = load_registry()
    return list(registry[source_id].snapshots) if source_id in registry else []


def hub_snapshot_in_window(ctx: Context, start: dt.date, end: dt.date, sources: list[str]) -> str | None:
    """The earliest pinned snapshot of `sources` dated within [start, end], or None."""
    found = [s for sid in sources for s in _snapshots_of(sid) if start <= dt.date.fromisoformat(s.date) <= end]
    return min(found, key=lambda s: s.date).ref if found else None


def latest_whole_hub_snapshot(ctx: Context, sources: list[str]) -> str | None:
    """The newest pinned whole-Hub snapshot (dated before the cutoff, if any), or None."""
    found = [s for sid in sources for s in _snapshots_of(sid) if ctx.cutoff is None or s.date < ctx.cutoff]
    return max(found, key=lambda s: s.date).ref if found else None


def r1_at_moment(ctx: Context, ref: str, kind: str) -> dict:
    """DeepSeek-R1 in a whole-Hub snapshot: its rank by likes, or its derivatives (family root = R1)."""
    from opentrends.analysis import hub_query as hubquery
    from opentrends.catalog.loaders import hub_stats

    path = hub_stats.models_path(ref)
    if kind == "likes":
        ranked = hubquery.ranking(path, None, metric="likes", top_n=50)
        mine = ranked[ranked["model"] == R1]
        return {
            "rank_by_likes": int(mine["rank"].iloc[0]) if len(mine) else None,
            "likes": int(mine["likes"].iloc[0]) if len(mine) else None,
            "leader": ranked["model"].iloc[0],
            "snapshot": ref,
        }
    families = hubquery.derivatives_by_base(path)
    return {"derivatives": int(families.loc[families["root"] == R1, "n"].sum()), "snapshot": ref}


def family_derivatives(ctx: Context, ref: str, author: str) -> int:
    """Models in a whole-Hub snapshot whose family root belongs to `author` (e.g. meta-llama)."""
    from opentrends.analysis import hub_query as hubquery
    from opentrends.catalog.loaders import hub_stats

    families = hubquery.derivatives_by_base(hub_stats.models_path(ref))
    return int(families.loc[families["root"].str.startswith(f"{author}/"), "n"].sum())


def _tree_families(ctx: Context) -> pd.DataFrame:
    from opentrends.analysis import hub_query as hubquery
    from opentrends.catalog.loaders import hf_trees

    def make():
        trees = hf_trees.load_trees(ctx.trees_snapshot)
        return trees, hubquery.derivatives_by_base(trees.models, hub_origins(ctx))

    return ctx.cached(("trees", ctx.trees_snapshot), make)


def r1_context(ctx: Context) -> dict:
    """What later data says about R1 (context, never the verdict): its rank by likes in the head captures, and its
    likes and recorded derivatives in the April 2025 trees (capped near 300 children per model)."""
    from opentrends.analysis import hub_query as hubquery

    head = hub_head(ctx)
    ranked = hubquery.ranking(head, hub_origins(ctx), metric="likes", top_n=300) if len(head) else head
    mine = ranked[ranked["model"] == R1].sort_values("date") if len(head) else head
    trees, families = _tree_families(ctx)
    in_trees = trees.models[trees.models["id"] == R1]
    derivatives = int(families.loc[families["root"] == R1, "n"].sum())
    thirty = hubquery.derivative_timeline(trees.models, hub_origins(ctx), roots=[R1])
    within = thirty[thirty["days_since_release"] <= 14]["cumulative_derivatives"]
    parts = []
    if len(in_trees):
        parts.append(f"It had {int(in_trees['likes'].iloc[0]):,} likes in the tree records of {ctx.trees_snapshot}.")
    if len(mine):
        first, last = mine.iloc[0], mine.iloc[-1]
        parts.append(
            f"It ranked {int(first['rank'])} by likes on {first['date']:%Y-%m-%d} and {int(last['rank'])} on "
            f"{last['date']:%Y-%m-%d} ({int(last['likes']):,} likes) in the Hub head captures."
        )
    likes = " ".join(parts)
    variants = (
        f"The April 2025 tree records list {derivatives:,} DeepSeek-R1 derivatives (fine-tune links, capped near 300 "
        f"direct children), {int(within.max()) if len(within) else 0:,} of them created within 14 days of release."
    )
    return {
        "summary": likes,
        "likes_summary": likes,
        "variants_summary": variants,
        "head_ranks": {r.date.strftime("%Y-%m-%d"): int(r.rank) for r in mine.itertuples()} if len(mine) else {},
        "tree_likes": int(in_trees["likes"].iloc[0]) if len(in_trees) else None,
        "tree_derivatives": derivatives,
        "sources": ([ctx.hub_top_snapshot] if len(mine) else []) + [ctx.trees_snapshot],
    }


def tree_context(ctx: Context, roots: list[str]) -> dict:
    """Recorded derivatives of the given roots in the April 2025 trees (floors: the crawl is capped)."""
    _, families = _tree_families(ctx)
    counts = {root: int(families.loc[families["root"] == root, "n"].sum()) for root in roots}
    summary = "; ".join(f"{root}: {n:,}" for root, n in counts.items()) + " (all depths)"
    return {"summary": summary, "recorded_derivatives": counts, "sources": [ctx.trees_snapshot]}


def hub_variants(ctx: Context) -> dict[str, bool]:
    """Reasonable variants of "Chinese open models out-download US ones", each -> does China lead.

    whole_head: every model kind in the top 300 by downloads, not only the open language models ATOM tracks;
    whole_head_maintainer_labels: the same, with Sentence Transformers counted as its maintainer's (US).
    """
    from opentrends.analysis import hub_query as hubquery
    from opentrends.catalog.loaders import atom

    hub = hub_downloads_by_origin(ctx)
    if hub is None:
        return {}
    shares = hub["all_head_shares"]
    head = hub_head(ctx)
    at_last = head[head["date"] == head["date"].max()]
    relabelled = atom.with_origins(hub_origins(ctx), atom.MAINTAINER_ALTERNATIVE)
    alt = {r.origin: float(r.share) for r in hubquery.downloads_by_origin(at_last, relabelled, top_n=300).itertuples()}
    return {
        "whole_head": shares.get("China", 0.0) > shares.get("United States", 0.0),
        "whole_head_maintainer_labels": alt.get("China", 0.0) > alt.get("United States", 0.0),
    }
