"""The one root of every expected failure, so the command line can report it without a traceback.

`OpenTrendsError` is a failure of the work asked for (damaged data, a notebook that failed,
a label nobody classified): the CLI prints its message and exits 1. `UsageError` is a request
that cannot be understood (an unknown source, parameter or notebook; a malformed option):
the CLI exits 2. Every message names the file or value, what was expected, and the fix.
"""

from __future__ import annotations


class OpenTrendsError(Exception):
    """An expected failure; its message is meant for the user as it stands."""

    exit_code = 1


class UsageError(OpenTrendsError):
    """The request itself is wrong (unknown name, malformed option); nothing was attempted."""

    exit_code = 2


class ParameterError(UsageError, ValueError):
    """A notebook or function parameter outside its valid values; the message lists them."""


class DataError(OpenTrendsError, ValueError):
    """Data that does not have the shape the code needs (a missing key column, say)."""
