"""The one DuckDB query layer over a Hub models table (the `ModelInfo` schema of `cfahlgren1/hub-stats`).

A models table has the columns id, author, createdAt, likes, downloads (30-day), pipeline_tag,
library_name and, for derivative queries, baseModels STRUCT(models STRUCT(id)[], relation). It may be a
parquet path (read out of core by DuckDB), a pyarrow Table or a pandas DataFrame: the same SQL runs on
the ~530-model head captures (which add a `date` column, one row per model per capture day) and on a
2M-row whole-Hub snapshot (no `date`: one snapshot, so every row gets a NULL date). Origins come from
an `author -> origin` table; an author it lacks is `Unknown`.

Every query is in `SQL` below; values reach it only as bound parameters. Each function is pure: it
opens an in-memory connection, runs one query and returns a pandas DataFrame. To run several queries
on one table, open the connection once with `connect(models, origins)` and pass it as `models`
(DuckDB then reads the parquet footer once, and the derivative queries share the family tables that
the first of them builds on that connection).

Scale: DuckDB reads a parquet path out of core (only the columns a query names, row group by row group,
under `memory_limit`), so a table larger than memory works on one machine. Beyond one machine the seam is
`SQL` plus the two views `connect` defines (`models`, `origins`): the same statements run on an engine
that serves those two relations (a distributed SQL engine such as Spark SQL, or a DuckDB-compatible
service), with `connect` the one function to replace.

Family (derivative queries): a model's family root is found by following the first listed base model
up the chain until a model without a base (or one absent from the table); chains longer than
`MAX_CHAIN` steps (cycles) stop there.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from opentrends.core.errors import DataError, ParameterError

MAX_CHAIN = 20  # longest base-model chain followed (a cycle guard); the April 2025 trees reach depth 3
METRICS = ("likes", "downloads")
NEEDED = ("id", "author", "createdAt", "likes", "downloads")
BASE_TYPE = "STRUCT(models STRUCT(id VARCHAR)[], relation VARCHAR)"

# Published numbers the notebook compares the head with (issue 10 quotes them; sources as cited).
ANCHORS = {
    "atom": {  # ATOM Report, Brand & Lambert, arXiv:2604.07190 (Apr 2026): tracked downloads by March 2026
        "source": "ATOM Report (Brand & Lambert, arXiv:2604.07190, April 2026)",
        "as_of": "March 2026",
        "china_downloads": 1.15e9,
        "us_downloads": 723e6,
    },
    "longpre": {  # Longpre et al., arXiv:2512.03073 (Dec 2025): shares of Hub downloads, Aug 2024 - Aug 2025
        "source": "Longpre et al. (arXiv:2512.03073, December 2025)",
        "period": "August 2024 to August 2025",
        "china_share": 0.171,
        "us_share": 0.158,
    },
    "hub_stats": {  # cfahlgren1/hub-stats models.parquet, October 2025 (whole-Hub model table)
        "source": "the cfahlgren1/hub-stats whole-Hub model table (October 2025)",
        "n_models": 2_161_698,
        "base_share": 0.28,
        "relations": {"adapter": 0.43, "finetune": 0.36, "quantized": 0.19, "merge": 0.02},
    },
}

Models = str | Path | pa.Table | pd.DataFrame | duckdb.DuckDBPyConnection

# The top_n rows by `score` of each date without sorting the whole table: the n-th largest score of the
# date is a floor, only rows at or above it are ranked (ties broken by id). `scored` is inlined (never
# materialised: it would copy the whole table) and names only the columns used; the lowest floor of any
# date filters the scan before the join, so the join and the window see a few hundred rows, not millions.
_TOP = """
    scored AS NOT MATERIALIZED (
        SELECT id, author, date, likes, downloads, createdAt,
               CASE WHEN $metric = 'likes' THEN likes ELSE downloads END AS score
        FROM models),
    floors AS MATERIALIZED (SELECT date, list_min(max(score, $top_n)) AS floor FROM scored GROUP BY date),
    ranked AS (
        SELECT s.*, row_number() OVER (PARTITION BY s.date ORDER BY s.score DESC, s.id) AS rank
        FROM scored AS s JOIN floors AS f ON f.date IS NOT DISTINCT FROM s.date
        WHERE s.score >= f.floor AND s.score >= (SELECT min(floor) FROM floors)),
    top AS (SELECT ranked.*, COALESCE(o.origin, 'Unknown') AS origin, o.author IS NOT NULL AS labelled
            FROM ranked LEFT JOIN origins AS o ON o.author = ranked.author WHERE rank <= $top_n)
