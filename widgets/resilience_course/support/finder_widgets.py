"""The support finder widget: choose what is going on for you; see the support that fits and how to ask."""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Bool, Instance, List, TraitError, Unicode, validate

from ..core.contacts import contacts_html
from ..core.dates import clock
from ..core.html import esc
from ..core.store import Store
from ..ui.controls import button
from ..ui.guard import guarded
from ..ui.looks import shared_layout
from ..ui.session import get_store
from ..ui.style import message_html
from ..ui.submit import Submits
from .finder import NO_WHEN, NO_WHO, Recommendation, find_support, save_plan
from .menu import Menu, load_models
from .menu_widgets import dl_html, resources_html

__all__ = ["SupportFinder", "support_finder", "recommendation_html"]


def recommendation_html(n: int, rec: Recommendation) -> str:
    """One recommendation: why it fits (citing the model's benefits), how often and with whom, how to ask."""
    parts = [f'<section class="rc-card" aria-label="{esc(rec.name)}"><h4>{n}. {esc(rec.name)}</h4>']
    if rec.parent_name:
        parts.append(f'<p class="rc-muted">One of the {esc(rec.parent_name.lower())}.</p>')
    parts.append(f"<p>{esc(rec.short)}</p>")
    parts.append("<h5>Why it may help</h5><ul>")
    for r in rec.reasons:
        cited = "; ".join(r.benefits)
        parts.append(
            f"<li><strong>{esc(r.need_label)}:</strong> {esc(r.why)} "
            f'<span class="rc-muted">What the guide says it offers: {esc(cited)}.</span></li>'
        )
    parts.append("</ul><h5>How often and with whom</h5>")
    parts.append(dl_html(rec.when) if rec.when else f"<p>{esc(NO_WHEN)}</p>")
    parts.append(dl_html(rec.with_whom) if rec.with_whom else f"<p>{esc(NO_WHO)}</p>")
    parts.append(
        "<h5>How to ask for it</h5>"
        f'<blockquote class="rc-script"><p>{esc(rec.script)}</p></blockquote>'
        '<p class="rc-muted">Change the words so they sound like you. Your manager, supervisor or '
        "practice teacher is usually the person to ask.</p>"
    )
    if rec.resources:
        parts.append(
            f"<details><summary>Evidence and resources for {esc(rec.name)}</summary>"
            f"{resources_html(rec.resources)}</details>"
        )
    parts.append("</section>")
    return "".join(parts)


