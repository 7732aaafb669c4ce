"""Evidence for the claims ledger: small, named measurements read from pinned snapshots.

Each function answers one question a claim asks and returns plain numbers and names, so a
claim's verdict rule (verdicts.py) reads like its written test. Loading goes through the loaders
and metrics modules; nothing here decides a verdict.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from opentrends.catalog import selection as catalog
from opentrends.catalog import taxonomy

SNAPSHOT_SOURCES = {
    "snapshot": "epoch-ai-models",
    "notable_snapshot": "epoch-ai-models",
    "eci_snapshot": "epoch-benchmarks-eci",
    "osai_snapshot": "osai-index",
    "hub_top_snapshot": "hf-hub-top-models",
    "trees_snapshot": "hf-model-trees",
    "atom_snapshot": "atom-tracked-models",
    "growth_snapshot": "hf-derivative-growth",
    "trending_snapshot": "hf-trending-archive",
}  # each Context parameter -> the source its snapshot must belong to

US = "United States of America"
CHINA = "China"


@dataclass
class Context:
    """The snapshots the claims read (each a parameter of notebook 05) and a cache of what was loaded.

    `as_of` is the op-ed's date; `at(as_of)` gives a view in which every dated record (a release, a score, a
    Hub capture, an index entry) after the cutoff is invisible, even where the catalogue recording it was
    downloaded later. `cutoff` is None in the view of everything pinned now.
    """

    snapshot: str = "epoch-ai-models@2026-03-30"
    notable_snapshot: str = "epoch-ai-models@2026-07-19"
    eci_snapshot: str = "epoch-benchmarks-eci@2026-07-01"
    osai_snapshot: str = "osai-index@2026-06-12"
    hub_top_snapshot: str = "hf-hub-top-models@2026-08-22"
    trees_snapshot: str = "hf-model-trees@2025-04-22"
    atom_snapshot: str = "atom-tracked-models@2026-08-17"
    eci_variants: tuple[str, ...] = ("epoch-benchmarks-eci@2025-12-02",)  # other ECI vintages a verdict must survive
    growth_snapshot: str = "hf-derivative-growth@2025-02-18"  # Hub fine-tunes over time (issue 17)
    trending_snapshot: str = "hf-trending-archive@2026-08-21"  # the Hub's daily trending models (issue 17)
    as_of: str = "2025-08-01"
    cutoff: str | None = field(default=None, repr=False)
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def epoch_snapshots(self) -> list[str]:
        return [self.snapshot, self.notable_snapshot]

    def parameters(self) -> dict:
        return {
            k: (list(v) if isinstance(v, tuple) else v)
            for k, v in self.__dict__.items()
            if not k.startswith("_") and k != "cutoff"
        }

    def at(self, cutoff: str | None) -> Context:
        """The same snapshots seen at `cutoff` (records dated on or after it dropped); shares the cache."""
        return replace(self, cutoff=cutoff, _cache=self._cache)

    def before_cutoff(self, dates: pd.Series) -> pd.Series:
        """True for dates before the cutoff (every date when there is none; undated rows never pass a cutoff)."""
        if self.cutoff is None:
            return pd.Series(True, index=dates.index)
        return pd.to_datetime(dates) < pd.Timestamp(self.cutoff)

    @property
    def end(self) -> str:
        """The last day a measurement may see: the day before the cutoff, or the Epoch snapshot's date."""
        if self.cutoff is None:
            return self.snapshot.split("@")[1]
        return (pd.Timestamp(self.cutoff) - pd.Timedelta(days=1)).strftime("%Y-%m-%d")

    def cached(self, key, make):
        key = (key, self.cutoff)
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def epoch(self, population: str = "all", snapshot: str | None = None) -> pd.DataFrame:
        """Dated Epoch rows with `is_open` under the broad (any open-weights label) definition, before the cutoff."""
        ref = snapshot or self.snapshot

        def load():
            loaded = catalog.load_epoch(ref, population)
            rows = loaded.rows[loaded.rows["year"].notna()]
            rows = rows[self.before_cutoff(rows["date"])]
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
    table = (
        pd.DataFrame(
            {
                "n_open": rows.groupby(["year", "country"]).size(),
                "n_orgs": orgs.groupby(["year", "country"])["org"].nunique(),
            }
        )
        .fillna(0)
        .astype(int)
        .reset_index()
    )
    return table.sort_values(["year", "n_open", "country"], ascending=[True, False, True]).reset_index(drop=True)


