"""The last line of a test run counts the tests skipped for missing pinned data and says the fix (real pytest)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROOT_CONFTEST = ROOT / "conftest.py"
TESTS_CONFTEST = Path(__file__).resolve().parent / "conftest.py"
CHROMIUM_FIXTURE = Path(__file__).resolve().parent / "chromium.py"
NO_BROWSER = (
    "no browser here: chromium and chromedriver not on PATH, so the page tests did not run "
    "(fix: apt-get install chromium chromium-driver)"
)
NO_MIRROR_LINE = (
    "2 tests skipped: pinned data not available here "
    "(fix: export OPENTRENDS_MIRROR=/abs/path/to/snapshots or run with internet)"
)

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


def run_pytest(folder: Path, env: dict, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs", *args, str(folder)],
        cwd=cwd or folder.parent,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
        check=False,
    )


ALONE = """
import pytest


def test_skipped_for_data():
    pytest.skip("pinned data x@2020-01-01 not available here (tried cache: not there); fix: get it")
"""


@pytest.fixture
def suite(tmp_path) -> Path:
    """The repo's two conftest files, as laid out in the repo, around a tiny suite of their own."""
    folder = tmp_path / "suite"
    (folder / "tests").mkdir(parents=True)
    (folder / "other").mkdir()
    shutil.copy(ROOT_CONFTEST, folder / "conftest.py")
    shutil.copy(TESTS_CONFTEST, folder / "tests" / "conftest.py")
    (folder / "tests" / "test_tiny.py").write_text(TESTS)
    (folder / "other" / "test_alone.py").write_text(ALONE)
    return folder


def offline(tmp_path) -> dict:
    return {
        "OPENTRENDS_CACHE": str(tmp_path / "cache"),
        "HF_HUB_OFFLINE": "1",
        "OPENTRENDS_URL_HOST_OVERRIDE": "http://127.0.0.1:9",
    }


def test_skips_for_missing_data_end_the_run_with_one_summary_line(suite, tmp_path):
    env = {**offline(tmp_path), "OPENTRENDS_MIRROR": ""}
    result = run_pytest(suite / "tests", env)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.rstrip("\n").splitlines()
    assert lines[-1] == NO_MIRROR_LINE
    assert lines[-2] == "1 test skipped: not on this platform"  # every other reason is named too
    assert "1 passed, 3 skipped" in lines[-3]
    # the per-test reason says what was tried for the snapshot
    assert (
        "pinned data ecosystem-graphs@2025-01-24 not available here (tried cache: not there; mirror: "
        "OPENTRENDS_MIRROR is not set" in result.stdout
    )


@pytest.mark.parametrize("mirror", ["missing", "file", "empty"])
def test_summary_fix_fits_a_mirror_that_is_set_but_cannot_serve(suite, tmp_path, mirror):
    folder = tmp_path / "mirror"
    if mirror == "file":
        folder.write_text("not a folder")
    elif mirror == "empty":
        folder.mkdir()
    result = run_pytest(suite / "tests", {**offline(tmp_path), "OPENTRENDS_MIRROR": str(folder)})
    last = result.stdout.rstrip("\n").splitlines()[-1]
    assert "export OPENTRENDS_MIRROR=/abs/path" not in last, last
    expected = {
        "missing": f"(fix: OPENTRENDS_MIRROR names {folder.as_posix()}, which does not exist; point it at the mirror",
        "file": f"(fix: OPENTRENDS_MIRROR names {folder.as_posix()}, which is a file, not a folder; point it at",
        "empty": f"(fix: the mirror {folder.as_posix()} lacks or holds damaged copies of pinned files; "
        "`opentrends verify` names each)",
    }[mirror]
    count = "1 test" if mirror == "empty" else "2 tests"  # mirror_root does not skip for a folder
    assert last.startswith(f"{count} skipped: pinned data not available here ") and expected in last, last


def test_summary_line_appears_for_a_run_outside_tests(suite, tmp_path):
    """Like `pytest --nbval notebooks/NN.ipynb`: tests/conftest.py is not loaded, the summary still comes."""
    result = run_pytest(suite / "other", {**offline(tmp_path), "OPENTRENDS_MIRROR": ""})
    assert result.returncode == 0, result.stdout
    assert result.stdout.rstrip("\n").splitlines()[-1] == (
        "1 test skipped: pinned data not available here "
        "(fix: export OPENTRENDS_MIRROR=/abs/path/to/snapshots or run with internet)"
    )


