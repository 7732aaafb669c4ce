"""The sentences about the open-weights share by year: headline paragraph, access mix, notable models, catalogues.

Every function takes computed tables (`metrics.yearly_shares` and friends) and returns text; nothing is
read or drawn here. Figure texts come back as a dict of `title`, `caption` and `alt_text` to pass to
`figures.save`. A missing number is written "n/a" (`opentrends.core.text`), never "nan".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opentrends.core import text
from opentrends.publish.charts import bounds_legend_note

WIDEST = "the widest list Epoch publishes"


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

    def year(self, value) -> str:
        """A year of this series for a sentence, flagged when the data cover it only in part."""
        return text.year(value, self.data_end)


def _years_list(years) -> str:
    return ", ".join(map(str, years))


def _is_are(items) -> str:
    return "is" if len(items) == 1 else "are"


def partial_note(yearly: pd.DataFrame, data_end: str) -> str:
    """' 2026 is partial (the data end 2026-02-19) and flagged in the CSV.' or '' when no year is partial."""
    partial = yearly.loc[yearly["partial_year"], "year"].tolist()
    if not partial:
        return ""
    return f" {_years_list(partial)} {_is_are(partial)} partial (the data end {data_end}) and flagged in the CSV."


def _labelled(yearly: pd.DataFrame) -> list:
    """The years with at least one labelled model, as rows (itertuples keeps each column's own type)."""
    return list(yearly[yearly["n_known"] > 0].itertuples())


def _highest(rows: list):
    return max(rows, key=lambda row: row.open_share)  # the first of equal highs, as idxmax


def peak_text(yearly: pd.DataFrame, data_end: str) -> str:
    """The year with the highest open share, with its counts; when that year is partial, also the highest
    complete year."""
    labelled = _labelled(yearly)
    if not labelled:
        return text.MISSING
    peak = _highest(labelled)
    said = f"{text.year(peak.year, data_end)} at {text.share_of(peak.open_share, peak.n_open, peak.n_known)}"
    full = [row for row in labelled if not row.partial_year]
    if peak.partial_year and full:
        best = _highest(full)
        said += f"; among complete years, {best.year} at {text.share_of(best.open_share, best.n_open, best.n_known)}"
    return said


def _unknown(yearly: pd.DataFrame) -> tuple[int, int]:
    n_total = int(yearly["n_total"].sum())
    return n_total, int(n_total - yearly["n_known"].sum())


def open_share_paragraph(yearly: pd.DataFrame, setting: Setting, n_notable: int, notable: Setting) -> str:
    """The headline: the open share from the first to the last labelled year, its interval and unlabelled bounds,
    the peak, partial years; then which population and why (`n_notable` notable models in `notable`'s years)."""
    s = setting
    n_total, n_unknown = _unknown(yearly)
    labelled = _labelled(yearly)
    opening = (
        f"From {s.start_year} to {s.year(s.end_year)}, Epoch's `{s.population}` population ({s.snapshot}) holds "
        f"{text.count(n_total)} dated models; {text.count(n_unknown)} ({text.pct(n_unknown / n_total if n_total else None)}) "
        f"have no accessibility label and are left out of the shares. Under the `{s.open_definition}` definition, "
    )
    if not labelled:
        trend = "no year has a labelled model, so there is no open share to report."
    else:
        first, last = labelled[0], labelled[-1]
        trend = (
            f"the open share went from **{text.pct(first.open_share)}** ({first.n_open} of {first.n_known}) in "
            f"{s.year(first.year)} to "
            if len(labelled) > 1
            else f"only {s.year(last.year)} has labelled models; its open share is "
        )
        trend += (
            f"**{text.pct(last.open_share)}** ({last.n_open} of {last.n_known}) in {s.year(last.year)} (95% "
            f"interval {text.interval(last.ci_low, last.ci_high)}); counting every unlabelled {last.year} model as "
            f"closed, or every one as open, would put it at {text.pct(last.share_if_unlabelled_closed)} or "
            f"{text.pct(last.share_if_unlabelled_open)}."
        )
        trend += f" The highest year was {peak_text(yearly, s.data_end)}." if len(labelled) > 1 else ""
    why = (
        "(the union of Epoch's four files) because it is the widest list Epoch publishes "
        if s.population == "all"
        else "as the parameters ask (the default is the union of Epoch's four files, the widest list) "
    )
    return (
        opening
        + trend
        + f"{partial_note(yearly, s.data_end)}\n\n"
        + f"**Which population and why.** The headline uses the `{s.population}` population {why}"
        f"({text.count(n_total)} dated models in these years); Epoch's notable models "
        f"({text.count(n_notable)} in {notable.start_year}–{notable.end_year}) are a curated subset chosen for "
        "citations, state-of-the-art results or cost, and are shown beside it below. Both counts and shares move with "
        "Epoch's cataloguing and back-filling: a later snapshot adds and relabels models of past years (notebook 06 "
        "measures how far one year's notable share moved between two snapshots), so compare shares within one snapshot."
    )


def open_share_figure(yearly: pd.DataFrame, setting: Setting) -> dict[str, str]:
    """Title, caption and alt text of `open-share-by-year`."""
    s = setting
    _, n_unknown = _unknown(yearly)
    labelled = _labelled(yearly)
    widest = f", {WIDEST}" if s.population == "all" else ""
    caption = (
        f"Share of models with a known accessibility label that were released with open weights "
        f"({s.open_definition} definition), by publication year. Population: Epoch AI, {s.population} models "
        f"({s.snapshot}){widest}; its notable subset is in open-share-by-year-notable. "
        f"{text.count(n_unknown)} models without a label are excluded from the share. "
        f"{bounds_legend_note()}{partial_note(yearly, s.data_end)}"
    )
    if not labelled:
        alt = "Line chart of the open-weights share by year; no year has a labelled model."
    else:
        first, last = labelled[0], labelled[-1]
        alt = (
            f"Line chart: the open-weights share goes from {text.share_of(first.open_share, first.n_open, first.n_known)} "
            f"in {s.year(first.year)} to {text.share_of(last.open_share, last.n_open, last.n_known)} in "
            f"{s.year(last.year)}; the highest year is {peak_text(yearly, s.data_end)}; a light band shows the share "
            f"if unlabelled models were all closed or all open ({text.pct(last.share_if_unlabelled_closed)} to "
            f"{text.pct(last.share_if_unlabelled_open)} in {last.year})."
        )
    return {
        "title": f"Share of AI models released with open weights, {s.start_year}–{s.end_year}",
        "caption": caption,
        "alt_text": alt,
    }


def access_mix_text(wide: pd.DataFrame, setting: Setting, partial: str) -> tuple[str, dict[str, str]]:
    """The sentence on Unreleased and API access (`wide`: year x access label shares) and the texts of
    `access-mix-by-year`; `partial` is `partial_note` of the headline series."""
    s = setting
    first, last = wide.loc[s.start_year, "Unreleased"], wide.loc[s.end_year, "Unreleased"]
    sentence = (
        f"Unreleased models were {text.pct(first)} of labelled models in {s.start_year} and {text.pct(last)} in "
        f"{s.year(s.end_year)}; API access accounted for {text.pct(wide.loc[s.end_year, 'API access'])} in {s.end_year}."
    )
    return sentence, {
        "title": f"How AI models were released, {s.start_year}–{s.end_year}",
        "caption": (
            f"Share of each of Epoch AI's six accessibility labels among models with a known label, by publication "
            f"year ({s.population} models, {s.snapshot}).{partial}"
        ),
        "alt_text": (
            f"Stacked bar chart of six accessibility labels per year; Unreleased goes from {text.pct(first)} "
            f"in {s.start_year} to {text.pct(last)} in {s.year(s.end_year)}."
        ),
    }


def notable_text(table: pd.DataFrame, setting: Setting, notes: dict[str, int]) -> tuple[str, dict[str, str]]:
    """The paragraph on the newest notable models (`table`: their `yearly_shares`; `notes`: what loading counted)
    and the texts of `open-share-by-year-notable`."""
    s = setting
    partial = table.loc[table["partial_year"], "year"].tolist()
    latest = next(table.tail(1).itertuples())
    partial_text = f"{_years_list(partial)} {_is_are(partial)} partial" if partial else "no year is partial"
    paragraph = (
        f"{s.snapshot} holds {text.count(notes['models'])} notable models; "
        f"{text.count(notes['models without a publication date'])} have no publication date and are set aside. "
        f"The latest publication date is {s.data_end}, so {partial_text}: {latest.year} "
        f"{'so far ' if latest.partial_year else ''}has {text.count(latest.n_known)} labelled notable models, "
        f"{text.pct(latest.open_share)} of them open (between {text.pct(latest.share_if_unlabelled_closed)} and "
        f"{text.pct(latest.share_if_unlabelled_open)} if the unlabelled ones were all closed or all open)."
    )
    ends = f"{_years_list(partial)} is partial: data end {s.data_end}." if partial else f"Data end {s.data_end}."
    where = (
        f"the partial year {latest.year} is drawn dashed with a hollow marker at {text.pct(latest.open_share)}."
        if latest.partial_year
        else f"{latest.year} is at {text.pct(latest.open_share)}."
    )
    return paragraph, {
        "title": f"Share of notable AI models released with open weights, {s.start_year}–{s.end_year}",
        "caption": (
            f"Open-weights share among Epoch AI's notable models with a known accessibility label ({s.snapshot}). "
            f"{bounds_legend_note()} {ends}"
        ),
        "alt_text": f"Line chart of the open share of notable models by year to {s.end_year}; {where}",
    }


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
    s = setting
    included = ecosystem_left_out is None
    three = by_source["source"].nunique() == 3
    every = "all three" if three else "both"
    spread = overlap["spread"]
    epoch = f"Epoch AI ({s.population})"
    left_out = (
        ""
        if included
        else f" Ecosystem Graphs is left out: {ecosystem_left_out}, which does not overlap {s.start_year}–{s.end_year}."
    )
    if len(overlap):
        plural = "" if len(overlap) == 1 else "s"
        levels = (
            f"In the {len(overlap)} year{plural} where {every} catalogues have at least {min_known} labelled models "
            f"({_years_list(overlap.index)}), their open shares differ by at most {text.pp(spread.max())} "
            f"(median {text.pp(spread.median())}). "
        )
    else:
        levels = (
            f"No year in {s.start_year}–{s.end_year} has at least {min_known} labelled models in {every} catalogues, "
            "so their levels and directions are not compared here. "
        )
    if "Ecosystem Graphs" in overlap and len(overlap):
        above = (overlap["Ecosystem Graphs"] - overlap[epoch]).mean()
        levels += (
            f"On average over those years Ecosystem Graphs' open share is {text.pp(above)} "
            f"{'above' if above > 0 else 'below'} Epoch's ({s.population}). "
        )
    agree = int(steps["agree"].sum())
    if len(steps):
        levels += (
            f"The direction agrees less than the levels suggest: in {agree} of {len(steps)} year-to-year steps "
            f"{every} shares moved the same way. "
        )
    independence = (
        " (and two of them are the same database), so neither the levels nor the direction are independent confirmation."
        if included
        else " but both are the same database, so agreement between them is not independent confirmation."
    )
    not_applied = (
        f" Not applied to Ecosystem Graphs (it has nothing to apply them to): {', '.join(skipped)}."
        if skipped and included
        else ""
    )
    paragraph = (
        levels + "The catalogues choose which models to list by different rules" + independence + left_out + not_applied
    )
    ecosystem = f" and Stanford CRFM Ecosystem Graphs ({ecosystem_snapshot}, corrected; compiled separately)"
    alt = f"{'Three lines' if three else 'Two lines'} of open share by year, one per catalogue"
    alt += f"; in {agree} of {len(steps)} year-to-year steps {every} move the same way" if len(steps) else ""
    alt += f", and their shares differ by up to {text.pp(spread.max())}" if len(overlap) else ""
    return paragraph, {
        "title": f"The open-weights share in {'three' if three else 'two'} catalogues",
        "caption": (
            f"Open share among models with a known access label, by year, in Epoch AI ({s.population} models and its "
            f"notable subset, {s.snapshot}){ecosystem if included else ''}. Years with fewer than {min_known} "
            f"labelled models in a catalogue are not drawn (they remain in the CSV, with unlabelled bounds and "
            f"partial-year flags).{left_out}"
        ),
        "alt_text": alt + ".",
    }
