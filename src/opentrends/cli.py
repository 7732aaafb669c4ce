"""The `opentrends` command.

  opentrends sources                         registered sources and their snapshots
  opentrends fetch [SOURCE[@DATE] ...]       resolve snapshots to verified local files
  opentrends verify                          check every pinned file (exit 0 only if all match)
  opentrends update SOURCE [--date D]        take a new dated snapshot from upstream and show what changed
  opentrends snapshot push SOURCE@DATE --repo-id ORG/NAME
                                             upload a snapshot to a Hub dataset repo and pin its revision
  opentrends run [NOTEBOOK ...] [-p k=v] [--params FILE] [--jobs N] [--force]
                                             execute notebooks with papermill (incremental)
  opentrends gallery                         rebuild figures/index.html from the figure sidecars
  opentrends bench run                       time a cold build, a sequential nbconvert run and a no-op rebuild
  opentrends bench hub --rows N [--json]     hubquery aggregations on N synthetic Hub rows: DuckDB vs pandas

Imports of heavy libraries happen inside the commands so that a no-op rebuild stays fast.
"""

from __future__ import annotations

import argparse
import sys

from . import paths


def _print_table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())


def cmd_sources(args: argparse.Namespace) -> int:
    from .sources import load_registry

    rows = []
    for source in load_registry().values():
        for snap in source.snapshots:
            rows.append([source.id, snap.date, str(len(snap.files)), source.license.name,
                         snap.hub.repo_id if snap.hub else "-"])
    _print_table(rows, ["source", "snapshot", "files", "license", "hub"])
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from .snapshots import fetch
    from .sources import load_registry

    registry = load_registry()
    refs = args.refs or [s.ref for src in registry.values() for s in src.snapshots]
    for ref in refs:
        report = fetch(ref, registry)
        for path, local in report.files.items():
            print(f"{report.ref}/{path}: ok ({report.origins[path]}) -> {paths.relative_to_root(local)}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from .snapshots import verify

    lines = verify()
    for line in lines:
        print(f"{'OK  ' if line.ok else 'FAIL'} {line.ref}/{line.path}: {line.detail}")
    failed = sum(not line.ok for line in lines)
    print(f"{len(lines) - failed} of {len(lines)} files match their sha256 pins")
    return 1 if failed else 0


def cmd_update(args: argparse.Namespace) -> int:
    from .snapshots import update

    report = update(args.source, date=args.date)
    print(f"{report.ref} (previous: {report.previous or 'none'})")
    for path, kind in report.file_changes:
        print(f"  {path}: {kind}")
        if path in report.table_changes:
            for line in report.table_changes[path].lines():
                print(f"    {line}")
    if report.pinned:
        print(f"pinned {report.ref} in the registry; commit data/sources/{report.ref.split('@')[0]}.yaml")
    else:
        print(f"no file changed since {report.previous}; nothing pinned")
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from .snapshots import push

    snap = push(args.ref, args.repo_id)
    print(f"pushed {snap.ref} to {snap.hub.repo_id}@{snap.hub.revision}; pinned in the registry")
    return 0


def _parse_assignments(pairs: list[str]) -> dict:
    import yaml

    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise SystemExit(f"error: -p expects NAME=VALUE, got {pair!r}")
        params[key.strip()] = yaml.safe_load(value) if value.strip() else ""
    return params


def cmd_run(args: argparse.Namespace) -> int:
    from . import runner

    overrides = _parse_assignments(args.param)
    return runner.run_cli(
        notebooks=args.notebooks, overrides=overrides, params_file=args.params,
        jobs=args.jobs, force=args.force, name=args.name,
    )


def cmd_gallery(args: argparse.Namespace) -> int:
    from . import gallery

    target = gallery.build()
    print(f"wrote {paths.relative_to_root(target)}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.action == "hub":
        from . import hubbench

        return hubbench.main(rows=args.rows, as_json=args.json)
    from . import bench

    return bench.main(jobs=args.jobs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="opentrends", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("sources", help="list registered sources and snapshots").set_defaults(func=cmd_sources)

    p = sub.add_parser("fetch", help="resolve snapshots to verified local files")
    p.add_argument("refs", nargs="*", metavar="SOURCE[@DATE]", help="default: every registered snapshot")
    p.set_defaults(func=cmd_fetch)

    sub.add_parser("verify", help="check every pinned file").set_defaults(func=cmd_verify)

    p = sub.add_parser("update", help="take a new dated snapshot from upstream (needs network)")
    p.add_argument("source")
    p.add_argument("--date", help="snapshot date YYYY-MM-DD (default: today, UTC)")
    p.set_defaults(func=cmd_update)

    snap = sub.add_parser("snapshot", help="snapshot maintenance").add_subparsers(dest="action", required=True)
    p = snap.add_parser("push", help="upload a snapshot to a Hub dataset repo (needs network and HF_TOKEN)")
    p.add_argument("ref", metavar="SOURCE@DATE")
    p.add_argument("--repo-id", required=True, metavar="ORG/NAME")
    p.set_defaults(func=cmd_push)

    p = sub.add_parser("run", help="execute notebooks with papermill")
    p.add_argument("notebooks", nargs="*", help="notebook names (default: all in notebooks/)")
    p.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--params", metavar="FILE", help="YAML file of parameters (a variant run)")
    p.add_argument("--name", help="variant name for build/runs/<name>/ (default: from the parameters)")
    p.add_argument("--jobs", type=int, default=None, help="parallel kernels (default: number of cores)")
    p.add_argument("--force", action="store_true", help="ignore the incremental cache")
    p.set_defaults(func=cmd_run)

    sub.add_parser("gallery", help="rebuild figures/index.html").set_defaults(func=cmd_gallery)

    p = sub.add_parser("bench", help="benchmarks")
    p.add_argument("action", choices=["run", "hub"], help="run: notebook builds; hub: hubquery DuckDB vs pandas")
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--rows", type=int, default=2_000_000, help="bench hub: rows of the synthetic models table")
    p.add_argument("--json", action="store_true", help="bench hub: print only the JSON report")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script.

    Every expected failure is an `OpenTrendsError`: its message is printed as `error: ...` and the
    exit code is 2 for a request that cannot be understood (`UsageError`) and 1 for work that failed.
    Anything else is a bug and keeps its traceback.
    """
    from .errors import OpenTrendsError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except OpenTrendsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; no partial files were left behind", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
