"""What a notebook depends on and why it reruns, computed without kernels on small synthetic inputs."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from conftest import ROOT
from opentrends.core import paths
from opentrends.run import fingerprint


def notebook(*sources: str, metadata: dict | None = None) -> dict:
    return {
        "metadata": metadata or {},
        "cells": [{"cell_type": "code", "metadata": {}, "source": s, "outputs": []} for s in sources],
    }


def names(files) -> set[str]:
    return {p.relative_to(paths.package_dir()).as_posix() for p in files}


def test_imports_are_followed_through_the_package_and_stop_at_what_notebooks_use():
    nb = notebook("n = 3", "%matplotlib inline\nimport pandas as pd\nfrom opentrends.publish import figures\n!ls")
    found = names(fingerprint.imported_modules(nb))
    assert {
        "__init__.py",
        "publish/figures.py",
        "core/paths.py",
        "core/atomic.py",
        "core/errors.py",
        "registry/sources.py",
    } <= found
    assert not found & {"cli/main.py", "cli/bench.py", "publish/gallery.py", "run/runner.py", "catalog/selection.py"}


def test_every_import_form_is_followed():
    forms = [
        "import opentrends.analysis.metrics",
        "from opentrends.catalog.taxonomy import ORIGINS",
        "from opentrends.core import text as t",
    ]
    for source, expected in zip(forms, ["analysis/metrics.py", "catalog/taxonomy.py", "core/text.py"]):
        assert expected in names(fingerprint.imported_modules(notebook(source)))


def test_committed_notebooks_do_not_depend_on_the_cli():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        found = names(fingerprint.imported_modules(json.loads(path.read_text())))
        assert "publish/figures.py" in found and not found & {"cli/main.py", "cli/bench.py", "publish/gallery.py"}, (
            path.name
        )


def test_code_hash_changes_only_with_imported_modules(tmp_path, monkeypatch):
    package = tmp_path / "opentrends"
    shutil.copytree(paths.package_dir(), package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "package_dir", lambda: package)
    nb = notebook("from opentrends.publish import figures")
    before = fingerprint.Environment("", "", {}).code(nb)
    (package / "cli/main.py").write_text("# edited\n" + (package / "cli/main.py").read_text())
    assert fingerprint.Environment("", "", {}).code(nb) == before
    (package / "core/paths.py").write_text("# edited\n" + (package / "core/paths.py").read_text())
    assert fingerprint.Environment("", "", {}).code(nb) != before


@pytest.fixture
def copied_package(tmp_path, monkeypatch):
    """A copy of the real package as `paths.package_dir()`, with the parse cache in a scratch build folder."""
    package = tmp_path / "opentrends"
    shutil.copytree(paths.package_dir(), package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "package_dir", lambda: package)
    monkeypatch.setenv("OPENTRENDS_BUILD", str(tmp_path / "build"))
    return package


def committed_notebooks() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))}


def code_hashes(nbs: dict[str, dict]) -> dict[str, str]:
    """Each notebook's code hash as a run computes it: one Environment (one import graph) for all of them."""
    env = fingerprint.Environment("", "", {})
    return {name: env.code(nb) for name, nb in nbs.items()}


def test_a_comment_in_a_capture_module_reruns_no_notebook(copied_package):
    # Issue 16's measured cost: through the old forwarders a comment in hub_capture.py reran all seven notebooks.
    nbs = committed_notebooks()
    before = code_hashes(nbs)
    for module in sorted((copied_package / "capture").glob("*.py")):
        module.write_text("# a comment\n" + module.read_text())
    assert code_hashes(nbs) == before


def test_an_edited_module_reruns_exactly_the_notebooks_that_import_it(copied_package):
    nbs = committed_notebooks()
    before = code_hashes(nbs)  # also fills the parse cache, so the edit below is found through it
    importers = {
        n for n, nb in nbs.items() if copied_package / "analysis/frontier.py" in fingerprint.imported_modules(nb)
    }
    assert importers and importers != set(nbs)  # a module some notebooks import and others do not
    frontier = copied_package / "analysis/frontier.py"
    frontier.write_text(frontier.read_text() + "\n# edited\n")
    after = code_hashes(nbs)
    assert {n for n in nbs if after[n] != before[n]} == importers


def test_an_import_added_to_a_module_is_followed_after_a_cached_run(copied_package):
    nb = notebook("from opentrends.core import text")
    code_hashes({"nb": nb})  # cached: core/text.py imports no capture module
    assert "capture/update.py" not in names(fingerprint.imported_modules(nb))
    text = copied_package / "core/text.py"
    text.write_text(text.read_text() + "\n\ndef _later():\n    from opentrends.capture import update  # noqa\n")
    assert "capture/update.py" in names(fingerprint.imported_modules(nb))
    before = code_hashes({"nb": nb})
    (copied_package / "capture/update.py").write_text("# edited\n")
    assert code_hashes({"nb": nb}) != before


