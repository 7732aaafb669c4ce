"""run.lock: one run per build folder, and a folder a run cannot write is one clear error (no kernels here)."""

from __future__ import annotations

import json

import pytest

from opentrends.run.lock import RunInProgressError, UnwritableFolderError, lock_path, require_writable_folder, run_lock


def test_a_file_where_the_build_folder_should_be_names_the_variable_and_the_fix(tmp_path, monkeypatch):
    afile = tmp_path / "afile"
    afile.write_text("")
    monkeypatch.setenv("OPENTRENDS_BUILD", str(afile))
    with pytest.raises(UnwritableFolderError) as err:
        require_writable_folder(afile)
    assert str(err.value) == (
        f"The folder {afile.as_posix()} cannot be written (it is a file, not a folder). "
        f"Fix: remove or rename the file {afile.as_posix()}, or export OPENTRENDS_BUILD=/path/to/a/writable/folder."
    )


def test_a_folder_no_variable_sets_is_told_to_use_another_folder(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    with pytest.raises(UnwritableFolderError) as err:
        require_writable_folder(blocker / "out")
    assert str(err.value) == (
        f"The folder {(blocker / 'out').as_posix()} cannot be written (Not a directory). "
        "Fix: make that folder (or its parent) writable, or use another folder."
    )


def test_a_second_run_in_the_same_build_folder_is_refused_naming_the_first(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENTRENDS_BUILD", str(tmp_path / "build"))
    with run_lock("opentrends run 01_a") as path:
        assert path == lock_path() == tmp_path / "build" / "run.lock"
        assert json.loads(path.read_text())["command"] == "opentrends run 01_a"
        with pytest.raises(RunInProgressError) as err, run_lock("opentrends run 02_b"):
            pass
    message = str(err.value)
    assert message.startswith("another opentrends run is in progress in this clone (pid ")
    assert message.endswith(
        f"command: opentrends run 01_a); lock file {(tmp_path / 'build' / 'run.lock').as_posix()}. "
        "Fix: wait for it to finish (or stop it), then run again."
    )
    assert path.read_text() == ""  # released: an empty file names nobody
