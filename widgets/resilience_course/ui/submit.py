"""The one way a course widget tells the page it is done: ``on_submit`` callbacks.

Built on ipywidgets' :class:`~ipywidgets.CallbackDispatcher`, like ``Button.on_click``: a callback
that fails is logged (or shown in the notebook) and the others still run.
"""

from __future__ import annotations

from ipywidgets import CallbackDispatcher

__all__ = ["Submits"]


class Submits:
    """Mixin for widgets: ``on_submit(callback, remove=False)``; the widget calls ``self._submitted(*args)``.

    What the callback receives is documented by each widget (usually the widget and what was saved
    or written).
    """

    @property
    def _submit_handlers(self) -> CallbackDispatcher:
        handlers = self.__dict__.get("_rc_submit_handlers")
        if handlers is None:
            handlers = self.__dict__["_rc_submit_handlers"] = CallbackDispatcher()
        return handlers

    def on_submit(self, callback, remove: bool = False) -> None:
        """Register ``callback`` to be called when the learner completes this widget (``remove=True`` to stop)."""
        self._submit_handlers.register_callback(callback, remove=remove)

    def _submitted(self, *args):
        """Call every registered callback with *args* (see :class:`~ipywidgets.CallbackDispatcher`)."""
        return self._submit_handlers(*args)
