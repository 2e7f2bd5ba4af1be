"""Grading runs no learner code (issue 12): crafted submissions on real nbgrader score as blank, honest
learners in the same run are graded correctly, and nothing the crafted answers try happens.

The submissions are made in the shared workflow run (tests/quiz_helpers.workflow, first quiz); the
answer-reading rule itself is checked here without nbgrader too.
"""

from __future__ import annotations

import sqlite3

import nbformat
import pytest
from resilience_course.quiz.sanitize import NOT_READABLE, answer_source, read_answer

from ..quiz_helpers import marker_files, workflow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return workflow(tmp_path_factory)


def _crafted(run):
    quiz = run["quizzes"][0]
    return quiz, [lr for lr in run["learners"][quiz.assignment] if lr.id.startswith("crafted")]


# ---------------------------------------------------------------- the reading rule (fast, no nbgrader)

@pytest.mark.parametrize("source, value", [
    ('answer_3 = "B"', "B"),
    ("# Question 3: one letter\nanswer_3 = 'b '", "b "),
    ('answer_3 = ""\nanswer_3 = "c, a"', "c, a"),
    ('answer_3 = "A" "C"', "AC"),
    ("# only a comment", ""),
    ("", ""),
])
def test_a_text_literal_is_read(source, value):
    assert read_answer(source, "answer_3") == (value, "")


@pytest.mark.parametrize("source", [
    "answer_3 = b",
    'answer_3 = ["B"]',
    'answer_3 = f"{1}"',
    'answer_3 = b"B"',
    'answer_3 = "B".lower()',
    'answer_3 = "B"; import os',
    'import os\nanswer_3 = "B"',
    'answer_4 = "B"',
    'answer_3: str = "B"',
    'answer_3 = answer_2 = "B"',
    'answer_3 = "B',
    'answer_3 = "' + "B" * 201 + '"',
    "answer_3 = " + "(" * 100_000 + '"B"' + ")" * 100_000,
    'answer_3 = "B"\nwhile True:\n    pass',
    "answer_3 = \"B\"\x00",
])
def test_anything_else_is_not_readable(source):
    value, reason = read_answer(source, "answer_3")
    assert value is None and reason


def test_the_marked_cell_holds_only_the_literal_or_none():
    assert answer_source("answer_3", "it's") == "answer_3 = \"it's\""
    marked = answer_source("answer_3", None, "the answer is not text between quotation marks")
    assert marked.endswith("\nanswer_3 = None") and NOT_READABLE in marked
    assert all(line.startswith("#") for line in marked.splitlines()[:-1])


# ---------------------------------------------------------------- on real nbgrader

@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_crafted_answers_score_as_blank_and_the_rest_as_usual(run):
    quiz, crafted = _crafted(run)
    assert len(crafted) >= 8
    for learner in crafted:
        got = run["after_autograde"][quiz.assignment, learner.id]
        for grade_id, points in learner.expected_auto(quiz).items():
            assert got[grade_id] == (points, False), (learner.story, grade_id, got[grade_id])
        assert sum(points for points, _ in got.values() if points) < quiz.max_score


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_honest_learners_in_the_same_run_are_graded_correctly(run):
    quiz = run["quizzes"][0]
    full = sum(q.points for q in quiz.questions)
    got = run["after_autograde"][quiz.assignment, "learner01"]
    assert sum(got[q.grade_id][0] for q in quiz.questions) == full


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_nothing_the_crafted_answers_tried_happened(run):
    sb = run["sb"]
    assert marker_files(sb.base) == []
    with sqlite3.connect(sb.course / "gradebook.db") as con:
        assert con.execute("select count(*) from grade where auto_score > 5").fetchone()[0] == 0
    quiz, _ = _crafted(run)
    folder = sb.course / "autograded" / "crafted08" / quiz.assignment
    # the planted Python files are gone; the notebook and nbgrader's own records stay
    assert sorted(p.name for p in folder.iterdir()) == sorted([quiz.notebook, "submission_secret.txt",
                                                               "timestamp.txt"])


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_the_trainer_sees_not_readable_in_the_marked_notebook_and_the_log(run):
    quiz, crafted = _crafted(run)
    autograded = run["sb"].course / "autograded"
    for learner in crafted:
        attacked = [n for n, v in learner.values.items() if v is None]
        nb = nbformat.read(autograded / learner.id / quiz.assignment / quiz.notebook, as_version=4)
        by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
        for n in attacked:
            q = quiz.questions[n - 1]
            source = by_id[q.answer_cell_id].source
            assert NOT_READABLE in source and source.endswith(f"{q.variable} = None"), (learner.story, source)
        answer_cells = {q.answer_cell_id for q in quiz.questions}
        for cell in nb.cells:
            if cell.cell_type == "code":
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in answer_cells or not gid:  # what the learner could type into
                    assert "import" not in cell.source and "open(" not in cell.source, (learner.story, cell.source)
                assert "tags" not in cell.metadata
        assert (autograded / learner.id / quiz.assignment / quiz.notebook).stat().st_size < 600_000
    assert f"answer_1 is {NOT_READABLE}" in run["autograde_output"][quiz.assignment]


@pytest.mark.nbgrader
@pytest.mark.slow
@pytest.mark.xdist_group("quiz-workflow")  # one run of the workflow per worker: keep them together
def test_no_check_timed_out_or_was_skipped(run):
    quiz, crafted = _crafted(run)
    autograded = run["sb"].course / "autograded"
    for learner in crafted:
        nb = nbformat.read(autograded / learner.id / quiz.assignment / quiz.notebook, as_version=4)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if o.output_type == "error"]
        assert not [e for e in errors if "Timeout" in e.ename], learner.story
        tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
        assert all(c.execution_count for c in tests), learner.story  # every check ran


def test_files_beside_the_notebook_are_removed_except_nbgrader_records_and_source_files(tmp_path):
    from resilience_course.quiz.sanitize import RemoveSubmittedFiles
    from traitlets.config import Config

    course = tmp_path / "course"
    (course / "source" / "module-01-quiz").mkdir(parents=True)
    (course / "source" / "module-01-quiz" / "data.csv").write_text("trainer's file")
    marked = course / "autograded" / "learner" / "module-01-quiz"
    (marked / "IPython").mkdir(parents=True)
    for name in ("module-01-quiz.ipynb", "timestamp.txt", "submission_secret.txt", "data.csv", "json.py",
                 "sitecustomize.py", "ipython_config.py", "IPython/__init__.py", "notes.txt"):
        (marked / name).write_text("x")
    (marked / "link.ipynb").symlink_to(course / "source" / "module-01-quiz" / "data.csv")
    c = Config()
    c.CourseDirectory.root = str(course)
    resources = {"metadata": {"path": str(marked)}, "nbgrader": {"assignment": "module-01-quiz", "student": "learner"}}
    RemoveSubmittedFiles(config=c).preprocess(None, resources)
    assert sorted(p.relative_to(marked).as_posix() for p in marked.rglob("*")) == [
        "data.csv", "module-01-quiz.ipynb", "submission_secret.txt", "timestamp.txt"]
