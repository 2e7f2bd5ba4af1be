"""Taking a module quiz in a course page: the model behind ``course/quizzes.ipynb`` (no widgets).

A learner never sees code. The page lists the quizzes released to them, shows a quiz's questions from
the cell metadata that ``assessments/build_quizzes.py`` puts in the notebook (never its key), keeps a
draft of the answers in the learner's store as they go, and on submit writes the answers into the
learner's own copy of the nbgrader notebook in exactly the form nbgrader grades (``answer_3 = "B"`` in
the answer cell, the reflection as the text of its Markdown cell), then hands it in through the
exchange nbgrader is configured with (``nbgrader.exchange.ExchangeFactory``, read from nbgrader's
config files in Jupyter's config path, as nbgrader's own Assignment List does). Feedback released by
the trainer is fetched the same way and read from the feedback page (a JSON block the course's
feedback template writes).

Three routes, chosen by :func:`settings`:

* **a shared exchange** (the cohort server, or several accounts on one server): its folder comes from
  the environment variable :data:`EXCHANGE_ENV` or from ``Exchange.root`` in nbgrader's config files
  (``/etc/jupyter/nbgrader_config.py``, ``~/.jupyter/nbgrader_config.py``...); or an exchange
  plugin's classes set in those files (``c.ExchangeFactory...``: ngshare on Kubernetes), with no folder;
* **a local exchange** (one computer, ``assessments/exchange/`` as ``assessments/README.md`` sets up);
* **no exchange**: every quiz is made from the course's own quiz notebooks with nbgrader's
  preprocessors (answers and hidden checks removed), and the answered notebook is offered as a
  browser download to send to the trainer.

The pieces: :mod:`~resilience_course.quiz.take_settings` (where quizzes come from),
:mod:`~resilience_course.quiz.take_form` (the quiz as a form, answers written into the notebook),
:mod:`~resilience_course.quiz.take_feedback` (reading feedback pages) and, here, :class:`QuizService`, the
service the page talks to (nbgrader's exchange, the learner's drafts and submissions). Every name is
importable from this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from ..core.exports import write_atomic
from .take_feedback import Feedback, read_feedback_html
from .take_form import (
    Option,
    QuestionForm,
    QuizForm,
    ReflectionForm,
    answer_problems,
    fill_notebook,
    form_from_notebook,
    learner_copy,
    normalise_letters,
    word_count,
)
from .take_settings import (
    _ASSIGNMENT,
    CACHE_ENV,  # noqa: F401 - importable from here, as before the split
    COURSE_ENV,  # noqa: F401 - importable from here, as before the split
    COURSE_ID,
    DRAFT_KIND,
    EXCHANGE_ENV,
    MAX_REFLECTION_CHARS,
    QUIZ_DIR_ENV,
    SUBMISSION_KIND,
    QuizError,
    Settings,
    settings,
)

__all__ = ["COURSE_ID", "EXCHANGE_ENV", "QUIZ_DIR_ENV", "DRAFT_KIND", "SUBMISSION_KIND", "QuizError", "Settings",
           "settings", "Option", "QuestionForm", "ReflectionForm", "QuizForm", "QuizStatus", "Feedback",
           "form_from_notebook", "fill_notebook", "answer_problems", "word_count", "normalise_letters",
           "learner_copy", "QuizService", "read_feedback_html"]

# ---------------------------------------------------------------- the service the page talks to

@dataclass
class QuizStatus:
    assignment: str
    title: str
    state: str  # "not started", "in progress", "submitted", "feedback ready"
    submitted_at: str = ""
    route: str = "exchange"
    detail: str = ""


# the exchange steps the page uses: the name of each one's ExchangeFactory method
EXCHANGE_STEPS = {"list": "List", "fetch_assignment": "FetchAssignment", "submit": "Submit",
                  "fetch_feedback": "FetchFeedback"}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class QuizService:
    """Lists, opens, saves, submits and fetches feedback for one learner's quizzes."""

    settings: Settings
    store: object  # core.store.Store
    _forms: dict = field(default_factory=dict)

    # -- nbgrader's exchange, through the classes nbgrader is configured with
    def _config(self, assignment: str = ""):
        """nbgrader's settings from its config files (see :func:`settings`), with this learner's folders."""
        import copy

        from traitlets.config import Config

        c = copy.deepcopy(self.settings.nbgrader) if self.settings.nbgrader is not None else Config()
        c.CourseDirectory.course_id = self.settings.course_id
        if assignment:
            c.CourseDirectory.assignment_id = assignment
        if self.settings.exchange:
            c.Exchange.root = str(self.settings.exchange)
        c.Exchange.assignment_dir = str(self.settings.quiz_dir)
        if self.settings.cache:
            c.Exchange.cache = str(self.settings.cache)
        if self.settings.student and not self.settings.exchange_plugin:
            # the filesystem exchange names a hand-in by the account; a plugin (ngshare) knows the
            # learner from the hub's login, and in a container every account is called the same
            c.CourseDirectory.student_id = self.settings.student
        return c

    def _exchange(self, kind: str, assignment: str = "", **traits):
        """Run one of nbgrader's exchange steps (:data:`EXCHANGE_STEPS`) with the class its
        ``ExchangeFactory`` is configured with: the filesystem exchange by default, ngshare's (or any
        other plugin's) when nbgrader's config files say so. *traits* are set on that step's object."""
        import logging

        from nbgrader.auth import Authenticator
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.exchange import ExchangeError, ExchangeFactory
        from traitlets import TraitError

        c = self._config(assignment)
        log = logging.getLogger("resilience_course.quiz")
        try:
            factory = ExchangeFactory(config=c, log=log)
            step = getattr(factory, EXCHANGE_STEPS[kind])
            return step(coursedir=CourseDirectory(config=c), authenticator=Authenticator(config=c), config=c,
                        log=log, **traits).start()
        except (ImportError, TraitError) as exc:  # an exchange class that cannot be loaded
            log.warning("the configured nbgrader exchange cannot be used: %s", exc)
            raise QuizError("The quiz service your trainer set up cannot be reached from this page just now. "
                            "Tell your trainer; your answers are still saved here.") from None
        except ExchangeError as exc:
            raise QuizError(f"The quiz folder your trainer set up could not be used ({exc}). "
                            "Tell your trainer; your answers are still saved here.") from None
        except OSError as exc:
            raise QuizError(f"The quiz could not be copied ({exc.strerror or exc}). Your answers are still saved "
                            "here; try again, or tell your trainer.") from None

    def _released(self) -> dict[str, str]:
        """``{assignment: status}`` of the quizzes released to this learner."""
        if self.settings.route == "download":
            if not self.settings.source or not self.settings.source.is_dir():
                return {}
            return {p.name: "local" for p in sorted(self.settings.source.iterdir())
                    if _ASSIGNMENT.match(p.name) and (p / f"{p.name}.ipynb").is_file()}
        if self.settings.exchange and not self.settings.exchange_plugin \
                and not (self.settings.exchange / self.settings.course_id / "outbound").is_dir():
            return {}  # a filesystem exchange where nothing was ever released
        listed = self._exchange("list") or []
        return {a["assignment_id"]: a["status"] for a in listed
                if _ASSIGNMENT.match(str(a.get("assignment_id", ""))) and a.get("status") != "removed"}

    def _submissions(self) -> dict[str, dict]:
        if self.settings.route == "download":
            return {}
        listed = self._exchange("list", cached=True) or []
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
        """Quiz titles: each module's title from the course outline (read once per page).

        Not from ``assessments/quizzes/`` (which holds the answer keys): a learner's pages on the cohort
        server have ``course/`` and ``modules/`` only, and a quiz is titled by its module.
        """
        if "titles" in self._forms:
            return self._forms["titles"]
        from ..core.course import load_outline

        try:
            titles = {f"module-{m.id}-quiz": m.title for m in load_outline().modules}
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

    def _folder(self, assignment: str) -> Path:
        """Where nbgrader puts this learner's copy of *assignment* (``Exchange.path_includes_course`` honoured)."""
        base = self.settings.quiz_dir
        return (base / self.settings.course_id if self.settings.path_includes_course else base) / assignment

    def _notebook_path(self, assignment: str) -> Path:
        return self._folder(assignment) / f"{assignment}.ipynb"

    def notebook(self, assignment: str):
        """The learner's copy of the quiz notebook: fetched from the exchange, or made from the course's source."""
        if not _ASSIGNMENT.match(assignment):
            raise QuizError("That is not one of the course's quizzes.")
        path = self._notebook_path(assignment)
        if self.settings.route == "download":
            src = (self.settings.source or Path("-")) / assignment / f"{assignment}.ipynb"
            if not src.is_file():
                raise QuizError("This quiz is not available on this computer.")
            return learner_copy(src)
        if not path.is_file():
            self.settings.quiz_dir.mkdir(parents=True, exist_ok=True)
            self._exchange("fetch_assignment", assignment)
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
        if self.settings.route == "download":
            raise QuizError("There is no quiz folder from your trainer on this computer: download your answers "
                            "and send the file to your trainer.")
        text = self.answered_notebook(assignment, answers)
        path = self._notebook_path(assignment)
        write_atomic(path, text, replace=True)
        self._exchange("submit", assignment)
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
        if self.settings.route == "download":
            return None
        sub = self._submissions().get(assignment)
        if not sub or not (sub.get("has_exchange_feedback") or sub.get("has_local_feedback")):
            return None
        if sub.get("has_exchange_feedback") and (not sub.get("has_local_feedback") or sub.get("feedback_updated")):
            self._exchange("fetch_feedback", assignment)
        folder = self._folder(assignment) / "feedback"
        pages = sorted(folder.glob(f"*/{assignment}.html"))
        for page in reversed(pages):
            try:
                result = read_feedback_html(page.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
            if result:
                return result
        return None
