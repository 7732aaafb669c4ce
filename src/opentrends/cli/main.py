"""The `opentrends` command.

  opentrends sources                         registered sources and their snapshots
  opentrends fetch [SOURCE[@DATE] ...]       resolve snapshots to verified local files
  opentrends verify                          check every pinned file (exit 0 only if all match)
  opentrends update SOURCE [--date D] [--revision SHA]
                                             take a new dated snapshot from upstream and show what changed
  opentrends snapshot push SOURCE@DATE --repo-id ORG/NAME
                                             upload a snapshot to a Hub dataset repo and pin its revision
  opentrends run [NOTEBOOK ...] [-p k=v] [--params FILE] [--jobs N] [--force]
                                             execute notebooks with papermill (incremental)
  opentrends params NOTEBOOK                 each parameter of a notebook: default, type, valid values
  opentrends diff RUN                        what moved in a variant run's figure data against the default run
  opentrends gallery                         rebuild figures/index.html from the figure sidecars
  opentrends report                          rebuild report/index.html: findings first, notebooks, sources
  opentrends claims [ID ...] [--format text|markdown|json] [--write]
                                             the claims ledger: verdicts computed from pinned data
  opentrends review [--only CHECK]           verify, nbval, re-render and compare figures, recheck claims
  opentrends --version                       the package version and the newest pinned snapshot's date

Benchmarks are not part of the command: `make bench` runs `python -m benchmarks all`.
Imports of heavy libraries happen inside the commands so that a no-op rebuild stays fast.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from opentrends.core import paths
from opentrends.core.errors import UsageError


def _upstream_kind(snap) -> str:
    """How a snapshot's bytes can be had forever: raw URLs at a commit, a Hub revision, or not yet."""
    if snap.awaiting_push:
        return "awaiting push"
    kinds = []
    if any(f.url for f in snap.files):
        kinds.append("commit url")
    if snap.hub:
        kinds.append("hub revision")
    return " + ".join(kinds) or "-"


