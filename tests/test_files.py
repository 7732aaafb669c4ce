"""core.files: the one file hasher (hashlib.file_digest) and the one writable-folder check."""

from __future__ import annotations

import hashlib

import pytest

from opentrends.core.files import check_writable_folder, sha256_file


def test_sha256_file_of_known_bytes(tmp_path):
    path = tmp_path / "abc.txt"
    path.write_bytes(b"abc")
    # FIPS 180-2's example digest of "abc"
    assert sha256_file(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_sha256_file_of_a_file_larger_than_one_read(tmp_path):
    data = bytes(range(256)) * 20_000  # 5,120,000 bytes: several chunks of file_digest's buffer
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()


def test_check_writable_folder_creates_it_and_leaves_no_probe(tmp_path):
    folder = tmp_path / "a" / "b"
    assert check_writable_folder(folder) == folder
    assert folder.is_dir() and list(folder.iterdir()) == []


def test_a_file_where_the_folder_should_be_is_not_a_directory(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("")
    with pytest.raises(NotADirectoryError) as err:
        check_writable_folder(afile)
    assert err.value.strerror == "it is a file, not a folder"


def test_a_file_where_a_parent_folder_should_be_is_refused(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    with pytest.raises(NotADirectoryError):
        check_writable_folder(blocker / "cache")
    assert blocker.read_text() == ""


def test_a_full_filesystem_is_told_by_its_errno_or_by_a_probe(tmp_path, tmpfs):
    import errno

    from opentrends.core.files import is_full, no_space

    small = tmpfs("1m")
    assert not is_full(small) and not is_full(tmp_path)
    with pytest.raises(OSError) as err:
        (small / "filler").write_bytes(b"\0" * 2 * 1024 * 1024)
    assert err.value.errno == errno.ENOSPC and no_space(err.value)
    assert is_full(small / "not" / "made" / "yet")  # asked through the nearest existing folder
    assert [p.name for p in small.iterdir()] == ["filler"]  # the probe left nothing
    try:
        try:
            raise err.value
        except OSError as exc:
            raise ValueError("notebook is not JSON") from exc
    except ValueError as wrapped:
        assert no_space(wrapped)
    assert not no_space(ValueError("x")) and not no_space(PermissionError(errno.EACCES, "no"))
