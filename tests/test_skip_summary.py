"""The last line of a test run counts the tests skipped for missing pinned data and says the fix (real pytest)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parent / "conftest.py"

TESTS = """
import pytest


def test_needs_real_data(real_snapshot):
    real_snapshot("ecosystem-graphs@2025-01-24")


def test_copies_mirror_files(mirror_root):
    pass


def test_skipped_for_another_reason():
    pytest.skip("not on this platform")


def test_passes():
    assert True
"""


def run_pytest(folder: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
        check=False,
    )


@pytest.fixture
def suite(tmp_path) -> Path:
    folder = tmp_path / "suite"
    folder.mkdir()
    shutil.copy(CONFTEST, folder / "conftest.py")  # the real hook, in a tiny suite of its own
    (folder / "test_tiny.py").write_text(TESTS)
    return folder


def test_skips_for_missing_data_end_the_run_with_one_summary_line(suite, tmp_path):
    env = {
        "OPENTRENDS_MIRROR": str(tmp_path / "no-mirror"),
        "OPENTRENDS_CACHE": str(tmp_path / "cache"),
        "HF_HUB_OFFLINE": "1",
        "OPENTRENDS_URL_HOST_OVERRIDE": "http://127.0.0.1:9",
    }
    result = run_pytest(suite, env)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.rstrip("\n").splitlines()
    assert lines[-1] == (
        "2 tests skipped: pinned data not available here "
        "(fix: export OPENTRENDS_MIRROR=/abs/path/to/snapshots or run with internet)"
    )
    assert "1 passed, 3 skipped" in lines[-2]
    # the per-test reason says what was tried for the snapshot
    assert (
        "pinned data ecosystem-graphs@2025-01-24 not available here (tried cache: not there; mirror: mirror folder"
        in (result.stdout)
    )


def test_no_summary_line_when_the_data_is_there(suite, mirror_root, tmp_path):
    result = run_pytest(suite, {"OPENTRENDS_MIRROR": str(mirror_root), "OPENTRENDS_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stdout
    assert "pinned data not available" not in result.stdout
    assert "3 passed, 1 skipped" in result.stdout.splitlines()[-1]
