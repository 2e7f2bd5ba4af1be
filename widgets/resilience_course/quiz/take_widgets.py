"""The quiz page (``course/quizzes.ipynb``): take a module quiz with buttons and a text box, no code.

* :class:`QuestionView`: one question. A single answer is one radio group (the course's rated-item kit,
  :func:`~resilience_course.ui.rating.rating_buttons`: one Tab stop, the arrow keys move the choice);
  "choose every one that applies" is a list of checkboxes.
* :class:`ReflectionView`: the reflective answer, a labelled text box with a live word count.
* :class:`QuizView`: a whole quiz: questions, saving as the learner goes (the learner's store), what is
  still missing in plain words, submit with a confirmation step (or, with no exchange, the answered
  notebook as a download to send to the trainer), and the feedback once the trainer releases it.
* :class:`QuizzesPage` / :func:`quizzes`: the list of quizzes with their state, and the open quiz.

The model (where quizzes come from, how answers are written into the nbgrader notebook) is
:mod:`resilience_course.quiz.take`. The question and reflection controls are in
:mod:`~resilience_course.quiz.take_items_widgets`, the open quiz in :mod:`~resilience_course.quiz.take_form_widgets`;
this module has the list of quizzes, and every name is importable from here.
"""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Unicode, observe

from ..core.html import table
from ..ui.controls import button
from ..ui.guard import guarded
from ..ui.looks import shared_layout
from ..ui.session import get_store, log
from ..ui.style import message_html
from .take import QuizError, QuizService, settings
from .take_form_widgets import _CSS, QuizView, _when  # noqa: F401 - _CSS importable from here, as before the split
from .take_items_widgets import QuestionView, ReflectionView, _text_html  # noqa: F401 - importable from here

__all__ = ["QuestionView", "ReflectionView", "QuizView", "QuizzesPage", "quizzes"]

STATE_TEXT = {
    "not started": "Not started",
    "in progress": "In progress (your answers are saved)",
    "submitted": "Submitted",
    "feedback ready": "Feedback ready",
}



class QuizzesPage(widgets.VBox):
    """The list of quizzes released to this learner, and the quiz they open."""

    message = Unicode("", help="A problem with the list, in plain words")

    def __init__(self, service: QuizService | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("rc-quizzes")
        self.service = service or QuizService(settings(), get_store())
        self.route_html = widgets.HTML(self._route_text())
        self.list_box = widgets.VBox()
        self.quiz_box = widgets.VBox()
        self.status_html = widgets.HTML()
        self.view: QuizView | None = None
        self.children = [self.route_html, self.status_html, self.list_box, self.quiz_box]
        self.refresh()

    def _route_text(self) -> str:
        if self.service.settings.route == "exchange":
            return ("<p>These are the quizzes your trainer has released to you. Your answers are saved as you go, "
                    "for you alone; when you submit, they go to your trainer.</p>")
        return ("<p>No trainer's quiz folder is set up on this computer, so you can take every module quiz here and "
                "then download a file with your answers to send to your trainer.</p>")

    def _say(self, text: str) -> None:
        self.message = text

    @observe("message")
    def _message_changed(self, change):
        self.status_html.value = message_html(self.message, "warn")

    def refresh(self):
        statuses = guarded(self.service.list, self._say, "The list of quizzes could not be read just now. "
                           "Try reloading the page, or tell your trainer.", expected=QuizError,
                           what="listing quizzes")
        if statuses is None:
            return
        self.statuses = {s.assignment: s for s in statuses}
        if not statuses:
            self.list_box.children = [widgets.HTML("<h2>Your quizzes</h2><p>No quiz has been released to you yet. "
                                                   "Your trainer will tell you when one is ready.</p>")]
            return
        rows = []
        for s in statuses:
            state = STATE_TEXT.get(s.state, s.state)
            if s.submitted_at and s.state in ("submitted", "feedback ready"):
                state += f" ({_when(s.submitted_at)})"
            rows.append([f"Module {int(s.assignment[7:9])}: {s.title}", state])
        buttons = []
        for s in statuses:
            b = button(f"Open the module {int(s.assignment[7:9])} quiz",
                       tooltip=f"Open the quiz: {s.title}")
            b.on_click(lambda _b, a=s.assignment: self.open_quiz(a))
            buttons.append(b)
        self.list_box.children = [widgets.HTML("<h2>Your quizzes</h2>"
                                               + table(["Quiz", "State"], rows, caption="Quizzes and their state")),
                                  widgets.HBox(buttons, layout=shared_layout(flex_flow="row wrap"))]

    def open_quiz(self, assignment: str) -> QuizView | None:
        form = guarded(lambda: self.service.open(assignment), self._say,
                       "This quiz could not be opened just now. Try again, or tell your trainer.",
                       expected=QuizError, what="opening a quiz")
        if form is None:
            return None
        self.message = ""
        self.view = QuizView(self.service, form, self.statuses.get(assignment))
        self.view.on_submit(lambda _v, _s: self.refresh())
        self.quiz_box.children = [self.view]
        return self.view


def quizzes() -> QuizzesPage:
    """The quiz page for this learner (``rc.quizzes()`` in ``course/quizzes.ipynb``)."""
    try:
        return QuizzesPage()
    except Exception:  # never a traceback on the page
        log.exception("the quiz page failed to start")
        return widgets.HTML(message_html("The quiz page could not start. Try reloading it; if it happens again, "
                                         "tell your trainer.", "warn"))
