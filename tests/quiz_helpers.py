"""Helpers for the nbgrader tests of the module quizzes (tests/test_quizzes.py).

Everything runs in a throw-away copy of the nbgrader course with its own HOME, Jupyter folders and
exchange, so no test touches the real course folder, the real gradebook or the machine's exchange.

The synthetic learners and the expected scores are worked out here from the answer key in
``assessments/quizzes/*.yml`` and the marking rule documented in ``assessments/README.md``,
written again independently of the notebook generator:

* an answer is text (a Python ``str``); capitals/small letters, white space and commas are ignored
  and so is the order of the letters;
* it scores the question's points only when its letters are exactly the key; anything else
  (no quotation marks, a list, unknown or repeated letters, a blank, a missing answer) scores 0;
* a reflective answer left as the stub scores 0 automatically; a written one waits for the trainer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
ASSESSMENTS = ROOT / "assessments"
BIN = Path(sys.executable).parent
COURSE_ID = "resilience-with-compassion"

MISSING = object()  # the answer variable does not exist when the notebook runs


# ------------------------------------------------------------------ the marking rule, stated again

def points_for(value, key: str, points: int) -> int:
    """Points a question earns for the value its answer variable holds (the documented rule)."""
    if value is MISSING or not isinstance(value, str):
        return 0
    letters = sorted("".join(value.upper().replace(",", " ").split()))
    return points if letters == sorted(key) else 0


# ------------------------------------------------------------------ a sandboxed nbgrader course

@dataclass
class Sandbox:
    base: Path
    course: Path
    exchange: Path
    env: dict
    timings: dict = field(default_factory=dict)

    def run(self, *args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
        """Run ``nbgrader ARGS`` (or another program from the venv) and return the finished process."""
        program = args[0] if args[0] != "nbgrader" else str(BIN / "nbgrader")
        start = time.perf_counter()
        proc = subprocess.run([program, *args[1:]], cwd=cwd or self.course, env=self.env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
        key = " ".join(args[:2])
        self.timings[key] = self.timings.get(key, 0.0) + time.perf_counter() - start
        if check and proc.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-4000:]}")
        return proc

    def nbgrader(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return self.run("nbgrader", *args, **kw)

    def nbgrader_many(self, commands: list[list[str]], check: bool = True) -> list[dict]:
        """Run several ``nbgrader`` command lines, exactly as typed, in one Python process.

        Each command line goes through nbgrader's own command-line application, as ``nbgrader ARGS``
        would, but the process (and nbgrader's slow start-up) is shared. Returns, per command, its
        arguments, exit code, seconds and output.
        """
        proc = subprocess.run([sys.executable, "-u", "-c", _DRIVER, json.dumps(commands)], cwd=self.course,
                              env=self.env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=1800)
        chunks = proc.stdout.split(_SEPARATOR)
        results = json.loads(chunks[-1]) if proc.returncode == 0 else []
        if len(results) != len(commands):
            raise AssertionError(f"the nbgrader driver failed ({proc.returncode}):\n{proc.stdout[-4000:]}")
        for result, output in zip(results, chunks[1:-1]):
            result["output"] = output
            key = " ".join(["nbgrader", result["argv"][0]])
            self.timings[key] = self.timings.get(key, 0.0) + result["seconds"]
            if check and result["code"] != 0:
                raise AssertionError(f"nbgrader {' '.join(result['argv'])} failed ({result['code']}):\n"
                                     f"{output[-4000:]}")
        return results


_SEPARATOR = "\n@@nbgrader-command@@\n"
_DRIVER = f"""
import json, sys, time
from jupyter_core.application import NoStart
from traitlets import import_item
from nbgrader.apps.nbgraderapp import NbGraderApp
results = []
for argv in json.loads(sys.argv[1]):
    print({_SEPARATOR!r}, end="", flush=True)
    NbGraderApp.clear_instance()
    for sub in NbGraderApp.subcommands.values():
        cls = import_item(sub[0]) if isinstance(sub[0], str) else sub[0]
        cls.clear_instance()
    app = NbGraderApp.instance()
    start, code = time.perf_counter(), 0
    try:
        app.initialize(argv)
        app.start()
    except NoStart:
        pass
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    results.append({{"argv": argv, "code": code, "seconds": round(time.perf_counter() - start, 3)}})
print({_SEPARATOR!r} + json.dumps(results), end="")
"""


def make_sandbox(base: Path) -> Sandbox:
    """A copy of the committed nbgrader course (config, templates, source) with private Jupyter paths."""
    course = base / "course"
    course.mkdir(parents=True)
    shutil.copy2(ASSESSMENTS / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(ASSESSMENTS / "templates", course / "templates")
    shutil.copytree(ASSESSMENTS / "source", course / "source")
    exchange = course / "exchange"  # where the config puts it on a single machine
    exchange.mkdir()
    exchange.chmod(0o777)
    home = base / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.update({
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
        "JUPYTER_RUNTIME_DIR": str(home / ".local" / "share" / "jupyter" / "runtime"),
        "IPYTHONDIR": str(home / ".ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        Path(env[key]).mkdir(parents=True, exist_ok=True)
    return Sandbox(base, course, exchange, env)


# ------------------------------------------------------------------ learners (fetch and submit in-process)

def _exchange_config(sandbox: Sandbox, assignment: str, student: str, learner_dir: Path):
    from traitlets.config import Config

    c = Config()
    c.CourseDirectory.course_id = COURSE_ID
    c.CourseDirectory.assignment_id = assignment
    c.CourseDirectory.student_id = student
    c.Exchange.root = str(sandbox.exchange)
    c.Exchange.assignment_dir = str(learner_dir)
    c.Exchange.cache = str(sandbox.base / "learner-caches" / student)
    return c


def fetch(sandbox: Sandbox, assignment: str, student: str) -> Path:
    """``nbgrader fetch_assignment`` for one learner, with nbgrader's own exchange classes."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment

    learner_dir = sandbox.base / "learners" / student
    learner_dir.mkdir(parents=True, exist_ok=True)
    c = _exchange_config(sandbox, assignment, student, learner_dir)
    ExchangeFetchAssignment(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c),
                            config=c).start()
    return learner_dir / assignment / f"{assignment}.ipynb"


