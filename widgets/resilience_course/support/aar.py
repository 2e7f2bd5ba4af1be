"""After Action Review: the four questions (iHV, 2015), saved to the learner's journal and exported (no widgets).

:func:`aar_payload`, :func:`save_aar`, :func:`list_aars`, :func:`export_text` (HTML or Markdown, learner
text escaped) and :func:`write_export` (the exact previewed text, to a private file that never
overwrites another).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ..core.dates import display_time as _local
from ..core.dates import file_stamp
from ..core.dates import now_iso as _now
from ..core.escape import md_escape
from ..core.exports import EXPORT_ENV, export_dir, write_new_file
from ..core.html import esc, paragraphs
from ..core.privacy import identifying_details
from .menu import MODULE

__all__ = ["AAR_KIND", "AAR_MODULE", "AAR_QUESTIONS", "AAR_FIELDS", "MAX_TITLE", "MAX_ANSWER", "PRIVACY_NOTE",
           "EXPORT_ENV", "AARError", "aar_payload", "save_aar", "list_aars", "export_text", "aar_markdown",
           "aar_html", "default_filename", "export_dir", "write_export", "privacy_warnings"]

AAR_KIND = "after-action-review"
AAR_MODULE = MODULE

#: The four After Action Review questions (iHV, 2015), each with the payload field it fills
#: and a hint written for this course.
AAR_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("expected", "What did you expect to happen?", "Your plan, hopes or worries before it began."),
    (
        "happened",
        "What happened?",
        "The facts as you saw them. Leave out names and anything that could identify a family or colleague.",
    ),
    (
        "difference",
        "What was the difference?",
        "Where did things differ from what you expected, and what might explain it?",
    ),
    (
        "learned",
        "What did you learn?",
        "What will you keep doing, and what will you try differently next time?",
    ),
)
AAR_FIELDS = tuple(q[0] for q in AAR_QUESTIONS)
MAX_TITLE = 200
MAX_ANSWER = 20000
PRIVACY_NOTE = (
    "Keep this record free of anything that could identify a patient, a family or a colleague: "
    "no names, initials, addresses, dates of birth or NHS numbers."
)


# -- After Action Review ----------------------------------------------------------------------------
class AARError(ValueError):
    """An After Action Review that cannot be saved, explained in plain words."""


def aar_payload(
    title: str = "",
    expected: str = "",
    happened: str = "",
    difference: str = "",
    learned: str = "",
    created: str | None = None,
) -> dict:
    """Check and tidy an After Action Review; returns the payload stored in the learner's record.

    Raises
    ------
    AARError
        When all four answers are empty, or a text is too long.
    """
    answers = {"expected": expected, "happened": happened, "difference": difference, "learned": learned}
    answers = {k: (v or "").strip() for k, v in answers.items()}
    if not any(answers.values()):
        raise AARError("There is nothing to save yet: answer at least one of the four questions.")
    for k, q, _hint in AAR_QUESTIONS:
        if len(answers[k]) > MAX_ANSWER:
            raise AARError(f"Your answer to '{q}' is longer than {MAX_ANSWER} characters; please shorten it.")
    title = " ".join((title or "").split())
    if len(title) > MAX_TITLE:
        raise AARError(f"The title can be at most {MAX_TITLE} characters.")
    created = created or _now()
    if not title:
        title = f"After Action Review, {_local(created)}"
    return {"title": title, **answers, "created": created}


def save_aar(store, **fields) -> str:
    """Save an After Action Review to the learner's record; returns its id (see :func:`aar_payload`)."""
    return store.add_record(AAR_KIND, aar_payload(**fields), AAR_MODULE)


def list_aars(store) -> list[dict]:
    """The learner's After Action Reviews (store records, oldest first)."""
    return store.records(AAR_KIND, AAR_MODULE)


def _payloads(reviews: Sequence[dict]) -> list[dict]:
    return [r["payload"] if "payload" in r else r for r in reviews]


def _md(text: str) -> str:
    """Learner text made safe for Markdown (the course's one escaper: no HTML, links or markup survive)."""
    return md_escape(str(text or "").strip())


