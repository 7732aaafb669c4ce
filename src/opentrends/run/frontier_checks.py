"""Notebook 03's parameter checks: each impossible value is a ParameterError naming the parameter and the valid values."""

from __future__ import annotations

import pandas as pd

from opentrends.catalog.taxonomy import OPEN_DEFINITIONS
from opentrends.core.errors import ParameterError


def check_parameters(
    *,
    snapshot: str,
    eci_snapshot: str,
    open_definition: str,
    frontier_start,
    bootstrap_samples,
    seed,
    domain,
    known_refs: dict[str, list[str]],
    domains,
    report_snapshot: str | None = None,
    eci_compare_snapshot: str | None = None,
    record_years=None,
) -> pd.Timestamp:
    """Validate notebook 03's parameters; returns frontier_start as a date. Errors name the parameter and valid values.

    known_refs: source id -> registered snapshot refs (from the registry); domains: the valid domain labels;
    record_years (when given): [first, last] years of the record-setter window, first <= last.
    """
    compute_refs = known_refs.get("epoch-ai-models", []) + known_refs.get("epoch-open-models-report", [])
    if snapshot not in compute_refs:
        raise ParameterError(
            f"snapshot {snapshot!r} is not a registered compute snapshot; valid values: {', '.join(compute_refs)}."
        )
    eci_refs = known_refs.get("epoch-benchmarks-eci", [])
    if eci_snapshot not in eci_refs:
        raise ParameterError(f"eci_snapshot {eci_snapshot!r} is not registered; valid values: {', '.join(eci_refs)}.")
    report_refs = known_refs.get("epoch-open-models-report", [])
    if report_snapshot is not None and report_snapshot not in report_refs:
        raise ParameterError(
            f"report_snapshot {report_snapshot!r} is not registered; valid values: {', '.join(report_refs)}."
        )
    if eci_compare_snapshot is not None and eci_compare_snapshot not in eci_refs:
        raise ParameterError(
            f"eci_compare_snapshot {eci_compare_snapshot!r} is not registered; valid values: {', '.join(eci_refs)}."
        )
    if open_definition not in OPEN_DEFINITIONS:
        raise ParameterError(
            f"open_definition {open_definition!r} is not valid; valid values: {', '.join(OPEN_DEFINITIONS)}."
        )
    try:
        start = pd.Timestamp(str(frontier_start))
    except (TypeError, ValueError) as exc:
        raise ParameterError(
            f"frontier_start {frontier_start!r} is not a date; valid values: a date as YYYY-MM-DD "
            "(the report uses 2018-01-01)."
        ) from exc
    whole = isinstance(bootstrap_samples, int) and not isinstance(bootstrap_samples, bool)
    if not whole or not 1 <= bootstrap_samples <= 100_000:
        raise ParameterError(
            f"bootstrap_samples {bootstrap_samples!r} is not valid; valid values: a whole number "
            "from 1 to 100000 (the report uses 1000)."
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ParameterError(f"seed {seed!r} is not valid; valid values: a whole number >= 0 (the report uses 43).")
    if domain is not None and domain not in domains:
        raise ParameterError(
            f"domain {domain!r} is not valid; valid values: None (all domains), {', '.join(sorted(domains))}."
        )
    if record_years is not None:
        check_record_years(record_years)
    return start


def check_record_years(record_years) -> tuple[int, int]:
    """record_years must be two whole years [first, last] with first <= last; returns them."""
    pair = list(record_years) if isinstance(record_years, (list, tuple)) else None
    whole = pair is not None and len(pair) == 2 and all(isinstance(y, int) and not isinstance(y, bool) for y in pair)
    if not whole or not (1950 <= pair[0] <= pair[1] <= 2100):
        raise ParameterError(
            f"record_years {record_years!r} is not valid; valid values: two whole years [first, last] with "
            "1950 <= first <= last <= 2100, e.g. [2023, 2025] (the window for the median record-setter lag)."
        )
    return pair[0], pair[1]
