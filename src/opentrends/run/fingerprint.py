"""What a notebook's outputs depend on, and why a notebook must run again.

A notebook is rerun when one of these changed since its last successful run: its cells, its
effective parameters, the sha256 pins of the snapshots its snapshot parameters name, the
`opentrends` modules it imports (followed through the package, so editing `cli.py` or
`bench.py` reruns nothing), the source registry folder, the data tables notebooks read
(`data/*.csv`), or the pandas/matplotlib/seaborn versions. It is also rerun when one of the
outputs it produced last time (the executed notebook, each figure file) is missing or no
longer has the sha256 recorded then.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from opentrends.core import paths
from opentrends.core.files import sha256_file
from opentrends.run.params import tags

TRACKED_LIBRARIES = ("pandas", "matplotlib", "seaborn")
PACKAGE = "opentrends"
# IPython syntax that is not Python (magics, shell escapes) is dropped before parsing a cell for imports.
_IPYTHON_LINE = re.compile(r"^\s*[%!]")


def source_digest(nb: dict) -> str:
    """Hash of what the author wrote: cell types, tags and sources (not outputs, not injected parameters)."""
    digest = hashlib.sha256()
    for cell in nb["cells"]:
        if "injected-parameters" in tags(cell):
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        digest.update(json.dumps([cell["cell_type"], sorted(tags(cell)), source]).encode())
    return digest.hexdigest()


# --- the package modules a notebook imports ---------------------------------------------------------


def _module_file(module: str, package: Path) -> Path | None:
    """The source file of `opentrends.x.y` (a module or a package's __init__) under `package`, or None."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = package.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports_in(tree: ast.AST, current: str, is_package: bool) -> set[str]:
    """Every `opentrends.*` module named by an import (anywhere in the code, lazy ones included)
    or by a string constant (the loader registry names its modules as strings)."""
    found = set()
    package = current if is_package else current.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(PACKAGE + "."):
            found.add(node.value)
    return {name for name in found if name == PACKAGE or name.startswith(PACKAGE + ".")}


def _cell_tree(source: str) -> ast.AST:
    text = "\n".join("" if _IPYTHON_LINE.match(line) else line for line in source.splitlines())
    try:
        return ast.parse(text)
    except SyntaxError:
        return ast.parse("")  # a cell that is not Python imports nothing we can follow


class ImportGraph:
    """The package's import graph for one run: every module file is read and hashed once, and parsed at most once.

    What a module imports depends only on its bytes and its name, so the parse result is cached across runs in
    `build/cache/imports.json`, keyed by the file's sha256 and module name: a no-op rebuild parses nothing, and
    an edited module is parsed again because its hash changed. The cache is only an optimisation: a missing,
    unreadable or foreign cache file is ignored and rewritten.
    """

    CACHE_VERSION = 1
    MAX_CELLS = 2000  # cached notebook cells besides this run's (edited cells leave old entries behind)

    def __init__(self, package: Path | None = None, cache_file: Path | None = None):
        self.package = package or paths.package_dir()
        self.cache_file = cache_file if cache_file is not None else paths.build_dir() / "cache" / "imports.json"
        self._sha: dict[Path, str] = {}
        self._imports: dict[str, frozenset[str]] = {}
        self._files: dict[str, Path | None] = {}
        self._cached = self._load()
        self._used: dict[str, list[str]] = {}
        self.parsed = 0  # modules parsed by this graph (the rest came from the cache)
        self._saved = 0

    def _load(self) -> dict[str, list[str]]:
        try:
            data = json.loads(self.cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != self.CACHE_VERSION:
            return {}
        entries = data.get("imports")
        return entries if isinstance(entries, dict) else {}

    def save(self) -> None:
        """Write the cache when this graph parsed something: one entry per module name, the newest version."""
        if not self.parsed or self._saved == self.parsed:
            return
        from opentrends.core.atomic import write_text_atomic

        # A module keeps only its newest entry; notebook cells (any notebook's, named `__main__`) up to a bound.
        used_modules = {key.partition(" ")[2] for key in self._used} - {"__main__"}
        kept = {k: v for k, v in self._cached.items() if k.partition(" ")[2] not in used_modules}
        cells = [k for k in kept if k.endswith(" __main__") and k not in self._used]
        for key in cells[: max(0, len(cells) - self.MAX_CELLS)]:
            del kept[key]
        entries = dict(sorted({**kept, **self._used}.items()))
        try:
            payload = {"version": self.CACHE_VERSION, "imports": entries}
            write_text_atomic(self.cache_file, json.dumps(payload, indent=0, sort_keys=True) + "\n")
            self._saved = self.parsed
        except OSError:
            pass  # a read-only build folder costs parse time, nothing else

    def sha(self, path: Path) -> str:
        """sha256 of a package file, read once per graph."""
        if path not in self._sha:
            self._sha[path] = sha256_file(path)
        return self._sha[path]

    def file(self, module: str) -> Path | None:
        """The source file of `opentrends.x.y` (a module or a package's __init__), or None."""
        if module not in self._files:
            self._files[module] = _module_file(module, self.package)
        return self._files[module]

    def imports(self, module: str) -> frozenset[str]:
        """The `opentrends.*` names one module's code refers to (from the cache when its bytes are known)."""
        if module not in self._imports:
            file = self.file(module)
            key = f"{self.sha(file)} {module}"
            names = self._cached.get(key)
            if not isinstance(names, list):
                self.parsed += 1
                tree = ast.parse(file.read_text(encoding="utf-8"))
                names = sorted(_imports_in(tree, module, file.name == "__init__.py"))
            self._used[key] = names
            self._imports[module] = frozenset(names)
        return self._imports[module]

    def cell_imports(self, source: str) -> frozenset[str]:
        """The `opentrends.*` names one notebook cell imports (cached by the cell's sha256, like a module's)."""
        key = f"{hashlib.sha256(source.encode()).hexdigest()} __main__"
        names = self._cached.get(key)
        if not isinstance(names, list):
            self.parsed += 1
            names = sorted(_imports_in(_cell_tree(source), "__main__", False))
        self._used[key] = names
        return frozenset(names)

    def closure(self, roots: Iterable[str]) -> list[Path]:
        """The files of `roots` and of everything they import, transitively, parent packages included."""
        pending = set(roots)
        seen: dict[str, Path] = {}
        while pending:
            module = pending.pop()
            parts = module.split(".")
            for i in range(1, len(parts) + 1):
                name = ".".join(parts[:i])
                if name in seen:
                    continue
                file = self.file(name)
                if file is None:
                    continue
                seen[name] = file
                pending |= self.imports(name) - set(seen)
        return sorted(set(seen.values()))


def notebook_imports(nb: dict, graph: ImportGraph | None = None) -> set[str]:
    """The `opentrends.*` names a notebook's code cells import (each cell's result cached by `graph`)."""
    found = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            found |= graph.cell_imports(source) if graph else _imports_in(_cell_tree(source), "__main__", False)
    return found


def imported_modules(nb: dict, graph: ImportGraph | None = None) -> list[Path]:
    """The package's source files a notebook can execute: its `opentrends` imports, followed transitively.

    Parent packages count too (importing `opentrends.catalog.loaders.epoch` runs `opentrends/__init__.py`,
    `opentrends/catalog/__init__.py` and `opentrends/catalog/loaders/__init__.py`). Pass the run's `graph` so modules are shared between notebooks.
    """
    graph = graph or ImportGraph()
    return graph.closure(notebook_imports(nb, graph))


# --- hashes ------------------------------------------------------------------------------------------


def _hash_files(files: Iterable[Path], root: Path, sha=sha256_file) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(sha(path).encode())
    return digest.hexdigest()


def data_tables() -> list[Path]:
    """The committed tables notebooks read (data/*.csv): corrections and the like, not the registry."""
    return sorted(paths.data_dir().glob("*.csv"))


@dataclass
class Environment:
    """Inputs shared by every notebook of a run, computed once."""

    registry: str
    tables: str
    libraries: dict[str, str]
    graph: ImportGraph | None = field(default=None, repr=False)
    _code: dict[tuple[Path, ...], str] = field(default_factory=dict, repr=False)

    @classmethod
    def current(cls) -> Environment:
        registry = paths.registry_dir()
        return cls(
            registry=_hash_files([p for p in registry.rglob("*") if p.is_file()], registry)
            if registry.is_dir()
            else "",
            tables=_hash_files(data_tables(), paths.data_dir()),
            libraries={lib: metadata.version(lib) for lib in TRACKED_LIBRARIES},
            graph=ImportGraph(),
        )

    def code(self, nb: dict) -> str:
        """Hash of the package modules this notebook imports (memoised: notebooks share most of them).

        One import graph serves every notebook of the run; its parse cache is saved after each notebook.
        """
        if self.graph is None:
            self.graph = ImportGraph()
        files = tuple(self.graph.closure(notebook_imports(nb, self.graph)))
        if files not in self._code:
            self._code[files] = _hash_files(files, self.graph.package, self.graph.sha)
        self.graph.save()
        return self._code[files]


def snapshot_pins(refs: Iterable[str], registry: dict) -> dict[str, list[str]]:
    """sha256 pins of every snapshot in `refs` (already checked against the registry)."""
    from opentrends.registry.sources import get_snapshot

    pins = {}
    for ref in sorted(set(refs)):
        snap = get_snapshot(ref, registry)
        pins[snap.ref] = [f"{f.path}:{f.sha256}" for f in snap.files]
    return pins


def dependency_components(nb: dict, params: dict, refs: Iterable[str], registry: dict, env: Environment) -> dict:
    """Everything a notebook's outputs depend on, as comparable named parts."""
    return {
        "notebook source": source_digest(nb),
        "parameters": json.dumps(params, sort_keys=True, default=str),
        "snapshot data": json.dumps(snapshot_pins(refs, registry), sort_keys=True),
        "opentrends code": env.code(nb),
        "data registry": env.registry,
        "data tables": env.tables,
        "library versions": json.dumps(env.libraries, sort_keys=True),
    }


# --- outputs and the reason to rerun -----------------------------------------------------------------


def output_location(label: str, notebooks_out: Path, figures_out: Path) -> Path:
    """`notebooks/NAME.ipynb` or `figures/FILE` (how the state names outputs) as a path of this run."""
    kind, _, name = label.partition("/")
    return (notebooks_out if kind == "notebooks" else figures_out) / name


def output_hashes(labels: Iterable[str], notebooks_out: Path, figures_out: Path) -> dict[str, str]:
    """sha256 of each output (by its label), as recorded in the run state after a successful run."""
    return {label: sha256_file(output_location(label, notebooks_out, figures_out)) for label in sorted(labels)}


def why_rerun(previous: dict | None, components: dict, notebooks_out: Path, figures_out: Path) -> str | None:
    """Why this notebook must run again, in words, or None when its recorded outputs are still current."""
    if previous is None:
        return "no previous run"
    changed = [k for k, v in components.items() if previous.get("components", {}).get(k) != v]
    if changed:
        return ", ".join(f"{k} changed" for k in changed)
    recorded = previous.get("outputs")
    if not isinstance(recorded, dict) or not recorded:
        return "no output hashes recorded"
    missing, edited = [], []
    for label, sha in sorted(recorded.items()):
        path = output_location(label, notebooks_out, figures_out)
        if not path.is_file():
            missing.append(label)
        elif sha256_file(path) != sha:
            edited.append(label)
    reasons = []
    if missing:
        reasons.append(_listed(missing) + " missing")
    if edited:
        reasons.append(_listed(edited) + " changed since the last run")
    return "; ".join(reasons) or None


def _listed(labels: list[str]) -> str:
    """Up to three labels by name, then a count (a whole figure folder deleted stays one line)."""
    shown = ", ".join(labels[:3])
    return shown + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")
