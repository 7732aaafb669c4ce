"""`python -m benchmarks hub --rows N`: the hubquery aggregations at whole-Hub scale, DuckDB against plain pandas.

A seeded synthetic models table of N rows with the Hub `ModelInfo` schema of `cfahlgren1/hub-stats`
(heavy-tailed likes and downloads; about 28% of rows with base models pointing to a few thousand bases;
relations adapter 43% / finetune 36% / quantized 19% / merge 2%, the hub-stats Oct 2025 mix quoted in
issue 10) is written to parquet under build/bench/. The aggregations then run twice, each engine in
its own process: DuckDB through `hubquery` (reading the parquet out of core, 2 threads, a memory
limit) and the same aggregations written in pandas. Each process's wall time and peak RSS are measured
by the parent (`os.wait4` returns that child's own rusage: process start and imports included), and the
two sets of results must be identical. Targets (issue 19): 2,000,000 rows in <= 1.0 s and <= 300 MiB peak.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from opentrends.analysis import hub_query as hubquery
from opentrends.core import paths
from opentrends.core.errors import OpenTrendsError, ParameterError

BASE_SHARE = hubquery.ANCHORS["hub_stats"]["base_share"]  # models declaring base models, hub-stats Oct 2025
RELATIONS = tuple(hubquery.ANCHORS["hub_stats"]["relations"])
RELATION_MIX = tuple(hubquery.ANCHORS["hub_stats"]["relations"].values())  # hub-stats, Oct 2025 (issue 10)
ORIGIN_MIX = {"United States": 0.40, "China": 0.25, "Rest of world": 0.25}  # the rest: authors with no label
START = np.datetime64("2021-01-01T00:00:00", "us")
SPAN_DAYS = 1735  # to early October 2025, the hub-stats snapshot the issue quotes
TOP_N = 100
MIN_ROWS = 100  # below this the synthetic shape (bases, relation mix) is meaningless
MEMORY_LIMIT = "1GB"  # DuckDB's own limit (the peak it reaches at 2M rows is far below)
DEFAULT_ROWS = 2_000_000
SECONDS_TARGET = 1.0  # at DEFAULT_ROWS, wall time of the DuckDB process (issue 19)
PEAK_MIB_TARGET = 300
PIPELINES = (
    "text-generation",
    "text-to-image",
    "feature-extraction",
    "image-text-to-text",
    "automatic-speech-recognition",
    "text-classification",
)
LIBRARIES = ("transformers", "diffusers", "sentence-transformers", "peft", "gguf", "mlx")
AGGREGATIONS = (
    "ranking_likes",
    "ranking_downloads",
    "downloads_by_origin",
    "models_by_creation",
    "derivatives_by_base",
    "derivative_share_by_month",
    "derivative_timeline",
)


def _strings(prefix: str, numbers: np.ndarray) -> pa.Array:
    return pa.array(np.char.add(prefix, numbers.astype(str)).astype(object), type=pa.string())


def generate(rows: int, seed: int = 0) -> tuple[pa.Table, pd.DataFrame]:
    """The synthetic models table (Arrow, hub-stats schema) and its author -> origin table."""
    if rows < MIN_ROWS:
        raise ParameterError(f"--rows must be at least {MIN_ROWS}, got {rows}.")
    rng = np.random.default_rng(seed)
    n_authors = max(rows // 20, 50)
    weights = 1.0 / np.arange(1, n_authors + 1) ** 1.1  # a few authors own many models
    author_idx = rng.choice(n_authors, size=rows, p=weights / weights.sum())
    authors = np.char.add("org", author_idx.astype(str))
    ids = np.char.add(np.char.add(authors, "/model-"), np.arange(rows).astype(str))
    days = np.sqrt(rng.random(rows)) * SPAN_DAYS  # uploads grow over time
    created = START + (days * 86_400e6).astype("timedelta64[us]")
    likes = np.minimum(np.floor(rng.pareto(1.2, rows) * 0.3), 2e5).astype("int64")
    downloads = np.minimum(np.floor(rng.pareto(0.9, rows) * 5), 5e8).astype("int64")

    n_bases = min(max(rows // 700, 20), 5000)  # "a few thousand bases" at 2M rows
    base_pool = rng.choice(rows, size=n_bases, replace=False)
    has_base = rng.random(rows) < BASE_SHARE
    has_base[base_pool] = False
    chained = base_pool[rng.random(n_bases) < 0.10]  # some bases are themselves fine-tunes of a base
    has_base[chained] = True
    popularity = 1.0 / np.arange(1, n_bases + 1) ** 0.9
    chosen = rng.choice(n_bases, size=rows, p=popularity / popularity.sum())
    relation = rng.choice(len(RELATIONS), size=rows, p=RELATION_MIX)
    second = rng.choice(n_bases, size=rows)
    base_of = base_pool[chosen]
    base_of[chained] = base_pool[rng.choice(max(n_bases // 10, 1), size=len(chained))]
    base_of[np.isin(np.arange(rows), chained) & (base_of == np.arange(rows))] = base_pool[0]
    is_merge = has_base & (relation == 3)
    counts = np.where(has_base, np.where(is_merge, 2, 1), 0)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype("int32")
    targets = np.empty(offsets[-1], dtype="int64")
    targets[offsets[:-1][has_base]] = base_of[has_base]
    targets[offsets[:-1][is_merge] + 1] = base_pool[second[is_merge]]
    base_ids = pa.array(ids[targets].astype(object), type=pa.string())
    model_list = pa.ListArray.from_arrays(pa.array(offsets), pa.StructArray.from_arrays([base_ids], ["id"]))
    relation_text = pa.array(np.array(RELATIONS, dtype=object)[relation], type=pa.string())
    base_struct = pa.StructArray.from_arrays(
        [model_list, relation_text], ["models", "relation"], mask=pa.array(~has_base)
    )
    tag_counts = rng.integers(1, 6, size=rows)
    tag_offsets = np.concatenate([[0], np.cumsum(tag_counts)]).astype("int32")
    tag_values = _strings("tag:", rng.integers(0, 400, size=int(tag_offsets[-1])))
    table = pa.table(
        {
            "id": pa.array(ids.astype(object), type=pa.string()),
            "author": pa.array(authors.astype(object), type=pa.string()),
            "createdAt": pa.array(created, type=pa.timestamp("us")),
            "likes": likes,
            "downloads": downloads,
            "downloadsAllTime": downloads * rng.integers(1, 20, size=rows),
            "tags": pa.ListArray.from_arrays(pa.array(tag_offsets), tag_values),
            "pipeline_tag": pa.array(np.array(PIPELINES, dtype=object)[rng.integers(0, len(PIPELINES), rows)]),
            "library_name": pa.array(np.array(LIBRARIES, dtype=object)[rng.integers(0, len(LIBRARIES), rows)]),
            "baseModels": base_struct,
        }
    )
    labels = np.array([*ORIGIN_MIX, None], dtype=object)
    p = [*ORIGIN_MIX.values(), 1 - sum(ORIGIN_MIX.values())]
    origin = labels[rng.choice(len(labels), size=n_authors, p=p)]
    origins = pd.DataFrame({"author": np.char.add("org", np.arange(n_authors).astype(str)), "origin": origin})
    return table, origins[origins["origin"].notna()].reset_index(drop=True)


# --- the two engines (each runs in its own process) -----------------------------------------------


def duckdb_aggregations(parquet: Path, origins: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every aggregation through hubquery on one connection, reading the parquet file out of core."""
    con = hubquery.connect(parquet, origins, threads=2, memory_limit=MEMORY_LIMIT)
    try:
        return {
            "ranking_likes": hubquery.ranking(con, metric="likes", top_n=TOP_N),
            "ranking_downloads": hubquery.ranking(con, metric="downloads", top_n=TOP_N),
            "downloads_by_origin": hubquery.downloads_by_origin(con),
            "models_by_creation": hubquery.models_by_creation(con),
            "derivatives_by_base": hubquery.derivatives_by_base(con),
            "derivative_share_by_month": hubquery.derivative_share_by_month(con),
            "derivative_timeline": hubquery.derivative_timeline(con),
        }
    finally:
        con.close()


