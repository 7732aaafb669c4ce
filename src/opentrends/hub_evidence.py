"""Evidence from Hugging Face Hub data for the claims ledger: head captures, derivative trees, whole-Hub snapshots.

Each function answers one question a claim asks, from pinned snapshots (through the hub loaders and the
DuckDB query layer), and returns plain numbers and names; verdicts are decided in verdicts.py.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .evidence import Context, difference_widened

R1 = "deepseek-ai/DeepSeek-R1"
WHOLE_HUB = "hf-hub-stats"


def hub_origins(ctx: Context) -> pd.DataFrame:
    """Hub author -> origin: ATOM's organization regions first, then the project's evidenced author table."""
    from .loaders import atom

    return ctx.cached(
        ("origins", ctx.atom_snapshot),
        lambda: atom.author_origins(atom.load_regions(ctx.atom_snapshot), atom.load_author_table()),
    )


def hub_head(ctx: Context) -> pd.DataFrame:
    """The recorded head captures as a models table (one row per model per capture day)."""
    from .loaders import hub_top

    return ctx.cached(
        ("head", ctx.hub_top_snapshot), lambda: hub_top.as_models_table(hub_top.load_top(ctx.hub_top_snapshot))
    )


def hub_downloads_by_origin(ctx: Context) -> dict | None:
    """30-day download shares by origin at the last capture: among the open language models ATOM tracks that are in
    the Hub's head (the default universe), and among the whole head (all model kinds, a variant)."""
    from . import hubquery
    from .loaders import atom

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
    from .sources import load_registry

    registry = load_registry()
    return list(registry[source_id].snapshots) if source_id in registry else []


def hub_snapshot_in_window(ctx: Context, start: dt.date, end: dt.date, sources: list[str]) -> str | None:
    """The earliest pinned snapshot of `sources` dated within [start, end], or None."""
    found = [s for sid in sources for s in _snapshots_of(sid) if start <= dt.date.fromisoformat(s.date) <= end]
    return min(found, key=lambda s: s.date).ref if found else None


def latest_whole_hub_snapshot(ctx: Context, sources: list[str]) -> str | None:
    """The newest pinned whole-Hub snapshot, or None."""
    found = [s for sid in sources for s in _snapshots_of(sid)]
    return max(found, key=lambda s: s.date).ref if found else None


def r1_at_moment(ctx: Context, ref: str, kind: str) -> dict:
    """DeepSeek-R1 in a whole-Hub snapshot: its rank by likes, or its derivatives (family root = R1)."""
    from . import hubquery
    from .loaders import hub_stats

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
    from . import hubquery
    from .loaders import hub_stats

    families = hubquery.derivatives_by_base(hub_stats.models_path(ref))
    return int(families.loc[families["root"].str.startswith(f"{author}/"), "n"].sum())


def _tree_families(ctx: Context) -> pd.DataFrame:
    from . import hubquery
    from .loaders import hf_trees

    def make():
        trees = hf_trees.load_trees(ctx.trees_snapshot)
        return trees, hubquery.derivatives_by_base(trees.models, hub_origins(ctx))

    return ctx.cached(("trees", ctx.trees_snapshot), make)


def r1_context(ctx: Context) -> dict:
    """What later data says about R1 (context, never the verdict): its rank by likes in the head captures, and its
    likes and recorded derivatives in the April 2025 trees (capped near 300 children per model)."""
    from . import hubquery

    head = hub_head(ctx)
    ranked = hubquery.ranking(head, hub_origins(ctx), metric="likes", top_n=300)
    mine = ranked[ranked["model"] == R1].sort_values("date")
    trees, families = _tree_families(ctx)
    in_trees = trees.models[trees.models["id"] == R1]
    derivatives = int(families.loc[families["root"] == R1, "n"].sum())
    first, last = mine.iloc[0], mine.iloc[-1]
    summary = (
        f"DeepSeek-R1 ranked {int(first['rank'])} by likes on {first['date']:%Y-%m-%d} and {int(last['rank'])} "
        f"on {last['date']:%Y-%m-%d} ({int(last['likes']):,} likes); the April 2025 tree records list "
        f"{derivatives:,} of its derivatives, capped near 300 direct children."
    )
    return {
        "summary": summary,
        "head_ranks": {r.date.strftime("%Y-%m-%d"): int(r.rank) for r in mine.itertuples()},
        "tree_likes": int(in_trees["likes"].iloc[0]) if len(in_trees) else None,
        "tree_derivatives": derivatives,
        "sources": [ctx.hub_top_snapshot, ctx.trees_snapshot],
    }


def tree_context(ctx: Context, roots: list[str]) -> dict:
    """Recorded derivatives of the given roots in the April 2025 trees (floors: the crawl is capped)."""
    _, families = _tree_families(ctx)
    counts = {root: int(families.loc[families["root"] == root, "n"].sum()) for root in roots}
    summary = "; ".join(f"{root}: {n:,}" for root, n in counts.items())
    return {"summary": summary, "recorded_derivatives": counts, "sources": [ctx.trees_snapshot]}


def indicator_variants(ctx: Context, t: dict) -> dict[str, bool]:
    """Each reasonable variant of a us-slipping indicator, as `indicator:variant` -> does it show slipping."""
    from .loaders import atom

    out = {}
    gaps = difference_widened(ctx, t["share_years"])
    for row in gaps.itertuples():
        if row.variant != "default":
            out[f"open_share_gap:{row.variant}"] = bool(row.widened)
    hub = hub_downloads_by_origin(ctx)
    if hub is not None:
        shares = hub["all_head_shares"]
        out["hub_downloads:whole_head"] = shares.get("China", 0.0) > shares.get("United States", 0.0)
        from . import hubquery

        head = hub_head(ctx)
        at_last = head[head["date"] == head["date"].max()]
        relabelled = atom.with_origins(hub_origins(ctx), atom.MAINTAINER_ALTERNATIVE)
        table = hubquery.downloads_by_origin(at_last, relabelled, top_n=300)
        alt = {r.origin: float(r.share) for r in table.itertuples()}
        out["hub_downloads:whole_head_maintainer_labels"] = alt.get("China", 0.0) > alt.get("United States", 0.0)
    return out
