"""Widgets for "My record": the journal, the CPD log, revalidation progress, reflective accounts, certificate.

The engine (:mod:`resilience_course.record.model`) does the work; these widgets only show it. When one
of them changes the learner's data, the others on the page showing the same store refresh.
"""

from __future__ import annotations

import weakref
from datetime import date

import ipywidgets as widgets
from traitlets import Bool, Dict, Instance, List, TraitError, Unicode, validate

from ..core.course import Outline, load_outline
from ..core.html import esc, paragraphs
from ..core.store import Store, StoreError
from ..ui.common import LABEL_STYLE, WIDE, button, get_store, log, message_html, text_input
from . import model as cpd

__all__ = ["Journal", "CPDLog", "RevalidationPanel", "ReflectiveAccountBuilder", "CertificatePanel",
           "my_record", "cpd_log", "revalidation", "reflective_account", "certificate"]

_LIVE: weakref.WeakSet = weakref.WeakSet()


def _announce(source) -> None:
    """Tell the other record widgets on the page (same store) that the learner's data changed."""
    for w in list(_LIVE):
        if w is not source and getattr(w, "store", None) is source.store:
            try:
                w.refresh()
            except Exception:
                log.exception("refreshing a record widget failed")




def _problems_html(problems: dict) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{esc(m)}</li>" for m in problems.values())
    return (f'<div class="rc-warn" role="alert"><p>Nothing was saved yet. Please check:</p><ul>{items}</ul>'
            "</div>")


class _RecordWidget(widgets.VBox):
    """Shared plumbing: the store, callbacks and registration for page-wide refresh."""

    message = Unicode("", help="Status message shown to the learner")
    store = Instance(Store, allow_none=True, help="The learner store")

    def __init__(self, store: Store | None = None, outline: Outline | None = None, today: date | None = None,
                 **kwargs):
        self._callbacks: list = []
        super().__init__(**kwargs)
        self.store = get_store(store)
        self.outline = outline or load_outline()
        self.today = today
        self.add_class("rc-record")
        _LIVE.add(self)

    def on_submit(self, callback, remove: bool = False):
        """Call ``callback(widget, what)`` after the learner saves, changes or deletes something."""
        (self._callbacks.remove if remove else self._callbacks.append)(callback)

    def _changed(self, what: str) -> None:
        _announce(self)
        for cb in list(self._callbacks):
            cb(self, what)

    def refresh(self) -> None:  # pragma: no cover - overridden
        pass

    def _status(self) -> str:
        if not self.message:
            return ""
        ok = self.message.startswith(("Saved", "Deleted", "Added", "Written", "Your changes", "Draft", "Preview"))
        return message_html(self.message, "ok" if ok else "warn")


