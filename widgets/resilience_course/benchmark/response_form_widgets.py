"""The pieces of a team member's response form: one factor's panel, the progress table, the preview card."""

from __future__ import annotations

import json

import ipywidgets as widgets

from ..core.html import esc, table
from ..ui.rating import rating_buttons
from ..ui.style import LABEL_STYLE, pre_html
from .responses import response_filename
from .tool import Factor, Tool

__all__ = ["FactorPanels", "factor_panel", "progress_html", "preview_card_html"]


def factor_panel(tool: Tool, f: Factor, on_change) -> tuple[widgets.VBox, widgets.ToggleButtons,
                                                            dict[str, widgets.ToggleButtons], widgets.Textarea]:
    """One factor's panel: its rating, one answer per indicator and a comment box (each observed by *on_change*).

    Returns (panel, rating buttons, indicator id -> answer buttons, comment box).
    """
    head = widgets.HTML(
        f'<div class="rc-card"><h4>{esc(f.label)}</h4><p><strong>Poor practice:</strong> '
        f"{esc(f.poor_practice)}</p><p><strong>Best practice:</strong> {esc(f.best_practice)}"
        "</p></div>"
    )
    # each rated item is one radio group named by its text (ui/rating.py)
    rb = rating_buttons(
        f"Where is your workplace between poor and best practice for {f.title.lower()}?",
        [(s["label"], s["value"]) for s in tool.scale],
        tooltips=[s.get("description", s["label"]) for s in tool.scale],
    )
    rb.observe(on_change, names="value")
    rows = [
        head,
        rb,
        widgets.HTML(f"<h5>Indicators of best practice ({len(f.indicators)})</h5>"),
    ]
    answer_opts = [(a["label"], a["id"]) for a in tool.answers]
    indicator_buttons = {}
    for ind in f.indicators:
        ib = rating_buttons(f"{ind.id}. {ind.text}", answer_opts,
                            tooltips=[f"{lab}: indicator {ind.id}" for lab, _ in answer_opts])
        ib.observe(on_change, names="value")
        indicator_buttons[ind.id] = ib
        rows.append(ib)
    cb = widgets.Textarea(
        description="Comment",
        placeholder="Optional: what would help most? Please do not name anyone, yourself included.",
        style=LABEL_STYLE,
    )
    cb.add_class("rc-textarea")
    cb.observe(on_change, names="value")
    rows.append(cb)
    return widgets.VBox(rows, layout=widgets.Layout()), rb, indicator_buttons, cb  # own layout: shown or hidden


class FactorPanels:
    """The factors' panels in one box, each built the first time it is asked for (:meth:`panel`).

    Built up front, the seven factors' panels (about 70 answer controls) made the benchmarking page the
    course's slowest to open; a learner answers one factor at a time. A panel is set to the answers so far
    when it is built; its controls call *on_change* only for what the learner does.
    """

    def __init__(self, tool: Tool, on_change):
        self.tool, self._on_change = tool, on_change
        self.panels: dict[str, widgets.VBox] = {}
        self.ratings: dict[str, widgets.ToggleButtons] = {}
        self.indicators: dict[str, widgets.ToggleButtons] = {}
        self.comments: dict[str, widgets.Textarea] = {}
        self.box = widgets.VBox()
        self._quiet = False

    def _changed(self, change) -> None:
        if not self._quiet:
            self._on_change(change)

    def panel(self, factor_id: str, ratings: dict, answers: dict, comments: dict, shown: str) -> widgets.VBox:
        """The panel of *factor_id*, built (and set to *ratings*, *answers* and *comments*) if it is new."""
        if factor_id not in self.panels:
            panel, rb, ibs, cb = factor_panel(self.tool, self.tool.factor(factor_id), self._changed)
            self.panels[factor_id], self.ratings[factor_id], self.comments[factor_id] = panel, rb, cb
            self.indicators.update(ibs)
            self.set_to(ratings, answers, comments, shown)
            self.box.children = [self.panels[f] for f in self.tool.factor_ids if f in self.panels]
        return self.panels[factor_id]

    def every(self, which: str, ratings: dict, answers: dict, comments: dict, shown: str) -> dict:
        """One kind of control of every factor (``panels``, ``ratings``, ``indicators`` or ``comments``),
        every panel built."""
        for f in self.tool.factor_ids:
            self.panel(f, ratings, answers, comments, shown)
        return dict(getattr(self, which))

    def collect(self, ratings: dict, answers: dict, comments: dict) -> tuple[dict, dict, dict]:
        """The answers in the panels built so far, over those (*ratings*, ...) of the factors not yet shown."""
        return ({**{f: v for f, v in ratings.items() if f not in self.ratings},
                 **{f: b.value for f, b in self.ratings.items() if b.value is not None}},
                {**{i: v for i, v in answers.items() if i not in self.indicators},
                 **{i: b.value for i, b in self.indicators.items() if b.value is not None}},
                {**{f: c for f, c in comments.items() if f not in self.comments},
                 **{f: box.value for f, box in self.comments.items() if box.value.strip()}})

    def set_to(self, ratings: dict, answers: dict, comments: dict, shown: str) -> None:
        """Set the built panels' controls to these answers, and show the panel of *shown* only."""
        quiet, self._quiet = self._quiet, True
        try:
            for f, b in self.ratings.items():
                if b.value != ratings.get(f):
                    b.value = ratings.get(f)
            for i, b in self.indicators.items():
                if b.value != answers.get(i):
                    b.value = answers.get(i)
            for f, box in self.comments.items():
                if box.value.strip() != comments.get(f, "").strip():
                    box.value = comments.get(f, "")
        finally:
            self._quiet = quiet
        for f, panel in self.panels.items():
            panel.layout.display = None if f == shown else "none"


def progress_html(tool: Tool, ratings: dict, answers: dict) -> str:
    """How far the response has got: a one-line count and, folded away, a table factor by factor."""
    rows = []
    for f in tool.factors:
        done = sum(1 for i in f.indicators if i.id in answers)
        rating = tool.rating_label(ratings[f.id]) if f.id in ratings else "not rated yet"
        rows.append([f.label, rating, f"{done} of {len(f.indicators)}"])
    rated = sum(1 for f in tool.factor_ids if f in ratings)
    return (
        f'<p aria-live="off"><strong>{rated} of {len(tool.factors)} factors rated; '
        f"{len(answers)} of {len(tool.indicators)} indicators answered.</strong></p>"
        "<details><summary>Your progress, factor by factor</summary>"
        + table(["Factor", "Your rating", "Indicators answered"], rows, caption="Progress")
        + "</details>"
    )


def preview_card_html(preview: str) -> str:
    """The previewed response file, exactly as it will be written ("" when there is no preview)."""
    if not preview:
        return ""
    try:
        name = response_filename(json.loads(preview))
    except (ValueError, KeyError):
        name = "response file"
    return (
        f'<div class="rc-card" role="region" aria-label="Preview of your response file"><h4>Preview: '
        f"{esc(name)}</h4><p>This is exactly what the file will hold, character for character. "
        "It has no name in it. Check your comments name nobody, then choose Write the file.</p>"
        f"{pre_html(preview, '24rem')}</div>"
    )