def submit(sandbox: Sandbox, assignment: str, student: str) -> None:
    """``nbgrader submit`` for one learner, with nbgrader's own exchange classes."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeSubmit

    learner_dir = sandbox.base / "learners" / student
    c = _exchange_config(sandbox, assignment, student, learner_dir)
    ExchangeSubmit(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c), config=c).start()


# ------------------------------------------------------------------ editing a fetched notebook

def cell_index(nb, grade_id: str) -> int:
    for n, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return n
    raise KeyError(grade_id)


def set_answer(nb, question, line: str) -> None:
    """Replace the blank answer line of *question* with *line* (what the learner typed)."""
    cell = nb.cells[cell_index(nb, question.answer_cell_id)]
    blank = f'{question.variable} = ""'
    assert blank in cell.source, f"the released answer cell has no line {blank!r}"
    cell.source = cell.source.replace(blank, line, 1)


def write_reflection(nb, reflection, text: str) -> None:
    nb.cells[cell_index(nb, reflection.grade_id)].source = text


# ------------------------------------------------------------------ the synthetic cohort

def wrong_letters(q) -> str:
    """A valid-form answer that is not the key."""
    if q.type == "single":
        return next(letter for letter in q.letters if letter not in q.answer)
    if len(q.answer) > 1:
        return q.answer[:-1]
    return q.answer + next(letter for letter in q.letters if letter not in q.answer)


def wrong_form(q, i: int) -> tuple[str, object]:
    """The i-th kind of answer in a doubtful form: (line typed, value the variable holds)."""
    key, var = q.answer, q.variable
    kind = i % 4
    if kind == 0:  # small letters with a stray space (single) or commas (multiple): readable
        text = (key.lower() + " ") if len(key) == 1 else ", ".join(key.lower())
        return f'{var} = "{text}"', text
    if kind == 1:  # no quotation marks: a NameError, so no answer at all
        return f"{var} = {key.lower()}", MISSING
    if kind == 2:  # a list
        return f'{var} = ["{key}"]', [key]
    text = key[0] + key  # a letter typed twice
    return f'{var} = "{text}"', text


@dataclass
class Learner:
    """One synthetic learner: how they change the released notebook, and what each answer variable holds."""

    id: str
    story: str
    values: dict  # question number -> value (or MISSING)
    edit: Callable  # edit(nb, quiz) -> None
    reflection_written: bool = True

    def expected_auto(self, quiz) -> dict[str, int]:
        return {q.grade_id: points_for(self.values[q.number], q.answer, q.points) for q in quiz.questions}


REFLECTION_TEXT = ("Two features I chose are people centeredness and partnering. In my team this looks like "
                   "continuity with families and joint visits with the midwife.")


def cohort(quiz) -> list[Learner]:
    """Nine learners covering every kind of submission the tests need."""
    qs = quiz.questions
    right = {q.number: q.answer for q in qs}
    learners: list[Learner] = []

    def answered(values: dict, lines: dict | None = None, extra: Callable | None = None, reflect=True):
        def edit(nb, quiz_):
            for q in quiz_.questions:
                line = (lines or {}).get(q.number)
                if line is None:
                    v = values[q.number]
                    if v is MISSING:
                        continue
                    line = f'{q.variable} = "{v}"'
                set_answer(nb, q, line)
            if reflect:
                for r in quiz_.reflections:
                    write_reflection(nb, r, REFLECTION_TEXT)
            if extra:
                extra(nb, quiz_)
        return edit

    learners.append(Learner("learner01", "all correct", dict(right), answered(right)))
    wrong = {q.number: wrong_letters(q) for q in qs}
    learners.append(Learner("learner02", "all wrong", wrong, answered(wrong)))
    partly = {q.number: (q.answer if q.number % 2 else wrong_letters(q)) for q in qs}
    learners.append(Learner("learner03", "partly right", partly, answered(partly)))
    learners.append(Learner("learner04", "blank (submitted as released)", {q.number: "" for q in qs},
                            lambda nb, quiz_: None, reflection_written=False))
    forms = {q.number: wrong_form(q, q.number - 1) for q in qs}
    learners.append(Learner("learner05", "answers in doubtful forms", {n: v for n, (_, v) in forms.items()},
                            answered({}, {n: line for n, (line, _) in forms.items()})))

    broken = dict(right)
    broken[2] = MISSING
    learners.append(Learner("learner06", "a syntax error in answer 2", broken,
                            answered(right, {2: f'{qs[1].variable} = "{qs[1].answer}'})))

    def tamper(nb, quiz_):
        q = quiz_.questions[0]
        nb.cells[cell_index(nb, q.grade_id)].source = f'{q.variable} = "{q.answer}"\nassert True'
    tampered = dict(right)
    tampered[1] = wrong_letters(qs[0])
    learners.append(Learner("learner07", "edited the read-only test cell of question 1 (and answered it wrongly)",
                            tampered, answered(tampered, extra=tamper)))

    def add_cells_and_delete_test(nb, quiz_):
        at = cell_index(nb, quiz_.questions[2].answer_cell_id) + 1
        nb.cells.insert(at, nbformat.v4.new_markdown_cell("My own note: I was not sure about this one."))
        nb.cells.insert(at + 1, nbformat.v4.new_code_cell('note = "check the guide again"\nprint(note)'))
        nb.cells.append(nbformat.v4.new_code_cell("print('finished')"))
        del nb.cells[cell_index(nb, quiz_.questions[1].grade_id)]  # nbgrader puts a deleted test cell back
    learners.append(Learner("learner08", "added extra cells and deleted the test cell of question 2", dict(right),
                            answered(right, extra=add_cells_and_delete_test)))

    def delete_answer(nb, quiz_):
        del nb.cells[cell_index(nb, quiz_.questions[2].answer_cell_id)]
    deleted = dict(right)
    deleted[3] = MISSING
    learners.append(Learner("learner09", "deleted the answer cell of question 3", deleted,
                            answered(right, extra=delete_answer)))
    return learners


def manual_score(learner: Learner, reflection) -> float:
    """The mark the 'trainer' gives a written reflection in the tests (varies by learner)."""
    return float(int(learner.id[-2:]) % (reflection.points + 1))


def edit_notebook(path: Path, learner: Learner, quiz) -> None:
    nb = nbformat.read(path, as_version=4)
    learner.edit(nb, quiz)
    nbformat.write(nb, path)
