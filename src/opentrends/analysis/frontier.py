"""How far open models trail the closed frontier: in training compute and in measured capability.

Pure functions on tidy tables (no I/O, no printing). The compute method re-implements the one of
Cottier et al., "How far behind are open models?" (Epoch AI, 4 Nov 2024), read from the report's
`compute_analysis.ipynb` (snapshot `epoch-open-models-report@2024-11-05`):

1. frontier: per access class, the models that were the top-1 by training compute *within their class*
   when released, counting from a cutoff date (`frontier_start`, the report's 2018-01-01); before the
   cutoff both classes share one seed, the overall top model as of the cutoff, so each class's frontier
   starts from the same height;
2. trend: per class, ordinary least squares of log10(training compute) on time, time in 365-day years
   (the report fits on day ordinals and multiplies the daily slope by 365);
3. lag: the horizontal distance between the two trend lines at the last frontier date, i.e. how long
   the closed line took to reach where the open line is at that date; 90% interval from bootstrap
   resamples (with replacement) of the frontier models. The same-slope variant fits one common slope
   with a separate intercept per class.

Input tables carry the columns `model`, `date` (datetime64), `access_class` ('open' / 'closed') and
`training_compute` (FLOP); ECI tables carry `model`, `date`, `access_class`, `eci` (and `version`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from opentrends.catalog.taxonomy import ACCESS_CLASS, OPEN_DEFINITIONS
from opentrends.core.errors import DataError, ParameterError
from opentrends.core.tables import require_columns

CLASSES = ("open", "closed")
DAYS_PER_YEAR = 365.0  # the report's convention: slope per day x 365 (compute_analysis.ipynb, fit_n_phase_exponential)
MONTHS_PER_YEAR = 12.0
METHODS = ("separate slopes", "same slope")
CI_WIDTH = 0.90  # the report's interval: 5th and 95th percentiles of the bootstrap lags
NOT_YET_MATCHED = "not yet matched"

COMPUTE_COLUMNS = ("model", "date", "access_class", "training_compute")
ECI_COLUMNS = ("model", "date", "access_class", "eci")


def _require(table: pd.DataFrame, columns, what: str) -> None:
    require_columns(table, columns, what, fix="Fix: pass the tidy table of the compute or ECI loader.")


def years(dates: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Dates -> time in 365-day years since 1970-01-01 (only differences matter for the lag)."""
    days = (pd.to_datetime(pd.Series(dates)) - pd.Timestamp("1970-01-01")).dt.days.to_numpy(dtype=float)
    return days / DAYS_PER_YEAR


def months_between(later, earlier) -> float:
    """(later - earlier) in months of 365/12 days, the report's conversion; NaN when either is missing."""
    if pd.isna(later) or pd.isna(earlier):
        return float("nan")
    return (pd.Timestamp(later) - pd.Timestamp(earlier)).days / DAYS_PER_YEAR * MONTHS_PER_YEAR


# --- population -------------------------------------------------------------------------------------

# Outliers the report drops before selecting the frontier (compute_analysis.ipynb cell 23, filter_alphago_outliers).
REPORT_OUTLIERS = ("AlphaGo Master", "AlphaGo Zero")
ESTIMATE_MODES = ("overwrite", "fill")


def access_classes(access: pd.Series, open_definition: str = "weights") -> pd.Series:
    """Accessibility label -> 'open' (under `open_definition`), 'closed', 'unknown' (blank) or 'set aside'.

    Closed is always the three closed labels; open-weights labels outside the definition (e.g. restricted
    use under `unrestricted`) are set aside rather than counted as closed, so the closed frontier stays closed.
    """
    if open_definition not in OPEN_DEFINITIONS:
        raise ParameterError(f"open_definition must be one of {', '.join(OPEN_DEFINITIONS)}, got {open_definition!r}.")
    opened = OPEN_DEFINITIONS[open_definition]

    def one(label: str) -> str:
        if label in opened:
            return "open"
        if ACCESS_CLASS.get(label) == "closed":
            return "closed"
        if ACCESS_CLASS.get(label) == "unknown":
            return "unknown"
        if ACCESS_CLASS.get(label) == "open":
            return "set aside"
        raise DataError(f"Unknown accessibility label {label!r}; known: {', '.join(sorted(ACCESS_CLASS))}.")

    return access.map(one)


