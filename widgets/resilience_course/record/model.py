"""The learner's record: journal, CPD log, revalidation summary, reflective accounts and certificate.

No widgets here (see :mod:`resilience_course.record.widgets`). Everything is kept in the learner's own
store:

* the **journal** gathers what the learner has written across the course: reflections,
  After Action Reviews (records of kind ``"after-action-review"``), journal forms (``"form"``)
  and self-check results;
* the **CPD log** holds records of kind :data:`LOG_KIND`, one per learning activity;
* **reflective accounts** (records of kind :data:`ACCOUNT_KIND`) follow the four questions of the
  NMC's written reflective account;
* the **revalidation summary** counts hours, participatory hours and reflective accounts in a
  three-year cycle;
* the **certificate** is issued only when every module in ``course/course.yml`` is complete and
  its knowledge check has been answered.

Everything the learner writes is escaped in every export (:func:`~.html.esc` for HTML,
:func:`md_escape` for Markdown).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from ..core.content import ContentError
from ..core.course import Module, Outline, load_outline
from ..core.exports import EXPORT_ENV, write_new_file
from ..core.exports import export_dir as default_export_folder
from ..core.html import esc, paragraphs, table
from ..core.store import Store, StoreError

__all__ = [
    "CODE_THEMES", "METHODS", "TARGETS", "LOG_KIND", "ACCOUNT_KIND", "SETTINGS_KIND", "PRIVACY_REMINDER",
    "CPDError", "JournalEntry", "journal_entries", "update_journal_entry", "delete_journal_entry",
    "parse_date", "parse_hours", "validate_entry", "add_entry", "update_entry", "delete_entry", "log_entries",
    "completed_modules", "module_entry", "add_completed_modules", "Revalidation", "revalidation_summary",
    "cycle_for", "get_settings", "save_settings", "validate_account", "draft_account", "save_account",
    "accounts", "account_html", "account_markdown", "identifier_warnings", "md_escape", "ModuleStatus",
    "CertificateStatus", "certificate_status", "certificate_html", "write_new_file", "default_export_folder",
    "EXPORT_ENV",
    "PRINT_CSS", "hours_text",
]

LOG_KIND = "cpd"
ACCOUNT_KIND = "reflective-account"
SETTINGS_KIND = "cpd-settings"

#: The four themes of the NMC Code (2015, updated 2018).
CODE_THEMES: dict[str, str] = {
    "prioritise-people": "Prioritise people",
    "practise-effectively": "Practise effectively",
    "preserve-safety": "Preserve safety",
    "promote-professionalism": "Promote professionalism and trust",
}

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
TARGETS = {"hours": 35.0, "participatory": 20.0, "accounts": 5, "years": 3}

MAX_HOURS = 100.0
MAX_TEXT = 5000
MAX_ENTRY = 20000
MAX_TOPIC = 200

PRIVACY_REMINDER = ("Before you share this, read it through once more: nothing in it may identify a patient, "
                    "a family, a service user or a colleague (no names, initials, addresses, dates of birth, "
                    "places or details that would let someone recognise them).")

KIND_LABELS = {"reflection": "Reflection", "after-action-review": "After Action Review", "form": "Journal form",
               "self-check": "Self-check"}


class CPDError(ValueError):
    """An entry that cannot be saved. ``problems`` maps each field to a plain-words message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        super().__init__(" ".join(self.problems.values()))


# -- small helpers -----------------------------------------------------------------------------
def _today(today: date | None) -> date:
    return today or date.today()


def _local_date(stamp: str) -> str:
    """The local calendar date (YYYY-MM-DD) of a stored ISO time stamp."""
    try:
        dt = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp)[:10]
    if dt.tzinfo is not None:
        dt = dt.astimezone()
    return dt.date().isoformat()


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def hours_text(hours: float) -> str:
    """``1.5`` -> ``"1.5 hours"``, ``1`` -> ``"1 hour"``."""
    value = f"{round(float(hours), 2):g}"
    return f"{value} hour{'' if value == '1' else 's'}"


