"""The findings page's headline values: one large number, its interval and the op-ed-date view per answer.

Nothing here is computed a second time: each value is read from a committed figure table (the row an existing
`findings` rule picks), a figure sidecar or the claims ledger (`claims/ledger.json`), and formatted with
`core.text`. The wording lives in the template (`templates/pages/report_finding.html.j2`), which receives a
`Headline`. A table or ledger without what a headline needs gives `None`, and the page falls back to the
answer's computed sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from opentrends.core import text
from opentrends.publish import findings


@dataclass(frozen=True)
class Headline:
    """What one finding shows (`values` are the formatted numbers its sentence in the template names)."""

    number: str  # the large number, formatted with its unit
    interval: str  # its interval, or why there is none
    oped: str  # the op-ed-date view, formatted
    latest: str  # the latest view, formatted
    values: dict = field(default_factory=dict)


def claim(ledger: list[dict], claim_id: str) -> dict | None:
    return next((c for c in ledger if c.get("id") == claim_id), None)


def as_of(ledger: list[dict]) -> str | None:
    """The op-ed's date as the ledger records it."""
    return next((c["as_of"] for c in ledger if c.get("as_of")), None)


def data_as_of(sidecars: list[dict]) -> str | None:
    """The newest snapshot date the figures' sidecars cite (the data a finding reads are as of that day)."""
    dates = [s.get("snapshot") for sidecar in sidecars for s in sidecar.get("sources", []) if s.get("snapshot")]
    return max(dates) if dates else None


def ledger_as_of(item: dict | None) -> str | None:
    """The newest snapshot date behind a claim's since-verdict (its `since_sources` refs, `source@date`)."""
    refs = (item or {}).get("since_sources") or (item or {}).get("sources") or []
    dates = [r.split("@")[-1] for r in refs if "@" in r]
    return max(dates) if dates else None


def _indicator_fit(item: dict | None, name: str) -> dict | None:
    indicator = ((item or {}).get("since_evidence") or {}).get("indicators", {}).get(name)
    return (indicator or {}).get("fit")


def us_slipping(shares: pd.DataFrame, item: dict | None) -> Headline | None:
    """The US open share in the last complete year with its 95% interval, China's beside it, both verdicts."""
    values = findings.us_slipping_values(shares)
    if values is None or not item:
        return None
    us0, us1, cn1 = values["us0"], values["us1"], values["cn1"]
    return Headline(
        number=text.pct(us1["open_share"]),
        interval=f"95% interval {text.interval(us1['ci_low'], us1['ci_high'])}",
        oped=item["verdict"],
        latest=item.get("since_verdict") or item["verdict"],
        values={
            "first": values["first"],
            "last": values["last"],
            "us0": text.pct(us0["open_share"]),
            "us1": text.pct(us1["open_share"]),
            "cn1": text.pct(cn1["open_share"]),
            "fell": us1["open_share"] < us0["open_share"],
        },
    )


def open_leader(best: pd.DataFrame, oped_date: str | None) -> Headline | None:
    """The best open model's score now and its lead; the leader on the op-ed's date from the same table."""
    now = findings.leader_values(best)
    then = findings.leader_values(best[best["date"] <= oped_date]) if oped_date else None
    if now is None:
        return None
    return Headline(
        number=f"{now['top']['best_eci']:.1f}",
        interval="a point score (the table records no interval)",
        oped=f"{then['top']['origin']}, {then['top']['model']} ({then['top']['best_eci']:.1f})" if then else "n/a",
        latest=f"{now['top']['origin']}, {now['top']['model']} ({now['top']['best_eci']:.1f})",
        values={
            "origin": now["top"]["origin"],
            "model": now["top"]["model"],
            "lead": f"{now['lead']:.1f}" if now["second"] is not None else None,
            "second": findings.adjective(now["second"]["origin"]) if now["second"] is not None else None,
            "date": now["last"],
            "then_date": then["last"] if then else None,
        },
    )


def open_gap(gap: pd.DataFrame, estimates: pd.DataFrame, oped_date: str | None, level: str) -> Headline | None:
    """The training-compute lag of the newest dataset with its interval, the newest dataset before the op-ed
    beside it, and the capability lag now."""
    now = findings.compute_lag(estimates)
    then = findings.compute_lag(estimates, before=oped_date) if oped_date else None
    capability = findings.capability_now(gap)
    if now is None or capability is None:
        return None
    return Headline(
        number=text.months(now["lag_months"]),
        interval=f"{level} interval {now['ci_low']:.1f}–{now['ci_high']:.1f}",
        oped=f"{text.months(then['lag_months'])} (data of {then['day']})" if then is not None else "n/a",
        latest=f"{text.months(now['lag_months'])} (data of {now['day']})",
        values={
            "compute": f"{now['lag_months']:.0f} months",
            "capability": text.months(capability["lag_months"]),
            "date": capability["date"],
        },
    )


def builders(finetunes: pd.DataFrame, item: dict | None) -> Headline | None:
    """The Chinese share of new fine-tunes in the registered windows, and the ledger's clustered interval of the change."""
    values = findings.builders_values(finetunes, findings.registered_windows(item))
    fit = _indicator_fit(item, "hub_new_finetunes_chinese_share")
    if values is None or not item or not fit:
        return None
    return Headline(
        number=f"{fit['estimate']:+.0f} pp",
        interval=f"95% interval {fit['ci_low']:+.0f} to {fit['ci_high']:+.0f} percentage points",
        oped=item["verdict"],
        latest=item.get("since_verdict") or item["verdict"],
        values={
            "share0": text.pct(values["share0"]),
            "share1": text.pct(values["share1"]),
            "from": f"{values['first'][0]}–{values['first'][1][5:]}",  # 2023-07–12: one word of the 25
            "to": f"{values['last'][0]}–{values['last'][1][5:]}",
            "rise_is_clear": fit.get("direction") != "no clear change",
        },
    )


def claims(ledger: list[dict]) -> Headline | None:
    """How many claims hold as of the op-ed and now (the ledger's verdicts, counted)."""
    if not ledger or not all("since_verdict" in item for item in ledger):
        return None
    then = [i["verdict"] for i in ledger]
    now = [i["since_verdict"] for i in ledger]
    return Headline(
        number=f"{now.count('supported')} of {len(ledger)}",
        interval="verdicts, not estimates: each claim's own interval is in the ledger",
        oped=findings.verdict_counts(then),
        latest=findings.verdict_counts(now),
        values={
            "n": len(ledger),
            "supported_then": then.count("supported"),
            "supported_now": now.count("supported"),
            "mixed_now": now.count("mixed"),
        },
    )
