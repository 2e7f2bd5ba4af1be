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
:mod:`resilience_course.quiz.take`.
"""

from __future__ import annotations

import re

import ipywidgets as widgets
from traitlets import Dict, Unicode, observe

from ..core.html import esc, table
from ..ui.controls import button
from ..ui.download import download_link_html
from ..ui.guard import guarded
from ..ui.rating import rating_buttons
from ..ui.session import get_store, log
from ..ui.style import LABEL_STYLE, WIDE, message_html
from ..ui.submit import Submits
from .take import (
    QuestionForm,
    QuizError,
    QuizForm,
    QuizService,
    QuizStatus,
    ReflectionForm,
    answer_problems,
    normalise_letters,
    settings,
    word_count,
)

__all__ = ["QuestionView", "ReflectionView", "QuizView", "QuizzesPage", "quizzes"]

# Layout for long option texts (the course stylesheet has no quiz rules yet).
_CSS = """<style>
.rc-quiz .widget-checkbox label { white-space: normal; height: auto; line-height: 1.4; padding: 0.2rem 0; }
.rc-quiz .widget-checkbox label span { white-space: normal; overflow: visible; }
.rc-quiz .widget-checkbox { width: 100%; height: auto; }
.rc-quiz .widget-checkbox input { flex-shrink: 0; }
.rc-quiz .rc-quiz-question { border-top: 1px solid #767676; padding-top: 0.5rem; margin-top: 0.75rem; }
.rc-quiz textarea { min-height: 12rem; }
</style>"""

STATE_TEXT = {
    "not started": "Not started",
    "in progress": "In progress (your answers are saved)",
    "submitted": "Submitted",
    "feedback ready": "Feedback ready",
}


def _text_html(text: str) -> str:
    """Question text (plain, with **bold** and *italic* as the quiz files write them) as safe HTML paragraphs."""
    out = []
    for para in str(text).strip().split("\n\n"):
        safe = esc(" ".join(para.split()))
        safe = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", safe)
        safe = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", safe)
        out.append(f'<p class="rc-item-text">{safe}</p>')
    return "".join(out)


def _when(stamp: str) -> str:
    """A submission time as people read it (nbgrader and the store write ISO-like stamps)."""
    text = str(stamp or "").replace("T", " ")
    return text[:16] + (" UTC" if text.endswith(("+00:00", "UTC", "Z")) else "") if text else ""


class QuestionView(widgets.VBox):
    """One autograded question: radio buttons for one answer, checkboxes for every answer that applies."""

    letters = Unicode("", help="The learner's answer as sorted letters ('' when nothing is chosen)")

    def __init__(self, question: QuestionForm, letters: str = "", **kwargs):
        super().__init__(**kwargs)
        self.question = q = question
        self._syncing = False
        self.add_class("rc-quiz-question")
        how = "Choose one answer." if q.type == "single" else "Choose every answer that applies."
        marks = f"{q.points} mark{'' if q.points == 1 else 's'}"
        self.head = widgets.HTML(f'<h3 id="rc-{esc(q.grade_id)}">Question {q.number}</h3>'
                                 f'{_text_html(q.stem)}<p class="rc-muted">{how} ({marks})</p>')
        if q.type == "single":
            # The course's rated-item kit: one radio group (role radiogroup, aria-checked, one Tab stop,
            # the arrow keys move the choice), named by its label.
            self.radio = rating_buttons(f"Answer to question {q.number}", [(o.text, o.letter) for o in q.options],
                                        tooltips=[o.text for o in q.options])
            self.radio.observe(self._from_controls, names="value")
            self.boxes = []
            choices = widgets.VBox([self.radio])
            choices.add_class("rc-choices")
            controls = [choices]
        else:
            self.radio = None
            self.boxes = [widgets.Checkbox(value=False, description=o.text, indent=False, layout=WIDE)
                          for o in q.options]
            for box in self.boxes:
                box.observe(self._from_controls, names="value")
            controls = self.boxes
        self.children = [self.head, *controls]
        self.letters = normalise_letters(letters, q)
        self._to_controls()

    def _from_controls(self, change=None):
        if self._syncing:
            return
        if self.radio is not None:
            self.letters = self.radio.value or ""
        else:
            self.letters = "".join(o.letter for o, b in zip(self.question.options, self.boxes) if b.value)

    @observe("letters")
    def _letters_changed(self, change):
        self._to_controls()

    def _to_controls(self):
        self._syncing = True
        try:
            if self.radio is not None:
                want = self.letters or None
                if self.radio.value != want:
                    self.radio.value = want
            else:
                for o, b in zip(self.question.options, self.boxes):
                    b.value = o.letter in self.letters
        finally:
            self._syncing = False


class ReflectionView(widgets.VBox):
    """The reflective answer: a labelled text box and its word count."""

    text = Unicode("", help="What the learner has written")

    def __init__(self, reflection: ReflectionForm, text: str = "", **kwargs):
        super().__init__(**kwargs)
        self.reflection = r = reflection
        self.add_class("rc-quiz-question")
        marks = f"{r.points} mark{'' if r.points == 1 else 's'}"
        guidance = _text_html(r.guidance) if r.guidance else ""
        self.head = widgets.HTML(f"<h3>{esc(r.label)}</h3>{_text_html(r.prompt)}{guidance}"
                                 f'<p class="rc-muted">Written answer, read and marked by your trainer ({marks}). '
                                 "If thinking about this brings up anything hard, please talk to someone you trust, "
                                 "your supervisor or your occupational health service.</p>")
        self.box = widgets.Textarea(value=text, description="Your answer", style=LABEL_STYLE, layout=WIDE,
                                    continuous_update=True)
        self.box.add_class("rc-textarea")
        self.count_html = widgets.HTML()
        self.box.observe(self._typed, names="value")
        self.children = [self.head, self.box, self.count_html]
        self.text = text
        self._count()

    def _typed(self, change):
        self.text = self.box.value

    @observe("text")
    def _text_changed(self, change):
        if self.box.value != self.text:
            self.box.value = self.text
        self._count()

    def _count(self):
        n = word_count(self.text)
        self.count_html.value = f'<p class="rc-muted">{n} word{"" if n == 1 else "s"}</p>'


class QuizView(Submits, widgets.VBox):
    """One quiz: answer, save as you go, submit (or download) with a confirmation, then see feedback.

    ``on_submit`` callbacks get ``(view, status)`` after a submission or a download.
    """

    answers = Dict(help="The learner's answers: {'q1': 'B', 'reflection-...': 'text'}")
    message = Unicode("", help="What the page tells the learner (saved, submitted, what went wrong)")

    def __init__(self, service: QuizService, form: QuizForm, status: QuizStatus | None = None, **kwargs):
        super().__init__(**kwargs)
        self.service, self.form = service, form
        self.add_class("rc-quiz")
        self.add_class("rc-quiz-view")
        self.status = status
        saved = guarded(lambda: service.draft(form.assignment), self._say,
                        "Your saved answers could not be read; you can still answer the quiz.",
                        what="reading a quiz draft") or {}
        n_auto = len(form.questions)
        intro = (f"<h2>Module {int(form.module)} quiz: {esc(form.title)}</h2>"
                 f"<p>{n_auto} questions with choices and {len(form.reflections)} written answer"
                 f"{'' if len(form.reflections) == 1 else 's'}, {form.max_score} marks in all. Allow about "
                 f"{form.minutes} minutes; you may use your course notes. Your answers are saved on this "
                 "computer as you go, so you can stop and come back.</p>")
        self.intro = widgets.HTML(intro)
        self.question_views = [QuestionView(q, saved.get(q.key, "")) for q in form.questions]
        self.reflection_views = [ReflectionView(r, saved.get(r.key, "")) for r in form.reflections]
        for v in self.question_views:
            v.observe(self._changed, names="letters")
        for v in self.reflection_views:
            v.observe(self._changed, names="text")
        self.missing_html = widgets.HTML()
        self.save_button = button("Save my answers", icon="save", tooltip="Save your answers on this computer")
        self.save_button.on_click(lambda _b: self.save(announce=True))
        route = service.settings.route
        self.submit_button = button("Submit my answers" if route == "exchange" else "Make my answer file",
                                    button_style="primary",
                                    tooltip="Hand in this quiz to your trainer" if route == "exchange"
                                    else "Make the file to send to your trainer")
        self.submit_button.on_click(lambda _b: self.ask_to_submit())
        self.confirm_html = widgets.HTML()
        self.confirm_button = button("Yes, submit now", button_style="primary")
        self.confirm_button.on_click(lambda _b: self.submit())
        self.cancel_button = button("Not yet")
        self.cancel_button.on_click(lambda _b: self._cancel())
        self.confirm_box = widgets.VBox([self.confirm_html, widgets.HBox([self.confirm_button, self.cancel_button])],
                                        layout=widgets.Layout(display="none"))
        self.status_html = widgets.HTML()
        self.download_html = widgets.HTML()
        self.feedback_html = widgets.HTML()
        self.feedback_button = button("Show my feedback", tooltip="Fetch and show your trainer's feedback")
        self.feedback_button.on_click(lambda _b: self.show_feedback())
        self.feedback_button.layout.display = "none"
        self.answers = {**{v.question.key: v.letters for v in self.question_views},
                        **{v.reflection.key: v.text for v in self.reflection_views}}
        actions = widgets.HBox([self.save_button, self.submit_button])
        self.children = [widgets.HTML(_CSS), self.intro, *self.question_views, *self.reflection_views,
                         self.missing_html, actions, self.confirm_box, self.status_html, self.download_html,
                         self.feedback_button, self.feedback_html]
        self._show_missing()
        self._show_status()

    # -- answering and saving
    def _changed(self, change):
        self.answers = {**{v.question.key: v.letters for v in self.question_views},
                        **{v.reflection.key: v.text for v in self.reflection_views}}
        self.save(announce=False)
        self._cancel()

    def _say(self, text: str) -> None:
        self.message = text

    def save(self, announce: bool = True) -> bool:
        done = guarded(lambda: self.service.save_draft(self.form.assignment, dict(self.answers)) or True, self._say,
                       "Your answers could not be saved just now. They are still on this page; try Save again.",
                       what="saving a quiz draft")
        if done and announce:
            self.message = "Your answers are saved on this computer."
        self._show_missing()
        return bool(done)

    def _show_missing(self):
        problems = answer_problems(self.form, self.answers)
        if problems:
            items = "".join(f"<li>{esc(p)}</li>" for p in problems)
            self.missing_html.value = (f"<h3>Before you submit</h3><p>{len(problems)} still to answer "
                                       f"(you can submit anyway; an unanswered question scores 0):</p><ul>{items}</ul>")
        else:
            self.missing_html.value = "<h3>Before you submit</h3><p>Every question has an answer.</p>"

    # -- submitting
    def ask_to_submit(self):
        if not self.save(announce=False):
            return
        problems = answer_problems(self.form, self.answers)
        gap = (f" {len(problems)} question{' is' if len(problems) == 1 else 's are'} still unanswered."
               if problems else "")
        if self.service.settings.route == "exchange":
            text = (f"Submit your answers to your trainer now?{gap} You can submit again until your trainer "
                    "collects the quiz; they mark the latest one.")
            self.confirm_button.description = "Yes, submit now"
        else:
            text = (f"Make the file with your answers now?{gap} You then download it and send it to your trainer "
                    "(by email or your learning platform).")
            self.confirm_button.description = "Yes, make the file"
        self.confirm_html.value = f'<p role="status">{esc(text)}</p>'
        self.confirm_box.layout.display = "flex"

    def _cancel(self):
        self.confirm_box.layout.display = "none"
        self.confirm_html.value = ""

    def submit(self) -> QuizStatus | None:
        self._cancel()
        if self.service.settings.route == "exchange":
            status = guarded(lambda: self.service.submit(self.form.assignment, dict(self.answers)), self._say,
                             "Your answers could not be submitted just now. They are saved here; try again, or "
                             "tell your trainer.", expected=QuizError, what="submitting a quiz")
            if status is None:
                return None
            self.status = status
            self.message = (f"Submitted at {_when(status.submitted_at)}. Your trainer will mark it and release "
                            "feedback here.")
        else:
            text = guarded(lambda: self.service.answered_notebook(self.form.assignment, dict(self.answers)),
                           self._say, "The answer file could not be made just now. Your answers are saved here.",
                           expected=QuizError, what="making a quiz answer file")
            if text is None:
                return None
            stamp = guarded(lambda: self.service.record_download(self.form.assignment), self._say,
                            "The file is ready, but this computer could not note that you made it.",
                            what="noting a quiz download") or ""
            self.download_html.value = download_link_html(self.form.notebook, text, "application/x-ipynb+json",
                                                          f"Download {self.form.notebook}")
            self.status = QuizStatus(self.form.assignment, self.form.title, "submitted", stamp, "download")
            self.message = ("Your answer file is ready: download it with the link below and send it to your "
                            "trainer. Keep it until they confirm they have it.")
        self._show_status()
        self._submitted(self, self.status)
        return self.status

    # -- status and feedback
    @observe("message")
    def _message_changed(self, change):
        self._show_status()

    def _show_status(self):
        kind = "warn" if self.message and not self.message.startswith(("Your answers are saved", "Submitted",
                                                                       "Your answer file", "Your feedback")) else "ok"
        parts = [message_html(self.message, kind)]
        st = self.status
        if st and st.state in ("submitted", "feedback ready") and st.submitted_at and not self.message:
            parts.append(f"<p>You submitted this quiz at {esc(_when(st.submitted_at))}.</p>")
        self.status_html.value = "".join(parts)
        self.feedback_button.layout.display = "flex" if st and st.state == "feedback ready" else "none"

    def show_feedback(self):
        fb = guarded(lambda: self.service.feedback(self.form.assignment), self._say,
                     "Your feedback could not be fetched just now; try again later.", expected=QuizError,
                     what="fetching quiz feedback")
        if fb is None:
            if not self.message:
                self.message = "There is no feedback for this quiz yet."
            return None
        labels = {q.grade_id: f"Question {q.number}" for q in self.form.questions}
        labels.update({r.grade_id: r.label for r in self.form.reflections})
        answer_cells = {q.answer_cell: f"Question {q.number}" for q in self.form.questions}
        rows = []
        for item in fb.items:
            label = labels.get(item["grade_id"], item["grade_id"])
            got = "Scored" if item["score"] >= item["points"] > 0 else ("Part marks" if item["score"] > 0
                                                                        else "Not scored")
            rows.append([label, got, f"{item['score']:g} of {item['points']:g}"])
        comments = "".join(f"<li><strong>{esc(labels.get(g) or answer_cells.get(g) or g)}:</strong> {esc(c)}</li>"
                           for g, c in fb.comments)
        self.feedback_html.value = (
            f"<h3>Your feedback</h3><p><strong>Your score: {fb.score:g} out of {fb.max_score:g}.</strong></p>"
            + table(["Question", "Result", "Marks"], rows, caption="Which questions scored")
            + (f"<h4>Your trainer's comments</h4><ul>{comments}</ul>" if comments
               else "<p>Your trainer left no written comments.</p>"))
        self.message = "Your feedback is below."
        return fb


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
            return ("<p>These are the quizzes your trainer has released to you. Your answers are saved on this "
                    "computer as you go; when you submit, they go to your trainer.</p>")
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
                                  widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap"))]

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
