"""`make setup` (scripts/setup_venv.sh): a missing or wrong Python gets a fix, a .venv of another Python is rebuilt."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "setup_venv.sh"


def setup(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT)],
        cwd=ROOT,
        env={**os.environ, "VENV": str(tmp_path / "venv"), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def other_python() -> str | None:
    """A real interpreter that is not Python 3.11, if this machine has one (pyenv or the system's)."""
    candidates = [*sorted(glob.glob("/root/.pyenv/versions/3.1[02]*/bin/python3")), "/usr/bin/python3"]
    for path in candidates:
        if not os.access(path, os.X_OK):
            continue
        version = subprocess.run(
            [path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True
        ).stdout.strip()
        if version and version != "3.11":
            return path
    return None


def test_a_missing_python_names_the_fix(tmp_path):
    result = setup(tmp_path, PYTHON="python3.11-not-installed")
    assert result.returncode == 1
    assert "'python3.11-not-installed' was not found (or did not run). The project needs Python 3.11." in result.stderr
    assert "apt install python3.11" in result.stderr and "make setup PYTHON=/path/to/python3.11" in result.stderr
    assert not (tmp_path / "venv").exists()


def test_a_python_of_another_version_is_refused_with_the_fix(tmp_path):
    python = other_python()
    if python is None:
        pytest.skip("no interpreter other than Python 3.11 on this machine")
    result = setup(tmp_path, PYTHON=python)
    assert result.returncode == 1
    assert "the project needs Python 3.11 (pyproject.toml requires-python). Fix: make setup PYTHON=python3.11" in (
        result.stderr
    )


def test_a_venv_made_with_another_python_is_rebuilt_not_reused(tmp_path):
    python = other_python()
    if python is None:
        pytest.skip("no interpreter other than Python 3.11 on this machine")
    subprocess.run([python, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True)
    (tmp_path / "venv" / ".opentrends-setup").touch()  # even a venv that looks set up
    # INSTALLER=none stops the script right after the check, so the test installs nothing.
    result = setup(
        tmp_path, PYTHON=sys.executable if sys.version_info[:2] == (3, 11) else "python3.11", INSTALLER="none"
    )
    assert "was made with Python 3." in result.stdout and "the project needs 3.11: rebuilding it" in result.stdout
    assert not (tmp_path / "venv").exists()
    assert result.returncode == 1 and "INSTALLER=none is not known" in result.stderr


def test_an_unknown_installer_is_an_error_naming_the_choices(tmp_path):
    result = setup(tmp_path, PYTHON=sys.executable, INSTALLER="conda")
    assert result.returncode == 1
    assert "INSTALLER=conda is not known. Fix: INSTALLER=uv (the default) or INSTALLER=pip" in result.stderr
