"""Where the record's exports go and how they are written (core/exports.py, as the record uses it)."""

from __future__ import annotations

import stat

import pytest
from resilience_course.core import exports


def test_write_new_file_is_private_and_never_overwrites(tmp_path):
    first = exports.write_new_file(tmp_path / "out", "a.html", "one")
    second = exports.write_new_file(tmp_path / "out", "a.html", "two")
    assert first.name == "a.html" and second.name == "a-2.html"
    assert first.read_text() == "one" and second.read_text() == "two"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    (tmp_path / "file").write_text("x")
    with pytest.raises(OSError):
        exports.write_new_file(tmp_path / "file", "a.html", "x")


def test_exports_go_to_the_course_export_folder_unless_told(monkeypatch, tmp_path):
    monkeypatch.setenv(exports.EXPORT_ENV, str(tmp_path / "exports"))
    assert exports.export_dir() == tmp_path / "exports"
    path = exports.write_new_file("", "x.md", "text")
    assert path.parent == tmp_path / "exports"
    monkeypatch.delenv(exports.EXPORT_ENV)
    assert exports.export_dir().name == "resilience-course-exports"
