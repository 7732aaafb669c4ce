"""Notebook 06's steps and sentences: what survives every variant, what no variant covers, back-filling by month.

Every sentence is built from the numbers it states.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opentrends.analysis import robustness
from opentrends.core import text


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
    lines = []
    for row in verdicts.itertuples():
        line = f"- **{text.year(row.year, data_end)}**: China's open share is above the US's under {row.china_higher} of {row.variants} variants"
        line += " (every one)" if row.direction_holds and row.china_higher else ""
        line += f", with a 95% interval above zero under {row.china_higher_excluding_zero}"
        if row.us_higher:
            line += (
                f"; the US is above under {row.us_higher} ({', '.join(labels[v] for v in row.flips)}), with an "
                f"interval below zero under {row.us_higher_excluding_zero}"
            )
        lines.append(
            line + f". The difference ranges from {text.pp(row.smallest_difference, signed=True)} to "
            f"{text.pp(row.largest_difference, signed=True)}."
        )
    return "\n".join(lines)


def same_note(table: pd.DataFrame, labels: dict) -> str:
    """Where the newest-snapshot variant repeats the notable one, it is not a separate check."""
    years = robustness.identical_years(table, "notable_newest", "notable")
    if not years:
        return ""
    n = len(robustness.VARIANTS)
    return (
        f"The {labels['notable_newest']} variant is identical to {labels['notable']} for "
        f"{robustness.year_spans(years)} (the same US and Chinese counts: the newer snapshot changed nothing there), "
        f"so in {'that year' if len(years) == 1 else 'those years'} it is not a separate check and only {n - 1} of "
        f"the {n} variants are distinct."
    )


def survives(verdicts: pd.DataFrame, data_end: str) -> str:
    """What survives every variant, and what the variants do not cover."""
    robust = verdicts[verdicts["direction_holds"] & (verdicts["china_higher_excluding_zero"] == verdicts["variants"])]
    direction = verdicts[verdicts["direction_holds"]]
    out = "**What survives every variant.** "
    if len(robust):
        out += (
            f"In {' and '.join(map(str, robust['year']))}, China's open share is higher than the US's under every "
            "variant and every interval excludes zero: that conclusion does not depend on the definitions tried. "
        )
    else:
        out += "No year has China above the US under every variant with every interval above zero. "
    if len(direction) > len(robust):
        rest = direction["year"].drop(robust.index)
        out += f"In {' and '.join(map(str, rest))}, the direction holds under every variant but some intervals include zero. "
    flips = verdicts.loc[~verdicts["direction_holds"], "year"]
    if len(flips):
        out += (
            f"In {' and '.join(map(str, flips))}, the order depends on the definition (see the variants named above), "
            "so no US–China ranking should be stated for that year without its definition. "
        )
    last = int(verdicts["year"].max())
    return out + (
        f"\n\n**What the variants do not cover.** Every variant reads the same downloads of Epoch's catalogue, so none "
        f"of them covers back-filling: {text.year(last, data_end)} was downloaded a few months after it ended, and the "
        "last section shows back-filling moving a past year's share by several percentage points. Nor do they cover "
        "how the catalogue is compiled: Epoch's rows are not a random sample of releases, so the Newcombe intervals "
        "describe sampling variation under that assumption, not the uncertainty of what Epoch has yet to list."
    )


def backfill_rows(old_rows: pd.DataFrame, new_rows: pd.DataFrame, year: int) -> tuple[pd.DataFrame, str]:
    """The newer rows cut to the months the older export covers when it ends inside `year`, and the months compared."""
    old_end = old_rows["date"].max()
    if old_end.year == year and (old_end.month, old_end.day) != (12, 31):
        return new_rows[new_rows["date"] <= old_end], f"January–{old_end:%B} {year} (the months both cover)"
    return new_rows, f"all of {year}"


def backfill(shares: pd.DataFrame, moved: dict, year: int, months: str, report_end: str) -> str:
    """The back-filling paragraph: the same year's (same months') notable open share in two snapshots."""
    older, newer = shares.iloc[0], shares.iloc[1]
    later = moved["labelled only in the newer"]
    later_open = moved["labelled only in the newer, open"]
    return (
        f"Epoch's notable open share for {months} was **{text.pct(older.open_share, 1)}** ({older.n_open} of "
        f"{older.n_known} labelled) in {older.snapshot} (export ending {report_end}) and is "
        f"**{text.pct(newer.open_share, 1)}** ({newer.n_open} of {newer.n_known}) in {newer.snapshot}: a change of "
        f"{text.pp(newer.open_share - older.open_share, 1, signed=True)} over the same months. Matching models by "
        f"name, {text.count(moved['in both'])} are in both; {text.count(later)} had no label in the older export and "
        f"have one now ({text.count(later_open)} of them open); {text.count(moved['relabelled open/closed'])} changed "
        f"between open and closed; {text.count(moved['added in the newer'])} were added later "
        f"({text.count(moved['added in the newer, open'])} open) and {text.count(moved['not in the newer that year'])} "
        f"are no longer listed as notable in {year}. Of the labels filled in later, "
        f"{text.share_of(later_open / later if later else None, later_open, later)} are open, against "
        f"{text.pct(older.open_share)} of the models labelled in the older export. A share from one snapshot is a "
        "statement about that snapshot; the unlabelled bounds in notebooks 01 and 02 give the range the missing "
        "labels leave open."
    )


COLUMNS = {
    "variant": "analysis variant (see notebook 06 for what each changes)",
    "year": "publication year",
    "us_known": "US-only models with a known accessibility label",
    "us_open": "of those, open weights",
    "us_share": "us_open / us_known",
    "china_known": "China-only models with a known accessibility label",
    "china_open": "of those, open weights",
    "china_share": "china_open / china_known",
    "difference": "china_share - us_share (0..1 scale; x100 = percentage points)",
    "ci_low": "Newcombe hybrid score 95% interval of the difference, lower bound",
    "ci_high": "Newcombe hybrid score 95% interval of the difference, upper bound",
}


def forest(axes, table: pd.DataFrame, verdicts: pd.DataFrame, years: list[int], refs: tuple[str, str], data_end: str,
           note: str) -> dict:  # fmt: skip
    """The forest plot of every variant and year, and the rest of its `figures.save` arguments."""
    from opentrends.publish import charts

    variants = [v.id for v in robustness.VARIANTS]
    charts.forest_plot(axes, table, variants, years, labels={v.id: v.label for v in robustness.VARIANTS})
    last = verdicts.set_index("year").loc[years[-1]]
    return {
        "title": f"China minus US open-weights share under {len(variants)} definitions, {years[0]}–{years[-1]}",
        "caption": "Difference between the open-weights shares of Chinese and US models with a known accessibility "
        "label (China minus US, percentage points), per analysis variant and publication year, with Newcombe's hybrid "
        "score 95% interval (Newcombe 1998, method 10, from the two Wilson intervals). Points right of zero: China's "
        f"share is higher. Each variant changes one choice from the default (Epoch AI all models, {refs[0]}; the "
        f"newest-snapshot variant reads {refs[1]}). No variant covers back-filling of the latest year or the "
        f"catalogue's non-random coverage.{' ' + note if note else ''}",
        "alt_text": f"Forest plot with one panel per year from {years[0]} to {years[-1]} and one row per variant; in "
        f"{text.year(years[-1], data_end)} China is above the US under {last.china_higher} of {last.variants} "
        f"variants, with differences from {text.pp(last.smallest_difference, signed=True)} to "
        f"{text.pp(last.largest_difference, signed=True)}.",
        "sources": list(refs),
        "data": table,
        "columns": COLUMNS,
    }
