"""The module quizzes on real nbgrader: generate, validate, release, fetch, submit, collect, autograde,
manual grading, feedback and export: the full synthetic cohort on the first quiz, one learner on each
other quiz.

The whole trainer's workflow runs once per test process in a sandboxed copy of the course
(tests/quiz_helpers.workflow, shared with tests/quiz/test_crafted_submissions.py); the tests then check
what it produced. Autograding is batched: one ``nbgrader autograde`` per quiz for all its learners.
"""

from __future__ import annotations

import csv
import html
import html.parser
import re

import nbformat
import pytest
from resilience_course.quiz.quizzes import load_all_quizzes

from .quiz_helpers import (
    ASSESSMENTS,
    MISSING,
    ROOT,
    cohort,
    manual_score,
    points_for,
    workflow,
)

QUIZZES = load_all_quizzes(ROOT)


def _validate_sections(output: str) -> dict[str, str]:
    """Split ``nbgrader validate`` output (stdout and log together) into one section per notebook."""
    parts = re.split(r"\[ValidateApp \| INFO\] Validating '([^']+)'\n", output)
    return {parts[i].split("/")[-1]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The trainer's whole workflow, run once (see quiz_helpers.workflow)."""
    return workflow(tmp_path_factory)


def _expected_total(learner, quiz) -> float:
    auto = sum(learner.expected_auto(quiz).values())
    manual = sum(manual_score(learner, r) for r in quiz.reflections) if learner.reflection_written else 0
    return float(auto + manual)


# ---------------------------------------------------------------- the source and the release

def test_committed_notebooks_are_built_from_the_quiz_data():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(ASSESSMENTS / "build_quizzes.py"), "--check"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    assert len(QUIZZES) == 7
    for quiz in QUIZZES:
        assert 8 <= len(quiz.questions) <= 12
        nb = nbformat.read(ASSESSMENTS / "source" / quiz.assignment / quiz.notebook, as_version=4)
        assert nb.metadata.kernelspec.name == "python3"
        assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def test_test_cells_open_with_a_docstring_and_hide_their_key():
    for quiz in QUIZZES:
        nb = nbformat.read(ASSESSMENTS / "source" / quiz.assignment / quiz.notebook, as_version=4)
        tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
        assert len(tests) == len(quiz.questions)
        for cell, q in zip(tests, quiz.questions):
            meta = cell.metadata.nbgrader
            assert meta["grade_id"] == q.grade_id and meta["points"] == q.points and meta["locked"]
            assert cell.source.startswith('"""Question') and "checks" in cell.source.split('"""')[1].lower()
            visible, hidden = cell.source.split("### BEGIN HIDDEN TESTS")
            assert "### END HIDDEN TESTS" in hidden
            assert repr(sorted(q.answer)) in hidden and repr(sorted(q.answer)) not in visible


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_generate_assignment_makes_every_release(run):
    for quiz in QUIZZES:
        assert (run["sb"].course / "release" / quiz.assignment / quiz.notebook).is_file()


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_validate_passes_on_every_source_notebook(run):
    sections = _validate_sections(run["validate_source"])
    assert set(sections) == {q.notebook for q in QUIZZES}
    for name, text in sections.items():
        assert "Success! Your notebook passes all the tests." in text, (name, text[-1500:])


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_validate_invert_passes_on_every_release_notebook(run):
    sections = _validate_sections(run["validate_release"])
    assert set(sections) == {q.notebook for q in QUIZZES}
    for name, text in sections.items():
        assert "Success! The notebook does not pass any tests." in text, (name, text[-1500:])


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_release_holds_no_solution_hidden_test_or_mark_scheme(run):
    release = run["sb"].course / "release"
    files = [p for p in release.rglob("*") if p.is_file()]
    assert len(files) == len(QUIZZES)
    for quiz in QUIZZES:
        text = (release / quiz.assignment / quiz.notebook).read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                       "MARK SCHEME", "Mark scheme", "marker only", "not the right answer"):
            assert marker not in text, (quiz.assignment, marker)
        nb = nbformat.reads(text, as_version=4)
        for q in quiz.questions:
            assert f'{q.variable} = "{q.answer}"' not in text
            assert repr(sorted(q.answer)) not in text
            answer = nb.cells[[c.metadata.nbgrader.get("grade_id") for c in nb.cells].index(q.answer_cell_id)]
            assert f'{q.variable} = ""' in answer.source
        for r in quiz.reflections:
            for _, criterion in r.mark_scheme:
                assert criterion[:60] not in text
            if r.marker_notes:
                assert r.marker_notes[:60] not in text


# ---------------------------------------------------------------- collecting and autograding

