"""Parameter checks for the first cell after a notebook's `parameters` cell.

Each check raises `ParameterError` naming the parameter, the value given and the valid values,
so an impossible parameter stops the notebook before any data is read.
"""

from __future__ import annotations

from collections.abc import Iterable

from opentrends.core.errors import ParameterError


def choice(name: str, value, valid: Iterable) -> None:
    """`value` must be one of `valid`."""
    valid = list(valid)
    if not any(type(v) is type(value) and v == value for v in valid):  # 1 is not True, 'x' is not ['x']
        raise ParameterError(f"Parameter {name}={value!r} is not valid. Valid values: {', '.join(map(repr, valid))}.")


def snapshot(name: str, ref, source_id: str | tuple[str, ...]) -> None:
    """`ref` must be a registered `source@date` of `source_id` (one id or several)."""
    from opentrends.registry.sources import get_snapshot, load_registry

    allowed = (source_id,) if isinstance(source_id, str) else tuple(source_id)
    registry = load_registry()
    known = [s.ref for sid in allowed if sid in registry for s in registry[sid].snapshots]
    if not isinstance(ref, str) or "@" not in ref or ref.split("@")[0] not in allowed:
        raise ParameterError(
            f"Parameter {name}={ref!r} must be a snapshot of {' or '.join(allowed)}. "
            f"Registered: {', '.join(known) or '(none)'}."
        )
    try:
        get_snapshot(ref, registry)
    except Exception as exc:
        raise ParameterError(f"Parameter {name}={ref!r} is not registered. Registered: {', '.join(known)}.") from exc


def whole_number(name: str, value, minimum: int | None = None, maximum: int | None = None, why: str = "") -> None:
    """`value` must be an int (not a bool) within [minimum, maximum]; `why` (e.g. the data's coverage) ends the message."""
    bounds = f"{minimum if minimum is not None else '-inf'}..{maximum if maximum is not None else 'inf'}"
    reason = f" ({why})" if why else ""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"Parameter {name}={value!r} must be a whole number in {bounds}{reason}.")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ParameterError(f"Parameter {name}={value!r} is outside the valid range {bounds}{reason}.")


def boolean(name: str, value) -> None:
    """`value` must be exactly True or False (not 1, 0 or a string such as 'maybe')."""
    if not isinstance(value, bool):
        raise ParameterError(f"Parameter {name}={value!r} is not valid. Valid values: True, False.")


def number(name: str, value, minimum: float | None = None, optional: bool = False) -> None:
    """`value` must be a real number (int or float, not a bool) >= minimum; None is allowed when `optional`."""
    if optional and value is None:
        return
    valid = ("None or " if optional else "") + "a number" + (f" >= {minimum:g}" if minimum is not None else "")
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
    if not ok or (minimum is not None and value < minimum):
        raise ParameterError(f"Parameter {name}={value!r} is not valid. Valid values: {valid}.")


def choices(name: str, values, valid: Iterable) -> None:
    """`values` must be a non-empty list whose every item is one of `valid`."""
    valid = list(valid)
    if not isinstance(values, list | tuple) or not values or any(v not in valid for v in values):
        raise ParameterError(
            f"Parameter {name}={values!r} is not valid. Valid values: a non-empty list of {', '.join(map(repr, valid))}."
        )


def date(name: str, value) -> None:
    """`value` must be a YYYY-MM-DD date string."""
    import datetime as dt

    try:
        dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ParameterError(f"Parameter {name}={value!r} must be a date as YYYY-MM-DD.") from exc