"""

# Derivative queries: family roots are resolved for the distinct bases only (a few thousand), then every
# derivative is counted per root key, relation and creation day (`derivative_days`); each derivative query is a
# roll-up of that table, joined to `roots` (key -> root id, origin) and `root_rows` (each table row of a root,
# for its own creation day). Every root is itself some edge's base (the walk only follows base values), so the
# rows of the bases hold both the chain edges and the roots' creation days. Built once per connection
# (`_derivative_tables`): three scans of the models table, with no copy of the models or of their edges.
_EDGE = "baseModels IS NOT NULL AND len(baseModels.models) > 0"
_DERIVATIVE_TABLES = (
    f"""CREATE TEMP TABLE bases AS SELECT DISTINCT baseModels.models[1].id AS base FROM models WHERE {_EDGE}""",
    f"""CREATE TEMP TABLE base_rows AS
        SELECT id, CASE WHEN {_EDGE} THEN baseModels.models[1].id END AS base, CAST(createdAt AS DATE) AS day
        FROM models WHERE id IN (SELECT base FROM bases)""",
    """CREATE TEMP TABLE family AS WITH RECURSIVE
        walk(start, node, step) AS (
            SELECT base, base, 0 FROM bases
            UNION ALL
            SELECT walk.start, e.base, walk.step + 1 FROM walk JOIN base_rows AS e ON e.id = walk.node
            WHERE e.base IS NOT NULL AND walk.step < $max_chain - 1),
        family AS (SELECT start AS base, arg_max(node, step) AS root FROM walk GROUP BY start)
        SELECT base, root, dense_rank() OVER (ORDER BY root)::INTEGER AS root_key FROM family""",
    """CREATE TEMP TABLE roots AS
        SELECT DISTINCT f.root_key, f.root, COALESCE(o.origin, 'Unknown') AS origin
        FROM family AS f LEFT JOIN origins AS o ON o.author = split_part(f.root, '/', 1)""",
    """CREATE TEMP TABLE root_rows AS SELECT r.root_key, b.day FROM base_rows AS b JOIN roots AS r ON r.root = b.id""",
    f"""CREATE TEMP TABLE derivative_days AS
        SELECT f.root_key, COALESCE(m.baseModels.relation, 'unspecified') AS relation,
               CAST(m.createdAt AS DATE) AS day, count(*) AS n
        FROM models AS m JOIN family AS f ON f.base = m.baseModels.models[1].id WHERE m.{_EDGE} GROUP BY ALL""",
)
DERIVATIVE_QUERIES = ("derivatives_by_base", "derivative_share_by_month", "derivative_timeline")

SQL = {
    # rank by likes or downloads within each capture date; ties broken by id
    "ranking": f"""
        WITH {_TOP}
        SELECT date, rank, id AS model, author, origin, likes, downloads AS downloads_30d, createdAt AS created_at
        FROM top ORDER BY date, rank""",
    # downloads by origin over the top_n models by downloads of each date
    "downloads_by_origin_top": f"""
        WITH {_TOP}
        SELECT date, origin, count(*) AS n_models, sum(downloads)::BIGINT AS downloads_30d,
               sum(downloads) / sum(sum(downloads)) OVER (PARTITION BY date) AS share
        FROM top GROUP BY date, origin ORDER BY date, origin""",
    # how much of the top_n by likes or downloads of each date comes from authors with an origin label
    # (unlabelled: no row in the origins table) and with a known origin (Unknown: unlabelled, or labelled Unknown)
    "label_coverage": f"""
        WITH {_TOP}
        SELECT date, count(*) AS n_models, count(DISTINCT author) AS n_authors,
               count(DISTINCT author) FILTER (WHERE NOT labelled) AS n_unlabelled_authors,
               count(*) FILTER (WHERE NOT labelled) AS n_unlabelled_models,
               COALESCE(sum(score) FILTER (WHERE labelled), 0) / sum(score) AS labelled_share,
               count(DISTINCT author) FILTER (WHERE origin = 'Unknown') AS n_unknown_authors,
               count(*) FILTER (WHERE origin = 'Unknown') AS n_unknown_models,
               COALESCE(sum(score) FILTER (WHERE origin <> 'Unknown'), 0) / sum(score) AS known_share,
               COALESCE(list_sort(list(DISTINCT author) FILTER (WHERE labelled AND origin = 'Unknown')),
                        CAST([] AS VARCHAR[])) AS labelled_unknown_authors
        FROM top GROUP BY date ORDER BY date""",
    # downloads by origin over every model of each date
    # (summed per author first: the join with the origins then sees authors, not models)
    "downloads_by_origin": """
        WITH per_author AS (SELECT date, author, count(*) AS n, sum(downloads) AS downloads
                            FROM models GROUP BY date, author),
        m AS (SELECT p.date, p.n, p.downloads, COALESCE(o.origin, 'Unknown') AS origin
              FROM per_author AS p LEFT JOIN origins AS o ON o.author = p.author)
        SELECT date, origin, sum(n)::BIGINT AS n_models, sum(downloads)::BIGINT AS downloads_30d,
               sum(downloads) / sum(sum(downloads)) OVER (PARTITION BY date) AS share
        FROM m GROUP BY date, origin ORDER BY date, origin""",
    # models by creation month and origin (rows of one capture date, or the whole table when date is NULL)
    "models_by_creation": """
        WITH months AS (
            SELECT author, date_trunc('month', createdAt) AS month, count(*) AS n FROM models
            WHERE CAST($date AS TIMESTAMP) IS NULL OR date = $date GROUP BY author, month)
        SELECT strftime(month, '%Y-%m') AS created_month, COALESCE(o.origin, 'Unknown') AS origin,
               sum(n)::BIGINT AS n_models
        FROM months LEFT JOIN origins AS o ON o.author = months.author
        GROUP BY created_month, COALESCE(o.origin, 'Unknown') ORDER BY created_month, origin""",
    "derivatives_by_base": """
        SELECT r.root, r.origin, d.relation, sum(d.n)::BIGINT AS n
        FROM derivative_days AS d JOIN roots AS r USING (root_key)
        GROUP BY r.root, r.origin, d.relation ORDER BY root, relation""",
    # share of each month's new derivatives by the origin of their family root
    "derivative_share_by_month": """
        WITH monthly AS (SELECT date_trunc('month', d.day) AS m, r.origin, sum(d.n)::BIGINT AS n
                         FROM derivative_days AS d JOIN roots AS r USING (root_key) GROUP BY m, r.origin)
        SELECT strftime(m, '%Y-%m') AS month, origin, n, n / sum(n) OVER (PARTITION BY m) AS share
        FROM monthly ORDER BY month, origin""",
    # cumulative derivatives of each root by whole days (calendar-day boundaries) since the root's own creation
    # (root keys follow the roots' order, so ordering by key orders by root)
    "derivative_timeline": """
        WITH chosen AS (SELECT root_key, root FROM roots
                        WHERE CAST($roots AS VARCHAR[]) IS NULL OR list_contains($roots, root)),
        per_day AS (
            SELECT d.root_key, date_diff('day', r.day, d.day) AS days_since_release, sum(d.n) AS n
            FROM derivative_days AS d JOIN root_rows AS r ON r.root_key = d.root_key
            WHERE d.root_key IN (SELECT root_key FROM chosen)
            GROUP BY d.root_key, days_since_release),
        cumulative AS (
            SELECT root_key, days_since_release,
                   sum(n) OVER (PARTITION BY root_key ORDER BY days_since_release)::BIGINT AS cumulative_derivatives
            FROM per_day)
        SELECT c.root, days_since_release, cumulative_derivatives
        FROM cumulative JOIN chosen AS c USING (root_key) ORDER BY root_key, days_since_release""",
}


def connect(
    models: Models, origins: pd.DataFrame | None = None, *, threads: int = 2, memory_limit: str = "1GB"
) -> duckdb.DuckDBPyConnection:
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
        raise ParameterError(
            f"models must be a parquet path, a pyarrow Table or a pandas DataFrame, got {type(models).__name__}."
        )
    columns = [row[0] for row in con.execute("DESCRIBE src").fetchall()]
    missing = [c for c in NEEDED if c not in columns]
    if missing:
        raise DataError(
            f"models table: missing column(s) {', '.join(missing)}; the Hub ModelInfo schema needs "
            f"{', '.join(NEEDED)}. Fix: pass a table of that schema (e.g. hub-stats models.parquet)."
        )
    extra = []
    if "date" not in columns:
        extra.append("CAST(NULL AS TIMESTAMP) AS date")
    if "baseModels" not in columns:
        extra.append(f"CAST(NULL AS {BASE_TYPE}) AS baseModels")
    created = "CAST(createdAt AS TIMESTAMP) AS createdAt"  # UTC wall time from a timestamp, tz-aware or ISO text
    con.execute(f"CREATE VIEW models AS SELECT * REPLACE ({created}){''.join(', ' + e for e in extra)} FROM src")
    table = origins if origins is not None else pd.DataFrame({"author": [], "origin": []})
    if not {"author", "origin"} <= set(table.columns):
        raise DataError("origins table: needs columns author and origin (see loaders.atom.author_origins).")
    twice = sorted(table.loc[table["author"].duplicated(), "author"].unique())
    if twice:  # one label per author, or the join would count a model once per label
        raise DataError(
            f"origins table: author(s) listed more than once: {', '.join(twice[:10])}. "
            "Fix: build it with loaders.atom.author_origins, which keeps ATOM's label first."
        )
    con.register("origins", table[["author", "origin"]].astype({"author": "string", "origin": "string"}))
    return con


def _derivative_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Build `derivative_days` and `root_rows` on this connection, once (its views never change)."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'derivative_days'"
    ).fetchone()[0]
    if not exists:
        for statement in _DERIVATIVE_TABLES:
            con.execute(statement, {"max_chain": MAX_CHAIN} if "$max_chain" in statement else {})


def _query(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> pd.DataFrame:
    if name in DERIVATIVE_QUERIES:
        _derivative_tables(con)
    return con.execute(SQL[name], params).df()


def _run(name: str, models, origins: pd.DataFrame | None, params: dict, **options) -> pd.DataFrame:
    if isinstance(models, duckdb.DuckDBPyConnection):  # opened by `connect`: its views already hold the origins
        if origins is not None or options:
            raise ParameterError("pass origins and connection options to hubquery.connect, not with a connection.")
        return _query(models, name, params)
    con = connect(models, origins, **options)
    try:
        return _query(con, name, params)
    finally:
        con.close()


def ranking(
    models: Models, origins: pd.DataFrame | None = None, *, metric: str = "likes", top_n: int = 20, **options
) -> pd.DataFrame:
    """The top_n models by `metric` on each capture date.

    Columns: date, rank, model, author, origin, likes, downloads_30d, created_at.
    """
    if metric not in METRICS:
        raise ParameterError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}.")
    if int(top_n) < 1:
        raise ParameterError(f"top_n must be a positive whole number, got {top_n!r}.")
    return _run("ranking", models, origins, {"metric": metric, "top_n": int(top_n)}, **options)


def downloads_by_origin(
    models: Models, origins: pd.DataFrame | None = None, *, top_n: int | None = None, **options
) -> pd.DataFrame:
    """Per date and origin: n_models, downloads_30d and share of the top_n by downloads (None: every model)."""
    if top_n is None:
        return _run("downloads_by_origin", models, origins, {}, **options)
    if int(top_n) < 1:
        raise ParameterError(f"top_n must be a positive whole number or None, got {top_n!r}.")
    return _run("downloads_by_origin_top", models, origins, {"metric": "downloads", "top_n": int(top_n)}, **options)


def label_coverage(
    models: Models, origins: pd.DataFrame | None = None, *, metric: str = "downloads", top_n: int = 300, **options
) -> pd.DataFrame:
    """Per date, of the top_n by `metric`: n_models, n_authors; n_unlabelled_authors, n_unlabelled_models and
    labelled_share (authors the origins table has no row for, and the share of the metric held by those it has);
    n_unknown_authors, n_unknown_models and known_share (origin Unknown: unlabelled or labelled Unknown, as
    `downloads_by_origin` counts it; the share held by the rest); labelled_unknown_authors (labelled Unknown)."""
    if metric not in METRICS:
        raise ParameterError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}.")
    if int(top_n) < 1:
        raise ParameterError(f"top_n must be a positive whole number, got {top_n!r}.")
    return _run("label_coverage", models, origins, {"metric": metric, "top_n": int(top_n)}, **options)


def models_by_creation(models: Models, origins: pd.DataFrame | None = None, *, date=None, **options) -> pd.DataFrame:
    """created_month ('YYYY-MM'), origin, n_models (rows: one per model) of one capture date (None: every row)."""
    return _run(
        "models_by_creation", models, origins, {"date": None if date is None else pd.Timestamp(date)}, **options
    )


def derivatives_by_base(models: Models, origins: pd.DataFrame | None = None, **options) -> pd.DataFrame:
    """root, origin (of the root's author), relation, n: derivative models per family root and relation."""
    return _run("derivatives_by_base", models, origins, {}, **options)


def derivative_share_by_month(models: Models, origins: pd.DataFrame | None = None, **options) -> pd.DataFrame:
    """month, origin, n, share: new derivatives per creation month by the origin of their family root."""
    return _run("derivative_share_by_month", models, origins, {}, **options)


def derivative_timeline(models: Models, origins: pd.DataFrame | None = None, *, roots=None, **options) -> pd.DataFrame:
    """root, days_since_release, cumulative_derivatives (roots present in the table; `roots` limits them)."""
    return _run(
        "derivative_timeline",
        models,
        origins,
        {"roots": None if roots is None else [str(r) for r in roots]},
        **options,
    )