def parse_date(value, today: date | None = None, field_label: str = "The date") -> date:
    """A date typed as ``2024-05-20`` or ``20/05/2024``; never in the future.

    Raises
    ------
    ValueError
        With a message the learner can act on.
    """
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError(f"{field_label} is missing: type it as 2024-05-20 or 20/05/2024.")
        d = None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                d = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if d is None:
            raise ValueError(f"{field_label} {text!r} is not a date I can read: type it as 2024-05-20 or "
                             "20/05/2024.")
    if d > _today(today):
        raise ValueError(f"{field_label} {d.strftime('%d %B %Y')} is in the future: record learning once it "
                         "has happened.")
    if d.year < 1950:
        raise ValueError(f"{field_label} {d.isoformat()} is too long ago; please check the year.")
    return d


def parse_hours(value, field_label: str = "Hours") -> float:
    """A number of hours typed as ``1.5``, ``1,5`` or ``2``."""
    if isinstance(value, bool):
        raise ValueError(f"{field_label}: enter a number, for example 1.5 for an hour and a half.")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value or "").strip().replace(",", ".")
        if text.lower().endswith(("hours", "hour", "hrs", "hr", "h")):
            text = re.sub(r"\s*(hours|hour|hrs|hr|h)$", "", text, flags=re.I)
        if not text:
            raise ValueError(f"{field_label} is missing: enter a number, for example 1.5.")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{field_label} {str(value)!r} is not a number: enter, for example, 1.5 for an hour "
                             "and a half.") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{field_label} must be an ordinary number.")
    return round(number, 2)


def md_escape(text) -> str:
    """Escape learner text for Markdown: no raw HTML, links, emphasis, headings or lists survive."""
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # no raw HTML in any renderer
    s = re.sub(r"([\\`*_\[\]{}#|~!])", r"\\\1", s)
    lines = []
    for line in s.split("\n"):
        m = re.match(r"^(\s*)([-+=]|\d+[.)])", line)
        if m:
            marker = m.group(2)
            line = m.group(1) + (marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker) + \
                line[m.end():]
        lines.append(line)
    return "\n".join(lines)


# -- the journal ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class JournalEntry:
    """One thing the learner wrote (or a self-check result), in a common shape.

    ``key`` is ``"reflection:<id>"``, ``"record:<id>"`` or ``"selfcheck:<id>"``; ``fields`` holds
    ``(label, text)`` pairs.
    """

    key: str
    kind: str
    module: str
    stamp: str
    title: str
    fields: tuple[tuple[str, str], ...]
    editable: bool = True
    keys: tuple[str, ...] = ()  # where each field is kept in a record's payload

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def day(self) -> str:
        return _local_date(self.stamp)

    @property
    def day_text(self) -> str:
        """The date for people to read, for example ``26 Nov 2025``."""
        try:
            return date.fromisoformat(self.day).strftime("%d %b %Y")
        except ValueError:
            return self.day

    @property
    def text(self) -> str:
        return "\n\n".join(t for _, t in self.fields if t)

    def matches(self, query: str) -> bool:
        words = [w for w in (query or "").lower().split() if w]
        hay = " ".join([self.title, self.kind_label, *[f"{a} {b}" for a, b in self.fields]]).lower()
        return all(w in hay for w in words)

    def label(self, outline: Outline | None = None) -> str:
        return f"{self.day_text} · {module_label(self.module, outline)} · {self.kind_label}: {self.title}"


def module_label(module_id: str, outline: Outline | None = None) -> str:
    if not module_id or module_id == "course":
        return "Course-wide"
    try:
        m = (outline or load_outline()).module(module_id)
    except (KeyError, ContentError):
        return f"Module {module_id}"
    return f"Module {m.number}: {m.title}"


def _words(ident: str) -> str:
    text = re.sub(r"[-_]+", " ", str(ident or "")).strip()
    return text[:1].upper() + text[1:] if text else "Reflection"


_META_KEYS = {"activity", "title", "module", "version", "kind", "id", "created", "created_at", "updated_at",
              "date"}


