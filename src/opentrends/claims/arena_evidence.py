"""The Chatbot Arena change indicator of `us-slipping`: the best open model's score by origin, China minus the US.

Reads notebook 08's pipeline (`analysis.arena`: licence overrides applied, each model credited to its maker, the
organization view as a variant). Per leaderboard version with a best open model of both origins, the difference
in Arena points; its change per year is a least-squares slope whose 95% interval comes from notebook 08's cluster
bootstrap (whole weeks, or whole model pairs, resampled; the wider votes), the naive OLS interval beside it. As of
the op-ed: versions before the cutoff; since: every pinned version.
"""

from __future__ import annotations

import pandas as pd

from opentrends.analysis import trends
from opentrends.claims import change
from opentrends.claims.evidence import Context

ARENA_SNAPSHOT = "arena-leaderboard-history@2025-08-04"
ORIGIN_ARENA = (
    "the maker of the best open model per version (a fine-tune is credited to its base's maker; the Arena's "
    "organization as a variant), licence labels audited as in notebook 08"
)


def differences(ctx: Context, view: str) -> pd.DataFrame:
    """Per version seen by the context: China's best open score minus the US's (analysis.arena.origin_difference)."""
    from opentrends.analysis import arena
    from opentrends.catalog.loaders import arena as loader

    def make():
        rows = loader.load_arena(ARENA_SNAPSHOT)
        return arena.attribute(
            arena.classify(rows, loader.load_license_overrides()),
            loader.load_organizations(),
            loader.load_base_models(),
        )

    rows = ctx.at(None).cached(("arena", ARENA_SNAPSHOT), make)
    rows = rows[ctx.before_cutoff(rows["version"])]
    return arena.origin_difference(arena.best_open_by_origin(rows, view)).reset_index(drop=True)


def _slope(diff: pd.DataFrame) -> trends.Slope | None:
    """The difference's slope per year: clustered interval (the wider of week and model-pair bootstraps), naive
    OLS interval beside it."""
    import statsmodels.api as sm

    from opentrends.analysis import arena

    if len(diff) < 10:
        return None
    fits = [arena.difference_trend(diff, c) for c in arena.CLUSTERS]
    widest = max(fits, key=lambda f: f["ci_high"] - f["ci_low"])
    naive = sm.OLS(diff["difference"].astype(float), sm.add_constant(diff["years"].astype(float))).fit()
    low, high = naive.conf_int(0.05).loc["years"]
    return trends.Slope(round(widest["slope"], 4), round(widest["ci_low"], 4), round(widest["ci_high"], 4),
                        float("nan"), len(diff), "Arena points per year", f"{diff['version'].min():%Y-%m-%d}",
                        f"{diff['version'].max():%Y-%m-%d}", round(float(low), 4), round(float(high), 4),
                        widest["cluster"], widest["n_clusters"])  # fmt: skip


def indicator(ctx: Context) -> dict:
    """China's best open Arena score minus the US's, change per year (up = the US slipping); organization view as
    a variant."""
    says = "China's best open Chatbot Arena score minus the US's, change per year (least squares over versions)"
    item = change.indicator("change", _slope(differences(ctx, "maker")), trends.UP,
                            says + "; interval: bootstrap of whole weeks and of whole model pairs, the wider votes",
                            origin_rule=ORIGIN_ARENA, sources=[ARENA_SNAPSHOT])  # fmt: skip
    return change.with_variants(item, {"organization_view": _slope(differences(ctx, "organization"))})


__all__ = ["ARENA_SNAPSHOT", "differences", "indicator"]
