"""Where things go, checked: the README names every figure and command, sources have loaders, notebooks stay thin."""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import re

import pytest

from conftest import ROOT
from opentrends.catalog.loaders import LOADERS, PROVENANCE_ONLY
from opentrends.cli import main as cli
from opentrends.registry.sources import load_registry

# The README and the longer docs it links to (docs/*.md): a figure id or a command is documented in one of them.
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README = "\n".join(path.read_text(encoding="utf-8") for path in DOCS)
# The committed notebooks: NN_topic.ipynb (a stray Untitled.ipynb or NN_topic.nbconvert.ipynb is not one).
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if re.fullmatch(r"\d{2}_[a-z0-9_]+\.ipynb", p.name))
SAVE_RE = re.compile(r"figures\.save\(\s*\w+\s*,\s*f?[\"']([a-z0-9-]+)[\"']")
MAX_MODULE_LINES = 400


def code_cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        c
        for c in nb["cells"]
        if c["cell_type"] == "code" and "injected-parameters" not in c["metadata"].get("tags", [])
    ]


def source(cell) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def figure_ids_by_notebook() -> dict[str, list[str]]:
    return {p.stem: [i for c in code_cells(p) for i in SAVE_RE.findall(source(c))] for p in NOTEBOOKS}


def test_every_figure_id_is_in_the_readme():
    ids = sorted({i for ids in figure_ids_by_notebook().values() for i in ids})
    assert ids, "no figures.save calls found in the notebooks"
    assert [i for i in ids if f"`{i}`" not in README] == []


def test_figure_ids_are_unique_across_notebooks():
    seen: dict[str, str] = {}
    clashes = []
    for notebook, ids in figure_ids_by_notebook().items():
        for figure_id in ids:
            if figure_id in seen and seen[figure_id] != notebook:
                clashes.append((figure_id, seen[figure_id], notebook))
            seen.setdefault(figure_id, notebook)
        assert len(ids) == len(set(ids)), f"{notebook} saves one figure id twice"
    assert clashes == []


def test_every_committed_figure_belongs_to_a_notebook_that_saves_it():
    saved = {i: nb for nb, ids in figure_ids_by_notebook().items() for i in ids}
    for sidecar in (p for p in (ROOT / "figures").glob("*.json") if not p.name.endswith(".vl.json")):
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        assert saved.get(data["id"]) == data["notebook"], f"{sidecar.name}: no notebook saves it, or another one does"


def cli_commands() -> list[str]:
    commands = []

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    nested = any(isinstance(a, argparse._SubParsersAction) for a in sub._actions)
                    choices = [a for a in sub._actions if a.dest == "action" and a.choices]
                    if nested:
                        walk(sub, f"{prefix} {name}")
                    elif choices:
                        commands.extend(f"{prefix} {name} {c}" for c in choices[0].choices)
                    else:
                        commands.append(f"{prefix} {name}")

    walk(cli.build_parser(), "opentrends")
    return commands


def test_every_cli_command_is_in_the_readme():
    commands = cli_commands()
    assert "opentrends run" in commands and "opentrends snapshot push" in commands
    assert [c for c in commands if f"`{c}" not in README] == []


def test_every_registered_source_has_a_loader_or_is_provenance_only():
    registered = set(load_registry())
    assert set(LOADERS) & set(PROVENANCE_ONLY) == set()
    assert sorted(registered - set(LOADERS) - set(PROVENANCE_ONLY)) == []
    assert sorted((set(LOADERS) | set(PROVENANCE_ONLY)) - registered) == []


@pytest.mark.parametrize("source_id", sorted(LOADERS))
def test_loader_modules_declare_their_source(source_id):
    module = importlib.import_module(LOADERS[source_id])
    assert source_id == module.SOURCE_ID
    assert module.__doc__ and module.__doc__.strip()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_stay_thin(path):
    cells = code_cells(path)
    assert "parameters" in cells[0]["metadata"].get("tags", []), "the first code cell must be tagged 'parameters'"
    for cell in cells:
        text = source(cell)
        tree = ast.parse(text)
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)], (
            "define functions in src/opentrends, not in notebooks"
        )
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names)]
        assert not re.search(r"[\"'](/[A-Za-z_.]|\.\./|~/|[A-Za-z]:\\)", text), "no typed paths in notebooks"


def test_no_module_is_over_400_lines():
    sizes = {
        p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in (ROOT / "src" / "opentrends").rglob("*.py")
    }
    assert {k: v for k, v in sizes.items() if v > MAX_MODULE_LINES} == {}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_name_the_project_kernel(path):
    from opentrends.run.execute import KERNEL_NAME

    assert json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"] == KERNEL_NAME


def test_the_package_has_no_import_cycles():
    """Strongly connected components of the module import graph (lazy imports included) are all single modules."""
    import grimp

    graph = grimp.build_graph("opentrends")
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} <-> {imported}")
    assert cycles == []


def test_contributing_package_map_is_generated_from_the_code():
    import importlib.util

    spec = importlib.util.spec_from_file_location("package_map", ROOT / "scripts" / "package_map.py")
    package_map = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(package_map)
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert package_map.current_map(text) == package_map.package_map(), (
        "CONTRIBUTING.md's package map is stale: run `python scripts/package_map.py --write`"
    )


def test_every_layer_subpackage_says_its_job_in_one_line():
    package = ROOT / "src" / "opentrends"
    for folder in sorted(p for p in package.iterdir() if (p / "__init__.py").is_file()):
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.strip().splitlines()) == 1, folder.name


