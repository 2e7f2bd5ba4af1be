"""The facilitator's pack for Monday-Club style groups: the guide and one session plan per module.

* ``course/facilitator/guide.md``: the facilitator's guide, in plain Markdown, rendered by
  :func:`render_markdown` (a small, safe subset: every character of the file is escaped, and only
  headings, paragraphs, lists, quotes, emphasis and web links are turned into HTML);
* ``course/facilitator/sessions.yml``: the session plans (schema ``sessions``), checked by
  :func:`load_sessions` against ``course/course.yml``.

No widgets here (see :mod:`resilience_course.cohort.widgets`).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.content import ContentError, load_yaml
from ..core.course import Outline, course_root, load_outline
from ..core.html import esc

__all__ = ["SESSION_MINUTES", "sessions_path", "guide_path", "load_sessions", "session_for", "render_markdown",
           "guide_html", "session_html", "session_markdown", "session_page", "session_minutes"]

#: A session lasts about this long, shared lunch included (plans may differ by ten minutes either way).
SESSION_MINUTES = 90
TOLERANCE = 10


def sessions_path(root: Path | None = None) -> Path:
    return (root or course_root()) / "course" / "facilitator" / "sessions.yml"


def guide_path(root: Path | None = None) -> Path:
    return (root or course_root()) / "course" / "facilitator" / "guide.md"


def session_minutes(plan: dict) -> int:
    return sum(t["minutes"] for t in plan["timings"])


def load_sessions(path: str | Path | None = None, outline: Outline | None = None) -> dict:
    """Load and check the session plans; returns the file's data with ``sessions`` keyed by module id.

    Checks beyond the schema: each module exists in the outline and has exactly one plan, every
    course module has a plan, a plan lasts about :data:`SESSION_MINUTES` minutes, and it
    includes the shared lunch.
    """
    path = Path(path) if path else sessions_path()
    data = load_yaml(path, "sessions")
    f = str(path)
    if outline is None:
        try:
            outline = load_outline(path.parent.parent.parent)
        except (ContentError, OSError):
            outline = load_outline()
    known = [m.id for m in outline.modules]
    plans: dict[str, dict] = {}
    for n, plan in enumerate(data["sessions"]):
        where = f"sessions[{n}]"
        if plan["module"] not in known:
            raise ContentError(f, f"{where}.module", f"module {plan['module']!r} is not in the course outline")
        if plan["module"] in plans:
            raise ContentError(f, f"{where}.module", f"a second plan for module {plan['module']}")
        total = session_minutes(plan)
        if abs(total - SESSION_MINUTES) > TOLERANCE:
            raise ContentError(f, f"{where}.timings", f"the timings add up to {total} minutes; a session lasts "
                               f"about {SESSION_MINUTES} (between {SESSION_MINUTES - TOLERANCE} and "
                               f"{SESSION_MINUTES + TOLERANCE})")
        if not any(t.get("lunch") for t in plan["timings"]):
            raise ContentError(f, f"{where}.timings", "no part of the session is marked 'lunch: true' (the shared "
                               "lunch is part of every session)")
        plans[plan["module"]] = plan
    missing = [m for m in known if m not in plans]
    if missing:
        raise ContentError(f, "sessions", f"no session plan for module(s) {', '.join(missing)}")
    return {**data, "sessions": {m: plans[m] for m in known}}


def session_for(module_id: str, sessions: dict | None = None) -> dict:
    sessions = sessions or load_sessions()
    try:
        return sessions["sessions"][module_id]
    except KeyError:
        raise KeyError(f"no session plan for module {module_id!r}") from None


# -- a small, safe Markdown renderer ------------------------------------------------------------
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")


def _inline(text: str) -> str:
    s = esc(text)
    s = re.sub(r"`([^`]+)`", r"<code>\1</code>", s)
    s = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", s)
    s = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<em>\1</em>", s)
    s = _LINK.sub(r'<a href="\2">\1</a>', s)
    return s


def render_markdown(text: str, heading_offset: int = 1) -> str:
    """HTML for a safe subset of Markdown. Raw HTML in *text* is shown as text, never run.

    ``heading_offset`` shifts headings down (``#`` becomes ``<h2>`` by default) because the page
    title is the only ``<h1>``.
    """
    lines = str(text or "").replace("\r\n", "\n").split("\n")
    out: list[str] = []
    para: list[str] = []
    items: list[str] = []
    list_tag = ""
    quote: list[str] = []

    def flush():
        nonlocal list_tag
        if para:
            out.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()
        if items:
            out.append(f"<{list_tag}>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + f"</{list_tag}>")
            items.clear()
            list_tag = ""
        if quote:
            out.append(f"<blockquote><p>{_inline(' '.join(quote))}</p></blockquote>")
            quote.clear()

    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        bullet = re.match(r"^[-*]\s+(.*)$", stripped)
        number = re.match(r"^\d+[.)]\s+(.*)$", stripped)
        if heading and not raw.startswith((" ", "\t")):
            flush()
            level = min(6, len(heading.group(1)) + heading_offset)
            out.append(f"<h{level}>{_inline(heading.group(2).strip())}</h{level}>")
        elif (bullet or number) and not raw.startswith(("  ", "\t")):
            tag = "ul" if bullet else "ol"
            if para or quote or (items and list_tag != tag):
                flush()
            list_tag = tag
            items.append((bullet or number).group(1))
        elif stripped.startswith(">"):
            if para or items:
                flush()
            quote.append(stripped.lstrip(">").strip())
        elif items and raw.startswith((" ", "\t")):
            items[-1] += " " + stripped
        else:
            if items or quote:
                flush()
            para.append(stripped)
    flush()
    return "".join(out)


def guide_html(path: str | Path | None = None) -> str:
    """The facilitator's guide as HTML (raises ContentError when the file cannot be read)."""
    path = Path(path) if path else guide_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(str(path), "(file)", "the file does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(str(path), "(file)", f"the file cannot be read ({exc.__class__.__name__})") from None
    return render_markdown(text)


# -- rendering a session plan ------------------------------------------------------------------
def _lunch(timing: dict) -> str:
    """" (with the shared lunch)" for the part that includes it, unless its own words already say lunch."""
    return " (with the shared lunch)" if timing.get("lunch") and "lunch" not in timing["activity"].lower() else ""


def _title(plan: dict, outline: Outline) -> str:
    m = outline.module(plan["module"])
    return f"Session {m.number}: {m.title}"


def session_html(plan: dict, outline: Outline | None = None, level: int = 3) -> str:
    """One session plan as an HTML fragment (headings start at ``h{level}``)."""
    outline = outline or load_outline()
    m = outline.module(plan["module"])
    h, h2 = f"h{level}", f"h{min(level + 1, 6)}"
    rows = []
    clock = 0
    for t in plan["timings"]:
        lunch = _lunch(t)
        rows.append(f"<tr><th scope=\"row\">{clock}&ndash;{clock + t['minutes']} min</th>"
                    f"<td>{esc(t['activity'])}{lunch}</td></tr>")
        clock += t["minutes"]
    prompts = "".join(f"<li>{esc(p)}</li>" for p in plan["prompts"])
    steps = "".join(f"<li>{esc(s)}</li>" for s in plan["group_activity"]["steps"])
    before = "".join(f"<li>{esc(b)}</li>" for b in plan["before_next"])
    outcomes = "".join(f"<li>{esc(o['text'])}</li>" for o in m.outcomes)
    materials = "".join(f"<li>{esc(x)}</li>" for x in plan.get("materials", []))
    materials = f"<{h2}>What to bring</{h2}><ul>{materials}</ul>" if materials else ""
    notes = f"<{h2}>Notes for the facilitator</{h2}><p>{esc(plan['notes'])}</p>" if plan.get("notes") else ""
    return (f'<section class="rc-session" aria-label="{esc(_title(plan, outline))}">'
            f"<{h}>{esc(_title(plan, outline))}</{h}>"
            f"<p><strong>Aim:</strong> {esc(plan['aim'])}</p>"
            f"<{h2}>The module's learning outcomes</{h2}><ul>{outcomes}</ul>{materials}"
            f"<{h2}>Timings (about {session_minutes(plan)} minutes)</{h2}>"
            f'<table class="rc-table"><caption>Running order</caption><thead><tr><th scope="col">When</th>'
            f'<th scope="col">What happens</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
            f"<{h2}>Opening check-in</{h2}><p>{esc(plan['check_in'])}</p>"
            f"<{h2}>Discussion prompts</{h2}><ul>{prompts}</ul>"
            f"<{h2}>Group activity: {esc(plan['group_activity']['title'])}</{h2}><ol>{steps}</ol>"
            f"<{h2}>Closing reflection</{h2}><p>{esc(plan['closing'])}</p>"
            f"<{h2}>Before the next session</{h2}><ul>{before}</ul>{notes}</section>")


def session_page(plan: dict, outline: Outline | None = None) -> str:
    """A standalone, printable HTML page for one session plan."""
    from ..record.common import PRINT_CSS

    outline = outline or load_outline()
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(_title(plan, outline))}</title><style>{PRINT_CSS}</style></head><body><main>"
            f"{session_html(plan, outline, level=1)}"
            f'<p class="small">{esc(outline.title)}: facilitator\'s pack. {esc(outline.citation)}</p>'
            "</main></body></html>\n")