def test_each_module_is_parsed_once_per_run_and_not_at_all_when_unchanged(copied_package):
    nbs = committed_notebooks()
    first = fingerprint.ImportGraph()
    files = {f for nb in nbs.values() for f in first.closure(fingerprint.notebook_imports(nb, first))}
    cells = {
        "".join(c["source"]) for nb in nbs.values() for c in nb["cells"] if c["cell_type"] == "code"
    }  # identical cells are parsed once too
    assert first.parsed == len(files) + len(cells)
    first.save()
    second = fingerprint.ImportGraph()
    assert {f for nb in nbs.values() for f in second.closure(fingerprint.notebook_imports(nb, second))} == files
    assert second.parsed == 0
    metrics = copied_package / "analysis/metrics.py"
    metrics.write_text(metrics.read_text() + "\n# edited\n")
    third = fingerprint.ImportGraph()
    for nb in nbs.values():
        third.closure(fingerprint.notebook_imports(nb, third))
    assert third.parsed == 1


def test_a_damaged_parse_cache_is_ignored(copied_package):
    nb = notebook("from opentrends.publish import figures")
    expected = fingerprint.imported_modules(nb, fingerprint.ImportGraph(cache_file=paths.build_dir() / "none.json"))
    cache = paths.build_dir() / "cache" / "imports.json"
    cache.parent.mkdir(parents=True)
    for damage in ("{not json", json.dumps({"version": 0, "imports": {}}), json.dumps([1, 2])):
        cache.write_text(damage)
        graph = fingerprint.ImportGraph()
        assert graph.closure(fingerprint.notebook_imports(nb, graph)) == expected
        graph.save()
        assert json.loads(cache.read_text())["version"] == fingerprint.ImportGraph.CACHE_VERSION


def test_registry_hash_follows_the_registry_folder(isolated):
    before = fingerprint.Environment.current()
    registry = paths.registry_dir()
    (registry / "fmti.yaml").write_text((registry / "fmti.yaml").read_text() + "\n# a comment\n")
    after = fingerprint.Environment.current()
    assert after.registry != before.registry and after.tables == before.tables


def test_data_tables_are_the_csv_files_of_data():
    assert [p.name for p in fingerprint.data_tables()] == sorted(p.name for p in (ROOT / "data").glob("*.csv"))


def test_snapshot_pins_list_each_file_sha():
    from opentrends.registry.sources import load_registry

    pins = fingerprint.snapshot_pins(["epoch-ai-models@2026-07-19"], load_registry())
    assert list(pins) == ["epoch-ai-models@2026-07-19"]
    assert pins["epoch-ai-models@2026-07-19"][0].startswith("notable_ai_models.csv:")


@pytest.fixture
def last_run(tmp_path):
    """A recorded run: one executed notebook and two figure files, with their hashes."""
    nbs, figs = tmp_path / "notebooks", tmp_path / "figures"
    nbs.mkdir(), figs.mkdir()
    (nbs / "a.ipynb").write_text("{}")
    (figs / "f.png").write_bytes(b"png")
    (figs / "f.csv").write_text("x\n1\n")
    components = {"parameters": "{}", "notebook source": "abc"}
    outputs = fingerprint.output_hashes(["notebooks/a.ipynb", "figures/f.png", "figures/f.csv"], nbs, figs)
    return {"components": components, "outputs": outputs}, components, nbs, figs


def test_unchanged_inputs_and_outputs_need_no_rerun(last_run):
    previous, components, nbs, figs = last_run
    assert previous["outputs"]["figures/f.png"] == hashlib.sha256(b"png").hexdigest()
    assert fingerprint.why_rerun(previous, components, nbs, figs) is None


def test_rerun_reasons_name_what_changed(last_run):
    previous, components, nbs, figs = last_run
    assert fingerprint.why_rerun(None, components, nbs, figs) == "no previous run"
    changed = {**components, "parameters": '{"n": 4}'}
    assert fingerprint.why_rerun(previous, changed, nbs, figs) == "parameters changed"
    (figs / "f.png").write_bytes(b"edited")
    assert fingerprint.why_rerun(previous, components, nbs, figs) == "figures/f.png changed since the last run"
    (nbs / "a.ipynb").unlink()
    assert fingerprint.why_rerun(previous, components, nbs, figs) == (
        "notebooks/a.ipynb missing; figures/f.png changed since the last run"
    )


def test_a_state_without_output_hashes_reruns(last_run):
    previous, components, nbs, figs = last_run
    assert fingerprint.why_rerun({"components": components}, components, nbs, figs) == "no output hashes recorded"


def test_many_missing_outputs_stay_one_line(last_run):
    previous, components, nbs, figs = last_run
    outputs = {f"figures/g{i}.png": "0" * 64 for i in range(5)}
    assert fingerprint.why_rerun({"components": components, "outputs": outputs}, components, nbs, figs) == (
        "figures/g0.png, figures/g1.png, figures/g2.png and 2 more missing"
    )
