"""The ``SelfCheck`` widget: renders any self-check definition, scores it, saves it and shows history."""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Dict, Enum, Instance, TraitError, Unicode, validate

from ..core.charts import bar_chart, line_chart
from ..core.contacts import contacts_html
from ..core.dates import display_time
from ..core.html import esc, table
from ..core.store import Store
from ..ui.controls import OPTIONS_CLASS, button
from ..ui.guard import guarded
from ..ui.looks import shared_layout
from ..ui.rating import rating_buttons
from ..ui.session import get_store, log
from ..ui.style import message_html
from ..ui.submit import Submits
from .model import AnswerError, Definition, achievable_scores, load_definition, score

__all__ = ["SelfCheck"]




class SelfCheck(Submits, widgets.VBox):
    """A reflective self-check, completed with buttons (or drop-downs) and the keyboard alone.

    Parameters
    ----------
    definition : str or Definition
        A built-in id (``"sharenow"``, ``"signs-of-reducing-resilience"``), a path to a YAML
        definition (for example a licensed scale an organisation holds), or a loaded Definition.
    control : {"buttons", "dropdown"}
        How each item's options are shown. Both pass axe-core checks.
    store : Store, optional
        Where results are saved; defaults to the learner's own store.

    Examples
    --------
    >>> sc = SelfCheck("sharenow")                    # doctest: +SKIP
    >>> sc.answers = {i: 3 for i in sc.definition.item_ids}   # doctest: +SKIP
    >>> sc.submit()                                    # doctest: +SKIP
    """

    definition_id = Unicode(help="Id of the self-check definition shown").tag(sync=False)
    control = Enum(["buttons", "dropdown"], default_value="buttons", help="The control used for each item")
    answers = Dict(help="Answers so far: item id -> chosen option value")
    result = Dict(help="The latest scored result (empty until submitted): overall, subscales, band, signpost")
    message = Unicode("", help="A status or error message shown to the learner")
    saved_id = Unicode("", help="Store id of the last saved result")
    store = Instance(Store, allow_none=True, help="The learner store used for saving and history")

    def __init__(self, definition: str | Definition = "sharenow", control: str = "buttons",
                 store: Store | None = None, **kwargs):
        defn = definition if isinstance(definition, Definition) else load_definition(definition)
        self.definition = defn
        self._syncing = False
        super().__init__(**kwargs)
        self.store = get_store(store)
        self.control = control
        self.definition_id = defn.id
        self.add_class("rc-selfcheck")
        self.controls: list[widgets.ValueWidget] = []
        item_boxes = []
        total = len(defn.items)
        options = [(o["label"], o["value"] if defn.scored else o["label"]) for o in defn.options]
        for n, item in enumerate(defn.items, start=1):
            text = f"{n} of {total}. {item['text']}"
            if control == "dropdown":
                ctl = widgets.Dropdown(options=[("Choose an answer", None), *options], value=None,
                                       description=f"Item {n}", layout=shared_layout(width="auto"),
                                       _dom_classes=(OPTIONS_CLASS,))
            else:  # one radio group per item, named by the item's text (ui/rating.py)
                ctl = rating_buttons(text, options, tooltips=[f"{lab}: {item['text']}" for lab, _ in options])
            ctl.observe(self._on_item_value, names="value")
            self.controls.append(ctl)
            item_boxes.append(widgets.VBox([ctl]) if control != "dropdown" else
                              widgets.VBox([widgets.HTML(f'<p class="rc-item-text">{esc(text)}</p>'), ctl]))
        intro = (f"<h2>{esc(defn.title)}</h2><p>{esc(defn.introduction)}</p>"
                 f'<div class="rc-note"><p><strong>About this check.</strong> {esc(defn.note)}</p>'
                 f'<p class="rc-muted">{esc(defn.citation)}</p></div>')
        if self.store.notice:
            intro += message_html(self.store.notice, "warn")
        if defn.instruction:
            intro += f"<p><strong>{esc(defn.instruction)}</strong></p>"
        self.submit_button = button("See my result", button_style="primary", tooltip="Score and save this self-check",
                                    icon="check")
        self.submit_button.on_click(lambda _b: self.submit())
        self.clear_button = button("Start again", tooltip="Clear my answers")
        self.clear_button.on_click(lambda _b: self.clear())
        self.message_html = widgets.HTML()
        self.result_html = widgets.HTML()
        self.history_html = widgets.HTML()
        self.children = [widgets.HTML(intro), *item_boxes,
                         widgets.HBox([self.submit_button, self.clear_button]),
                         self.message_html, self.result_html, self.history_html]
        self.observe(self._render, names=["answers", "result", "message", "saved_id"])
        self._render()

    # -- validation -----------------------------------------------------------------------
    @validate("answers")
    def _valid_answers(self, proposal):
        answers = dict(proposal["value"])
        defn = self.definition
        allowed = [o["value"] if defn.scored else o["label"] for o in defn.options]
        for key, value in answers.items():
            if key not in defn.item_ids:
                raise TraitError(f"{key!r} is not an item of the self-check {defn.id!r}")
            if value is not None and (isinstance(value, bool) or value not in allowed):
                raise TraitError(f"{value!r} is not an allowed answer for item {key!r}; choose one of {allowed}")
        return answers

    # -- events ---------------------------------------------------------------------------
    def _on_item_value(self, change):
        if self._syncing:
            return
        answers = {item["id"]: ctl.value for item, ctl in zip(self.definition.items, self.controls)
                   if ctl.value is not None}
        self.answers = answers

    def submit(self) -> dict | None:
        """Score, save and show the result; returns the result dict, or None with a message if incomplete."""
        defn = self.definition
        try:
            res = score(defn, self.answers)
        except AnswerError as exc:
            self.message = str(exc)
            return None
        scores = res.to_dict()
        # the answers stay on screen whatever happens
        saved = guarded(lambda: self.store.save_selfcheck(defn.id, defn.version, res.answers, scores), self,
                        "Your result is shown below but could not be saved just now. Your answers are still here; "
                        "please try again in a moment.", what="saving a self-check")
        if saved is not None:
            self.saved_id = saved
            self.message = ""
        self.result = scores
        self._submitted(self, scores)  # on_submit callbacks get (widget, result)
        return scores

    def clear(self) -> None:
        self.answers = {}
        self.result = {}
        self.message = ""

    # -- rendering: one observer ------------------------------------------------------------
    def _render(self, change=None):
        defn = self.definition
        self._syncing = True
        try:
            for item, ctl in zip(defn.items, self.controls):
                value = self.answers.get(item["id"])
                if ctl.value != value:
                    ctl.value = value
        finally:
            self._syncing = False
        answered = len(self.answers)
        status = self.message or ""
        if status:
            self.message_html.value = message_html(status, "warn")
        elif not self.result:
            self.message_html.value = (f'<p class="rc-muted" aria-live="off">{answered} of {len(defn.items)} '
                                       "answered.</p>")
        else:
            self.message_html.value = message_html("Your result has been saved to your own record on this "
                                                   "computer.", "ok") if self.saved_id else ""
        # charts are drawn only when the result changes, not on every click
        if change is None or change["name"] in ("result", "saved_id"):
            self.result_html.value = self._result_html() if self.result else ""
            self.history_html.value = self._history_html()

    def _result_html(self) -> str:
        defn, res = self.definition, self.result
        if not defn.scored:
            return "<h3>Thank you</h3><p>Your answers are saved.</p>"
        band = next((b for b in defn.bands if b["label"] == res.get("band")), None)
        parts = [f'<section aria-label="Your result"><h3>Your result: {esc(res.get("band"))}</h3>',
                 f"<p>Score <strong>{res['overall']:g}</strong>. {esc(defn.higher_means)}</p>"]
        if band:
            parts.append(f"<p>{esc(band['interpretation'])}</p>")
        if res.get("subscales"):
            labels = [defn.subscale_title(k) for k in res["subscales"]]
            values = list(res["subscales"].values())
            lo = min(v for v in defn.values)
            hi = max(v for v in defn.values)
            if defn.method == "mean":
                chart = bar_chart(f"{defn.title}: your scores by area", labels, values, "Score", (0, hi),
                                  alt_summary=f"Scores run from {lo:g} to {hi:g}.")
            else:  # areas have different numbers of items: each is shown against its own maximum
                maxima = [float(max(achievable_scores(defn, [i["id"] for i in defn.items if i.get("subscale") == k])))
                          for k in res["subscales"]]
                chart = bar_chart(f"{defn.title}: your scores by area", labels, values, "Score",
                                  (0, max(maxima) * 1.25), maxima=maxima,
                                  alt_summary="Each area has its own most possible score, because the areas have "
                                              "different numbers of statements.")
            parts.append(chart.to_html())
        if res.get("signpost") and defn.signposting:
            try:
                parts.append(contacts_html(defn.signposting["message"]))
            except Exception:
                log.exception("support contacts could not be loaded")
                parts.append(f'<aside class="rc-signpost" role="note"><p>{esc(defn.signposting["message"])}</p>'
                             "<p>Please talk to your line manager, occupational health, or call Samaritans "
                             "on 116 123 (free, day or night).</p></aside>")
        parts.append("</section>")
        return "".join(parts)

    def _history_html(self) -> str:
        defn = self.definition
        if not defn.scored:
            return ""
        history = [h for h in self.store.selfcheck_history(defn.id) if h["definition_version"] == defn.version]
        if not history:
            return "<h3>Your history</h3><p>Your results will appear here each time you complete this check.</p>"
        labels = [display_time(h["created_at"]) for h in history]
        values = [h["scores"]["overall"] for h in history]
        lo, hi = min(defn.values), max(defn.values)
        n = len(defn.items)
        y_range = (lo, hi) if defn.method == "mean" else (lo * n, hi * n)
        chart = line_chart(f"{defn.title}: your results over time", labels, {"Overall score": values}, "Score",
                           y_range)
        rows = [[display_time(h["created_at"]), f"{h['scores']['overall']:g}", h["scores"].get("band") or ""]
                for h in reversed(history)]
        return ("<h3>Your history</h3>" + chart.to_html()
                + table(["When", "Score", "Band"], rows, caption="All your results, newest first"))
