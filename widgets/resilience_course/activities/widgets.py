"""Generic activity widgets driven by a module's ``activities.yml``: Sorter, Explorer, JournalForm."""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Dict, Instance, TraitError, Unicode, validate

from ..core.dates import clock
from ..core.html import esc, paragraphs
from ..core.store import Store
from ..ui.controls import button, choice_buttons, text_input
from ..ui.entries import earlier_entries_html
from ..ui.guard import guarded
from ..ui.looks import shared_layout
from ..ui.session import get_store
from ..ui.style import LABEL_STYLE, message_html
from ..ui.submit import Submits
from .model import activity as load_activity
from .model import mark_sort

__all__ = ["Sorter", "Explorer", "JournalForm", "make_activity"]


def _head(act: dict) -> str:
    src = f'<p class="rc-muted">{esc(act["source"])}</p>' if act.get("source") else ""
    return f'<div class="rc-card"><h3>{esc(act["title"])}</h3><p>{esc(act["instructions"])}</p>{src}</div>'


class Sorter(Submits, widgets.VBox):
    """Place each statement in a category, then check: feedback for every item, try again freely.

    Parameters
    ----------
    act : dict
        A ``sort`` activity from a module's ``activities.yml``.
    """

    answers = Dict(help="Item id -> chosen category id")
    checked = Dict(help="Item id -> True/False after the last check")
    message = Unicode("", help="Status shown to the learner")

    def __init__(self, act: dict, **kwargs):
        self._syncing = False
        super().__init__(**kwargs)
        self.act = act
        self.add_class("rc-activity")
        cats = [(c["label"], c["id"]) for c in act["categories"]]
        self.dropdowns = {}
        rows = []
        for n, item in enumerate(act["items"], start=1):
            # the drop-down is named by its statement (its label, shown in full above it), not "Statement 1"
            dd = widgets.Dropdown(options=[("Choose...", ""), *cats], value="", description=f"{n}. {item['text']}",
                                  style=LABEL_STYLE, layout=shared_layout(width="auto"))
            dd.add_class("rc-sort-select")
            dd.observe(self._changed, names="value")
            self.dropdowns[item["id"]] = dd
            rows.append(widgets.VBox([dd]))
        self.check_button = button("Check my answers", button_style="primary")
        self.check_button.on_click(lambda _b: self.check())
        self.feedback_html = widgets.HTML()
        self.children = [widgets.HTML(_head(act)), *rows, self.check_button, self.feedback_html]
        self.observe(self._render, names=["answers", "checked", "message"])

    @validate("answers")
    def _valid(self, proposal):
        cats = {c["id"] for c in self.act["categories"]}
        items = {i["id"] for i in self.act["items"]}
        for k, v in proposal["value"].items():
            if k not in items:
                raise TraitError(f"{k!r} is not an item of activity {self.act['id']!r}")
            if v and v not in cats:
                raise TraitError(f"{v!r} is not a category of activity {self.act['id']!r}")
        return {k: v for k, v in proposal["value"].items() if v}

    def _changed(self, change):
        if not self._syncing:
            self.answers = {k: dd.value for k, dd in self.dropdowns.items() if dd.value}

    def check(self) -> dict:
        if not self.answers:
            self.message = "Choose a category for at least one statement first."
            return {}
        self.message = ""
        result = mark_sort(self.act, self.answers)
        self.checked = {}
        self.checked = result
        self._submitted(self, result)  # on_submit callbacks get (sorter, checked)
        return result

    @property
    def score(self) -> tuple[int, int]:
        return sum(self.checked.values()), len(self.act["items"])

    def _render(self, change=None):
        self._syncing = True
        try:
            for k, dd in self.dropdowns.items():
                want = self.answers.get(k, "")
                if dd.value != want:
                    dd.value = want
        finally:
            self._syncing = False
        if change is not None and change["name"] == "answers":
            return
        if self.message:
            self.feedback_html.value = message_html(self.message, "warn")
            return
        if not self.checked:
            self.feedback_html.value = ""
            return
        labels = {c["id"]: c["label"] for c in self.act["categories"]}
        right, total = self.score
        parts = [f"<p><strong>{right} of {total} placed correctly.</strong>"]
        if right < total:
            parts.append(" Change any you want to and check again.")
        parts.append("</p><ul>")
        for n, item in enumerate(self.act["items"], start=1):
            if item["id"] not in self.checked:
                parts.append(f"<li>Statement {n}: not placed yet.</li>")
                continue
            ok = self.checked[item["id"]]
            verdict = "Right" if ok else f"Not quite (you chose {esc(labels[self.answers[item['id']]])})"
            parts.append(f"<li><strong>Statement {n}: {verdict}.</strong> {esc(item['feedback'])}</li>")
        parts.append("</ul>")
        kind = "ok" if right == total else "warn"
        self.feedback_html.value = f'<div class="rc-{kind}" role="alert">{"".join(parts)}</div>'


