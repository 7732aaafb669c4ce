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


def interval(low, high, formatter=pct) -> str:
    """'low–high' with one formatter for both ends."""
    return f"{formatter(low)}–{formatter(high)}"
