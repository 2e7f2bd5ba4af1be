"""The CPD log: one record of kind :data:`LOG_KIND` per learning activity, checked field by field (no widgets).

Completed course modules can be added in one step (hours from ``course/course.yml``).
"""

from __future__ import annotations

import csv
import io
from datetime import date

from ..core.course import Module, Outline, load_outline
from ..core.dates import display_date
from ..core.html import esc, paragraphs
from ..core.store import Store
from .common import (
    CODE_THEMES,
    MAX_TOPIC,
    PRINT_CSS,
    CPDError,
    clean_text,
    counted,
    local_date,
    parse_date,
    parse_hours,
    today_or,
)

__all__ = ["LOG_KIND", "METHODS", "MAX_HOURS", "LOG_COLUMNS", "validate_entry", "participatory_hint", "add_entry",
           "update_entry", "delete_entry", "log_entries", "log_totals", "log_summary", "log_table_html", "log_html",
           "log_csv", "completed_modules", "module_entry", "add_completed_modules"]

LOG_KIND = "cpd"

#: Ways of learning, with whether they are usually participatory (learning with other professionals).
METHODS: dict[str, tuple[str, bool]] = {
    "online": ("Online or e-learning, on my own", False),
    "reading": ("Reading or independent study", False),
    "group": ("Group learning with other professionals (for example a Monday Club session)", True),
    "course": ("Course, workshop or conference", True),
    "supervision": ("Supervision, coaching or mentoring", True),
    "discussion": ("Reflective or professional discussion with colleagues", True),
    "other": ("Something else", False),
}

#: NMC revalidation asks for these in each three-year cycle (the course tracks only these three).
MAX_HOURS = 100.0


def validate_entry(data: dict, today: date | None = None) -> dict:
    """Check a CPD entry and return it cleaned (dates as ISO, hours as numbers).

    Raises
    ------
    CPDError
        Listing every problem at once, field by field.
    """
    problems: dict[str, str] = {}
    out: dict = {}
    try:
        out["date"] = parse_date(data.get("date"), today).isoformat()
    except ValueError as exc:
        problems["date"] = str(exc)
    method = data.get("method")
    if method not in METHODS:
        problems["method"] = "Choose how you learned (the method)."
    out["method"] = method
    out["topic"] = clean_text(data.get("topic"), "The topic", problems, "topic", True, MAX_TOPIC)
    out["practice"] = clean_text(data.get("practice"), "How it relates to your practice", problems, "practice",
                                  True)
    out["evidence"] = clean_text(data.get("evidence"), "The evidence", problems, "evidence", False)
    hours = part = None
    try:
        hours = parse_hours(data.get("hours"), "Hours")
        if hours <= 0:
            problems["hours"] = "Hours must be more than 0."
        elif hours > MAX_HOURS:
            problems["hours"] = (f"One entry can hold at most {MAX_HOURS:g} hours; split a longer programme into "
                                 "several entries.")
    except ValueError as exc:
        problems["hours"] = str(exc)
    raw_part = data.get("participatory_hours")
    try:
        part = 0.0 if raw_part in (None, "") else parse_hours(raw_part, "Participatory hours")
        if part < 0:
            problems["participatory_hours"] = "Participatory hours cannot be less than 0."
        elif hours is not None and "hours" not in problems and part > hours:
            problems["participatory_hours"] = (f"Participatory hours ({part:g}) cannot be more than the hours of "
                                               f"the activity ({hours:g}).")
    except ValueError as exc:
        problems["participatory_hours"] = str(exc)
    out["hours"], out["participatory_hours"] = hours, part
    themes = [t for t in dict.fromkeys(data.get("themes") or []) if t]
    unknown = [t for t in themes if t not in CODE_THEMES]
    if unknown:
        problems["themes"] = f"{', '.join(map(str, unknown))} is not a theme of the Code."
    elif not themes:
        problems["themes"] = "Choose at least one theme of the Code this learning relates to."
    out["themes"] = [t for t in CODE_THEMES if t in themes]
    out["module"] = str(data.get("module") or "")
    out["source"] = "course" if data.get("source") == "course" else "manual"
    if problems:
        raise CPDError(problems)
    return out


def participatory_hint(entry: dict) -> str:
    """A gentle note when the method and the participatory hours look mismatched (not an error)."""
    method = METHODS.get(entry.get("method"), ("", False))
    if method[1] and not entry.get("participatory_hours"):
        return ("You chose a way of learning that is often done with other professionals. If you learned with "
                "others, record that time as participatory hours.")
    if not method[1] and entry.get("participatory_hours"):
        return ("Participatory hours are time spent learning with other professionals; studying on your own "
                "does not count. Check this entry if you studied alone.")
    return ""


def add_entry(store: Store, data: dict, today: date | None = None) -> str:
    """Validate and save a CPD entry; returns its id."""
    return store.add_record(LOG_KIND, validate_entry(data, today), str(data.get("module") or ""))


def update_entry(store: Store, rid: str, data: dict, today: date | None = None) -> None:
    store.update_record(rid, validate_entry(data, today))


def delete_entry(store: Store, rid: str) -> None:
    store.delete_record(rid)


def log_entries(store: Store) -> list[dict]:
    """The CPD log, by date: each entry's payload with its ``id``."""
    rows = [{**r["payload"], "id": r["id"]} for r in store.records(LOG_KIND) if isinstance(r["payload"], dict)]
    rows.sort(key=lambda e: (str(e.get("date", "")), e["id"]))
    return rows


