"""The ``KnowledgeCheck`` widget: formative questions from a YAML bank, with instant feedback."""

from __future__ import annotations

import random

import ipywidgets as widgets
from traitlets import Instance, List, TraitError, Unicode, validate

from ..core.html import esc
from ..core.store import Store
from ..ui.controls import button
from ..ui.guard import guarded
from ..ui.looks import shared_layout
from ..ui.session import get_store
from ..ui.submit import Submits
from .model import Question, load_bank, mark, shuffled_options

__all__ = ["QuestionView", "KnowledgeCheck"]

VERDICT_TEXT = {
    "correct": "Correct.",
    "partly": "Partly right.",
    "wrong": "Not quite.",
}


class QuestionView(Submits, widgets.VBox):
    """One question: options as buttons (single or multiple answers), a check button and feedback.

    Parameters
    ----------
    question : Question
    number, total : int
        Position shown to the learner ("Question 2 of 6").
    rng : random.Random
        Used to shuffle the options.
    """

    selected = List(Unicode(), help="Option ids the learner has chosen")
    verdict = Unicode("", help="'' until checked, then 'correct', 'partly' or 'wrong'")
    message = Unicode("", help="A prompt shown when the learner checks without choosing")

    def __init__(self, question: Question, number: int, total: int, rng: random.Random, **kwargs):
        self._syncing = False
        self.question = question
        self.order = shuffled_options(question, rng)
        kind = "Choose one answer." if question.type == "single" else "Choose all the answers that apply."
        head = widgets.HTML(f'<h3>Question {number} of {total}</h3><p class="rc-item-text">{esc(question.stem)}</p>'
                            f'<p class="rc-muted">{kind}</p>')
        if question.type == "single":
            self.choice = widgets.ToggleButtons(options=[(o["text"], o["id"]) for o in self.order], value=None,
                                                style={"button_width": "auto"})
            self.choice.observe(self._on_choice_value, names="value")
            self.option_buttons = []
            choices = widgets.VBox([self.choice], _dom_classes=("rc-choices",))
        else:
            self.choice = None
            self.option_buttons = [widgets.ToggleButton(value=False, description=o["text"], tooltip=o["text"],
                                                        layout=shared_layout(width="auto", height="auto"))
                                   for o in self.order]
            for b in self.option_buttons:
                b.observe(self._on_choice_value, names="value")
            choices = widgets.VBox(self.option_buttons, _dom_classes=("rc-choices",))
        self.check_button = button("Check my answer", button_style="primary",
                                   tooltip=f"Check your answer to question {number}")
        self.check_button.on_click(lambda _b: self.check())
        self.feedback_html = widgets.HTML()
        # the box is made last, with its children and class: the page gets it whole, in one message
        super().__init__(children=[head, choices, self.check_button, self.feedback_html],
                         _dom_classes=("rc-question",), **kwargs)
        self.observe(self._render, names=["selected", "verdict", "message"])

    @validate("selected")
    def _valid_selected(self, proposal):
        ids = {o["id"] for o in self.question.options}
        value = list(dict.fromkeys(proposal["value"]))
        bad = [v for v in value if v not in ids]
        if bad:
            raise TraitError(f"{bad} are not options of question {self.question.id!r}")
        if self.question.type == "single" and len(value) > 1:
            raise TraitError("a single-answer question takes one option")
        return value

    def _on_choice_value(self, change):
        if self._syncing:
            return
        if self.choice is not None:
            self.selected = [self.choice.value] if self.choice.value else []
        else:
            self.selected = [o["id"] for o, b in zip(self.order, self.option_buttons) if b.value]

    def check(self) -> str:
        """Mark the current selection; returns the verdict ('' if nothing was chosen)."""
        try:
            result = mark(self.question, self.selected)
        except ValueError as exc:
            self.verdict = ""
            self.message = str(exc)
            return ""
        self.message = ""
        self._last = result
        # force a re-render even when the verdict is unchanged (a second wrong try)
        self.verdict = ""
        self.verdict = result.verdict
        self._submitted(self, result.verdict)  # on_submit callbacks get (view, verdict)
        return result.verdict

    def _render(self, change=None):
        self._syncing = True
        try:
            if self.choice is not None:
                want = self.selected[0] if self.selected else None
                if self.choice.value != want:
                    self.choice.value = want
            else:
                for o, b in zip(self.order, self.option_buttons):
                    b.value = o["id"] in self.selected
        finally:
            self._syncing = False
        if change is not None and change["name"] == "selected" and self.verdict:
            return  # keep the last feedback visible until the learner checks again
        if self.message:
            self.feedback_html.value = f'<div class="rc-warn" role="alert">{esc(self.message)}</div>'
            return
        if not self.verdict:
            self.feedback_html.value = ""
            return
        r = self._last
        parts = [f"<p><strong>{VERDICT_TEXT[r.verdict]}</strong>"]
        if r.verdict == "partly":
            wrong = sum(1 for _text, _fb, ok in r.feedback if not ok)
            found = " You found some of the right answers"
            found += f"; {r.missed} more would complete it" if r.missed else ""
            found += f", and {wrong} of your choices {'is' if wrong == 1 else 'are'} not right." if wrong else "."
            parts.append(found)
        if r.verdict != "correct":
            parts.append(" Read the feedback, then change your answer and check again.")
        parts.append("</p><ul>")
        for text, fb, ok in r.feedback:
            mark_word = "Right" if ok else "Not right"
            parts.append(f"<li><strong>{mark_word}: {esc(text)}.</strong> {esc(fb)}</li>")
        parts.append("</ul>")
        if r.verdict == "correct" and self.question.explanation:
            parts.append(f"<p>{esc(self.question.explanation)}</p>")
        kind = "ok" if r.verdict == "correct" else "warn"
        self.feedback_html.value = f'<div class="rc-{kind}" role="alert">{"".join(parts)}</div>'


