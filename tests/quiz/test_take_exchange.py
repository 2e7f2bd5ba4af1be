"""The quiz page goes through the exchange nbgrader is configured with (issue 12): nbgrader's
``ExchangeFactory``, from the config files in Jupyter's config path, as on Kubernetes (ngshare's classes).
A small fake plugin (tests/quiz/fake_exchange.py) stands in for ngshare here; the filesystem route keeps
its real tests (tests/quiz/test_take.py, tests/browser/test_quiz_page.py, tests/hub/test_hub_quiz_page.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from resilience_course.core.store import Store
from resilience_course.quiz.take import QuizError, QuizService, Settings, settings

from . import fake_exchange

ROOT = Path(__file__).resolve().parents[2]
FAKE = "tests.quiz.fake_exchange"
STEPS = {"list": "FakeList", "fetch_assignment": "FakeFetchAssignment", "submit": "FakeSubmit",
         "fetch_feedback": "FakeFetchFeedback"}


@pytest.fixture
def jupyter_config(tmp_path, monkeypatch):
    """An empty Jupyter config path of the test's own; returns a function that writes nbgrader_config.py."""
    etc = tmp_path / "etc-jupyter"
    etc.mkdir()
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(etc))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "user-jupyter"))
    for var in ("RESILIENCE_COURSE_EXCHANGE", "RESILIENCE_COURSE_NBGRADER_COURSE", "RESILIENCE_COURSE_QUIZ_CACHE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RESILIENCE_COURSE_QUIZ_DIR", str(tmp_path / "quizzes"))
    fake_exchange.reset()

    def write(text: str) -> Path:
        (etc / "nbgrader_config.py").write_text("c = get_config()  # noqa: F821\n" + text, encoding="utf-8")
        return etc
    return write


def _plugin_config(steps=STEPS) -> str:
    return "c.CourseDirectory.course_id = 'plugin-course'\n" + "".join(
        f"c.ExchangeFactory.{step} = '{FAKE}.{name}'\n" for step, name in steps.items())


def test_a_configured_exchange_class_is_the_one_the_page_uses(jupyter_config, tmp_path):
    jupyter_config(_plugin_config())
    s = settings()
    assert s.exchange is None and s.exchange_plugin.startswith(f"{FAKE}.") and s.route == "exchange"
    service = QuizService(s, Store(tmp_path / "store.sqlite3"))
    assert [(q.assignment, q.state) for q in service.list()] == [("module-01-quiz", "not started")]
    form = service.open("module-01-quiz")  # fetched by the plugin, into the learner's folder
    assert (tmp_path / "quizzes" / "module-01-quiz" / "module-01-quiz.ipynb").is_file()
    first = form.questions[0]
    status = service.submit("module-01-quiz", {first.key: first.options[1].letter})
    assert status.state == "submitted"
    handed_in = nbformat.reads(fake_exchange.STATE["notebook"], 4)
    cell = next(c for c in handed_in.cells if c.metadata.get("nbgrader", {}).get("grade_id") == first.answer_cell)
    assert f'{first.variable} = "{first.options[1].letter}"' in cell.source
    assert [q.state for q in service.list()] == ["submitted"]
    fake_exchange.STATE["feedback"]["module-01-quiz"] = {
        "score": 1, "max_score": form.max_score,
        "cells": [{"grade_id": first.grade_id, "grade": True, "score": 1, "points": first.points, "comment": ""}]}
    assert [q.state for q in service.list()] == ["feedback ready"]
    fb = service.feedback("module-01-quiz")
    assert fb is not None and fb.score == 1 and fb.max_score == form.max_score

    steps = [c["step"] for c in fake_exchange.CALLS]
    assert {"list", "fetch_assignment", "submit", "fetch_feedback"} <= set(steps)
    assert {c["class"] for c in fake_exchange.CALLS} == set(STEPS.values())  # nothing went round the plugin
    for call in fake_exchange.CALLS:
        assert call["course"] == "plugin-course" and call["assignment_dir"] == str(tmp_path / "quizzes")
    assert [c["cached"] for c in fake_exchange.CALLS if c["step"] == "list"][:2] == [False, True]
    assert {c["assignment"] for c in fake_exchange.CALLS if c["step"] != "list"} == {"module-01-quiz"}
    # who hands in is the plugin's to say (ngshare: the hub's login; a container's account is "jovyan")
    assert {c["student"] for c in fake_exchange.CALLS} == {"*"}


