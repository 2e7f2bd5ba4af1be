"""Shared pieces for the course widgets: styles, messages and the learner's store."""

from __future__ import annotations

import logging
from functools import lru_cache

import ipywidgets as widgets

from ..engine.data import package_data
from ..engine.html import esc
from ..engine.store import Store, StoreError, open_store

log = logging.getLogger("resilience_course")

__all__ = ["css_html", "styles", "message_html", "html_widget", "get_store", "StoreError"]


@lru_cache(maxsize=1)
def _css() -> str:
    return package_data("course.css").read_text(encoding="utf-8")


def css_html() -> str:
    return f"<style>{_css()}</style>"


def styles() -> widgets.HTML:
    """A widget carrying the course stylesheet (shown once per page by :func:`header`)."""
    return widgets.HTML(css_html(), layout=widgets.Layout(display="none"))


def message_html(text: str, kind: str = "ok", live: bool = True) -> str:
    """A short status message; ``live`` makes screen readers announce it when it appears."""
    if not text:
        return ""
    role = ' role="alert"' if kind == "warn" and live else (' role="status"' if live else "")
    return f'<div class="rc-{kind}"{role}>{esc(text)}</div>'


def html_widget(value: str = "", **kw) -> widgets.HTML:
    return widgets.HTML(value, **kw)


def get_store(store: Store | None = None) -> Store:
    """The store given, else the learner's own (opened once per process)."""
    return store if store is not None else open_store()
