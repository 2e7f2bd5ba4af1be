"""The one list of earlier entries (reflections, reviews, results): newest first, folded away."""

from __future__ import annotations

from collections.abc import Iterable

from ..core.dates import display_time
from ..core.html import esc

__all__ = ["earlier_entries_html"]


def earlier_entries_html(entries: Iterable[tuple[str, str]], summary: str, open_: bool = False) -> str:
    """A ``<details>`` list of (stored ISO time, body HTML) pairs, newest first; "" when there are none.

    *summary* is the label of the fold (plain text; the count is added). Bodies must already be
    escaped HTML (for example from :func:`~..core.html.paragraphs`).
    """
    items = list(entries)
    if not items:
        return ""
    rows = "".join(f'<li><p class="rc-muted">{esc(display_time(stamp))}</p>{body}</li>'
                   for stamp, body in reversed(items))
    return (f"<details{' open' if open_ else ''}><summary>{esc(summary)} ({len(items)})</summary>"
            f"<ul>{rows}</ul></details>")