def _aar_labels() -> dict[str, str]:
    try:
        from ..support.model import AAR_QUESTIONS

        return {key: question for key, question, _hint in AAR_QUESTIONS}
    except Exception:  # module 5's engine missing or changed: fall back to the field names
        return {}


def _record_fields(payload: dict) -> list[tuple[str, str, str]]:
    """(key, label, text) for each text field of a record's payload."""
    if isinstance(payload.get("fields"), list):
        return [(str(n), str(f.get("label") or _words(f.get("id", ""))), str(f.get("text") or ""))
                for n, f in enumerate(payload["fields"]) if isinstance(f, dict)]
    keys = [k for k, v in payload.items()
            if k not in _META_KEYS and isinstance(v, (str, int, float)) and not isinstance(v, bool)]
    labels = _aar_labels()
    order = {k: n for n, k in enumerate(labels)}
    keys.sort(key=lambda k: (order.get(k, len(order)), k))
    return [(k, labels.get(k) or _words(k), str(payload[k])) for k in keys]


def _selfcheck_title(definition_id: str) -> str:
    try:
        from ..selfcheck.model import load_definition

        return load_definition(definition_id).title
    except Exception:  # an unknown or removed definition still shows, by its id
        return _words(definition_id)


def journal_entries(store: Store, outline: Outline | None = None) -> list[JournalEntry]:
    """Everything in the learner's journal, oldest first (ordered by module, then date, by the caller)."""
    out: list[JournalEntry] = []
    for r in store.reflections():
        out.append(JournalEntry(f"reflection:{r['id']}", "reflection", r["module"], r["created_at"],
                                _words(r["prompt_id"]), (("Reflection", r["text"]),)))
    for kind in ("after-action-review", "form"):
        for r in store.records(kind):
            payload = r["payload"] if isinstance(r["payload"], dict) else {}
            title = str(payload.get("title") or KIND_LABELS[kind])
            fields = _record_fields(payload)
            out.append(JournalEntry(f"record:{r['id']}", kind, r["module"], r["created_at"], title,
                                    tuple((label, text) for _k, label, text in fields),
                                    keys=tuple(k for k, _label, _text in fields)))
    titles: dict[str, str] = {}
    for r in store.selfcheck_history():
        did = r["definition_id"]
        if did not in titles:
            titles[did] = _selfcheck_title(did)
        scores = r["scores"] if isinstance(r["scores"], dict) else {}
        if scores.get("band") is not None:
            summary = f"{scores.get('band')} (score {scores.get('overall')})"
        else:
            summary = "Answers saved."
        out.append(JournalEntry(f"selfcheck:{r['id']}", "self-check", "course", r["created_at"], titles[did],
                                (("Result", summary),), editable=False))
    out.sort(key=lambda e: (e.stamp, e.key))
    return out


def update_journal_entry(store: Store, entry: JournalEntry, texts: list[str]) -> None:
    """Replace the text of each field of *entry* (in order). Raises StoreError for a bad edit."""
    if not entry.editable:
        raise StoreError("Self-check results are scores, so they cannot be edited; take the check again instead.")
    if len(texts) != len(entry.fields):
        raise StoreError("The edit does not match the entry; please reload the page.")
    texts = [str(t or "").strip() for t in texts]
    if any(len(t) > MAX_ENTRY for t in texts):
        raise StoreError(f"A journal entry can be at most {MAX_ENTRY} characters in each box.")
    source, rid = entry.key.split(":", 1)
    if source == "reflection":
        store.update_reflection(rid, texts[0])
        return
    if not any(texts):
        raise StoreError("An entry cannot be empty; delete it instead.")
    rows = [r for r in store.records(entry.kind) if r["id"] == rid]
    if not rows:
        raise StoreError("That entry no longer exists.")
    payload = dict(rows[0]["payload"])
    current = [k for k, _label, _text in _record_fields(payload)]
    if current != list(entry.keys):
        raise StoreError("That entry has changed since the page was opened; please reload the page.")
    if isinstance(payload.get("fields"), list):
        new_fields = list(payload["fields"])
        for k, t in zip(entry.keys, texts):
            new_fields[int(k)] = {**new_fields[int(k)], "text": t}
        payload["fields"] = new_fields
    else:
        for k, t in zip(entry.keys, texts):
            payload[k] = t
    store.update_record(rid, payload)