# -- the journal ---------------------------------------------------------------------------------
class Journal(_RecordWidget):
    """Everything the learner has written, by module and date: search, edit and delete (with a confirm step).

    Parameters
    ----------
    store : Store, optional
    outline : Outline, optional
    """

    query = Unicode("", help="Words to search for (all must appear)")
    module_filter = Unicode("", help="Module id to show, 'course' for course-wide entries, '' for everything")
    selected = Unicode("", help="Key of the entry chosen for editing ('' for none)")
    confirming = Bool(False, help="Whether the 'really delete?' step is showing")

    def __init__(self, store: Store | None = None, outline: Outline | None = None, **kwargs):
        super().__init__(store, outline, **kwargs)
        self._entries: list[cpd.JournalEntry] = []
        self.search = text_input("Search my journal", placeholder="Type a word, for example supervision")
        self.search.observe(lambda ch: setattr(self, "query", ch["new"]), names="value")
        mods = [(f"Module {m.number}: {m.title}", m.id) for m in self.outline.modules]
        self.module_dd = widgets.Dropdown(options=[("All modules", ""), *mods, ("Course-wide (self-checks)", "course")],
                                          value="", description="Show", style=LABEL_STYLE)
        self.module_dd.observe(lambda ch: setattr(self, "module_filter", ch["new"] or ""), names="value")
        self.list_html = widgets.HTML()
        self.chooser = widgets.Dropdown(options=[("Choose an entry...", "")], value="",
                                        description="Entry to edit or delete", style=LABEL_STYLE,
                                        layout=widgets.Layout(width="100%"))
        self.chooser.observe(lambda ch: setattr(self, "selected", ch["new"] or ""), names="value")
        self.edit_box = widgets.VBox()
        self.edit_areas: list[widgets.Textarea] = []
        self.save_button = button("Save changes", button_style="primary", icon="save")
        self.save_button.on_click(lambda _b: self.save_edit())
        self.delete_button = button("Delete this entry", icon="trash",
                                            tooltip="Delete this entry (you will be asked to confirm)")
        self.delete_button.on_click(lambda _b: self.ask_delete())
        self.yes_button = button("Yes, delete it", button_style="danger")
        self.yes_button.on_click(lambda _b: self.delete())
        self.no_button = button("No, keep it")
        self.no_button.on_click(lambda _b: setattr(self, "confirming", False))
        self.confirm_box = widgets.VBox([widgets.HTML('<div class="rc-warn" role="alert"><p>Delete this entry? '
                                                      "This cannot be undone.</p></div>"),
                                         widgets.HBox([self.yes_button, self.no_button])])
        self.status_html = widgets.HTML()
        notice = message_html(self.store.notice, "warn") if self.store.notice else ""
        intro = widgets.HTML('<div class="rc-page"><p>Everything you have written in the course, kept only on this '
                             "computer. Search it, choose a module, or pick an entry to change or delete it.</p>"
                             f"{notice}</div>")
        self.children = [intro, widgets.HBox([self.module_dd]), self.search, self.list_html, self.chooser,
                         self.edit_box, self.status_html]
        self.observe(self._render, names=["query", "module_filter", "selected", "confirming", "message"])
        self.refresh()

    @validate("module_filter")
    def _valid_module(self, proposal):
        value = proposal["value"]
        if value not in ("", "course") and value not in [m.id for m in self.outline.modules]:
            raise TraitError(f"{value!r} is not a module of the course")
        return value

    @property
    def entries(self) -> list[cpd.JournalEntry]:
        return list(self._entries)

    def visible(self) -> list[cpd.JournalEntry]:
        """The entries that match the module filter and the search words."""
        out = []
        for e in self._entries:
            mod = e.module if e.module and e.module != "course" else "course"
            if self.module_filter and mod != self.module_filter:
                continue
            if self.query and not e.matches(self.query):
                continue
            out.append(e)
        return out

    def entry(self, key: str) -> cpd.JournalEntry | None:
        return next((e for e in self._entries if e.key == key), None)

    def refresh(self) -> None:
        self._entries = cpd.journal_entries(self.store, self.outline)
        if self.selected and not self.entry(self.selected):
            self.selected = ""
        self._render()

    def save_edit(self) -> bool:
        e = self.entry(self.selected)
        if e is None:
            self.message = "Choose an entry first."
            return False
        try:
            cpd.update_journal_entry(self.store, e, [a.value for a in self.edit_areas])
        except StoreError as exc:
            self.message = str(exc)
            return False
        except Exception:
            log.exception("saving a journal edit failed")
            self.message = "Your changes could not be saved just now. They are still in the boxes: please try again."
            return False
        self.message = "Your changes are saved."
        key = self.selected
        self.refresh()
        self.selected = key
        self._build_editor()
        self._changed("edit")
        return True

    def ask_delete(self) -> None:
        if not self.entry(self.selected):
            self.message = "Choose an entry first."
            return
        self.confirming = True

    def delete(self) -> bool:
        e = self.entry(self.selected)
        if e is None or not self.confirming:
            self.message = "Choose an entry and confirm first."
            return False
        try:
            cpd.delete_journal_entry(self.store, e)
        except StoreError as exc:
            self.confirming = False
            self.message = str(exc)
            return False
        except Exception:
            log.exception("deleting a journal entry failed")
            self.message = "The entry could not be deleted just now; it is still in your journal."
            return False
        self.confirming = False
        self.selected = ""
        self.message = "Deleted."
        self.refresh()
        self._changed("delete")
        return True

    def _build_editor(self) -> None:
        e = self.entry(self.selected)
        if e is None:
            self.edit_areas = []
            self.edit_box.children = []
            return
        if not e.editable:
            self.edit_areas = []
            self.edit_box.children = [widgets.HTML(
                '<div class="rc-note"><p>Self-check results are scores, so they cannot be edited; take the check '
                "again instead. You can delete this result if you no longer want to keep it.</p></div>"),
                self.delete_button]
            return
        self.edit_areas = [text_input(label, value=text, area=True) for label, text in e.fields]
        self.edit_box.children = [widgets.HTML(f"<h3>Change this entry</h3><p class=\"rc-muted\">"
                                               f"{esc(e.label(self.outline))}</p>"),
                                  *self.edit_areas, widgets.HBox([self.save_button, self.delete_button])]

    def _render(self, change=None):
        if change is not None and change["name"] == "selected":
            self.confirming = False
            self._build_editor()
        if self.search.value != self.query:
            self.search.value = self.query
        if (self.module_dd.value or "") != self.module_filter:
            self.module_dd.value = self.module_filter
        shown = self.visible()
        opts = [("Choose an entry...", "")] + [(e.label(self.outline)[:120], e.key) for e in shown]
        if self.selected and self.selected not in [k for _, k in opts]:
            e = self.entry(self.selected)
            if e:
                opts.append((e.label(self.outline)[:120], e.key))
        if list(self.chooser.options) != opts:
            self.chooser.options = opts
        if self.chooser.value != self.selected:
            self.chooser.value = self.selected
        self.list_html.value = self._list_html(shown)
        if self.confirming and self.confirm_box not in self.edit_box.children:
            self.edit_box.children = [*self.edit_box.children, self.confirm_box]
        elif not self.confirming and self.confirm_box in self.edit_box.children:
            self.edit_box.children = [c for c in self.edit_box.children if c is not self.confirm_box]
        self.status_html.value = self._status()

    def _list_html(self, shown: list[cpd.JournalEntry]) -> str:
        total = len(self._entries)
        if not total:
            return ('<div class="rc-note"><p>Your journal is empty so far. Reflections, After Action Reviews, '
                    "journal forms and self-check results you save in the course will appear here.</p></div>")
        head = f'<p role="status">Showing {len(shown)} of {total} entries.</p>'
        if not shown:
            return head + "<p>Nothing matches. Try fewer or different words, or another module.</p>"
        order = {m.id: n for n, m in enumerate(self.outline.modules)}
        groups: dict[str, list[cpd.JournalEntry]] = {}
        for e in shown:
            groups.setdefault(e.module if e.module in order else "course", []).append(e)
        parts = [head]
        for mod in sorted(groups, key=lambda m: order.get(m, len(order))):
            parts.append(f"<h3>{esc(cpd.module_label(mod, self.outline))}</h3>")
            for e in sorted(groups[mod], key=lambda x: x.stamp):
                body = "".join(f'<p class="rc-muted">{esc(label)}</p>{paragraphs(text)}' if len(e.fields) > 1
                               else paragraphs(text) for label, text in e.fields if text)
                parts.append(f'<article class="rc-card"><h4>{esc(e.kind_label)}: {esc(e.title)}</h4>'
                             f'<p class="rc-muted">{esc(e.day_text)}</p>{body}</article>')
        return "".join(parts)


