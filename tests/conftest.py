"""Shared fixtures. The throw-away data folder for every run is set in the root ``conftest.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root() -> Path:
    """The repository root (the course root)."""
    return ROOT


@pytest.fixture
def store(tmp_path):
    """A fresh, private learner store for one test."""
    from resilience_course.core.store import Store

    s = Store(tmp_path / "learner.sqlite3")
    yield s
    s.close()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Point the default store at an empty folder for one test."""
    monkeypatch.setenv("RESILIENCE_COURSE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"
