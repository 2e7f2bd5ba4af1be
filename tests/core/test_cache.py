"""The on-disk cache of checked content and fixed figures (core/cache.py): exact keys, private files,
errors never cached, and a broken cache only costs time."""

from __future__ import annotations

import os
import stat

import pytest
from resilience_course.core import cache
from resilience_course.core.content import ContentError, load_yaml


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RESILIENCE_COURSE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RESILIENCE_COURSE_CACHE", raising=False)
    return tmp_path / "cache"


def test_a_result_is_computed_once_then_read_back(cache_dir):
    calls = []

    def compute():
        calls.append(1)
        return {"a": [1, 2, "x"]}

    assert cache.cached_json("t", ("k",), compute) == {"a": [1, 2, "x"]}
    assert cache.cached_json("t", ("k",), compute) == {"a": [1, 2, "x"]}
    assert cache.cached_json("t", ("other",), compute) == {"a": [1, 2, "x"]}
    assert len(calls) == 2
    files = [p for p in cache_dir.rglob("*.json")]
    assert len(files) == 2
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    assert stat.S_IMODE(files[0].parent.stat().st_mode) == 0o700


def test_values_that_do_not_survive_json_are_not_cached(cache_dir):
    calls = []
    for _ in range(2):
        cache.cached_json("t", ("tuple",), lambda: calls.append(1) or {"a": (1, 2)})
        cache.cached_json("t", ("intkey",), lambda: calls.append(1) or {1: "x"})
    assert len(calls) == 4


def test_a_damaged_or_unwritable_cache_only_costs_time(cache_dir):
    assert cache.cached_json("t", ("k",), lambda: [1]) == [1]
    for p in cache_dir.rglob("*.json"):
        p.write_text("{not json")
    assert cache.cached_json("t", ("k",), lambda: [2]) == [2]
    if os.geteuid() != 0:  # root writes anywhere
        for p in cache_dir.rglob("*"):
            if p.is_dir():
                p.chmod(0o500)
    assert cache.cached_json("t", ("new",), lambda: [3]) == [3]


def test_content_is_cached_by_its_bytes_and_errors_are_never_cached(cache_dir, tmp_path):
    from resilience_course.core.content import package_data

    f = tmp_path / "models.yml"
    good = package_data("models-of-support.yml").read_text(encoding="utf-8")
    f.write_text(good)
    first = load_yaml(f, "models")
    assert load_yaml(f, "models") == first
    assert len(list(cache_dir.rglob("*.json"))) == 1
    f.write_text("models: [")  # the same path, new bytes: read again, and the error is reported
    with pytest.raises(ContentError):
        load_yaml(f, "models")
    with pytest.raises(ContentError):
        load_yaml(f, "models")
    f.write_text(good.replace("models:", "models_renamed:", 1))  # valid YAML, wrong shape: refused each time
    for _ in range(2):
        with pytest.raises(ContentError):
            load_yaml(f, "models")
    f.write_text(good)
    assert load_yaml(f, "models") == first


def test_cache_can_be_turned_off(cache_dir, monkeypatch):
    monkeypatch.setenv("RESILIENCE_COURSE_CACHE", "0")
    calls = []
    for _ in range(2):
        cache.cached_json("t", ("k",), lambda: calls.append(1) or [1])
    assert len(calls) == 2 and not cache_dir.exists()


def test_fixed_figures_are_drawn_once(cache_dir, monkeypatch):
    from resilience_course.core.charts import Chart

    drawn = []

    @cache.cached_figure
    def fixed(data=None):
        drawn.append(data)
        return Chart(png=b"\x89PNG" + bytes([len(drawn)]), alt="alt", table_html="<table></table>", title="T")

    a, b = fixed(), fixed()
    assert a == b and len(drawn) == 1
    fixed({"other": 1})  # other data: drawn as usual
    assert len(drawn) == 2


def test_the_course_figures_come_back_identical(cache_dir):
    from resilience_course.pages.figures import context_figure
    from resilience_course.support.figure import menu_figure
    from resilience_course.support.menu import load_models

    for make in (context_figure, lambda: menu_figure(load_models())):
        first, second = make(), make()
        assert first == second and first.png.startswith(b"\x89PNG")
    assert len(list(cache_dir.rglob("*.json"))) >= 2


def test_validating_content_does_not_build_the_iri_grammars():
    """jsonschema's optional rfc3987_syntax builds Lark grammars at import (seconds per kernel); the
    course checks no formats, so a fresh process validating content never imports it."""
    import subprocess
    import sys

    code = ("import sys\nfrom resilience_course.core.content import ContentError, validate\n"
            "try:\n    validate({'x': 1}, 'contacts')\nexcept ContentError:\n    pass\n"
            "print(sys.modules.get('rfc3987_syntax') is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.strip() == "False", out.stderr[-2000:]


def test_a_page_that_reads_notebooks_does_not_build_the_iri_grammars():
    """The quizzes page imports nbformat (and so jsonschema) before any course file is validated: the
    grammars were built there, 12 s of a page's first load. Importing the course keeps them out."""
    import subprocess
    import sys

    code = "import sys\nimport resilience_course\nimport nbformat\nprint(sys.modules.get('rfc3987_syntax') is not None)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.stdout.strip() == "False", out.stderr[-2000:]
