"""Vega-Lite specs of the headline figures: drawn from the figure's CSV, with tooltips and intervals, same bytes."""

from __future__ import annotations

import json

import pandas as pd

from conftest import ROOT
from opentrends.publish import vega


def test_every_committed_spec_is_what_its_csv_gives_byte_for_byte():
    for figure_id in vega.SPECS:
        sidecar = json.loads((ROOT / "figures" / f"{figure_id}.json").read_text(encoding="utf-8"))
        table = pd.read_csv(ROOT / "figures" / f"{figure_id}.csv")
        built = vega.dumps(vega.spec(figure_id, table, sidecar["title"]))
        assert built == (ROOT / "figures" / f"{figure_id}.vl.json").read_text(encoding="utf-8"), figure_id


def test_the_share_chart_draws_its_interval_and_names_it_in_the_tooltip():
    table = pd.DataFrame(
        {
            "population": ["all"] * 2,
            "year": [2024, 2025],
            "origin": ["United States", "China"],
            "n_known": [10, 10],
            "n_open": [4, 7],
            "open_share": [0.4, 0.7],
            "ci_low": [0.17, 0.4],
            "ci_high": [0.69, 0.89],
            "partial_year": [False, False],
        }
    )
    spec = vega.spec("open-share-by-origin", table, "A title")
    text = json.dumps(spec)
    assert '"y2": {"field": "ci_high"' in text and '"mark": {"type": "area"' in text
    assert "95% interval, low" in text and '"tooltip"' in text
    data = next(iter(spec["datasets"].values()))
    assert [row["open_share"] for row in data] == [0.4, 0.7]  # the CSV's numbers, not recomputed
    assert spec["layer"][0]["encoding"]["color"]["scale"]["range"] == ["#0072B2", "#D55E00"]  # the house palette


def test_a_figure_without_an_interactive_version_has_no_spec():
    assert vega.spec("access-mix-by-year", pd.DataFrame(), "t") is None


def test_the_inline_script_text_cannot_close_its_element():
    assert "</script>" not in vega.for_script({"a": "</script><b>"})


def test_pages_built_elsewhere_get_their_own_copy_of_the_scripts_and_link_them_as_the_committed_pages_do(tmp_path):
    # A variant run's gallery (build/runs/<name>/figures/) must be byte-identical to the committed one when the
    # figures are: it links ../report/vendor, and that folder is filled from the project's report/vendor/.
    from opentrends.core import paths
    from opentrends.publish import vega

    figures = tmp_path / "runs" / "v" / "figures"
    figures.mkdir(parents=True)
    copied = vega.vendor_beside(figures)
    assert copied == tmp_path / "runs" / "v" / "report" / "vendor"
    project = {p.name: p.read_bytes() for p in paths.vendor_dir().iterdir() if p.is_file()}
    assert {p.name: p.read_bytes() for p in copied.iterdir()} == project and "vega.min.js" in project
    assert vega.vendor_beside(paths.figures_dir()) == paths.vendor_dir()  # the committed pages: no copy
