"""Each notebook's parameters, their types and valid values, declared once for every reader.

`SPECS` maps a notebook (`NN_topic`) to `{parameter: Param}`. Three readers use it:
the runner's pre-check (`check_values`, before any kernel starts: a bad value exits 2),
the notebooks' first-cell checks (`opentrends.run.checks`, whose helpers are built on `Param`),
and `opentrends params NOTEBOOK` (`describe`). What only the data can answer (a year the
catalogue covers, a capture date, a model in the top list) is checked in the notebook's
first cell and named here in `note`.

Valid values of lower layers (Epoch files, domains, open definitions) are read lazily (`valid` is then a
function of the notebook's values): the runner imports pandas only when a value is checked against them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from opentrends.core.errors import ParameterError

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TYPE_NAMES = {
    "whole": "whole number",
    "number": "number",
    "bool": "True or False",
    "text": "text",
    "date": "date (YYYY-MM-DD)",
    "dates": "list of dates (YYYY-MM-DD)",
    "choice": "one value of a list",
    "choices": "list of values",
    "snapshot": "snapshot (source@date)",
    "snapshots": "list of snapshots (source@date)",
    "year_range": "two whole years [first, last]",
}


@dataclass(frozen=True)
class Param:
    """One parameter's type and valid values.

    kind: a key of `TYPE_NAMES`. valid: for choice/choices the values, for snapshot the source id(s);
    a callable gets the notebook's values and returns them. minimum/maximum: numbers, or the name of
    another parameter of the notebook. optional: None is valid too. note: what only the notebook can check.
    """

    kind: str
    valid: tuple | Callable[[Mapping], Iterable] = ()
    minimum: int | float | str | None = None
    maximum: int | float | str | None = None
    optional: bool = False
    note: str = ""
    covered: Callable[[Mapping], Any] | None = None  # the data's coverage (selection.Coverage) for a year parameter

    def type_name(self) -> str:
        """'whole number', 'None or number', ..."""
        return ("None or " if self.optional else "") + TYPE_NAMES[self.kind]

    def values(self, values: Mapping | None = None) -> list:
        """The listed valid values (choice, choices) or source ids (snapshot), resolved for `values`."""
        return list(self.valid(values or {}) if callable(self.valid) else self.valid)

    def _bound(self, bound, values: Mapping) -> tuple[Any, str]:
        if isinstance(bound, str):
            other = values.get(bound)
            shown = f"{bound} (here {other!r})" if _is_whole(other) or _is_number(other) else bound
            return (other if _is_number(other) else None), shown
        return bound, "" if bound is None else f"{bound:g}" if isinstance(bound, float) else str(bound)

    def expected(self, values: Mapping | None = None) -> str:
        """The valid values in words, e.g. 'a whole number from 1 to head_size (here 300)'."""
        values = values or {}
        lead = "None or " if self.optional else ""
        if self.kind in ("whole", "number"):
            noun = "a whole number" if self.kind == "whole" else "a number"
            (_, low), (_, high) = self._bound(self.minimum, values), self._bound(self.maximum, values)
            if low and high:
                return f"{lead}{noun} from {low} to {high}"
            return f"{lead}{noun}" + (f" >= {low}" if low else f" <= {high}" if high else "")
        if self.kind == "bool":
            return "True, False"
        if self.kind == "choice":
            return ", ".join(map(repr, self.values(values)))
        if self.kind == "choices":
            return f"{lead}a non-empty list of {', '.join(map(repr, self.values(values)))}"
        if self.kind in ("snapshot", "snapshots"):
            refs = registered_refs(self.values(values) if self.kind == "snapshot" else None)
            what = "a registered snapshot" if self.kind == "snapshot" else "a non-empty list of registered snapshots"
            return f"{lead}{what}: {', '.join(refs) or '(none registered)'}"
        if self.kind == "date":
            return f"{lead}a real date as YYYY-MM-DD"
        if self.kind == "dates":
            return f"{lead}a non-empty list of real dates as YYYY-MM-DD"
        if self.kind == "year_range":
            return "two whole years [first, last] with 1950 <= first <= last <= 2100, e.g. [2023, 2025]"
        return f"{lead}text"

    def accepts(self, value, values: Mapping | None = None) -> bool:
        """Whether `value` is valid (`values`: the notebook's other parameters, for bounds that name them)."""
        values = values or {}
        if value is None and (self.optional or self.kind == "choice" and None in self.values(values)):
            return True
        if self.kind in ("whole", "number"):
            if not (_is_whole(value) if self.kind == "whole" else _is_number(value)):
                return False
            low, high = self._bound(self.minimum, values)[0], self._bound(self.maximum, values)[0]
            return (low is None or value >= low) and (high is None or value <= high)
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "choice":  # strict about type: 1 is not True, 'x' is not ['x']
            return any(type(v) is type(value) and v == value for v in self.values(values))
        if self.kind == "choices":
            valid = self.values(values)
            return isinstance(value, list | tuple) and bool(value) and all(v in valid for v in value)
        if self.kind == "snapshot":
            return isinstance(value, str) and value in registered_refs(self.values(values))
        if self.kind == "snapshots":
            known = registered_refs()
            return isinstance(value, list | tuple) and bool(value) and all(v in known for v in value)
        if self.kind == "date":
            return _is_date(value)
        if self.kind == "dates":
            return isinstance(value, list | tuple) and bool(value) and all(map(_is_date, value))
        if self.kind == "year_range":
            pair = list(value) if isinstance(value, list | tuple) else []
            return len(pair) == 2 and all(map(_is_whole, pair)) and 1950 <= pair[0] <= pair[1] <= 2100
        return isinstance(value, str) and bool(value.strip())

    def check(self, name: str, value, values: Mapping | None = None, why: str = "", notebook: str = "") -> None:
        """Raise ParameterError naming the parameter, the value and the valid values when `value` is not valid."""
        if self.accepts(value, values):
            return
        where = f" of notebook {notebook}" if notebook else ""
        reason = f" ({why})" if why else ""
        fix = (
            f" Fix: pass a valid value; `opentrends params {notebook}` lists every parameter, its default and "
            "valid values."
            if notebook
            else ""
        )
        raise ParameterError(
            f"Parameter {name}={value!r}{where} is not valid. Valid values: {self.expected(values)}{reason}.{fix}"
        )


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:  # bool is an int; NaN is not a number a user means
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _is_date(value) -> bool:
    if not isinstance(value, str) or not DATE_RE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def registered_refs(source_ids: Iterable[str] | None = None) -> list[str]:
    """Registered snapshot refs of these sources (all sources when None), in registry order."""
    from opentrends.registry.sources import load_registry

    registry = load_registry()
    ids = list(registry) if source_ids is None else [s for s in source_ids if s in registry]
    return [snap.ref for sid in ids for snap in registry[sid].snapshots]


# --- lazily read valid values (lower layers import pandas) -------------------------------------------


def _populations(_values) -> list[str]:
    from opentrends.catalog.loaders import epoch

    return list(epoch.FILES)


def _domains(_values) -> list:
    from opentrends.catalog.loaders import epoch

    return [None, *sorted(epoch.DOMAINS)]


def _taxonomy(name: str) -> Callable[[Mapping], list[str]]:
    """The values of `catalog.taxonomy.<name>` (OPEN_DEFINITIONS, ORIGIN_RULES, ORIGINS), read when asked."""

    def values(_values) -> list[str]:
        from opentrends.catalog import taxonomy

        return list(getattr(taxonomy, name))

    return values


_open_definitions, _origin_rules, _origins = (_taxonomy(n) for n in ("OPEN_DEFINITIONS", "ORIGIN_RULES", "ORIGINS"))


def _comparable(_values) -> list[str]:
    from opentrends.analysis import provenance

    return provenance.comparable_refs()


def _same_source_as_compare_old(values) -> list[str]:
    return [str(values.get("compare_old", "")).split("@")[0]]


@functools.lru_cache(maxsize=4)
def _epoch_coverage(ref: str, population: str):
    from opentrends.catalog import selection

    return selection.coverage(selection.load_epoch(ref, population, False))


def _epoch_years(snapshot: str, population: str | None = None) -> Callable[[Mapping], Any]:
    """The dates covered by the Epoch catalogue the notebook's `snapshot` parameter names, in its `population`
    (or the given one); None when those bytes cannot be had here (the run then says so once, before any kernel)."""

    def covered(values: Mapping):
        from opentrends.data.snapshots import SnapshotError

        try:
            return _epoch_coverage(str(values.get(snapshot)), population or str(values.get("population", "all")))
        except SnapshotError:
            return None

    return covered


EPOCH = ("epoch-ai-models",)
COVERAGE = "checked against the years the data cover: by the run before any kernel starts, and in the notebook"
_epoch_filters = {
    "snapshot": Param("snapshot", EPOCH),
    "population": Param("choice", _populations),
    "start_year": Param("whole", note=COVERAGE, covered=_epoch_years("snapshot")),
    "end_year": Param("whole", minimum="start_year", note=COVERAGE, covered=_epoch_years("snapshot")),
    "open_definition": Param("choice", _open_definitions),
    "released_only": Param("bool"),
    "domain": Param("choice", _domains),
    "min_training_compute": Param("number", minimum=0, optional=True),
    "hong_kong_macao_as_china": Param("bool"),
}

SPECS: dict[str, dict[str, Param]] = {
    "00_data_sources": {
        "sources": Param("snapshots"),
        "compare_old": Param("choice", _comparable),
        "compare_new": Param("snapshot", _same_source_as_compare_old),
        "compare_file": Param("text", note="a CSV both snapshots hold; checked in the notebook"),
    },
    "01_open_vs_closed": {
        **_epoch_filters,
        "period": Param("choice", ("year", "quarter")),
        "notable_snapshot": Param("snapshot", EPOCH),
        "notable_end_year": Param(
            "whole", minimum="start_year", note=COVERAGE, covered=_epoch_years("notable_snapshot", "notable")
        ),
        "ecosystem_snapshot": Param("snapshot", ("ecosystem-graphs",)),
        "min_known_to_plot": Param("whole", minimum=1),
    },
    "02_us_vs_china": {
        **_epoch_filters,
        "origin_rule": Param("choice", _origin_rules),
        "origins_to_plot": Param("choices", _origins),
    },
    "03_frontier_gap": {
        "snapshot": Param("snapshot", ("epoch-ai-models", "epoch-open-models-report")),
        "report_snapshot": Param("snapshot", ("epoch-open-models-report",)),
        "eci_snapshot": Param("snapshot", ("epoch-benchmarks-eci",)),
        "eci_compare_snapshot": Param("snapshot", ("epoch-benchmarks-eci",)),
        "intervals_snapshot": Param("snapshot", ("eci-reproduced-intervals",)),
        "open_definition": Param("choice", _open_definitions),
        "frontier_start": Param("date"),
        "bootstrap_samples": Param("whole", minimum=1, maximum=100_000),
        "seed": Param("whole", minimum=0),
        "domain": Param("choice", _domains),
        "record_years": Param("year_range"),
    },
    "04_hub_adoption": {
        "top_snapshot": Param("snapshot", ("hf-hub-top-models",)),
        "trees_snapshot": Param("snapshot", ("hf-model-trees",)),
        "atom_snapshot": Param("snapshot", ("atom-tracked-models",)),
        "dates": Param("dates", optional=True, note="each one a capture date of top_snapshot; checked in the notebook"),
        "top_n": Param("whole", minimum=1, maximum="head_size"),
        "head_size": Param("whole", minimum=1, maximum=300),  # hub_top.LIST_SIZE: the captured lists hold 300
        "tracked_model": Param(
            "text", note="a model in the top head_size by likes on some day; checked in the notebook"
        ),
    },
    "07_hub_over_time": {
        "growth_snapshot": Param("snapshot", ("hf-derivative-growth",)),
        "trending_snapshot": Param("snapshot", ("hf-trending-archive",)),
        "atom_snapshot": Param("snapshot", ("atom-tracked-models",)),
        "trees_snapshot": Param("snapshot", ("hf-model-trees",)),
        "start_month": Param("text", note="a month YYYY-MM the growth data cover; checked in the notebook"),
        "n_top_excluded": Param("whole", minimum=1, maximum=10),
        "top_n": Param("whole", minimum=1, maximum=50),
        "release_date": Param("date"),
    },
    "08_arena": {
        "arena_snapshot": Param("snapshot", ("arena-leaderboard-history",)),
        "epoch_snapshot": Param("snapshot", EPOCH),
        "as_of": Param("date", note="on or after the first Arena version (2024-07-07); checked in the notebook"),
        "attribution": Param("choice", ("maker", "organization")),
        "r1_model": Param("text", note="a model the Arena lists; its first version is marked; checked in the notebook"),
        "ai_index_date": Param("date", note="a day of a month with Arena versions; checked in the notebook"),
    },
    "05_claims": {
        "snapshot": Param("snapshot", EPOCH),
        "notable_snapshot": Param("snapshot", EPOCH),
        "eci_snapshot": Param("snapshot", ("epoch-benchmarks-eci",)),
        "osai_snapshot": Param("snapshot", ("osai-index",)),
        "hub_top_snapshot": Param("snapshot", ("hf-hub-top-models",)),
        "trees_snapshot": Param("snapshot", ("hf-model-trees",)),
        "atom_snapshot": Param("snapshot", ("atom-tracked-models",)),
        "growth_snapshot": Param("snapshot", ("hf-derivative-growth",)),
        "trending_snapshot": Param("snapshot", ("hf-trending-archive",)),
        "as_of": Param("date", note="the op-ed's date (2025-08-01): the as-of verdict sees only earlier events"),
    },
    "06_robustness": {
        "snapshot": Param("snapshot", EPOCH),
        "notable_snapshot": Param("snapshot", EPOCH),
        "report_snapshot": Param("snapshot", ("epoch-open-models-report",)),
        "start_year": Param("whole", note=COVERAGE),
        "end_year": Param("whole", minimum="start_year", note=COVERAGE),
        "backfill_year": Param("whole", note="a year both report_snapshot and snapshot list notable models in"),
    },
}


def spec_for(notebook: str) -> dict[str, Param]:
    """The declared parameters of `notebook` (empty for a notebook without a spec, e.g. a test fixture)."""
    return SPECS.get(notebook, {})


def check_values(notebook: str, values: Mapping, defaults: Mapping | None = None) -> None:
    """The runner's pre-check: every value that differs from the notebook's default must be valid.

    The defaults themselves are the notebook's own (checked in its first cell on every run, and by the tests).
    """
    for name, param in spec_for(notebook).items():
        if name in values and (defaults is None or name not in defaults or values[name] != defaults[name]):
            param.check(name, values[name], values, notebook=notebook)
            _check_covered(notebook, name, param, values)


def _check_covered(notebook: str, name: str, param: Param, values: Mapping) -> None:
    """A year the user set must lie in the data's years (else empty years are drawn): refused naming this parameter."""
    span = param.covered(values) if param.covered else None
    if span is None:
        return
    first, last, year = int(span.first[:4]), int(span.last[:4]), values[name]
    if first <= year <= last:
        return
    partial = "" if span.last[5:] == "12-31" else f" ({last} only partly: the data end {span.last})"
    raise ParameterError(
        f"Parameter {name}={year} of notebook {notebook} is outside the data: {span.describe()}. Fix: choose "
        f"{name} from {first} to {last}{partial}, or a snapshot that covers {year}; `opentrends params {notebook}` "
        "lists every parameter."
    )


# A decimal number as people write it: 25, -0.5, .5, 1e25, 1E+25, 1.0e-25 (no inf or nan, no underscores).
NUMBER_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def numbers_from_text(values: Mapping, notebook: str | None = None) -> dict:
    """`values` with each decimal-number text of a "number" parameter (of `notebook`, or of any notebook) a float.

    YAML 1.1 (`-p`, params files) reads `1e25` as text (it wants a dot); other text is left for the checks to refuse.
    """
    specs = [spec_for(notebook)] if notebook else list(SPECS.values())
    numeric = {name for spec in specs for name, param in spec.items() if param.kind == "number"}
    return {
        name: float(value)
        if name in numeric and isinstance(value, str) and NUMBER_TEXT.fullmatch(value.strip())
        else value
        for name, value in values.items()
    }


def describe(notebook: str, defaults: Mapping, help_text: Mapping[str, str] | None = None) -> list[list[str]]:
    """Rows of `opentrends params`: parameter, default, type, valid values (and what the notebook checks)."""
    spec = spec_for(notebook)
    rows = []
    for name, default in defaults.items():
        param = spec.get(name)
        if param is None:
            rows.append([name, repr(default), "(not declared)", (help_text or {}).get(name, "")])
            continue
        valid = param.expected(defaults) + (f"; {param.note}" if param.note else "")
        rows.append([name, repr(default), param.type_name(), valid])
    return rows