def delete_journal_entry(store: Store, entry: JournalEntry) -> None:
    source, rid = entry.key.split(":", 1)
    if source == "reflection":
        store.delete_reflection(rid)
    elif source == "record":
        store.delete_record(rid)
    elif source == "selfcheck":
        store.delete_selfcheck(rid)
    else:
        raise StoreError("This entry cannot be deleted here.")


# -- the CPD log ---------------------------------------------------------------------------------
def _clean_text(value, label: str, problems: dict, key: str, required: bool, limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip()
    if required and not text:
        problems[key] = f"{label} is missing."
    elif len(text) > limit:
        problems[key] = f"{label} is too long ({len(text)} characters; at most {limit})."
    return text


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
    out["topic"] = _clean_text(data.get("topic"), "The topic", problems, "topic", True, MAX_TOPIC)
    out["practice"] = _clean_text(data.get("practice"), "How it relates to your practice", problems, "practice",
                                  True)
    out["evidence"] = _clean_text(data.get("evidence"), "The evidence", problems, "evidence", False)
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


def _module_done(store_completed: dict, module: Module) -> str | None:
    """The local date the module's last section was marked complete, or None if any is missing."""
    stamps = []
    for s in module.sections:
        if s.id not in store_completed:
            return None
        stamps.append(store_completed[s.id])
    return max(_local_date(s) for s in stamps) if stamps else None


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
    if day > _today(today).isoformat():
        day = _today(today).isoformat()
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


# -- revalidation ----------------------------------------------------------------------------
def get_settings(store: Store) -> dict:
    rows = store.records(SETTINGS_KIND)
    return dict(rows[-1]["payload"]) if rows else {}


def save_settings(store: Store, revalidation_date: str) -> dict:
    """Save the learner's next revalidation date ('' clears it). Raises ValueError for a bad date."""
    text = str(revalidation_date or "").strip()
    payload = {"revalidation_date": ""}
    if text:
        d = None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                d = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if d is None:
            raise ValueError(f"{text!r} is not a date I can read: type it as 2026-03-31 or 31/03/2026.")
        payload["revalidation_date"] = d.isoformat()
    rows = store.records(SETTINGS_KIND)
    if rows:
        store.update_record(rows[-1]["id"], payload)
    else:
        store.add_record(SETTINGS_KIND, payload)
    return payload


def cycle_for(revalidation_date: str | date | None, today: date | None = None) -> tuple[date, date]:
    """The three-year cycle ending on the revalidation date (or today if none is set): (first day, last day)."""
    if isinstance(revalidation_date, str) and revalidation_date:
        end = date.fromisoformat(revalidation_date)
    elif isinstance(revalidation_date, date):
        end = revalidation_date
    else:
        end = _today(today)
    return _years_before(end, TARGETS["years"]) + timedelta(days=1), end


@dataclass(frozen=True)
class Revalidation:
    """Progress toward the CPD and reflective-account requirements in one cycle."""

    start: date
    end: date
    hours: float
    participatory: float
    accounts: int
    counted: int
    outside: int

    def rows(self) -> list[list[str]]:
        t = TARGETS
        return [
            ["CPD hours", f"{t['hours']:g}", f"{self.hours:g}", f"{max(t['hours'] - self.hours, 0):g}"],
            ["of which participatory", f"{t['participatory']:g}", f"{self.participatory:g}",
             f"{max(t['participatory'] - self.participatory, 0):g}"],
            ["Written reflective accounts", str(t["accounts"]), str(self.accounts),
             str(max(t["accounts"] - self.accounts, 0))],
        ]

    @property
    def met(self) -> bool:
        t = TARGETS
        return self.hours >= t["hours"] and self.participatory >= t["participatory"] and self.accounts >= t["accounts"]

    def percents(self) -> list[float]:
        t = TARGETS
        return [min(100.0, round(100 * self.hours / t["hours"])),
                min(100.0, round(100 * self.participatory / t["participatory"])),
                min(100.0, round(100 * self.accounts / t["accounts"]))]

    def chart(self):
        from ..core.charts import bar_chart

        labels = ["CPD hours", "Participatory hours", "Reflective accounts"]
        summary = (f"You have {self.hours:g} of {TARGETS['hours']:g} CPD hours, {self.participatory:g} of "
                   f"{TARGETS['participatory']:g} participatory hours and {self.accounts} of {TARGETS['accounts']} "
                   "reflective accounts in this cycle.")
        return bar_chart("Progress toward revalidation (% of each requirement)", labels, self.percents(),
                         "Per cent of requirement met", (0, 110), summary)

    def to_html(self, with_chart: bool = True) -> str:
        period = f"{self.start.strftime('%d %B %Y')} to {self.end.strftime('%d %B %Y')}"
        parts = [f"<p>Your cycle: <strong>{esc(period)}</strong>. {self.counted} CPD "
                 f"entr{'y' if self.counted == 1 else 'ies'} counted"
                 + (f"; {self.outside} outside this cycle not counted" if self.outside else "") + ".</p>"]
        if self.met:
            parts.append('<div class="rc-ok" role="status"><p>You have met the CPD hours, participatory hours and '
                         "reflective accounts for this cycle. Well done.</p></div>")
        if with_chart:
            parts.append(self.chart().to_html())
        parts.append(table(["Requirement", "Needed", "You have", "Still to do"], self.rows(),
                           caption="Revalidation requirements tracked here"))
        parts.append('<p class="rc-muted">Revalidation also asks for practice hours, five pieces of practice-related '
                     "feedback, a reflective discussion, a health and character declaration, indemnity and a "
                     "confirmer. This course does not track those: check the NMC's revalidation guidance.</p>")
        return "".join(parts)


def revalidation_summary(entries: Iterable[dict], account_dates: Iterable[str], revalidation_date=None,
                         today: date | None = None) -> Revalidation:
    """Count CPD hours, participatory hours and reflective accounts dated within the cycle."""
    start, end = cycle_for(revalidation_date, today)
    hours = part = 0.0
    counted = outside = 0
    for e in entries:
        try:
            d = date.fromisoformat(str(e.get("date")))
        except ValueError:
            outside += 1
            continue
        if start <= d <= end:
            hours += float(e.get("hours") or 0)
            part += float(e.get("participatory_hours") or 0)
            counted += 1
        else:
            outside += 1
    n_accounts = 0
    for a in account_dates:
        try:
            d = date.fromisoformat(str(a))
        except ValueError:
            continue
        if start <= d <= end:
            n_accounts += 1
    return Revalidation(start, end, round(hours, 2), round(part, 2), n_accounts, counted, outside)


# -- reflective accounts -----------------------------------------------------------------------
ACCOUNT_FIELDS = {
    "activity": "What was the activity, the feedback, or the event or experience in your practice?",
    "learned": "What did you learn from it?",
    "changed": "How did you change or improve your practice as a result, or how will you?",
    "code": "How is this relevant to the Code?",
}


def validate_account(data: dict, today: date | None = None) -> dict:
    problems: dict[str, str] = {}
    out = {"title": _clean_text(data.get("title"), "The title", problems, "title", False, MAX_TOPIC)}
    try:
        out["date"] = parse_date(data.get("date"), today, "The date of the account").isoformat()
    except ValueError as exc:
        problems["date"] = str(exc)
    labels = {"activity": "The activity", "learned": "What you learned", "changed": "How your practice changed",
              "code": "How it relates to the Code"}
    for key, label in labels.items():
        out[key] = _clean_text(data.get(key), label, problems, key, True)
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


def draft_account(entries: list[JournalEntry], outline: Outline | None = None,
                  today: date | None = None) -> dict:
    """A first draft of a reflective account from the journal entries the learner chose (to edit)."""
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
        "date": _today(today).isoformat(),
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


_IDENTIFIER_PATTERNS = [
    (re.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b"), "a number that looks like an NHS number"),
    (re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr|Baby)\.? [A-Z][a-z]+"), "a title followed by a name"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"), "something that looks like a postcode"),
    (re.compile(r"\b(born|DOB|d\.o\.b\.?)\b[^.]{0,20}\d", re.I), "what may be a date of birth"),
]