def chinese_open_organizations(ctx: Context, years: list[int]) -> dict:
    """Distinct China-based organizations (aliases merged, own country) with an open-weights model in `years`,
    and those with an open-weights model Epoch lists as notable."""
    table = organization_rows(ctx)
    chinese = table[
        table["year"].isin(years) & table["is_open"].fillna(False).astype(bool) & (table["region"] == "China")
    ]
    names = sorted(chinese["organization"].unique())
    notable = sorted(chinese.loc[chinese["notable"].astype(bool), "organization"].unique())
    return {
        "all_open": len(names),
        "notable_open": len(notable),
        "organizations": names,
        "notable_organizations": notable,
    }


def flagship_access(ctx: Context, families: list[str]) -> pd.DataFrame:
    """Epoch models whose names start with one of `families`, with their accessibility label."""
    rows = ctx.epoch()
    parts = []
    for family in families:
        hit = rows[rows["model"].str.startswith(family)]
        parts.append(
            pd.DataFrame(
                {
                    "family": family,
                    "model": hit["model"],
                    "date": hit["date"],
                    "access": hit["access"],
                    "open": hit["access_class"] == "open",
                }
            )
        )
    return pd.concat(parts, ignore_index=True).sort_values(["family", "date", "model"]).reset_index(drop=True)


def organization_open_releases(ctx: Context, organization: str, after: str) -> list[dict]:
    """Open-weights models of `organization` published after `after`, from every Epoch snapshot in the context."""
    found = {}
    for ref, population in ((ctx.snapshot, "all"), (ctx.notable_snapshot, "notable")):
        rows = ctx.epoch(population, ref)
        hit = rows[
            rows["organization"].map(lambda o: organization in taxonomy.split_list(o))
            & (rows["access_class"] == "open")
            & (rows["date"] > pd.Timestamp(after))
        ]
        for row in hit.itertuples():
            found.setdefault(
                row.model,
                {"model": row.model, "date": row.date.strftime("%Y-%m-%d"), "access": row.access, "snapshot": ref},
            )
    return sorted(found.values(), key=lambda r: (r["date"], r["model"]))


def organization_open_years(ctx: Context, organization: str, years: list[int]) -> dict[int, int]:
    """Open-weights models per year for one organization (any organization whose name starts with it)."""
    rows = ctx.epoch()
    mine = rows[
        rows["organization"].map(lambda o: any(p.startswith(organization) for p in taxonomy.split_list(o)))
        & rows["is_open"].fillna(False).astype(bool)
    ]
    return {int(y): int((mine["year"] == y).sum()) for y in years}


# --- the Epoch Capabilities Index ---------------------------------------------------------------------


def eci_versions(ctx: Context, ref: str | None = None) -> pd.DataFrame:
    """The ECI snapshot's model versions with their access class, read once per snapshot."""
    from opentrends.analysis import frontier
    from opentrends.catalog.loaders import eci

    ref = ref or ctx.eci_snapshot

    def make():
        versions, _ = eci.load_eci(ref)
        versions = versions[ctx.before_cutoff(versions["date"])]
        return versions.assign(access_class=frontier.access_classes(versions["access"], "weights"))

    return ctx.cached(("eci_versions", ref), make)


def eci_models(ctx: Context, ref: str | None = None) -> pd.DataFrame:
    """One row per ECI model (best score over its versions) with its access class (notebook 03's method)."""
    from opentrends.analysis import capability

    return capability.collapse_versions(eci_versions(ctx, ref))


def eci_path(ctx: Context, ref: str | None = None) -> pd.DataFrame:
    """Every ECI version that raised its model's best score, at its own date (notebook 03's running-best input)."""
    from opentrends.analysis import capability

    return capability.score_path(eci_versions(ctx, ref))


def best_open_by_origin(ctx: Context) -> dict:
    """Which origin holds the best open-weights ECI score at the snapshot's last date, with which model, since when."""
    from opentrends.analysis import capability

    def make():
        path = eci_path(ctx)
        best = capability.running_best(
            path[path["access_class"] == "open"], "origin", ["United States", "China", "other"]
        )
        leader, model, since = capability.leader_since(best, "origin")
        tops = best.groupby("origin").tail(1).set_index("origin")
        return {
            "leader": leader,
            "model": model,
            "since": since.strftime("%Y-%m-%d"),
            "best_by_origin": {
                o: {"model": r.model, "best_eci": round(float(r.best_eci), 1)} for o, r in tops.iterrows()
            },
            "as_of": path["date"].max().strftime("%Y-%m-%d"),
        }

    return ctx.cached(("best_open_by_origin", ctx.eci_snapshot), make)


