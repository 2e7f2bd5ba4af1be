"""The look of every course widget: the stylesheet, status messages and the standard layouts."""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets

from ..core.content import package_data
from ..core.html import esc
from .looks import shared_layout

__all__ = ["css_html", "styles", "message_html", "html_widget", "pre_html", "WIDE", "LABEL_STYLE"]

WIDE = shared_layout(width="100%")  # one read-only layout (ui/looks.py)
LABEL_STYLE = {"description_width": "initial"}


@lru_cache(maxsize=1)
def _css() -> str:
    return package_data("course.css").read_text(encoding="utf-8")


def css_html() -> str:
    return f"<style>{_css()}</style>"


def styles() -> widgets.HTML:
    """A widget carrying the course stylesheet (shown once per page by the page header)."""
    return widgets.HTML(css_html(), layout=widgets.Layout(display="none"))


def message_html(text: str, kind: str = "ok", live: bool = True) -> str:
    """A short status message; ``live`` makes screen readers announce it when it appears."""
    if not text:
        return ""
    role = ' role="alert"' if kind == "warn" and live else (' role="status"' if live else "")
    return f'<div class="rc-{kind}"{role}>{esc(text)}</div>'


def html_widget(value: str = "", **kw) -> widgets.HTML:
    return widgets.HTML(value, **kw)


def pre_html(text: str, height: str = "16rem") -> str:
    """Text shown exactly as it is (escaped), in a scrolling box: how every preview of a file is shown."""
    return f'<pre style="white-space:pre-wrap;max-height:{height};overflow:auto">{esc(text)}</pre>'
