#!/usr/bin/env python3
"""Build the nbgrader source notebooks and the marking guides from the quiz data.

Usage (from the repository root or from assessments/):

    python assessments/build_quizzes.py            # write every quiz
    python assessments/build_quizzes.py --check    # change nothing; exit 1 if a file is out of date
    python assessments/build_quizzes.py module-03-quiz

Reads ``assessments/quizzes/module-NN-quiz.yml`` (schema ``quiz``, checked by
``resilience_course.quiz.quizzes.load_quiz``) and writes

* ``assessments/source/module-NN-quiz/module-NN-quiz.ipynb``: the nbgrader source notebook, with the
  answer key in solution regions, the checks in hidden tests and the mark scheme in the solution
  region of the reflective answer, all of which ``nbgrader generate_assignment`` removes;
* ``assessments/marking-guides/module-NN-quiz.md``: the answer key and mark schemes for trainers
  (outside ``source/``, so never released).

How answers are marked (the same rule in the hidden tests, the form check and the marking guide):
an answer is text in quotation marks; capitals or small letters, spaces, commas and the order of
the letters do not matter; it scores the question's points only when its letters are exactly the
key. Anything else (no quotation marks, a list, an unknown or repeated letter, two letters for a
one-letter question, a blank) scores 0. Choose-all questions are all or nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from resilience_course.core.content import ContentError
from resilience_course.quiz.quizzes import Question, Quiz, Reflection, load_quiz

HERE = Path(__file__).resolve().parent
QUIZZES = HERE / "quizzes"
SOURCE = HERE / "source"
GUIDES = HERE / "marking-guides"

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_TESTS, END_TESTS = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"

# The one statement of the marking rule, quoted in the notebook and the marking guide.
RULES_MD = """\
**How the marker reads your answers**

* Type your answer **between the quotation marks**. Capitals or small letters, spaces, commas and
  the order of the letters do not matter: `"b "` counts as B, and `"c, a"` counts as AC.
* Without quotation marks (`answer_3 = b`) or inside brackets (`answer_3 = ["B"]`) the marker cannot
  read your answer, and it scores 0.
* A letter that is not one of the options, a letter typed twice, or more than one letter for a
  one-letter question also scores 0. So does a blank answer.
* For "choose every one that applies" questions you get the marks when you choose every right letter
  and no wrong one. There is no penalty for a wrong answer.
"""


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    nb = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
          "solution": solution, "task": False}
    if points is not None:
        nb["points"] = points
    return {"nbgrader": nb}


def _md(grade_id: str, text: str, **kw) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text.strip("\n"))
    kw.setdefault("locked", True)
    cell.metadata = _meta(grade_id, **kw)
    cell.id = grade_id
    return cell


def _code(grade_id: str, text: str, **kw) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(text.strip("\n"))
    cell.metadata = _meta(grade_id, **kw)
    cell.id = grade_id
    return cell


def _how_many(q: Question) -> str:
    return "type one letter" if q.type == "single" else "type every letter that applies"


def how_short(q: Question) -> str:
    if q.type == "single":
        return f'Type one letter between the quotation marks, like {q.variable} = "B"'
    return f'Type the letters together between the quotation marks, like {q.variable} = "AC"'


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def intro_cell(quiz: Quiz) -> nbformat.NotebookNode:
    auto = sum(q.points for q in quiz.questions)
    manual = sum(r.points for r in quiz.reflections)
    n_r = len(quiz.reflections)
    text = f"""
# Module {int(quiz.module)} quiz: {quiz.title}

This quiz is part of *Resilience with Compassion*, a course on the health visiting Resilience
Framework (iHV, 2015). It has {len(quiz.questions)} questions that are marked automatically
({auto} marks) and {_plural(n_r, 'reflective question')} that your trainer reads and marks by hand
({manual} marks): {quiz.max_score} marks in all. Allow about {quiz.minutes} minutes. You may use your
course notes.

**The easy way:** open **Quizzes** from the course home page. It shows these questions with buttons
and a text box, saves your answers as you go, and fills in and submits this notebook for you.

**How to answer in this notebook**

1. Each question has a grey box (a code cell) below it with a line such as `answer_3 = ""`.
2. Click in the box and type your answer between the two quotation marks, for example
   `answer_3 = "B"`. When a question asks for every letter that applies, type them together,
   for example `answer_5 = "AC"`. (The letters here are only examples.)
3. Press **Shift + Enter** to run the box. Nothing else needs to happen.

{RULES_MD}
Please leave the grey boxes that hold a question's checks as they are; you cannot change them, and
they are put back as they were when the quiz is marked.
"""
    cell = _md("quiz-introduction", text)
    cell.metadata["resilience_course"] = {"quiz": {
        "assignment": quiz.assignment, "module": quiz.module, "title": quiz.title, "minutes": quiz.minutes,
        "max_score": quiz.max_score, "auto_points": auto, "manual_points": manual}}
    return cell


def question_cells(q: Question) -> list[nbformat.NotebookNode]:
    options = "\n".join(f"* **{letter}**: {text}" for letter, text in q.options)
    marks = _plural(q.points, "mark")
    if q.type == "single":
        how = "Type **one letter** in the box below, between the quotation marks."
        example = f'{q.variable} = "B"'
        comment = f"# Question {q.number}: one letter between the quotation marks, for example {example}"
    else:
        how = ("Type **every letter that applies**, together, in the box below between the quotation marks. "
               "You get the marks when you choose every right letter and no wrong one.")
        example = f'{q.variable} = "AC"'
        comment = (f"# Question {q.number}: every letter that applies, together between the quotation marks, "
                   f"for example {example}")
    prompt = f"""
