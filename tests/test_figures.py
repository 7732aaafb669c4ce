"""figures.save: house style, the five files, sidecar contents, deterministic bytes, clear refusals."""

from __future__ import annotations

import json
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from opentrends import figures

DATA = pd.DataFrame({"year": [2016, 2017, 2018], "open_share": [0.2, 0.3, 0.5]})
COLUMNS = {"year": "calendar year", "open_share": "share open"}


def draw(width="single"):
    fig, ax = figures.new_figure(width)
    ax.plot(DATA["year"], DATA["open_share"], marker="o")
    return fig


def save(fig, **overrides):
    kwargs = dict(title="Open share", caption="A caption.", alt_text="A rising line.",
                  sources=["epoch-ai-models@2026-03-30"], data=DATA, columns=COLUMNS, parameters={"start_year": 2016})
    figure_id = overrides.pop("figure_id", "open-share-test")
    kwargs.update(overrides)
    return figures.save(fig, figure_id, **kwargs)


@pytest.fixture(autouse=True)
def out(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENTRENDS_FIGURE_OUTPUT", str(tmp_path))
    yield tmp_path
    plt.close("all")


def test_save_writes_five_files_and_a_complete_sidecar(out):
    record = save(draw())
    assert sorted(p.name for p in out.iterdir()) == sorted(record.files)
    sidecar = json.loads((out / "open-share-test.json").read_text())
    assert sidecar["id"] == "open-share-test"
    assert sidecar["sources"][0] | {} == {
        "ref": "epoch-ai-models@2026-03-30", "source": "epoch-ai-models", "snapshot": "2026-03-30",
        "producer": "Epoch AI", "title": "Data on AI Models", "license": "CC BY 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/", "url": "https://epoch.ai/data/ai-models",
        "citation": sidecar["sources"][0]["citation"],
    }
    assert "Epoch AI" in sidecar["sources"][0]["citation"]
    assert sidecar["source_line"] == "Data: Epoch AI, Data on AI Models (snapshot 2026-03-30)."
    assert sidecar["parameters"] == {"start_year": 2016}
    assert sidecar["columns"] == COLUMNS
    assert sidecar["size_inches"][0] == figures.SINGLE
    assert (out / "open-share-test.csv").read_text() == "year,open_share\n2016,0.2\n2017,0.3\n2018,0.5\n"


def test_widths_follow_the_house_columns():
    assert draw("single").get_size_inches()[0] == pytest.approx(3.5)
    assert draw("double").get_size_inches()[0] == pytest.approx(7.2)


def test_pdf_embeds_truetype_and_no_type3(out):
    save(draw())
    pdf = (out / "open-share-test.pdf").read_bytes()
    subtypes = set(re.findall(rb"/Subtype\s*/(\w+)", pdf))
    assert b"Type3" not in subtypes
    assert b"CIDFontType2" in subtypes or b"TrueType" in subtypes
    assert b"CreationDate" not in pdf
    assert b"DejaVuSans" in pdf


def test_png_is_300_dpi_without_software_chunk(out):
    save(draw())
    png = (out / "open-share-test.png").read_bytes()
    assert b"Software" not in png
    from PIL import Image

    with Image.open(out / "open-share-test.png") as image:
        assert image.size[0] == pytest.approx(3.5 * 300, abs=1)
        assert round(image.info["dpi"][0]) == 300


def test_svg_has_no_date_and_fixed_ids(out):
    save(draw())
    first = (out / "open-share-test.svg").read_bytes()
    assert b"<dc:date>" not in first
    save(draw())
    assert (out / "open-share-test.svg").read_bytes() == first


def test_two_saves_are_byte_identical(out):
    save(draw())
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    save(draw())
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_source_line_groups_snapshots_of_one_source():
    entries = figures._source_entries(["epoch-ai-models@2026-03-30", "epoch-ai-models@2026-07-19", "ecosystem-graphs@2025-01-24"])
    assert figures.source_line(entries) == (
        "Data: Epoch AI, Data on AI Models (snapshots 2026-03-30, 2026-07-19); "
        "Stanford CRFM, Ecosystem Graphs (snapshot 2025-01-24)."
    )


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"figure_id": "Open_Share"}, "kebab-case"),
        ({"data": DATA.iloc[0:0]}, "data table is empty"),
        ({"alt_text": " "}, "alt_text is empty"),
        ({"columns": {"year": "y"}}, "without a description: open_share"),
        ({"sources": ["epoch-ai-models@1999-01-01"]}, "Known dates"),
        ({"sources": []}, "at least one source"),
    ],
)
def test_save_refuses_what_a_writer_could_not_use(out, overrides, message):
    with pytest.raises(ValueError, match=message):
        save(draw(), **overrides)
    assert list(out.iterdir()) == []
