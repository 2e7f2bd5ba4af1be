"""What the record widgets share: the learner's store, callbacks, and page-wide refresh when one of them
changes the learner's data (the others showing the same store refresh)."""

from __future__ import annotations

import weakref
from datetime import date

import ipywidgets as widgets
from traitlets import Instance, Unicode

from ..core.course import Outline, load_outline
from ..core.html import esc
from ..core.store import Store
from ..ui.session import get_store, log
from ..ui.style import message_html
from ..ui.submit import Submits

__all__ = ["RecordWidget", "problems_html"]

_LIVE: weakref.WeakSet = weakref.WeakSet()


def _announce(source) -> None:
    """Tell the other record widgets on the page (same store) that the learner's data changed."""
    for w in list(_LIVE):
        if w is not source and getattr(w, "store", None) is source.store:
            try:
                w.refresh()
            except Exception:
                log.exception("refreshing a record widget failed")


def problems_html(problems: dict) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{esc(m)}</li>" for m in problems.values())
    return (f'<div class="rc-warn" role="alert"><p>Nothing was saved yet. Please check:</p><ul>{items}</ul>'
            "</div>")


class RecordWidget(Submits, widgets.VBox):
    """Shared plumbing: the store, callbacks and registration for page-wide refresh."""

    message = Unicode("", help="Status message shown to the learner")
    store = Instance(Store, allow_none=True, help="The learner store")

    def __init__(self, store: Store | None = None, outline: Outline | None = None, today: date | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.store = get_store(store)
        self.outline = outline or load_outline()
        self.today = today
        self.add_class("rc-record")
        _LIVE.add(self)

    def _changed(self, what: str) -> None:
        """Refresh the other record widgets, then call each ``on_submit`` callback as ``callback(widget, what)``."""
        _announce(self)
        self._submitted(self, what)

    def refresh(self) -> None:  # pragma: no cover - overridden
        pass

    def _status(self) -> str:
        if not self.message:
            return ""
        ok = self.message.startswith(("Saved", "Deleted", "Added", "Written", "Your changes", "Draft", "Preview"))
        return message_html(self.message, "ok" if ok else "warn")
