"""Change tested as change: trends across every year with a 95% interval (logistic and linear fits, statsmodels).

A claim that something rose or fell is a claim about a slope, not about two endpoints. Each function
fits one model over every dated row in a window and returns the slope of interest with its 95% Wald
interval and a direction: `up` / `down` when the interval excludes zero, `no clear change` otherwise.
With `cluster=` (a column, e.g. the organization) the interval comes from statsmodels' cluster-robust errors
(`cov_type="cluster"`): rows of one cluster are not independent draws. The naive interval (rows independent)
is kept beside it (`naive_low`, `naive_high`) and the direction follows the clustered one.
Time is the decimal year (2024-07-02 -> 2024.5), so a partial last year enters with the months it has.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from opentrends.core.errors import ParameterError

UP, DOWN, FLAT = "up", "down", "no clear change"


@dataclass(frozen=True)
class Slope:
    """A fitted change per year with its 95% interval; `scale` says what one unit of `estimate` is."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int
    scale: str
    first: str
    last: str
    naive_low: float | None = None
    naive_high: float | None = None
    unit: str = "row"  # what the interval treats as independent: a row, or the cluster column's values
    n_clusters: int | None = None

    @property
    def direction(self) -> str:
        if self.ci_low > 0:
            return UP
        if self.ci_high < 0:
            return DOWN
        return FLAT

    def as_dict(self) -> dict:
        return {**asdict(self), "direction": self.direction}

    def describe(self, digits: int = 2) -> str:
        """'+0.41 (95% CI +0.12 to +0.70) log-odds per year, n = 812, 2020-01-03..2025-07-30'."""
        naive = ""
        if self.naive_low is not None and self.n_clusters is not None:
            naive = (
                f" clustered by {self.unit} ({self.n_clusters:,} clusters); naive {self.naive_low:+.{digits}f} to "
                f"{self.naive_high:+.{digits}f}"
            )
        return (
            f"{self.estimate:+.{digits}f} (95% CI {self.ci_low:+.{digits}f} to {self.ci_high:+.{digits}f}{naive}) "
            f"{self.scale}, n = {self.n:,}, {self.first}..{self.last}"
        )


def decimal_year(dates: pd.Series) -> pd.Series:
    """Dates as decimal years: 2024-01-01 -> 2024.0, 2024-07-02 -> 2024.5 (day of year over 365.25)."""
    dates = pd.to_datetime(dates)
    return dates.dt.year + (dates.dt.day_of_year - 1) / 365.25


def _window(frame: pd.DataFrame, columns: list[str], where: str) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ParameterError(f"{where} needs column(s) {', '.join(missing)}; got {', '.join(map(str, frame.columns))}.")
    rows = frame.dropna(subset=columns)
    return rows.assign(t=decimal_year(rows["date"]) - 2020.0)


def _fit(model, rows: pd.DataFrame, cluster: str | None, naive_cov: str = "nonrobust"):
    """(clustered fit or None, naive fit): the same model with cluster-robust and with naive errors."""
    naive = model.fit(cov_type=naive_cov)
    if cluster is None or rows[cluster].nunique() < 2:
        return None, naive
    groups = pd.factorize(rows[cluster].astype(str))[0]
    return model.fit(cov_type="cluster", cov_kwds={"groups": groups}), naive


def _slope(fits, term: str, rows: pd.DataFrame, scale: str, cluster: str | None = None) -> Slope | None:
    clustered, naive = fits
    fit = clustered if clustered is not None else naive
    estimate, (low, high) = float(fit.params[term]), fit.conf_int(0.05).loc[term]
    naive_low, naive_high = naive.conf_int(0.05).loc[term]
    if not all(math.isfinite(v) for v in (estimate, low, high, naive_low, naive_high)):
        return None
    dates = rows["date"]
    return Slope(
        round(estimate, 6),
        round(float(low), 6),
        round(float(high), 6),
        round(float(fit.pvalues[term]), 6),
        len(rows),
        scale,
        dates.min().strftime("%Y-%m-%d"),
        dates.max().strftime("%Y-%m-%d"),
        round(float(naive_low), 6),
        round(float(naive_high), 6),
        cluster if clustered is not None else "row",
        int(rows[cluster].nunique()) if clustered is not None else None,
    )


def logistic_slope(frame: pd.DataFrame, outcome: str, cluster: str | None = None) -> Slope | None:
    """outcome (0/1) ~ time: the change in log-odds per year (errors clustered by `cluster` when given). None when
    the fit cannot be made (too few rows, no variation in the outcome)."""
    import statsmodels.api as sm

    rows = _window(frame, ["date", outcome] + ([cluster] if cluster else []), "logistic_slope")
    y = rows[outcome].astype(float)
    if len(rows) < 10 or y.nunique() < 2:
        return None
    X = sm.add_constant(rows[["t"]].astype(float))
    model = sm.GLM(y, X, family=sm.families.Binomial())
    return _slope(_fit(model, rows, cluster), "t", rows, "log-odds per year", cluster)


def logistic_interaction(
    frame: pd.DataFrame, outcome: str, group: str, focal: str, reference: str, cluster: str | None = None
) -> Slope | None:
    """outcome ~ time × (group == focal), on rows of `focal` and `reference`: how much faster the focal group's
    log-odds rise per year than the reference group's (the interaction). None when the fit cannot be made."""
    import statsmodels.api as sm

    rows = _window(frame, ["date", outcome, group] + ([cluster] if cluster else []), "logistic_interaction")
    rows = rows[rows[group].isin([focal, reference])]
    y = rows[outcome].astype(float)
    if len(rows) < 10 or y.nunique() < 2 or rows[group].nunique() < 2:
        return None
    focal_flag = (rows[group] == focal).astype(float)
    X = sm.add_constant(pd.DataFrame({"t": rows["t"], "focal": focal_flag, "t_x_focal": rows["t"] * focal_flag}))
    try:
        fits = _fit(sm.GLM(y, X.astype(float), family=sm.families.Binomial()), rows, cluster)
    except (np.linalg.LinAlgError, ValueError):
        return None
    return _slope(fits, "t_x_focal", rows, "log-odds-ratio per year", cluster)


def linear_interaction(
    frame: pd.DataFrame, outcome: str, group: str, focal: str, reference: str, cluster: str | None = None
) -> Slope | None:
    """outcome ~ time × (group == focal) by least squares: how much faster the focal group's outcome rises per
    year than the reference group's. Naive errors are heteroskedasticity-robust (HC3); `cluster` clusters them."""
    import statsmodels.api as sm

    rows = _window(frame, ["date", outcome, group] + ([cluster] if cluster else []), "linear_interaction")
    rows = rows[rows[group].isin([focal, reference])]
    if len(rows) < 10 or rows[group].nunique() < 2:
        return None
    focal_flag = (rows[group] == focal).astype(float)
    X = sm.add_constant(pd.DataFrame({"t": rows["t"], "focal": focal_flag, "t_x_focal": rows["t"] * focal_flag}))
    fits = _fit(sm.OLS(rows[outcome].astype(float), X.astype(float)), rows, cluster, naive_cov="HC3")
    return _slope(fits, "t_x_focal", rows, "points per year", cluster)
