"""The ``Reflection`` widget: a prompt, a text box, save with visible confirmation, earlier entries."""

from __future__ import annotations

import ipywidgets as widgets
from traitlets import Instance, Int, Unicode

from ..core.dates import clock
from ..core.html import esc, paragraphs
from ..core.store import Store, StoreError
from ..ui.controls import button, text_input
from ..ui.entries import earlier_entries_html
from ..ui.guard import guarded
from ..ui.session import get_store
from ..ui.style import message_html
from ..ui.submit import Submits

__all__ = ["Reflection"]

MAX_CHARS = 20000




class Reflection(Submits, widgets.VBox):
    """A reflection prompt whose answers are saved to the learner's journal.

    Parameters
    ----------
    module : str
        Module id (``"02"``) or a course area (``"course"``), used to group the journal.
    prompt_id : str
        Stable id of the prompt within the module.
    prompt : str
        The question shown to the learner.
    hint : str, optional
        A gentle suggestion of what to write about.
    store : Store, optional
    """

    module = Unicode(help="Module id the reflection belongs to")
    prompt_id = Unicode(help="Stable id of the prompt")
    prompt = Unicode(help="The question shown to the learner")
    text = Unicode("", help="What the learner has typed (not yet saved)")
    message = Unicode("", help="Status message shown after saving")
    saved_count = Int(0, help="How many entries are saved for this prompt")
    store = Instance(Store, allow_none=True, help="The learner store")

    def __init__(self, module: str, prompt_id: str, prompt: str, hint: str = "", store: Store | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.store = get_store(store)
        self.module, self.prompt_id, self.prompt = module, prompt_id, prompt
        self.add_class("rc-reflection")
        hint_html = f'<p class="rc-muted">{esc(hint)}</p>' if hint else ""
        self.textarea = text_input("Your reflection", area=True,
                                   placeholder="Write here. Only you can see this; it stays on this computer.")
        widgets.link((self.textarea, "value"), (self, "text"))
        self.save_button = button("Save to my journal", button_style="primary", icon="save",
                                  tooltip="Save this reflection to your journal on this computer")
        self.save_button.on_click(lambda _b: self.save())
        self.status_html = widgets.HTML()
        self.entries_html = widgets.HTML()
        self.children = [widgets.HTML(f'<div class="rc-card"><h3>Reflect</h3><p><strong>{esc(prompt)}</strong></p>'
                                      f"{hint_html}</div>"),
                         self.textarea, self.save_button, self.status_html, self.entries_html]
        self.observe(self._render, names=["message", "saved_count"])
        self.saved_count = len(self.entries())
        self._render()

    def entries(self) -> list[dict]:
        return self.store.reflections(self.module, self.prompt_id)

    def save(self) -> str | None:
        """Save the text as a new journal entry; returns its id (None, with a message, if empty or too long).

        Text over :data:`MAX_CHARS` stays in the box (the box never refuses what is typed) and is not saved.
        """
        text = self.text
        if len(text) > MAX_CHARS:
            self.message = (f"Not saved: your reflection is {len(text):,} characters long, and one entry can hold "
                            f"at most {MAX_CHARS:,}. It is still in the box: please shorten it, or save part of it "
                            "now and the rest as a second entry.")
            return None
        rid = guarded(lambda: self.store.save_reflection(self.module, self.prompt_id, text), self,
                      "Your reflection could not be saved just now. It is still in the box: please try again.",
                      what="saving a reflection")
        if rid is None:
            return None
        self.message = f"Saved to your journal at {clock()}."
        self.text = ""
        self.saved_count = len(self.entries())
        self._submitted(self, text)
        return rid

    def _render(self, change=None):
        kind = "ok" if self.message.startswith("Saved") else "warn"
        self.status_html.value = message_html(self.message, kind)
        try:
            saved = self.entries()
        except StoreError:  # the store is busy just now: the message above says so; the list stays as shown
            return
        earlier = [(e["created_at"], paragraphs(e["text"])) for e in saved]
        self.entries_html.value = earlier_entries_html(earlier, "Your earlier entries for this prompt")
