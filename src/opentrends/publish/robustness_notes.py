"""Notebook 06's steps and sentences: what survives every variant, what no variant covers, back-filling by month.

Every sentence is built from the numbers it states: the wording is in templates (`templates/notebooks/06_robustness/`,
`templates/captions/robustness-us-vs-china.*`), the functions here compute the facts and fill them
(`core.wording.render`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opentrends.analysis import robustness
from opentrends.core import wording

NOTEBOOK = "notebooks/06_robustness/"


def _say(name: str, **facts) -> str:
    return wording.render(NOTEBOOK + name + ".md", **facts)


@dataclass
class Setup:
    """What notebook 06 loads once: the catalogues, their coverage and the spans its parameters must lie in."""

    catalogs: dict
    useful: tuple[int, int]
    coverage_note: str
    old_rows: pd.DataFrame
    backfill_span: tuple[int, int]
    backfill_note: str
    report_end: str
    data_end: str


def load(snapshot: str, notable_snapshot: str, report_snapshot: str) -> Setup:
    """Load the four catalogues of the variants and the report's export; compute the comparable spans."""
    from opentrends.catalog import selection as catalog
    from opentrends.catalog.loaders import epoch as epoch_loader

    catalogs = {
        "default": catalog.load_epoch(snapshot, "all"),
        "notable": catalog.load_epoch(snapshot, "notable"),
        "notable_newest": catalog.load_epoch(notable_snapshot, "notable"),
        "hong_kong_macao_as_china": catalog.load_epoch(snapshot, "all", hong_kong_macao_as_china=True),
    }
    # the years every catalogue dates, and among them those in which every variant has labelled US and Chinese models
    coverages = {name: catalog.coverage(loaded) for name, loaded in catalogs.items()}
    first = max(int(c.first[:4]) for c in coverages.values())
    last = min(int(c.last[:4]) for c in coverages.values())
    every_year = robustness.us_china_table(robustness.variant_rows(catalogs, first, last), range(first, last + 1))
    useful = robustness.comparable_span(every_year)
    note = (
        f"every variant has labelled US and Chinese models in each year {useful[0]}–{useful[1]}; "
        f"{'; '.join(dict.fromkeys(c.describe() for c in coverages.values()))}"
    )
    old_rows = epoch_loader.load_database_export(report_snapshot)
    span = robustness.backfill_years(old_rows, catalogs["notable"].rows)
    return Setup(
        catalogs,
        useful,
        note,
        old_rows,
        span,
        f"the years in which both {report_snapshot} and {snapshot} list notable models",
        old_rows["date"].max().strftime("%Y-%m-%d"),
        min(c.last for c in coverages.values()),
    )


def per_year(verdicts: pd.DataFrame, labels: dict, data_end: str) -> str:
    """One bullet per year: how many variants put China above the US, with intervals, and the range."""
    rows = [{**row._asdict(), "flip_labels": [labels[v] for v in row.flips]} for row in verdicts.itertuples()]
    return _say("per_year", rows=rows, data_end=data_end)


def same_note(table: pd.DataFrame, labels: dict) -> str:
    """Where the newest-snapshot variant repeats the notable one, it is not a separate check."""
    years = robustness.identical_years(table, "notable_newest", "notable")
    return _say("same_note", spans=robustness.year_spans(years) if years else "", n_years=len(years),
                newest=labels["notable_newest"], notable=labels["notable"], n_variants=len(robustness.VARIANTS))  # fmt: skip


def survives_facts(verdicts: pd.DataFrame) -> dict:
    """The years where China is above the US under every variant with every interval above zero (`robust`), where
    only the direction holds (`rest`), where the order flips (`flips`), and the last year."""
    robust = verdicts[verdicts["direction_holds"] & (verdicts["china_higher_excluding_zero"] == verdicts["variants"])]
    direction = verdicts[verdicts["direction_holds"]]
    return {
        "robust": list(robust["year"]), "rest": list(direction["year"].drop(robust.index)),
        "flips": list(verdicts.loc[~verdicts["direction_holds"], "year"]), "last": int(verdicts["year"].max()),
    }  # fmt: skip


def survives(verdicts: pd.DataFrame, data_end: str) -> str:
    """What survives every variant, and what the variants do not cover."""
    return _say("survives", **survives_facts(verdicts), data_end=data_end)


def backfill_rows(old_rows: pd.DataFrame, new_rows: pd.DataFrame, year: int) -> tuple[pd.DataFrame, str]:
    """The newer rows cut to the months the older export covers when it ends inside `year`, and the months compared."""
    old_end = old_rows["date"].max()
    if old_end.year == year and (old_end.month, old_end.day) != (12, 31):
        return new_rows[new_rows["date"] <= old_end], _say("_backfill_months", end=old_end, year=year)
    return new_rows, _say("_backfill_months", end=None, year=year)


def backfill_facts(shares: pd.DataFrame, moved: dict, year: int) -> dict:
    """The same year's notable open share in two snapshots (`older`, `newer`: rows) and how the models moved."""
    older, newer = shares.iloc[0].to_dict(), shares.iloc[1].to_dict()
    later, later_open = moved["labelled only in the newer"], moved["labelled only in the newer, open"]
    return {
        "older": older, "newer": newer, "change": newer["open_share"] - older["open_share"],
        "in_both": moved["in both"], "later": later, "later_open": later_open,
        "later_share": later_open / later if later else None, "relabelled": moved["relabelled open/closed"],
        "added": moved["added in the newer"], "added_open": moved["added in the newer, open"],
        "dropped": moved["not in the newer that year"], "year": year,
    }  # fmt: skip


def backfill(shares: pd.DataFrame, moved: dict, year: int, months: str, report_end: str) -> str:
    """The back-filling paragraph: the same year's (same months') notable open share in two snapshots."""
    return _say("backfill", **backfill_facts(shares, moved, year), months=months, report_end=report_end)


COLUMNS = wording.columns("robustness-us-vs-china")  # from templates/columns/robustness-us-vs-china.yaml


def forest(axes, table: pd.DataFrame, verdicts: pd.DataFrame, years: list[int], refs: tuple[str, str], data_end: str,
           note: str) -> dict:  # fmt: skip
    """The forest plot of every variant and year, and the rest of its `figures.save` arguments."""
    from opentrends.publish import charts

    variants = [v.id for v in robustness.VARIANTS]
    charts.forest_plot(axes, table, variants, years, labels={v.id: v.label for v in robustness.VARIANTS})
    facts = {
        "n_variants": len(variants), "first_year": years[0], "last_year": years[-1], "snapshot": refs[0],
        "notable_snapshot": refs[1], "note": note, "data_end": data_end,
        "last": verdicts.set_index("year").loc[years[-1]].to_dict(),
    }  # fmt: skip
    texts = {k: wording.render(f"captions/robustness-us-vs-china.{kind}.txt", **facts)
             for k, kind in (("title", "title"), ("caption", "caption"), ("alt_text", "alt"))}  # fmt: skip
    return {**texts, "sources": list(refs), "data": table, "columns": COLUMNS}