class SupportFinder(Submits, widgets.VBox):
    """Choose what is going on for you; see the models of support that fit, and how to ask for them.

    Parameters
    ----------
    menu : Menu, optional
    store : Store, optional
        Where a plan is saved (kind ``support-plan``).
    """

    needs = List(Unicode(), help="Ids of the needs chosen, in the menu's order")
    shown = Bool(False, help="Whether the recommendations are shown")
    message = Unicode("", help="Status shown to the learner")
    store = Instance(Store, allow_none=True, help="The learner store")

    def __init__(self, menu: Menu | None = None, store: Store | None = None, **kwargs):
        self._syncing = False
        super().__init__(**kwargs)
        self.menu = menu or load_models()
        self.store = get_store(store)
        self.add_class("rc-activity")
        head = widgets.HTML(
            '<div class="rc-card"><h3>Support finder</h3><p>Choose everything that describes '
            "your situation at the moment, then select <strong>Show support that fits</strong>. "
            "Nothing you choose leaves this computer.</p></div>"
        )
        self.toggles: dict[str, widgets.ToggleButton] = {}
        for need in self.menu.needs:
            tb = widgets.ToggleButton(
                value=False,
                description=need.label,
                tooltip=need.situation,
                layout=shared_layout(width="auto", height="auto"),
            )
            tb.observe(self._toggled, names="value")
            self.toggles[need.id] = tb
        choices = widgets.VBox(list(self.toggles.values()))
        choices.add_class("rc-choices")
        self.find_button = button(
            "Show support that fits",
            button_style="primary",
            icon="search",
            tooltip="Show the models of support that fit your choices",
        )
        self.find_button.on_click(lambda _b: self.find())
        self.save_button = button(
            "Save this plan to my journal",
            icon="save",
            disabled=True,
            tooltip="Keep the needs you chose and the models found in your record",
        )
        self.save_button.on_click(lambda _b: self.save())
        self.status_html = widgets.HTML()
        self.results_html = widgets.HTML()
        self.children = [
            head,
            choices,
            widgets.HBox([self.find_button, self.save_button]),
            self.status_html,
            self.results_html,
        ]
        self.observe(self._render, names=["needs", "shown", "message"])
        self._render()

    @validate("needs")
    def _valid_needs(self, proposal):
        order = [n.id for n in self.menu.needs]
        value = list(dict.fromkeys(proposal["value"]))
        bad = [v for v in value if v not in order]
        if bad:
            raise TraitError(f"{', '.join(map(repr, bad))} not among the needs: {', '.join(order)}")
        return sorted(value, key=order.index)

    def _toggled(self, change):
        if not self._syncing:
            self.needs = [nid for nid, tb in self.toggles.items() if tb.value]

    @property
    def recommendations(self) -> list[Recommendation]:
        """The models that fit the needs chosen (empty until there is a need)."""
        return find_support(self.needs, self.menu) if self.needs else []

    def find(self) -> list[Recommendation]:
        """Show the models that fit; with no need chosen, ask for one instead."""
        if not self.needs:
            self.shown = False
            self.message = "Choose at least one situation first, then select Show support that fits."
            return []
        self.message = ""
        self.shown = True
        recs = self.recommendations
        self._submitted(self, recs)  # on_submit callbacks get (finder, recommendations)
        return recs

    def save(self) -> str | None:
        """Save the needs and the models found to the learner's record; returns the record id."""
        if not self.shown or not self.needs:
            self.message = "Find support first, then save the plan."
            return None
        rid = guarded(
            lambda: save_plan(self.store, self.needs, self.recommendations),
            self,
            "Your plan could not be saved just now. Your choices are still here: please try again.",
            what="saving a support plan",
        )
        if rid is None:
            return None
        self.message = f"Saved to your journal at {clock()}."
        return rid

    def _render(self, change=None):
        self._syncing = True
        try:
            for nid, tb in self.toggles.items():
                if tb.value != (nid in self.needs):
                    tb.value = nid in self.needs
        finally:
            self._syncing = False
        if change is not None and change["name"] == "needs" and self.message.startswith(("Choose", "Saved")):
            self.message = ""
            return  # the message change re-renders
        kind = "ok" if self.message.startswith("Saved") else "warn"
        self.status_html.value = message_html(self.message, kind)
        self.save_button.disabled = not (self.shown and self.needs)
        if not self.shown:
            self.results_html.value = ""
            return
        if not self.needs:
            self.results_html.value = (
                '<p class="rc-muted" role="status">Choose at least one situation to see '
                "the support that fits.</p>"
            )
            return
        recs = self.recommendations
        chosen = [self.menu.need(n) for n in self.needs]
        parts = [
            f'<p role="status"><strong>{len(recs)} model{"s" if len(recs) != 1 else ""} of support fit '
            f"the {len(chosen)} situation{'s' if len(chosen) != 1 else ''} you chose.</strong> "
            "Those that fit more of your situations come first.</p>"
        ]
        if any(n.signpost for n in chosen):
            parts.append(
                contacts_html(
                    "Feeling stressed or close to burnout is a signal to be kind to yourself and "
                    "to ask for help now, not later. You do not have to wait for a model of "
                    "support to be set up."
                )
            )
        parts += [recommendation_html(i, r) for i, r in enumerate(recs, start=1)]
        also = [n for n in chosen if n.also]
        if also:
            parts.append(
                '<div class="rc-note"><h4>Also in the guide</h4><ul>'
                + "".join(f"<li><strong>{esc(n.label)}:</strong> {esc(n.also)}</li>" for n in also)
                + "</ul></div>"
            )
        self.results_html.value = "".join(parts)


def support_finder(**kwargs) -> SupportFinder:
    """The support finder (``rc.support_finder()``)."""
    return SupportFinder(**kwargs)
