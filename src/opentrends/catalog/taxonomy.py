"""What every source shares: the access labels and classes, the open definitions, the origin rules.

Each source's own label sets (Epoch's countries and domains, Ecosystem Graphs' access and
nationality values) live beside its loader in `opentrends.catalog.loaders.<name>`. A label that is not
listed is an error naming the label, the column and the file: a new label in a fresh snapshot
must be classified by a person, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable

from opentrends.core.errors import OpenTrendsError, ParameterError

# --- accessibility --------------------------------------------------------------------------------

# Epoch AI "Model accessibility" values (Epoch README, snapshot 2026-03-30), in display order.
OPEN_LABELS = ("Open weights (unrestricted)", "Open weights (restricted use)", "Open weights (non-commercial)")
CLOSED_LABELS = ("API access", "Hosted access (no API)", "Unreleased")
ACCESS_LABELS = OPEN_LABELS + CLOSED_LABELS
UNKNOWN_ACCESS = ""  # blank in the source: counted and reported, never treated as closed

ACCESS_CLASS = {
    **{label: "open" for label in OPEN_LABELS},
    **{label: "closed" for label in CLOSED_LABELS},
    UNKNOWN_ACCESS: "unknown",
}

# Which labels count as open under each definition (a notebook parameter).
OPEN_DEFINITIONS = {
    "weights": frozenset(OPEN_LABELS),
    "unrestricted": frozenset({"Open weights (unrestricted)"}),
}

# --- countries and origin -------------------------------------------------------------------------

UNITED_STATES = "United States of America"
CHINA = "China"
MULTINATIONAL_LABEL = "Multinational"  # Epoch uses it as a country value for international collaborations
ORIGINS = ("United States", "China", "Multinational", "Rest of world", "Unknown")
ORIGIN_RULES = ("exclusive", "any")

# Special administrative regions of China that Epoch lists separately (parameter hong_kong_macao_as_china).
CHINA_SARS = frozenset({"Hong Kong", "Macao"})


class UnknownLabelError(OpenTrendsError, ValueError):
    """A categorical value the taxonomy does not list."""


def unknown_label(label: str, column: str, file: str, known: Iterable[str]) -> UnknownLabelError:
    listed = ", ".join(repr(k) for k in sorted(known))
    return UnknownLabelError(
        f"{file}: column '{column}' has the label {label!r}, which the taxonomy does not know "
        f"(known: {listed}). Fix: classify it in the source's loader (src/opentrends/catalog/loaders/) or in "
        "taxonomy.py, or correct the row through data/corrections.csv with evidence."
    )


def check_labels(values: Iterable[str], known: Iterable[str], column: str, file: str) -> None:
    """Raise for the first value of `values` not in `known` (blank allowed only if listed)."""
    known = set(known)
    for value in values:
        if value not in known:
            raise unknown_label(value, column, file, known)


def split_list(value: str) -> list[str]:
    """Epoch's comma-joined multi-value cells -> stripped, non-empty parts in order."""
    return [part.strip() for part in str(value).split(",") if part.strip()]


def country_region(country: str, hong_kong_macao_as_china: bool = False) -> str:
    """One country -> 'United States', 'China', 'Multinational' or 'Rest of world'."""
    if country == UNITED_STATES:
        return "United States"
    if country == CHINA or (hong_kong_macao_as_china and country in CHINA_SARS):
        return "China"
    if country == MULTINATIONAL_LABEL:
        return "Multinational"
    return "Rest of world"


def origins(
    countries: tuple[str, ...], rule: str = "exclusive", hong_kong_macao_as_china: bool = False
) -> tuple[str, ...]:
    """The origin group(s) a row counts for, from its distinct countries (README, "Methodology").

    exclusive: exactly one group: `United States` or `China` when that is the only country,
    `Multinational` when there are several, `Rest of world` for any other single country,
    `Unknown` when blank. any: one group per distinct country's region, so a US-China
    collaboration counts for both.
    """
    if rule not in ORIGIN_RULES:
        raise ParameterError(f"origin_rule must be one of {', '.join(ORIGIN_RULES)}, got {rule!r}")
    distinct = {CHINA if hong_kong_macao_as_china and c in CHINA_SARS else c for c in countries}
    if not distinct:
        return ("Unknown",)
    if rule == "any":
        return tuple(sorted({country_region(c) for c in distinct}))
    return (country_region(next(iter(distinct))),) if len(distinct) == 1 else ("Multinational",)
