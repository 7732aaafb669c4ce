"""Figures of `bfl-open-multimodal` and `chinese-groups-share-methods` (notebook 05): figure specs for
`publish.figures.save` (title, caption, alt text, sources, data, columns)."""

from __future__ import annotations

import pandas as pd

from opentrends.claims import evidence as ev
from opentrends.claims import method_claims


def bfl(ax, ctx: ev.Context, colors: dict) -> dict:
    """Black Forest Labs' models by date and checked access label (open weights marked), Epoch's label beside."""
    models = method_claims.bfl_models(ctx).sort_values(["date", "model"]).reset_index(drop=True)
    y = range(len(models))
    color = [colors["China"] if o else colors["United States"] for o in models["open"]]
    ax.scatter(pd.to_datetime(models["date"]), list(y), c=color, s=12)
    ax.set_yticks(list(y), [f"{m} ({a})" for m, a in zip(models["model"], models["checked_label"])], fontsize=5)
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.tick_params(axis="x", labelsize=5)
    ax.set_xlabel("Release date")
    data = models[["model", "date", "epoch_label", "checked_label", "multimodal", "open", "evidence_url"]]
    return {
        "title": "Black Forest Labs' models and their checked access labels",
        "caption": f"Each Black Forest Labs model in Epoch AI ({ctx.snapshot}), its access label checked against its "
        "evidence (data/bfl_access_checks.csv; one model Epoch lacks added from its Hub page); open weights in the "
        "darker colour.",
        "alt_text": f"{int(models['open'].sum())} of {len(models)} models with open weights.",
        "sources": [ctx.snapshot],
        "data": data,
        "columns": {"model": "model name", "date": "release date", "epoch_label": "Epoch's access label (blank: not "
                    "in Epoch)", "checked_label": "the label after checking its evidence", "multimodal": "inputs and "
                    "outputs", "open": "open weights after the check", "evidence_url": "where the label was checked"},
    }  # fmt: skip


def sharing(ax, ctx: ev.Context, colors: dict) -> dict:
    """Per Open Source AI Index dimension, the share of systems graded open, China and the United States."""
    diffs = method_claims.sharing_differences(method_claims.sharing_table(ctx))
    names = list(diffs)
    x = range(len(names))
    ax.bar([i - 0.2 for i in x], [diffs[n]["china_share"] * 100 for n in names], 0.4, color=colors["China"],
           label="China")  # fmt: skip
    ax.bar([i + 0.2 for i in x], [diffs[n]["us_share"] * 100 for n in names], 0.4, color=colors["United States"],
           label="United States")  # fmt: skip
    ax.set_xticks(list(x), names)
    ax.set_ylabel("Systems graded open (%)")
    ax.legend(fontsize=5)
    data = pd.DataFrame([{"dimension": n, **d} for n, d in diffs.items()])
    return {
        "title": "Sharing data, code and papers: Chinese and US systems in the Open Source AI Index",
        "caption": f"Share of systems graded open on each dimension ({ctx.osai_snapshot}), by the index's origin; the "
        "CSV gives China minus US with a 95% interval from a bootstrap of whole organizations.",
        "alt_text": "; ".join(f"{n}: China {d['china_share']:.0%}, US {d['us_share']:.0%}" for n, d in diffs.items()),
        "sources": [ctx.osai_snapshot],
        "data": data,
        "columns": {c: c.replace("_", " ") for c in data.columns},
    }