# -- the CPD log ---------------------------------------------------------------------------------
FORM_FIELDS = ("date", "method", "topic", "practice", "hours", "participatory_hours", "evidence")


class CPDLog(_RecordWidget):
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

    def __init__(self, store: Store | None = None, outline: Outline | None = None, today: date | None = None,
                 **kwargs):
        super().__init__(store, outline, today, **kwargs)
        self._syncing = False
        self.inputs = {
            "date": text_input("Date", placeholder="2024-05-20 or 20/05/2024"),
            "method": widgets.Dropdown(options=[("Choose...", "")] + [(lab, k) for k, (lab, _) in cpd.METHODS.items()],
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
                                                      layout=widgets.Layout(width="auto"))
                              for k, lab in cpd.CODE_THEMES.items()}
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
                                      layout=widgets.Layout(flex_flow="row wrap")),
                         self.inputs["evidence"], widgets.HBox([self.save_button, self.clear_button]),
                         self.problems_html, self.hint_html, self.status_html, self.table_html, self.chooser,
                         widgets.HBox([self.edit_button, self.delete_button]), self.confirm_box]
        self.observe(self._render, names=["values", "themes", "problems", "editing", "confirming", "message"])
        self.refresh()

    @validate("themes")
    def _valid_themes(self, proposal):
        bad = [t for t in proposal["value"] if t not in cpd.CODE_THEMES]
        if bad:
            raise TraitError(f"{bad} are not themes of the Code; use {list(cpd.CODE_THEMES)}")
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
        return cpd.log_entries(self.store)

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
            if self.editing:
                cpd.update_entry(self.store, self.editing, data, self.today)
                rid = self.editing
            else:
                rid = cpd.add_entry(self.store, data, self.today)
        except cpd.CPDError as exc:
            self.problems = exc.problems
            self.message = ""
            return None
        except StoreError as exc:
            self.message = str(exc)
            return None
        except Exception:
            log.exception("saving a CPD entry failed")
            self.message = "The entry could not be saved just now. Your typing is still here: please try again."
            return None
        saved = cpd.validate_entry(data, self.today)
        hint = cpd.participatory_hint(saved)
        self.problems = {}
        self.values = {}
        self.themes = []
        self.editing = ""
        self.message = "Saved to your CPD log." + (f" {hint}" if hint else "")
        self._changed("cpd")
        return rid

    def add_modules(self) -> list[str]:
        try:
            added = cpd.add_completed_modules(self.store, self.outline, self.today)
        except Exception:
            log.exception("adding modules to the CPD log failed")
            self.message = "The modules could not be added just now; please try again."
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
        try:
            cpd.delete_entry(self.store, rid)
        except Exception:
            log.exception("deleting a CPD entry failed")
            self.message = "The entry could not be deleted just now; it is still in your log."
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
                    w.value = want if k != "method" or want in cpd.METHODS else ""
            for k, b in self.theme_buttons.items():
                b.value = k in self.themes
        finally:
            self._syncing = False
        if change is not None and change["name"] in ("values", "themes"):
            return
        self.form_title.value = ("<h3>Change this entry</h3>" if self.editing else "<h3>Add an entry</h3>")
        self.save_button.description = "Save changes" if self.editing else "Save entry"
        self.clear_button.description = "Cancel changes" if self.editing else "Clear the form"
        self.problems_html.value = _problems_html(self.problems)
        self.status_html.value = self._status()
        entries = self.entries()
        done = cpd.completed_modules(self.store, self.outline)
        logged = {e.get("module") for e in entries if e.get("source") == "course"}
        waiting = [m for m, _ in done if m.id not in logged]
        self.modules_html.value = (f'<p class="rc-muted">{len(waiting)} completed module'
                                   f"{'' if len(waiting) == 1 else 's'} not yet in your log.</p>")
        self.modules_button.disabled = not waiting
        opts = [("Choose an entry...", "")] + [(f"{e['date']} · {e['topic']}"[:120], e["id"]) for e in entries]
        if list(self.chooser.options) != opts:
            self.chooser.options = opts
        self.table_html.value = self._table(entries)
        if self.confirming:
            e = next((x for x in entries if x["id"] == self.confirming), None)
            what = esc(f"{e['date']} · {e['topic']}") if e else "this entry"
            self.confirm_box.children = [widgets.HTML(f'<div class="rc-warn" role="alert"><p>Delete {what} from '
                                                      "your CPD log? This cannot be undone.</p></div>"),
                                         widgets.HBox([self.yes_button, self.no_button])]
        else:
            self.confirm_box.children = []

    def _table(self, entries: list[dict]) -> str:
        if not entries:
            return "<h3>Your CPD log</h3><p>No entries yet.</p>"
        rows = []
        for e in entries:
            themes = ", ".join(cpd.CODE_THEMES[t] for t in e.get("themes", []) if t in cpd.CODE_THEMES)
            rows.append(f"<tr><th scope=\"row\">{esc(e.get('date'))}</th><td>{esc(e.get('topic'))}</td>"
                        f"<td>{esc(cpd.METHODS.get(e.get('method'), (e.get('method'), False))[0])}</td>"
                        f"<td>{esc(e.get('hours'))}</td><td>{esc(e.get('participatory_hours'))}</td>"
                        f"<td>{esc(themes)}</td><td>{paragraphs(e.get('practice', ''))}</td>"
                        f"<td>{paragraphs(e.get('evidence', ''))}</td></tr>")
        hours = sum(float(e.get("hours") or 0) for e in entries)
        part = sum(float(e.get("participatory_hours") or 0) for e in entries)
        head = "".join(f'<th scope="col">{h}</th>' for h in ("Date", "Topic", "Method", "Hours", "Participatory hours",
                                                             "Themes of the Code", "How it relates to practice",
                                                             "Evidence"))
        return (f"<h3>Your CPD log</h3><p>{len(entries)} entries, {hours:g} hours in all, of which "
                f"{part:g} participatory.</p><div style=\"overflow-x:auto\"><table class=\"rc-table\">"
                f"<caption>CPD log</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
                "</div>")


