"""core.atomic: a write either replaces the target whole or leaves the old file; never a half-written one."""

from __future__ import annotations

import errno
import os

import pytest

from opentrends.core import atomic
from opentrends.core.atomic import atomic_path, move_file


def test_a_finished_write_replaces_the_target_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "out.csv"
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp.name.startswith(".out.csv.") and tmp.suffix == ".part"
        tmp.write_text("a,b\n")
    assert target.read_text() == "a,b\n"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.csv"]


def test_an_error_mid_write_keeps_the_old_file_and_removes_the_temporary_one(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise Interrupted
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_move_across_filesystems_replaces_the_target_whole(tmp_path, tmpfs):
    source = tmpfs("8m") / "fig.csv"  # a staging folder on a tmpfs, the output folder on the disk
    source.write_text("year,n\n2024,3\n")
    target = tmp_path / "figures" / "fig.csv"
    target.parent.mkdir()
    target.write_text("old\n")
    assert source.stat().st_dev != target.stat().st_dev
    move_file(source, target)
    assert target.read_text() == "year,n\n2024,3\n" and not source.exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["fig.csv"]


def test_a_copy_across_filesystems_that_fails_keeps_the_old_target_and_the_source(tmp_path, monkeypatch):
    source, target = tmp_path / "staged.csv", tmp_path / "out" / "fig.csv"
    source.write_text("new\n")
    target.parent.mkdir()
    target.write_text("old\n")

    def cross_device(src, dst):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(src), None, str(dst))

    def disk_full(src, dst):
        with open(dst, "w") as handle:
            handle.write("ne")  # a partial copy
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))

    monkeypatch.setattr(atomic.os, "replace", cross_device)
    monkeypatch.setattr(atomic.shutil, "copyfile", disk_full)
    with pytest.raises(OSError) as err:
        move_file(source, target)
    assert err.value.errno == errno.ENOSPC
    assert target.read_text() == "old\n" and source.read_text() == "new\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["fig.csv"]  # no partial temporary file
