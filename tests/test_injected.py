"""An edited injected `# Parameters` cell is said before the run replaces it (run.injected, and the real runner)."""

from __future__ import annotations

import json

import pytest
from test_runner import make_project, run_lines

from opentrends.run import injected

DEFAULTS = {"n": 3, "label": "demo", "source": "ecosystem-graphs@2025-01-24"}


def notebook(cell_source: str | None) -> dict:
    cells = [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "n = 3\n", "outputs": []}]
    if cell_source is not None:
        cells.append({"cell_type": "code", "metadata": {"tags": ["injected-parameters"]}, "source": cell_source})
    return {"cells": cells}


INJECTED = '# Parameters\nn = 3\nlabel = "demo"\nsource = "ecosystem-graphs@2025-01-24"\n'


def test_an_unedited_cell_or_none_at_all_says_nothing():
    assert injected.edited_cell_warning("01_simple", notebook(INJECTED), DEFAULTS) is None
    assert injected.edited_cell_warning("01_simple", notebook(None), DEFAULTS) is None


def test_an_edited_value_names_the_notebook_the_values_and_the_option_that_lasts():
    edited = INJECTED.replace("n = 3", "n = 7").replace('"demo"', '"my label"')
    assert injected.edited_cell_warning("01_simple", notebook(edited), DEFAULTS) == (
        "warning: notebooks/01_simple.ipynb: its injected `# Parameters` cell (tag injected-parameters) was edited: "
        "it sets n=7, label='my label', but the run injects n=3, label='demo' and replaces that cell, so the edit "
        'is lost. Fix: pass it with -p n=7 -p label="my label" or in a params file (--params FILE).'
    )


@pytest.mark.parametrize("source", [INJECTED + "print(n)\n", INJECTED + "n = (\n", INJECTED + "m = 4\n"])
def test_code_or_a_new_name_in_the_cell_is_an_edit_too(source):
    warning = injected.edited_cell_warning("01_simple", notebook(source), DEFAULTS)
    assert warning.startswith("warning: notebooks/01_simple.ipynb: its injected `# Parameters` cell")
    assert warning.endswith("(--params FILE).") and "the edit is lost" in warning


@pytest.mark.integration
def test_the_run_warns_before_it_replaces_an_edited_cell_but_not_after_a_new_default(tmp_path, monkeypatch):
    root = make_project(tmp_path, monkeypatch, "01_simple")
    _, lines = run_lines()
    assert not [line for line in lines if line.startswith("warning")]
    committed = root / "notebooks" / "01_simple.ipynb"
    nb = json.loads(committed.read_text())
    cell = next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
    assert "".join(cell["source"]) == '# Parameters\nn = 3\nlabel = "demo"\nsource = "ecosystem-graphs@2025-01-24"\n'
    cell["source"] = "".join(cell["source"]).replace("n = 3", "n = 5")  # as a JupyterLab user would, then save
    committed.write_text(json.dumps(nb))
    _, lines = run_lines()
    warning = (
        "warning: notebooks/01_simple.ipynb: its injected `# Parameters` cell (tag injected-parameters) was edited: "
        "it sets n=5, but the run injects n=3 and replaces that cell, so the edit is lost. Fix: pass it with -p n=5 "
        "or in a params file (--params FILE)."
    )
    assert lines[0] == warning and lines[1].startswith("01_simple: running")  # said before the cell is replaced
    assert "n = 3\n" in "".join(
        next(
            c
            for c in json.loads(committed.read_text())["cells"]
            if c["metadata"].get("tags") == ["injected-parameters"]
        )["source"]
    )
    # a new default in params/default.yaml is no edit by hand: the next run says nothing and injects it
    (root / "params" / "default.yaml").write_text("common: {n: 4}\nnotebooks: {}\n")
    _, lines = run_lines()
    assert not [line for line in lines if line.startswith("warning")] and lines[0].startswith("01_simple: running")