def compute_population(
    rows: pd.DataFrame,
    estimates: pd.DataFrame | None = None,
    *,
    estimate_mode: str = "overwrite",
    open_definition: str = "weights",
    domain: str | None = None,
    drop_finetunes: bool = True,
    outliers=REPORT_OUTLIERS,
) -> tuple[pd.DataFrame, dict]:
    """The rows the compute frontier is chosen from, as the report prepares them, and what was set aside.

    `rows` has model, date, access, domain, training_compute, base_model. Steps: apply the hand-set
    `estimates` (model, training_compute) -- `overwrite` replaces the row's compute (the report's way),
    `fill` sets it only where the row has none; drop rows without a date or compute, the outliers, and
    fine-tunes (non-blank base_model); keep rows whose domain list holds `domain` (None = all). Rows of
    unknown accessibility stay (class 'unknown'): they can seed the frontier but never join a class.
    """
    if estimate_mode not in ESTIMATE_MODES:
        raise ParameterError(f"estimate_mode must be one of {', '.join(ESTIMATE_MODES)}, got {estimate_mode!r}.")
    table = rows.copy()
    notes = {"rows": len(table)}
    table["access_class"] = access_classes(table["access"], open_definition)
    table["estimated"] = False
    if estimates is not None and not estimates.empty:
        guess = table["model"].map(estimates.set_index("model")["training_compute"])
        use = guess.notna() if estimate_mode == "overwrite" else guess.notna() & table["training_compute"].isna()
        table.loc[use, "training_compute"] = guess[use]
        table.loc[use, "estimated"] = True
        notes["hand-set compute estimates used"] = int(use.sum())
    if domain is not None:
        known = sorted({d for cell in table["domain"] for d in cell.split(",") if d})
        if domain not in known:
            raise ParameterError(
                f"domain {domain!r} is not in this snapshot; valid values: None (all), {', '.join(known)}."
            )
        other = ~table["domain"].map(lambda cell: domain in cell.split(","))
        notes["other domains"] = int(other.sum())
        table = table[~other]
    for access_class in CLASSES:
        notes[f"{access_class} models without training compute"] = int(
            ((table["access_class"] == access_class) & table["training_compute"].isna()).sum()
        )
    for reason, drop in (
        ("without a date", table["date"].isna()),
        ("without training compute", table["training_compute"].isna()),
        ("report outliers (AlphaGo Master, AlphaGo Zero)", table["model"].isin(outliers)),
        ("fine-tunes (a base model is named)", (table["base_model"] != "") if drop_finetunes else False),
    ):
        drop = pd.Series(drop, index=table.index) & ~pd.Series(False, index=table.index)
        notes[reason] = int(drop.sum())
        table = table[~drop]
    notes["kept"] = len(table)
    for access_class in ("open", "closed", "unknown", "set aside"):
        notes[f"kept, {access_class}"] = int((table["access_class"] == access_class).sum())
    return _ordered(table), notes


# --- compute frontier -------------------------------------------------------------------------------


def _ordered(table: pd.DataFrame) -> pd.DataFrame:
    """Date order, ties broken by model name so every result is deterministic."""
    return table.sort_values(["date", "model"], kind="stable").reset_index(drop=True)


def frontier_seed(table: pd.DataFrame, start) -> pd.Series:
    """The overall top model by training compute released on or before `start` (ties: earliest, then name)."""
    _require(table, COMPUTE_COLUMNS, "frontier_seed")
    start = pd.Timestamp(start)
    before = table[(table["date"] <= start) & table["training_compute"].notna()]
    if before.empty:
        raise ParameterError(
            f"frontier_start {start.date()} is before every model with a known training compute (the earliest is "
            f"{table.loc[table['training_compute'].notna(), 'date'].min():%Y-%m-%d}); the frontier needs a seed model. "
            "Fix: choose a later frontier_start."
        )
    before = _ordered(before)
    return before.loc[before["training_compute"].idxmax()]  # idxmax returns the first (earliest) of ties


