"""The course's two escapers: one for HTML, one for Markdown. Every export and page uses these.

* :func:`esc` makes text safe inside HTML elements and quoted attributes.
* :func:`md_escape` makes learner text inert in Markdown: no raw HTML, no links (``[x](javascript:...)``
  cannot form a link because its brackets are escaped, and ``<...>`` autolinks lose their angle
  brackets), no emphasis, headings, tables, block quotes or lists survive.
"""

from __future__ import annotations

import html as _html
import re

__all__ = ["esc", "md_escape"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~!])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def esc(text) -> str:
    """Escape text for HTML (quotes included); ``None`` is the empty string."""
    return _html.escape("" if text is None else str(text), quote=True)


def md_escape(text) -> str:
    """Escape learner text for Markdown so that it shows as typed and does nothing.

    HTML characters become entities (no raw HTML in any renderer); Markdown punctuation is
    backslash-escaped (links, images, emphasis, code, headings, tables); a line that would start a
    list or a setext heading has its marker escaped.
    """
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    lines = []
    for line in s.split("\n"):
        m = _MD_LINE_START.match(line)
        if m:
            marker = m.group(2)
            escaped = marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker
            line = m.group(1) + escaped + line[m.end():]
        lines.append(line)
    return "\n".join(lines)