def aar_markdown(reviews: Sequence[dict]) -> str:
    """After Action Reviews as a Markdown document (learner text escaped)."""
    items = _payloads(reviews)
    if not items:
        raise AARError("There is no After Action Review to export yet.")
    lines = ["# My After Action Reviews" if len(items) > 1 else f"# {_md(items[0]['title'])}", ""]
    lines += [
        f"_Exported {_local(_now())} from the course Resilience with Compassion. The four questions "
        "come from the After Action Review model described in iHV (2015)._",
        "",
        f"> {PRIVACY_NOTE}",
        "",
    ]
    for p in items:
        level = "###" if len(items) > 1 else "##"
        if len(items) > 1:
            lines += [f"## {_md(p['title'])}", ""]
        lines += [f"_Written {_local(p.get('created', ''))}_", ""]
        for n, (k, q, _hint) in enumerate(AAR_QUESTIONS, start=1):
            lines += [f"{level} {n}. {q}", "", _md(p.get(k, "")) or "_(left blank)_", ""]
    return "\n".join(lines).rstrip() + "\n"


_HTML_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:44rem;margin:2rem auto;"
    "padding:0 1rem;line-height:1.6;color:#1d1d1f}h1{font-size:1.8rem}h2{font-size:1.4rem;"
    "margin-top:2rem}h3{font-size:1.1rem}.note{border-left:4px solid #1b5e7a;background:#f2f8fb;"
    "padding:.5rem 1rem}.muted{color:#4a4a4f}"
)


def aar_html(reviews: Sequence[dict]) -> str:
    """After Action Reviews as a stand-alone, accessible HTML page (every piece of learner text escaped)."""
    items = _payloads(reviews)
    if not items:
        raise AARError("There is no After Action Review to export yet.")
    heading = "My After Action Reviews" if len(items) > 1 else items[0]["title"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(heading)}</title>",
        f"<style>{_HTML_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{esc(heading)}</h1>",
        f'<p class="muted">Exported {esc(_local(_now()))} from the course Resilience with Compassion. '
        "The four questions come from the After Action Review model described in iHV (2015).</p>",
        f'<p class="note">{esc(PRIVACY_NOTE)}</p>',
    ]
    for p in items:
        tag = "h3" if len(items) > 1 else "h2"
        parts.append("<article>")
        if len(items) > 1:
            parts.append(f"<h2>{esc(p['title'])}</h2>")
        parts.append(f'<p class="muted">Written {esc(_local(p.get("created", "")))}</p>')
        for n, (k, q, _hint) in enumerate(AAR_QUESTIONS, start=1):
            body = paragraphs(p.get(k, "")) or "<p><em>(left blank)</em></p>"
            parts.append(f"<section><{tag}>{n}. {esc(q)}</{tag}>{body}</section>")
        parts.append("</article>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def export_text(reviews: Sequence[dict], fmt: str) -> str:
    """The exact text an export will write: ``fmt`` is ``"html"`` or ``"markdown"``."""
    if fmt == "html":
        return aar_html(reviews)
    if fmt == "markdown":
        return aar_markdown(reviews)
    raise ValueError(f"Unknown export format {fmt!r}: choose 'html' or 'markdown'.")


def default_filename(fmt: str, when: datetime | None = None) -> str:
    """A file name with the date and time only (never a title, which might identify someone)."""
    ext = {"html": "html", "markdown": "md"}[fmt]
    return f"after-action-review-{file_stamp(when)}.{ext}"


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,120}$")


def write_export(text: str, filename: str, folder: str | Path | None = None) -> Path:
    """Write *text* exactly to a new private file (0600) in *folder*; never overwrites a file.

    If the name is taken, ``-2``, ``-3``... is added before the extension.

    Raises
    ------
    ValueError
        For an unsafe file name (a path, or a name not ending in .html or .md).
    OSError
        When the folder cannot be written.
    """
    filename = (filename or "").strip()
    if not _SAFE_NAME.match(filename) or ".." in filename or not filename.endswith((".html", ".md")):
        raise ValueError(
            "Use a plain file name ending in .html or .md, with letters, numbers, spaces, dots, "
            "dashes or underscores (no folders)."
        )
    return write_new_file(folder, filename, text)


def privacy_warnings(*texts: str) -> list[str]:
    """Gentle warnings when text looks as if it could identify someone (the course's one detector)."""
    return identifying_details(*texts)
