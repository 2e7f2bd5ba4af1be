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
    files: dict = field(default_factory=dict)  # extra files submitted beside the notebook

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
    digits = "".join(c for c in learner.id if c.isdigit()) or "3"
    return float(int(digits) % (reflection.points + 1))


def edit_notebook(path: Path, learner: Learner, quiz) -> None:
    nb = nbformat.read(path, as_version=4)
    learner.edit(nb, quiz)
    nbformat.write(nb, path)
    for name, text in learner.files.items():
        extra = path.parent / name
        extra.parent.mkdir(parents=True, exist_ok=True)
        extra.write_text(text, encoding="utf-8")


# ------------------------------------------------------------------ the trainer's whole workflow, run once

CLI_LEARNER = "learner11"
_RUNS: dict = {}


def workflow(tmp_path_factory) -> dict:
    """Run the trainer's whole workflow once per test process, as assessments/README.md describes it.

    Every quiz is generated, validated and released. The first quiz gets the full synthetic cohort,
    a learner using the command-line tools and the crafted submissions; every other quiz gets one
    learner whose answers are partly right (enough to check its built key both ways). Autograding
    is batched: one ``nbgrader autograde`` per quiz for all its learners.
    """
    if "state" in _RUNS:
        return _RUNS["state"]
    from nbgrader.api import Gradebook
    from resilience_course.quiz.quizzes import load_all_quizzes

    quizzes = load_all_quizzes(ROOT)
    sb = make_sandbox(tmp_path_factory.mktemp("quizzes"))
    first = quizzes[0]
    learners = {q.assignment: ([lr for lr in cohort(q) if lr.story == "partly right"] if q is not first
                               else cohort(q) + crafted(q, sb.base)) for q in quizzes}
    state = {"sb": sb, "quizzes": quizzes, "learners": learners}
    names = [q.assignment for q in quizzes]
    out = sb.nbgrader_many(
        [["generate_assignment", a] for a in names]
        + [["validate", *[f"source/{a}/{a}.ipynb" for a in names]],
           ["validate", "--invert", *[f"release/{a}/{a}.ipynb" for a in names]]]
        + [["release_assignment", a] for a in names])
    state["validate_source"], state["validate_release"] = out[len(names)]["output"], out[len(names) + 1]["output"]

    # Learners fetch, answer and submit (nbgrader's exchange classes, in this process)...
    for quiz in quizzes:
        for learner in learners[quiz.assignment]:
            path = fetch(sb, quiz.assignment, learner.id)
            edit_notebook(path, learner, quiz)
            submit(sb, quiz.assignment, learner.id)
    # ...and one more learner with the command-line tools, from their own folder on the same machine
    cli_dir = sb.base / "learners" / CLI_LEARNER
    cli_dir.mkdir(parents=True)
    sb.nbgrader("fetch_assignment", first.assignment, f"--course={COURSE_ID}",
                f"--Exchange.root={sb.exchange}", cwd=cli_dir)
    cli_learner = cohort(first)[2]  # answers like the "partly right" learner
    cli_learner.id = CLI_LEARNER
    edit_notebook(cli_dir / first.assignment / first.notebook, cli_learner, first)
    sb.nbgrader("submit", first.assignment, f"--course={COURSE_ID}", f"--Exchange.root={sb.exchange}",
                f"--CourseDirectory.student_id={CLI_LEARNER}", cwd=cli_dir)
    learners[first.assignment].append(cli_learner)

    # ...and one learner who takes the second quiz in the course's quiz page (its model, no widgets)
    state["page"] = page_learner(sb, quizzes[1], learners)

    # The trainer collects, then autogrades each quiz in one batch (all its learners at once)
    gradebook = sb.course / "gradebook.db"
    out = sb.nbgrader_many([["collect", a] for a in names])
    out = sb.nbgrader_many([["autograde", a] for a in names])
    state["autograde_seconds"] = {r["argv"][1]: r["seconds"] for r in out}
    state["autograde_output"] = {r["argv"][1]: r["output"] for r in out}
    state["learners_per_quiz"] = {a: len(learners[a]) for a in names}

    # What the gradebook says straight after autograding, then the trainer marks the reflections
    url = f"sqlite:///{gradebook}"
    state["after_autograde"] = {}
    with Gradebook(url) as gb:
        for quiz in quizzes:
            for learner in learners[quiz.assignment]:
                sub = gb.find_submission(quiz.assignment, learner.id)
                grades = {g.name: g for nb in sub.notebooks for g in nb.grades}
                state["after_autograde"][quiz.assignment, learner.id] = {
                    name: (g.auto_score, g.needs_manual_grade) for name, g in grades.items()}
                for r in quiz.reflections:
                    g = grades[r.grade_id]
                    if g.needs_manual_grade:
                        g.manual_score = manual_score(learner, r)
                        g.needs_manual_grade = False
        gb.db.commit()
    sb.nbgrader_many([["generate_feedback", a] for a in names] + [["export"], ["release_feedback", names[1]]])
    state["export"] = (sb.course / "grades.csv").read_text(encoding="utf-8")
    page = state["page"]
    page["final_list"] = page["service"].list()
    page["feedback"] = page["service"].feedback(names[1])
    state["timings"] = dict(sb.timings)
    print("\nnbgrader timings (s):", json.dumps({k: round(v, 1) for k, v in sb.timings.items()}))
    print("autograde seconds per quiz:", json.dumps(state["autograde_seconds"]),
          "learners:", json.dumps(state["learners_per_quiz"]))
    _RUNS["state"] = state
    return state


