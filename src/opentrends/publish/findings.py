"""The report's answers: one computed sentence per question, from the figure tables and the claims ledger.

Each function takes the plotted numbers of a committed figure (its CSV, read as a table) or the
recorded claims ledger and RETURNS text; nothing here reads files or draws. Missing numbers never
reach a sentence as "nan": a table without the rows an answer needs gives a sentence saying so.
"""

from __future__ import annotations

import re

import pandas as pd

from opentrends.core import text

# The order verdicts are counted in (the ledger's own vocabulary); others follow in order of appearance.
VERDICT_ORDER = ("supported", "partly supported", "mixed", "inconclusive", "contradicted", "not testable")


def _missing(what: str) -> str:
    return f"Not answered: {what} are not in the figure's data."


def _the(origin: str) -> str:
    """An origin as a noun in a sentence: "the United States", "China", "Rest of world"."""
    return f"the {origin}" if origin == "United States" else origin


def adjective(origin: str) -> str:
    return {"United States": "US", "China": "Chinese"}.get(origin, origin)


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def _truthy(value) -> bool:
    return value is True or str(value).strip().lower() == "true"


def us_slipping_values(shares: pd.DataFrame, first_year: int | None = None) -> dict | None:
    """The rows `us_slipping` reads: US and China in the first and last complete year of the headline population
    (`us0`, `us1`, `cn0`, `cn1`, `first`, `last`), or None when one is missing."""
    headline = shares[shares["population"] == shares["population"].iloc[0]] if len(shares) else shares
    complete = headline[~headline["partial_year"].map(_truthy)] if len(headline) else headline
    if complete.empty:
        return None
    last = int(complete["year"].max())
    first = int(first_year) if first_year is not None else last - 2
    rows = complete.set_index(["origin", "year"])
    keys = [("United States", first), ("United States", last), ("China", first), ("China", last)]
    if any(k not in rows.index or pd.isna(rows.loc[k, "open_share"]) for k in keys):
        return None
    us0, us1, cn0, cn1 = (rows.loc[k] for k in keys)
    return {"us0": us0, "us1": us1, "cn0": cn0, "cn1": cn1, "first": first, "last": last}


def us_slipping(shares: pd.DataFrame, claim: dict | None = None, first_year: int | None = None) -> str:
    """Is the US slipping? The claims ledger's verdicts (change tested as change, across all years) first, then
    the US and China open shares in two years as context: two endpoints are a level, not a test of change.

    `shares` is `open-share-by-origin.csv` (population, year, origin, n_known, n_open, open_share,
    partial_year); its first population is the headline one. The last year is the last complete one;
    the first is `first_year`, by default two years earlier. `claim` is the `us-slipping` entry of
    `claims/ledger.json` (verdict as of the op-ed, since_verdict, as_of); without it only the levels are given.
    """
    headline = shares[shares["population"] == shares["population"].iloc[0]] if len(shares) else shares
    complete = headline[~headline["partial_year"].map(_truthy)] if len(headline) else headline
    if complete.empty:
        return _missing("complete years of open share by origin")
    values = us_slipping_values(shares, first_year)
    if values is None:
        last = int(complete["year"].max())
        first = int(first_year) if first_year is not None else last - 2
        return _missing(f"US and China open shares for both {first} and {last}")
    us0, us1, cn0, cn1, first, last = (values[k] for k in ("us0", "us1", "cn0", "cn1", "first", "last"))
    population = headline["population"].iloc[0]
    gap0, gap1 = cn0["open_share"] - us0["open_share"], cn1["open_share"] - us1["open_share"]
    if claim and claim.get("verdict"):
        since = claim.get("since_verdict") or claim["verdict"]
        opening = (
            f"Tested as change across all years, the claim that the US is slipping is {claim['verdict']} on what "
            f"was known by {claim.get('as_of', 'the op-ed')} and {since} on everything pinned now. As context, "
        )
    else:
        opening = "Not tested as change here (no claims ledger); as context, "
    return (
        f"{opening}among models with a known accessibility label (the '{population}' population), "
        f"the US open-weights share went from {text.share_of(us0['open_share'], us0['n_open'], us0['n_known'])} "
        f"in {first} to {text.share_of(us1['open_share'], us1['n_open'], us1['n_known'])} in {last}, China's from "
        f"{text.share_of(cn0['open_share'], cn0['n_open'], cn0['n_known'])} to "
        f"{text.share_of(cn1['open_share'], cn1['n_open'], cn1['n_known'])}; the China-minus-US gap moved from "
        f"{text.pp(gap0, signed=True)} to {text.pp(gap1, signed=True)}."
    )