def compute_frontier(table: pd.DataFrame, start) -> pd.DataFrame:
    """The top-1 training-compute frontier of each access class after `start`, seeded at `start`.

    A model (released after `start`) is on its class's frontier when its compute exceeds every earlier
    model of its class released after `start` and the seed (the overall top model as of `start`), and it
    is the largest of its class on its release date. Ties keep the earlier model (then the name). Models
    without compute cannot be placed and are ignored. Returns the frontier rows in date order with the
    columns of `table` plus `seed_model`.
    """
    _require(table, COMPUTE_COLUMNS, "compute_frontier")
    start = pd.Timestamp(start)
    seed = frontier_seed(table, start)
    known = _ordered(table[table["training_compute"].notna() & table["access_class"].isin(CLASSES)])
    after = known[known["date"] > start]
    keep = []
    for access_class in CLASSES:
        best = float(seed["training_compute"])
        for _, day in after[after["access_class"] == access_class].groupby("date", sort=True):
            top = day.loc[day["training_compute"].idxmax()]
            if top["training_compute"] > best:
                keep.append(top.name)
                best = float(top["training_compute"])
    frontier = known.loc[sorted(keep)].copy()
    frontier["seed_model"] = seed["model"]
    return frontier.reset_index(drop=True)


def check_frontier(
    frontier: pd.DataFrame, parameter: str = "frontier_start", domain=None, open_definition: str | None = None
) -> None:
    """Each class needs at least two frontier models on distinct dates to fit a line.

    The error's hint names only the parameters that can help: `parameter` always, the domain filter when
    `domain` is set, and open_definition='weights' when the narrower 'unrestricted' leaves open too few.
    """
    for access_class in CLASSES:
        dates = frontier.loc[frontier["access_class"] == access_class, "date"].nunique()
        if dates < 2:
            names = ", ".join(frontier.loc[frontier["access_class"] == access_class, "model"]) or "none"
            fixes = [f"change {parameter} (an earlier date adds frontier models)"]
            if domain is not None:
                fixes.append(f"drop the domain filter (domain=None instead of {domain!r})")
            if open_definition == "unrestricted" and access_class == "open":
                fixes.append("use open_definition='weights' (more open models)")
            raise ParameterError(
                f"The {access_class} compute frontier has {dates} model date(s) ({names}), too few to fit a trend "
                f"(at least 2 needed). Fix: {' or '.join(fixes)}."
            )


# --- trend lines and lag ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """log10(compute) = intercept[class] + slope[class] * years; slopes in orders of magnitude per year."""

    intercept: dict
    slope: dict
    method: str

    def predict(self, access_class: str, dates) -> np.ndarray:
        """Fitted log10 training compute of `access_class` at `dates`."""
        return self.intercept[access_class] + self.slope[access_class] * years(dates)


def _fit_arrays(x: np.ndarray, y: np.ndarray, is_open: np.ndarray, method: str):
    """(intercepts, slopes) per class by OLS; None when a class cannot be fitted (fewer than 2 distinct x)."""
    parts = {}
    for access_class, mask in (("open", is_open), ("closed", ~is_open)):
        xc, yc = x[mask], y[mask]
        if np.unique(xc).size < 2:
            return None
        parts[access_class] = (xc, yc, xc.mean(), yc.mean())
    if method == "separate slopes":
        slope = {
            c: float(((xc - mx) * (yc - my)).sum() / ((xc - mx) ** 2).sum()) for c, (xc, yc, mx, my) in parts.items()
        }
    elif method == "same slope":
        # One slope, one intercept per class: the pooled within-class regression (equivalent to OLS on class dummies)
        common = sum(((xc - mx) * (yc - my)).sum() for xc, yc, mx, my in parts.values()) / sum(
            ((xc - mx) ** 2).sum() for xc, _, mx, _ in parts.values()
        )
        slope = {c: float(common) for c in parts}
    else:
        raise ParameterError(f"method must be one of {', '.join(METHODS)}, got {method!r}.")
    intercept = {c: float(my - slope[c] * mx) for c, (_, _, mx, my) in parts.items()}
    return intercept, slope


def fit_trend(frontier: pd.DataFrame, method: str = "separate slopes") -> Trend:
    """Per-class log-linear trend of the frontier models (`method`: separate slopes or same slope)."""
    _require(frontier, COMPUTE_COLUMNS, "fit_trend")
    check_frontier(frontier)
    fitted = _fit_arrays(
        years(frontier["date"]),
        np.log10(frontier["training_compute"].to_numpy(dtype=float)),
        (frontier["access_class"] == "open").to_numpy(),
        method,
    )
    return Trend(*fitted, method)


def _lag_years(intercept: dict, slope: dict, at_year: float) -> float:
    """How long the closed line took to go from the open line's value at `at_year` to its own value there."""
    gap = (intercept["closed"] + slope["closed"] * at_year) - (intercept["open"] + slope["open"] * at_year)
    return gap / slope["closed"]