def cmd_sources(args: argparse.Namespace) -> int:
    from opentrends.registry.sources import load_registry

    rows = []
    for source in load_registry().values():
        capture = source.capture.kind if source.capture else "-"
        if not source.snapshots:
            rows.append([source.id, "none pinned", "0", "-", capture, source.license.name, "-"])
        for snap in source.snapshots:
            rows.append(
                [
                    source.id,
                    snap.date,
                    str(len(snap.files)),
                    _upstream_kind(snap),
                    capture,
                    source.license.name,
                    snap.hub.repo_id if snap.hub else "-",
                ]
            )
    from opentrends.run.console import format_table

    print(format_table(rows, ["source", "snapshot", "files", "upstream", "capture", "license", "hub"]))
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from opentrends.data.snapshots import fetch
    from opentrends.registry.sources import load_registry

    registry = load_registry()
    if args.refs:
        refs = args.refs
    else:
        refs = [s.ref for src in registry.values() for s in src.snapshots]
        for src in registry.values():
            if not src.snapshots:
                print(f"{src.id}: none pinned (take a snapshot with `opentrends update {src.id}`)")
    for ref in refs:
        report = fetch(ref, registry)
        for path, local in report.files.items():
            print(f"{report.ref}/{path}: ok ({report.origins[path]}) -> {paths.relative_to_root(local)}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from opentrends.data.members import verify_with_members
    from opentrends.data.snapshots import mirror_problem
    from opentrends.registry.sources import load_registry

    registry = load_registry()
    problem = mirror_problem()
    missing_mirror = problem if problem and problem.startswith("mirror folder") else None
    if missing_mirror:  # said once here, not once per file below
        print(f"note: {missing_mirror} (OPENTRENDS_MIRROR; a relative path is taken from the project root)")
    for src in registry.values():
        if not src.snapshots:
            print(f"NONE {src.id}: none pinned, nothing to verify (take one with `opentrends update {src.id}`)")
    lines = verify_with_members(registry)  # each zip's pinned members follow the zip's own line
    for line in lines:
        detail = (
            line.detail.replace(missing_mirror, "folder missing (see the note above)")
            if missing_mirror
            else line.detail
        )
        print(f"{'OK  ' if line.ok else 'FAIL'} {line.ref}/{line.path}: {detail}")
    failed = [line for line in lines if not line.ok]
    for fix in dict.fromkeys(line.fix for line in failed if line.fix):  # each distinct fix once, in order
        print(fix)
    members = [line for line in lines if line.member]
    if members:
        print(f"{sum(m.ok for m in members)} of {len(members)} zip members match their sha256 pins")
    files = [line for line in lines if not line.member]
    print(f"{sum(f.ok for f in files)} of {len(files)} files match their sha256 pins")
    return 1 if failed else 0


def cmd_update(args: argparse.Namespace) -> int:
    from opentrends.capture.update import update

    report = update(args.source, date=args.date, revision=args.revision)
    print(f"{report.ref} (previous: {report.previous or 'none'})")
    for change in report.file_changes:
        against = f" (compared with {change.baseline})" if change.baseline and change.kind != "removed" else ""
        print(f"  {change.path}: {change.kind}{against}")
        for line in report.schema_changes[change.path].lines() if change.path in report.schema_changes else []:
            print(f"    {line}")
        if change.path in report.table_changes:
            for line in report.table_changes[change.path].lines():
                print(f"    {line}")
    if report.pinned:
        print(f"pinned {report.ref} in the registry; commit {paths.relative_to_root(report.registry_file)}")
        if report.awaiting_push:
            print(
                f"not durable yet: its URLs move, so push it before committing: "
                f"`opentrends snapshot push {report.ref} --repo-id ORG/NAME`"
            )
    else:
        print(f"no file changed since {report.previous}; nothing pinned")
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from opentrends.capture.update import push
    from opentrends.registry.sources import get_source

    snap = push(args.ref, args.repo_id)
    registry_file = get_source(snap.source_id).registry_file
    print(
        f"pushed {snap.ref} to {snap.hub.repo_id}@{snap.hub.revision}; pinned in the registry; "
        f"commit {paths.relative_to_root(registry_file)}"
    )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run the notebooks, printing progress as it happens and the summary table; exit 1 when one failed."""
    from opentrends.run import runner
    from opentrends.run.console import outputs_place, run_summary
    from opentrends.run.params import parse_assignments

    def report(line: str, error: bool = False) -> None:
        print(line, file=sys.stderr if error else sys.stdout, flush=True)

    # SIGTERM (a `kill`, a CI timeout) stops the run as Ctrl-C does: kernels shut down, build/staging/ removed.
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        plan, outcomes = runner.run(
            notebooks=args.notebooks,
            overrides=parse_assignments(args.param),
            params_file=args.params,
            jobs=args.jobs,
            force=args.force,
            name=args.name,
            report=report,
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(run_summary(plan.name, outcomes, outputs_place(plan.notebooks_out, plan.figures_out)))
    return 1 if any(o.status not in ("done", "skipped") for o in outcomes) else 0


class Terminated(KeyboardInterrupt):
    """SIGTERM during a run: handled as Ctrl-C is, with exit status 143 (128 + SIGTERM)."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def cmd_params(args: argparse.Namespace) -> int:
    """List a notebook's parameters: default, type and valid values (from `run.param_spec`, as the checks use)."""
    from opentrends.run import param_spec
    from opentrends.run import params as runparams
    from opentrends.run.console import format_table

    path = runparams.discover([args.notebook])[0]
    rows = param_spec.describe(path.stem, runparams.declared_parameters(path))
    print(f"{path.stem}: override with -p NAME=VALUE (values are Python/YAML literals) or a --params file")
    print(format_table(rows, ["parameter", "default", "type", "valid values"]))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Compare a variant run's figure data and captions with the default run's; print what moved."""
    from opentrends.cli import diff

    print(diff.report(args.run, limit=args.limit))
    return 0


def _base_url(args: argparse.Namespace) -> None:
    """`--base-url URL` is `OPENTRENDS_BASE_URL` for this command: every link, snippet and og:image absolute."""
    if getattr(args, "base_url", None):
        os.environ["OPENTRENDS_BASE_URL"] = args.base_url


def cmd_page(args: argparse.Namespace) -> int:
    """`opentrends gallery|report|contact-sheet`: rebuild that page (module `publish.<args.page>`) from the figures."""
    import importlib

    _base_url(args)
    target = importlib.import_module(f"opentrends.publish.{args.page}").build()
    print(f"wrote {paths.relative_to_root(target)}")
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    """Evaluate the claims ledger; print it, or write the committed ledger files with --write."""
    from opentrends.claims import ledger as claims
    from opentrends.cli import review
    from opentrends.core.atomic import write_text_atomic

    ledger = claims.evaluate(args.ids or None)
    rendered = {"json": claims.to_json, "markdown": claims.to_markdown, "text": claims.to_text}[args.format](ledger)
    if args.write:
        if args.ids:
            raise UsageError("--write records the whole ledger; drop the claim ids.")
        target = review.ledger_path()
        write_text_atomic(target, claims.to_json(ledger))
        write_text_atomic(target.with_suffix(".md"), claims.to_markdown(ledger))
        print(f"wrote {paths.relative_to_root(target)} and {paths.relative_to_root(target.with_suffix('.md'))}")
        return 0
    sys.stdout.write(rendered)
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Every reviewer check with a one-page report; exit 1 when any failed."""
    from opentrends.cli import review

    checks = review.run(args.only or None, progress=lambda line: print(line, flush=True))
    print(review.report(checks))
    return 0 if all(c.ok for c in checks) else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="opentrends", description=__doc__.split("\n\n")[0])
    from opentrends.cli.version import Version  # light: the registry is read only when --version is given

    parser.add_argument("--version", action=Version, help="print the package version and the newest snapshot's date")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("sources", help="list registered sources and snapshots").set_defaults(func=cmd_sources)

    p = sub.add_parser("fetch", help="resolve snapshots to verified local files")
    p.add_argument("refs", nargs="*", metavar="SOURCE[@DATE]", help="default: every registered snapshot")
    p.set_defaults(func=cmd_fetch)

    sub.add_parser("verify", help="check every pinned file").set_defaults(func=cmd_verify)

    p = sub.add_parser("update", help="take a new dated snapshot from upstream (needs network)")
    p.add_argument("source")
    p.add_argument(
        "--date",
        help="snapshot date YYYY-MM-DD (default: today, UTC); a hub-dataset snapshot is dated by its "
        "revision's commit (UTC), and a --date that disagrees is refused",
    )
    p.add_argument(
        "--revision",
        metavar="SHA",
        help="hub-dataset sources only: pin this 40-hex commit of the Hub repo (default: its current revision)",
    )
    p.set_defaults(func=cmd_update)

    snap = sub.add_parser("snapshot", help="snapshot maintenance").add_subparsers(dest="action", required=True)
    p = snap.add_parser("push", help="upload a snapshot to a Hub dataset repo (needs network and HF_TOKEN)")
    p.add_argument("ref", metavar="SOURCE@DATE")
    p.add_argument("--repo-id", required=True, metavar="ORG/NAME")
    p.set_defaults(func=cmd_push)

    p = sub.add_parser(
        "run",
        help="execute notebooks with papermill",
        description="Execute notebooks with papermill (incremental: a notebook reruns when an input or one of its "
        "recorded outputs changed). One run at a time per clone.",
    )
    p.add_argument("notebooks", nargs="*", help="notebook names (default: all in notebooks/)")
    p.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--params", metavar="FILE", help="YAML file of parameters (a variant run)")
    p.add_argument(
        "--name",
        help="variant name for build/runs/<name>/ (default: from the parameters, plus a digest of their values)",
    )
    p.add_argument(
        "--jobs", type=int, default=None, help="parallel kernels (default: number of cores; 1: one notebook at a time)"
    )
    p.add_argument("--force", action="store_true", help="run every selected notebook, changed or not")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("params", help="list a notebook's parameters: default, type and valid values")
    p.add_argument("notebook", metavar="NOTEBOOK", help="a notebook name, e.g. 02_us_vs_china")
    p.set_defaults(func=cmd_params)

    p = sub.add_parser("diff", help="what moved in a variant run's figure data and captions against the default run")
    p.add_argument(
        "run", metavar="RUN", help="a variant run: a folder of build/runs/, or its readable part before the digest"
    )
    p.add_argument("--limit", type=int, default=10, help="changed rows shown per figure (default 10)")
    p.set_defaults(func=cmd_diff)

    base_help = "where the project root is served (default: $OPENTRENDS_BASE_URL; unset: relative links)"
    gallery_parser = sub.add_parser("gallery", help="rebuild figures/index.html")
    gallery_parser.add_argument("--base-url", help=base_help)
    gallery_parser.set_defaults(func=cmd_page, page="gallery")
    report_parser = sub.add_parser(
        "report", help="rebuild report/index.html (the findings) and report/NN_*.html (one page per notebook)"
    )
    report_parser.add_argument("--base-url", help=base_help)
    report_parser.set_defaults(func=cmd_page, page="report")
    sub.add_parser(
        "contact-sheet", help="write build/contact-sheet.png: every figure at 600 px wide, as a web column shows it"
    ).set_defaults(func=cmd_page, page="contact_sheet")

    p = sub.add_parser("claims", help="the op-ed's claims with verdicts computed from pinned data")
    p.add_argument("ids", nargs="*", metavar="CLAIM_ID", help="default: every claim")
    p.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    p.add_argument("--write", action="store_true", help="write the committed ledger claims/ledger.{json,md}")
    p.set_defaults(func=cmd_claims)

    p = sub.add_parser("review", help="verify snapshots, nbval, re-render figures, recheck claims; one-page report")
    p.add_argument(
        "--only",
        action="append",
        choices=["snapshots", "nbval", "figures", "claims"],
        help="run only this check (repeatable)",
    )
    p.set_defaults(func=cmd_review)

    from opentrends.cli.hub import add_hub_parser  # light: the capture code is imported only when a hub command runs

    add_hub_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script.

    Every expected failure is an `OpenTrendsError`: its message is printed as `error: ...` and the
    exit code is 2 for a request that cannot be understood (`UsageError`) and 1 for work that failed.
    Anything else is a bug and keeps its traceback.
    """
    from opentrends.core.errors import OpenTrendsError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except OpenTrendsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        stopped = "terminated" if isinstance(exc, Terminated) else "interrupted"
        print(f"{stopped}; no partial files were left behind", file=sys.stderr)
        # What the interrupt cut short (papermill's event loop, a coroutine it never awaited) is garbage collected
        # after this line; its "Exception ignored" and "never awaited" noise would bury the message.
        import warnings

        warnings.filterwarnings("ignore", category=RuntimeWarning)
        sys.unraisablehook = lambda unraisable: None
        return 143 if isinstance(exc, Terminated) else 130


if __name__ == "__main__":
    sys.exit(main())
