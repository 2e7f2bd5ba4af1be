"""Taking a module quiz in a course page: the model behind ``course/quizzes.ipynb`` (no widgets).

A learner never sees code. The page lists the quizzes released to them, shows a quiz's questions from
the cell metadata that ``assessments/build_quizzes.py`` puts in the notebook (never its key), keeps a
draft of the answers in the learner's store as they go, and on submit writes the answers into the
learner's own copy of the nbgrader notebook in exactly the form nbgrader grades (``answer_3 = "B"`` in
the answer cell, the reflection as the text of its Markdown cell), then hands it in with nbgrader's
own exchange classes. Feedback released by the trainer is fetched the same way and read from the
feedback page (a JSON block the course's feedback template writes).

Three routes, chosen by :func:`settings`:

* **a shared exchange** (the cohort server, or several accounts on one server): its folder comes from
  the environment variable :data:`EXCHANGE_ENV` or from ``Exchange.root`` in nbgrader's config files
  (``/etc/jupyter/nbgrader_config.py``, ``~/.jupyter/nbgrader_config.py``...);
* **a local exchange** (one computer, ``assessments/exchange/`` as ``assessments/README.md`` sets up);
* **no exchange**: every quiz is made from the course's own quiz notebooks with nbgrader's
  preprocessors (answers and hidden checks removed), and the answered notebook is offered as a
  browser download to send to the trainer.
"""

from __future__ import annotations

import getpass
import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from ..core.exports import write_atomic

__all__ = ["COURSE_ID", "EXCHANGE_ENV", "QUIZ_DIR_ENV", "DRAFT_KIND", "SUBMISSION_KIND", "QuizError", "Settings",
           "settings", "Option", "QuestionForm", "ReflectionForm", "QuizForm", "QuizStatus", "Feedback",
           "form_from_notebook", "fill_notebook", "answer_problems", "word_count", "normalise_letters",
           "learner_copy", "QuizService", "read_feedback_html"]

COURSE_ID = "resilience-with-compassion"
EXCHANGE_ENV = "RESILIENCE_COURSE_EXCHANGE"
QUIZ_DIR_ENV = "RESILIENCE_COURSE_QUIZ_DIR"
COURSE_ENV = "RESILIENCE_COURSE_NBGRADER_COURSE"
# nbgrader's record of submissions (default: its own, in Jupyter's data folder)
CACHE_ENV = "RESILIENCE_COURSE_QUIZ_CACHE"
DRAFT_KIND = "quiz-draft"
SUBMISSION_KIND = "quiz-submission"
MAX_REFLECTION_CHARS = 20_000
_ASSIGNMENT = re.compile(r"^module-[0-9]{2}-quiz$")


class QuizError(RuntimeError):
    """Something the learner should read in plain words (no exchange, a folder that cannot be written...)."""


# ---------------------------------------------------------------- where things are

@dataclass(frozen=True)
class Settings:
    course_id: str
    exchange: Path | None  # None: no exchange, answers go out as a download
    quiz_dir: Path  # the learner's own folder for fetched quizzes
    student: str
    cache: Path | None = None
    source: Path | None = None  # assessments/source, for the no-exchange route

    @property
    def route(self) -> str:
        return "exchange" if self.exchange else "download"


def _nbgrader_config_values() -> dict:
    """``Exchange.root``, ``Exchange.assignment_dir`` and ``CourseDirectory.course_id`` from nbgrader's config
    files in Jupyter's config path (``JUPYTER_CONFIG_PATH``, ``/etc/jupyter``...; the cohort server writes one)."""
    found: dict = {}
    try:
        from jupyter_core.paths import jupyter_config_path
        from traitlets.config.loader import JSONFileConfigLoader, PyFileConfigLoader
    except ImportError:  # pragma: no cover - nbgrader brings both
        return found
    for folder in reversed(jupyter_config_path()):  # lowest priority first
        for name, loader in (("nbgrader_config.json", JSONFileConfigLoader),
                             ("nbgrader_config.py", PyFileConfigLoader)):
            if not (Path(folder) / name).is_file():
                continue
            try:
                cfg = loader(name, path=folder).load_config()
            except Exception:  # an administrator's broken file: ignore it, the page says no exchange
                continue
            if "Exchange" in cfg and cfg.Exchange.get("root"):
                found["exchange"] = str(cfg.Exchange.root)
            if "Exchange" in cfg and cfg.Exchange.get("assignment_dir"):
                found["assignment_dir"] = str(cfg.Exchange.assignment_dir)
            if "CourseDirectory" in cfg and cfg.CourseDirectory.get("course_id"):
                found["course_id"] = str(cfg.CourseDirectory.course_id)
    return found