# -- revalidation progress ---------------------------------------------------------------------
class RevalidationPanel(_RecordWidget):
    """Progress toward 35 hours of CPD (20 participatory) and 5 reflective accounts, as a chart and a table."""

    revalidation_date = Unicode("", help="The learner's next revalidation date (ISO), '' for 'the last 3 years'")

    def __init__(self, store: Store | None = None, outline: Outline | None = None, today: date | None = None,
                 **kwargs):
        super().__init__(store, outline, today, **kwargs)
        self.date_input = text_input("My next revalidation date", placeholder="for example 31/03/2027 (optional)")
        self.save_button = button("Use this date", icon="calendar")
        self.save_button.on_click(lambda _b: self.set_date(self.date_input.value))
        self.summary_html = widgets.HTML()
        self.status_html = widgets.HTML()
        self.children = [widgets.HTML('<div class="rc-page"><p>NMC revalidation asks, every three years, for at '
                                      f"least {cpd.TARGETS['hours']:g} hours of CPD, of which "
                                      f"{cpd.TARGETS['participatory']:g} are participatory, and "
                                      f"{cpd.TARGETS['accounts']} written reflective accounts. Enter your "
                                      "revalidation date to count your current cycle; without it, the last three "
                                      "years are counted.</p></div>"),
                         widgets.HBox([self.date_input, self.save_button]), self.status_html, self.summary_html]
        self.revalidation_date = cpd.get_settings(self.store).get("revalidation_date", "")
        self.date_input.value = self.revalidation_date
        self.observe(self._render, names=["revalidation_date", "message"])
        self.refresh()

    def set_date(self, text: str) -> bool:
        try:
            saved = cpd.save_settings(self.store, text)
        except ValueError as exc:
            self.message = str(exc)
            return False
        except Exception:
            log.exception("saving the revalidation date failed")
            self.message = "The date could not be saved just now; please try again."
            return False
        self.message = "Saved your revalidation date." if saved["revalidation_date"] else \
            "Saved: counting the last three years."
        self.revalidation_date = saved["revalidation_date"]
        return True

    def summary(self) -> cpd.Revalidation:
        acc = [a.get("date", "") for a in cpd.accounts(self.store)]
        return cpd.revalidation_summary(cpd.log_entries(self.store), acc, self.revalidation_date or None, self.today)

    def refresh(self) -> None:
        self.summary_html.value = self.summary().to_html()
        self.status_html.value = self._status()

    def _render(self, change=None):
        if change is None or change["name"] == "revalidation_date":
            self.refresh()
        else:
            self.status_html.value = self._status()