@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_every_learner_is_collected(run):
    submitted = run["sb"].course / "submitted"
    for quiz in QUIZZES:
        learners = run["learners"][quiz.assignment]
        assert len(learners) >= (9 if quiz is QUIZZES[0] else 1)
        for learner in learners:
            assert (submitted / learner.id / quiz.assignment / quiz.notebook).is_file(), (quiz.assignment, learner.id)


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_autograde_gives_every_learner_the_hand_worked_scores(run):
    for quiz in QUIZZES:
        for learner in run["learners"][quiz.assignment]:
            got = run["after_autograde"][quiz.assignment, learner.id]
            for grade_id, points in learner.expected_auto(quiz).items():
                assert got[grade_id] == (points, False), (quiz.assignment, learner.story, grade_id, got[grade_id])


def test_expected_scores_cover_every_kind_of_submission():
    quiz = QUIZZES[0]
    learners = {lr.story: lr for lr in cohort(quiz)}
    full = sum(q.points for q in quiz.questions)
    totals = {story: sum(lr.expected_auto(quiz).values()) for story, lr in learners.items()}
    assert totals["all correct"] == full
    assert totals["all wrong"] == 0
    assert totals["blank (submitted as released)"] == 0
    assert 0 < totals["partly right"] < full
    assert totals["a syntax error in answer 2"] == full - quiz.questions[1].points
    assert totals["deleted the answer cell of question 3"] == full - quiz.questions[2].points
    assert totals["edited the read-only test cell of question 1 (and answered it wrongly)"] == \
        full - quiz.questions[0].points
    assert totals["added extra cells and deleted the test cell of question 2"] == full
    forms = learners["answers in doubtful forms"].values
    # "b " style answers count; bare letters (a NameError) and lists do not; repeated letters do not
    assert points_for(forms[1], quiz.questions[0].answer, 1) == 1
    assert forms[2] is MISSING and isinstance(forms[3], list)
    assert 0 < totals["answers in doubtful forms"] < full


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_reflections_wait_for_the_trainer_unless_left_blank(run):
    for quiz in QUIZZES:
        for learner in run["learners"][quiz.assignment]:
            got = run["after_autograde"][quiz.assignment, learner.id]
            for r in quiz.reflections:
                if learner.reflection_written:
                    assert got[r.grade_id] == (None, True), (quiz.assignment, learner.story)
                else:
                    assert got[r.grade_id] == (0, False), (quiz.assignment, learner.story)


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_form_check_tells_the_learner_about_each_form(run):
    quiz = QUIZZES[0]
    autograded = run["sb"].course / "autograded"

    def check_output(learner_id: str) -> str:
        nb = nbformat.read(autograded / learner_id / quiz.assignment / quiz.notebook, as_version=4)
        cell = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "check-answer-forms"][0]
        return "".join(o.get("text", "") for o in cell.outputs)

    good = check_output("learner01")
    assert f"All {len(quiz.questions)} answers are in a form the marker can read" in good
    assert "does not tell you whether they are right" in good
    blank = check_output("learner04")
    assert blank.count("not answered yet") == len(quiz.questions)
    forms = check_output("learner05")
    q = quiz.questions
    assert f"Question 1: the marker will read this as {q[0].answer}" in forms  # "b " style
    assert "Question 2: the marker cannot read this answer" in forms  # no quotation marks: not readable
    assert "Question 3: the marker cannot read this answer" in forms  # a list
    assert "Question 4:" in forms and ("more than once" in forms or "exactly one letter" in forms)
    assert "need attention before you submit" in forms


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_failed_checks_show_their_message_not_their_code(run):
    quiz = QUIZZES[0]
    nb = nbformat.read(run["sb"].course / "autograded" / "learner02" / quiz.assignment / quiz.notebook,
                       as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert len(errors) == len(quiz.questions)
    for err in errors:
        shown = "\n".join(err.traceback)
        assert "not the right answer" in err.evalue
        assert "sorted(_letters)" not in shown and "BEGIN HIDDEN" not in shown


# ---------------------------------------------------------------- feedback and export

class _Resources(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.remote = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "data", "poster", "srcset", "action") and value and \
                    re.match(r"\s*(https?:)?//", value):
                self.remote.append((tag, name, value))


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_every_learner_gets_feedback_that_opens_offline(run):
    feedback = run["sb"].course / "feedback"
    for quiz in QUIZZES:
        for learner in run["learners"][quiz.assignment]:
            page = feedback / learner.id / quiz.assignment / f"{quiz.assignment}.html"
            assert page.is_file(), (quiz.assignment, learner.id)
            text = page.read_text(encoding="utf-8")
            parser = _Resources()
            parser.feed(text)
            assert parser.remote == [], (quiz.assignment, parser.remote)
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
            assert not re.search(r"@import\s+(url\()?\s*['\"]?(https?:)?//", text)
            score = re.search(r"\(Score: ([0-9.]+) / ([0-9.]+)\)", text)
            assert float(score.group(1)) == _expected_total(learner, quiz), (quiz.assignment, learner.story)
            assert float(score.group(2)) == quiz.max_score


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_feedback_keeps_the_key_and_mark_scheme_hidden(run):
    feedback = run["sb"].course / "feedback"
    for quiz in QUIZZES:
        page = (feedback / "learner03" / quiz.assignment / f"{quiz.assignment}.html").read_text(encoding="utf-8")
        page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        assert "Question 1" in text and "not the right answer" in text
        assert "BEGIN HIDDEN TESTS" not in text and "sorted(_letters)" not in text
        assert "Mark scheme" not in text and "MARK SCHEME" not in text
        for q in quiz.questions:
            assert repr(sorted(q.answer)) not in text


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_export_gives_one_row_per_learner(run):
    rows = list(csv.DictReader(run["export"].splitlines()))
    everyone = {lr.id for learners in run["learners"].values() for lr in learners}
    for quiz in QUIZZES:
        mine = [r for r in rows if r["assignment"] == quiz.assignment]
        assert sorted(r["student_id"] for r in mine) == sorted(everyone)  # exactly one row each
        submitted = {lr.id: lr for lr in run["learners"][quiz.assignment]}
        for row in mine:
            learner = submitted.get(row["student_id"])
            expected = _expected_total(learner, quiz) if learner else 0.0  # no submission: 0
            assert float(row["raw_score"]) == expected, (quiz.assignment, row["student_id"])
            assert float(row["max_score"]) == quiz.max_score
        assert all(not r["first_name"] and not r["last_name"] and not r["email"] for r in mine)


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_item_analysis_command_reads_the_real_gradebook(run, tmp_path):
    from resilience_course.cli import main

    quiz = QUIZZES[0]
    status = main(["grades", "item-analysis", "--assignment", quiz.assignment,
                   "--db", str(run["sb"].course / "gradebook.db"), "--out", str(tmp_path)])
    assert status == 0
    rows = list(csv.DictReader((tmp_path / f"{quiz.assignment}-items.csv").read_text().splitlines()))
    assert [r["grade_id"] for r in rows] == [i.grade_id for i in quiz.items]
    learners = run["learners"][quiz.assignment]
    for q, row in zip(quiz.questions, rows):
        expected = sum(points_for(lr.values[q.number], q.answer, q.points) for lr in learners) / len(learners)
        assert float(row["facility"]) == pytest.approx(expected / q.points, abs=5e-4)
        assert row["outcome"] == q.outcome


# ---------------------------------------------------------------- the quiz data (fast, no nbgrader)

def _quiz_file(tmp_path, change) -> str:
    import yaml

    data = yaml.safe_load((ASSESSMENTS / "quizzes" / "module-01-quiz.yml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "module-01-quiz.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, entry, reason", [
    (lambda d: d["questions"][1].update(id=d["questions"][0]["id"]), "questions[1].id", "duplicate id"),
    (lambda d: d["questions"][1].update(answer="E"), "questions[1].answer", "not an option"),
    (lambda d: d["questions"][1].update(answer="AB"), "questions[1].answer", "exactly one letter"),
    (lambda d: d["questions"][0].update(outcome="2.1"), "questions[0].outcome", "not an outcome of module 01"),
    (lambda d: d["questions"][0]["options"][1].update(id="C"), "questions[0].options", "lettered"),
    (lambda d: d["reflections"][0].update(points=5), "reflections[0].mark_scheme", "adds up to 4"),
    (lambda d: d.update(assignment="module-02-quiz"), "assignment", "named module-02-quiz.yml"),
    (lambda d: d["questions"].__delitem__(slice(7, None)), "questions", ("too short", "minItems")),
])
def test_bad_quiz_data_is_rejected_with_file_entry_and_reason(tmp_path, change, entry, reason):
    from resilience_course.core.content import ContentError
    from resilience_course.quiz.quizzes import load_quiz

    path = _quiz_file(tmp_path, change)
    with pytest.raises(ContentError) as exc:
        load_quiz(path)
    reasons = reason if isinstance(reason, tuple) else (reason,)  # the schema check's wording may vary
    assert exc.value.file == str(path) and exc.value.entry == entry
    assert any(r in exc.value.reason for r in reasons), exc.value.reason


def test_content_check_covers_the_quizzes():
    from resilience_course.validate_all import content_files, validate_all

    quizzes = [p for p, schema in content_files(ROOT) if schema == "quiz"]
    assert len(quizzes) == 7
    problems, _ = validate_all(ROOT)
    assert not [p for p in problems if "assessments" in p]


def test_every_outcome_of_every_module_is_tested():
    from resilience_course.core.course import load_outline

    outline = load_outline(ROOT)
    for quiz in QUIZZES:
        outcomes = {o["id"] for o in outline.module(quiz.module).outcomes}
        assert {q.outcome for q in quiz.questions} | {r.outcome for r in quiz.reflections} == outcomes
