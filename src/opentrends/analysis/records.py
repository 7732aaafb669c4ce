"""Record-setter lags: how long after a closed compute record an open model matched it (censored when none has yet).

Two directions. `closed_record_lags`: for each closed model that set a new closed training-compute record,
the months until the first open model reached that compute; a record no open model has matched by the
snapshot date is right-censored there (dropping it would pull the median down), and `km_median` estimates
the median with Kaplan–Meier (statsmodels' `SurvfuncRight`). `record_setter_lags`: for each open record,
how long before a closed model had reached its compute. Pure functions on tidy compute tables (frontier.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from opentrends.analysis.frontier import COMPUTE_COLUMNS, NOT_YET_MATCHED, _ordered, _require, months_between


def record_setters(table: pd.DataFrame, access_class: str = "open") -> pd.DataFrame:
    """Models of `access_class` that set a new class record for training compute when released.

    A record beats every earlier model of the class; on one date only the largest can be a record
    (ties: the first by name). Models without compute are ignored.
    """
    _require(table, COMPUTE_COLUMNS, "record_setters")
    rows = _ordered(table[(table["access_class"] == access_class) & table["training_compute"].notna()])
    keep, best = [], -np.inf
    for _, day in rows.groupby("date", sort=True):
        top = day.loc[day["training_compute"].idxmax()]
        if top["training_compute"] > best:
            keep.append(top.name)
            best = float(top["training_compute"])
    return rows.loc[keep].reset_index(drop=True)


def record_setter_lags(table: pd.DataFrame) -> pd.DataFrame:
    """For each open compute record-setter: months since a closed model first reached at least its compute.

    Negative when open got there first (the first closed model to match came later); when no closed model
    has reached it yet the lag is right-censored: closed_model is '' and status is 'not yet matched'.
    Columns: open_date, open_model, training_compute, closed_model, closed_date, lag_months, status.
    """
    records = record_setters(table, "open")
    closed = _ordered(table[(table["access_class"] == "closed") & table["training_compute"].notna()])
    out = []
    for row in records.itertuples(index=False):
        reached = closed[closed["training_compute"] >= row.training_compute]
        if reached.empty:
            out.append((row.date, row.model, row.training_compute, "", pd.NaT, np.nan, NOT_YET_MATCHED))
            continue
        first = reached.iloc[0]  # date order, then name
        lag = months_between(row.date, first["date"])
        status = "open first" if lag < 0 else "matched"
        out.append((row.date, row.model, row.training_compute, first["model"], first["date"], lag, status))
    return pd.DataFrame(
        out,
        columns=["open_date", "open_model", "training_compute", "closed_model", "closed_date", "lag_months", "status"],
    )


def median_lag(lags: pd.DataFrame, first_year: int, last_year: int) -> tuple[float, int, int]:
    """Median record-setter lag of open records dated in [first_year, last_year] (matched ones only).

    Returns (median months, matched count, not-yet-matched count); right-censored records are counted,
    not averaged in.
    """
    years_ = lags["open_date"].dt.year
    window = lags[years_.between(first_year, last_year)]
    matched = window[window["status"] != NOT_YET_MATCHED]
    median = float(matched["lag_months"].median()) if not matched.empty else float("nan")
    return median, len(matched), int((window["status"] == NOT_YET_MATCHED).sum())


CENSORED = "censored: no open match yet"


def closed_record_lags(table: pd.DataFrame, snapshot_date) -> pd.DataFrame:
    """For each closed compute record-setter: months until the first open model with at least its compute.

    Negative when an open model had got there first. A record no open model has reached by `snapshot_date`
    is right-censored: its duration is the months from its date to `snapshot_date` and `matched` is False.
    Columns: closed_date, closed_model, training_compute, open_model, open_date, months, matched, status.
    """
    _require(table, COMPUTE_COLUMNS, "closed_record_lags")
    end = pd.Timestamp(snapshot_date)
    records = record_setters(table, "closed")
    opened = _ordered(table[(table["access_class"] == "open") & table["training_compute"].notna()])
    out = []
    for row in records.itertuples(index=False):
        reached = opened[opened["training_compute"] >= row.training_compute]
        if reached.empty:
            out.append((row.date, row.model, row.training_compute, "", pd.NaT, months_between(end, row.date), False))
            continue
        first = reached.iloc[0]
        out.append(
            (row.date, row.model, row.training_compute, first["model"], first["date"],
             months_between(first["date"], row.date), True)
        )  # fmt: skip
    frame = pd.DataFrame(
        out, columns=["closed_date", "closed_model", "training_compute", "open_model", "open_date", "months", "matched"]
    )
    status = np.where(frame["matched"], np.where(frame["months"] < 0, "open first", "matched"), CENSORED)
    return frame.assign(status=status)


def km_median(lags: pd.DataFrame, first_year: int, last_year: int) -> dict:
    """Kaplan–Meier median of `closed_record_lags` for closed records dated in [first_year, last_year].

    Censored records count as at risk until their censoring time. Returns the median (NaN when the
    survival curve never falls to one half: then the median is at least the longest follow-up), its 95%
    interval (statsmodels' default; NaN bound = not reached), the numbers matched and censored, and the
    years in which records exist.
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    window = lags[lags["closed_date"].dt.year.between(first_year, last_year)]
    years_present = sorted({int(y) for y in window["closed_date"].dt.year})
    out = {
        "median_months": float("nan"),
        "ci_low": float("nan"),
        "ci_high": float("nan"),
        "records": int(len(window)),
        "matched": int(window["matched"].sum()),
        "censored": int((~window["matched"].astype(bool)).sum()),
        "years_with_records": years_present,
        "longest_follow_up": float(window["months"].max()) if len(window) else float("nan"),
    }
    if window.empty or not window["matched"].any():
        return out
    fit = SurvfuncRight(window["months"].to_numpy(float), window["matched"].to_numpy(int))
    with np.errstate(divide="ignore", invalid="ignore"):  # the interval's log-log transform at S = 0 or 1
        median = float(fit.quantile(0.5))
        low, high = fit.quantile_ci(0.5)
    finite = [v if np.isfinite(v) else float("nan") for v in (median, float(low), float(high))]
    return out | dict(zip(["median_months", "ci_low", "ci_high"], finite, strict=True))