def session_markdown(plan: dict, outline: Outline | None = None) -> str:
    """One session plan as Markdown (for printing or sharing with co-facilitators)."""
    from ..core.escape import md_escape

    outline = outline or load_outline()
    module = outline.module(plan["module"])
    out = [f"# {md_escape(_title(plan, outline))}", "", f"**Aim:** {md_escape(plan['aim'])}", "",
           "## The module's learning outcomes", "", *[f"- {md_escape(o['text'])}" for o in module.outcomes], ""]
    if plan.get("materials"):
        out += ["## What to bring", "", *[f"- {md_escape(x)}" for x in plan["materials"]], ""]
    out += [f"## Timings (about {session_minutes(plan)} minutes)", ""]
    clock = 0
    for t in plan["timings"]:
        lunch = _lunch(t)
        out.append(f"- {clock}–{clock + t['minutes']} min: {md_escape(t['activity'])}{lunch}")
        clock += t["minutes"]
    out += ["", "## Opening check-in", "", md_escape(plan["check_in"]), "", "## Discussion prompts", ""]
    out += [f"- {md_escape(p)}" for p in plan["prompts"]]
    out += ["", f"## Group activity: {md_escape(plan['group_activity']['title'])}", ""]
    out += [f"{n}. {md_escape(s)}" for n, s in enumerate(plan["group_activity"]["steps"], start=1)]
    out += ["", "## Closing reflection", "", md_escape(plan["closing"]), "", "## Before the next session", ""]
    out += [f"- {md_escape(b)}" for b in plan["before_next"]]
    if plan.get("notes"):
        out += ["", "## Notes for the facilitator", "", md_escape(plan["notes"])]
    return "\n".join(out) + "\n"
