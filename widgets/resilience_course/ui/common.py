"""The course's widget kit in one import (kept for code written before the kit was split).

New code imports from the kit's modules: :mod:`.style`, :mod:`.session`, :mod:`.controls`,
:mod:`.submit`, :mod:`.guard`, :mod:`.download`, :mod:`.entries`.
"""

from __future__ import annotations

from ..core.dates import display_time as when
from ..core.store import StoreError
from .controls import button, text_input
from .download import SaveOrDownload, download_link_html
from .entries import earlier_entries_html
from .guard import guarded
from .session import await_learner, get_store, latest_record, log, warm_up
from .style import LABEL_STYLE, WIDE, css_html, html_widget, message_html, pre_html, styles
from .submit import Submits

__all__ = ["css_html", "styles", "message_html", "html_widget", "pre_html", "get_store", "StoreError", "WIDE",
           "LABEL_STYLE", "when", "button", "text_input", "latest_record", "log", "warm_up", "await_learner",
           "guarded", "Submits", "SaveOrDownload", "download_link_html", "earlier_entries_html"]
