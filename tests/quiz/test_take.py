"""Taking a quiz in the course page (issue 12): the model and widgets without an exchange (fast), and a
learner who takes a quiz through the page on real nbgrader (the shared workflow run)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from resilience_course.core.store import Store
from resilience_course.quiz.quizzes import load_quiz
from resilience_course.quiz.take import (
    DRAFT_KIND,
    QuizError,
    QuizService,
    Settings,
    answer_problems,
    fill_notebook,
    form_from_notebook,
    learner_copy,
    read_feedback_html,
    settings,
)

from ..quiz_helpers import ASSESSMENTS, PAGE_LEARNER, manual_score, workflow

QUIZ = load_quiz(ASSESSMENTS / "quizzes" / "module-01-quiz.yml")
SOURCE = ASSESSMENTS / "source"


@pytest.fixture
def offline(tmp_path):
    """The page's model with no exchange: quizzes are made from assessments/source."""
    s = Settings("resilience-with-compassion", None, tmp_path / "quizzes", "learner", None, SOURCE)
    return QuizService(s, Store(tmp_path / "store.sqlite3"))


@pytest.fixture(scope="module")
def copy():
    return learner_copy(SOURCE / QUIZ.assignment / QUIZ.notebook)


def test_the_learner_copy_holds_no_key_and_the_page_reads_every_question(copy):
    text = nbformat.writes(copy)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "Mark scheme" not in text
    for q in QUIZ.questions:
        assert f'{q.variable} = "{q.answer}"' not in text
    form = form_from_notebook(copy, QUIZ.assignment)
    assert [q.grade_id for q in form.questions] == [q.grade_id for q in QUIZ.questions]
    for fq, q in zip(form.questions, QUIZ.questions):
        assert [(o.letter, o.text) for o in fq.options] == list(q.options)
        assert fq.type == q.type and fq.variable == q.variable
    assert [r.grade_id for r in form.reflections] == [r.grade_id for r in QUIZ.reflections]
    assert form.max_score == QUIZ.max_score


def test_answers_go_into_the_notebook_in_the_form_nbgrader_grades(copy):
    nb = nbformat.reads(nbformat.writes(copy), 4)
    form = form_from_notebook(nb, QUIZ.assignment)
    answers = {"q1": "c, a", "q2": "zB", "q3": "AB", form.reflections[0].key: "  My answer.  "}
    fill_notebook(nb, form, answers)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    lines = {q.number: [ln for ln in by_id[q.answer_cell_id].source.splitlines() if ln.startswith(q.variable)]
             for q in QUIZ.questions}
    assert lines[1] == ['answer_1 = "AC"']  # sorted, only the question's letters
    assert lines[2] == ['answer_2 = "B"']
    assert lines[3] == ['answer_3 = "A"']  # a single-answer question keeps one letter
    assert lines[4] == ['answer_4 = ""']  # unanswered
    assert by_id[QUIZ.reflections[0].grade_id].source == "My answer."
    assert answer_problems(form, answers)[0] == "Question 4 has no answer yet."


@pytest.mark.slow
def test_opening_the_quiz_notebook_in_jupyterlab_shows_no_traceback_before_answering(copy):
    """Run the learner's blank copy as JupyterLab would (no NBGRADER_EXECUTION): plain words, no error."""
    from nbclient import NotebookClient

    nb = nbformat.reads(nbformat.writes(copy), 4)
    env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    printed = "".join(o.get("text", "") for o in outputs)
    assert "Question 1: no answer the marker can read yet" in printed
    assert f"Question {len(QUIZ.questions)}: not answered yet." in printed


def test_without_an_exchange_every_quiz_is_listed_and_progress_is_saved(offline):
    listed = offline.list()
    assert [s.assignment for s in listed] == [f"module-0{n}-quiz" for n in range(1, 8)]
    assert {s.state for s in listed} == {"not started"} and listed[0].route == "download"
    offline.open(QUIZ.assignment)
    offline.save_draft(QUIZ.assignment, {"q1": "A"})
    offline.save_draft(QUIZ.assignment, {"q1": "B", "q2": "C"})
    assert offline.draft(QUIZ.assignment) == {"q1": "B", "q2": "C"}
    assert len(offline.store.records(DRAFT_KIND)) == 1
    assert offline.list()[0].state == "in progress"
    with pytest.raises(QuizError, match="download your answers"):
        offline.submit(QUIZ.assignment, {})
    with pytest.raises(QuizError):
        offline.open("../../etc/passwd")