def settings(root: Path | None = None) -> Settings:
    """Where this learner's quizzes come from and go to (see the module docstring)."""
    from ..core.content import ContentError
    from ..core.course import course_root

    try:
        course = root or course_root()
    except ContentError:
        course = None
    cfg = _nbgrader_config_values()
    exchange_text = os.environ.get(EXCHANGE_ENV) or cfg.get("exchange")
    exchange = Path(exchange_text) if exchange_text else None
    if exchange is None and course is not None and (course / "assessments" / "exchange").is_dir():
        exchange = course / "assessments" / "exchange"
    if exchange is not None and not exchange.is_dir():
        exchange = None
    quiz_dir = Path(os.environ.get(QUIZ_DIR_ENV) or cfg.get("assignment_dir") or Path.home() / "quizzes")
    source = course / "assessments" / "source" if course is not None else None
    try:
        student = getpass.getuser()
    except Exception:  # no user name (some containers)
        student = "learner"
    cache = Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else None
    return Settings(os.environ.get(COURSE_ENV) or cfg.get("course_id") or COURSE_ID, exchange, quiz_dir,
                    student, cache, source)


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


# ---------------------------------------------------------------- feedback

@dataclass(frozen=True)
class Feedback:
    score: float
    max_score: float
    items: tuple[dict, ...]  # {"grade_id", "score", "points", "comment"}
    comments: tuple[tuple[str, str], ...] = ()  # (grade_id, comment)


# nbgrader's feedback step may reorder the element's attributes: match the id wherever it is.
_FEEDBACK_BLOCK = re.compile(r'<script\b[^>]*\bid="rc-feedback"[^>]*>(.*?)</script>', re.S)


def read_feedback_html(text: str) -> Feedback | None:
    """The scores and comments the course's feedback template writes into a feedback page (None if absent)."""
    match = _FEEDBACK_BLOCK.search(text)
    if not match:
        return None
    try:
        data = json.loads(match.group(1))
        cells = [i for i in data["cells"] if isinstance(i, dict)]
        items = tuple({"grade_id": str(i["grade_id"]), "score": float(i.get("score") or 0),
                       "points": float(i.get("points") or 0), "comment": str(i.get("comment") or "")}
                      for i in cells if i.get("grade"))
        comments = tuple((str(i["grade_id"]), str(i["comment"])) for i in cells if str(i.get("comment") or "").strip())
        return Feedback(float(data["score"]), float(data["max_score"]), items, comments)
    except (ValueError, KeyError, TypeError):
        return None


# ---------------------------------------------------------------- the service the page talks to

