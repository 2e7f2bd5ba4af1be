"""Revalidation progress: hours, participatory hours and reflective accounts in the cycle."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets
from traitlets import Unicode

from ..core.course import Outline
from ..core.store import Store
from ..ui.controls import button, text_input
from ..ui.guard import guarded
from .base_widgets import RecordWidget
from .cpd_log import log_entries
from .reflective_accounts import accounts
from .revalidation import TARGETS, Revalidation, get_settings, revalidation_summary, save_settings

__all__ = ["RevalidationPanel", "revalidation"]


class RevalidationPanel(RecordWidget):
    """Progress toward 35 hours of CPD (20 participatory) and 5 reflective accounts, as a chart and a table."""

    revalidation_date = Unicode("", help="The learner's next revalidation date (ISO), '' for 'the last 3 years'")

    def __init__(self, store: Store | None = None, outline: Outline | None = None, today: date | None = None,
                 **kwargs):
        super().__init__(store, outline, today, **kwargs)
        self.date_input = text_input("My next revalidation date", placeholder="for example 31/03/2027 (optional)")
        self.save_button = button("Use this date", icon="calendar")
        self.save_button.on_click(lambda _b: self.save())
        self.summary_html = widgets.HTML()
        self.status_html = widgets.HTML()
        self.children = [widgets.HTML('<div class="rc-page"><p>NMC revalidation asks, every three years, for at '
                                      f"least {TARGETS['hours']:g} hours of CPD, of which "
                                      f"{TARGETS['participatory']:g} are participatory, and "
                                      f"{TARGETS['accounts']} written reflective accounts. Enter your "
                                      "revalidation date to count your current cycle; without it, the last three "
                                      "years are counted.</p></div>"),
                         widgets.HBox([self.date_input, self.save_button]), self.status_html, self.summary_html]
        self.revalidation_date = get_settings(self.store).get("revalidation_date", "")
        self.date_input.value = self.revalidation_date
        self.observe(self._render, names=["revalidation_date", "message"])
        self.refresh()

    def save(self, text: str | None = None) -> bool:
        """Save the revalidation date typed (or *text*) to the learner's store; '' counts the last three years."""
        text = self.date_input.value if text is None else text
        saved = guarded(lambda: save_settings(self.store, text), self,
                        "The date could not be saved just now; please try again.", expected=ValueError,
                        what="saving the revalidation date")
        if saved is None:
            return False
        self.message = "Saved your revalidation date." if saved["revalidation_date"] else \
            "Saved: counting the last three years."
        self.revalidation_date = saved["revalidation_date"]
        return True

    def summary(self) -> Revalidation:
        acc = [a.get("date", "") for a in accounts(self.store)]
        return revalidation_summary(log_entries(self.store), acc, self.revalidation_date or None, self.today)

    def refresh(self) -> None:
        self.summary_html.value = self.summary().to_html()
        self.status_html.value = self._status()

    def _render(self, change=None):
        if change is None or change["name"] == "revalidation_date":
            self.refresh()
        else:
            self.status_html.value = self._status()


def revalidation(**kwargs) -> RevalidationPanel:
    return RevalidationPanel(**kwargs)
