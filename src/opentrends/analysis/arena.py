"""Open vs closed on the Chatbot Arena, version by version: the gap, the best open model by origin, the
licence audit.

Pure functions on the tidy Arena table of `catalog.loaders.arena` (columns `version`, `rank`, `model`,
`score`, `ci_plus`, `ci_minus`, `votes`, `organization`, `license`) and the committed tables it reads. No
I/O, no printing. Rules:

- Access: the Arena's licence label says `closed` (`Proprietary`, and its misspelling `Propretary`),
  `unlabelled` (blank or `N/A`) or `open` (any other label); a row of `data/arena_license_overrides.csv`
  (matched on the model name, case-insensitive) replaces it with its evidenced decision. Unlabelled rows
  count as neither open nor closed.
- Best: the highest score of a class in a version (ties: the better Arena rank, then the model name).
- Gap: best closed minus best open, in Arena points and in percent of the best open score (the AI Index's
  reading: how much higher the closed score is).
- Interval: the Arena's own 95% interval, score - ci_minus .. score + ci_plus.
- Origin: `organization` view credits the organization the Arena names (the uploader of the weights);
  `maker` view credits the maker of the base model (`data/arena_base_models.csv`), so a US lab's
  fine-tune of a Chinese base counts for China.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from opentrends.core.errors import DataError, ParameterError

CLOSED_LABELS = ("Proprietary", "Propretary")
UNLABELLED = ("", "N/A")
ACCESS = ("open", "closed", "unlabelled")
VIEWS = ("maker", "organization")
ORIGINS = ("United States", "China", "Rest of world")
ARENA_COLUMNS = ("version", "rank", "model", "score", "ci_plus", "ci_minus", "votes", "organization", "license")
GAP_COLUMNS = (
    "version",
    "best_closed_model",
    "best_closed_organization",
    "best_closed_score",
    "best_closed_low",
    "best_closed_high",
    "best_open_model",
    "best_open_organization",
    "best_open_score",
    "best_open_low",
    "best_open_high",
    "best_open_rank",
    "gap_points",
    "gap_pct",
    "intervals_overlap",
)


def _require(rows: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in rows.columns]
    if missing:
        raise DataError(f"{what}: the table lacks column(s) {', '.join(missing)}.")


def arena_label(license_label: str) -> str:
    """The Arena's licence label -> `closed`, `unlabelled` or `open` (before any override)."""
    label = (license_label or "").strip()
    if label in CLOSED_LABELS:
        return "closed"
    if label in UNLABELLED:
        return "unlabelled"
    return "open"