def test_no_summary_line_when_the_data_is_there(suite, mirror_root, tmp_path):
    env = {"OPENTRENDS_MIRROR": str(mirror_root), "OPENTRENDS_CACHE": str(tmp_path / "cache")}
    result = run_pytest(suite / "tests", env)
    assert result.returncode == 0, result.stdout
    assert "pinned data not available" not in result.stdout


BROWSER_AND_NETWORK = """
import pytest
from chromium import browser


def test_a_page(browser):
    pass


def test_another_page(browser):
    pass


def test_needs_the_hub():
    pytest.skip("no network here: huggingface.co cannot be reached (fix: run with internet)")


def test_needs_real_data(real_snapshot):
    real_snapshot("ecosystem-graphs@2025-01-24")


def test_skipped_for_another_reason():
    pytest.skip("not on this platform")
"""


def without_chromium(tmp_path) -> dict:
    """A PATH on which the only program is this Python: chromium and chromedriver cannot be found."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    # CI empty: under CI a missing browser fails instead of skipping (run_pytest starts from os.environ)
    return {**offline(tmp_path), "CI": "", "OPENTRENDS_MIRROR": "", "PATH": str(bin_dir)}


def test_browser_network_and_other_skips_are_named_in_the_last_lines(suite, tmp_path):
    shutil.copy(CHROMIUM_FIXTURE, suite / "tests" / "chromium.py")
    (suite / "tests" / "test_tiny.py").write_text(BROWSER_AND_NETWORK)
    result = run_pytest(suite / "tests", without_chromium(tmp_path))
    assert result.returncode == 0, result.stdout
    lines = result.stdout.rstrip("\n").splitlines()
    assert "5 skipped" in lines[-5]
    assert lines[-4:] == [
        "1 test skipped: not on this platform",
        "1 test skipped: no network here: huggingface.co cannot be reached (fix: run with internet)",
        f"2 tests skipped: {NO_BROWSER}",
        "1 test skipped: pinned data not available here "
        "(fix: export OPENTRENDS_MIRROR=/abs/path/to/snapshots or run with internet)",
    ]


def test_without_chromium_the_real_page_tests_skip_and_the_run_says_why_last(tmp_path):
    """The gallery's and the report's browser tests, run for real with chromium hidden from PATH."""
    env = {**without_chromium(tmp_path), "OPENTRENDS_MIRROR": os.environ.get("OPENTRENDS_MIRROR", "")}
    pages = [str(ROOT / "tests" / name) for name in ("test_gallery.py", "test_report.py")]
    result = run_pytest(Path(pages[0]), env, "-m", "integration", pages[1], cwd=ROOT)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.rstrip("\n").splitlines()
    count = int(lines[-2].split(" skipped")[0].strip("= "))
    # every browser test of the two files skipped (10 since the findings page's browser checks moved to
    # test_accessibility.py), none passed or failed
    assert count >= 10 and "passed" not in lines[-2] and "failed" not in lines[-2]
    assert lines[-1] == f"{count} tests skipped: {NO_BROWSER}"


MANIFEST_SKIP_TEST = """
import pytest


def test_urls():
    pytest.skip("upstream manifest not available here: /nowhere/m.tsv does not exist (fix: export X)")
"""


def test_a_check_skipped_for_want_of_the_upstream_manifest_says_so_in_the_last_lines(suite, tmp_path):
    """tests/test_upstream_manifest.py checks every pinned URL; without the manifest it must not vanish quietly."""
    (suite / "other" / "test_alone.py").write_text(MANIFEST_SKIP_TEST)
    result = run_pytest(suite / "other", {**offline(tmp_path), "OPENTRENDS_MIRROR": ""})
    assert result.returncode == 0, result.stdout
    lines = result.stdout.rstrip("\n").splitlines()
    assert (
        lines[-1]
        == "1 test skipped: upstream manifest not available here: /nowhere/m.tsv does not exist (fix: export X)"
    )
    assert "1 skipped" in lines[-2]