# -- reflective accounts -------------------------------------------------------------------------
class ReflectiveAccountBuilder(_RecordWidget):
    """Draft a written reflective account from chosen journal entries, edit it, preview it, save and export it.

    Parameters
    ----------
    store : Store, optional
    outline : Outline, optional
    today : datetime.date, optional
    folder : str, optional
        Where files are written (default: the learner's Documents folder).
    """

    chosen = List(Unicode(), help="Keys of the journal entries chosen to draft from")
    account = Dict(help="The account being written: title, date, activity, learned, changed, code, themes")
    previewed = Unicode("", help="A fingerprint of the account as last previewed ('' when not previewed)")
    editing = Unicode("", help="Id of the saved account being changed ('' for a new one)")
    confirming = Bool(False, help="Whether the delete confirmation is showing")
    problems = Dict(help="Field -> message from the last check")

    def __init__(self, store: Store | None = None, outline: Outline | None = None, today: date | None = None,
                 folder: str | None = None, **kwargs):
        super().__init__(store, outline, today, **kwargs)
        self._syncing = False
        self._entries: list[cpd.JournalEntry] = []
        self.pick_box = widgets.VBox()
        self.pick_buttons: dict[str, widgets.ToggleButton] = {}
        self.draft_button = button("Draft from the chosen entries", icon="magic")
        self.draft_button.on_click(lambda _b: self.draft())
        self.inputs = {"title": text_input("Title"), "date": text_input("Date", placeholder="2024-05-20 or 20/05/2024")}
        for k, q in cpd.ACCOUNT_FIELDS.items():
            self.inputs[k] = text_input(q, area=True)
        for w in self.inputs.values():
            w.observe(self._typed, names="value")
        self.theme_buttons = {k: widgets.ToggleButton(value=False, description=lab, layout=widgets.Layout(width="auto"))
                              for k, lab in cpd.CODE_THEMES.items()}
        for b in self.theme_buttons.values():
            b.observe(self._typed, names="value")
        self.preview_button = button("Preview", icon="eye")
        self.preview_button.on_click(lambda _b: self.preview())
        self.save_button = button("Save to my record", icon="save", button_style="primary")
        self.save_button.on_click(lambda _b: self.save())
        self.folder = text_input("Folder to save files in", value=folder or str(cpd.default_export_folder()))
        self.write_button = button("Write HTML and Markdown files", icon="download")
        self.write_button.on_click(lambda _b: self.write_files())
        self.saved_dd = widgets.Dropdown(options=[("Choose a saved account...", "")], value="",
                                         description="My saved accounts", style=LABEL_STYLE, layout=WIDE)
        self.open_button = button("Open to change it", icon="folder-open")
        self.open_button.on_click(lambda _b: self.open_account(self.saved_dd.value))
        self.delete_button = button("Delete it", icon="trash")
        self.delete_button.on_click(lambda _b: self.ask_delete())
        self.yes_button = button("Yes, delete it", button_style="danger")
        self.yes_button.on_click(lambda _b: self.delete())
        self.no_button = button("No, keep it")
        self.no_button.on_click(lambda _b: setattr(self, "confirming", False))
        self.confirm_box = widgets.VBox()
        self.preview_html = widgets.HTML()
        self.problems_html = widgets.HTML()
        self.status_html = widgets.HTML()
        reminder = widgets.HTML(f'<div class="rc-note"><p><strong>Keep it anonymous.</strong> '
                                f"{esc(cpd.PRIVACY_REMINDER)}</p></div>")
        intro = widgets.HTML(
            '<div class="rc-page"><p>A written reflective account answers four questions: what happened, what you '
            "learned, how your practice changed (or will), and how it relates to the Code. Choose the journal "
            "entries you want to use, draft the account from them, then make it your own. You choose what goes "
            "in; nothing leaves this computer unless you write a file.</p></div>")
        self.children = [intro, reminder, widgets.HTML("<h3>1. Choose entries from your journal</h3>"), self.pick_box,
                         self.draft_button, widgets.HTML("<h3>2. Write your account</h3>"), *self.inputs.values(),
                         widgets.HTML('<p class="rc-item-text">Themes of the Code (choose one or more)</p>'),
                         widgets.HBox(list(self.theme_buttons.values()), layout=widgets.Layout(flex_flow="row wrap")),
                         widgets.HTML("<h3>3. Preview, then save or write files</h3>"),
                         widgets.HBox([self.preview_button, self.save_button]), self.folder, self.write_button,
                         self.problems_html, self.status_html, self.preview_html,
                         widgets.HTML("<h3>Your saved accounts</h3>"), self.saved_dd,
                         widgets.HBox([self.open_button, self.delete_button]), self.confirm_box]
        self.observe(self._render, names=["chosen", "account", "previewed", "editing", "confirming", "problems",
                                          "message"])
        self.account = {"date": (today or date.today()).isoformat(), "themes": []}
        self.refresh()

    @validate("chosen")
    def _valid_chosen(self, proposal):
        keys = {e.key for e in self._entries}
        bad = [k for k in proposal["value"] if k not in keys]
        if bad:
            raise TraitError(f"{bad} are not entries of the journal")
        return list(dict.fromkeys(proposal["value"]))

    @validate("account")
    def _valid_account(self, proposal):
        value = dict(proposal["value"])
        bad = set(value) - {"title", "date", "themes", "sources", *cpd.ACCOUNT_FIELDS}
        if bad:
            raise TraitError(f"unknown field(s) {sorted(bad)} in a reflective account")
        if any(t not in cpd.CODE_THEMES for t in value.get("themes", [])):
            raise TraitError("themes must be themes of the Code")
        return value

    def _fingerprint(self) -> str:
        import hashlib
        import json

        return hashlib.sha256(json.dumps(self.account, sort_keys=True).encode()).hexdigest()

    def _typed(self, change):
        if self._syncing:
            return
        acc = {k: w.value for k, w in self.inputs.items()}
        acc["themes"] = [k for k, b in self.theme_buttons.items() if b.value]
        acc["sources"] = list(self.account.get("sources", []))
        self.account = acc

    def refresh(self) -> None:
        self._entries = cpd.journal_entries(self.store, self.outline)
        keys = {e.key for e in self._entries}
        self.pick_buttons = {}
        for e in reversed(self._entries):
            b = widgets.ToggleButton(value=e.key in self.chosen, description=e.label(self.outline)[:90],
                                     tooltip=e.label(self.outline), layout=widgets.Layout(width="auto", height="auto"))
            b.observe(self._picked, names="value")
            self.pick_buttons[e.key] = b
        self.pick_box.children = list(self.pick_buttons.values()) or [
            widgets.HTML('<p class="rc-muted">Your journal is empty so far: save a reflection in the course first, '
                         "or write your account straight into the boxes below.</p>")]
        self.pick_box.add_class("rc-choices")
        if any(k not in keys for k in self.chosen):
            self.chosen = [k for k in self.chosen if k in keys]
        self._render()

    def _picked(self, change):
        if self._syncing:
            return
        self.chosen = [k for k, b in self.pick_buttons.items() if b.value]

    def draft(self) -> dict | None:
        picked = [e for e in self._entries if e.key in self.chosen]
        try:
            drafted = cpd.draft_account(picked, self.outline, self.today)
        except ValueError as exc:
            self.message = str(exc)
            return None
        keep_themes = self.account.get("themes", [])
        self.account = {**drafted, "themes": keep_themes}
        self.problems = {}
        self.message = "Drafted from your entries. Now edit each part so it says what you mean."
        return drafted

    def preview(self) -> str:
        try:
            cpd.validate_account(self.account, self.today)
        except cpd.CPDError as exc:
            self.problems = exc.problems
            self.previewed = ""
            return ""
        self.problems = {}
        self.previewed = self._fingerprint()
        self.message = "Preview below. Read it through before you save or write it."
        return self.preview_html.value

    def _ready(self) -> bool:
        if not self.previewed or self.previewed != self._fingerprint():
            self.message = "Preview the account first (it has changed since the last preview)." if self.previewed \
                else "Preview the account first, so you can check it before it is kept."
            return False
        return True

    def save(self) -> str | None:
        if not self._ready():
            return None
        try:
            rid = cpd.save_account(self.store, self.account, self.today, self.editing or None)
        except cpd.CPDError as exc:
            self.problems = exc.problems
            return None
        except Exception:
            log.exception("saving a reflective account failed")
            self.message = "The account could not be saved just now. It is still here: please try again."
            return None
        self.editing = rid
        self.message = "Saved to your record. It now counts toward your revalidation."
        self._changed("account")
        return rid

    def write_files(self) -> list[str]:
        if not self._ready():
            return []
        clean = cpd.validate_account(self.account, self.today)
        stem = f"reflective-account-{clean['date']}"
        try:
            html_path = cpd.write_new_file(self.folder.value, f"{stem}.html", cpd.account_html(clean))
            md_path = cpd.write_new_file(self.folder.value, f"{stem}.md", cpd.account_markdown(clean))
        except OSError as exc:
            self.message = (f"The files could not be written to {self.folder.value!r} "
                            f"({exc.strerror or exc.__class__.__name__}). Choose another folder.")
            return []
        self.message = f"Written: {html_path} and {md_path}. Keep them somewhere private."
        return [str(html_path), str(md_path)]

    def open_account(self, rid: str) -> bool:
        acc = next((a for a in cpd.accounts(self.store) if a["id"] == rid), None)
        if acc is None:
            self.message = "Choose a saved account first."
            return False
        self.account = {k: v for k, v in acc.items() if k != "id"}
        self.editing = rid
        self.previewed = ""
        self.message = ""
        return True

    def ask_delete(self) -> None:
        if not self.saved_dd.value:
            self.message = "Choose a saved account first."
            return
        self.confirming = True

    def delete(self) -> bool:
        rid = self.saved_dd.value
        if not rid or not self.confirming:
            return False
        try:
            self.store.delete_record(rid)
        except Exception:
            log.exception("deleting a reflective account failed")
            self.message = "The account could not be deleted just now."
            return False
        self.confirming = False
        if self.editing == rid:
            self.editing = ""
        self.message = "Deleted the saved account."
        self._changed("account")
        self._render()
        return True

    def _render(self, change=None):
        self._syncing = True
        try:
            for k, w in self.inputs.items():
                want = str(self.account.get(k, "") or "")
                if w.value != want:
                    w.value = want
            for k, b in self.theme_buttons.items():
                b.value = k in self.account.get("themes", [])
            for k, b in self.pick_buttons.items():
                b.value = k in self.chosen
        finally:
            self._syncing = False
        if change is not None and change["name"] in ("chosen", "account"):
            if change["name"] == "account" and self.previewed and self.previewed != self._fingerprint():
                self.preview_html.value = ('<p class="rc-muted">You have changed the account since the preview; '
                                           "preview it again before saving or writing files.</p>")
            return
        self.problems_html.value = _problems_html(self.problems).replace("Nothing was saved yet. ", "")
        self.status_html.value = self._status()
        if self.previewed and self.previewed == self._fingerprint():
            clean = cpd.validate_account(self.account, self.today)
            text = " ".join(str(clean.get(k, "")) for k in ("title", *cpd.ACCOUNT_FIELDS))
            warnings = "".join(f"<li>{esc(w)}</li>" for w in cpd.identifier_warnings(text))
            warn = (f'<div class="rc-warn" role="alert"><p>Please check before sharing:</p><ul>{warnings}</ul></div>'
                    if warnings else "")
            body = cpd.account_html(clean)
            inner = body[body.index("<main>") + 6: body.index("</main>")].replace("<h1>", "<h4>").replace(
                "</h1>", "</h4>").replace("<h2>", "<h5>").replace("</h2>", "</h5>")
            self.preview_html.value = (f'{warn}<section class="rc-card" aria-label="Preview of your reflective '
                                       f'account">{inner}</section>')
        elif not self.previewed:
            self.preview_html.value = ""
        saved = cpd.accounts(self.store)
        opts = [("Choose a saved account...", "")] + [(f"{a.get('date')} · {a.get('title') or 'Reflective account'}"
                                                       [:120], a["id"]) for a in saved]
        if list(self.saved_dd.options) != opts:
            self.saved_dd.options = opts
        if self.confirming:
            self.confirm_box.children = [widgets.HTML('<div class="rc-warn" role="alert"><p>Delete this saved '
                                                      "account? This cannot be undone.</p></div>"),
                                         widgets.HBox([self.yes_button, self.no_button])]
        else:
            self.confirm_box.children = []


