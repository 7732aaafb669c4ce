"""A figure never vanishes silently: the gallery and the report refuse a missing or unreadable sidecar (real CLI)."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT, run_cli
from opentrends.core.errors import OpenTrendsError
from opentrends.publish import gallery, report, sidecars

VICTIM = "open-share-by-origin"  # the first finding's headline figure (notebook 02)


@pytest.fixture
def copy(tmp_path):
    """The committed figures/ and notebooks/ side by side in a temporary folder, as the commands read them."""
    shutil.copytree(ROOT / "figures", tmp_path / "figures")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    return tmp_path


def test_the_notebooks_declare_every_committed_figure():
    owners = sidecars.declared(ROOT / "notebooks")
    assert owners == {
        p.stem: json.loads(p.read_text())["notebook"]
        for p in (ROOT / "figures").glob("*.json")
        if not p.name.endswith(".vl.json")
    }
    assert len(owners) == 35  # 30, two Arena figures (08), open-share-bounds-by-origin, two new claims (05)
    assert sorted(i for i, nb in owners.items() if nb == "02_us_vs_china") == [
        "open-orgs-by-origin",
        "open-releases-by-origin",
        "open-share-bounds-by-origin",
        "open-share-by-origin",
    ]
    assert sidecars.notebooks_beside(ROOT / "figures") == ROOT / "notebooks"


@pytest.mark.parametrize("command", ["gallery", "report"])
def test_a_deleted_sidecar_stops_the_command_naming_the_figure_and_the_fix(copy, command):
    index = copy / "figures" / "index.html"
    before = index.read_bytes()
    (copy / "figures" / f"{VICTIM}.json").unlink()
    env = {"OPENTRENDS_FIGURES": str(copy / "figures"), "OPENTRENDS_NOTEBOOKS": str(copy / "notebooks")}
    result = run_cli(command, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert f"Figure {VICTIM} has no sidecar" in message and "(notebook 02_us_vs_china saves it)" in message
    assert "the page would show 34 figures instead of 35" in message
    assert "Fix: `opentrends run 02_us_vs_china` rebuilds it" in message
    assert "figures/open-share-by-origin.json (notebook" in message
    assert index.read_bytes() == before and not (copy / "report").exists()  # nothing published short


def test_an_unreadable_sidecar_is_an_error_naming_the_figure(copy):
    (copy / "figures" / f"{VICTIM}.json").write_text('{"id": "open-share-by-', encoding="utf-8")
    with pytest.raises(OpenTrendsError) as caught:
        gallery.build(copy / "figures")
    message = str(caught.value)
    assert message.startswith(f"The sidecar of figure {VICTIM} (")
    assert "cannot be read (Unterminated string" in message
    assert "Fix: `opentrends run 02_us_vs_china` rebuilds it" in message


def test_a_sidecar_of_another_figure_is_refused(copy):
    shutil.copy(copy / "figures" / "open-orgs-by-origin.json", copy / "figures" / f"{VICTIM}.json")
    with pytest.raises(OpenTrendsError, match=rf"expected a JSON object whose id is '{VICTIM}', found 'open-orgs-by"):
        report.build(copy / "figures", copy / "notebooks", copy / "report")


def test_figure_files_without_their_sidecar_are_refused_even_without_notebooks(tmp_path):
    """A figures folder with no notebooks beside it (a copy): the figure's own files still show it is missing."""
    for suffix in (".png", ".csv", ".json"):
        shutil.copy(ROOT / "figures" / f"{VICTIM}{suffix}", tmp_path / f"{VICTIM}{suffix}")
        shutil.copy(ROOT / "figures" / f"open-orgs-by-origin{suffix}", tmp_path / f"open-orgs-by-origin{suffix}")
    assert [s["id"] for s in sidecars.read(tmp_path)] == ["open-orgs-by-origin", VICTIM]
    (tmp_path / f"{VICTIM}.json").unlink()
    with pytest.raises(OpenTrendsError) as caught:
        sidecars.read(tmp_path)
    assert f"Figure {VICTIM} has no sidecar" in str(caught.value) and "(its other files are there)" in str(caught.value)
    assert "the page would show 1 figure instead of 2" in str(
        caught.value
    ) and "Fix: `opentrends run` rebuilds it" in str(caught.value)


def test_several_missing_figures_are_all_named_with_their_notebooks(copy):
    for figure_id in (VICTIM, "robustness-us-vs-china"):
        (copy / "figures" / f"{figure_id}.json").unlink()
    with pytest.raises(OpenTrendsError) as caught:
        sidecars.read(copy / "figures")
    message = str(caught.value)
    assert f"Figure {VICTIM} has no sidecar" in message and "(and 1 more: robustness-us-vs-china)" in message
    assert "Fix: `opentrends run 02_us_vs_china 06_robustness` rebuilds it" in message
