"""The op-ed's last two claims: `bfl-open-multimodal` and `chinese-groups-share-methods` (specs, evidence, rules).

`bfl-open-multimodal`: Black Forest Labs' models in Epoch, each access label checked against its evidence in the
committed `data/bfl_access_checks.csv` (a model labelled Unreleased may have released weights; a model Epoch lacks
is added with its Hub page), the Open Source AI Index entry, and BFL's repositories among the Hub's trending
models (since only: the archive starts 2025-11-07). `chinese-groups-share-methods`: per Open Source AI Index
dimension (training data, training code, paper), the share of systems graded open, China minus United States
(the index's origin field), its 95% interval from a seeded bootstrap of whole organizations.
"""

from __future__ import annotations

import pandas as pd

from opentrends.claims.evidence import Context
from opentrends.claims.verdicts import Finding
from opentrends.core import paths
from opentrends.core.tables import read_csv_text

BFL = "Black Forest Labs"
DIMENSIONS = {"training data": "datasources_basemodel", "training code": "trainingcode", "paper": "paper"}


def bfl_models(ctx: Context) -> pd.DataFrame:
    """BFL's models dated before the cutoff with Epoch's label and the checked one (model, date, epoch_label,
    checked_label, multimodal, evidence_url, open)."""
    checks = read_csv_text(paths.data_dir() / "bfl_access_checks.csv")
    epoch = ctx.epoch()
    listed = epoch[epoch["organization"].str.contains(BFL, na=False)][["model", "access"]]
    table = checks.merge(listed, on="model", how="outer")
    table["checked_label"] = table["checked_label"].fillna(table["access"]).fillna("")
    table = table[ctx.before_cutoff(pd.to_datetime(table["date"]))]
    return table.assign(open=table["checked_label"].str.startswith("Open weights")).reset_index(drop=True)


def bfl_verdict(models: pd.DataFrame) -> str:
    """not testable: no BFL model; contradicted: none with open weights; mixed: open weights only under
    non-commercial licences; supported: an open-weights multimodal model under an unrestricted licence."""
    if models.empty:
        return "not testable"
    opened = models[models["open"] & models["multimodal"].fillna("").ne("")]
    if opened.empty:
        return "contradicted"
    return "supported" if opened["checked_label"].str.contains("unrestricted").any() else "mixed"


def bfl(ctx: Context, t: dict) -> Finding:
    from opentrends.catalog.loaders import osai
    from opentrends.claims import hub_time

    models = bfl_models(ctx)
    index = osai.load_index(ctx.osai_snapshot)
    entry = index[index["organization"] == BFL]
    entry = entry[ctx.before_cutoff(pd.to_datetime(entry["release_date"], format="%Y-%m", errors="coerce"))]
    hub = {}
    if hub_time.loaded(ctx, "trending"):
        slots = hub_time.trending(ctx)
        slots = slots[(slots["uploader"] == "black-forest-labs") & ctx.before_cutoff(slots["day"])]
        hub = {m: int(n) for m, n in slots.groupby("model").size().items()}
    relabelled = models[models["epoch_label"].fillna("") != models["checked_label"]]
    opened = models[models["open"]]
    return Finding(
        bfl_verdict(models),
        f"{len(opened)} of {len(models)} BFL models dated to {ctx.end} have open weights after checking each label "
        f"({', '.join(f'{r.model}: {r.checked_label}' for r in opened.itertuples()) or 'none'}); labels corrected "
        f"or added: {', '.join(relabelled['model']) or 'none'}. Open Source AI Index: "
        + (
            ", ".join(
                f"{r.system} weights {r.weights_basemodel}, openness {r.openness:.0%}" for r in entry.itertuples()
            )
            or "no entry dated before the cutoff"
        )
        + f". Hub trending: {sum(hub.values())} slots of {len(hub)} BFL repositories.",
        {
            "models": models.drop(columns=["note"], errors="ignore").to_dict("records"),
            "open_models": list(opened["model"]),
            "relabelled": list(relabelled["model"]),
            "osai": entry[["system", "weights_basemodel", "openness"]].to_dict("records"),
            "trending_slots_by_repository": hub,
        },  # fmt: skip
        [ctx.snapshot, ctx.osai_snapshot] + ([ctx.trending_snapshot] if hub else []),
        needs="" if len(models) else "Epoch rows or Hub records of Black Forest Labs",
        changes="A BFL open-weights model under an unrestricted licence supports it; if every open BFL model were "
        "non-commercial it would be mixed; none open would contradict it.",
    )