# ------------------------------------------------------------------ crafted submissions (grading runs no learner code)

def _marker(sandbox_base: Path, name: str) -> Path:
    return sandbox_base / "home" / f"pwned-{name}"


def crafted(quiz, sandbox_base: Path) -> list[Learner]:
    """Learners whose answers try to run code at autograde; every other answer of theirs is right.

    Each attack sits in the answer cell of one question (or in cells, metadata or files around it): that
    question must score as blank, the rest as usual, and no marker file may appear.
    """
    qs = quiz.questions
    right = {q.number: q.answer for q in qs}
    learners = []

    def make(lid: str, story: str, attacked: list[int], lines: dict, extra: Callable | None = None,
             files: dict | None = None) -> Learner:
        values = dict(right)
        for n in attacked:
            values[n] = None  # not readable: scores as blank

        def edit(nb, quiz_):
            for q in quiz_.questions:
                set_answer(nb, q, lines.get(q.number, f'{q.variable} = "{q.answer}"'))
            for r in quiz_.reflections:
                write_reflection(nb, r, REFLECTION_TEXT)
            if extra:
                extra(nb, quiz_)
        learner = Learner(lid, story, values, edit)
        learner.files = files or {}
        learners.append(learner)
        return learner

    home = _marker(sandbox_base, "home")
    make("crafted01", "writes a file in the trainer's home", [1], {
        1: f'{qs[0].variable} = "{qs[0].answer}"\nimport os\nopen({str(home)!r}, "w").write("x")'})
    make("crafted02", "rewrites gradebook.db to give itself full marks", [2], {
        2: f'import sqlite3, glob\nfor db in glob.glob("../../../gradebook.db") + glob.glob("../../gradebook.db"):\n'
           f'    con = sqlite3.connect(db); con.execute("update grade set auto_score = 99"); con.commit()\n'
           f'{qs[1].variable} = "{qs[1].answer}"'})
    make("crafted03", "reads the source notebook and the hidden tests", [3], {
        3: f'import glob, re\n_src = open(glob.glob("../../../source/*/*.ipynb")[0]).read()\n'
           f'{qs[2].variable} = re.findall(r"== \\[(.*?)\\]", _src)[2].replace("\'", "")'})
    make("crafted04", "overrides assert and the builtins the checks use", [4], {
        4: 'import builtins\nclass _Any(str):\n    def __eq__(self, other): return True\n'
           '    def upper(self): return self\n    def replace(self, *a): return self\n'
           f'builtins.sorted = lambda x: x\nbuiltins.AssertionError = type("Nope", (Exception,), {{}})\n'
           f'{qs[3].variable} = _Any("A")'})
    make("crafted05", "loops for ever", [5], {5: f'{qs[4].variable} = "{qs[4].answer}"\nwhile True:\n    pass'})
    make("crafted06", "prints megabytes and sends an over-long literal", [6, 7], {
        6: f'{qs[5].variable} = "{qs[5].answer}"\nprint("x" * 5_000_000)',
        7: f'{qs[6].variable} = "{qs[6].answer}' + " " * 300_000 + '"'})

    def skip_checks(nb, quiz_):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                cell.metadata["tags"] = ["skip-execution", "raises-exception"]
        nb.cells.append(nbformat.v4.new_code_cell(
            f'import os\nopen({str(_marker(sandbox_base, "cell"))!r}, "w").write("x")\nprint("y" * 3_000_000)'))
    wrong1 = wrong_letters(qs[0])
    skipper = make("crafted07", "tags every check skip-execution, adds a code cell, answers question 1 wrongly",
                   [], {1: f'{qs[0].variable} = "{wrong1}"'}, extra=skip_checks)
    skipper.values[1] = wrong1
    deep = "(" * 200_000 + '"A"' + ")" * 200_000
    planted = (f'import os\nopen({str(_marker(sandbox_base, "file"))!r}, "w").write("x")\n')
    make("crafted08", "deeply nested answer, and Python files submitted beside the notebook", [8], {
        8: f"{qs[7].variable} = {deep}"},
        files={"sitecustomize.py": planted, "ipython_config.py": planted, "json.py": planted,
               "IPython/__init__.py": planted})
    return learners


