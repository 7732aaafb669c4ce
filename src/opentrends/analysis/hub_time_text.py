"""Sentences, captions and CSV column descriptions of notebook 07 (Hub adoption over time), from computed values.

The wording of the sentences and captions is in templates (`templates/notebooks/07_hub_over_time/`,
`templates/captions/hub-*`); each function passes the computed values (`ShareChange`, `FamilyCount`, counts) as
facts and fills the template (`core.wording.render`); the notebook only displays it. Shares are in %, changes in
percentage points.
"""

from __future__ import annotations

import pandas as pd

from opentrends.analysis.hub_growth import FamilyCount, ShareChange
from opentrends.core import wording

NOTEBOOK = "notebooks/07_hub_over_time/"

FIGURES = ("hub-finetunes-by-base-origin", "hub-top-bases-by-finetunes", "hub-downloads-by-maker-origin",
           "hub-trending-by-origin")  # fmt: skip
COLUMNS = {figure: wording.columns(figure) for figure in FIGURES}  # from templates/columns/<figure>.yaml


def _say(name: str, **facts) -> str:
    return wording.render(NOTEBOOK + name + ".md", **facts)


def _caption(figure: str, kind: str, **facts) -> str:
    return wording.render(f"captions/{figure}.{kind}.txt", **facts)


def change(c: ShareChange, what: str) -> str:
    """'<what> went from A% (first) to B% (last), +X percentage points (95% interval L to H)' (no `what`: from
    'went')."""
    return _say("_change", c=c, what=what)


def families_text(counts: dict[str, FamilyCount], date: str) -> str:
    """The claims' counts: DeepSeek-R1 alone, the R1 family, the Llama family, Qwen."""
    r1, family, llama, qwen = (counts[k] for k in ("DeepSeek-R1", "R1 family", "Llama family", "Qwen"))
    return _say("families", date=date, r1=r1, family=family, llama=llama, qwen=qwen)


def growth_facts(table: pd.DataFrame, all_bases: ShareChange, without: ShareChange, excluded, boot: dict) -> dict:
    """The monthly new fine-tunes' facts: span, total, busiest month, the top bases left out, the share changes in
    the registered windows, and their cluster-bootstrap intervals (`boot`: unit -> ClusteredChange or None)."""
    return {
        "first_month": table["month"].min(), "last_month": table["month"].max(),
        "total": int(table["new_finetunes"].sum()), "busiest": table.groupby("month")["new_finetunes"].sum().idxmax(),
        "excluded": list(excluded), "all_bases": all_bases, "without": without,
        "boot": [b for b in boot.values() if b is not None],
    }  # fmt: skip


def growth_text(*args, **kwargs) -> str:
    """The monthly new fine-tunes paragraph: totals, the top bases left out, the share change both ways
    (arguments of `growth_facts`)."""
    return _say("growth", **growth_facts(*args, **kwargs))


def growth_caption(excluded, partial_months) -> str:
    """Caption of hub-finetunes-by-base-origin."""
    return _caption("hub-finetunes-by-base-origin", "caption", excluded=list(excluded),
                    partial_months=list(partial_months))  # fmt: skip


def downloads_facts(table: pd.DataFrame, before_after: ShareChange, release: str, n_models: int) -> dict:
    """The downloads' facts: shares by maker origin on the last day, the change across the DeepSeek-R1 release."""
    last = table[table["date"] == table["date"].max()].set_index("origin")["share"]
    return {
        "last_date": table["date"].max(), "n_models": n_models, "us": last.get("United States"),
        "china": last.get("China"), "rest": last.get("Rest of world"), "unknown": last.get("Unknown"),
        "release": release, "before_after": before_after,
    }  # fmt: skip


def downloads_text(*args, **kwargs) -> str:
    """The downloads paragraph (arguments of `downloads_facts`)."""
    return _say("downloads", **downloads_facts(*args, **kwargs))


def trending_text(
    monthly: pd.DataFrame, maker: ShareChange, uploader: ShareChange, gaps, n_unknown: int, boot: dict | None = None
) -> str:
    """The trending paragraph: first and last month both ways, the change in the registered windows with its
    cluster-bootstrap intervals (`boot`: unit -> ClusteredChange), the gaps, the unknown makers."""
    first, last = monthly.iloc[0].to_dict(), monthly.iloc[-1].to_dict()
    return _say("trending", first=first, last=last, maker=maker, uploader=uploader, gaps=list(gaps),
                n_unknown=n_unknown, boot=[b for b in (boot or {}).values() if b is not None])  # fmt: skip


def audit_text(agreement: pd.DataFrame, ratios: dict, generic: pd.DataFrame, loo: pd.DataFrame, trees: str) -> str:
    """The growth data's audit: agreement with the model trees, the generic-name bases, leave-one-organization-out
    (`loo`: left_out, origin, first_share, last_share, difference_pp; the first row leaves none out)."""
    headline = loo.iloc[0].to_dict()
    others = loo.iloc[1:]
    low, high = (
        others.loc[others["difference_pp"].idxmin()].to_dict(),
        others.loc[others["difference_pp"].idxmax()].to_dict(),
    )
    return _say("audit", agreement=agreement.to_dict("records"), ratios=ratios, generic=generic.to_dict("records"),
                headline=headline, low=low, high=high, trees=trees)  # fmt: skip


def caveats_text(n_orgs: int, top_share: float, gaps, slots: int) -> str:
    """The caveats, computed: organizations covered, the top bases' weight, trending's form, the gaps."""
    return _say("caveats", n_orgs=n_orgs, top_share=top_share, gaps=list(gaps), slots=slots)


def top_bases_caption(date: str) -> str:
    """Caption of hub-top-bases-by-finetunes."""
    return _caption("hub-top-bases-by-finetunes", "caption", date=date)


def top_bases_alt(top: pd.DataFrame) -> str:
    """Alt text of hub-top-bases-by-finetunes (`top`: base_model, finetunes, largest first)."""
    leader = top.iloc[0]
    return _caption("hub-top-bases-by-finetunes", "alt", base_model=leader.base_model, finetunes=leader.finetunes)


def growth_alt(all_bases: ShareChange, without: ShareChange) -> str:
    """Alt text of hub-finetunes-by-base-origin."""
    return _caption("hub-finetunes-by-base-origin", "alt", all_bases=all_bases, without=without)


DOWNLOADS_CAPTION = _caption("hub-downloads-by-maker-origin", "caption")  # fixed: no numbers


def downloads_alt(moment: ShareChange, release: str) -> str:
    """Alt text of hub-downloads-by-maker-origin."""
    return _caption("hub-downloads-by-maker-origin", "alt", moment=moment, release=release)


def trending_caption(gaps) -> str:
    """Caption of hub-trending-by-origin."""
    return _caption("hub-trending-by-origin", "caption", gaps=list(gaps))


def trending_alt(by_maker: ShareChange) -> str:
    """Alt text of hub-trending-by-origin."""
    return _caption("hub-trending-by-origin", "alt", by_maker=by_maker)
