"""The journal widget: everything the learner has written, searchable, editable and deletable."""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Bool, TraitError, Unicode, validate

from ..core.course import Outline
from ..core.html import esc, paragraphs
from ..core.store import Store, StoreError
from ..ui.controls import button, text_input
from ..ui.guard import guarded
from ..ui.style import LABEL_STYLE, message_html
from .base_widgets import RecordWidget
from .common import counted, module_label
from .journal import JournalEntry, delete_journal_entry, journal_entries, update_journal_entry

__all__ = ["Journal", "my_record"]


class Journal(RecordWidget):
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
        self._entries: list[JournalEntry] = []
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
        self.save_button.on_click(lambda _b: self.save())
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
    def entries(self) -> list[JournalEntry]:
        return list(self._entries)

    def visible(self) -> list[JournalEntry]:
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

    def entry(self, key: str) -> JournalEntry | None:
        return next((e for e in self._entries if e.key == key), None)

    def refresh(self) -> None:
        self._entries = journal_entries(self.store, self.outline)
        if self.selected and not self.entry(self.selected):
            self.selected = ""
        self._render()

    def save(self) -> bool:
        """Save the changes typed into the chosen entry (to the learner's store)."""
        e = self.entry(self.selected)
        if e is None:
            self.message = "Choose an entry first."
            return False
        texts = [a.value for a in self.edit_areas]
        if guarded(lambda: update_journal_entry(self.store, e, texts) or True, self,
                   "Your changes could not be saved just now. They are still in the boxes: please try again.",
                   what="saving a journal edit") is None:
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
        def remove() -> bool:
            try:
                delete_journal_entry(self.store, e)
            except StoreError:  # explained in plain words: close the question, show why
                self.confirming = False
                raise
            return True

        if guarded(remove, self, "The entry could not be deleted just now; it is still in your journal.",
                   what="deleting a journal entry") is None:
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

    def _list_html(self, shown: list[JournalEntry]) -> str:
        total = len(self._entries)
        if not total:
            return ('<div class="rc-note"><p>Your journal is empty so far. Reflections, After Action Reviews, '
                    "journal forms, support plans and self-check results you save in the course will appear "
                    "here.</p></div>")
        head = f'<p role="status">Showing {len(shown)} of {counted(total, "entry", "entries")}.</p>'
        if not shown:
            return head + "<p>Nothing matches. Try fewer or different words, or another module.</p>"
        order = {m.id: n for n, m in enumerate(self.outline.modules)}
        groups: dict[str, list[JournalEntry]] = {}
        for e in shown:
            groups.setdefault(e.module if e.module in order else "course", []).append(e)
        parts = [head]
        for mod in sorted(groups, key=lambda m: order.get(m, len(order))):
            parts.append(f"<h3>{esc(module_label(mod, self.outline))}</h3>")
            for e in sorted(groups[mod], key=lambda x: x.stamp):
                body = "".join(f'<p class="rc-muted">{esc(label)}</p>{paragraphs(text)}' if len(e.fields) > 1
                               else paragraphs(text) for label, text in e.fields if text)
                parts.append(f'<article class="rc-card"><h4>{esc(e.kind_label)}: {esc(e.title)}</h4>'
                             f'<p class="rc-muted">{esc(e.day_text)}</p>{body}</article>')
        return "".join(parts)


def my_record(**kwargs) -> Journal:
    return Journal(**kwargs)
