"""The one DuckDB query layer over a Hub models table (the `ModelInfo` schema of `cfahlgren1/hub-stats`).

A models table has the columns id, author, createdAt, likes, downloads (30-day), pipeline_tag,
library_name and, for derivative queries, baseModels STRUCT(models STRUCT(id)[], relation). It may be a
parquet path (read out of core by DuckDB), a pyarrow Table or a pandas DataFrame: the same SQL runs on
the ~530-model head captures (which add a `date` column, one row per model per capture day) and on a
2M-row whole-Hub snapshot (no `date`: one snapshot, so every row gets a NULL date). Origins come from
an `author -> origin` table; an author it lacks is `Unknown`.

Every query is in `SQL` below; values reach it only as bound parameters. Each function is pure: it
opens an in-memory connection, runs one query and returns a pandas DataFrame.

Family (derivative queries): a model's family root is found by following the first listed base model
up the chain until a model without a base (or one absent from the table); chains longer than
`MAX_CHAIN` steps (cycles) stop there.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from .errors import DataError, ParameterError

MAX_CHAIN = 20  # longest base-model chain followed; real chains are a few steps (Laufer et al. 2025: depth <= 10)
METRICS = ("likes", "downloads")
NEEDED = ("id", "author", "createdAt", "likes", "downloads")
BASE_TYPE = "STRUCT(models STRUCT(id VARCHAR)[], relation VARCHAR)"

Models = str | Path | pa.Table | pd.DataFrame

_WITH_ORIGIN = """
    m AS (SELECT src.*, COALESCE(o.origin, 'Unknown') AS origin
          FROM models AS src LEFT JOIN origins AS o ON o.author = src.author)
"""

_FAMILY = """
    edges AS (
        SELECT id, baseModels.models[1].id AS base FROM models
        WHERE baseModels IS NOT NULL AND len(baseModels.models) > 0),
    walk(id, node, step) AS (
        SELECT id, base, 1 FROM edges
        UNION ALL
        SELECT walk.id, edges.base, walk.step + 1 FROM walk JOIN edges ON edges.id = walk.node
        WHERE walk.step < $max_chain),
    family AS (SELECT id, arg_max(node, step) AS root FROM walk GROUP BY id),
    derivatives AS (
        SELECT d.id, d.createdAt, COALESCE(d.baseModels.relation, 'unspecified') AS relation, f.root,
               COALESCE(o.origin, 'Unknown') AS origin
        FROM models AS d JOIN family AS f ON f.id = d.id
        LEFT JOIN origins AS o ON o.author = split_part(f.root, '/', 1))