def sharing_table(ctx: Context) -> pd.DataFrame:
    """Open Source AI Index systems of China and the United States dated before the cutoff: organization, origin,
    and one 0/1 column per dimension (graded open)."""
    from opentrends.catalog.loaders import osai

    index = osai.load_index(ctx.osai_snapshot)
    index = index[index["origin"].isin(["China", "United States"])]
    index = index[ctx.before_cutoff(pd.to_datetime(index["release_date"], format="%Y-%m", errors="coerce"))]
    out = index[["system", "organization", "origin"]].copy()
    for name, column in DIMENSIONS.items():
        out[name] = (index[column] == "open").astype(int)
    return out.reset_index(drop=True)


def sharing_differences(table: pd.DataFrame) -> dict:
    """Per dimension: China's share open minus the US's (pp) with its organization-bootstrap 95% interval."""
    from opentrends.analysis import clustered

    tagged = table.assign(period=table["origin"].map({"United States": "first", "China": "last"}))
    out = {}
    for name in DIMENSIONS:
        found = clustered.share_change(clustered.by_cluster(tagged, "organization", name, "period"), "organization")
        us, cn = table[table["origin"] == "United States"][name], table[table["origin"] == "China"][name]
        out[name] = {"china_share": float(cn.mean()), "us_share": float(us.mean()), "n_china": int(len(cn)),
                     "n_us": int(len(us)), **(found.as_dict() if found else {})}  # fmt: skip
    return out


def sharing_verdict(diffs: dict, margin_pp: float) -> str:
    """supported: every dimension's interval lies above -margin (as much or more); contradicted: some interval
    lies wholly below 0 and none wholly above; mixed: some below, some above; inconclusive otherwise; not
    testable: no dimension measured."""
    found = [d for d in diffs.values() if "ci_low_pp" in d]
    if not found:
        return "not testable"
    below = [d for d in found if d["ci_high_pp"] < 0]
    above = [d for d in found if d["ci_low_pp"] > 0]
    if all(d["ci_low_pp"] > -margin_pp for d in found):
        return "supported"
    if below and above:
        return "mixed"
    return "contradicted" if below else "inconclusive"


def sharing(ctx: Context, t: dict) -> Finding:
    table = sharing_table(ctx)
    diffs = sharing_differences(table)
    verdict = sharing_verdict(diffs, t["margin_pp"])
    parts = [f"{name}: China {d['china_share']:.0%} of {d['n_china']}, US {d['us_share']:.0%} of {d['n_us']}"
             + (f", difference {d['difference_pp']:+.1f} pp (95% CI {d['ci_low_pp']:+.1f} to {d['ci_high_pp']:+.1f}, "
                f"{d['n_clusters']} organizations resampled)" if "ci_low_pp" in d else "")
             for name, d in diffs.items()]  # fmt: skip
    return Finding(
        verdict,
        f"Open Source AI Index systems graded open, dated to {ctx.end}: " + "; ".join(parts) + ".",
        {"dimensions": diffs, "clustering_unit": "organization", "margin_pp": t["margin_pp"]},
        [ctx.osai_snapshot],
        needs=t["needs"],
        changes=f"A dimension whose interval fell wholly below 0 would contradict it; every interval above "
        f"-{t['margin_pp']} pp would support it.",
    )


SPECS = (
    {
        "id": "bfl-open-multimodal",
        "statement": "Black Forest Labs releases open multimodal models.",
        "test": "Black Forest Labs' models in Epoch AI, each access label checked against its evidence "
        "(data/bfl_access_checks.csv: a model labelled Unreleased may have released weights; one Epoch lacks is "
        "added with its Hub page); multimodal means text (and image) in, image out. The Open Source AI Index entry "
        "and BFL's repositories among the Hub's trending models (since only) are context.",
        "thresholds": {},
        "rule": "supported: an open-weights multimodal model under an unrestricted licence; mixed: open weights only "
        "under non-commercial licences; contradicted: BFL models but none with open weights; not testable: no BFL "
        "model.",
        "evaluate": bfl,
    },
    {
        "id": "chinese-groups-share-methods",
        "statement": "Chinese groups share data, code and methods as US groups do, or more.",
        "test": "Per Open Source AI Index dimension (training data of the base model, training code, paper), the share "
        "of systems graded open, China minus United States (the index's origin), with a 95% interval from a seeded "
        "bootstrap of whole organizations (an organization's systems share its habits). 'As much' allows a margin "
        "of 10 percentage points.",
        "thresholds": {
            "margin_pp": 10,
            "needs": "Epoch AI's training-code accessibility by origin and year, and FMTI scores of Chinese and US "
            "developers, would add two more views",
        },
        "rule": "supported: every dimension's interval above -10 pp; contradicted: some interval wholly below 0 and "
        "none wholly above; mixed: some below and some above; inconclusive otherwise; not testable: no dimension "
        "measured.",
        "evaluate": sharing,
    },
)
