"""Numbers in sentences, with their unit explicit: shares in %, differences of shares in percentage points.

Notebooks compute every sentence that carries a number; these helpers make the unit part of the
value so a difference of two shares can never be written as a bare "%", and a missing value never
reaches a caption as "nan".
"""

from __future__ import annotations

import math

MISSING = "n/a"


def _missing(value) -> bool:
    try:
        return value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def pct(share, digits: int = 0) -> str:
    """A share (0..1) as a percentage: 0.4961 -> '50%'; missing -> 'n/a'."""
    return MISSING if _missing(share) else f"{float(share) * 100:.{digits}f}%"


def pp(difference, digits: int = 0, signed: bool = False) -> str:
    """A difference of two shares (0..1 scale) in percentage points: 0.123 -> '12 percentage points'."""
    if _missing(difference):
        return MISSING
    value = float(difference) * 100
    number = f"{value:+.{digits}f}" if signed else f"{abs(value):.{digits}f}"
    unit = "percentage point" if number.lstrip("+-") in ("1", f"1.{'0' * digits}") else "percentage points"
    return f"{number} {unit}"


def count(n) -> str:
    """A whole number with thousands separators: 12345 -> '12,345'; missing -> 'n/a'."""
    return MISSING if _missing(n) else f"{int(n):,}"


def months(value, digits: int = 1) -> str:
    """A duration in months: 15.37 -> '15.4 months'; missing -> 'n/a'."""
    return MISSING if _missing(value) else f"{float(value):.{digits}f} months"


def day(date) -> str:
    """A date in a sentence: '2026-08-22' -> '22 August 2026' (a Timestamp, a date or an ISO string)."""
    import pandas as pd

    return f"{pd.Timestamp(date):%-d %B %Y}"


def interval(low, high, formatter=pct) -> str:
    """'low–high' with one formatter for both ends."""
    return f"{formatter(low)}–{formatter(high)}"


def is_partial(year, coverage_end: str | None) -> bool:
    """Whether `year` is the last year of data ending at `coverage_end` (YYYY-MM-DD) before 31 December."""
    return (
        bool(coverage_end) and not _missing(year) and int(year) == int(coverage_end[:4]) and coverage_end[5:] != "12-31"
    )


def year(value, coverage_end: str | None = None) -> str:
    """A year for a sentence, flagged when the data cover it only in part: '2026 (partial: data end 2026-02-19)'."""
    if _missing(value):
        return MISSING
    flag = f" (partial: data end {coverage_end})" if is_partial(value, coverage_end) else ""
    return f"{int(value)}{flag}"


def share_of(share, n_part, n_whole) -> str:
    """A share with its counts beside it: '40% (2 of 5)'; missing -> 'n/a (0 of 0)'."""
    return f"{pct(share)} ({count(n_part)} of {count(n_whole)})"


def blank_missing(frame):
    """A table for display with every missing value shown as 'n/a' (never 'nan', 'NaN' or '<NA>')."""
    shown = frame.astype(object)
    return shown.where(frame.notna(), MISSING)


def round_numbers(frame, digits: int = 2):
    """`frame` with its number columns rounded to `digits` and every other column as it is (pandas warns, in the
    notebook's output, when `DataFrame.round` meets a date column)."""
    numbers = frame.select_dtypes("number").columns
    return frame.round({column: digits for column in numbers})