def eci_open_origin_series(ctx: Context) -> pd.DataFrame:
    """The running best open ECI score by origin (United States, China, other) over time: notebook 03's series."""
    from opentrends.analysis import capability

    path = eci_path(ctx)
    return capability.running_best(path[path["access_class"] == "open"], "origin", ["United States", "China", "other"])


# --- Ai2 (claim ai2-fully-open) ---------------------------------------------------------------------


def fully_open_entries(ctx: Context, organization: str, dimensions: list[str]) -> dict:
    """Systems of `organization` in the European Open Source AI Index, and those graded open on every one of
    `dimensions`, with the organization's best openness rank among all graded systems."""
    from opentrends.catalog.loaders import osai

    index = ctx.cached(("osai", ctx.osai_snapshot), lambda: osai.load_index(ctx.osai_snapshot))
    # an entry is graded as of the index's edition and dated by its system's (latest) release month
    index = index[ctx.before_cutoff(pd.to_datetime(index["release_date"], format="%Y-%m", errors="coerce"))]
    mine = index[index["organization"] == organization]
    fully = mine[(mine[dimensions] == "open").all(axis=1)]
    ranks = index["openness"].rank(ascending=False, method="min")
    return {
        "osai_systems": sorted(mine["system"]),
        "fully_open": sorted(fully["system"]),
        "best_openness_rank": int(ranks[mine.index].min()) if len(mine) else None,
        "systems_graded": int(len(index)),
    }


def eci_open_rank(ctx: Context, organization: str) -> dict:
    """The organization's best open-weights model on the ECI, and the share of scored open models it beats."""

    models = eci_models(ctx)
    open_models = models[models["access_class"] == "open"]
    mine = open_models[open_models["organization"].map(lambda o: organization in taxonomy.split_list(o))]
    if mine.empty:
        return {"best_model": None, "best_eci": None, "best_percentile": None, "open_models_scored": len(open_models)}
    top = mine.sort_values("eci", ascending=False).iloc[0]
    beaten = float((open_models["eci"] < top["eci"]).mean())
    return {
        "best_model": top["model"],
        "best_eci": round(float(top["eci"]), 1),
        "best_percentile": beaten,
        "open_models_scored": int(len(open_models)),
    }


def chinese_frontier_organizations(ctx: Context, years: list[int], near_points: float) -> dict:
    """Chinese organizations pushing the open frontier, counted by capability.

    On the ECI: organizations (ECI origin China) with an open model released in `years` that scored within
    `near_points` of the best open score so far at its release. Among ATOM's tracked organizations: Hub
    organizations ATOM labels China that have a tracked open model (ATOM's list is undated, so it is read
    only in the view of everything pinned now).
    """
    from opentrends.analysis import capability
    from opentrends.catalog.loaders import atom

    models = eci_models(ctx)
    scored = models[models["access_class"] == "open"]
    best = capability.running_best(scored.assign(all="open"), "all", ["open"]).set_index("date")["best_eci"]
    at_release = scored["date"].map(best)
    near = scored[(scored["eci"] >= at_release - near_points) & scored["date"].dt.year.isin(years)]
    chinese = near[near["origin"] == "China"]
    eci_orgs = sorted({o for orgs in chinese["organization"] for o in taxonomy.split_list(orgs)})
    atom_orgs: list[str] = []
    if ctx.cutoff is None:
        regions = atom.load_regions(ctx.atom_snapshot)
        tracked = set(atom.load_tracked_models(ctx.atom_snapshot)["org"])
        atom_orgs = sorted(regions.loc[(regions["origin"] == "China") & regions["author"].isin(tracked), "author"])
    return {
        "eci_near_frontier": len(eci_orgs),
        "eci_organizations": eci_orgs,
        "eci_models": sorted(chinese["model"]),
        "atom_tracked": len(atom_orgs) if ctx.cutoff is None else None,
        "atom_organizations": atom_orgs,
        "open_models_scored": int(len(scored[scored["date"].dt.year.isin(years)])),
    }