"""

SQL = {
    # rank by likes or downloads within each capture date; ties broken by id
    "ranking": f"""
        WITH {_WITH_ORIGIN},
        ranked AS (
            SELECT date, row_number() OVER (PARTITION BY date
                       ORDER BY CASE WHEN $metric = 'likes' THEN likes ELSE downloads END DESC, id) AS rank,
                   id AS model, author, origin, likes, downloads AS downloads_30d, createdAt AS created_at
            FROM m)
        SELECT * FROM ranked WHERE rank <= $top_n ORDER BY date, rank""",
    # downloads by origin over the top_n models by downloads of each date (all models when top_n is NULL)
    "downloads_by_origin": f"""
        WITH {_WITH_ORIGIN},
        head AS (
            SELECT *, row_number() OVER (PARTITION BY date ORDER BY downloads DESC, id) AS r FROM m)
        SELECT date, origin, count(*) AS n_models, sum(downloads)::BIGINT AS downloads_30d,
               sum(downloads) / sum(sum(downloads)) OVER (PARTITION BY date) AS share
        FROM head WHERE CAST($top_n AS BIGINT) IS NULL OR r <= $top_n
        GROUP BY date, origin ORDER BY date, origin""",
    # models by creation month and origin (one capture date, or the whole table when date is NULL)
    "models_by_creation": f"""
        WITH {_WITH_ORIGIN}
        SELECT strftime(createdAt, '%Y-%m') AS created_month, origin, count(DISTINCT id) AS n_models
        FROM m WHERE CAST($date AS TIMESTAMP) IS NULL OR date = $date
        GROUP BY created_month, origin ORDER BY created_month, origin""",
    "derivatives_by_base": f"""
        WITH RECURSIVE {_FAMILY}
        SELECT root, origin, relation, count(*) AS n FROM derivatives
        GROUP BY root, origin, relation ORDER BY root, relation""",
    # share of each month's new derivatives by the origin of their family root
    "derivative_share_by_month": f"""
        WITH RECURSIVE {_FAMILY}
        SELECT strftime(createdAt, '%Y-%m') AS month, origin, count(*) AS n,
               count(*) / sum(count(*)) OVER (PARTITION BY strftime(createdAt, '%Y-%m')) AS share
        FROM derivatives GROUP BY month, origin ORDER BY month, origin""",
    # cumulative derivatives of each root by whole days since the root's own creation
    "derivative_timeline": f"""
        WITH RECURSIVE {_FAMILY},
        per_day AS (
            SELECT d.root, date_diff('day', r.createdAt, d.createdAt) AS days_since_release, count(*) AS n
            FROM derivatives AS d JOIN models AS r ON r.id = d.root
            WHERE CAST($roots AS VARCHAR[]) IS NULL OR list_contains($roots, d.root)
            GROUP BY d.root, days_since_release)
        SELECT root, days_since_release,
               sum(n) OVER (PARTITION BY root ORDER BY days_since_release)::BIGINT AS cumulative_derivatives
        FROM per_day ORDER BY root, days_since_release""",
}


def connect(models: Models, origins: pd.DataFrame | None = None, *, threads: int = 2,
            memory_limit: str = "1GB") -> duckdb.DuckDBPyConnection:
    """An in-memory connection with views `models` (NULL `date`/`baseModels` added if absent) and `origins`."""
    con = duckdb.connect(config={"threads": threads, "memory_limit": memory_limit})
    con.execute("SET TimeZone = 'UTC'")
    if isinstance(models, (str, Path)):
        if not Path(models).exists():
            raise DataError(f"{models}: no such parquet file. Fix: pass the path of a models.parquet snapshot.")
        con.read_parquet(str(models)).create_view("src")
    elif isinstance(models, (pa.Table, pd.DataFrame)):
        con.register("src", models)
    else:
        raise ParameterError(f"models must be a parquet path, a pyarrow Table or a pandas DataFrame, "
                             f"got {type(models).__name__}.")
    columns = [row[0] for row in con.execute("DESCRIBE src").fetchall()]
    missing = [c for c in NEEDED if c not in columns]
    if missing:
        raise DataError(f"models table: missing column(s) {', '.join(missing)}; the Hub ModelInfo schema needs "
                        f"{', '.join(NEEDED)}. Fix: pass a table of that schema (e.g. hub-stats models.parquet).")
    extra = []
    if "date" not in columns:
        extra.append("CAST(NULL AS TIMESTAMP) AS date")
    if "baseModels" not in columns:
        extra.append(f"CAST(NULL AS {BASE_TYPE}) AS baseModels")
    created = "CAST(createdAt AS TIMESTAMP) AS createdAt"
    con.execute(f"CREATE VIEW models AS SELECT * REPLACE ({created}){''.join(', ' + e for e in extra)} FROM src")
    table = origins if origins is not None else pd.DataFrame({"author": [], "origin": []})
    if not {"author", "origin"} <= set(table.columns):
        raise DataError("origins table: needs columns author and origin (see loaders.atom.author_origins).")
    con.register("origins_src", table[["author", "origin"]].astype({"author": "string", "origin": "string"}))
    con.execute("CREATE VIEW origins AS SELECT DISTINCT ON (author) author, origin FROM origins_src")
    return con


def _run(name: str, models: Models, origins: pd.DataFrame | None, params: dict, **options) -> pd.DataFrame:
    con = connect(models, origins, **options)
    try:
        return con.execute(SQL[name], params).df()
    finally:
        con.close()


def ranking(models: Models, origins: pd.DataFrame | None = None, *, metric: str = "likes", top_n: int = 20,
            **options) -> pd.DataFrame:
    """The top_n models by `metric` on each capture date: date, rank, model, author, origin, likes, downloads_30d, created_at."""
    if metric not in METRICS:
        raise ParameterError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}.")
    return _run("ranking", models, origins, {"metric": metric, "top_n": int(top_n)}, **options)


def downloads_by_origin(models: Models, origins: pd.DataFrame | None = None, *, top_n: int | None = None,
                        **options) -> pd.DataFrame:
    """Per date and origin: n_models, downloads_30d and share of the top_n by downloads (None: every model)."""
    return _run("downloads_by_origin", models, origins, {"top_n": None if top_n is None else int(top_n)}, **options)


def models_by_creation(models: Models, origins: pd.DataFrame | None = None, *, date=None, **options) -> pd.DataFrame:
    """created_month ('YYYY-MM'), origin, n_models (distinct ids) of one capture date (None: the whole table)."""
    return _run("models_by_creation", models, origins, {"date": None if date is None else pd.Timestamp(date)},
                **options)


def derivatives_by_base(models: Models, origins: pd.DataFrame | None = None, **options) -> pd.DataFrame:
    """root, origin (of the root's author), relation, n: derivative models per family root and relation."""
    return _run("derivatives_by_base", models, origins, {"max_chain": MAX_CHAIN}, **options)


def derivative_share_by_month(models: Models, origins: pd.DataFrame | None = None, **options) -> pd.DataFrame:
    """month, origin, n, share: new derivatives per creation month by the origin of their family root."""
    return _run("derivative_share_by_month", models, origins, {"max_chain": MAX_CHAIN}, **options)


def derivative_timeline(models: Models, origins: pd.DataFrame | None = None, *, roots=None, **options) -> pd.DataFrame:
    """root, days_since_release, cumulative_derivatives (roots present in the table; `roots` limits them)."""
    return _run("derivative_timeline", models, origins,
                {"max_chain": MAX_CHAIN, "roots": None if roots is None else [str(r) for r in roots]}, **options)