## Question {q.number}

*{marks} · {_how_many(q)} · learning outcome {q.outcome}*

{q.stem}

{options}

{how}
"""
    answer = f"""
{comment}
{q.variable} = ""
{BEGIN_SOLUTION}
{q.variable} = "{q.answer}"
{END_SOLUTION}
"""
    key = repr(sorted(q.answer))
    if q.type == "single":
        checks = "exactly one of the letters " + ", ".join(q.letters)
        valid = f'len(_letters) == 1 and _letters in "{q.letters}"'
    else:
        checks = "letters from " + ", ".join(q.letters) + ", each at most once"
        valid = f'_letters and set(_letters) <= set("{q.letters}") and len(set(_letters)) == len(_letters)'
    test = f'''
"""Question {q.number} (learning outcome {q.outcome}, {marks}, all or nothing).
Shown: checks that {q.variable} is text in quotation marks holding {checks}.
Hidden until marking: checks that it is the right answer.
While you answer, it only tells you in plain words what is missing; when the quiz is marked
(nbgrader sets NBGRADER_EXECUTION) an answer it cannot read scores 0."""
_typed = globals().get("{q.variable}")
_letters = "".join(_typed.upper().replace(",", " ").split()) if isinstance(_typed, str) else None
if not (_letters is not None and {valid}):
    _message = 'Question {q.number}: no answer the marker can read yet. {how_short(q)}'
    if __import__("os").environ.get("NBGRADER_EXECUTION"):
        raise AssertionError(_message)
    print(_message)
{BEGIN_TESTS}
assert sorted(_letters) == {key}, "Question {q.number}: not the right answer"
{END_TESTS}
'''
    question = _md(f"{q.grade_id}-question", prompt)
    question.metadata["resilience_course"] = {"question": {
        "number": q.number, "grade_id": q.grade_id, "answer_cell": q.answer_cell_id, "variable": q.variable,
        "type": q.type, "points": q.points, "outcome": q.outcome, "stem": q.stem,
        "options": [[letter, text] for letter, text in q.options]}}
    return [
        question,
        _code(q.answer_cell_id, answer, solution=True),
        _code(q.grade_id, test, grade=True, locked=True, points=q.points),
    ]


def mark_scheme_md(r: Reflection) -> str:
    lines = [f"* **{p} {'mark' if p == 1 else 'marks'}**: {c}" for p, c in r.mark_scheme]
    notes = f"\n\n*Notes for the marker:* {r.marker_notes}" if r.marker_notes else ""
    return "\n".join(lines) + notes


def reflection_cells(r: Reflection, total: int) -> list[nbformat.NotebookNode]:
    label = "Reflective question" if total == 1 else f"Reflective question {r.number}"
    guidance = f"\n\n{r.guidance}" if r.guidance else ""
    prompt = f"""
## {label}

*{_plural(r.points, 'mark')} · marked by your trainer · learning outcome {r.outcome}*

{r.prompt}{guidance}

Write your answer in the box below: double-click it to type, then press **Shift + Enter** to see it.
If thinking about this brings up anything hard, please talk to someone you trust, your supervisor or
your occupational health service.
"""
    answer = f"""
{BEGIN_SOLUTION}
**Mark scheme ({_plural(r.points, 'mark')}), for the marker only; nbgrader removes it from learners' copies.**

{mark_scheme_md(r)}
{END_SOLUTION}
"""
    question = _md(f"{r.grade_id}-question", prompt)
    question.metadata["resilience_course"] = {"reflection": {
        "number": r.number, "grade_id": r.grade_id, "label": label, "points": r.points, "outcome": r.outcome,
        "prompt": r.prompt, "guidance": r.guidance}}
    return [
        question,
        _md(r.grade_id, answer, grade=True, solution=True, locked=False, points=r.points),
    ]


def check_cells(quiz: Quiz) -> list[nbformat.NotebookNode]:
    forms = ",\n    ".join(f'{q.number}: ("{q.letters}", "{"one" if q.type == "single" else "any"}")'
                           for q in quiz.questions)
    text = """
## Before you submit: check the form of your answers

1. Choose **Kernel > Restart Kernel and Run All Cells** (in some versions: *Run > Restart Kernel and
   Run All Cells*), so the check below sees exactly what the marker will see.
2. Read what the check says under the box below. It tells you whether each answer is in a form the
   marker can read. **It does not tell you whether an answer is right.**
3. Save the notebook, then submit it the way your trainer asked (for example with **Nbgrader >
   Assignment List** in JupyterLab).
