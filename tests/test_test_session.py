"""The test session itself: nbval's scratch figure folder exists during a session and is gone after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT


def test_a_test_session_leaves_no_scratch_figure_folder(tmp_path):
    # A plugin that records, at the end of the inner session, where figures went and whether the folder existed.
    (tmp_path / "record_figure_output.py").write_text(
        "import json, os\n"
        "def pytest_sessionfinish(session):\n"
        "    folder = os.environ.get('OPENTRENDS_FIGURE_OUTPUT', '')\n"
        f"    open({str(tmp_path / 'seen.json')!r}, 'w').write(json.dumps([folder, os.path.isdir(folder)]))\n"
    )
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "OPENTRENDS_FIGURE_OUTPUT"}
    env.update(TMPDIR=str(temp), PYTHONPATH=os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")])))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "record_figure_output",
            "-q",
            "tests/test_console.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    folder, existed = json.loads((tmp_path / "seen.json").read_text())
    assert os.path.dirname(folder) == str(temp) and os.path.basename(folder).startswith("opentrends-nbval-figures-")
    assert existed
    assert list(temp.iterdir()) == []


def test_stray_notebooks_in_notebooks_are_not_collected(tmp_path):
    """`x.nbconvert.ipynb` (plain nbconvert) and `Untitled.ipynb` (JupyterLab) beside NN_topic notebooks."""
    import shutil

    from conftest import FIXTURES

    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "conftest.py", project / "conftest.py")  # the real root conftest, in a project of its own
    (project / "pytest.ini").write_text("[pytest]\n")
    for name in ("01_simple.ipynb", "01_simple.nbconvert.ipynb", "Untitled.ipynb"):
        shutil.copy(FIXTURES / "simple.ipynb", project / "notebooks" / name)
    env = {**os.environ, "OPENTRENDS_NOTEBOOKS": str(project / "notebooks")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--collect-only", "--nbval", "notebooks"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    collected = {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}
    assert collected == {"notebooks/01_simple.ipynb"}, result.stdout
