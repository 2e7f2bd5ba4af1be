"""A learner takes a module quiz in the quiz page with the keyboard alone, on a real nbgrader exchange:
answer, save, reload (the answers come back), submit, and, after the trainer has collected,
autograded, marked and released feedback with nbgrader, read the feedback in the same page.
axe reports no violation before and after."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from ..quiz_helpers import make_sandbox
from .conftest import (
    Visit,
    assert_focus_visible,
    describe_violations,
    focused,
    run_axe,
    start_server,
    stop_server,
    wait_rendered,
)

PAGE = "course/quizzes.ipynb"
ASSIGNMENT = "module-01-quiz"
COMMENT = "Thoughtful reflection <3 & well linked to practice"

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]


@pytest.fixture(scope="module")
def trainer(tmp_path_factory):
    """A trainer's nbgrader course (sandboxed) with module 1's quiz released on its exchange."""
    sb = make_sandbox(tmp_path_factory.mktemp("quiz-page"))
    sb.nbgrader_many([["generate_assignment", ASSIGNMENT], ["release_assignment", ASSIGNMENT]])
    return sb


@pytest.fixture(scope="module")
def quiz_server(trainer, tmp_path_factory):
    """The course server, for a learner whose trainer's exchange is the sandbox's."""
    env = {"RESILIENCE_COURSE_EXCHANGE": str(trainer.exchange),
           "RESILIENCE_COURSE_QUIZ_DIR": str(trainer.base / "learner-quizzes"),
           "RESILIENCE_COURSE_QUIZ_CACHE": str(trainer.base / "learner-cache")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        logs = tmp_path_factory.mktemp("quiz-voila")
        server = start_server(tmp_path_factory.mktemp("quiz-learner-data"), logs / "voila.log")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    yield server
    stop_server(server)


@pytest.fixture
def quiz_visit(browser, quiz_server):
    v = Visit(browser, quiz_server, viewport={"width": 1280, "height": 900})
    yield v
    v.close()


WAIT = 120_000  # milliseconds: saving, submitting and fetching run on two busy cores


def quiz_list(page):
    return page.locator("table", has=page.locator("caption", has_text="Quizzes and their state"))


def _tab_until(page, js_test: str, limit: int = 200, shift: bool = False) -> dict:
    """Press Tab until ``js_test`` (a JS expression over ``el``, the focused element) is true."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if shift else "Tab")
        info = focused(page)
        assert_focus_visible(info)
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({js_test}); }}"):
            return info
    raise AssertionError(f"Tab never reached: {js_test}")


def _button(name: str) -> str:
    return f"el.tagName === 'BUTTON' && el.textContent.trim() === {name!r}"


def _in_question(n: int, what: str) -> str:
    return (f"el.matches({what!r}) && el.closest('.rc-quiz-question') && "
            f"el.closest('.rc-quiz-question').querySelector('h3').textContent.trim() === 'Question {n}'")


def _open_quiz(page, module: int = 1) -> None:
    _tab_until(page, _button(f"Open the module {module} quiz"))
    page.keyboard.press("Enter")
    page.locator(".rc-quiz-question").first.wait_for()


def _quiz(assignment: str = ASSIGNMENT):
    from resilience_course.quiz.quizzes import load_quiz

    from ..quiz_helpers import ASSESSMENTS

    return load_quiz(ASSESSMENTS / "quizzes" / f"{assignment}.yml")


def _answer_by_keyboard(page, quiz) -> dict[int, str]:
    """Answer questions 1 to 4 with the keyboard: right for 1 to 3, wrong for 4. Returns the letters chosen."""
    chosen = {}
    for q in quiz.questions[:4]:
        want = q.answer if q.number < 4 else next(x for x in q.letters if x not in q.answer)
        chosen[q.number] = want
        if q.type == "multiple":
            _tab_until(page, _in_question(q.number, "input[type=checkbox]"))
            for letter, _text in q.options:
                if letter in want:
                    page.keyboard.press("Space")
                if letter != q.options[-1][0]:
                    page.keyboard.press("Tab")
        else:
            _tab_until(page, _in_question(q.number, "button.widget-toggle-button"))
            page.keyboard.press("Space")  # one Tab stop: the first option; Space chooses it
            for _ in range(q.letters.index(want)):
                page.keyboard.press("ArrowRight")  # the arrow keys move the choice within the group
    return chosen


def _expected_auto(quiz, chosen: dict[int, str]) -> int:
    return sum(q.points for q in quiz.questions if chosen.get(q.number) == q.answer)


def _answer_and_save(page, quiz, reflection: str) -> dict[int, str]:
    """Answer questions 1 to 4 and the reflection by keyboard, then Save my answers; returns the letters chosen."""
    chosen = _answer_by_keyboard(page, quiz)
    _tab_until(page, "el.tagName === 'TEXTAREA'")
    page.keyboard.type(reflection)
    n = len(reflection.split())
    expect(page.locator(".rc-quiz-view")).to_contain_text(f"{n} words", timeout=WAIT)
    _tab_until(page, _button("Save my answers"))
    page.keyboard.press("Enter")
    expect(page.locator(".rc-quiz-view")).to_contain_text("Your answers are saved.", timeout=WAIT)
    return chosen