def test_settings_take_the_exchange_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RESILIENCE_COURSE_EXCHANGE", str(tmp_path))
    monkeypatch.setenv("RESILIENCE_COURSE_QUIZ_DIR", str(tmp_path / "mine"))
    s = settings()
    assert s.exchange == tmp_path and s.route == "exchange" and s.quiz_dir == tmp_path / "mine"
    monkeypatch.setenv("RESILIENCE_COURSE_EXCHANGE", str(tmp_path / "missing"))
    assert settings().exchange in (None, Path(ASSESSMENTS / "exchange"))


def test_the_course_id_is_the_one_in_the_nbgrader_config():
    from resilience_course.quiz.take import COURSE_ID

    config = (ASSESSMENTS / "nbgrader_config.py").read_text(encoding="utf-8")
    assert f'c.CourseDirectory.course_id = "{COURSE_ID}"' in config


def test_feedback_is_read_from_the_json_block_only():
    page = ('<html><body>Score 99<script type="application/json" id="rc-feedback">'
            '{"score": 5.0, "max_score": 15.0, "cells": [{"grade_id": "q01-x", "grade": true, "score": 2, '
            '"points": 2, "comment": ""}, {"grade_id": "q01-x-answer", "grade": false, "comment": "Well done \\u003c3"}'
            ']}</script></body></html>')
    fb = read_feedback_html(page)
    assert fb.score == 5 and fb.max_score == 15 and len(fb.items) == 1
    assert fb.comments == (("q01-x-answer", "Well done <3"),)
    assert read_feedback_html(page.replace('type="application/json" id="rc-feedback"',
                                           'id="rc-feedback" type="application/json"')) == fb
    assert read_feedback_html("<html>no block</html>") is None
    assert read_feedback_html(page.replace('"cells"', '"cellz"')) is None


# ---------------------------------------------------------------- the widgets (no browser)

def test_the_quiz_view_saves_as_the_learner_goes_and_comes_back(offline):
    from resilience_course.quiz.take_widgets import QuizView

    form = offline.open(QUIZ.assignment)
    view = QuizView(offline, form)
    single = next(v for v in view.question_views if v.question.type == "single")
    multi = next(v for v in view.question_views if v.question.type == "multiple")
    single.radio.value = single.question.options[1].letter  # the pressed toggle button
    multi.boxes[0].value = True
    multi.boxes[2].value = True
    view.reflection_views[0].box.value = "Two features: partnering and people centeredness."
    assert "6 words" in view.reflection_views[0].count_html.value
    again = QuizView(offline, offline.open(QUIZ.assignment))  # the page reloaded
    assert again.question_views[single.question.number - 1].letters == single.question.options[1].letter
    multi_again = again.question_views[multi.question.number - 1]
    assert multi_again.letters == multi.question.options[0].letter + multi.question.options[2].letter
    assert [b.value for b in multi_again.boxes][:3] == [True, False, True]
    assert again.reflection_views[0].box.value.startswith("Two features")
    assert "still to answer" in again.missing_html.value