def test_one_configured_step_is_used_and_the_rest_stay_nbgraders(jupyter_config, tmp_path):
    """Only ``list`` configured: the list comes from the plugin; fetching uses nbgrader's filesystem class,
    which here has no folder to fetch from, and says so in plain words."""
    jupyter_config(_plugin_config({"list": "FakeList"}))
    service = QuizService(settings(), Store(tmp_path / "store.sqlite3"))
    assert [q.assignment for q in service.list()] == ["module-01-quiz"]
    with pytest.raises(QuizError, match="could not be used"):
        service.open("module-01-quiz")
    assert [c["step"] for c in fake_exchange.CALLS] == ["list", "list"]


def test_nbgraders_own_classes_named_in_the_config_are_the_filesystem_route(jupyter_config, tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    jupyter_config(f"c.Exchange.root = {str(exchange)!r}\n"
                   "c.ExchangeFactory.list = 'nbgrader.exchange.default.list.ExchangeList'\n"
                   "from nbgrader.exchange.default import ExchangeSubmit\n"
                   "c.ExchangeFactory.submit = ExchangeSubmit\n")
    s = settings()
    assert s.exchange_plugin == "" and s.exchange == exchange and s.route == "exchange"


def test_an_exchange_class_that_cannot_be_loaded_is_a_plain_message(jupyter_config, tmp_path):
    jupyter_config("c.ExchangeFactory.list = 'no_such_exchange_package.ExchangeList'\n")
    s = settings()
    assert s.route == "exchange" and s.exchange_plugin == "no_such_exchange_package.ExchangeList"
    with pytest.raises(QuizError, match="cannot be reached"):
        QuizService(s, Store(tmp_path / "store.sqlite3")).list()


def test_no_config_and_no_folder_is_the_download_route(jupyter_config, tmp_path):
    s = settings(root=tmp_path)  # a course root with no assessments/exchange
    assert s.exchange is None and s.exchange_plugin == "" and s.route == "download"


def test_path_includes_course_is_honoured(jupyter_config, tmp_path):
    jupyter_config(_plugin_config() + "c.Exchange.path_includes_course = True\n")
    service = QuizService(settings(), Store(tmp_path / "store.sqlite3"))
    assert service._notebook_path("module-01-quiz") == \
        tmp_path / "quizzes" / "plugin-course" / "module-01-quiz" / "module-01-quiz.ipynb"


# ---------------------------------------------------------------- titles without the answer keys

def test_quiz_titles_come_from_the_course_outline_where_the_answer_keys_are_absent(tmp_path, monkeypatch):
    """A learner's pages on the cohort server have course/ and modules/ only (no assessments/)."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "course", site / "course")
    monkeypatch.setenv("RESILIENCE_COURSE_ROOT", str(site))
    service = QuizService(Settings("c", None, tmp_path / "q", "learner"), Store(tmp_path / "store.sqlite3"))
    titles = service.titles()
    assert titles["module-02-quiz"] == "Understanding resilience"
    assert len(titles) == 7


def test_each_quiz_is_titled_as_its_module():
    from resilience_course.core.course import load_outline
    from resilience_course.quiz.quizzes import load_all_quizzes

    modules = {m.id: m.title for m in load_outline(ROOT).modules}
    for quiz in load_all_quizzes(ROOT):
        assert quiz.title == modules[quiz.module], quiz.assignment
