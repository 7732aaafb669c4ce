"""figures.save: house style, the five files, sidecar contents, deterministic bytes, clear refusals."""

from __future__ import annotations

import json
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from opentrends.publish import figures

DATA = pd.DataFrame({"year": [2016, 2017, 2018], "open_share": [0.2, 0.3, 0.5]})
COLUMNS = {"year": "calendar year", "open_share": "share open"}


def draw(width="single"):
    fig, ax = figures.new_figure(width)
    ax.plot(DATA["year"], DATA["open_share"], marker="o")
    return fig


def save(fig, **overrides):
    kwargs = {
        "title": "Open share",
        "caption": "A caption.",
        "alt_text": "A rising line.",
        "sources": ["epoch-ai-models@2026-03-30"],
        "data": DATA,
        "columns": COLUMNS,
        "parameters": {"start_year": 2016},
    }
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
        "ref": "epoch-ai-models@2026-03-30",
        "source": "epoch-ai-models",
        "snapshot": "2026-03-30",
        "producer": "Epoch AI",
        "title": "Data on AI Models",
        "license": "CC BY 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "url": "https://epoch.ai/data/ai-models",
        "citation": sidecar["sources"][0]["citation"],
    }
    assert "Epoch AI" in sidecar["sources"][0]["citation"]
    assert sidecar["source_line"] == "Data: Epoch AI, Data on AI Models (snapshot of 30 March 2026)."
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


def test_png_is_sized_for_a_web_column_and_carries_its_text(out):
    save(draw())
    png = (out / "open-share-test.png").read_bytes()
    assert b"Software" not in png
    from PIL import Image

    with Image.open(out / "open-share-test.png") as image:
        assert image.size[0] == figures.WEB_PX
        assert image.info["Title"] == "Open share" and image.info["License"].startswith("CC BY 4.0")
        assert image.info["Source"] == "Data: Epoch AI, Data on AI Models (snapshot of 30 March 2026)."


def test_svg_has_no_date_and_fixed_ids(out):
    save(draw())
    first = (out / "open-share-test.svg").read_bytes()
    assert b"<dc:date>" not in first
    save(draw())
    assert (out / "open-share-test.svg").read_bytes() == first


def test_svg_clip_ids_do_not_follow_the_last_bit_of_a_layout(out):
    # matplotlib hashes a clip rectangle's float bounds into its id: the same drawing laid out in another
    # process (bounds off in the 15th digit) got another id. The saved SVG numbers them in order instead.
    save(draw())
    svg = (out / "open-share-test.svg").read_text(encoding="utf-8")
    assert '<clipPath id="clip1">' in svg and 'clip-path="url(#clip1)"' in svg
    assert re.search(r'id="p[0-9a-f]{10}"', svg) is None
    one = '<path clip-path="url(#p1d604aea40)"/><clipPath id="p1d604aea40"><clipPath id="p00000000ff">'
    other = '<path clip-path="url(#pd5ba25c0c2)"/><clipPath id="pd5ba25c0c2"><clipPath id="p00000000ff">'
    assert figures.canonical_svg_ids(one) == figures.canonical_svg_ids(other)
    assert figures.canonical_svg_ids(one) == '<path clip-path="url(#clip1)"/><clipPath id="clip1"><clipPath id="clip2">'