def test_every_module_has_its_own_test_file_or_says_where_its_tests_live():
    """CONTRIBUTING's "Tests elsewhere:" line lists each module without `tests/test_<module>.py`, and no other."""
    line = next(
        x
        for x in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").splitlines()
        if x.startswith("Tests elsewhere: ")
    )
    listed = {
        module: [] if where == "none yet" else where.split(", ")
        for module, where in re.findall(
            r"`([a-z_/]+)`: ([a-z_, ]+?)[;.](?: |$)", line.removeprefix("Tests elsewhere: ")
        )
    }
    package = ROOT / "src" / "opentrends"
    modules = sorted(
        p.relative_to(package).with_suffix("").as_posix() for p in package.rglob("*.py") if p.name != "__init__.py"
    )
    without = [m for m in modules if not (ROOT / "tests" / f"test_{m.rsplit('/', 1)[-1]}.py").is_file()]
    assert sorted(listed) == without, "list each module without tests/test_<module>.py (and only those) in CONTRIBUTING"
    missing_files = [
        f"{m}: {t}" for m, tests in listed.items() for t in tests if not (ROOT / "tests" / f"{t}.py").is_file()
    ]
    assert missing_files == []


# Every project notebook: sentences with numbers come from tested functions, so no code cell needs more lines.
THIN_NOTEBOOKS = tuple(sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
MAX_CELL_LINES = 15


@pytest.mark.parametrize("name", THIN_NOTEBOOKS)
def test_every_code_cell_of_a_thin_notebook_is_at_most_15_lines(name):
    long = {
        i: len(source(c).splitlines())
        for i, c in enumerate(code_cells(ROOT / "notebooks" / f"{name}.ipynb"))
        if len(source(c).splitlines()) > MAX_CELL_LINES
    }
    assert not long, f"{name}: code cells over {MAX_CELL_LINES} lines (index among code cells: lines): {long}"


SOURCE_FILES = sorted((ROOT / "src" / "opentrends").rglob("*.py"))
DOTTED = re.compile(r"`(opentrends(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")


def _resolves(dotted: str) -> bool:
    """A dotted name is a module of the package, or an attribute of one (`module.function`)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_every_dotted_module_path_in_docs_docstrings_and_notebooks_exists():
    """Drift check: a module moved or renamed leaves no old `opentrends.*` path in a docstring, a doc or a cell."""
    places = [*SOURCE_FILES, *NOTEBOOKS, *DOCS, ROOT / "CONTRIBUTING.md"]
    stale = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in places
        for name in set(DOTTED.findall(path.read_text(encoding="utf-8")))
        if name != "opentrends.x" and not name.startswith("opentrends.x.") and not _resolves(name)
    )
    assert stale == [], "old or misspelt module paths (fix: name the module where the code lives now):\n" + "\n".join(
        stale
    )


def test_no_document_cites_a_file_the_repository_does_not_have():
    """DESIGN.md lives outside the repository: the project's own docs and code never send a reader to it."""
    places = [*SOURCE_FILES, *DOCS, ROOT / "CONTRIBUTING.md", ROOT / "pyproject.toml"]
    citing = [str(path.relative_to(ROOT)) for path in places if "DESIGN.md" in path.read_text(encoding="utf-8")]
    assert citing == []


DECLARED = re.compile(r"checks\.declared\(globals\(\), \"([0-9a-z_]+)\"\)")
SECOND_COPY = re.compile(r"checks\.(?:choice|choices|snapshot|whole_number|number|boolean|date)\(\"([a-z_]+)\"")
# Notebooks whose first cells still check parameters by hand beside run/param_spec.py (issue 23 moves each one to
# `checks.declared`); listed so that the debt is visible and a converted notebook must leave the list.
HAND_CHECKED = {
    "01_open_vs_closed",
    "02_us_vs_china",
    "03_frontier_gap",
    "05_claims",
    "06_robustness",
    "07_hub_over_time",
}


def test_the_notebooks_still_checked_by_hand_are_exactly_the_listed_ones():
    by_hand = {p.stem for p in NOTEBOOKS if not DECLARED.search("\n".join("".join(c["source"]) for c in code_cells(p)))}
    assert by_hand == HAND_CHECKED


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem not in HAND_CHECKED], ids=lambda p: p.stem)
def test_a_notebook_checks_its_one_declaration_names_itself_and_keeps_no_second_copy(path):
    """`checks.declared` reads run/param_spec.py, the one declaration; a hand-written check of a declared parameter
    beside it would be a second copy (only what needs the data may follow: e.g. notebook 00's `compare_file`)."""
    from opentrends.run.param_spec import spec_for

    source = "\n".join("".join(c["source"]) for c in code_cells(path))
    assert DECLARED.findall(source) == [path.stem]
    spec = spec_for(path.stem)
    again = [name for name in SECOND_COPY.findall(source) if name in spec and spec[name].note == ""]
    assert again == [], f"{path.name} checks {again} by hand besides their declaration in run/param_spec.py"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_committed_notebook_shows_a_warning_or_a_machine_path(path):
    """A warning in a cell's output names the kernel's temporary file (/tmp/ipykernel_<pid>/...): it changes with
    every run, breaking byte-identical notebooks and nbval, and leaks a machine path into the pages."""
    shown = [
        "".join(output.get("text", ""))
        for cell in code_cells(path)
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
    ]
    bad = [text[:200] for text in shown if "Warning" in text or re.search(r"/(tmp|work|root|home)/", text)]
    assert bad == [], f"{path.name}: {bad}"