class KnowledgeCheck(Submits, widgets.VBox):
    """A formative knowledge check for a module, drawn from its YAML question bank.

    Parameters
    ----------
    module : str
        Module id (``"01"``); the bank is ``modules/<slug>/questions.yml``.
    questions : list of str, optional
        Question ids to show (default: all, in bank order).
    seed : int, optional
        Seed for shuffling options (tests); default: a fresh shuffle each time.
    bank : path, optional
        Read this bank file instead of the module's.
    store : Store, optional
    """

    module = Unicode(help="Module id of the bank")
    summary = Unicode("", help="How many questions are answered correctly so far")
    store = Instance(Store, allow_none=True, help="The learner store")

    def __init__(self, module: str, questions: list[str] | None = None, seed: int | None = None,
                 bank=None, store: Store | None = None, **kwargs):
        qs = load_bank(bank or module)
        if questions:
            by_id = {q.id: q for q in qs}
            missing = [q for q in questions if q not in by_id]
            if missing:
                raise KeyError(f"questions {missing} are not in the bank for module {module}")
            qs = [by_id[q] for q in questions]
        rng = random.Random(seed)
        self.views = [QuestionView(q, n, len(qs), rng) for n, q in enumerate(qs, start=1)]
        for v in self.views:
            v.on_submit(self._checked)
        self.summary_html = widgets.HTML()
        intro = widgets.HTML('<div class="rc-note"><p>This knowledge check is for your learning: it is not marked, '
                             "and you can try each question as many times as you like. Your answers are kept "
                             "only on this computer.</p></div>")
        super().__init__(children=[intro, *self.views, self.summary_html], _dom_classes=("rc-knowledge-check",),
                         **kwargs)  # made whole, in one message to the page
        self.module = module
        self.store = get_store(store)
        self.observe(self._render, names=["summary"])
        self._update_summary()

    @property
    def score(self) -> tuple[int, int]:
        return sum(1 for v in self.views if v.verdict == "correct"), len(self.views)

    def _checked(self, view: QuestionView, verdict: str):
        attempt = {"question": view.question.id, "outcome": view.question.outcome, "selected": view.selected,
                   "verdict": verdict}
        # the feedback stays on screen; a failure to keep the attempt is logged only
        guarded(lambda: self.store.add_record("knowledge-check", attempt, self.module), lambda _text: None, "",
                what="saving a knowledge-check attempt")
        self._update_summary()
        self._submitted(self, view.question.id, verdict)  # on_submit callbacks get (check, question_id, verdict)

    def _update_summary(self):
        right, total = self.score
        self.summary = f"{right} of {total} questions answered correctly so far."

    def _render(self, change=None):
        self.summary_html.value = f'<p class="rc-progress"><strong>{esc(self.summary)}</strong></p>'
