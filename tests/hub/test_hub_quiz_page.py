"""A quiz taken in the course's quiz page on the cohort server (issue 12), end to end.

The trainer releases a quiz with nbgrader as their own Unix account; a learner logs in through the hub's
login form and opens ``/user/NAME/voila/render/course/quizzes.ipynb`` in Chromium through the proxy. The
page finds the shared exchange and the learner's ``~/quizzes`` from the ``nbgrader_config.py`` the
cohort server writes (no environment variable of the course's own). By keyboard alone the learner
answers, saves, reloads (the answers come back), submits with the page's button and sees the
confirmation; the trainer collects, autogrades, marks the reflection with a comment, generates and
releases feedback; the learner sees the score and the comment in the same page. axe reports no
violation before and after. The learner's draft and notebook are in their own home only, and another
learner cannot read them.
"""

from __future__ import annotations

import json
import sqlite3
import stat
import uuid

import nbformat
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe_violations, run_axe, wait_rendered
from tests.browser.test_quiz_page import (
    _answer_and_save,
    _assert_answers_kept,
    _expected_auto,
    _open_quiz,
    _quiz,
    _show_feedback,
    _submit_by_keyboard,
    quiz_list,
)

from .test_hub import STORE, _open_home_in_chromium, hub_python

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("hub")]

ASSIGNMENT = "module-02-quiz"  # test_hub.py's command-line journey uses module 1's
MODULE = 2
PAGE = "voila/render/course/quizzes.ipynb"
COMMENT = "Clear and kind <3 & linked to your own team"
WAIT = 300_000  # milliseconds: every step runs on two busy cores, through the hub's proxy

MARK = """
import sys
from nbgrader.api import Gradebook
assignment, student, grade_id, comment = sys.argv[1:5]
with Gradebook("sqlite:///gradebook.db") as gb:
    grade = gb.find_grade(grade_id, assignment, assignment, student)
    assert grade.needs_manual_grade, "the written answer should wait for the trainer"
    grade.manual_score = 3
    gb.find_comment(grade_id, assignment, assignment, student).manual_comment = comment
    gb.db.commit()
"""


def _no_violations(page) -> None:
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


def _quiz_records(store) -> list[tuple[str, dict]]:
    if not store.exists():
        return []
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT kind, payload FROM records WHERE kind LIKE 'quiz-%'").fetchall()
    return [(kind, json.loads(payload)) for kind, payload in rows]


def test_a_learner_takes_a_quiz_in_the_page_and_reads_the_feedback_through_the_hub(hub, browser):
    quiz = _quiz(ASSIGNMENT)
    learner, other = hub.learners[1], hub.learners[0]
    hub.session(hub.trainer)  # the trainer's first start copies the quiz sources into their home
    course = hub.home(hub.trainer) / "resilience-with-compassion"

    def trainer(*args):
        return hub.runuser(hub.trainer, "nbgrader", *args, cwd=str(course))

    trainer("generate_assignment", ASSIGNMENT, "--force")
    trainer("release_assignment", ASSIGNMENT, "--force")
    reflection = f"Partnering with the school nurse and a public health view of the estate ({uuid.uuid4().hex[:8]})"

    context, page, foreign, errors = _open_home_in_chromium(browser, hub, learner)
    context.set_default_timeout(WAIT)
    try:
        page.goto(f"{hub.url}/user/{learner}/{PAGE}")
        wait_rendered(page)
        row = quiz_list(page).locator("tr", has_text=f"Module {MODULE}:")
        expect(row).to_contain_text(quiz.title, timeout=WAIT)  # the module's title, not the quiz's id
        expect(row).to_contain_text("Not started", timeout=WAIT)
        _no_violations(page)

        # answer by keyboard and save; reload: the answers come back
        _open_quiz(page, MODULE)
        chosen = _answer_and_save(page, quiz, reflection)
        _no_violations(page)
        page.reload()
        wait_rendered(page)
        expect(row).to_contain_text("In progress", timeout=WAIT)
        _open_quiz(page, MODULE)
        _assert_answers_kept(page, quiz, chosen, reflection)

        # submit with the page's button (and its confirmation)
        _submit_by_keyboard(page)
        _no_violations(page)

        # the trainer, as their own account: collect, autograde, mark the reflection, release feedback
        trainer("collect", ASSIGNMENT)
        assert (course / "submitted" / learner / ASSIGNMENT / quiz.notebook).is_file()  # under their own name
        trainer("autograde", ASSIGNMENT)
        hub.runuser(hub.trainer, hub_python(), "-c", MARK, ASSIGNMENT, learner, quiz.reflections[0].grade_id,
                    COMMENT, cwd=str(course))
        trainer("generate_feedback", ASSIGNMENT)
        trainer("release_feedback", ASSIGNMENT)

        # the score and the trainer's comment, in the same page
        page.reload()
        wait_rendered(page)
        rows = _show_feedback(page, MODULE, _expected_auto(quiz, chosen) + 3, quiz.max_score, COMMENT)
        assert rows.count() == len(quiz.questions) + len(quiz.reflections)
        expect(rows.nth(3)).to_contain_text("Not scored", timeout=WAIT)  # question 4 was answered wrongly
        _no_violations(page)
        assert not foreign, f"requests to other hosts: {foreign}"
        assert not errors, errors
    finally:
        context.close()

    # the learner's notebook and draft are in their own home, readable by them alone
    home = hub.home(learner)
    owner = home.stat().st_uid
    notebook = home / "quizzes" / ASSIGNMENT / quiz.notebook
    assert notebook.stat().st_uid == owner and stat.S_IMODE(notebook.stat().st_mode) == 0o600
    nb = nbformat.read(notebook, as_version=4)
    q1 = quiz.questions[0]
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == q1.answer_cell_id)
    assert f'{q1.variable} = "{chosen[1]}"' in answer.source
    assert any(reflection in c.source for c in nb.cells if c.cell_type == "markdown")
    store = home / STORE
    kinds = {kind for kind, payload in _quiz_records(store) if payload.get("assignment") == ASSIGNMENT}
    assert kinds == {"quiz-draft", "quiz-submission"}
    assert stat.S_IMODE(store.stat().st_mode) == 0o600 and stat.S_IMODE(home.stat().st_mode) == 0o700
    for name in hub.users:
        if name != learner:
            assert not (hub.home(name) / "quizzes" / ASSIGNMENT).exists(), name
            assert not [p for _k, p in _quiz_records(hub.home(name) / STORE) if p.get("assignment") == ASSIGNMENT]

    # another learner, as their own Unix account, can read none of it
    for argv in (["cat", str(notebook)], ["cat", str(store)], ["ls", str(home / "quizzes")],
                 [hub_python(), "-c", f"import sqlite3; sqlite3.connect({str(store)!r}).execute('select 1')"]):
        proc = hub.runuser(other, *argv, check=False)
        assert proc.returncode != 0, f"{other} ran {argv}: {proc.stdout[:200]}"
        assert reflection not in proc.stdout