def identifier_warnings(text: str) -> list[str]:
    """Gentle warnings about things in *text* that might identify someone (never a guarantee either way)."""
    found = []
    for pattern, what in _IDENTIFIER_PATTERNS:
        if pattern.search(text or ""):
            found.append(f"This may contain {what}. Please check that nobody can be identified.")
    return found


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
            f"<p><strong>Date:</strong> {esc(a.get('date', ''))}</p>"
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
    out = [f"# {md_escape(title)}", "", f"**Date:** {md_escape(a.get('date', ''))}", "",
           f"**Themes of the Code:** {md_escape(themes)}", "", f"> **Reminder.** {md_escape(PRIVACY_REMINDER)}", ""]
    for n, (k, q) in enumerate(ACCOUNT_FIELDS.items(), start=1):
        out += [f"## {n}. {md_escape(q)}", "", md_escape(a.get(k, "")).strip(), ""]
    out.append("_Written in the four-part structure of the NMC written reflective account, with the Resilience "
               "with Compassion course (based on iHV, 2015)._")
    return "\n".join(out) + "\n"


# -- certificate --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    sections_missing: tuple[str, ...]
    questions_total: int
    questions_missing: int
    bank_problem: str = ""
    completed_on: str = ""

    @property
    def complete(self) -> bool:
        return (not self.sections_missing and not self.bank_problem and self.questions_total > 0
                and self.questions_missing == 0)

    def missing_text(self) -> list[str]:
        out = []
        if self.sections_missing:
            out.append(f"sections not yet marked complete: {', '.join(self.sections_missing)}")
        if self.bank_problem:
            out.append(self.bank_problem)
        elif self.questions_missing:
            out.append(f"{self.questions_missing} of {self.questions_total} knowledge-check questions not yet "
                       "answered correctly")
        return out


