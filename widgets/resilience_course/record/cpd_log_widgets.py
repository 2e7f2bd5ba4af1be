"""The CPD log widget: add, change and delete entries, or add completed modules in one step."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets
from traitlets import Dict, List, TraitError, Unicode, validate

from ..core.course import Outline
from ..core.dates import display_date
from ..core.html import esc
from ..core.store import Store
from ..ui.controls import button, text_input
from ..ui.download import SaveOrDownload
from ..ui.guard import guarded
from ..ui.looks import shared_layout
from ..ui.style import LABEL_STYLE, WIDE
from .base_widgets import RecordWidget, problems_html
from .common import CODE_THEMES, CPDError
from .cpd_log import (
    METHODS,
    add_completed_modules,
    add_entry,
    completed_modules,
    delete_entry,
    log_csv,
    log_entries,
    log_html,
    log_summary,
    log_table_html,
    participatory_hint,
    update_entry,
    validate_entry,
)

__all__ = ["CPDLog", "cpd_log"]


FORM_FIELDS = ("date", "method", "topic", "practice", "hours", "participatory_hours", "evidence")


class CPDLog(RecordWidget):
    """The learner's CPD log: add, change and delete entries, or add completed modules in one step.

    Parameters
    ----------
    store : Store, optional
    outline : Outline, optional
    today : datetime.date, optional
        "Today" for date checks (tests).
    """

    values = Dict(help="The form as typed: date, method, topic, practice, hours, participatory_hours, evidence")
    themes = List(Unicode(), help="Themes of the Code chosen in the form")
    problems = Dict(help="Field -> message for the last attempt to save")
    editing = Unicode("", help="Id of the entry being changed ('' when adding a new one)")
    confirming = Unicode("", help="Id of the entry waiting for delete confirmation")
    previewed = Unicode("", help="The log as last previewed for export ('' when not previewed since a change)")

    def __init__(self, store: Store | None = None, outline: Outline | None = None, today: date | None = None,
                 **kwargs):
        super().__init__(store, outline, today, **kwargs)
        self._syncing = False
        self.inputs = {
            "date": text_input("Date", placeholder="2024-05-20 or 20/05/2024"),
            "method": widgets.Dropdown(options=[("Choose...", "")] + [(lab, k) for k, (lab, _) in METHODS.items()],
                                       value="", description="How I learned", style=LABEL_STYLE, layout=WIDE),
            "topic": text_input("Topic", placeholder="What the learning was about"),
            "practice": text_input("How it relates to my practice", area=True),
            "hours": text_input("Hours", placeholder="for example 1.5"),
            "participatory_hours": text_input("Participatory hours", placeholder="0 if you learned on your own"),
            "evidence": text_input("Evidence I hold", placeholder="for example notes, a certificate", area=True),
        }
        for w in self.inputs.values():
            w.observe(self._typed, names="value")
        self.theme_buttons = {k: widgets.ToggleButton(value=False, description=lab, tooltip=f"The Code: {lab}",
                                                      layout=shared_layout(width="auto"))
                              for k, lab in CODE_THEMES.items()}
        for b in self.theme_buttons.values():
            b.observe(self._typed, names="value")
        self.save_button = button("Save entry", button_style="primary", icon="save")
        self.save_button.on_click(lambda _b: self.save())
        self.clear_button = button("Clear the form")
        self.clear_button.on_click(lambda _b: self.clear())
        self.modules_button = button("Add my completed modules", icon="plus",
                                             tooltip="Add each completed course module not yet in your log")
        self.modules_button.on_click(lambda _b: self.add_modules())
        self.modules_html = widgets.HTML()
        self.chooser = widgets.Dropdown(options=[("Choose an entry...", "")], value="", description="Entry",
                                        style=LABEL_STYLE, layout=WIDE)
        self.edit_button = button("Change this entry", icon="pencil")
        self.edit_button.on_click(lambda _b: self.edit(self.chooser.value))
        self.delete_button = button("Delete this entry", icon="trash")
        self.delete_button.on_click(lambda _b: self.ask_delete(self.chooser.value))
        self.yes_button = button("Yes, delete it", button_style="danger")
        self.yes_button.on_click(lambda _b: self.delete())
        self.no_button = button("No, keep it")
        self.no_button.on_click(lambda _b: setattr(self, "confirming", ""))
        self.confirm_box = widgets.VBox()
        self.form_title = widgets.HTML()
        self.problems_html = widgets.HTML()
        self.hint_html = widgets.HTML()
        self.status_html = widgets.HTML()
        self.table_html = widgets.HTML()
        self.export_title = widgets.HTML("<h3>Export my CPD log</h3><p>Preview the log as it will print, then "
                                         "download it as a web page (to print or keep) or as a spreadsheet (CSV).</p>")
        self.preview_button = button("Preview my CPD log", icon="eye")
        self.preview_button.on_click(lambda _b: self.preview())
        self.preview_html = widgets.HTML()
        self.html_file = SaveOrDownload()
        self.csv_file = SaveOrDownload()
        themes_label = widgets.HTML('<p class="rc-item-text">Themes of the Code this relates to (choose one or '
                                    "more)</p>")
        intro = widgets.HTML(
            '<div class="rc-page"><p>Keep a note of every piece of learning here. <strong>Participatory</strong> '
            "hours are time spent learning with other professionals, in person or online (a Monday Club session "
            "or a study day counts); time studying on your own does not.</p></div>")
        self.children = [intro, widgets.HBox([self.modules_button]), self.modules_html, self.form_title,
                         self.inputs["date"], self.inputs["method"], self.inputs["topic"], self.inputs["practice"],
                         self.inputs["hours"], self.inputs["participatory_hours"], themes_label,
                         widgets.HBox(list(self.theme_buttons.values()),
                                      layout=shared_layout(flex_flow="row wrap")),
                         self.inputs["evidence"], widgets.HBox([self.save_button, self.clear_button]),
                         self.problems_html, self.hint_html, self.status_html, self.table_html, self.chooser,
                         widgets.HBox([self.edit_button, self.delete_button]), self.confirm_box,
                         self.export_title, widgets.HBox([self.preview_button]), self.preview_html, self.html_file,
                         self.csv_file]
        self.observe(self._render, names=["values", "themes", "problems", "editing", "confirming", "message"])
        self.refresh()

    @validate("themes")
    def _valid_themes(self, proposal):
        bad = [t for t in proposal["value"] if t not in CODE_THEMES]
        if bad:
            raise TraitError(f"{bad} are not themes of the Code; use {list(CODE_THEMES)}")
        return list(dict.fromkeys(proposal["value"]))

    @validate("values")
    def _valid_values(self, proposal):
        bad = set(proposal["value"]) - set(FORM_FIELDS)
        if bad:
            raise TraitError(f"unknown field(s) {sorted(bad)}; the form has {list(FORM_FIELDS)}")
        return dict(proposal["value"])

    def _typed(self, change):
        if self._syncing:
            return
        self.values = {k: (w.value or "") for k, w in self.inputs.items()}
        self.themes = [k for k, b in self.theme_buttons.items() if b.value]

    def entries(self) -> list[dict]:
        return log_entries(self.store)

    def preview(self) -> str:
        """Show the log as it will be exported, and offer it as an HTML page and a CSV file to download."""
        entries = guarded(lambda: self.entries(), self, "Your CPD log could not be read just now; please try again.",
                          what="previewing the CPD log")
        if entries is None:
            return ""
        page = log_html(entries, self.today)
        inner = page[page.index("<main>") + 6: page.index("</main>")].replace("<h1>", "<h4>").replace("</h1>", "</h4>")
        self.preview_html.value = f'<section class="rc-card" aria-label="Preview of your CPD log">{inner}</section>'
        stamp = (self.today or date.today()).isoformat()
        self.html_file.offer(f"cpd-log-{stamp}.html", page)
        self.csv_file.offer(f"cpd-log-{stamp}.csv", log_csv(entries))
        self.previewed = page
        self.message = "Preview ready: download the files below, or save them in a folder."
        return page

    def _withdraw_export(self) -> None:
        if self.previewed:
            self.previewed = ""
            self.html_file.clear()
            self.csv_file.clear()
            self.preview_html.value = ('<p class="rc-muted">Your log has changed since the preview; preview it '
                                       "again to export it.</p>")

    def refresh(self) -> None:
        self._render()

    def clear(self) -> None:
        self.values = {}
        self.themes = []
        self.problems = {}
        self.editing = ""

    def save(self) -> str | None:
        """Validate and save the form (a new entry, or changes to the one being edited)."""
        data = {**self.values, "themes": list(self.themes)}
        if self.editing:
            old = next((e for e in self.entries() if e["id"] == self.editing), None)
            if old:
                data["module"], data["source"] = old.get("module", ""), old.get("source", "manual")
        try:
            saved = validate_entry(data, self.today)
        except CPDError as exc:
            self.problems = exc.problems
            self.message = ""
            return None

        def keep() -> str:
            if self.editing:
                update_entry(self.store, self.editing, data, self.today)
                return self.editing
            return add_entry(self.store, data, self.today)

        rid = guarded(keep, self, "The entry could not be saved just now. Your typing is still here: please try again.",
                      what="saving a CPD entry")
        if rid is None:
            return None
        hint = participatory_hint(saved)
        self.problems = {}
        self.values = {}
        self.themes = []
        self.editing = ""
        self.message = "Saved to your CPD log." + (f" {hint}" if hint else "")
        self._changed("cpd")
        return rid

    def add_modules(self) -> list[str]:
        added = guarded(lambda: add_completed_modules(self.store, self.outline, self.today), self,
                        "The modules could not be added just now; please try again.",
                        what="adding modules to the CPD log")
        if added is None:
            return []
        if added:
            self.message = (f"Added {len(added)} module{'s' if len(added) > 1 else ''} to your CPD log. Check the "
                            "wording of 'how it relates to my practice' and make it your own.")
            self._changed("cpd")
        else:
            self.message = "There are no completed modules that are not already in your log."
        return added

    def edit(self, rid: str) -> None:
        entry = next((e for e in self.entries() if e["id"] == rid), None)
        if entry is None:
            self.message = "Choose an entry to change first."
            return
        self.problems = {}
        self.values = {k: ("" if entry.get(k) is None else f"{entry[k]:g}" if isinstance(entry.get(k), float)
                           else str(entry.get(k))) for k in FORM_FIELDS}
        self.themes = list(entry.get("themes", []))
        self.editing = rid
        self.message = ""

    def ask_delete(self, rid: str) -> None:
        if not any(e["id"] == rid for e in self.entries()):
            self.message = "Choose an entry to delete first."
            return
        self.confirming = rid

    def delete(self) -> bool:
        rid = self.confirming
        if not rid:
            return False
        if guarded(lambda: delete_entry(self.store, rid) or True, self,
                   "The entry could not be deleted just now; it is still in your log.",
                   what="deleting a CPD entry") is None:
            return False
        self.confirming = ""
        if self.editing == rid:
            self.clear()
        self.message = "Deleted from your CPD log."
        self._changed("cpd")
        return True

    def _render(self, change=None):
        self._syncing = True
        try:
            for k, w in self.inputs.items():
                want = self.values.get(k, "")
                if (w.value or "") != want:
                    w.value = want if k != "method" or want in METHODS else ""
            for k, b in self.theme_buttons.items():
                b.value = k in self.themes
        finally:
            self._syncing = False
        if change is not None and change["name"] in ("values", "themes"):
            return
        self.form_title.value = ("<h3>Change this entry</h3>" if self.editing else "<h3>Add an entry</h3>")
        self.save_button.description = "Save changes" if self.editing else "Save entry"
        self.clear_button.description = "Cancel changes" if self.editing else "Clear the form"
        self.problems_html.value = problems_html(self.problems)
        self.status_html.value = self._status()
        entries = self.entries()
        done = completed_modules(self.store, self.outline)
        logged = {e.get("module") for e in entries if e.get("source") == "course"}
        waiting = [m for m, _ in done if m.id not in logged]
        self.modules_html.value = (f'<p class="rc-muted">{len(waiting)} completed module'
                                   f"{'' if len(waiting) == 1 else 's'} not yet in your log.</p>")
        self.modules_button.disabled = not waiting
        if self.previewed and log_html(entries, self.today) != self.previewed:
            self._withdraw_export()
        opts = [("Choose an entry...", "")] + [(f"{display_date(e['date'])} · {e['topic']}"[:120], e["id"])
                                               for e in entries]
        if list(self.chooser.options) != opts:
            self.chooser.options = opts
        self.table_html.value = self._table(entries)
        if self.confirming:
            e = next((x for x in entries if x["id"] == self.confirming), None)
            what = esc(f"{display_date(e['date'])} · {e['topic']}") if e else "this entry"
            self.confirm_box.children = [widgets.HTML(f'<div class="rc-warn" role="alert"><p>Delete {what} from '
                                                      "your CPD log? This cannot be undone.</p></div>"),
                                         widgets.HBox([self.yes_button, self.no_button])]
        else:
            self.confirm_box.children = []

    def _table(self, entries: list[dict]) -> str:
        if not entries:
            return "<h3>Your CPD log</h3><p>No entries yet.</p>"
        return (f"<h3>Your CPD log</h3><p>{esc(log_summary(entries))}</p><div style=\"overflow-x:auto\">"
                f"{log_table_html(entries)}</div>")


def cpd_log(**kwargs) -> CPDLog:
    return CPDLog(**kwargs)
