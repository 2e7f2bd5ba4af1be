"""The open quiz on the quiz page: questions, saving as the learner goes, submit or download, and feedback.

Part of the quiz page (:mod:`resilience_course.quiz.take_widgets`); its controls are
:mod:`resilience_course.quiz.take_items_widgets` and its model :mod:`resilience_course.quiz.take`.
"""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Dict, Unicode, observe

from ..core.html import esc, table
from ..ui.controls import button, own_button_layout
from ..ui.download import download_link_html
from ..ui.guard import guarded
from ..ui.style import message_html
from ..ui.submit import Submits
from .take import QuizError, QuizForm, QuizService, QuizStatus, answer_problems
from .take_items_widgets import QuestionView, ReflectionView

__all__ = ["QuizView"]

# Layout for long option texts (the course stylesheet has no quiz rules yet).
_CSS = """<style>
.rc-quiz .widget-checkbox label { white-space: normal; height: auto; line-height: 1.4; padding: 0.2rem 0; }
.rc-quiz .widget-checkbox label span { white-space: normal; overflow: visible; }
.rc-quiz .widget-checkbox { width: 100%; height: auto; }
.rc-quiz .widget-checkbox input { flex-shrink: 0; }
.rc-quiz .rc-quiz-question { border-top: 1px solid #767676; padding-top: 0.5rem; margin-top: 0.75rem; }
.rc-quiz textarea { min-height: 12rem; }
</style>"""


def _when(stamp: str) -> str:
    """A submission time as people read it (nbgrader and the store write ISO-like stamps)."""
    text = str(stamp or "").replace("T", " ")
    return text[:16] + (" UTC" if text.endswith(("+00:00", "UTC", "Z")) else "") if text else ""



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
                 f"{form.minutes} minutes; you may use your course notes. Your answers are saved as you "
                 "go, for you alone, so you can stop and come back.</p>")
        self.intro = widgets.HTML(intro)
        self.question_views = [QuestionView(q, saved.get(q.key, "")) for q in form.questions]
        self.reflection_views = [ReflectionView(r, saved.get(r.key, "")) for r in form.reflections]
        for v in self.question_views:
            v.observe(self._changed, names="letters")
        for v in self.reflection_views:
            v.observe(self._changed, names="text")
        self.missing_html = widgets.HTML()
        self.save_button = button("Save my answers", icon="save", tooltip="Save your answers now")
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
        self.feedback_button = button("Show my feedback", tooltip="Fetch and show your trainer's feedback",
                                      layout=own_button_layout())
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
            self.message = "Your answers are saved."
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
        # shown first, then the question: the page draws each change as it arrives, and a learner who meets
        # the question must find its buttons already there (the other way round, a Tab pressed at once
        # ran off the end of the page)
        self.confirm_box.layout.display = "flex"
        self.confirm_html.value = f'<p role="status">{esc(text)}</p>'

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
