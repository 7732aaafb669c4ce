"""publish.charts: the drawing helpers put exactly the given numbers on the axes (real matplotlib, Agg)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from opentrends.publish import charts, figures  # noqa: E402


def test_counted_bars_write_each_count_at_its_bar():
    fig, ax = plt.subplots()
    charts.counted_bars(ax, ["removed", "added"], [3, 1200], color="#0072B2")
    assert [p.get_width() for p in ax.patches] == [3, 1200]
    assert [t.get_text() for t in ax.texts] == ["3", "1,200"]
    assert [t.xy for t in ax.texts] == [(3, 0), (1200, 1)]
    plt.close(fig)


def test_lines_by_group_take_the_palette_in_turn_and_column_lines_the_named_colors():
    table = pd.DataFrame({"source": ["b", "b", "a"], "year": [2020, 2021, 2020], "open_share": [0.1, 0.2, 0.3]})
    fig, ax = plt.subplots()
    charts.lines_by(ax, table, "source")
    assert [line.get_label() for line in ax.lines] == ["b", "a"]
    assert list(ax.lines[0].get_ydata()) == [0.1, 0.2]
    assert [line.get_color() for line in ax.lines] == figures.PALETTE[:2]
    wide = pd.DataFrame({"China": [1, 2], "United States": [3, 4]}, index=[2020, 2021])
    fig2, ax2 = plt.subplots()
    charts.column_lines(ax2, wide, ["United States"])
    assert [line.get_label() for line in ax2.lines] == ["United States"]
    assert ax2.lines[0].get_color() == figures.COLORS["United States"] and list(ax2.lines[0].get_ydata()) == [3, 4]
    plt.close(fig)
    plt.close(fig2)


def yearly(population):
    return pd.DataFrame(
        {
            "population": population,
            "origin": ["China", "China", "United States", "United States"],
            "year": [2025, 2026, 2025, 2026],
            "open_share": [0.5, 0.6, 0.2, math.nan],
            "ci_low": [0.4, 0.5, 0.1, math.nan],
            "ci_high": [0.6, 0.7, 0.3, math.nan],
            "share_if_unlabelled_closed": [0.4, 0.5, 0.1, 0.0],
            "share_if_unlabelled_open": [0.6, 0.7, 0.3, 1.0],
            "partial_year": [False, True, False, True],
        }
    )


def test_partial_years_are_labelled_with_their_last_date():
    table = yearly("all")
    fig, ax = plt.subplots()
    charts.label_partial_years(ax, table[table["origin"] == "China"], "2026-07-15")
    assert [(t.get_text(), t.xy) for t in ax.texts] == [("2026\n(to 07-15)", (2026, 0.6))]
    plt.close(fig)


def test_share_panels_draw_one_panel_per_population_even_when_there_is_one():
    fig, axes = plt.subplots(1, 2)
    both = pd.concat([yearly("all"), yearly("notable")], ignore_index=True)
    charts.share_panels(axes, both, "population", ["China"], {"all": "All", "notable": "Notable"})
    assert [ax.get_title() for ax in axes] == ["All", "Notable"]
    assert axes[0].get_legend() is not None and axes[1].get_legend() is None
    fig1, ax = plt.subplots()  # a single Axes, as new_figure returns for one column
    charts.share_panels(ax, yearly("notable"), "population", ["China", "United States"], {"notable": "Notable"})
    assert ax.get_title() == "Notable"
    shown = [t.get_text() for t in ax.get_legend().get_texts()]
    assert [t for t in shown if not t.endswith(", partial year")] == ["China", "United States"]
    plt.close(fig)
    plt.close(fig1)


def test_a_last_year_still_being_catalogued_is_shaded_and_named():
    assert charts.still_catalogued(2025, "2026-03-30") and not charts.still_catalogued(2024, "2026-03-30")
    fig, ax = plt.subplots()
    charts.mark_cataloguing(ax, 2025, "epoch-ai-models@2026-03-30")
    charts.mark_cataloguing(ax, 2023, "epoch-ai-models@2026-03-30")
    assert [t.get_text() for t in ax.texts] == ["Still being catalogued"] and len(ax.patches) == 1
    plt.close(fig)


def test_bounds_panels_draw_the_us_and_china_with_their_unlabelled_bounds_only():
    fig, axes = plt.subplots(1, 2)
    both = pd.concat([yearly("all"), yearly("notable")], ignore_index=True)
    charts.bounds_panels(axes, both, "population", {"all": "All", "notable": "Notable"})
    assert [ax.get_title() for ax in axes] == ["All", "Notable"]
    labels = [line.get_label() for line in axes[0].lines if not line.get_label().startswith("_")]
    assert labels == [o for o in charts.BANDED if o in set(both["origin"])]
    assert len(axes[0].collections) == len(labels)  # one bounds band per origin, no Wilson band
    plt.close(fig)