def marker_files(sandbox_base: Path) -> list[Path]:
    return sorted((sandbox_base / "home").glob("pwned-*"))


PAGE_LEARNER = "pagelearner"


def page_service(sb: Sandbox, student: str = PAGE_LEARNER):
    """The quiz page's model for one learner of the sandbox, on its exchange."""
    from resilience_course.core.store import Store
    from resilience_course.quiz.take import QuizService, Settings

    base = sb.base / "learners" / student
    base.mkdir(parents=True, exist_ok=True)
    settings = Settings(COURSE_ID, sb.exchange, base, student, sb.base / "learner-caches" / student, None)
    return QuizService(settings, Store(sb.base / f"{student}.sqlite3"))


def page_learner(sb: Sandbox, quiz, learners: dict) -> dict:
    """A learner takes *quiz* in the quiz page: list, open (fetch), save a draft, submit. Odd questions right."""
    svc = page_service(sb)
    out = {"service": svc, "before": svc.list()}
    form = svc.open(quiz.assignment)
    keys = {q.grade_id: q for q in quiz.questions}
    answers, values = {}, {}
    for fq in form.questions:
        q = keys[fq.grade_id]
        letters = q.answer if q.number % 2 else wrong_letters(q)
        answers[fq.key] = letters.lower() if q.number == 1 else letters
        values[q.number] = letters
    for r in form.reflections:
        answers[r.key] = "Partnering <script>alert(1)</script> & continuity: " + REFLECTION_TEXT
    half = dict(list(answers.items())[:3])
    svc.save_draft(quiz.assignment, half)
    out["draft"] = svc.draft(quiz.assignment)
    out["during"] = svc.list()
    out["form"] = form
    out["submitted"] = svc.submit(quiz.assignment, answers)
    out["after"] = svc.list()
    out["answers"] = answers
    learners[quiz.assignment].append(Learner(PAGE_LEARNER, "took the quiz in the quiz page", values,
                                             lambda nb, quiz_: None))
    return out