def _leader_since(best: pd.DataFrame) -> tuple[str, str]:
    """(origin leading at the last date, first date of its current unbroken lead)."""
    leaders = best.sort_values(["date", "best_eci"], ascending=[True, False]).groupby("date", sort=True).head(1)
    leaders = leaders.set_index("date")["origin"]
    current = leaders.iloc[-1]
    since = leaders.index[-1]
    for date, origin in reversed(list(leaders.items())):
        if origin != current:
            break
        since = date
    return current, since


def leader_values(best: pd.DataFrame) -> dict | None:
    """The rows `open_leader` reads at the table's last date: `top`, `second` (or None), `lead` (points),
    `origin` leading and `since` when its unbroken lead began; None without scores."""
    best = best.dropna(subset=["best_eci"])
    if best.empty:
        return None
    last = best["date"].max()
    now = best[best["date"] == last].sort_values(["best_eci", "origin"], ascending=[False, True])
    top = now.iloc[0]
    second = now.iloc[1] if len(now) > 1 else None
    origin, since = _leader_since(best)
    lead = top["best_eci"] - second["best_eci"] if second is not None else None
    return {"last": last, "now": now, "top": top, "second": second, "lead": lead, "origin": origin, "since": since}


def open_leader(best: pd.DataFrame) -> str:
    """Who leads open AI now? The best open model by origin on the capability index at its last date.

    `best` is `best-open-model-by-origin.csv` (date, origin, best_eci, model: the running best per origin).
    """
    values = leader_values(best)
    if values is None:
        return _missing("best open-model scores by origin")
    last, now, top, origin, since = (values[k] for k in ("last", "now", "top", "origin", "since"))
    sentence = (
        f"{top['origin']}: on {last} the best open-weights model on the Epoch Capabilities Index is "
        f"{top['model']} ({top['origin']}, {top['best_eci']:.1f})"
    )
    if len(now) > 1:
        second = now.iloc[1]
        sentence += (
            f", {top['best_eci'] - second['best_eci']:.1f} points ahead of the best open model from "
            f"{_the(second['origin'])}, {second['model']} ({second['best_eci']:.1f})"
        )
    return sentence + f"; {origin} has led since {since}."


def capability_now(gap: pd.DataFrame):
    """The last row of `capability-gap-eci-lag.csv` with both a gap and a lag, or None."""
    gap = gap.dropna(subset=["eci_gap", "lag_months"])
    return None if gap.empty else gap.sort_values("date").iloc[-1]


def _newest_lags(estimates: pd.DataFrame, before: str | None = None) -> pd.DataFrame:
    """The lag estimates of the newest dataset (dated by its snapshot, `source@day`), by method; only datasets
    dated on or before `before` when given."""
    dated = estimates.dropna(subset=["lag_months"]).assign(day=lambda t: t["dataset"].str.split("@").str[-1])
    if before is not None:
        dated = dated[dated["day"] <= before]
    return dated[dated["day"] == dated["day"].max()].set_index("method")


def compute_lag(estimates: pd.DataFrame, before: str | None = None):
    """The separate-slopes lag row `open_gap` reports (lag_months, ci_low, ci_high, dataset, day), or None."""
    newest = _newest_lags(estimates, before)
    return newest.loc["separate slopes"] if "separate slopes" in newest.index else None


def open_gap(gap: pd.DataFrame, estimates: pd.DataFrame | None = None, level: str = "90%") -> str:
    """How far behind are open models? The capability gap and lag now, and the training-compute lag.

    `gap` is `capability-gap-eci-lag.csv` (date, eci_gap, lag_months); `estimates` is
    `frontier-lag-estimates.csv` (dataset, method, lag_months, ci_low, ci_high): the newest dataset's
    separate-slopes lag is reported, with `level` naming its interval.
    """
    now = capability_now(gap)
    if now is None:
        return _missing("the capability gap and lag")
    if now["eci_gap"] > 0:
        sentence = (
            f"On capability, the best open model trails the best closed one by {now['eci_gap']:.1f} points on the "
            f"Epoch Capabilities Index on {now['date']}; the closed frontier reached its score "
            f"{text.months(now['lag_months'])} earlier."
        )
    else:
        sentence = f"On capability, the best open model leads the best closed one on {now['date']}."
    if estimates is not None and len(estimates):
        newest = _newest_lags(estimates)
        if "separate slopes" in newest.index:
            row = newest.loc["separate slopes"]
            sentence += (
                f" On training compute, the open frontier trails the closed one by {text.months(row['lag_months'])} "
                f"({level} interval {row['ci_low']:.1f}–{row['ci_high']:.1f} months; "
                f"{row['dataset']}, separate slopes)"
            )
            if "same slope" in newest.index:
                sentence += f", {text.months(newest.loc['same slope', 'lag_months'])} with one common slope"
            sentence += "."
    return sentence