def test_without_an_exchange_submitting_offers_the_answered_notebook_as_a_download(offline):
    import base64

    from resilience_course.quiz.take_widgets import QuizView, QuizzesPage

    page = QuizzesPage(offline)
    assert "download a file with your answers" in page.route_html.value
    view = page.open_quiz(QUIZ.assignment)
    view.question_views[1].radio.value = "B"
    view.submit_button.click()
    assert view.confirm_box.layout.display == "flex" and "still unanswered" in view.confirm_html.value
    view.confirm_button.click()
    assert view.confirm_box.layout.display == "none"
    link = view.download_html.value
    assert f'download="{QUIZ.notebook}"' in link
    data = base64.b64decode(re.search(r"base64,([^\"]+)", link).group(1)).decode("utf-8")
    nb = nbformat.reads(data, 4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    assert 'answer_2 = "B"' in by_id[QUIZ.questions[1].answer_cell_id].source
    assert "Submitted" in page.list_box.children[0].value  # the list refreshed
    assert isinstance(view, QuizView)


def test_the_confirmation_is_shown_before_its_question_is_written(offline):
    """The page draws each change as it comes: the confirmation box must be displayed before its question
    appears, so that when a learner (or a screen reader) meets the question, "Yes, submit now" is already
    there to Tab to (written first, a Tab pressed at once ran off the end of the page: focus was lost)."""
    from resilience_course.quiz.take_widgets import QuizzesPage

    view = QuizzesPage(offline).open_quiz(QUIZ.assignment)
    order = []
    view.confirm_box.layout.observe(lambda ch: order.append(("display", ch.new)), names="display")
    view.confirm_html.observe(lambda ch: order.append(("question", bool(ch.new))), names="value")
    view.submit_button.click()
    assert order == [("display", "flex"), ("question", True)], order


def test_learner_text_is_escaped_on_the_page(offline, tmp_path):
    from resilience_course.quiz.take_widgets import QuizView

    form = offline.open(QUIZ.assignment)
    offline.save_draft(QUIZ.assignment, {form.reflections[0].key: "<img src=x onerror=alert(1)>"})
    view = QuizView(offline, form)
    view.message = "<b>bad</b>"
    assert "<b>bad</b>" not in view.status_html.value and "&lt;b&gt;" in view.status_html.value


# ---------------------------------------------------------------- on real nbgrader, through the exchange

@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return workflow(tmp_path_factory)


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_the_page_learner_goes_from_not_started_to_feedback_ready(run):
    page = run["page"]
    assignment = run["quizzes"][1].assignment
    state = {label: {s.assignment: s.state for s in page[label]}[assignment]
             for label in ("before", "during", "after", "final_list")}
    assert state == {"before": "not started", "during": "in progress", "after": "submitted",
                     "final_list": "feedback ready"}
    assert {s.assignment for s in page["before"]} == {q.assignment for q in run["quizzes"]}
    after = {s.assignment: s for s in page["after"]}[assignment]
    assert re.match(r"\d{4}-\d\d-\d\d", after.submitted_at)


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_the_page_submission_is_graded_as_the_form_nbgrader_grades(run):
    quiz = run["quizzes"][1]
    learner = next(lr for lr in run["learners"][quiz.assignment] if lr.id == PAGE_LEARNER)
    got = run["after_autograde"][quiz.assignment, PAGE_LEARNER]
    for grade_id, points in learner.expected_auto(quiz).items():
        assert got[grade_id] == (points, False), grade_id
    assert 0 < sum(learner.expected_auto(quiz).values()) < sum(q.points for q in quiz.questions)
    for r in quiz.reflections:
        assert got[r.grade_id] == (None, True)  # a written answer waits for the trainer
    autograded = run["sb"].course / "autograded" / PAGE_LEARNER / quiz.assignment / quiz.notebook
    nb = nbformat.read(autograded, as_version=4)
    rid = quiz.reflections[0].grade_id
    written = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == rid)
    assert "<script>" not in written.source and "&lt;script&gt;" in written.source


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_the_page_shows_the_released_feedback(run):
    quiz = run["quizzes"][1]
    fb = run["page"]["feedback"]
    learner = next(lr for lr in run["learners"][quiz.assignment] if lr.id == PAGE_LEARNER)
    auto = learner.expected_auto(quiz)
    manual = sum(manual_score(learner, r) for r in quiz.reflections)
    assert fb.score == sum(auto.values()) + manual and fb.max_score == quiz.max_score
    scored = {i["grade_id"]: i["score"] for i in fb.items}
    assert {k: scored[k] for k in auto} == {k: float(v) for k, v in auto.items()}


def test_quiz_records_survive_the_learners_export_and_import(offline, tmp_path):
    offline.open(QUIZ.assignment)
    offline.save_draft(QUIZ.assignment, {"q1": "AC", "reflection-x": "My words"})
    offline.record_download(QUIZ.assignment)
    exported = offline.store.export_file(tmp_path / "mine.json")
    fresh = Store(tmp_path / "other.sqlite3")
    fresh.import_file(exported)
    assert [r["payload"]["answers"] for r in fresh.records(DRAFT_KIND)] == [{"q1": "AC", "reflection-x": "My words"}]
    assert fresh.records("quiz-submission")[0]["payload"]["route"] == "download"


def test_settings_read_the_cohort_servers_nbgrader_config(tmp_path, monkeypatch):
    etc = tmp_path / "etc"
    etc.mkdir()
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    (etc / "nbgrader_config.py").write_text(
        "import os\nc = get_config()\nc.CourseDirectory.course_id = 'cohort-course'\n"
        f"c.Exchange.root = {str(exchange)!r}\nc.Exchange.assignment_dir = {str(tmp_path / 'fetched')!r}\n")
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(etc))
    for var in ("RESILIENCE_COURSE_EXCHANGE", "RESILIENCE_COURSE_QUIZ_DIR", "RESILIENCE_COURSE_NBGRADER_COURSE"):
        monkeypatch.delenv(var, raising=False)
    s = settings()
    assert (s.exchange, s.quiz_dir, s.course_id) == (exchange, tmp_path / "fetched", "cohort-course")
