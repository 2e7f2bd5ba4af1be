"""The quiz page's answer controls: one question (radio buttons or checkboxes) and one written reflection.

Part of the quiz page (:mod:`resilience_course.quiz.take_widgets`); the open quiz that holds them is
:mod:`resilience_course.quiz.take_form_widgets`.
"""

from __future__ import annotations

import re

import ipywidgets as widgets
from traitlets import Unicode, observe

from ..core.html import esc
from ..ui.rating import rating_buttons
from ..ui.style import LABEL_STYLE, WIDE
from .take_form import QuestionForm, ReflectionForm, normalise_letters, word_count

__all__ = ["QuestionView", "ReflectionView"]


def _text_html(text: str) -> str:
    """Question text (plain, with **bold** and *italic* as the quiz files write them) as safe HTML paragraphs."""
    out = []
    for para in str(text).strip().split("\n\n"):
        safe = esc(" ".join(para.split()))
        safe = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", safe)
        safe = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", safe)
        out.append(f'<p class="rc-item-text">{safe}</p>')
    return "".join(out)



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
