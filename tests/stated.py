"""`states`: a filled template states these values, in this order, whatever words surround them."""

from __future__ import annotations


def states(said: str, *values: str) -> bool:
    """True when every value occurs in `said`, each after the one before (so a rewording keeps the test green)."""
    at = 0
    for value in values:
        found = said.find(value, at)
        if found < 0:
            return False
        at = found + len(value)
    return True
