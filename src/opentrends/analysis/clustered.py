"""Intervals that respect how the data were made: a seeded cluster bootstrap of a change in a share.

Items that share a cluster (models of one organization, fine-tunes of one base, trending slots of one model or
one week) are not independent draws; resampling whole clusters with replacement gives an interval whose width
follows the number of clusters, not of items. One seeded numpy Generator per call (`SEED`), so every interval is
reproducible; the 95% interval is the 2.5th and 97.5th percentiles of the resampled differences. Regression
slopes use statsmodels' cluster-robust errors instead (`analysis.trends`, `cluster=`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from opentrends.core.errors import ParameterError
from opentrends.core.tables import require_columns

SEED = 20250801
DRAWS = 2000


@dataclass(frozen=True)
class ClusteredChange:
    """A share in the last period minus the first (percentage points), its cluster-bootstrap 95% interval and the
    unit resampled."""

    unit: str
    n_clusters: int
    difference_pp: float
    ci_low_pp: float
    ci_high_pp: float
    draws: int
    seed: int

    def as_dict(self) -> dict:
        return asdict(self)


def by_cluster(items: pd.DataFrame, cluster: str, hit: str, period: str, weight: str | None = None) -> pd.DataFrame:
    """Per cluster: k_first, n_first, k_last, n_last from item rows with a 0/1 `hit`, a `period` of "first" /
    "last" (other rows ignored) and an optional `weight` (items per row, e.g. new fine-tunes)."""
    require_columns(items, (cluster, hit, period), "clustered items")
    rows = items[items[period].isin(["first", "last"])]
    w = rows[weight].astype(float) if weight else pd.Series(1.0, index=rows.index)
    frame = pd.DataFrame(
        {
            "cluster": rows[cluster].astype(str),
            "k_first": w * rows[hit].astype(float) * (rows[period] == "first"),
            "n_first": w * (rows[period] == "first"),
            "k_last": w * rows[hit].astype(float) * (rows[period] == "last"),
            "n_last": w * (rows[period] == "last"),
        }
    )
    return frame.groupby("cluster").sum()


def share_change(table: pd.DataFrame, unit: str, draws: int = DRAWS, seed: int = SEED) -> ClusteredChange | None:
    """The last-minus-first share change of a `by_cluster` table with a percentile cluster-bootstrap interval.

    Each draw resamples the clusters with replacement (multinomial weights from one seeded Generator); draws where
    a period has no item are dropped. When no cluster spans both periods (weeks, months) the clusters of each
    period are resampled separately (a stratified block bootstrap). None when fewer than two clusters or a period
    is empty."""
    if draws < 100:
        raise ParameterError(f"draws={draws!r} must be at least 100.")
    totals = table.sum()
    if len(table) < 2 or totals["n_first"] == 0 or totals["n_last"] == 0:
        return None
    rng = np.random.default_rng(seed)
    values = table[["k_first", "n_first", "k_last", "n_last"]].to_numpy(dtype=float)
    in_first, in_last = values[:, 1] > 0, values[:, 3] > 0
    strata = [in_first, in_last] if not (in_first & in_last).any() else [np.ones(len(table), dtype=bool)]
    sums = np.zeros((draws, 4))
    for members in strata:
        size = int(members.sum())
        weights = rng.multinomial(size, np.full(size, 1 / size), size=draws)
        sums += weights @ values[members]
    ok = (sums[:, 1] > 0) & (sums[:, 3] > 0)
    diff = sums[ok, 2] / sums[ok, 3] - sums[ok, 0] / sums[ok, 1]
    point = totals["k_last"] / totals["n_last"] - totals["k_first"] / totals["n_first"]
    low, high = np.percentile(diff, [2.5, 97.5])
    return ClusteredChange(
        unit,
        len(table),
        round(100 * float(point), 4),
        round(100 * float(low), 4),
        round(100 * float(high), 4),
        int(ok.sum()),
        seed,
    )


__all__ = ["DRAWS", "SEED", "ClusteredChange", "by_cluster", "share_change"]
