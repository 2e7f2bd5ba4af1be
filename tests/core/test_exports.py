"""The one atomic, private file writer."""

import os
import stat

import pytest
from resilience_course.core.exports import write_atomic, write_new_file


def test_write_atomic_is_exact_private_and_leaves_no_temporary_file(tmp_path):
    path = write_atomic(tmp_path / "a.json", "line\r\nnext é")
    assert path.read_bytes() == "line\r\nnext é".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["a.json"]


def test_write_atomic_never_replaces_a_different_file_unless_asked(tmp_path):
    path = write_atomic(tmp_path / "a.txt", b"one")
    assert write_atomic(path, b"one") == path  # the same bytes again: fine
    with pytest.raises(FileExistsError):
        write_atomic(path, b"two")
    assert path.read_bytes() == b"one"
    write_atomic(path, b"two", replace=True)
    assert path.read_bytes() == b"two"
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "x", b"x")


def test_write_atomic_never_follows_a_symlink_it_did_not_make(tmp_path):
    target = tmp_path / "target"
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(FileExistsError):
        write_atomic(tmp_path / "link", b"x")
    assert not target.exists()


def test_write_atomic_leaves_nothing_when_the_write_fails(tmp_path, monkeypatch):
    def fail(*_a):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="No space"):
        write_atomic(tmp_path / "a.txt", b"data")
    assert os.listdir(tmp_path) == []


def test_write_new_file_makes_a_private_folder_and_never_overwrites(tmp_path):
    first = write_new_file(tmp_path / "out", "review.md", "one")
    second = write_new_file(tmp_path / "out", "review.md", "two")
    third = write_new_file(tmp_path / "out", "README", "three")
    assert (first.name, second.name, third.name) == ("review.md", "review-2.md", "README")
    assert first.read_text() == "one" and second.read_text() == "two"
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        write_new_file(tmp_path / "file", "a.md", "x")
