"""The registered window pair of every indicator that compares two periods, declared once.

Notebook 05 (through the ledger), notebook 07 and the ledger read their windows from here; nothing else picks
a pair of periods. A pair is chosen before the data are read, on structural grounds only: both windows of equal
length, whole calendar months, and no window where the quantity is zero by construction (the growth data hold
only bases created from 2022-03, the first Chinese one in 2022-11, so the Hub comparison starts in 2023-H2).
Slope indicators have no pair: they are fitted on every dated row from their `from` date.
"""

from __future__ import annotations

from opentrends.core.errors import ParameterError

WINDOWS: dict[str, dict] = {
    "hub_new_finetunes_chinese_share": {
        "first": ("2023-07", "2023-12"),
        "last": ("2024-07", "2024-12"),
        "why": "2023-H2 vs 2024-H2: the same half-year a year apart, after the first Chinese base (2022-11) and "
        "before the growth data's last, partly collected months",
    },
    "hub_trending_maker_share": {
        "first": ("2025-12", "2026-01"),
        "last": ("2026-06", "2026-07"),
        "why": "the first and last two whole calendar months of the archive (2025-11-07..2026-08-21)",
    },
    "hub_trending_us_on_chinese": {
        "first": ("2025-12", "2026-01"),
        "last": ("2026-06", "2026-07"),
        "why": "as hub_trending_maker_share",
    },
    "open_share_trend": {"from": "2020-01-01", "why": "every year since the end of the 2016–2020 lead"},
    "us_share_of_open_releases_trend": {"from": "2020-01-01", "why": "as open_share_trend"},
    "open_eci_trend": {"from": "2023-01-01", "why": "the ECI scores few open models before 2023"},
    "catalogue_finetunes_on_chinese_bases": {"from": "2020-01-01", "why": "as open_share_trend"},
}


def pair(indicator: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """(first, last) of a two-period indicator: each a (first month, last month) pair, YYYY-MM."""
    found = WINDOWS.get(indicator, {})
    if "first" not in found:
        known = ", ".join(k for k, v in WINDOWS.items() if "first" in v)
        raise ParameterError(f"No registered window pair for {indicator!r}. Known: {known}.")
    return tuple(found["first"]), tuple(found["last"])


def start(indicator: str) -> str:
    """The first date (YYYY-MM-DD) of a slope indicator's rows."""
    found = WINDOWS.get(indicator, {})
    if "from" not in found:
        raise ParameterError(f"No registered start for {indicator!r}.")
    return found["from"]


def table() -> list[dict]:
    """Every registered window as rows (indicator, first, last, from, why), for the notebooks and the ledger."""
    return [
        {
            "indicator": k,
            "first": "..".join(v["first"]) if "first" in v else "",
            "last": "..".join(v["last"]) if "last" in v else "",
            "from": v.get("from", ""),
            "why": v["why"],
        }
        for k, v in WINDOWS.items()
    ]


__all__ = ["WINDOWS", "pair", "start", "table"]
