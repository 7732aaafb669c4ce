"""`python -m benchmarks scale`: the Hub query layer at 0.2M, 2M and 20M rows, its time and peak memory.

Each synthetic table (the `hub_query` benchmark's schema and shape: heavy-tailed likes and downloads, 28% of rows with
base models, the hub-stats relation mix) is written once to `build/bench/` as parquet, CHUNK rows at a time,
so a 20M-row table is never held in memory: the bases are drawn once for the whole table (a derivative in
any chunk can point to a base in any other), then each chunk is drawn from its own seed. Every aggregation
then runs through `hubquery` in a process of its own, whose wall time and peak RSS this process measures
(start-up and imports included), and the results go to `build/bench/hub-scale.csv` and a figure,
`hub-scale.png`. Target (issue 19): 20M rows in <= 10 s and <= 1 GiB peak.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

from opentrends.core import paths

SIZES = (200_000, 2_000_000, 20_000_000)
CHUNK = 1_000_000
TARGET_ROWS = 20_000_000
SECONDS_TARGET = 10.0
PEAK_MIB_TARGET = 1024.0
COLUMNS = ("rows", "seconds", "peak_rss_mib", "result_rows")


def _plan(rows: int, seed: int) -> dict:
    """The draws shared by every chunk: authors' weights, the base models and who they derive from."""
    import numpy as np

    rng = np.random.default_rng([seed, rows])
    n_authors = max(rows // 20, 50)
    weights = 1.0 / np.arange(1, n_authors + 1) ** 1.1
    n_bases = min(max(rows // 700, 20), 5000)
    pool = rng.choice(rows, size=n_bases, replace=False)
    base_author = rng.choice(n_authors, size=n_bases, p=weights / weights.sum())
    parent = rng.choice(max(n_bases // 10, 1), size=n_bases)  # chained bases derive from a popular base
    parent = np.where(parent == np.arange(n_bases), (np.arange(n_bases) + 1) % n_bases, parent)
    popularity = 1.0 / np.arange(1, n_bases + 1) ** 0.9
    return {
        "rows": rows,
        "seed": seed,
        "author_p": weights / weights.sum(),
        "pool": pool,
        "base_author": base_author,
        "base_ids": np.char.add(np.char.add("org", base_author.astype(str)), np.char.add("/model-", pool.astype(str))),
        "chained": rng.random(n_bases) < 0.10,
        "parent": parent,
        "popularity": popularity / popularity.sum(),
    }


def _chunk(plan: dict, start: int, stop: int):
    """Rows start..stop-1 of the table, as an Arrow table of the hub_query benchmark schema."""
    import numpy as np
    import pyarrow as pa

    from benchmarks import hub_query as hb

    rng = np.random.default_rng([plan["seed"], plan["rows"], start])
    n = stop - start
    author_idx = rng.choice(len(plan["author_p"]), size=n, p=plan["author_p"])
    here = np.nonzero((plan["pool"] >= start) & (plan["pool"] < stop))[0]
    local = plan["pool"][here] - start
    author_idx[local] = plan["base_author"][here]
    authors = np.char.add("org", author_idx.astype(str))
    ids = np.char.add(authors, np.char.add("/model-", np.arange(start, stop).astype(str)))
    created = hb.START + (np.sqrt(rng.random(n)) * hb.SPAN_DAYS * 86_400e6).astype("timedelta64[us]")
    likes = np.minimum(np.floor(rng.pareto(1.2, n) * 0.3), 2e5).astype("int64")
    downloads = np.minimum(np.floor(rng.pareto(0.9, n) * 5), 5e8).astype("int64")
    has_base = rng.random(n) < hb.BASE_SHARE
    has_base[local] = plan["chained"][here]
    chosen = rng.choice(len(plan["pool"]), size=n, p=plan["popularity"])
    chosen[local] = plan["parent"][here]
    relation = rng.choice(len(hb.RELATIONS), size=n, p=hb.RELATION_MIX)
    second = rng.choice(len(plan["pool"]), size=n)
    is_merge = has_base & (relation == 3)
    offsets = np.concatenate([[0], np.cumsum(np.where(has_base, np.where(is_merge, 2, 1), 0))]).astype("int32")
    targets = np.empty(offsets[-1], dtype=object)
    targets[offsets[:-1][has_base]] = plan["base_ids"][chosen[has_base]]
    targets[offsets[:-1][is_merge] + 1] = plan["base_ids"][second[is_merge]]
    models = pa.ListArray.from_arrays(
        pa.array(offsets), pa.StructArray.from_arrays([pa.array(targets, type=pa.string())], ["id"])
    )
    relation_text = pa.array(np.array(hb.RELATIONS, dtype=object)[relation], type=pa.string())
    base = pa.StructArray.from_arrays([models, relation_text], ["models", "relation"], mask=pa.array(~has_base))
    tag_offsets = np.concatenate([[0], np.cumsum(rng.integers(1, 6, size=n))]).astype("int32")
    tags = hb._strings("tag:", rng.integers(0, 400, size=int(tag_offsets[-1])))
    pick = lambda values: pa.array(np.array(values, dtype=object)[rng.integers(0, len(values), n)])  # noqa: E731
    return pa.table(
        {
            "id": pa.array(ids.astype(object), type=pa.string()),
            "author": pa.array(authors.astype(object), type=pa.string()),
            "createdAt": pa.array(created, type=pa.timestamp("us")),
            "likes": likes,
            "downloads": downloads,
            "downloadsAllTime": downloads * rng.integers(1, 20, size=n),
            "tags": pa.ListArray.from_arrays(pa.array(tag_offsets), tags),
            "pipeline_tag": pick(hb.PIPELINES),
            "library_name": pick(hb.LIBRARIES),
            "baseModels": base,
        }
    )


def write_table(rows: int, seed: int, parquet: Path, origins: Path) -> None:
    """Write the table CHUNK rows at a time (never whole in memory) and its origins; both atomically."""
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq

    from benchmarks import hub_query as hb

    plan = _plan(rows, seed)
    partial = parquet.with_name(f".{parquet.name}.tmp")
    writer = None
    try:
        for start in range(0, rows, CHUNK):
            table = _chunk(plan, start, min(start + CHUNK, rows))
            writer = writer or pq.ParquetWriter(partial, table.schema)
            writer.write_table(table, row_group_size=256_000)
            del table
    finally:
        if writer is not None:
            writer.close()
    n_authors = len(plan["author_p"])
    rng = np.random.default_rng([seed, rows, rows])  # past every chunk start
    labels = np.array([*hb.ORIGIN_MIX, None], dtype=object)
    p = [*hb.ORIGIN_MIX.values(), 1 - sum(hb.ORIGIN_MIX.values())]
    table = pd.DataFrame(
        {
            "author": np.char.add("org", np.arange(n_authors).astype(str)),
            "origin": labels[rng.choice(4, n_authors, p=p)],
        }
    )
    table[table["origin"].notna()].reset_index(drop=True).to_parquet(origins.with_name(f".{origins.name}.tmp"))
    os.replace(partial, parquet)
    os.replace(origins.with_name(f".{origins.name}.tmp"), origins)


def _measure(parquet: Path, origins: Path, out: Path) -> None:
    """Child process: every aggregation through hubquery; only the row counts are written back."""
    import pandas as pd

    from benchmarks import hub_query as hb

    results = hb.duckdb_aggregations(parquet, pd.read_parquet(origins))
    out.write_text(json.dumps({name: len(frame) for name, frame in results.items()}))


def run(sizes=SIZES, seed: int = 0, progress=print) -> list[dict]:
    """Write (once) and measure each size; write the CSV and the figure; return one dict per size."""
    from benchmarks.hub_query import _child

    folder = paths.build_dir() / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    points = []
    for rows in sizes:
        parquet, origins = (
            folder / f"hub_scale_{rows}_{seed}.parquet",
            folder / f"hub_scale_{rows}_{seed}_origins.parquet",
        )
        if not parquet.exists() or not origins.exists():
            progress(f"writing {rows:,} synthetic rows to {paths.relative_to_root(parquet)} (once) ...")
            _child_of_this(["generate", str(rows), str(seed), str(parquet), str(origins)])
        out = folder / f"hub_scale_{rows}.json"
        seconds, peak = _child(
            ["measure", str(parquet), str(origins), str(out)], f"{rows:,}-row", "benchmarks.hub_scale"
        )
        counts = json.loads(out.read_text())
        out.unlink()
        points.append(
            {
                "rows": rows,
                "seconds": round(seconds, 2),
                "peak_rss_mib": round(peak, 1),
                "result_rows": sum(counts.values()),
            }
        )
        progress(f"{rows:>12,} rows: {seconds:6.2f} s, peak {peak:7.1f} MiB")
    _write(points, folder)
    return points


def _child_of_this(arguments: list[str]) -> None:
    import subprocess

    subprocess.run([sys.executable, "-m", "benchmarks.hub_scale", *arguments], check=True)


def _write(points: list[dict], folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with open(folder / "hub-scale.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(points)
    rows = [p["rows"] for p in points]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    left.plot(rows, [p["seconds"] for p in points], marker="o")
    left.axhline(SECONDS_TARGET, linestyle=":", color="grey", label=f"target at 20M: {SECONDS_TARGET:g} s")
    left.set(xscale="log", yscale="log", xlabel="rows", ylabel="seconds (process, imports included)")
    right.plot(rows, [p["peak_rss_mib"] for p in points], marker="o", color="tab:orange")
    right.axhline(PEAK_MIB_TARGET, linestyle=":", color="grey", label=f"target at 20M: {PEAK_MIB_TARGET:g} MiB")
    right.set(xscale="log", xlabel="rows", ylabel="peak RSS (MiB)")
    for axis in (left, right):
        axis.legend(loc="upper left", frameon=False)
    fig.suptitle("Hub query layer (DuckDB, every aggregation): time and peak memory against rows")
    fig.tight_layout()
    fig.savefig(folder / "hub-scale.png", dpi=110)
    plt.close(fig)


def table(points: list[dict]) -> str:
    """The scale table as text, with the 20M-row targets."""
    lines = [f"{'rows':>12}  {'seconds':>8}  {'peak MiB':>9}  {'result rows':>11}"]
    lines += [
        f"{p['rows']:>12,}  {p['seconds']:>8.2f}  {p['peak_rss_mib']:>9.1f}  {p['result_rows']:>11,}" for p in points
    ]
    lines.append(
        f"targets at {TARGET_ROWS:,} rows: <= {SECONDS_TARGET:g} s, <= {PEAK_MIB_TARGET:g} MiB; "
        "written to build/bench/hub-scale.csv and hub-scale.png"
    )
    return "\n".join(lines)


def targets(points: list[dict]) -> list[tuple[str, str, str, bool]]:
    """(figure, measured, target, met) rows for `bench all`'s table (the 20M-row point)."""
    rows = []
    for p in points:
        if p["rows"] == TARGET_ROWS:
            rows.append(
                (
                    "hub query, 20M rows: time",
                    f"{p['seconds']:.2f} s",
                    f"<= {SECONDS_TARGET:g} s",
                    p["seconds"] <= SECONDS_TARGET,
                )
            )
            rows.append(
                (
                    "hub query, 20M rows: peak memory",
                    f"{p['peak_rss_mib']:.0f} MiB",
                    f"<= {PEAK_MIB_TARGET:g} MiB",
                    p["peak_rss_mib"] <= PEAK_MIB_TARGET,
                )
            )
    return rows


def main(as_json: bool = False) -> int:
    """Entry of `python -m benchmarks scale`."""
    points = run(progress=(lambda line: None) if as_json else (lambda line: print(line, flush=True)))
    print(json.dumps(points) if as_json else table(points))
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        write_table(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))
    elif sys.argv[1] == "measure":
        _measure(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