class Explorer(widgets.VBox):
    """Choose an entry (buttons or a drop-down) to read about it: an explorable, accessible figure.

    Parameters
    ----------
    act : dict
        An ``explore`` activity from a module's ``activities.yml``.
    """

    selected = Unicode("", help="Id of the entry shown")

    def __init__(self, act: dict, **kwargs):
        super().__init__(**kwargs)
        self.act = act
        self.add_class("rc-activity")
        opts = [(e["label"], e["id"]) for e in act["entries"]]
        if act.get("control", "buttons") == "dropdown":
            self.chooser = widgets.Dropdown(options=[("Choose...", ""), *opts], value="", description="Show",
                                            layout=shared_layout(width="auto"))
        else:
            self.chooser = choice_buttons(opts)
        self.chooser.observe(lambda ch: setattr(self, "selected", ch["new"] or ""), names="value")
        self.body_html = widgets.HTML()
        self.children = [widgets.HTML(_head(act)), self.chooser, self.body_html]
        self.observe(self._render, names=["selected"])
        self._render()

    @validate("selected")
    def _valid(self, proposal):
        ids = {e["id"] for e in self.act["entries"]}
        if proposal["value"] and proposal["value"] not in ids:
            raise TraitError(f"{proposal['value']!r} is not an entry of activity {self.act['id']!r}")
        return proposal["value"]

    def _render(self, change=None):
        if (self.chooser.value or "") != self.selected:
            self.chooser.value = self.selected or (None if isinstance(self.chooser, widgets.ToggleButtons) else "")
        entry = next((e for e in self.act["entries"] if e["id"] == self.selected), None)
        if entry is None:
            self.body_html.value = '<p class="rc-muted">Choose one of the options above to read about it.</p>'
            return
        points = "".join(f"<li>{esc(p)}</li>" for p in entry.get("points", []))
        self.body_html.value = (f'<div class="rc-note" role="region" aria-label="{esc(entry["label"])}">'
                                f"<h4>{esc(entry['label'])}</h4>{paragraphs(entry['body'])}"
                                f"{f'<ul>{points}</ul>' if points else ''}</div>")


class JournalForm(Submits, widgets.VBox):
    """Several prompts answered together and saved as one journal entry (for example an After Action Review).

    Parameters
    ----------
    act : dict
        A ``form`` activity from a module's ``activities.yml``.
    module : str
        Module id the entry belongs to.
    store : Store, optional
    """

    values = Dict(help="Field id -> text typed so far")
    message = Unicode("", help="Status shown after saving")
    store = Instance(Store, allow_none=True, help="The learner store")

    KIND = "form"

    def __init__(self, act: dict, module: str, store: Store | None = None, **kwargs):
        super().__init__(**kwargs)
        self.act, self.module = act, module
        self.store = get_store(store)
        self.add_class("rc-activity")
        self.boxes = {}
        rows = []
        for f in act["fields"]:
            ta = text_input(f["label"], placeholder=f.get("hint", ""), area=True)
            ta.observe(self._typed, names="value")
            self.boxes[f["id"]] = ta
            rows.append(ta)
        self.save_button = button("Save to my journal", button_style="primary", icon="save")
        self.save_button.on_click(lambda _b: self.save())
        self.status_html = widgets.HTML()
        self.entries_html = widgets.HTML()
        self.children = [widgets.HTML(_head(act)), *rows, self.save_button, self.status_html, self.entries_html]
        self.observe(self._render, names=["message"])
        self._render()

    def _typed(self, change):
        self.values = {k: ta.value for k, ta in self.boxes.items()}

    def entries(self) -> list[dict]:
        return [r for r in self.store.records(self.KIND, self.module) if r["payload"].get("activity") == self.act["id"]]

    def save(self) -> str | None:
        values = {k: (v or "").strip() for k, v in self.values.items()}
        if not any(values.values()):
            self.message = "There is nothing to save yet: write something in at least one box."
            return None
        payload = {"activity": self.act["id"], "title": self.act["title"],
                   "fields": [{"id": f["id"], "label": f["label"], "text": values.get(f["id"], "")}
                              for f in self.act["fields"]]}
        rid = guarded(lambda: self.store.add_record(self.KIND, payload, self.module), self,
                      "This could not be saved just now. Your text is still here: please try again.",
                      what="saving a journal form")
        if rid is None:
            return None
        for ta in self.boxes.values():
            ta.value = ""
        self.message = f"Saved to your journal at {clock()}."
        self._submitted(self, values)  # on_submit callbacks get (form, values)
        return rid

    def _render(self, change=None):
        kind = "ok" if self.message.startswith("Saved") else "warn"
        self.status_html.value = message_html(self.message, kind)
        earlier = [(e["created_at"], "<dl>" + "".join(f"<dt>{esc(f['label'])}</dt><dd>"
                                                      f"{paragraphs(f['text']) or '<em>(left blank)</em>'}</dd>"
                                                      for f in e["payload"]["fields"]) + "</dl>")
                   for e in self.entries()]
        self.entries_html.value = earlier_entries_html(earlier, "Your saved entries")


def make_activity(module: str, activity_id: str, store: Store | None = None, **kwargs):
    """The widget for one activity of a module's ``activities.yml``."""
    act = load_activity(module, activity_id)
    if act["type"] == "sort":
        return Sorter(act, **kwargs)
    if act["type"] == "explore":
        return Explorer(act, **kwargs)
    return JournalForm(act, module, store=store, **kwargs)
