"""Written reflective accounts in the four parts the NMC asks for (no widgets).

Records of kind :data:`ACCOUNT_KIND`; a draft can be made from journal entries; exports as HTML and
Markdown escape all learner text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from ..core.course import Outline
from ..core.dates import display_date
from ..core.html import esc, paragraphs
from ..core.privacy import identifying_details
from ..core.store import Store
from .common import (
    CODE_THEMES,
    MAX_TOPIC,
    PRINT_CSS,
    PRIVACY_REMINDER,
    CPDError,
    clean_text,
    md_escape,
    module_label,
    parse_date,
    today_or,
)
from .journal import JournalEntry

__all__ = ["ACCOUNT_KIND", "ACCOUNT_FIELDS", "validate_account", "draft_account", "save_account", "accounts",
           "identifier_warnings", "account_html", "account_markdown"]

ACCOUNT_KIND = "reflective-account"

ACCOUNT_FIELDS = {
    "activity": "What was the activity, the feedback, or the event or experience in your practice?",
    "learned": "What did you learn from it?",
    "changed": "How did you change or improve your practice as a result, or how will you?",
    "code": "How is this relevant to the Code?",
}


def validate_account(data: dict, today: date | None = None) -> dict:
    problems: dict[str, str] = {}
    out = {"title": clean_text(data.get("title"), "The title", problems, "title", False, MAX_TOPIC)}
    try:
        out["date"] = parse_date(data.get("date"), today, "The date of the account").isoformat()
    except ValueError as exc:
        problems["date"] = str(exc)
    labels = {"activity": "The activity", "learned": "What you learned", "changed": "How your practice changed",
              "code": "How it relates to the Code"}
    for key, label in labels.items():
        out[key] = clean_text(data.get(key), label, problems, key, True)
    themes = [t for t in dict.fromkeys(data.get("themes") or []) if t]
    if any(t not in CODE_THEMES for t in themes):
        problems["themes"] = "Choose themes from the four themes of the Code."
    elif not themes:
        problems["themes"] = "Choose at least one theme of the Code."
    out["themes"] = [t for t in CODE_THEMES if t in themes]
    out["sources"] = [str(s) for s in data.get("sources") or []]
    if problems:
        raise CPDError(problems)
    return out


#: Reflections written before a module starts (why I chose the course, first thoughts...) describe the
#: activity, not what was learned; reflections that look ahead (take-away, next step...) describe a change.
STARTING_PROMPTS = re.compile(r"^(starting-point|first-thoughts|why-)")
FORWARD_PROMPTS = re.compile(r"(take-away|take-back|next-step|-first$|-apply$|^apply-|habit)")


def _prompt(entry: JournalEntry) -> str:
    return entry.keys[0] if entry.kind == "reflection" and entry.keys else ""


def draft_account(entries: list[JournalEntry], outline: Outline | None = None,
                  today: date | None = None) -> dict:
    """A first draft of a reflective account from the journal entries the learner chose (to edit).

    Each entry goes under the question it answers: a reflection on why the learner chose the course
    (or their first thoughts) under the activity, a look ahead (a take-away or next step) under how
    practice will change, After Action Reviews and other reflections under what was learned.
    """
    if not entries:
        raise ValueError("Choose at least one journal entry to draft from.")
    modules = [e.module for e in entries if e.module and e.module != "course"]
    mods = list(dict.fromkeys(modules))
    if mods:
        names = "; ".join(module_label(m, outline) for m in mods)
        activity = f"Studying the Resilience with Compassion course ({names})."
    else:
        activity = "Studying the Resilience with Compassion course."
    happened = [t for e in entries if e.kind == "after-action-review"
                for k, (_label, t) in zip(e.keys, e.fields) if t and k == "happened"]
    if happened:
        activity += " The event I reflected on: " + " ".join(happened)
    learned_parts, changed = [], []
    for e in entries:
        prompt = _prompt(e)
        if prompt and STARTING_PROMPTS.search(prompt) and e.text:
            activity += f"\n\n{e.title}: {e.text}"
            continue
        if prompt and FORWARD_PROMPTS.search(prompt) and e.text:
            changed.append(e.text)
            continue
        if e.kind == "after-action-review":
            text = "\n\n".join(t for k, (_label, t) in zip(e.keys, e.fields) if t and k != "happened")
        else:
            text = e.text
        if text:
            learned_parts.append(f"{e.title} ({e.day_text}): {text}" if len(entries) > 1 else text)
        if e.kind == "form":
            changed += [t for label, t in e.fields
                        if t and re.search(r"chang|next|will|plan|action|different", label, re.I)]
    learned = "\n\n".join(learned_parts)
    topic = module_label(mods[0], outline) if mods else "Resilience with Compassion"
    return {
        "title": f"Reflective account ({topic})",
        "date": today_or(today).isoformat(),
        "activity": activity,
        "learned": learned,
        "changed": "\n\n".join(changed),
        "code": "",
        "themes": [],
        "sources": [e.key for e in entries],
    }


def save_account(store: Store, data: dict, today: date | None = None, rid: str | None = None) -> str:
    """Validate and keep a reflective account in the store (it then counts toward revalidation)."""
    clean = validate_account(data, today)
    if rid:
        store.update_record(rid, clean)
        return rid
    return store.add_record(ACCOUNT_KIND, clean)


def accounts(store: Store) -> list[dict]:
    return [{**r["payload"], "id": r["id"]} for r in store.records(ACCOUNT_KIND) if isinstance(r["payload"], dict)]


def identifier_warnings(text: str) -> list[str]:
    """Gentle warnings about things in *text* that might identify someone (the course's one detector)."""
    return identifying_details(text)


def _theme_labels(themes: Iterable[str]) -> list[str]:
    return [CODE_THEMES[t] for t in themes if t in CODE_THEMES]


def account_html(account: dict) -> str:
    """The reflective account as a standalone, printable HTML page (all learner text escaped)."""
    a = account
    title = a.get("title") or "Written reflective account"
    themes = ", ".join(_theme_labels(a.get("themes", []))) or "(none chosen)"
    sections = "".join(f"<h2>{n}. {esc(q)}</h2>{paragraphs(a.get(k, ''))}"
                       for n, (k, q) in enumerate(ACCOUNT_FIELDS.items(), start=1))
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)}</title><style>{PRINT_CSS}</style></head><body><main>"
            f"<h1>{esc(title)}</h1>"
            "<p><strong>Date:</strong> <span style=\"white-space:nowrap\">"
            f"{esc(display_date(a.get('date', '')))}</span></p>"
            f"<p><strong>Themes of the Code:</strong> {esc(themes)}</p>"
            f'<p class="reminder"><strong>Reminder.</strong> {esc(PRIVACY_REMINDER)}</p>'
            f"{sections}"
            '<p class="small">Written by the registrant in the four-part structure of the NMC written reflective '
            "account. Drafted with the Resilience with Compassion course, based on the iHV (2015) Resilience "
            "Framework.</p></main></body></html>\n")


def account_markdown(account: dict) -> str:
    """The reflective account as Markdown (all learner text escaped)."""
    a = account
    title = a.get("title") or "Written reflective account"
    themes = ", ".join(_theme_labels(a.get("themes", []))) or "(none chosen)"
    out = [f"# {md_escape(title)}", "", f"**Date:** {md_escape(display_date(a.get('date', '')))}", "",
           f"**Themes of the Code:** {md_escape(themes)}", "", f"> **Reminder.** {md_escape(PRIVACY_REMINDER)}", ""]
    for n, (k, q) in enumerate(ACCOUNT_FIELDS.items(), start=1):
        out += [f"## {n}. {md_escape(q)}", "", md_escape(a.get(k, "")).strip(), ""]
    out.append("_Written in the four-part structure of the NMC written reflective account, with the Resilience "
               "with Compassion course (based on iHV, 2015)._")
    return "\n".join(out) + "\n"
