"""Shared test set-up.

Every test run (and every notebook kernel nbval starts) uses a throw-away learner data folder,
so no test ever touches a real learner's store.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_DATA = tempfile.mkdtemp(prefix="rc-test-data-")
os.environ["RESILIENCE_COURSE_DATA_DIR"] = _DATA
os.environ["RESILIENCE_COURSE_ROOT"] = str(ROOT)
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def root() -> Path:
    """The repository root (the course root)."""
    return ROOT


@pytest.fixture
def store(tmp_path):
    """A fresh, private learner store for one test."""
    from resilience_course.engine.store import Store

    s = Store(tmp_path / "learner.sqlite3")
    yield s
    s.close()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Point the default store at an empty folder for one test."""
    monkeypatch.setenv("RESILIENCE_COURSE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"
