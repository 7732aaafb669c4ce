"""The Epoch AI choices notebooks 01, 02 and 06 share, checked once: population, years, open definition, filters.

`epoch_choices` checks each value (a ParameterError names the parameter and its valid values) and
returns an `EpochChoices` whose `load` reads a snapshot and selects its rows, so a year range the data
cannot answer fails in the notebook's checks cell, naming the coverage the data have.
"""

from __future__ import annotations

from dataclasses import dataclass

from opentrends.catalog import selection, taxonomy
from opentrends.catalog.loaders import epoch as epoch_loader
from opentrends.catalog.tidy import Catalog
from opentrends.run import checks


@dataclass(frozen=True)
class EpochChoices:
    """Checked choices: the population and years of the headline, the open definition and the filters."""

    population: str
    start_year: int
    end_year: int
    open_definition: str
    released_only: bool
    domain: str | None
    min_training_compute: float | None
    hong_kong_macao_as_china: bool

    @property
    def filters(self) -> dict:
        """The keyword arguments of `catalog.selection.select` beyond the years."""
        return {
            "open_definition": self.open_definition,
            "released_only": self.released_only,
            "domain": self.domain,
            "min_training_compute": self.min_training_compute,
        }

    def load(
        self, name: str, snapshot: str, population: str | None = None, end_year: int | None = None, clip: bool = False
    ) -> tuple[Catalog, selection.Selection]:
        """Check the snapshot parameter `name`, load it (`population`, default the headline's) and select its rows
        in start_year..`end_year` (default the headline's); `clip` narrows the years to what the snapshot covers."""
        checks.snapshot(name, snapshot, epoch_loader.SOURCE_ID)
        loaded = selection.load_epoch(snapshot, population or self.population, self.hong_kong_macao_as_china)
        years = (self.start_year, self.end_year if end_year is None else end_year)
        if clip:
            years = selection.clip_years(loaded, *years)
        return loaded, selection.select(loaded, *years, **self.filters)

    def load_ecosystem(self, snapshot: str) -> tuple[Catalog, selection.Selection | None, list[str]]:
        """Ecosystem Graphs as a comparison catalogue: the catalog, its rows in the years it shares with the
        headline (None when it shares none) and the names of the choices that could not be applied to it."""
        checks.snapshot("ecosystem_snapshot", snapshot, "ecosystem-graphs")
        loaded = selection.load_ecosystem_graphs(snapshot, self.hong_kong_macao_as_china)
        # It has only the broad open definition and none of Epoch's filters; the text says which were not applied.
        applicable, skipped = selection.source_filters(loaded, **{**self.filters, "open_definition": "weights"})
        if self.open_definition != "weights":
            skipped.append(f"open_definition={self.open_definition!r}")
        years = selection.overlap_years(loaded, self.start_year, self.end_year)
        return loaded, (None if years is None else selection.select(loaded, *years, **applicable)), skipped


def epoch_choices(
    *,
    population: str,
    start_year: int,
    end_year: int,
    open_definition: str,
    released_only: bool,
    domain: str | None,
    min_training_compute: float | None,
    hong_kong_macao_as_china: bool,
) -> EpochChoices:
    """Check every shared choice; the first impossible one is a ParameterError naming it and its valid values."""
    checks.choice("population", population, list(epoch_loader.FILES))
    checks.choice("open_definition", open_definition, list(taxonomy.OPEN_DEFINITIONS))
    checks.boolean("released_only", released_only)
    checks.boolean("hong_kong_macao_as_china", hong_kong_macao_as_china)
    checks.choice("domain", domain, [None, *sorted(epoch_loader.DOMAINS)])
    checks.number("min_training_compute", min_training_compute, minimum=0, optional=True)
    checks.whole_number("start_year", start_year)
    checks.whole_number("end_year", end_year)
    return EpochChoices(
        population,
        start_year,
        end_year,
        open_definition,
        released_only,
        domain,
        min_training_compute,
        hong_kong_macao_as_china,
    )