def _assert_answers_kept(page, quiz, chosen: dict[int, str], reflection_start: str) -> None:
    """After a reload, the quiz shows the answers chosen before it (the learner's saved draft)."""
    for q in quiz.questions[:4]:
        block = page.locator(".rc-quiz-question", has=page.locator("h3", has_text=re.compile(f"^Question {q.number}$")))
        for letter, _text in q.options:
            if q.type == "multiple":
                box = block.locator("input[type=checkbox]").nth(q.letters.index(letter))
                assert box.is_checked() == (letter in chosen[q.number]), (q.number, letter)
            else:
                button = block.locator("button.widget-toggle-button").nth(q.letters.index(letter))
                expect(button).to_have_attribute("aria-checked", "true" if letter == chosen[q.number] else "false")
    expect(page.locator("textarea")).to_have_value(re.compile("^" + re.escape(reflection_start)))


def _submit_by_keyboard(page) -> None:
    """Submit my answers, confirm, and wait for the confirmation and the list's new state."""
    _tab_until(page, _button("Submit my answers"))
    page.keyboard.press("Enter")
    expect(page.locator(".rc-quiz-view")).to_contain_text("Submit your answers to your trainer now?", timeout=WAIT)
    _tab_until(page, _button("Yes, submit now"))
    page.keyboard.press("Enter")
    expect(page.locator(".rc-quiz-view")).to_contain_text("Submitted at", timeout=WAIT)
    expect(quiz_list(page)).to_contain_text("Submitted (", timeout=WAIT)


def _show_feedback(page, module: int, total: int, max_score: int, comment: str):
    """Open the quiz with feedback ready, show the feedback; returns the rows of "Which questions scored"."""
    expect(quiz_list(page)).to_contain_text("Feedback ready", timeout=WAIT)
    _open_quiz(page, module)
    _tab_until(page, _button("Show my feedback"))
    page.keyboard.press("Enter")
    feedback = page.locator(".rc-quiz-view")
    expect(feedback).to_contain_text(f"Your score: {total} out of {max_score}.", timeout=WAIT)
    expect(feedback).to_contain_text(comment, timeout=WAIT)
    return page.locator("table", has=page.locator("caption", has_text="Which questions scored")).locator("tbody tr")


def test_answer_save_reload_submit_and_read_feedback_with_the_keyboard(quiz_visit, trainer):
    from nbgrader.api import Gradebook

    quiz = _quiz()
    page = quiz_visit.open(PAGE)
    expect(quiz_list(page)).to_contain_text("Not started", timeout=WAIT)
    violations = run_axe(page)
    assert not violations, describe_violations(violations)

    # answer, then save
    _open_quiz(page)
    chosen = _answer_and_save(page, quiz, "Partnering and people centeredness: joint visits with the midwife.")
    violations = run_axe(page)
    assert not violations, describe_violations(violations)

    # reload: the answers come back
    page.reload()
    wait_rendered(page)
    expect(quiz_list(page)).to_contain_text("In progress", timeout=WAIT)
    _open_quiz(page)
    _assert_answers_kept(page, quiz, chosen, "Partnering and people centeredness")

    # submit, with a confirmation
    _submit_by_keyboard(page)
    violations = run_axe(page)
    assert not violations, describe_violations(violations)

    # the trainer: collect, autograde, mark the reflection with a comment, release feedback
    trainer.nbgrader_many([["collect", ASSIGNMENT], ["autograde", ASSIGNMENT]])
    student = os.path.basename(next((trainer.course / "submitted").iterdir()))
    with Gradebook(f"sqlite:///{trainer.course / 'gradebook.db'}") as gb:
        r = quiz.reflections[0]
        grade = gb.find_grade(r.grade_id, quiz.assignment, quiz.assignment, student)
        assert grade.needs_manual_grade
        grade.manual_score = 3
        comment = gb.find_comment(r.grade_id, quiz.assignment, quiz.assignment, student)
        comment.manual_comment = COMMENT
        gb.db.commit()
    trainer.nbgrader_many([["generate_feedback", ASSIGNMENT], ["release_feedback", ASSIGNMENT]])

    # feedback in the same page
    page.reload()
    wait_rendered(page)
    rows = _show_feedback(page, 1, _expected_auto(quiz, chosen) + 3, quiz.max_score, COMMENT)
    assert rows.count() == len(quiz.questions) + len(quiz.reflections)
    expect(rows.nth(3)).to_contain_text("Not scored", timeout=WAIT)  # question 4 was answered wrongly
    expect(rows.nth(0)).to_contain_text("Scored", timeout=WAIT)
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    assert not quiz_visit.blocked
