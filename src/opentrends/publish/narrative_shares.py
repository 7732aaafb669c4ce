"""The sentences about the open-weights share by year: headline paragraph, access mix, notable models, catalogues.

The wording is in templates (`templates/notebooks/01_open_vs_closed/`, `templates/captions/`); each function here
computes the facts its sentences state from computed tables (`metrics.yearly_shares` and friends) and fills the
template (`core.wording.render`); nothing is read or drawn here. Figure texts come back as a dict of `title`,
`caption` and `alt_text` to pass to `figures.save`. A missing number is written "n/a" (`core.text`), never "nan".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import pandas as pd

from opentrends.core import text, wording

NOTEBOOK = "notebooks/01_open_vs_closed/"


@dataclass(frozen=True)
class Setting:
    """What a headline series is: snapshot, population, years, open definition and the last date of its data."""

    snapshot: str
    population: str
    start_year: int
    end_year: int
    open_definition: str
    data_end: str

    @classmethod
    def of(cls, selection) -> Setting:
        """The setting of a `catalog.selection.Selection` (its filters and its coverage)."""
        filters, coverage = selection.filters, selection.coverage
        return cls(
            coverage.ref,
            coverage.population,
            filters["start_year"],
            filters["end_year"],
            filters["open_definition"],
            coverage.last,
        )

    def complete(self) -> Setting:
        """This setting ending at its last complete year (the year before `data_end`'s unless that is 31 December):
        the sentences comparing years use it; a partial year is set only beside the same months of earlier years."""
        end = pd.Timestamp(self.data_end)
        last_complete = end.year if (end.month, end.day) == (12, 31) else end.year - 1
        return replace(self, end_year=max(self.start_year, min(self.end_year, last_complete)))

    def year(self, value) -> str:
        """A year of this series for a sentence, flagged when the data cover it only in part."""
        return text.year(value, self.data_end)


def _say(name: str, **facts) -> str:
    return wording.render(NOTEBOOK + name + ".md", **facts)


def _figure(figure: str, **facts) -> dict[str, str]:
    """Title, caption and alt text of `figure` from its three templates in `templates/captions/`."""
    return {key: wording.render(f"captions/{figure}.{kind}.txt", **facts)
            for key, kind in (("title", "title"), ("caption", "caption"), ("alt_text", "alt"))}  # fmt: skip


def _partial_years(yearly: pd.DataFrame) -> list:
    return yearly.loc[yearly["partial_year"], "year"].tolist()


def partial_note(yearly: pd.DataFrame, data_end: str) -> str:
    """' 2026 is partial (the data end 2026-02-19) and flagged in the CSV.' or '' when no year is partial."""
    return _say("_partial", partial_years=_partial_years(yearly), data_end=data_end)


def _labelled(yearly: pd.DataFrame) -> list[dict]:
    """The years with at least one labelled model, as rows (itertuples keeps each column's own type)."""
    return [row._asdict() for row in yearly[yearly["n_known"] > 0].itertuples()]


def _highest(rows: list[dict]) -> dict:
    return max(rows, key=lambda row: row["open_share"])  # the first of equal highs, as idxmax


def peak_facts(yearly: pd.DataFrame) -> dict:
    """The year with the highest open share (`peak`, a row; None when no year is labelled) and, when that year is
    partial, the highest complete year (`best`, else None)."""
    labelled = _labelled(yearly)
    peak = _highest(labelled) if labelled else None
    full = [row for row in labelled if not row["partial_year"]]
    best = _highest(full) if peak is not None and peak["partial_year"] and full else None
    return {"peak": peak, "best": best}


def peak_text(yearly: pd.DataFrame, data_end: str) -> str:
    """The year with the highest open share, with its counts; when that year is partial, also the highest
    complete year."""
    return _say("_peak", **peak_facts(yearly), data_end=data_end)


def _unknown(yearly: pd.DataFrame) -> tuple[int, int]:
    n_total = int(yearly["n_total"].sum())
    return n_total, int(n_total - yearly["n_known"].sum())


def open_share_facts(yearly: pd.DataFrame, setting: Setting) -> dict:
    """The headline's facts: the setting, dated and unlabelled counts, the first and last labelled years (rows of
    `yearly`, None when no year is labelled), the peak and the partial years."""
    n_total, n_unknown = _unknown(yearly)
    labelled = _labelled(yearly)
    complete = [row for row in labelled if not row["partial_year"]]  # a partial year is compared year to date only
    complete = complete if len(complete) > 1 else labelled
    return {
        **asdict(setting), "n_total": n_total, "n_unknown": n_unknown,
        "unknown_share": n_unknown / n_total if n_total else None, "n_labelled": len(labelled),
        "first": labelled[0] if labelled else None, "last": complete[-1] if complete else None,
        **peak_facts(yearly), "partial_years": _partial_years(yearly),
    }  # fmt: skip


def open_share_paragraph(yearly: pd.DataFrame, setting: Setting, n_notable: int, notable: Setting) -> str:
    """The headline: the open share from the first to the last labelled year, its interval and unlabelled bounds,
    the peak, partial years; then which population and why (`n_notable` notable models in `notable`'s years)."""
    return _say("open_share", **open_share_facts(yearly, setting), n_notable=n_notable,
                notable_start=notable.start_year, notable_end=notable.end_year)  # fmt: skip


def open_share_figure(yearly: pd.DataFrame, setting: Setting) -> dict[str, str]:
    """Title, caption and alt text of `open-share-by-year`."""
    return _figure("open-share-by-year", **open_share_facts(yearly, setting))


def access_mix_facts(wide: pd.DataFrame, setting: Setting) -> dict:
    """The Unreleased share in the first and last year and the API share in the last (`wide`: year x label)."""
    s = setting
    return {
        **asdict(s), "first_unreleased": wide.loc[s.start_year, "Unreleased"],
        "last_unreleased": wide.loc[s.end_year, "Unreleased"], "last_api": wide.loc[s.end_year, "API access"],
    }  # fmt: skip


def access_mix_text(wide: pd.DataFrame, setting: Setting, partial: str) -> tuple[str, dict[str, str]]:
    """The sentence on Unreleased and API access (`wide`: year x access label shares) and the texts of
    `access-mix-by-year`; `partial` is `partial_note` of the headline series."""
    facts = access_mix_facts(wide, setting)
    return _say("access_mix", **facts), _figure("access-mix-by-year", **facts, partial=partial)


def notable_facts(table: pd.DataFrame, setting: Setting, notes: dict[str, int]) -> dict:
    """The newest notable year (`latest`, the last row of `table`), the partial years and what loading counted."""
    return {
        **asdict(setting), "n_models": notes["models"], "n_undated": notes["models without a publication date"],
        "partial_years": _partial_years(table), "latest": next(table.tail(1).itertuples())._asdict(),
    }  # fmt: skip


def notable_text(table: pd.DataFrame, setting: Setting, notes: dict[str, int]) -> tuple[str, dict[str, str]]:
    """The paragraph on the newest notable models (`table`: their `yearly_shares`; `notes`: what loading counted)
    and the texts of `open-share-by-year-notable`."""
    facts = notable_facts(table, setting, notes)
    return _say("notable", **facts), _figure("open-share-by-year-notable", **facts)


def catalogue_facts(by_source: pd.DataFrame, overlap: pd.DataFrame, steps: pd.DataFrame, setting: Setting) -> dict:
    """How the catalogues agree: the years all of them cover (`overlap_years`) and the spread of their shares,
    Ecosystem Graphs' mean distance from Epoch (None when it is not compared), agreeing year-to-year steps."""
    s = setting
    spread = overlap["spread"]
    epoch = f"Epoch AI ({s.population})"
    compared = "Ecosystem Graphs" in overlap and len(overlap)
    return {
        **asdict(s), "three": by_source["source"].nunique() == 3, "n_overlap": len(overlap),
        "overlap_years": list(overlap.index), "spread_max": spread.max(), "spread_median": spread.median(),
        "ecosystem_above": (overlap["Ecosystem Graphs"] - overlap[epoch]).mean() if compared else None,
        "agree": int(steps["agree"].sum()), "n_steps": len(steps),
    }  # fmt: skip


def catalogue_text(
    by_source: pd.DataFrame,
    overlap: pd.DataFrame,
    steps: pd.DataFrame,
    setting: Setting,
    *,
    min_known: int,
    ecosystem_snapshot: str,
    ecosystem_left_out: str | None,
    skipped: list[str],
) -> tuple[str, dict[str, str]]:
    """The paragraph comparing the catalogues and the texts of `open-share-by-source`.

    `by_source`: yearly shares with a `source` column; `overlap`: `metrics.agreement` of it (a column per
    catalogue and `spread`); `steps`: `metrics.change_sign_agreement` of the overlap; `ecosystem_left_out`: Ecosystem
    Graphs' coverage when it does not overlap the years (None when it is compared); `skipped`: choices not applied to it.
    """
    facts = catalogue_facts(by_source, overlap, steps, setting) | {
        "min_known": min_known, "ecosystem_snapshot": ecosystem_snapshot, "ecosystem_left_out": ecosystem_left_out,
        "included": ecosystem_left_out is None, "skipped": list(skipped),
    }  # fmt: skip
    return _say("catalogues", **facts), _figure("open-share-by-source", **facts)


def same_months_facts(table: pd.DataFrame, group: str | None = None) -> dict:
    """The year-to-date comparison's facts (`metrics.same_months_shares`): the cut-off, the partial latest year
    and each series' (one per `group` value, or one) rows oldest first, the latest last."""
    partial = _partial_years(table)
    series = [("", table)] if group is None else list(table.groupby(group, sort=False))
    return {
        "through": pd.Timestamp(f"2000-{table['through'].iloc[0]}").strftime("%-d %B") if len(table) else None,
        "latest_year": int(table["year"].max()) if len(table) else None,
        "partial_years": partial,
        "series": [{"name": name, "rows": rows.to_dict("records")} for name, rows in series],
    }


def same_months_text(table: pd.DataFrame, data_end: str, group: str | None = None, last: int = 3) -> str:
    """The sentence setting the latest (partial) year beside the same months of the `last` - 1 years before it."""
    recent = table[table["year"] > table["year"].max() - last]
    return _say("same_months", **same_months_facts(recent, group), data_end=data_end)
