"""The figure sidecars a page is built from, checked against the figures the notebooks declare.

A notebook declares a figure by saving it: `figures.save(fig, "<id>", ...)` with a literal id in a code cell
(CONTRIBUTING, "Add a figure"; the convention tests hold every notebook to it). The gallery and the report read
the sidecars only through `read`, so a deleted or damaged sidecar stops them with the figure's name and the fix
instead of a page that silently shows one figure fewer than the notebooks made.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from opentrends.core import paths
from opentrends.core.errors import OpenTrendsError

# The same literal-id pattern as tests/test_conventions.py: an id computed at run time could not be checked here.
SAVE_RE = re.compile(r"figures\.save\(\s*\w+\s*,\s*f?[\"']([a-z0-9-]+)[\"']")
NOTEBOOK_RE = re.compile(r"^\d{2}_[a-z0-9_]+\.ipynb$")  # the runner's project notebooks (run.params), not Untitled
FIGURE_FILES = (".png", ".svg", ".pdf", ".csv")  # what `figures.save` writes beside the sidecar


class SidecarError(OpenTrendsError):
    """A figure's sidecar is missing or cannot be read: the page built from the sidecars would lose the figure."""


def notebooks_beside(figures: Path) -> Path:
    """The notebooks folder that goes with a figures folder: notebooks/ for the committed figures/, else the
    sibling `notebooks/` (a variant run's build/runs/NAME/{figures,notebooks})."""
    if figures.resolve() == paths.figures_dir().resolve():
        return paths.notebooks_dir()
    return figures.parent / "notebooks"


def declared(notebooks: Path) -> dict[str, str]:
    """figure id -> notebook name, for every literal `figures.save` id in the code cells of the project's
    notebooks in `notebooks` (none when the folder does not exist)."""
    found: dict[str, str] = {}
    if not notebooks.is_dir():
        return found
    for path in sorted(p for p in notebooks.glob("*.ipynb") if NOTEBOOK_RE.match(p.name)):
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise OpenTrendsError(
                f"{paths.relative_to_root(path)} cannot be read as a notebook ({exc}), so the figures it declares "
                f"are unknown. Fix: restore it (`git checkout -- {paths.relative_to_root(path)}`) or rerun it with "
                f"`opentrends run {path.stem}`."
            ) from exc
        for cell in cells:
            if cell.get("cell_type") == "code":
                text = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                for figure_id in SAVE_RE.findall(text):
                    found.setdefault(figure_id, path.stem)
    return found


def _fix(figure_ids: list[str], owners: dict[str, str]) -> str:
    notebooks = sorted({owners[i] for i in figure_ids if i in owners})
    if notebooks and len(notebooks) == len({owners.get(i) for i in figure_ids}):
        return f"Fix: `opentrends run {' '.join(notebooks)}` rebuilds it (the notebook that saves the figure)."
    return "Fix: `opentrends run` rebuilds it (the notebook that saves the figure)."


def _read_one(path: Path, owners: dict[str, str]) -> dict:
    where = paths.relative_to_root(path)
    try:
        sidecar = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise SidecarError(
            f"The sidecar of figure {path.stem} ({where}) cannot be read ({why}); a figure sidecar is the JSON "
            f"`figures.save` writes. {_fix([path.stem], owners)}"
        ) from exc
    if not isinstance(sidecar, dict) or sidecar.get("id") != path.stem:
        found = sidecar.get("id") if isinstance(sidecar, dict) else type(sidecar).__name__
        raise SidecarError(
            f"The sidecar of figure {path.stem} ({where}) is not a figure sidecar: expected a JSON object whose "
            f"id is {path.stem!r}, found {found!r}. {_fix([path.stem], owners)}"
        )
    return sidecar


def read(figures: Path, notebooks: Path | None = None) -> list[dict]:
    """Every figure sidecar (`<id>.json`) in `figures`, sorted by file name, refusing to lose a figure.

    A SidecarError names the figure and the fix when a sidecar cannot be read, when a figure's other files
    (PNG, SVG, PDF, CSV) are there without it, or when a notebook in `notebooks` (default: `notebooks_beside`)
    declares a figure that has no sidecar. Plain JSON on purpose: building a page at the end of a run must not
    import matplotlib.
    """
    notebooks = notebooks_beside(figures) if notebooks is None else notebooks
    owners = declared(notebooks)
    found = {p.stem: p for p in sorted(figures.glob("*.json")) if not p.name.endswith(".vl.json")}  # specs: vega.py
    sidecars = [_read_one(path, owners) for path in found.values()]
    orphans = {p.stem for p in figures.iterdir() if p.suffix in FIGURE_FILES} if figures.is_dir() else set()
    missing = sorted((set(owners) | orphans) - set(found))
    if missing:
        first = missing[0]
        why = f"notebook {owners[first]} saves it" if first in owners else "its other files are there"
        more = f" (and {len(missing) - 1} more: {', '.join(missing[1:])})" if len(missing) > 1 else ""
        raise SidecarError(
            f"Figure {first} has no sidecar {paths.relative_to_root(figures / (first + '.json'))} ({why}){more}; "
            f"the page would show {len(sidecars)} figure{'s' * (len(sidecars) != 1)} instead of "
            f"{len(sidecars) + len(missing)}. "
            f"{_fix(missing, owners)}"
        )
    return sidecars
