"""Change tested as change: trends across every year with a 95% interval (logistic and linear fits, statsmodels).

A claim that something rose or fell is a claim about a slope, not about two endpoints. Each function
fits one model over every dated row in a window and returns the slope of interest with its 95% Wald
interval and a direction: `up` / `down` when the interval excludes zero, `no clear change` otherwise.
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
        return (
            f"{self.estimate:+.{digits}f} (95% CI {self.ci_low:+.{digits}f} to {self.ci_high:+.{digits}f}) "
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


def _slope(fit, term: str, n: int, scale: str, dates: pd.Series) -> Slope | None:
    estimate, (low, high) = float(fit.params[term]), fit.conf_int(0.05).loc[term]
    if not all(math.isfinite(v) for v in (estimate, low, high)):
        return None
    return Slope(
        round(estimate, 6),
        round(float(low), 6),
        round(float(high), 6),
        round(float(fit.pvalues[term]), 6),
        n,
        scale,
        dates.min().strftime("%Y-%m-%d"),
        dates.max().strftime("%Y-%m-%d"),
    )


def logistic_slope(frame: pd.DataFrame, outcome: str) -> Slope | None:
    """outcome (0/1) ~ time: the change in log-odds per year. None when the fit cannot be made (too few rows,
    no variation in the outcome)."""
    import statsmodels.api as sm

    rows = _window(frame, ["date", outcome], "logistic_slope")
    y = rows[outcome].astype(float)
    if len(rows) < 10 or y.nunique() < 2:
        return None
    X = sm.add_constant(rows[["t"]].astype(float))
    fit = sm.GLM(y, X, family=sm.families.Binomial()).fit()
    return _slope(fit, "t", len(rows), "log-odds per year", rows["date"])


def logistic_interaction(frame: pd.DataFrame, outcome: str, group: str, focal: str, reference: str) -> Slope | None:
    """outcome ~ time × (group == focal), on rows of `focal` and `reference`: how much faster the focal group's
    log-odds rise per year than the reference group's (the interaction). None when the fit cannot be made."""
    import statsmodels.api as sm

    rows = _window(frame, ["date", outcome, group], "logistic_interaction")
    rows = rows[rows[group].isin([focal, reference])]
    y = rows[outcome].astype(float)
    if len(rows) < 10 or y.nunique() < 2 or rows[group].nunique() < 2:
        return None
    focal_flag = (rows[group] == focal).astype(float)
    X = sm.add_constant(pd.DataFrame({"t": rows["t"], "focal": focal_flag, "t_x_focal": rows["t"] * focal_flag}))
    try:
        fit = sm.GLM(y, X.astype(float), family=sm.families.Binomial()).fit()
    except (np.linalg.LinAlgError, ValueError):
        return None
    return _slope(fit, "t_x_focal", len(rows), "log-odds-ratio per year", rows["date"])


def linear_interaction(frame: pd.DataFrame, outcome: str, group: str, focal: str, reference: str) -> Slope | None:
    """outcome ~ time × (group == focal) by least squares with heteroskedasticity-robust (HC3) errors: how much
    faster the focal group's outcome rises per year than the reference group's."""
    import statsmodels.api as sm

    rows = _window(frame, ["date", outcome, group], "linear_interaction")
    rows = rows[rows[group].isin([focal, reference])]
    if len(rows) < 10 or rows[group].nunique() < 2:
        return None
    focal_flag = (rows[group] == focal).astype(float)
    X = sm.add_constant(pd.DataFrame({"t": rows["t"], "focal": focal_flag, "t_x_focal": rows["t"] * focal_flag}))
    fit = sm.OLS(rows[outcome].astype(float), X.astype(float)).fit(cov_type="HC3")
    return _slope(fit, "t_x_focal", len(rows), "points per year", rows["date"])