@dataclass(frozen=True)
class CertificateStatus:
    modules: tuple[ModuleStatus, ...]
    minutes: int
    completed_on: str = ""
    course_title: str = "Resilience with Compassion"
    citation: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.modules) and all(m.complete for m in self.modules)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    def missing_html(self) -> str:
        done = sum(1 for m in self.modules if m.complete)
        items = []
        for m in self.modules:
            if m.complete:
                continue
            items.append(f"<li><strong>Module {m.module.number}: {esc(m.module.title)}</strong>: "
                         f"{esc('; '.join(m.missing_text()))}.</li>")
        return (f"<p>Your certificate is ready when every module is complete: all its sections marked complete "
                f"and every question in its knowledge check answered correctly at least once. You have completed "
                f"{done} of {len(self.modules)} modules. Still to do:</p><ul>{''.join(items)}</ul>")


def _bank_ids(module: Module, root: Path) -> list[str]:
    from ..knowledge.model import load_bank

    return [q.id for q in load_bank(root / module.folder / "questions.yml")]


def certificate_status(store: Store, outline: Outline | None = None,
                       banks: dict[str, list[str]] | None = None) -> CertificateStatus:
    """What the learner has completed. ``banks`` (module id -> question ids) replaces the question files."""
    outline = outline or load_outline()
    done = store.completed()
    out = []
    last = ""
    for m in outline.modules:
        missing = tuple(s.title for s in m.sections if s.id not in done)
        problem = ""
        try:
            ids = list(banks[m.id]) if banks is not None else _bank_ids(m, outline.root)
        except KeyError:
            ids, problem = [], "its knowledge check is not available yet"
        except ContentError as exc:
            ids = []
            problem = ("its knowledge check is not available yet" if "does not exist" in exc.reason
                       else "its knowledge check cannot be read just now")
        right: dict[str, str] = {}
        for r in store.records("knowledge-check", m.id):
            p = r["payload"] if isinstance(r["payload"], dict) else {}
            if p.get("verdict") == "correct" and p.get("question") in ids:
                right.setdefault(p["question"], r["created_at"])
        status = ModuleStatus(m, missing, len(ids), len(set(ids) - set(right)), problem)
        if status.complete:
            stamps = [done[s.id] for s in m.sections] + list(right.values())
            when = max(_local_date(s) for s in stamps)
            status = ModuleStatus(m, missing, len(ids), 0, "", when)
            last = max(last, when)
        out.append(status)
    return CertificateStatus(tuple(out), sum(m.minutes for m in outline.modules), last, outline.title,
                             outline.citation)


