"""The reflective account builder: draft from the journal, edit, preview, save, write files."""

from __future__ import annotations

from datetime import date

import ipywidgets as widgets
from traitlets import Bool, Dict, List, TraitError, Unicode, validate

from ..core.course import Outline
from ..core.exports import export_dir as default_export_folder
from ..core.exports import write_new_file
from ..core.html import esc
from ..core.store import Store
from ..ui.controls import button, text_input
from ..ui.download import download_link_html
from ..ui.guard import guarded
from ..ui.looks import shared_layout
from ..ui.style import LABEL_STYLE, WIDE
from .base_widgets import RecordWidget, problems_html
from .common import CODE_THEMES, PRIVACY_REMINDER, CPDError
from .journal import JournalEntry, journal_entries
from .reflective_accounts import (
    ACCOUNT_FIELDS,
    account_html,
    account_markdown,
    accounts,
    draft_account,
    identifier_warnings,
    save_account,
    validate_account,
)

__all__ = ["ReflectiveAccountBuilder", "reflective_account"]


class ReflectiveAccountBuilder(RecordWidget):
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
        self._entries: list[JournalEntry] = []
        self.pick_box = widgets.VBox()
        self.pick_buttons: dict[str, widgets.ToggleButton] = {}
        self.draft_button = button("Draft from the chosen entries", icon="magic")
        self.draft_button.on_click(lambda _b: self.draft())
        self.inputs = {"title": text_input("Title"), "date": text_input("Date", placeholder="2024-05-20 or 20/05/2024")}
        for k, q in ACCOUNT_FIELDS.items():
            self.inputs[k] = text_input(q, area=True)
        for w in self.inputs.values():
            w.observe(self._typed, names="value")
        self.theme_buttons = {k: widgets.ToggleButton(value=False, description=lab, layout=shared_layout(width="auto"))
                              for k, lab in CODE_THEMES.items()}
        for b in self.theme_buttons.values():
            b.observe(self._typed, names="value")
        self.preview_button = button("Preview", icon="eye")
        self.preview_button.on_click(lambda _b: self.preview())
        self.save_button = button("Save to my record", icon="save", button_style="primary")
        self.save_button.on_click(lambda _b: self.save())
        self.folder = text_input("Folder to save files in", value=folder or str(default_export_folder()))
        self.write_button = button("Write HTML and Markdown files", icon="download")
        self.write_button.on_click(lambda _b: self.write())
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
                                f"{esc(PRIVACY_REMINDER)}</p></div>")
        intro = widgets.HTML(
            '<div class="rc-page"><p>A written reflective account answers four questions: what happened, what you '
            "learned, how your practice changed (or will), and how it relates to the Code. Choose the journal "
            "entries you want to use, draft the account from them, then make it your own. You choose what goes "
            "in; nothing leaves this computer unless you write a file.</p></div>")
        self.children = [intro, reminder, widgets.HTML("<h3>1. Choose entries from your journal</h3>"), self.pick_box,
                         self.draft_button, widgets.HTML("<h3>2. Write your account</h3>"), *self.inputs.values(),
                         widgets.HTML('<p class="rc-item-text">Themes of the Code (choose one or more)</p>'),
                         widgets.HBox(list(self.theme_buttons.values()), layout=shared_layout(flex_flow="row wrap")),
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
        bad = set(value) - {"title", "date", "themes", "sources", *ACCOUNT_FIELDS}
        if bad:
            raise TraitError(f"unknown field(s) {sorted(bad)} in a reflective account")
        if any(t not in CODE_THEMES for t in value.get("themes", [])):
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
        self._entries = journal_entries(self.store, self.outline)
        keys = {e.key for e in self._entries}
        self.pick_buttons = {}
        for e in reversed(self._entries):
            b = widgets.ToggleButton(value=e.key in self.chosen, description=e.label(self.outline)[:90],
                                     tooltip=e.label(self.outline), layout=shared_layout(width="auto", height="auto"))
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
            drafted = draft_account(picked, self.outline, self.today)
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
            validate_account(self.account, self.today)
        except CPDError as exc:
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
            validate_account(self.account, self.today)
        except CPDError as exc:
            self.problems = exc.problems
            return None
        rid = guarded(lambda: save_account(self.store, self.account, self.today, self.editing or None), self,
                      "The account could not be saved just now. It is still here: please try again.",
                      what="saving a reflective account")
        if rid is None:
            return None
        self.editing = rid
        self.message = "Saved to your record. It now counts toward your revalidation."
        self._changed("account")
        return rid

    def write(self) -> list[str]:
        """Write the previewed account as new private HTML and Markdown files; returns their paths."""
        if not self._ready():
            return []
        clean = validate_account(self.account, self.today)
        stem = f"reflective-account-{clean['date']}"
        try:
            html_path = write_new_file(self.folder.value, f"{stem}.html", account_html(clean))
            md_path = write_new_file(self.folder.value, f"{stem}.md", account_markdown(clean))
        except OSError as exc:
            self.message = (f"The files could not be written to {self.folder.value!r} "
                            f"({exc.strerror or exc.__class__.__name__}). Choose another folder.")
            return []
        self.message = f"Written: {html_path} and {md_path}. Keep them somewhere private."
        return [str(html_path), str(md_path)]

    def open_account(self, rid: str) -> bool:
        acc = next((a for a in accounts(self.store) if a["id"] == rid), None)
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
        if guarded(lambda: self.store.delete_record(rid) or True, self, "The account could not be deleted just now.",
                   what="deleting a reflective account") is None:
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
        self.problems_html.value = problems_html(self.problems).replace("Nothing was saved yet. ", "")
        self.status_html.value = self._status()
        if self.previewed and self.previewed == self._fingerprint():
            clean = validate_account(self.account, self.today)
            text = " ".join(str(clean.get(k, "")) for k in ("title", *ACCOUNT_FIELDS))
            warnings = "".join(f"<li>{esc(w)}</li>" for w in identifier_warnings(text))
            warn = (f'<div class="rc-warn" role="alert"><p>Please check before sharing:</p><ul>{warnings}</ul></div>'
                    if warnings else "")
            body = account_html(clean)
            inner = body[body.index("<main>") + 6: body.index("</main>")].replace("<h1>", "<h4>").replace(
                "</h1>", "</h4>").replace("<h2>", "<h5>").replace("</h2>", "</h5>")
            # the exact files, as browser downloads too (a learner on a shared server cannot open its folders)
            stem = f"reflective-account-{clean['date']}"
            links = (f'<p class="rc-download-row">{download_link_html(f"{stem}.html", account_html(clean))} '
                     f'{download_link_html(f"{stem}.md", account_markdown(clean))}</p>')
            self.preview_html.value = (f'{warn}{links}<section class="rc-card" aria-label="Preview of your reflective '
                                       f'account">{inner}</section>')
        elif not self.previewed:
            self.preview_html.value = ""
        saved = accounts(self.store)
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


def reflective_account(**kwargs) -> ReflectiveAccountBuilder:
    return ReflectiveAccountBuilder(**kwargs)
