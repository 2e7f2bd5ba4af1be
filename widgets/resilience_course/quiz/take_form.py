"""A quiz as a form: its questions read from the notebook's cell metadata, and answers written back into it.

Part of the quiz-taking model (:mod:`resilience_course.quiz.take`): the questions come from the metadata
``assessments/build_quizzes.py`` puts in the notebook (never its key); the answers go into the learner's
copy of the nbgrader notebook exactly as nbgrader grades them. No widgets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .take_settings import MAX_REFLECTION_CHARS, QuizError

__all__ = ["Option", "QuestionForm", "ReflectionForm", "QuizForm", "form_from_notebook", "normalise_letters",
           "word_count", "answer_problems", "fill_notebook", "learner_copy"]

# ---------------------------------------------------------------- the quiz as a form

@dataclass(frozen=True)
class Option:
    letter: str
    text: str


@dataclass(frozen=True)
class QuestionForm:
    number: int
    grade_id: str
    answer_cell: str
    variable: str
    type: str  # "single" or "multiple"
    points: int
    stem: str
    options: tuple[Option, ...]

    @property
    def letters(self) -> str:
        return "".join(o.letter for o in self.options)

    @property
    def key(self) -> str:
        return f"q{self.number}"


@dataclass(frozen=True)
class ReflectionForm:
    number: int
    grade_id: str
    label: str
    points: int
    prompt: str
    guidance: str

    @property
    def key(self) -> str:
        return self.grade_id


@dataclass(frozen=True)
class QuizForm:
    assignment: str
    title: str
    module: str
    minutes: int
    max_score: int
    questions: tuple[QuestionForm, ...]
    reflections: tuple[ReflectionForm, ...]

    @property
    def notebook(self) -> str:
        return f"{self.assignment}.ipynb"


def _meta(cell, kind: str):
    value = cell.get("metadata", {}).get("resilience_course", {})
    return value.get(kind) if isinstance(value, dict) else None


def form_from_notebook(nb, assignment: str) -> QuizForm:
    """The questions of a (released or fetched) quiz notebook, from the metadata its build wrote.

    Raises :class:`QuizError` in plain words when the notebook is not a course quiz.
    """
    intro = next((m for c in nb.cells if (m := _meta(c, "quiz"))), None)
    if not isinstance(intro, dict):
        raise QuizError(f"The notebook for {assignment} is not one of the course's quizzes, or it was made by an "
                        "older version of the course. Ask your trainer for a new copy.")
    questions, reflections = [], []
    try:
        for cell in nb.cells:
            q = _meta(cell, "question")
            if isinstance(q, dict):
                options = tuple(Option(str(letter), str(text)) for letter, text in q["options"])
                questions.append(QuestionForm(int(q["number"]), str(q["grade_id"]), str(q["answer_cell"]),
                                              str(q["variable"]), str(q["type"]), int(q["points"]), str(q["stem"]),
                                              options))
            r = _meta(cell, "reflection")
            if isinstance(r, dict):
                reflections.append(ReflectionForm(int(r["number"]), str(r["grade_id"]), str(r["label"]),
                                                  int(r["points"]), str(r["prompt"]), str(r.get("guidance", ""))))
        return QuizForm(str(intro["assignment"]), str(intro["title"]), str(intro["module"]), int(intro["minutes"]),
                        int(intro["max_score"]), tuple(questions), tuple(reflections))
    except (KeyError, TypeError, ValueError):
        raise QuizError(f"The notebook for {assignment} is damaged: its questions cannot be read. "
                        "Ask your trainer for a new copy.") from None


def normalise_letters(value: str, q: QuestionForm) -> str:
    """The letters of an answer, sorted, keeping only the question's own letters (one for a single answer)."""
    letters = "".join(sorted({c for c in str(value).upper() if c in q.letters}))
    return letters[:1] if q.type == "single" else letters


def word_count(text: str) -> int:
    return len(str(text).split())


def answer_problems(form: QuizForm, answers: dict) -> list[str]:
    """What is still missing, in plain words (empty when every question has an answer)."""
    problems = []
    for q in form.questions:
        if not normalise_letters(answers.get(q.key, ""), q):
            problems.append(f"Question {q.number} has no answer yet.")
    for r in form.reflections:
        if not str(answers.get(r.key, "")).strip():
            problems.append(f"{r.label} has no answer yet.")
    return problems


def _cell_by_grade_id(nb, grade_id: str):
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    raise QuizError(f"Part of the quiz notebook is missing ({grade_id}). Ask your trainer for a new copy.")


def fill_notebook(nb, form: QuizForm, answers: dict):
    """Write *answers* into *nb* exactly as nbgrader grades them; returns the same notebook.

    Each answer cell gets the line ``answer_N = "LETTERS"`` in place of its ``answer_N = ...`` line
    (letters only, so nothing else can reach the cell); each reflection becomes the text of its
    Markdown cell. An unanswered question keeps ``answer_N = ""``; an unanswered reflection keeps the
    text the trainer's copy had, so it scores 0 without waiting for the trainer.
    """
    for q in form.questions:
        cell = _cell_by_grade_id(nb, q.answer_cell)
        letters = normalise_letters(answers.get(q.key, ""), q)
        line = f'{q.variable} = "{letters}"'
        pattern = re.compile(rf"^{re.escape(q.variable)}\s*=.*$", re.M)
        if pattern.search(cell.source):
            cell.source = pattern.sub(lambda _m, text=line: text, cell.source, count=1)
        else:
            cell.source = (cell.source.rstrip("\n") + "\n" + line).lstrip("\n")
    for r in form.reflections:
        text = str(answers.get(r.key, "")).strip()[:MAX_REFLECTION_CHARS]
        if text:
            _cell_by_grade_id(nb, r.grade_id).source = text
    return nb


def learner_copy(source_notebook: Path):
    """A learner's copy of a quiz made from the trainer's source notebook, as ``generate_assignment`` makes it.

    Uses nbgrader's own preprocessors (answers and mark schemes replaced by the course's stubs from
    ``assessments/nbgrader_config.py``, hidden checks removed, cells locked, checksums computed), so a
    copy returned by email is marked like a released one.
    """
    from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions, ComputeChecksums, LockCells
    from traitlets.config import Config

    nb = nbformat.read(source_notebook, as_version=4)
    c = Config()
    c.ClearSolutions.code_stub = {
        "python": "# Type your answer between the quotation marks on the line above, then press Shift + Enter."}
    c.ClearSolutions.text_stub = ("Write your answer here, in your own words. "
                                  "(Double-click this box to type in it; press Shift + Enter when you have finished.)")
    resources = {"language": "python"}
    for pp in (LockCells, ClearSolutions, ClearOutput, ClearHiddenTests, ComputeChecksums):
        nb, resources = pp(config=c).preprocess(nb, resources)
    return nb