# -- certificate -----------------------------------------------------------------------------------
class CertificatePanel(_RecordWidget):
    """The certificate of completion: what is still missing, or a printable certificate to preview and write.

    Parameters
    ----------
    store : Store, optional
    outline : Outline, optional
    banks : dict, optional
        Module id -> question ids, instead of reading each module's questions.yml (tests).
    folder : str, optional
    """

    name = Unicode("", help="Optional name to print on the certificate (never saved)")
    previewed = Bool(False, help="Whether the certificate has been previewed")

    def __init__(self, store: Store | None = None, outline: Outline | None = None, banks: dict | None = None,
                 folder: str | None = None, **kwargs):
        super().__init__(store, outline, **kwargs)
        self.banks = banks
        self.status = None
        self.check_button = button("Check my progress again", icon="refresh")
        self.check_button.on_click(lambda _b: self.refresh())
        self.status_html = widgets.HTML()
        self.name_input = text_input("Name to print (optional, never saved)")
        self.name_input.observe(lambda ch: setattr(self, "name", ch["new"]), names="value")
        self.preview_button = button("Preview my certificate", icon="eye")
        self.preview_button.on_click(lambda _b: self.preview())
        self.folder = text_input("Folder to save it in", value=folder or str(cpd.default_export_folder()))
        self.write_button = button("Write the certificate file", icon="download",
                                           button_style="primary")
        self.write_button.on_click(lambda _b: self.write_file())
        self.ready_box = widgets.VBox([self.name_input, self.preview_button, self.folder, self.write_button])
        self.preview_html = widgets.HTML()
        self.message_html = widgets.HTML()
        self.children = [self.status_html, self.ready_box, self.message_html, self.preview_html, self.check_button]
        self.observe(self._render, names=["name", "previewed", "message"])
        self.refresh()

    @validate("name")
    def _valid_name(self, proposal):
        if len(proposal["value"]) > 120:
            raise TraitError("a name on the certificate can be at most 120 characters")
        return proposal["value"]

    def refresh(self) -> None:
        self.status = cpd.certificate_status(self.store, self.outline, self.banks)
        self.previewed = False
        self._render()

    def html(self) -> str:
        return cpd.certificate_html(self.status, self.name)

    def preview(self) -> str:
        if not self.status.complete:
            self.message = "The certificate is available once every module is complete."
            return ""
        self.previewed = False
        self.previewed = True
        self.message = "Preview below. Print it from the file once it is written."
        return self.preview_html.value

    def write_file(self) -> str | None:
        if not self.status.complete:
            self.message = "The certificate is available once every module is complete."
            return None
        if not self.previewed:
            self.message = "Preview the certificate first."
            return None
        try:
            path = cpd.write_new_file(self.folder.value, f"certificate-{self.status.completed_on}.html", self.html())
        except OSError as exc:
            self.message = (f"The certificate could not be written to {self.folder.value!r} "
                            f"({exc.strerror or exc.__class__.__name__}). Choose another folder.")
            return None
        self.message = f"Written: {path}. Open it in your browser and print it, or save it as a PDF."
        return str(path)

    def _render(self, change=None):
        s = self.status
        if change is not None and change["name"] == "name":
            self.previewed = False
        if s.complete:
            self.status_html.value = (f'<div class="rc-ok" role="status"><p><strong>Well done: you have completed '
                                      f"every module</strong> ({s.hours:g} hours of study, finishing on "
                                      f"{esc(s.completed_on)}). Your certificate is ready.</p></div>")
            self.ready_box.layout.display = None
        else:
            self.status_html.value = f'<div class="rc-note">{s.missing_html()}</div>'
            self.ready_box.layout.display = "none"
        self.message_html.value = self._status()
        if self.previewed and s.complete:
            body = self.html()
            inner = body[body.index("<main"): body.index("</main>") + 7]
            inner = inner.replace("<h1>", "<h4>").replace("</h1>", "</h4>").replace("<h2>", "<h5>").replace(
                "</h2>", "</h5>").replace("<main", "<div").replace("</main>", "</div>")
            self.preview_html.value = (f'<section class="rc-card" aria-label="Preview of your certificate">{inner}'
                                       "</section>")
        else:
            self.preview_html.value = ""


# -- factories used by ``rc.*`` ---------------------------------------------------------------------
def my_record(**kwargs) -> Journal:
    return Journal(**kwargs)


def cpd_log(**kwargs) -> CPDLog:
    return CPDLog(**kwargs)


def revalidation(**kwargs) -> RevalidationPanel:
    return RevalidationPanel(**kwargs)


def reflective_account(**kwargs) -> ReflectiveAccountBuilder:
    return ReflectiveAccountBuilder(**kwargs)


def certificate(**kwargs) -> CertificatePanel:
    return CertificatePanel(**kwargs)
