"""`opentrends --version`: the package version and the date of the data's newest pinned snapshot."""

from __future__ import annotations

import argparse
import sys

from opentrends.core import paths


def version_line() -> str:
    """`opentrends --version`: the package version and the date of the newest snapshot the registry pins."""
    from importlib.metadata import PackageNotFoundError, version

    from opentrends import __version__
    from opentrends.registry.sources import newest_snapshots

    try:
        package = version("opentrends")
    except PackageNotFoundError:  # run from a source tree that was never installed
        package = __version__
    newest = newest_snapshots()
    if not newest:
        return f"opentrends {package}; data: no snapshot pinned in {paths.relative_to_root(paths.registry_dir())}"
    sources = ", ".join(snap.source_id for snap in newest)
    return f"opentrends {package}; data: newest pinned snapshot {newest[0].date} ({sources})"


class Version(argparse.Action):
    """`--version` without a command; a registry that cannot be read is an `error:` line (exit 1), not a traceback."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):  # noqa: A002
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from opentrends.core.errors import OpenTrendsError

        try:
            line = version_line()
        except OpenTrendsError as exc:
            parser.exit(exc.exit_code, f"error: {exc}\n")  # to stderr, as main() prints errors
        sys.stdout.write(line + "\n")
        parser.exit(0)
