"""core.atomic: a write either replaces the target whole or leaves the old file; never a half-written one."""

from __future__ import annotations

import pytest

from opentrends.core.atomic import atomic_path


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
