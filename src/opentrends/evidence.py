"""Evidence for the claims ledger: small, named measurements read from pinned snapshots.

Each function answers one question a claim asks and returns plain numbers and names, so a
claim's verdict rule (claims.py) reads like its written test. Loading goes through the loaders
and metrics modules; nothing here decides a verdict.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import catalog, metrics, taxonomy

US = "United States of America"
CHINA = "China"


@dataclass
class Context:
    """The snapshots the claims read (each a parameter of notebook 05) and a cache of what was loaded."""

    snapshot: str = "epoch-ai-models@2026-03-30"
    notable_snapshot: str = "epoch-ai-models@2026-07-19"
    eci_snapshot: str = "epoch-benchmarks-eci@2026-07-01"
    osai_snapshot: str = "osai-index@2026-06-12"
    hub_top_snapshot: str = "hf-hub-top-models@2026-08-22"
    trees_snapshot: str = "hf-model-trees@2025-04-22"
    atom_snapshot: str = "atom-tracked-models@2026-08-17"
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def epoch_snapshots(self) -> list[str]:
        return [self.snapshot, self.notable_snapshot]

    def parameters(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def epoch(self, population: str = "all", snapshot: str | None = None) -> pd.DataFrame:
        """Dated Epoch rows with `is_open` under the broad (any open-weights label) definition."""
        ref = snapshot or self.snapshot
        def load():
            loaded = catalog.load_epoch(ref, population)
            rows = loaded.rows[loaded.rows["year"].notna()]
            return rows.assign(is_open=rows["access_class"].map({"open": True, "closed": False}).astype("boolean"))
        return self.cached(("epoch", ref, population), load)


def plain(value):
    """JSON-ready: numpy scalars to Python, NaN to None, tuples to lists, recursively."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return value.strftime("%Y-%m-%d")
    return value


# --- organizations -------------------------------------------------------------------------------


def organization_rows(ctx: Context, population: str = "all") -> pd.DataFrame:
    """One row per (model, organization), aliases merged, each organization in its own country's region
    (the rule of `metrics.organization_table`), with the model's `notable` flag."""
    def make():
        loaded = catalog.load_epoch(ctx.snapshot, population)
        rows = ctx.epoch(population)
        table = catalog.organizations(loaded, rows)
        return table.join(rows[["notable", "model"]], on="row")
    return ctx.cached(("organizations", population), make)


# --- Epoch-based evidence ------------------------------------------------------------------------


def open_releases_by_country(ctx: Context, start_year: int, end_year: int) -> pd.DataFrame:
    """Per year and single country: open-weights models (n_open) and distinct organizations releasing them (n_orgs).

    Models whose organizations span several countries are left out (they lead for no single country).
    """
    rows = ctx.epoch()
    rows = rows[rows["year"].between(start_year, end_year) & (rows["countries"].map(len) == 1)]
    rows = rows[rows["is_open"].fillna(False).astype(bool)].assign(country=lambda r: r["countries"].map(lambda c: c[0]))
    orgs = rows.assign(org=rows["organization"].map(taxonomy.split_list)).explode("org")
    table = pd.DataFrame({
        "n_open": rows.groupby(["year", "country"]).size(),
        "n_orgs": orgs.groupby(["year", "country"])["org"].nunique(),
    }).fillna(0).astype(int).reset_index()
    return table.sort_values(["year", "n_open", "country"], ascending=[True, False, True]).reset_index(drop=True)


def chinese_open_organizations(ctx: Context, years: list[int]) -> dict:
    """Distinct China-based organizations (aliases merged, own country) with an open-weights model in `years`,
    and those with an open-weights model Epoch lists as notable."""
    table = organization_rows(ctx)
    chinese = table[table["year"].isin(years) & table["is_open"].fillna(False).astype(bool) & (table["region"] == "China")]
    names = sorted(chinese["organization"].unique())
    notable = sorted(chinese.loc[chinese["notable"].astype(bool), "organization"].unique())
    return {"all_open": len(names), "notable_open": len(notable), "organizations": names,
            "notable_organizations": notable}


def flagship_access(ctx: Context, families: list[str]) -> pd.DataFrame:
    """Epoch models whose names start with one of `families`, with their accessibility label."""
    rows = ctx.epoch()
    parts = []
    for family in families:
        hit = rows[rows["model"].str.startswith(family)]
        parts.append(pd.DataFrame({"family": family, "model": hit["model"], "date": hit["date"],
                                   "access": hit["access"], "open": hit["access_class"] == "open"}))
    return pd.concat(parts, ignore_index=True).sort_values(["family", "date", "model"]).reset_index(drop=True)


def organization_open_releases(ctx: Context, organization: str, after: str) -> list[dict]:
    """Open-weights models of `organization` published after `after`, from every Epoch snapshot in the context."""
    found = {}
    for ref, population in ((ctx.snapshot, "all"), (ctx.notable_snapshot, "notable")):
        rows = ctx.epoch(population, ref)
        hit = rows[rows["organization"].map(lambda o: organization in taxonomy.split_list(o))
                   & (rows["access_class"] == "open") & (rows["date"] > pd.Timestamp(after))]
        for row in hit.itertuples():
            found.setdefault(row.model, {"model": row.model, "date": row.date.strftime("%Y-%m-%d"),
                                         "access": row.access, "snapshot": ref})
    return sorted(found.values(), key=lambda r: (r["date"], r["model"]))


def organization_open_years(ctx: Context, organization: str, years: list[int]) -> dict[int, int]:
    """Open-weights models per year for one organization (any organization whose name starts with it)."""
    rows = ctx.epoch()
    mine = rows[rows["organization"].map(lambda o: any(p.startswith(organization) for p in taxonomy.split_list(o)))
                & rows["is_open"].fillna(False).astype(bool)]
    return {int(y): int((mine["year"] == y).sum()) for y in years}
