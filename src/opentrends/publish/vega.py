"""Interactive versions of the headline figures: a Vega-Lite spec per figure, drawn from the figure's own CSV.

`spec(figure_id, table, sidecar)` returns the Vega-Lite JSON (altair) of the figures listed in `SPECS`: the
plotted numbers of `figures/<id>.csv` as they are (nothing recomputed), the house colours (`figures.COLORS`),
hover values (tooltips) and the interval the static figure draws. `write(folder, ...)` writes
`figures/<id>.vl.json` beside the figure so a writer can embed it; same CSV, same bytes (sorted keys, no dates).
The pages embed the spec with the vendored Vega, Vega-Lite and vega-embed (`report/vendor/`), the PNG as the
fallback without JavaScript.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from opentrends.core import paths
from opentrends.core.atomic import write_bytes_atomic, write_text_atomic
from opentrends.publish import palette

COLORS = palette.COLORS  # read without importing matplotlib

WIDTH = "container"


def _origin_scale(origins):
    import altair as alt

    domain = [o for o in COLORS if o in set(origins)]
    return alt.Scale(domain=domain, range=[COLORS[o] for o in domain])


def _open_share_by_origin(table: pd.DataFrame, title: str):
    import altair as alt

    population = table["population"].iloc[0]
    data = table[(table["population"] == population) & table["origin"].isin(["United States", "China"])]
    data = data[["year", "origin", "n_known", "n_open", "open_share", "ci_low", "ci_high", "partial_year"]]
    base = alt.Chart(data).encode(
        x=alt.X("year:O", title="year"),
        color=alt.Color("origin:N", scale=_origin_scale(data["origin"]), title="origin"),
    )
    tooltip = [
        alt.Tooltip("origin:N"),
        alt.Tooltip("year:O"),
        alt.Tooltip("open_share:Q", format=".0%", title="open share"),
        alt.Tooltip("ci_low:Q", format=".0%", title="95% interval, low"),
        alt.Tooltip("ci_high:Q", format=".0%", title="95% interval, high"),
        alt.Tooltip("n_open:Q", title="open"),
        alt.Tooltip("n_known:Q", title="with a known label"),
    ]
    band = base.mark_area(opacity=0.18).encode(y=alt.Y("ci_low:Q", title="open-weights share"), y2="ci_high:Q")
    line = base.mark_line().encode(y=alt.Y("open_share:Q", axis=alt.Axis(format="%")))
    points = base.mark_point(filled=True, size=60).encode(y="open_share:Q", tooltip=tooltip)
    return (band + line + points).properties(title=title)


def _best_open_model(table: pd.DataFrame, title: str):
    import altair as alt

    data = table.dropna(subset=["best_eci"])
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title="date"),
        y=alt.Y("best_eci:Q", title="best open model, ECI", scale=alt.Scale(zero=False)),
        color=alt.Color("origin:N", scale=_origin_scale(data["origin"]), title="origin"),
    )
    tooltip = [
        alt.Tooltip("origin:N"),
        alt.Tooltip("date:T"),
        alt.Tooltip("model:N"),
        alt.Tooltip("best_eci:Q", format=".1f", title="ECI"),
    ]
    return (
        base.mark_line(interpolate="step-after") + base.mark_point(filled=True, size=40).encode(tooltip=tooltip)
    ).properties(title=title)


def _capability_lag(table: pd.DataFrame, title: str):
    import altair as alt

    data = table.dropna(subset=["lag_months"])
    base = alt.Chart(data).encode(x=alt.X("date:T", title="date"))
    tooltip = [
        alt.Tooltip("date:T"),
        alt.Tooltip("lag_months:Q", format=".1f", title="lag, months"),
        alt.Tooltip("eci_gap:Q", format=".1f", title="ECI gap, points"),
    ]
    line = base.mark_line(color=COLORS["open"]).encode(y=alt.Y("lag_months:Q", title="months the open frontier trails"))
    points = base.mark_point(filled=True, size=40, color=COLORS["open"]).encode(y="lag_months:Q", tooltip=tooltip)
    return (line + points).properties(title=title)


def _finetunes(table: pd.DataFrame, title: str):
    import altair as alt

    data = table[["month", "origin", "new_finetunes", "partial_month"]]
    colours = {**COLORS, "other": COLORS["Unknown"]}
    domain = [o for o in colours if o in set(data["origin"])]
    tooltip = [
        alt.Tooltip("month:N"),
        alt.Tooltip("origin:N", title="base origin"),
        alt.Tooltip("new_finetunes:Q", format=",", title="new fine-tunes"),
    ]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("month:O", title="month"),
            y=alt.Y("new_finetunes:Q", title="new fine-tunes", stack=True),
            color=alt.Color(
                "origin:N", scale=alt.Scale(domain=domain, range=[colours[o] for o in domain]), title="base origin"
            ),
            tooltip=tooltip,
        )
        .properties(title=title)
    )


SPECS = {
    "open-share-by-origin": _open_share_by_origin,
    "best-open-model-by-origin": _best_open_model,
    "capability-gap-eci-lag": _capability_lag,
    "hub-finetunes-by-base-origin": _finetunes,
}


def spec(figure_id: str, table: pd.DataFrame, title: str) -> dict | None:
    """The Vega-Lite spec of `figure_id` from its CSV table, or None when the figure has no interactive version."""
    build = SPECS.get(figure_id)
    if build is None:
        return None
    import textwrap

    import altair as alt

    heading = alt.TitleParams(textwrap.wrap(title, 48), anchor="start", fontSize=12)
    chart = build(table, title).properties(width=WIDTH, height=280, title=heading).configure_view(stroke=None)
    return chart.to_dict()


def dumps(value: dict) -> str:
    """The spec's bytes: sorted keys, one indent, a final newline (deterministic)."""
    return json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def for_script(value: dict) -> str:
    """The spec as the text of an inline `<script type="application/json">`: no `<` can close the element."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def write(folder: Path, sidecars: dict[str, dict]) -> dict[str, dict]:
    """Write `<folder>/<id>.vl.json` for every figure in `SPECS` that has a sidecar and a CSV; return the specs."""
    written = {}
    for figure_id in SPECS:
        sidecar = sidecars.get(figure_id)
        csv = folder / f"{figure_id}.csv"
        if not sidecar or not csv.is_file():
            continue
        value = spec(figure_id, pd.read_csv(csv), sidecar["title"])
        target = folder / f"{figure_id}.vl.json"
        text = dumps(value)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            write_text_atomic(target, text)
        written[figure_id] = value
    return written


def vendor_beside(figures: Path) -> Path:
    """The vendored scripts for the pages built from `figures`: `report/vendor/` beside that folder.

    The project's own `report/vendor/` is used as it is; a variant run's folder (`build/runs/<name>/`) gets a copy
    of it, so its pages work on their own and link the scripts exactly as the committed pages do.
    """
    target = Path(figures).parent / "report" / "vendor"
    source = paths.vendor_dir()
    if target.resolve() != source.resolve():
        for file in sorted(p for p in source.iterdir() if p.is_file()):
            data = file.read_bytes()
            if not (target / file.name).is_file() or (target / file.name).read_bytes() != data:
                write_bytes_atomic(target / file.name, data)
    return target