def trend_lag_months(trend: Trend, at) -> float:
    """The horizontal distance (months) between the two trend lines at date `at`, read along the closed line."""
    return _lag_years(trend.intercept, trend.slope, float(years([at])[0])) * MONTHS_PER_YEAR


@dataclass(frozen=True)
class LagEstimate:
    """A compute lag with its bootstrap interval."""

    method: str
    lag_months: float
    ci_low: float
    ci_high: float
    n_frontier_models: int
    last_date: pd.Timestamp
    slope_open: float
    slope_closed: float
    bootstrap_samples: int
    bootstrap_skipped: int  # resamples where a class had fewer than two distinct dates (no line to fit)


def lag_estimate(
    frontier: pd.DataFrame, method: str = "separate slopes", bootstrap_samples: int = 1000, seed: int = 43
) -> LagEstimate:
    """The compute lag at the last frontier date with a 90% bootstrap interval.

    Each resample draws len(frontier) frontier models with replacement (one `default_rng(seed)`), refits
    the trend and reads the lag at the resample's own last date, as the report does. With the frontier
    rows in date order and seed 43 (the report's), the draws are the report's own.
    """
    if int(bootstrap_samples) < 1:
        raise ParameterError(f"bootstrap_samples must be a whole number >= 1, got {bootstrap_samples!r}.")
    trend = fit_trend(frontier, method)
    frontier = _ordered(frontier)
    x = years(frontier["date"])
    y = np.log10(frontier["training_compute"].to_numpy(dtype=float))
    is_open = (frontier["access_class"] == "open").to_numpy()
    rng = np.random.default_rng(seed)
    lags, skipped = [], 0
    for _ in range(int(bootstrap_samples)):
        pick = rng.choice(len(frontier), size=len(frontier), replace=True)
        fitted = _fit_arrays(x[pick], y[pick], is_open[pick], method)
        if fitted is None:
            skipped += 1
            continue
        lags.append(_lag_years(*fitted, x[pick].max()) * MONTHS_PER_YEAR)
    low, high = np.quantile(lags, [(1 - CI_WIDTH) / 2, (1 + CI_WIDTH) / 2]) if lags else (np.nan, np.nan)
    last = frontier["date"].max()
    return LagEstimate(
        method,
        trend_lag_months(trend, last),
        float(low),
        float(high),
        len(frontier),
        last,
        trend.slope["open"],
        trend.slope["closed"],
        int(bootstrap_samples),
        skipped,
    )


def leave_one_out(frontier: pd.DataFrame, method: str = "separate slopes") -> pd.DataFrame:
    """The lag with each frontier model left out in turn (model, access_class, lag_months); NaN when unfittable."""
    out = []
    for index, row in frontier.iterrows():
        rest = frontier.drop(index)
        fitted = _fit_arrays(
            years(rest["date"]),
            np.log10(rest["training_compute"].to_numpy(dtype=float)),
            (rest["access_class"] == "open").to_numpy(),
            method,
        )
        lag = np.nan if fitted is None else _lag_years(*fitted, years([rest["date"].max()])[0]) * MONTHS_PER_YEAR
        out.append((row["model"], row["access_class"], float(lag)))
    return pd.DataFrame(out, columns=["model", "access_class", "lag_months"])


def fitted_compute(table: pd.DataFrame, trend: Trend) -> pd.Series:
    """Fitted log10 compute of each row's class at its date (NaN for rows of no class)."""
    out = pd.Series(np.nan, index=table.index, dtype=float)
    for access_class in CLASSES:
        rows = table["access_class"] == access_class
        if rows.any():
            out[rows] = trend.predict(access_class, table.loc[rows, "date"])
    return out


# --- notebook support -------------------------------------------------------------------------------


def trend_lines(trend: Trend, start, end, freq: str = "MS") -> pd.DataFrame:
    """The fitted lines of both classes on a monthly grid from `start` to `end` (date, access_class, log10_compute)."""
    grid = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
    parts = [pd.DataFrame({"date": grid, "access_class": c, "log10_compute": trend.predict(c, grid)}) for c in CLASSES]
    return pd.concat(parts, ignore_index=True)


def compare_frontiers(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Which models entered or left the frontier between two data vintages (model, access_class, change)."""
    a = set(zip(old["model"], old["access_class"]))
    b = set(zip(new["model"], new["access_class"]))
    rows = [(m, c, "left") for m, c in sorted(a - b)] + [(m, c, "entered") for m, c in sorted(b - a)]
    return pd.DataFrame(rows, columns=["model", "access_class", "change"])