def certificate_html(status: CertificateStatus, name: str = "") -> str:
    """A printable certificate of completion. Raises ValueError unless every module is complete."""
    if not status.complete:
        raise ValueError("The certificate is available once every module is complete.")
    when = date.fromisoformat(status.completed_on).strftime("%d %B %Y")
    rows = "".join(f"<tr><th scope=\"row\">Module {m.module.number}</th><td>{esc(m.module.title)}</td>"
                   f"<td>{m.module.minutes} minutes</td><td>{esc(m.completed_on)}</td></tr>" for m in status.modules)
    who = (f'<p class="name">{esc(name.strip())}</p>' if name and name.strip()
           else '<p class="name blank">Name: ____________________________________</p>')
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            f"<title>Certificate of completion: {esc(status.course_title)}</title><style>{PRINT_CSS}"
            f"{_CERT_CSS}</style></head><body><main class=\"certificate\">"
            "<p class=\"kicker\">Certificate of completion</p>"
            f"<h1>{esc(status.course_title)}</h1>{who}"
            f"<p>has completed all {len(status.modules)} modules of this open course on the health visiting "
            f"Resilience Framework, about <strong>{status.hours:g} hours</strong> of study "
            f"({status.minutes} minutes), finishing on <strong>{esc(when)}</strong>.</p>"
            "<table><caption>Modules completed</caption><thead><tr><th scope=\"col\">Module</th>"
            "<th scope=\"col\">Title</th><th scope=\"col\">Estimated time</th><th scope=\"col\">Completed on</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
            "<p>Completing a module means that every section was marked complete and every question of its "
            "knowledge check was answered correctly at least once.</p>"
            '<section class="limits"><h2>What this certificate does not say</h2><ul>'
            "<li>It is not a qualification and carries no academic credit.</li>"
            "<li>It is not an assessment of competence or of fitness to practise: the knowledge checks are "
            "formative and can be retried.</li>"
            "<li>It is not endorsed by the Nursing and Midwifery Council (NMC) or by the Institute of Health "
            "Visiting.</li></ul>"
            "<p>You may use it as evidence of CPD for revalidation, alongside your own reflective accounts.</p>"
            "</section>"
            f'<p class="small">{esc(status.citation)}</p></main></body></html>\n')


PRINT_CSS = ("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d1d1f;line-height:1.6;"
              "margin:0;padding:2rem;}main{max-width:46rem;margin:0 auto;}h1{font-size:1.8rem;}"
              "h2{font-size:1.2rem;margin-top:1.5rem;}.reminder{border-left:6px solid #8a5a00;background:#fff8e6;"
              "padding:0.5rem 1rem;}.small{font-size:0.9rem;color:#4a4a4f;}table{border-collapse:collapse;"
              "margin:1rem 0;}th,td{border:1px solid #c9ced6;padding:0.3rem 0.6rem;text-align:left;}"
              "caption{text-align:left;font-weight:600;}@media print{body{padding:0;}"
              ".reminder{background:none;}}")
_CERT_CSS = (".certificate{border:4px double #1b5e7a;padding:2rem 2.5rem;}.kicker{text-transform:uppercase;"
             "letter-spacing:0.1em;color:#1b5e7a;font-weight:600;}.name{font-size:1.4rem;margin:1rem 0;}"
             ".limits{border-top:1px solid #c9ced6;margin-top:1.5rem;}@page{size:A4;margin:1.5cm;}")


