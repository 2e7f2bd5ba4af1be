"""Shared pieces for the course widgets: styles, messages and the learner's store."""

from __future__ import annotations

import logging
import os
from functools import lru_cache

import ipywidgets as widgets

from ..core.content import package_data
from ..core.html import esc
from ..core.store import Store, StoreError, open_store

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


_learner_arrived = False

_WARM_MODULES = ("resilience_course.pages.widgets", "resilience_course.selfcheck.widgets",
                 "resilience_course.record.reflection_widgets", "resilience_course.knowledge.widgets",
                 "resilience_course.activities.widgets", "resilience_course.core.charts",
                 "matplotlib.figure", "matplotlib.backends.backend_agg")


def warm_up() -> None:
    """Import what course pages need (widgets, content loaders, charts) before a learner asks for one."""
    import importlib

    for name in _WARM_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional piece only costs time later
            log.debug("warm-up could not import %s", name, exc_info=True)
    try:
        from ..core.charts import bar_chart
        from ..core.course import load_outline

        load_outline()
        bar_chart("warm-up", ["a"], [1.0], "n")  # the first chart of a process loads fonts: do it now
    except Exception:
        log.debug("warm-up could not load the course outline or draw a chart", exc_info=True)


def await_learner() -> None:
    """In a kernel Voila preheated, wait until a learner actually opens the page.

    Voila runs a preheated page before anyone asks for it. ``import resilience_course`` (the first
    cell of every page) calls this: it imports what the page will need, then waits for the learner's
    request, so the page never shows progress or history as they were when the kernel was heated.
    Elsewhere (JupyterLab, tests, a kernel Voila starts on request) this returns at once.
    """
    global _learner_arrived
    if _learner_arrived or os.environ.get("VOILA_PREHEAT") != "True":
        return
    _learner_arrived = True
    warm_up()
    try:
        from voila.utils import wait_for_request

        wait_for_request()
    except Exception:  # never leave a page blank because of the wait
        log.exception("waiting for the learner's request failed")


def get_store(store: Store | None = None) -> Store:
    """The store given, else the learner's own (opened once per process)."""
    if store is not None:
        return store
    await_learner()
    return open_store()


# -- small builders shared by the course widgets --------------------------------------------------
WIDE = widgets.Layout(width="100%")
LABEL_STYLE = {"description_width": "initial"}


def when(stamp) -> str:
    """A stored ISO time as the learner's local date and time (``26 Nov 2026 14:05``)."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d %b %Y %H:%M")
    except (TypeError, ValueError):
        return str(stamp)


def button(description: str, **kwargs) -> widgets.Button:
    """A button as wide as its label (long labels are never cut short)."""
    return widgets.Button(description=description, layout=widgets.Layout(width="auto", min_width="9rem"), **kwargs)


def text_input(description: str, value: str = "", placeholder: str = "", area: bool = False):
    """A labelled Text (or Textarea) as wide as the page; the description is its accessible name."""
    cls = widgets.Textarea if area else widgets.Text
    w = cls(value=value, description=description, placeholder=placeholder, style=LABEL_STYLE, layout=WIDE)
    if area:
        w.add_class("rc-textarea")
    return w


def latest_record(store: Store, kind: str) -> dict | None:
    """The learner's most recent record of *kind*, or None (also when the store cannot be read)."""
    try:
        records = store.records(kind)
    except Exception:
        log.exception("reading saved %s records failed", kind)
        return None
    return records[-1] if records else None
