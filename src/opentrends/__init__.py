"""OpenTrends: open-weights vs closed AI model releases, measured reproducibly.

Data flow: snapshot (sha256-pinned) -> catalog (tidy rows) -> metrics (pure functions)
-> notebook (narrative + figures) -> outputs (figures/<id>.*, gallery).
"""

__version__ = "0.1.0"
