"""Every path the project uses, derived from this file's location and a few env overrides.

Nothing else in the package types a path. Relative values of the environment variables
below are taken relative to the project root (not the working directory), so a notebook
kernel, whose working directory is `notebooks/`, sees the same folders as the CLI.

| variable            | default                      | what it is                                  |
|---------------------|------------------------------|---------------------------------------------|
| OPENTRENDS_CACHE    | <root>/.cache/snapshots      | verified snapshot files, one folder a date  |
| OPENTRENDS_MIRROR   | (unset)                      | an offline mirror laid out source/date/file (a relative value is taken from the root, not the working directory) |
| OPENTRENDS_REGISTRY | <root>/data/sources          | the source registry (one YAML per source)   |
| OPENTRENDS_FIGURES  | <root>/figures               | the committed figures (the default run's)   |
| OPENTRENDS_FIGURE_OUTPUT | <root>/build/scratch/figures | where `figures.save` writes          |
| OPENTRENDS_BUILD    | <root>/build                 | run state, variant runs, failed notebooks   |
| OPENTRENDS_NOTEBOOKS| <root>/notebooks             | the notebooks `opentrends run` executes     |
| OPENTRENDS_PARAMS   | <root>/params                | default.yaml and named variants             |
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]  # src/opentrends/core/paths.py -> the project root


def _from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else (ROOT / path).resolve()


def cache_dir() -> Path:
    """Folder of verified snapshot files (git-ignored by default)."""
    return _from_env("OPENTRENDS_CACHE", ROOT / ".cache" / "snapshots")


def mirror_dir() -> Path | None:
    """The offline mirror named by OPENTRENDS_MIRROR, or None when unset."""
    value = os.environ.get("OPENTRENDS_MIRROR", "").strip()
    return _from_env("OPENTRENDS_MIRROR", ROOT) if value else None


def registry_dir() -> Path:
    """Folder holding one `<source-id>.yaml` per registered source."""
    return _from_env("OPENTRENDS_REGISTRY", ROOT / "data" / "sources")


def data_dir() -> Path:
    """Committed project data that is not a snapshot (corrections tables and the like)."""
    return ROOT / "data"


def figures_dir() -> Path:
    """The committed figures of the default run (only `opentrends run` writes here)."""
    return _from_env("OPENTRENDS_FIGURES", ROOT / "figures")


def figure_output_dir() -> Path:
    """Where `figures.save` writes.

    `opentrends run` points OPENTRENDS_FIGURE_OUTPUT at its staging folder and moves the files
    into place only when the notebook succeeded. Unset (a notebook run from JupyterLab or
    nbconvert), figures go to a scratch folder under build/, never to the committed figures/.
    """
    return _from_env("OPENTRENDS_FIGURE_OUTPUT", build_dir() / "scratch" / "figures")


def build_dir() -> Path:
    """Run state, variant runs and failed notebooks (git-ignored)."""
    return _from_env("OPENTRENDS_BUILD", ROOT / "build")


def notebooks_dir() -> Path:
    """The committed notebooks, executed with the default parameters."""
    return _from_env("OPENTRENDS_NOTEBOOKS", ROOT / "notebooks")


def params_dir() -> Path:
    """Parameter files: default.yaml and named variants."""
    return _from_env("OPENTRENDS_PARAMS", ROOT / "params")


def package_dir() -> Path:
    """The `opentrends` package source (hashed for incremental builds)."""
    return Path(__file__).resolve().parents[1]  # core/paths.py -> the package folder


def relative_to_root(path: Path) -> str:
    """A path for messages: relative to the project root when inside it, so logs carry no machine paths."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).as_posix()


def base_url() -> str:
    """Where the project root is served (`OPENTRENDS_BASE_URL`, e.g. https://example.org/opentrends/), ending in "/";
    "" when unset: the pages then link relatively and work from the file system."""
    value = os.environ.get("OPENTRENDS_BASE_URL", "").strip()
    return value if not value or value.endswith("/") else value + "/"


def vendor_dir() -> Path:
    """The vendored Vega, Vega-Lite and vega-embed scripts the pages load (`report/vendor/`, sha256 in VENDOR.json)."""
    return ROOT / "report" / "vendor"