def classify(rows: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    """Rows plus `arena_access` (the label's reading), `access` (after overrides) and `overridden`."""
    _require(rows, ("model", "license"), "classify")
    decisions = dict(zip(overrides["model"].str.lower(), overrides["decision"]))
    arena_access = rows["license"].map(arena_label)
    decided = rows["model"].str.lower().map(decisions).astype(object)
    access = decided.where(decided.notna(), arena_access)
    return rows.assign(arena_access=arena_access, access=access, overridden=decided.notna() & (decided != arena_access))


def attribute(rows: pd.DataFrame, organizations: pd.DataFrame, base_models: pd.DataFrame) -> pd.DataFrame:
    """Rows plus the organization view (`org_name`, `org_origin`) and the maker view (`maker`, `maker_origin`,
    `base_model`); an organization the committed table lacks is a DataError naming it."""
    _require(rows, ("model", "organization"), "attribute")
    known = organizations.set_index("organization")
    unknown = sorted(set(rows["organization"]) - set(known.index))
    if unknown:
        raise DataError(
            f"Arena organization(s) not in data/arena_organizations.csv: {', '.join(map(repr, unknown))}. "
            "Fix: add a row for each (maker, country, origin, evidence_url)."
        )
    org_name = rows["organization"].map(known["maker"])
    org_origin = rows["organization"].map(known["origin"])
    patterns = [(re.compile(p, re.IGNORECASE), r) for p, r in zip(base_models["pattern"], base_models.itertuples())]

    def base(model: str):
        for pattern, row in patterns:
            if pattern.search(model):
                return row.base_model, row.base_maker, row.base_origin
        return "", None, None

    bases = rows["model"].map(base)
    base_model = bases.map(lambda b: b[0])
    maker = bases.map(lambda b: b[1]).fillna(org_name)
    maker_origin = bases.map(lambda b: b[2]).fillna(org_origin)
    return rows.assign(
        org_name=org_name, org_origin=org_origin, maker=maker, maker_origin=maker_origin, base_model=base_model
    )


def _best(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The best row of each group `by`: highest score, then better rank, then model name."""
    ordered = rows.sort_values(
        [*by, "score", "rank", "model"], ascending=[True] * len(by) + [False, True, True], kind="stable"
    )
    return ordered.drop_duplicates(by, keep="first")


def gap_by_version(rows: pd.DataFrame) -> pd.DataFrame:
    """Per version: the best closed and best open model with their scores and Arena intervals, the Arena rank of
    the best open model, the gap in points and in percent of the best open score, and whether the two
    intervals overlap. Columns `GAP_COLUMNS`. A version without an open or a closed model is a DataError."""
    _require(rows, (*ARENA_COLUMNS, "access"), "gap_by_version")
    best = {}
    for access in ("closed", "open"):
        top = _best(rows[rows["access"] == access], ["version"]).set_index("version")
        best[access] = pd.DataFrame(
            {
                f"best_{access}_model": top["model"],
                f"best_{access}_organization": top["organization"],
                f"best_{access}_score": top["score"],
                f"best_{access}_low": top["score"] - top["ci_minus"],
                f"best_{access}_high": top["score"] + top["ci_plus"],
                f"best_{access}_rank": top["rank"],
            }
        )
    versions = sorted(rows["version"].unique())
    lacking = [
        str(pd.Timestamp(v).date()) for v in versions if v not in best["open"].index or v not in best["closed"].index
    ]
    if lacking:
        raise DataError(f"gap_by_version: version(s) {', '.join(lacking)} lack an open or a closed model.")
    table = best["closed"].join(best["open"]).reset_index()
    table["gap_points"] = table["best_closed_score"] - table["best_open_score"]
    table["gap_pct"] = 100 * table["gap_points"] / table["best_open_score"]
    table["intervals_overlap"] = table["best_open_high"] >= table["best_closed_low"]
    return table[list(GAP_COLUMNS)].sort_values("version").reset_index(drop=True)


def best_open_by_origin(rows: pd.DataFrame, view: str) -> pd.DataFrame:
    """Per version and origin: the best open model credited by `view` (`maker` or `organization`), its score and
    interval, and `leads` (True for the origin whose model is the best open overall). Columns version, origin,
    model, credited_to, score, low, high, leads."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, got {view!r}.")
    origin, name = ("maker_origin", "maker") if view == "maker" else ("org_origin", "org_name")
    _require(rows, (*ARENA_COLUMNS, "access", origin, name), "best_open_by_origin")
    open_rows = rows[rows["access"] == "open"].assign(origin=rows[origin], credited_to=rows[name])
    top = _best(open_rows, ["version", "origin"])
    leader = _best(open_rows, ["version"]).set_index("version")["model"]
    table = pd.DataFrame(
        {
            "version": top["version"],
            "origin": top["origin"],
            "model": top["model"],
            "credited_to": top["credited_to"],
            "score": top["score"],
            "low": top["score"] - top["ci_minus"],
            "high": top["score"] + top["ci_plus"],
        }
    )
    table["leads"] = table["model"].to_numpy() == table["version"].map(leader).to_numpy()
    table["origin"] = pd.Categorical(table["origin"], categories=ORIGINS, ordered=True)
    table = table.sort_values(["version", "origin"]).reset_index(drop=True)
    table["origin"] = table["origin"].astype(str)
    return table


def stack_views(by_origin: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The `best_open_by_origin` tables of several views as one, with a leading `view` column and the version as
    YYYY-MM-DD text (a figure's CSV)."""
    parts = [table.assign(version=table["version"].dt.strftime("%Y-%m-%d")) for table in by_origin.values()]
    stacked = pd.concat([p.assign(view=view) for view, p in zip(by_origin, parts)], ignore_index=True)
    return stacked[["view", *[c for c in stacked.columns if c != "view"]]]


def leader_changes(by_origin: pd.DataFrame) -> pd.DataFrame:
    """The versions at which the origin of the best open model changed: version, from_origin, from_model,
    to_origin, to_model (the first version is not a change)."""
    leads = by_origin[by_origin["leads"]].sort_values("version").reset_index(drop=True)
    before = leads.shift()
    changed = leads[before["origin"].notna() & (leads["origin"] != before["origin"])].index
    return pd.DataFrame(
        {
            "version": leads.loc[changed, "version"].to_numpy(),
            "from_origin": before.loc[changed, "origin"].to_numpy(),
            "from_model": before.loc[changed, "model"].to_numpy(),
            "to_origin": leads.loc[changed, "origin"].to_numpy(),
            "to_model": leads.loc[changed, "model"].to_numpy(),
        }
    )


CLUSTERS = ("week", "models")


def origin_difference(by_origin: pd.DataFrame, a: str = "China", b: str = "United States") -> pd.DataFrame:
    """Per version with a best open model of both origins: `difference` = a's best open score minus b's (points),
    `years` since the first version (365.25-day years), and the two cluster keys: `week` (the ISO week of the
    version: versions a few days apart share most of their votes) and `models` (the pair of models compared:
    versions that compare the same two models are one observation)."""
    wide = by_origin.pivot(index="version", columns="origin", values=["score", "model"]).dropna()
    if wide.empty:
        raise DataError(f"No version has a best open model from both {a} and {b}.")
    versions = wide.index.to_series()
    return pd.DataFrame(
        {
            "version": versions.to_numpy(),
            "difference": (wide[("score", a)] - wide[("score", b)]).astype(float).to_numpy(),
            "years": ((versions - versions.min()).dt.days / 365.25).to_numpy(),
            "week": versions.dt.strftime("%G-W%V").to_numpy(),
            "models": (wide[("model", a)] + " vs " + wide[("model", b)]).to_numpy(),
        }
    )


def _slope(years: np.ndarray, values: np.ndarray) -> float:
    centred = years - years.mean()
    return float((centred * (values - values.mean())).sum() / (centred**2).sum())


def difference_trend(diff: pd.DataFrame, cluster: str = "week", n_boot: int = 2000, seed: int = 0) -> dict:
    """Least-squares slope of `difference` on `years` (points per year) with a 95% percentile interval from a
    bootstrap that resamples whole clusters (`week` or `models`) with replacement, `n_boot` times from `seed`.
    `direction` is up or down when the interval excludes zero, else flat. Resamples whose versions all fall on
    one date carry no slope and are redrawn."""
    if cluster not in CLUSTERS:
        raise ValueError(f"cluster must be one of {', '.join(CLUSTERS)}, got {cluster!r}.")
    groups = [g.index.to_numpy() for _, g in diff.groupby(cluster, sort=True)]
    if len(groups) < 3:
        raise DataError(f"difference_trend: {len(groups)} {cluster} clusters; at least 3 are needed.")
    years, values = diff["years"].to_numpy(float), diff["difference"].to_numpy(float)
    rng = np.random.default_rng(seed)
    slopes: list[float] = []
    while len(slopes) < n_boot:
        rows = np.concatenate([groups[i] for i in rng.integers(0, len(groups), len(groups))])
        if np.ptp(years[rows]) > 0:
            slopes.append(_slope(years[rows], values[rows]))
    low, high = np.percentile(slopes, [2.5, 97.5])
    return {
        "cluster": cluster,
        "slope": _slope(years, values),
        "ci_low": float(low),
        "ci_high": float(high),
        "direction": "up" if low > 0 else "down" if high < 0 else "flat",
        "n_versions": len(diff),
        "n_clusters": len(groups),
        "n_boot": n_boot,
        "seed": seed,
    }


def nearest_version(table: pd.DataFrame, date: str, on_or_before: bool = False) -> pd.Series:
    """The row of `table` whose version is nearest to `date` (ties: the earlier); `on_or_before` keeps only
    versions up to `date`. No such version is a DataError."""
    stamp = pd.Timestamp(date)
    pool = table[table["version"] <= stamp] if on_or_before else table
    if pool.empty:
        raise DataError(f"No Arena version on or before {date}; the history starts {table['version'].min().date()}.")
    distance = (pool["version"] - stamp).abs()
    return pool.loc[distance.sort_values(kind="stable").index[0]]


def up_to(rows: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The versions on or before `as_of`; none is a ParameterError naming `as_of` and the first version."""
    kept = rows[rows["version"] <= pd.Timestamp(as_of)]
    if kept.empty:
        raise ParameterError(
            f"as_of must be on or after the first Arena version ({rows['version'].min():%Y-%m-%d}), got {as_of!r}."
        )
    return kept


def first_version_with(rows: pd.DataFrame, model: str, name: str = "model") -> pd.Timestamp:
    """The first version that lists `model`; a model never listed is a ParameterError naming parameter `name`."""
    listed = rows.loc[rows["model"] == model, "version"]
    if listed.empty:
        raise ParameterError(f"{name} must be a model on the Arena, got {model!r}; the history never lists it.")
    return listed.min()


def versions_in_month(table: pd.DataFrame, month: str, name: str | None = None) -> pd.DataFrame:
    """The rows of `table` whose version falls in `month` (YYYY-MM); none is a DataError, or a ParameterError
    naming parameter `name` and the months that have versions when `name` is given."""
    rows = table[table["version"].dt.strftime("%Y-%m") == month]
    if rows.empty:
        if name:
            months = sorted(table["version"].dt.strftime("%Y-%m").unique())
            raise ParameterError(
                f"{name} must fall in a month with Arena versions ({months[0]} to {months[-1]}), got month {month}."
            )
        raise DataError(f"No Arena version in {month}.")
    return rows


# --- licence audit against Epoch's access labels -----------------------------------------------------


def match_key(name: str) -> str:
    """A model name reduced for matching the Arena's spelling to Epoch's: lower case, no bracketed text, no
    leading `meta-`, no `-instruct`/`-chat`/`-it`/`-bf16`/`-fp8`, letters and digits only."""
    key = re.sub(r"\(.*?\)", "", str(name).lower())
    key = re.sub(r"^meta-", "", key)
    key = re.sub(r"-(instruct|chat|it|bf16|fp8)\b", "", key)
    return re.sub(r"[^a-z0-9]", "", key)


def licence_audit(rows: pd.DataFrame, epoch: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    """One row per Arena model whose licence label is doubtful: the labels it carried, its Epoch match and
    access label, why it is flagged, and the committed decision (blank when none).

    Flags: `blank licence` (blank or N/A), `experimental variant` (an open label on a name with
    'experimental'), `Epoch: not open weights` (an open label on a model Epoch lists as API, hosted or
    unreleased), `Epoch: open weights` (a closed label on a model Epoch lists with open weights), `label
    changed between versions`, and `overridden` (a committed decision that no flag above asks for, e.g. a
    hosted-only model Epoch lacks).
    `epoch` needs `model` and `access`; an exact Epoch name wins over a reduced-key match.
    """
    _require(rows, ("model", "license"), "licence_audit")
    exact = dict(zip(epoch["model"].str.lower(), zip(epoch["model"], epoch["access"])))
    reduced: dict[str, tuple[str, str]] = {}
    for model, access in zip(epoch["model"], epoch["access"]):
        reduced.setdefault(match_key(model), (model, access))
    decisions = {m.lower(): d for m, d in zip(overrides["model"], overrides["decision"])}
    labels = rows.groupby("model", sort=True)["license"].agg(lambda s: " | ".join(sorted(set(s), key=str)))
    out = []
    for model, seen in labels.items():
        epoch_model, epoch_access = exact.get(model.lower()) or reduced.get(match_key(model)) or ("", "")
        arena = {arena_label(label) for label in seen.split(" | ")}
        flags = []
        if "unlabelled" in arena:
            flags.append("blank licence")
        if "open" in arena and "experimental" in model.lower():
            flags.append("experimental variant")
        if "open" in arena and epoch_access and not epoch_access.startswith("Open weights"):
            flags.append("Epoch: not open weights")
        if "closed" in arena and epoch_access.startswith("Open weights"):
            flags.append("Epoch: open weights")
        if len(arena) > 1:
            flags.append("label changed between versions")
        decision = decisions.get(model.lower(), "")
        if decision and not flags and arena != {decision}:
            flags.append("overridden")
        if flags:
            out.append((model, seen, epoch_model, epoch_access, "; ".join(flags), decision))
    columns = ["model", "arena_license", "epoch_model", "epoch_access", "flag", "decision"]
    return pd.DataFrame(out, columns=columns)