@dataclass
class QuizStatus:
    assignment: str
    title: str
    state: str  # "not started", "in progress", "submitted", "feedback ready"
    submitted_at: str = ""
    route: str = "exchange"
    detail: str = ""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class QuizService:
    """Lists, opens, saves, submits and fetches feedback for one learner's quizzes."""

    settings: Settings
    store: object  # core.store.Store
    _forms: dict = field(default_factory=dict)

    # -- nbgrader's exchange, through its Python API
    def _config(self, assignment: str = ""):
        from traitlets.config import Config

        c = Config()
        c.CourseDirectory.course_id = self.settings.course_id
        if assignment:
            c.CourseDirectory.assignment_id = assignment
        c.Exchange.root = str(self.settings.exchange)
        c.Exchange.assignment_dir = str(self.settings.quiz_dir)
        if self.settings.cache:
            c.Exchange.cache = str(self.settings.cache)
        if self.settings.student:
            c.CourseDirectory.student_id = self.settings.student
        return c

    def _exchange(self, cls_name: str, assignment: str = "", **extra):
        import logging

        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.exchange import ExchangeError
        from nbgrader.exchange import default as ex_default

        c = self._config(assignment)
        for key, value in extra.items():
            setattr(c[cls_name], key, value)
        cls = getattr(ex_default, cls_name)
        log = logging.getLogger("resilience_course.quiz")
        try:
            return cls(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c), config=c,
                       log=log).start()
        except ExchangeError as exc:
            raise QuizError(f"The quiz folder your trainer set up could not be used ({exc}). "
                            "Tell your trainer; your answers are still saved here.") from None
        except OSError as exc:
            raise QuizError(f"The quiz could not be copied ({exc.strerror or exc}). Your answers are still saved "
                            "here; try again, or tell your trainer.") from None

    def _released(self) -> dict[str, str]:
        """``{assignment: status}`` of the quizzes released to this learner."""
        if self.settings.exchange is None:
            if not self.settings.source or not self.settings.source.is_dir():
                return {}
            return {p.name: "local" for p in sorted(self.settings.source.iterdir())
                    if _ASSIGNMENT.match(p.name) and (p / f"{p.name}.ipynb").is_file()}
        if not (self.settings.exchange / self.settings.course_id / "outbound").is_dir():
            return {}
        listed = self._exchange("ExchangeList") or []
        return {a["assignment_id"]: a["status"] for a in listed
                if _ASSIGNMENT.match(str(a.get("assignment_id", ""))) and a.get("status") != "removed"}

    def _submissions(self) -> dict[str, dict]:
        if self.settings.exchange is None:
            return {}
        listed = self._exchange("ExchangeList", cached=True) or []
        out = {}
        for a in listed:
            subs = a.get("submissions") or []
            if subs and _ASSIGNMENT.match(str(a.get("assignment_id", ""))):
                out[a["assignment_id"]] = subs[-1]
        return out

    # -- the learner's store
    def _record(self, kind: str, assignment: str):
        for rec in reversed(self.store.records(kind)):
            if rec["payload"].get("assignment") == assignment:
                return rec
        return None

    def draft(self, assignment: str) -> dict:
        rec = self._record(DRAFT_KIND, assignment)
        answers = rec["payload"].get("answers", {}) if rec else {}
        return dict(answers) if isinstance(answers, dict) else {}

    def save_draft(self, assignment: str, answers: dict) -> None:
        clean = {str(k): str(v)[:MAX_REFLECTION_CHARS] for k, v in answers.items()}
        payload = {"assignment": assignment, "answers": clean, "saved_at": _now()}
        rec = self._record(DRAFT_KIND, assignment)
        if rec:
            self.store.update_record(rec["id"], payload)
        else:
            self.store.add_record(DRAFT_KIND, payload, module=assignment[7:9])

    # -- what the page shows
    def titles(self) -> dict[str, str]:
        """Quiz titles from the course's quiz files (read once per page)."""
        if "titles" in self._forms:
            return self._forms["titles"]
        from .quizzes import load_all_quizzes

        try:
            titles = {q.assignment: q.title for q in load_all_quizzes()}
        except Exception:  # titles are a nicety: the quiz notebooks carry their own
            titles = {}
        self._forms["titles"] = titles
        return titles

    def list(self) -> list[QuizStatus]:
        released = self._released()
        submitted = self._submissions()
        titles = self.titles()
        out = []
        for assignment in sorted(released):
            title = titles.get(assignment, assignment)
            sub = submitted.get(assignment)
            mine = self._record(SUBMISSION_KIND, assignment)
            if sub and (sub.get("has_local_feedback") or sub.get("has_exchange_feedback")):
                out.append(QuizStatus(assignment, title, "feedback ready", sub.get("timestamp", ""), "exchange"))
            elif sub:
                out.append(QuizStatus(assignment, title, "submitted", sub.get("timestamp", ""), "exchange"))
            elif mine:
                out.append(QuizStatus(assignment, title, "submitted", mine["payload"].get("submitted_at", ""),
                                      mine["payload"].get("route", self.settings.route)))
            elif self.draft(assignment):
                out.append(QuizStatus(assignment, title, "in progress", route=self.settings.route))
            else:
                out.append(QuizStatus(assignment, title, "not started", route=self.settings.route))
        return out

    def _notebook_path(self, assignment: str) -> Path:
        return self.settings.quiz_dir / assignment / f"{assignment}.ipynb"

    def notebook(self, assignment: str):
        """The learner's copy of the quiz notebook: fetched from the exchange, or made from the course's source."""
        if not _ASSIGNMENT.match(assignment):
            raise QuizError("That is not one of the course's quizzes.")
        path = self._notebook_path(assignment)
        if self.settings.exchange is None:
            src = (self.settings.source or Path("-")) / assignment / f"{assignment}.ipynb"
            if not src.is_file():
                raise QuizError("This quiz is not available on this computer.")
            return learner_copy(src)
        if not path.is_file():
            self.settings.quiz_dir.mkdir(parents=True, exist_ok=True)
            self._exchange("ExchangeFetchAssignment", assignment)
        try:
            return nbformat.read(path, as_version=4)
        except (OSError, ValueError) as exc:
            raise QuizError(f"Your copy of the quiz could not be read ({exc}). Ask your trainer for a new copy.") \
                from None

    def open(self, assignment: str) -> QuizForm:
        form = form_from_notebook(self.notebook(assignment), assignment)
        self._forms[assignment] = form
        return form

    def answered_notebook(self, assignment: str, answers: dict) -> str:
        """The learner's notebook with *answers* written in, as text (what is submitted or downloaded)."""
        nb = self.notebook(assignment)
        form = self._forms.get(assignment) or form_from_notebook(nb, assignment)
        return nbformat.writes(fill_notebook(nb, form, answers)) + "\n"

    def submit(self, assignment: str, answers: dict) -> QuizStatus:
        """Write the answers into the learner's notebook and hand it in (exchange route only)."""
        if self.settings.exchange is None:
            raise QuizError("There is no quiz folder from your trainer on this computer: download your answers "
                            "and send the file to your trainer.")
        text = self.answered_notebook(assignment, answers)
        path = self._notebook_path(assignment)
        write_atomic(path, text, replace=True)
        self._exchange("ExchangeSubmit", assignment)
        stamp = _now()
        self.store.add_record(SUBMISSION_KIND, {"assignment": assignment, "submitted_at": stamp, "route": "exchange"},
                              module=assignment[7:9])
        return QuizStatus(assignment, self.titles().get(assignment, assignment), "submitted", stamp, "exchange")

    def record_download(self, assignment: str) -> str:
        stamp = _now()
        self.store.add_record(SUBMISSION_KIND, {"assignment": assignment, "submitted_at": stamp, "route": "download"},
                              module=assignment[7:9])
        return stamp

    def feedback(self, assignment: str) -> Feedback | None:
        """Fetch released feedback (if any) and read the latest feedback page."""
        if self.settings.exchange is None:
            return None
        sub = self._submissions().get(assignment)
        if not sub or not (sub.get("has_exchange_feedback") or sub.get("has_local_feedback")):
            return None
        if sub.get("has_exchange_feedback") and (not sub.get("has_local_feedback") or sub.get("feedback_updated")):
            self._exchange("ExchangeFetchFeedback", assignment)
        folder = self.settings.quiz_dir / assignment / "feedback"
        pages = sorted(folder.glob(f"*/{assignment}.html"))
        for page in reversed(pages):
            try:
                result = read_feedback_html(page.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
            if result:
                return result
        return None
