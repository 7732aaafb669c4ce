"""Record-setter lags: for each open model that set a new open training-compute record, how long before a
closed model had reached that compute (negative when open got there first; "not yet matched" when no closed
model has). Pure functions on tidy compute tables (see frontier.py for the columns).
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