def _window_share(months: pd.DataFrame) -> tuple[float, int, int]:
    """China's share of the new fine-tunes summed over `months` (rows: month, origin, new_finetunes)."""
    total = int(months["new_finetunes"].sum())
    china = int(months.loc[months["origin"] == "China", "new_finetunes"].sum())
    return (china / total if total else float("nan")), china, total


def registered_windows(item: dict | None) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """The Hub fine-tune indicator's registered window pair ((first, last month) twice) as the ledger records it
    (`claims/windows.py` declares it; the ledger's `fit` carries it as "[YYYY-MM..YYYY-MM]"), or None."""
    evidence = (item or {}).get("since_evidence") or (item or {}).get("evidence") or {}
    fit = evidence.get("indicators", {}).get("hub_new_finetunes_chinese_share", {}).get("fit") or {}
    spans = [re.fullmatch(r"\[(\d{4}-\d{2})\.\.(\d{4}-\d{2})\]", str(fit.get(k, ""))) for k in ("first", "last")]
    return None if not all(spans) else (spans[0].groups(), spans[1].groups())


def builders_values(finetunes: pd.DataFrame, windows) -> dict | None:
    """What `builders` reads: China's share of the new fine-tunes in each registered window (`share0`/`k0`/`n0`,
    `share1`/`k1`/`n1`) and the windows; None without windows or when a window has no complete month."""
    if not windows:
        return None
    complete = finetunes[~finetunes["partial_month"].map(_truthy)]
    parts = [complete[(complete["month"] >= lo) & (complete["month"] <= hi)] for lo, hi in windows]
    if any(part.empty for part in parts):
        return None
    (share0, k0, n0), (share1, k1, n1) = (_window_share(part) for part in parts)
    return {"first": windows[0], "last": windows[1], "share0": share0, "k0": k0, "n0": n0,
            "share1": share1, "k1": k1, "n1": n1}  # fmt: skip


def builders(finetunes: pd.DataFrame, windows) -> str:
    """Where do builders build? Chinese base models' share of new Hub fine-tunes in the indicator's registered
    windows (the same pair the ledger tests; never a pair chosen here).

    `finetunes` is `hub-finetunes-by-base-origin.csv` (month, origin, new_finetunes, partial_month).
    """
    values = builders_values(finetunes, windows)
    if values is None:
        return _missing("new fine-tunes by base origin in the indicator's registered windows")
    first, last = values["first"], values["last"]
    return (
        f"Among Hub fine-tunes of 17 tracked organizations' base models (counts the source's authors associated "
        f"with each base; method not published), Chinese bases took "
        f"{text.share_of(values['share0'], values['k0'], values['n0'])} of new fine-tunes in {first[0]} to "
        f"{first[1]} and {text.share_of(values['share1'], values['k1'], values['n1'])} in {last[0]} to {last[1]}. "
        "Fine-tune counts include automated uploads; who downloads is not observed."
    )


def verdict_counts(verdicts: list[str]) -> str:
    order = [v for v in VERDICT_ORDER if v in verdicts] + [v for v in dict.fromkeys(verdicts) if v not in VERDICT_ORDER]
    counts = [f"{verdicts.count(v)} {v}" for v in order]
    return counts[0] if len(counts) == 1 else ", ".join(counts[:-1]) + f" and {counts[-1]}"


def verdict_label(item: dict) -> str:
    """The as-of date of a claim's first verdict, when the ledger records one ("as of 2025-08-01")."""
    return f"as of {item['as_of']}" if item.get("as_of") else "before the op-ed"


def claims_summary(ledger: list[dict]) -> str:
    """The ten claims: how many of each verdict, and with data since the op-ed when the ledger has both."""
    if not ledger:
        return "Not answered: the claims ledger (claims/ledger.json) is not recorded for this run."
    sentence = f"Of the {len(ledger)} claims of the op-ed, " + verdict_counts([i["verdict"] for i in ledger])
    if all("since_verdict" in item for item in ledger):
        labels = list(dict.fromkeys(verdict_label(item) for item in ledger))
        when = labels[0] if len(labels) == 1 else "before the op-ed"
        sentence += f" {when}; with everything pinned now, " + verdict_counts([i["since_verdict"] for i in ledger])
    return sentence + "."