def test_two_saves_are_byte_identical(out):
    save(draw())
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    save(draw())
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_source_line_groups_snapshots_of_one_source():
    entries = figures._source_entries(
        ["epoch-ai-models@2026-03-30", "epoch-ai-models@2026-07-19", "ecosystem-graphs@2025-01-24"]
    )
    assert figures.source_line(entries) == (
        "Data: Epoch AI, Data on AI Models (snapshots of 30 March 2026 and 19 July 2026); "
        "Stanford CRFM, Ecosystem Graphs (snapshot of 24 January 2025)."
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


def source_lines(fig) -> list[str]:
    return [t.get_text().replace("\n", " ") for t in fig.texts if t.get_text().startswith("Data:")]


def test_saving_one_figure_twice_keeps_a_single_source_line(out, tmp_path_factory, monkeypatch):
    """Issue 8.5: a second save used to stack a second source line over the first."""
    fig = draw()
    save(fig)
    save(fig)
    assert source_lines(fig) == ["Data: Epoch AI, Data on AI Models (snapshot of 30 March 2026)."]
    twice = (out / "open-share-test.png").read_bytes()
    once_dir = tmp_path_factory.mktemp("once")
    monkeypatch.setenv("OPENTRENDS_FIGURE_OUTPUT", str(once_dir))
    save(draw())
    # Pixels, not vector files: constrained layout re-solved on a laid-out figure moves ticks by 1e-5 pt.
    assert (once_dir / "open-share-test.png").read_bytes() == twice


def test_a_second_save_with_other_sources_replaces_the_line():
    fig = draw()
    save(fig)
    save(fig, sources=["ecosystem-graphs@2025-01-24"])
    assert source_lines(fig) == ["Data: Stanford CRFM, Ecosystem Graphs (snapshot of 24 January 2025)."]


def test_the_source_line_is_also_replaced_without_a_layout_engine():
    fig, ax = plt.subplots(figsize=(3.5, 2.2))  # plain matplotlib figure, subplots_adjust path
    ax.plot([1, 2], [1, 2])
    bottom = fig.subplotpars.bottom
    save(fig)
    first = fig.subplotpars.bottom
    save(fig)
    assert len(source_lines(fig)) == 1
    assert fig.subplotpars.bottom == first >= bottom


def test_save_returns_where_it_wrote(out, capsys):
    record = save(draw())
    assert record.folder == out
    assert record.files == tuple(f"open-share-test.{ext}" for ext in ("pdf", "svg", "png", "csv", "json"))
    assert not record.scratch  # OPENTRENDS_FIGURE_OUTPUT is set, as under `opentrends run`
    assert record.note().startswith("Saved figure open-share-test (PDF, SVG, PNG, CSV, JSON) to ")
    assert "scratch" not in record.note()
    assert capsys.readouterr().out == ""  # a library call prints nothing


def test_outside_the_runner_save_writes_to_build_scratch_and_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("OPENTRENDS_FIGURE_OUTPUT")
    monkeypatch.setenv("OPENTRENDS_BUILD", str(tmp_path / "build"))
    record = save(draw())
    assert record.scratch and record.folder == tmp_path / "build" / "scratch" / "figures"
    assert sorted(p.name for p in record.folder.iterdir()) == sorted(record.files)
    assert record.note().endswith("(a scratch folder; only `opentrends run` writes the committed figures/).")
    assert capsys.readouterr().out == ""  # not inside IPython: nothing shown


def test_inside_ipython_a_scratch_save_shows_its_one_line_note(tmp_path, monkeypatch, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.delenv("OPENTRENDS_FIGURE_OUTPUT")
    monkeypatch.setenv("OPENTRENDS_BUILD", str(tmp_path / "build"))
    InteractiveShell.instance()
    try:
        record = save(draw())
    finally:
        InteractiveShell.clear_instance()
    assert capsys.readouterr().out == record.note() + "\n"
    assert record._repr_markdown_() == record.note()


def test_the_sidecar_carries_citation_and_embed_snippets(out):
    from opentrends.publish import snippets

    save(draw())
    sidecar = json.loads((out / "open-share-test.json").read_text())
    assert list(sidecar["snippets"]) == sorted([*snippets.KINDS, "bibtex"])  # JSON keys are sorted
    bare = {k: v for k, v in sidecar.items() if k != "snippets"}
    assert sidecar["snippets"] == snippets.for_figure(bare, version=snippets.project_version())
    assert sidecar["snippets"]["latex"].count(r"\includegraphics[width=\columnwidth]{figures/open-share-test.pdf}") == 1
    assert snippets.WIDE_INCHES > figures.SINGLE and snippets.WIDE_INCHES < figures.DOUBLE


NBCONVERT_ENV_DROP = (
    "OPENTRENDS_FIGURE_OUTPUT",
    "OPENTRENDS_FIGURES",
    "OPENTRENDS_BUILD",
    "OPENTRENDS_NOTEBOOK",
    "OPENTRENDS_REGISTRY",
    "OPENTRENDS_NOTEBOOKS",
    "PYTHONPATH",
)


@pytest.mark.integration
def test_plain_nbconvert_execute_writes_under_build_scratch_never_figures(tmp_path):
    """Issue 12.1: a notebook run the ordinary Jupyter way (real nbconvert, real kernel) leaves figures/ alone.

    The project layout is copied to a scratch folder and the kernel imports that copy (PYTHONPATH),
    so the project root the package derives from its own location is the scratch copy.
    """
    import os
    import shutil
    import subprocess
    import sys

    from conftest import FIXTURES, ROOT

    project = tmp_path / "project"
    shutil.copytree(
        ROOT / "src" / "opentrends", project / "src" / "opentrends", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "data" / "sources", project / "data" / "sources")
    (project / "figures").mkdir()
    (project / "figures" / "committed.txt").write_text("committed output\n")
    (project / "notebooks").mkdir()
    shutil.copy(FIXTURES / "save_outside_runner.ipynb", project / "notebooks" / "save.ipynb")
    real_figures = {p.name: p.stat().st_mtime_ns for p in (ROOT / "figures").iterdir()}

    env = {k: v for k, v in os.environ.items() if k not in NBCONVERT_ENV_DROP}
    env["PYTHONPATH"] = str(project / "src")
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "save.ipynb"],
        cwd=project / "notebooks",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    scratch = project / "build" / "scratch" / "figures"
    assert sorted(p.name for p in scratch.iterdir()) == [
        f"scratch-squares.{ext}" for ext in ("csv", "json", "pdf", "png", "svg")
    ]
    assert [p.name for p in (project / "figures").iterdir()] == ["committed.txt"]
    assert (project / "figures" / "committed.txt").read_text() == "committed output\n"
    assert {p.name: p.stat().st_mtime_ns for p in (ROOT / "figures").iterdir()} == real_figures

    executed = json.loads((project / "notebooks" / "save.nbconvert.ipynb").read_text())
    shown = [o["data"] for o in executed["cells"][2]["outputs"] if o["output_type"] == "display_data"]
    notes = ["".join(d["text/markdown"]) for d in shown if "text/markdown" in d]
    assert notes == [
        (
            "Saved figure scratch-squares (PDF, SVG, PNG, CSV, JSON) to build/scratch/figures/ "
            "(a scratch folder; only `opentrends run` writes the committed figures/)."
        )
    ]
    assert str(tmp_path) not in json.dumps(executed)  # no machine paths in the outputs


def test_a_variant_figure_cites_its_parameters_in_caption_citation_and_sidecar(out, monkeypatch):
    variant = {"population": {"value": "notable", "default": "all"}, "start_year": {"value": 2018, "default": 2016}}
    monkeypatch.setenv("OPENTRENDS_VARIANT", json.dumps(variant))  # as the runner sets it in a variant run
    fig = draw()
    save(fig)
    sidecar = json.loads((out / "open-share-test.json").read_text())
    changed = "population='notable' (default 'all'), start_year=2018 (default 2016)"
    assert sidecar["variant"] == variant
    assert sidecar["caption"] == f"A caption. Variant with non-default parameters: {changed}."
    assert sidecar["snippets"]["citation"].startswith(
        f"OpenTrends contributors (2026). Open share [figure open-share-test, variant {changed}]. "
    )
    assert f"Variant with non-default parameters: {changed}." in sidecar["snippets"]["latex"].replace("\\_", "_")
    foot = fig._opentrends_source_line.get_text().replace("\n", " ")
    assert (
        foot
        == f"Data: Epoch AI, Data on AI Models (snapshot of 30 March 2026). Variant with non-default parameters: {changed}."
    )


def test_outside_a_variant_run_nothing_is_added_and_a_bad_variant_is_refused(out, monkeypatch):
    save(draw())
    sidecar = json.loads((out / "open-share-test.json").read_text())
    assert "variant" not in sidecar and sidecar["caption"] == "A caption."
    assert "variant" not in sidecar["snippets"]["citation"]
    monkeypatch.setenv("OPENTRENDS_VARIANT", '{"population": "notable"}')
    with pytest.raises(figures.FigureError, match=r'OPENTRENDS_VARIANT must map each parameter to \{"value"'):
        save(draw())
