"""The committed notebooks and figures are what the default run produces, byte for byte.

One forced default run (into a scratch build folder) is compared with the committed files:
figure PNGs with matplotlib's image comparison, every other figure file and every executed
notebook byte for byte. This is what keeps `opentrends run --force` from leaving `git status`
dirty. It is also the session's one execution of the notebooks: a byte-identical executed
notebook has every cell output nbval would compare, so under `pytest --nbval` the root conftest
deselects the nbval items instead of executing the notebooks a second time.
"""

from __future__ import annotations

import json

import pytest
from matplotlib.testing.compare import compare_images

from conftest import ROOT, run_cli
from opentrends.data.availability import first_unavailable
from opentrends.run.params import project_notebooks
from opentrends.run.runner import notebook_snapshots


@pytest.fixture(scope="module")
def fresh_run(tmp_path_factory):
    reason = first_unavailable(notebook_snapshots())
    if reason:
        pytest.skip(reason)
    build = tmp_path_factory.mktemp("build")
    result = run_cli("run", "--force", "--name", "check", env={"OPENTRENDS_BUILD": str(build)})
    assert result.returncode == 0, result.stdout + result.stderr
    return build / "runs" / "check"


def committed_figure_files(ext: str) -> list[str]:
    return sorted(p.name for p in (ROOT / "figures").glob(f"*.{ext}"))


def first_difference(fresh: dict, committed: dict) -> str:
    """Where two notebooks first differ, for a failure message nbval users can act on."""
    for index, (new, old) in enumerate(zip(fresh["cells"], committed["cells"])):
        if new != old:
            source = "".join(old["source"])[:200]
            return (
                f"cell {index} differs.\ncommitted outputs: {json.dumps(old.get('outputs'))[:800]}\n"
                f"fresh outputs:     {json.dumps(new.get('outputs'))[:800]}\nsource: {source}"
            )
    if len(fresh["cells"]) != len(committed["cells"]):
        return f"{len(fresh['cells'])} cells, committed has {len(committed['cells'])}"
    return "cells equal; notebook metadata or formatting differs"


@pytest.mark.integration
def test_same_figures_as_committed(fresh_run):
    assert sorted(p.name for p in (fresh_run / "figures").iterdir()) == sorted(
        p.name for p in (ROOT / "figures").iterdir()
    )


@pytest.mark.integration
@pytest.mark.parametrize("name", committed_figure_files("png"))
def test_png_matches_committed_image(fresh_run, name):
    assert compare_images(str(ROOT / "figures" / name), str(fresh_run / "figures" / name), tol=0) is None


@pytest.mark.integration
@pytest.mark.parametrize(
    "name", [n for ext in ("pdf", "svg", "csv", "json") for n in committed_figure_files(ext)] + ["index.html"]
)
def test_figure_file_matches_committed_bytes(fresh_run, name):
    assert (fresh_run / "figures" / name).read_bytes() == (ROOT / "figures" / name).read_bytes()


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(p.name for p in project_notebooks(ROOT / "notebooks")))
def test_executed_notebook_matches_committed(fresh_run, name):
    fresh, committed = (fresh_run / "notebooks" / name).read_bytes(), (ROOT / "notebooks" / name).read_bytes()
    if fresh != committed:
        pytest.fail(f"notebooks/{name}: {first_difference(json.loads(fresh), json.loads(committed))}")


def test_every_committed_sidecar_names_its_notebook_and_snapshots():
    for path in (p for p in (ROOT / "figures").glob("*.json") if not p.name.endswith(".vl.json")):
        sidecar = json.loads(path.read_text())
        assert sidecar["notebook"] and (ROOT / "notebooks" / f"{sidecar['notebook']}.ipynb").exists()
        assert all(s["snapshot"] and s["citation"] and s["license"] for s in sidecar["sources"])