"""
    code = f'''
# Checks the FORM of your answers only; it never says whether an answer is right.
# You do not need to read or change this code: just run the box (Shift + Enter).
FORMS = {{
    {forms},
}}
need_attention = 0
for number, (letters, how_many) in FORMS.items():
    name = f"answer_{{number}}"
    example = f'{{name}} = "B"' if how_many == "one" else f'{{name}} = "AC"'
    if name not in globals():
        need_attention += 1
        print(f"Question {{number}}: no answer found. Run the box for this question. If it shows "
              f"an error, check that your letters are between quotation marks, like {{example}}")
        continue
    typed = globals()[name]
    if not isinstance(typed, str):
        need_attention += 1
        print(f"Question {{number}}: the marker cannot read this answer. Type only letters between "
              f"quotation marks, with no brackets, like {{example}}")
        continue
    cleaned = "".join(typed.upper().replace(",", " ").split())
    unknown = sorted(set(cleaned) - set(letters))
    if not cleaned:
        need_attention += 1
        print(f"Question {{number}}: not answered yet.")
    elif unknown:
        need_attention += 1
        print(f"Question {{number}}: {{', '.join(unknown)}} is not one of the options "
              f"({{letters[0]}} to {{letters[-1]}}).")
    elif len(set(cleaned)) != len(cleaned):
        need_attention += 1
        print(f"Question {{number}}: a letter is typed more than once.")
    elif how_many == "one" and len(cleaned) != 1:
        need_attention += 1
        print(f"Question {{number}}: this question needs exactly one letter.")
    else:
        print(f"Question {{number}}: the marker will read this as {{''.join(sorted(cleaned))}}.")
print()
if need_attention:
    print(f"{{need_attention}} answer(s) need attention before you submit (see above).")
else:
    print(f"All {{len(FORMS)}} answers are in a form the marker can read. "
          "This does not tell you whether they are right.")
'''
    return [_md("check-answer-forms-instructions", text), _code("check-answer-forms", code, locked=True)]


def build_notebook(quiz: Quiz) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    cells = [intro_cell(quiz)]
    for q in quiz.questions:
        cells.extend(question_cells(q))
    for r in quiz.reflections:
        cells.extend(reflection_cells(r, len(quiz.reflections)))
    cells.extend(check_cells(quiz))
    nb.cells = cells
    nbformat.validate(nb)
    return nb


def marking_guide(quiz: Quiz) -> str:
    rows = "\n".join(
        f"| Q{q.number} | `{q.grade_id}` | {q.outcome} | {'one letter' if q.type == 'single' else 'choose all'} "
        f"| {q.points} | **{q.answer}** | {q.source} |" for q in quiz.questions)
    refl = []
    for r in quiz.reflections:
        refl.append(f"### R{r.number}: `{r.grade_id}` (outcome {r.outcome}, {_plural(r.points, 'mark')})\n\n"
                    f"{r.prompt}\n\n{mark_scheme_md(r)}\n")
    return f"""<!-- Generated by assessments/build_quizzes.py from quizzes/{quiz.assignment}.yml: edit that file. -->
# Marking guide: {quiz.assignment}

Module {int(quiz.module)}: {quiz.title}. {len(quiz.questions)} autograded questions and
{_plural(len(quiz.reflections), 'reflective question')}, {quiz.max_score} marks in all.
For trainers only: this file is outside `source/`, so it is never released to learners.

## Answer key

Options are shuffled when the quiz is built (the same way every time), so the letters in this key
are the letters learners see; the quiz file keeps the order its author wrote.

| Item | grade_id | Outcome | Type | Points | Key | Source |
|---|---|---|---|---|---|---|
{rows}

{RULES_MD}
## Reflective questions (graded by hand in the formgrader)

{chr(10).join(refl)}"""


def outputs(quiz: Quiz) -> dict[Path, str]:
    nb = build_notebook(quiz)
    return {
        SOURCE / quiz.assignment / quiz.notebook: nbformat.writes(nb) + "\n",
        GUIDES / f"{quiz.assignment}.md": marking_guide(quiz),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the nbgrader quiz notebooks from assessments/quizzes/.")
    parser.add_argument("assignments", nargs="*", help="only these (e.g. module-03-quiz); default: all")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    args = parser.parse_args(argv)
    files = sorted(QUIZZES.glob("module-*-quiz.yml"))
    if args.assignments:
        files = [QUIZZES / f"{a}.yml" for a in args.assignments]
    stale = []
    for path in files:
        try:
            quiz = load_quiz(path)
        except ContentError as exc:
            print(f"Not built: {exc}", file=sys.stderr)
            return 1
        for out, text in outputs(quiz).items():
            current = out.read_text(encoding="utf-8") if out.is_file() else None
            if current == text:
                continue
            if args.check:
                stale.append(out)
            else:
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(text, encoding="utf-8")
                print(f"wrote {out.relative_to(HERE.parent)}")
    if stale:
        for out in stale:
            print(f"out of date: {out.relative_to(HERE.parent)} (run python assessments/build_quizzes.py)",
                  file=sys.stderr)
        return 1
    if args.check:
        print(f"{len(files)} quiz(zes) up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
