"""Parameter checks for the first cell after a notebook's `parameters` cell.

Each check raises `ParameterError` naming the parameter, the value given and the valid values,
so an impossible parameter stops the notebook before any data is read. The helpers are built on
`param_spec.Param`, the same type the runner's pre-check and `opentrends params` read, so the
wording is one; `declared(...)` checks every parameter a notebook's spec (`param_spec.SPECS`) declares.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from opentrends.core.errors import ParameterError
from opentrends.run.param_spec import Param, spec_for


def declared(values: Mapping, notebook: str | None = None) -> None:
    """Check every parameter `notebook`'s spec declares (default: the notebook the runner names) against `values`.

    In a notebook: `checks.declared(globals())`. Checks only types and listed values; what needs the data
    (coverage, capture dates) is checked after it, in the same cell.
    """
    notebook = notebook or os.environ.get("OPENTRENDS_NOTEBOOK", "")
    spec = spec_for(notebook)
    if not spec:
        raise ParameterError(f"No parameter spec for notebook {notebook!r}. Fix: declare it in param_spec.SPECS.")
    for name, param in spec.items():
        param.check(name, values.get(name), values)


def choice(name: str, value, valid: Iterable) -> None:
    """`value` must be one of `valid`."""
    Param("choice", tuple(valid)).check(name, value)


def snapshot(name: str, ref, source_id: str | tuple[str, ...]) -> None:
    """`ref` must be a registered `source@date` of `source_id` (one id or several)."""
    Param("snapshot", (source_id,) if isinstance(source_id, str) else tuple(source_id)).check(name, ref)


def whole_number(name: str, value, minimum: int | None = None, maximum: int | None = None, why: str = "") -> None:
    """`value` must be an int (not a bool) within [minimum, maximum]; `why` (e.g. the data's coverage) ends the message."""
    Param("whole", minimum=minimum, maximum=maximum).check(name, value, why=why)


def boolean(name: str, value) -> None:
    """`value` must be exactly True or False (not 1, 0 or a string such as 'maybe')."""
    Param("bool").check(name, value)


def number(name: str, value, minimum: float | None = None, optional: bool = False) -> None:
    """`value` must be a real number (int or float, not a bool) >= minimum; None is allowed when `optional`."""
    Param("number", minimum=minimum, optional=optional).check(name, value)


def choices(name: str, values, valid: Iterable) -> None:
    """`values` must be a non-empty list whose every item is one of `valid`."""
    Param("choices", tuple(valid)).check(name, values)


def date(name: str, value) -> None:
    """`value` must be a real date written YYYY-MM-DD."""
    Param("date").check(name, value)