def pandas_aggregations(parquet: Path, origins: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The same aggregations in plain pandas (one snapshot: no `date`), for the comparison."""
    m = pd.read_parquet(parquet, columns=["id", "author", "createdAt", "likes", "downloads", "baseModels"])
    origin_of = origins.drop_duplicates("author").set_index("author")["origin"]
    m["origin"] = m["author"].map(origin_of).fillna("Unknown")
    out = {}
    for metric in ("likes", "downloads"):
        top = m.sort_values([metric, "id"], ascending=[False, True]).head(TOP_N)
        out[f"ranking_{metric}"] = pd.DataFrame(
            {
                "date": pd.NaT,
                "rank": np.arange(1, len(top) + 1),
                "model": top["id"].to_numpy(),
                "author": top["author"].to_numpy(),
                "origin": top["origin"].to_numpy(),
                "likes": top["likes"].to_numpy(),
                "downloads_30d": top["downloads"].to_numpy(),
                "created_at": top["createdAt"].to_numpy(),
            }
        )
    by_origin = m.groupby("origin").agg(n_models=("id", "size"), downloads_30d=("downloads", "sum")).reset_index()
    by_origin["share"] = by_origin["downloads_30d"] / by_origin["downloads_30d"].sum()
    out["downloads_by_origin"] = by_origin.assign(date=pd.NaT)
    month = m["createdAt"].dt.strftime("%Y-%m")
    out["models_by_creation"] = (
        m.assign(created_month=month)
        .groupby(["created_month", "origin"])["id"]
        .nunique()
        .rename("n_models")
        .reset_index()
    )
    bases = m["baseModels"].dropna()
    first = bases.map(lambda b: b["models"][0]["id"] if len(b["models"]) else None).dropna()
    relation = bases.map(lambda b: b["relation"]).reindex(first.index).fillna("unspecified")
    edges = pd.Series(first.to_numpy(), index=m.loc[first.index, "id"].to_numpy())
    root = edges.copy()
    for _ in range(hubquery.MAX_CHAIN - 1):  # follow the chain exactly as far as the SQL does
        parent = root.map(edges)
        if parent.isna().all():
            break
        root = parent.fillna(root)
    d = pd.DataFrame(
        {
            "id": edges.index,
            "root": root.to_numpy(),
            "relation": relation.to_numpy(),
            "createdAt": m.loc[first.index, "createdAt"].to_numpy(),
        }
    )
    d["origin"] = d["root"].str.split("/", n=1).str[0].map(origin_of).fillna("Unknown")
    out["derivatives_by_base"] = d.groupby(["root", "origin", "relation"]).size().rename("n").reset_index()
    d["month"] = d["createdAt"].dt.strftime("%Y-%m")
    share = d.groupby(["month", "origin"]).size().rename("n").reset_index()
    share["share"] = share["n"] / share.groupby("month")["n"].transform("sum")
    out["derivative_share_by_month"] = share
    released = m.drop_duplicates("id").set_index("id")["createdAt"]
    t = d.assign(released=d["root"].map(released)).dropna(subset=["released"])
    t["days_since_release"] = (t["createdAt"].dt.floor("D") - t["released"].dt.floor("D")).dt.days
    per_day = t.groupby(["root", "days_since_release"]).size().rename("n").reset_index()
    per_day["cumulative_derivatives"] = per_day.groupby("root")["n"].cumsum()
    out["derivative_timeline"] = per_day.drop(columns="n")
    return out


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """A result in a comparable form: sorted on its non-numeric key columns, plain dtypes, fresh index."""
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]) or frame[column].isna().all():
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
        elif pd.api.types.is_integer_dtype(frame[column]):
            frame[column] = frame[column].astype("int64")
        elif pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].astype("float64")
        else:
            frame[column] = frame[column].astype(object)
    keys = [
        c
        for c in frame.columns
        if c not in ("share", "n", "n_models", "downloads_30d", "likes", "cumulative_derivatives", "created_at")
    ]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def differences(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> list[str]:
    """Names of the aggregations whose two results are not identical (values, columns and row count)."""
    bad = []
    for name in AGGREGATIONS:
        a, b = canonical(left[name]), canonical(right[name])
        try:
            pd.testing.assert_frame_equal(a, b[a.columns], check_exact=True, check_dtype=False)
        except (AssertionError, KeyError) as exc:
            bad.append(f"{name}: {str(exc).splitlines()[0] if str(exc) else 'columns differ'}")
    return bad


def _engine_main(engine: str, parquet: str, origins: str, out: str) -> int:
    """Child process: run one engine's aggregations and pickle the results for the parent to compare."""
    run = duckdb_aggregations if engine == "duckdb" else pandas_aggregations
    results = run(Path(parquet), pd.read_parquet(origins))
    pd.to_pickle(results, out)
    return 0


def write_table(rows: int, seed: int, parquet: Path, origins: Path) -> None:
    """Generate the synthetic table and write both parquet files atomically (temporary name, then rename)."""
    table, origin_table = generate(rows, seed)
    pq.write_table(table, parquet.with_name(f".{parquet.name}.tmp"), row_group_size=256_000)
    origin_table.to_parquet(origins.with_name(f".{origins.name}.tmp"))
    os.replace(parquet.with_name(f".{parquet.name}.tmp"), parquet)
    os.replace(origins.with_name(f".{origins.name}.tmp"), origins)


def _child(arguments: list[str], label: str, module: str = "benchmarks.hub_query") -> tuple[float, float]:
    """Run `python -m MODULE ARGS` from the project root (where `benchmarks` imports); its wall seconds and its own peak RSS (MiB)."""
    command = [sys.executable, "-m", module, *arguments]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=paths.ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise OpenTrendsError(f"bench hub: the {label} process failed (exit {process.returncode}):\n{error[-2000:]}")
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def run(rows: int, seed: int = 0) -> dict:
    """Generate (or reuse) the table, time both engines, check identical results; return the report."""
    if rows < MIN_ROWS:
        raise ParameterError(f"--rows must be at least {MIN_ROWS}, got {rows}.")
    folder = paths.build_dir() / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    parquet, origins = folder / f"hub_{rows}_{seed}.parquet", folder / f"hub_{rows}_{seed}_origins.parquet"
    if not parquet.exists() or not origins.exists():
        # in a process of its own: a child inherits its parent's peak RSS across exec, so the parent
        # must never hold the table or the engines' measured peaks would include it
        _child(["generate", str(rows), str(seed), str(parquet), str(origins)], "generate")
    results = {}
    timings = {}
    for engine in ("duckdb", "pandas"):
        out = folder / f"result_{engine}.pkl"
        timings[engine] = _child([engine, str(parquet), str(origins), str(out)], engine)
        results[engine] = pd.read_pickle(out)
        out.unlink()
    bad = differences(results["duckdb"], results["pandas"])
    if bad:
        raise OpenTrendsError("bench hub: DuckDB and pandas disagree on " + "; ".join(bad))
    return {
        "rows": rows,
        "seconds": round(timings["duckdb"][0], 2),
        "peak_rss_mb": round(timings["duckdb"][1], 1),
        "pandas_seconds": round(timings["pandas"][0], 2),
        "pandas_peak_rss_mb": round(timings["pandas"][1], 1),
    }


def describe(report: dict) -> str:
    """The report in one sentence, with the targets when it is the 2M-row figure."""
    text = (
        f"{report['rows']:,} rows: DuckDB {report['seconds']} s, peak {report['peak_rss_mb']} MiB; "
        f"pandas {report['pandas_seconds']} s, peak {report['pandas_peak_rss_mb']} MiB "
        f"(pandas takes {report['pandas_seconds'] / max(report['seconds'], 1e-9):.1f}x as long); results identical"
    )
    if report["rows"] == DEFAULT_ROWS:
        text += f" (targets: <= {SECONDS_TARGET} s, <= {PEAK_MIB_TARGET} MiB)"
    return text


def targets(report: dict) -> list[tuple[str, str, str, bool]]:
    """(figure, measured, target, met) rows for `bench all`'s table."""
    rows = f"{report['rows'] / 1e6:g}M rows"
    return [
        (
            f"hub query, {rows}: time",
            f"{report['seconds']:.2f} s",
            f"<= {SECONDS_TARGET} s",
            report["seconds"] <= SECONDS_TARGET,
        ),
        (
            f"hub query, {rows}: peak memory",
            f"{report['peak_rss_mb']:.0f} MiB",
            f"<= {PEAK_MIB_TARGET} MiB",
            report["peak_rss_mb"] <= PEAK_MIB_TARGET,
        ),
    ]


def main(rows: int, as_json: bool = False, seed: int = 0) -> int:
    """CLI entry: print the report (exactly the JSON object with --json)."""
    report = run(rows, seed)
    print(json.dumps(report) if as_json else describe(report))
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        write_table(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))
    else:
        _engine_main(*sys.argv[1:5])
