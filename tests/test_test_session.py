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
