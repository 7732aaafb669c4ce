"""The injected `# Parameters` cell of a committed notebook, and the edits a run would silently undo there.

papermill writes the run's parameters into a cell tagged `injected-parameters` below the `parameters` cell;
it is what a JupyterLab user sees and may edit. The next `opentrends run` replaces that cell with what it
injects, so an edit there is lost. `edited_cell_warning` compares the committed cell with what the default
run injects (the committed notebooks are the default run's) and words the warning: which values differ and
how to pass them so they last (-p or a params file).
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping

from opentrends.run.params import tags

INJECTED_TAG = "injected-parameters"
_MISSING = object()


def injected_values(nb: dict) -> dict | None:
    """The `NAME = literal` assignments of the notebook's injected cell; None when it has no such cell.

    Raises ValueError when the cell holds anything else (a statement, an expression that is no literal).
    """
    cell = next((c for c in nb.get("cells", []) if INJECTED_TAG in tags(c)), None)
    if cell is None:
        return None
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ValueError(f"not Python ({exc.msg})") from exc
    values = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            raise ValueError(f"line {node.lineno} is not NAME = value")
        values[node.targets[0].id] = ast.literal_eval(node.value)  # ValueError for what is no literal
    return values


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b  # 1 is not True, 1 is not 1.0: the cell shows the difference


def _as_option(value) -> str:
    """A value as `-p NAME=VALUE` reads it back (YAML scalars; text that YAML would read otherwise quoted)."""
    if isinstance(value, str):
        return (
            value if value and value.replace("_", "").replace("-", "").replace(".", "").isalnum() else json.dumps(value)
        )
    return repr(value)


def edited_cell_warning(notebook: str, nb: dict, injected: Mapping) -> str | None:
    """The warning line for a committed notebook whose injected cell differs from `injected` (what the default
    run injects), or None when it matches or has no such cell."""
    where = f"notebooks/{notebook}.ipynb"
    lead = f"warning: {where}: its injected `# Parameters` cell (tag {INJECTED_TAG}) was edited"
    fix = "pass the value with -p NAME=VALUE or in a params file (--params FILE)"
    try:
        found = injected_values(nb)
    except ValueError as exc:
        return f"{lead} ({exc}); the run replaces that cell with its own parameters, and the edit is lost. Fix: {fix}."
    if found is None:
        return None
    names = [
        n
        for n in [*injected, *(k for k in found if k not in injected)]
        if not _same(found.get(n, _MISSING), injected.get(n, _MISSING))
    ]
    if not names:
        return None
    given = ", ".join(f"{n}={found[n]!r}" if n in found else f"{n} removed" for n in names)
    runs = ", ".join(f"{n}={injected[n]!r}" if n in injected else f"no {n}" for n in names)
    options = " ".join(f"-p {n}={_as_option(found[n])}" for n in names if n in found and n in injected)
    fix = f"pass it with {options} or in a params file (--params FILE)" if options else fix
    return (
        f"{lead}: it sets {given}, but the run injects {runs} and replaces that cell, so the edit is lost. Fix: {fix}."
    )
