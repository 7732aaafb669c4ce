"""How far the growth data's counts can be trusted: generic-name bases, agreement with the model trees, and how
much one organization carries a share (hf-derivative-growth, 17 organizations chosen by the authors).

The counts are the models the authors associated with each base; their method is not published. Three checks:
`generic_bases` flags bases whose counts a name search could inflate (a one-word repository name with at least
`GENERIC_MIN` counted models, and `tiny-random-*` test models), left out in a variant; `tree_agreement` sets the
counts beside the April 2025 model trees' direct fine-tune children for the bases both hold (the trees are capped
near 300 children a model, so they are a floor too); `leave_one_organization_out` recomputes a share change
without each organization in turn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from opentrends.analysis import hub_growth

GENERIC_MIN = 100  # counted models from which a one-word base name is flagged
GENERIC_RULES = (
    (r"^[^/]+/[A-Za-z]+$", "one-word repository name (no size, version or hyphen): a name search would match others"),
    (r"/tiny-random-", "a tiny random test model"),
)


def last_counts(growth: pd.DataFrame) -> pd.DataFrame:
    """base_model, organization, origin, created_at, finetunes (the last counted column) for every base."""
    return hub_growth.top_bases(growth, growth["base_model"].nunique())


def generic_bases(growth: pd.DataFrame) -> pd.DataFrame:
    """The flagged bases: base_model, organization, finetunes, why (largest first)."""
    last = last_counts(growth)
    parts = []
    for pattern, why in GENERIC_RULES:
        hit = last["base_model"].str.contains(pattern, regex=True)
        if "tiny-random" not in pattern:
            hit &= last["finetunes"] >= GENERIC_MIN
        parts.append(last[hit].assign(why=why))
    found = pd.concat(parts).drop_duplicates("base_model")
    found = found.sort_values(["finetunes", "base_model"], ascending=[False, True])
    return found[["base_model", "organization", "finetunes", "why"]].reset_index(drop=True)


def tree_agreement(growth: pd.DataFrame, tree_models: pd.DataFrame) -> pd.DataFrame:
    """For bases the model trees hold with at least one direct fine-tune child: base_model, growth (last count,
    2025-02-18), trees (direct children with relation finetune, 2025-04-22), ratio (growth / trees)."""
    rows = tree_models.dropna(subset=["baseModels"])
    relation = rows["baseModels"].map(lambda b: b.get("relation"))
    parents = rows.loc[relation == "finetune", "baseModels"].map(lambda b: [m["id"] for m in b["models"]])
    children = parents.explode().value_counts().rename("trees")
    last = last_counts(growth).set_index("base_model")["finetunes"].rename("growth")
    both = pd.concat([last, children], axis=1, join="inner").rename_axis("base_model").reset_index()
    both["ratio"] = both["growth"] / both["trees"]
    return both.sort_values("ratio", ascending=False).reset_index(drop=True)


def ratio_summary(agreement: pd.DataFrame) -> dict:
    """The ratio distribution: n, min, quartiles, max, and how many bases run higher / within ±20% / lower."""
    r = agreement["ratio"].to_numpy(dtype=float)
    if not len(r):
        return {"n": 0}
    q = np.percentile(r, [0, 25, 50, 75, 100])
    return {"n": int(len(r)), "min": float(q[0]), "q1": float(q[1]), "median": float(q[2]), "q3": float(q[3]),
            "max": float(q[4]), "higher": int((r > 1.2).sum()), "within": int(((r >= 0.8) & (r <= 1.2)).sum()),
            "lower": int((r < 0.8).sum())}  # fmt: skip


def leave_one_organization_out(growth: pd.DataFrame, first: tuple[str, str], last: tuple[str, str]) -> pd.DataFrame:
    """The Chinese share change without each organization in turn: left_out ('none' first), origin, first_share,
    last_share, difference_pp."""
    rows = []
    for org in ["none", *sorted(growth["organization"].unique())]:
        kept = growth if org == "none" else growth[growth["organization"] != org]
        c = hub_growth.china_share_change(kept, first, last)
        origin = "" if org == "none" else growth.loc[growth["organization"] == org, "origin"].iloc[0]
        rows.append({"left_out": org, "origin": origin, "first_share": c.first_share, "last_share": c.last_share,
                     "difference_pp": c.difference_pp})  # fmt: skip
    return pd.DataFrame(rows)


__all__ = ["GENERIC_MIN", "GENERIC_RULES", "generic_bases", "last_counts", "leave_one_organization_out",
           "ratio_summary", "tree_agreement"]  # fmt: skip