# -- the log for people: on the page, as a printable page and as a spreadsheet ---------------------
#: The columns of the log, in order: (payload key, heading).
LOG_COLUMNS = (("date", "Date"), ("topic", "Topic"), ("method", "How I learned"), ("hours", "Hours"),
               ("participatory_hours", "Participatory hours"), ("themes", "Themes of the Code"),
               ("practice", "How it relates to my practice"), ("evidence", "Evidence I hold"))


def _number(value) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def log_totals(entries: list[dict]) -> tuple[float, float]:
    """(hours, participatory hours) over *entries*."""
    return (sum(_number(e.get("hours")) for e in entries), sum(_number(e.get("participatory_hours")) for e in entries))


def log_summary(entries: list[dict]) -> str:
    """``3 entries, 7.5 hours in all, of which 4 participatory.`` (plain text)."""
    hours, part = log_totals(entries)
    return f"{counted(len(entries), 'entry', 'entries')}, {hours:g} hours in all, of which {part:g} participatory."


def _cell(entry: dict, key: str) -> str:
    value = entry.get(key)
    if key == "date":
        return display_date(value or "")
    if key == "method":
        return METHODS.get(str(value), (str(value or ""), False))[0]
    if key == "themes":
        return ", ".join(CODE_THEMES[t] for t in value or [] if t in CODE_THEMES)
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def log_table_html(entries: list[dict], caption: str = "CPD log") -> str:
    """The log as an accessible HTML table (all learner text escaped; dates never wrap)."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for _k, h in LOG_COLUMNS)
    rows = []
    for e in entries:
        cells = [f'<th scope="row" class="rc-nowrap" style="white-space:nowrap">{esc(_cell(e, "date"))}</th>']
        for key, _h in LOG_COLUMNS[1:]:
            text = _cell(e, key)
            cells.append(f"<td>{paragraphs(text) if key in ('practice', 'evidence') else esc(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="rc-table"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def log_html(entries: list[dict], produced_on: date | None = None) -> str:
    """The whole CPD log as a standalone, printable HTML page, with the date it was produced."""
    day = display_date(produced_on or date.today())
    body = log_table_html(entries) if entries else "<p>No entries yet.</p>"
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>My CPD log</title>"
            f"<style>{PRINT_CSS}</style></head><body><main><h1>My CPD log</h1>"
            f"<p><strong>Produced on:</strong> {esc(day)}</p><p>{esc(log_summary(entries))}</p>{body}"
            '<p class="small">Kept with the Resilience with Compassion course, for NMC revalidation. Participatory '
            "hours are time spent learning with other professionals.</p></main></body></html>\n")


def _csv_safe(text: str) -> str:
    """A spreadsheet must not read learner text as a formula: a leading = + - @ (or tab) gets a quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def log_csv(entries: list[dict]) -> str:
    """The CPD log as CSV for a spreadsheet: ISO dates, hours as numbers, learner text made formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([h for _k, h in LOG_COLUMNS])
    for e in entries:
        row = []
        for key, _h in LOG_COLUMNS:
            if key == "date":
                row.append(str(e.get("date") or ""))
            elif key in ("hours", "participatory_hours"):
                row.append(f"{_number(e.get(key)):g}")
            else:
                row.append(_csv_safe(_cell(e, key)))
        writer.writerow(row)
    return out.getvalue()


def _module_done(store_completed: dict, module: Module) -> str | None:
    """The local date the module's last section was marked complete, or None if any is missing."""
    stamps = []
    for s in module.sections:
        if s.id not in store_completed:
            return None
        stamps.append(store_completed[s.id])
    return max(local_date(s) for s in stamps) if stamps else None


def completed_modules(store: Store, outline: Outline | None = None) -> list[tuple[Module, str]]:
    """Modules whose every section (in course.yml) is marked complete, with the date the last one was."""
    outline = outline or load_outline()
    done = store.completed()
    out = []
    for m in outline.modules:
        when = _module_done(done, m)
        if when:
            out.append((m, when))
    return out


def module_entry(module: Module, on: str | date, today: date | None = None) -> dict:
    """A ready-made, valid CPD entry for a completed course module (hours from course.yml minutes)."""
    day = on if isinstance(on, str) else on.isoformat()
    if day > today_or(today).isoformat():
        day = today_or(today).isoformat()
    outcomes = "; ".join(o["text"].rstrip(".") for o in module.outcomes[:3])
    data = {
        "date": day,
        "method": "online",
        "topic": f"Resilience with Compassion, module {module.number}: {module.title}",
        "practice": (f"{module.summary} What I can now do: {outcomes}. (Edit this to say how it relates to your own "
                     "practice.)"),
        "hours": round(module.minutes / 60, 2),
        "participatory_hours": 0,
        "themes": ["practise-effectively", "promote-professionalism"],
        "evidence": "Course progress, journal entries and knowledge check in My record (Resilience with Compassion).",
        "module": module.id,
        "source": "course",
    }
    return validate_entry(data, today)


def add_completed_modules(store: Store, outline: Outline | None = None, today: date | None = None) -> list[str]:
    """Add every completed module not yet in the CPD log, in one step. Returns the new entry ids."""
    logged = {e.get("module") for e in log_entries(store) if e.get("source") == "course"}
    added = []
    for module, when in completed_modules(store, outline):
        if module.id in logged:
            continue
        added.append(store.add_record(LOG_KIND, module_entry(module, when, today), module.id))
    return added
