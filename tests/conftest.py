"""Shared fixtures. The throw-away data folder for every run is set in the root ``conftest.py``."""

from __future__ import annotations

import os
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


_UNGROUPED = pytest.StashKey[set]()
_UNGROUPED_MESSAGE = (
    "pytest-xdist did not keep this test with its xdist_group, so each worker would repeat the work the group "
    "shares (a server, a notebook's one execution, the nbgrader workflow). This pytest and pytest-xdist do not "
    "work together under --dist loadgroup (pytest-xdist issue 1386): install the versions that pyproject.toml's "
    "test extra allows (pip install -e '.[test]').")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Under ``--dist loadgroup`` every test marked ``xdist_group`` must really be grouped.

    Tests that share a server, a browser or a once-per-process fixture are kept in one worker by their
    group; pytest-xdist marks a grouped test by ending its id with ``@group``. With pytest 9.2 and
    pytest-xdist 3.8 that silently stopped working, and each worker repeated the shared work (every
    page executed twice, the nbgrader workflow run twice). Such tests now fail at once, saying why.
    """
    if not getattr(config.option, "loadgroup", False) or not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    config.stash[_UNGROUPED] = {item.nodeid for item in items if item.get_closest_marker("xdist_group")
                                and "@" not in item.nodeid.rpartition("]")[2]}


def pytest_runtest_setup(item):
    if item.nodeid in item.config.stash.get(_UNGROUPED, ()):
        pytest.fail(_UNGROUPED_MESSAGE, pytrace=False)
