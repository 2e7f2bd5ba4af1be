"""The journal: everything the learner has written across the course, in one shape (no widgets).

It gathers reflections, After Action Reviews (records of kind ``"after-action-review"``), journal
forms (``"form"``), support plans from the support finder (``"support-plan"``) and self-check results;
entries can be changed (never a self-check score or a support plan, which are made by a tool) or deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.course import Outline
from ..core.dates import display_date
from ..core.store import Store, StoreError
from .common import local_date, module_label

__all__ = ["KIND_LABELS", "MAX_ENTRY", "JournalEntry", "journal_entries", "update_journal_entry",
           "delete_journal_entry"]

MAX_ENTRY = 20000

KIND_LABELS = {"reflection": "Reflection", "after-action-review": "After Action Review", "form": "Journal form",
               "support-plan": "Support plan", "self-check": "Self-check"}


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
    keys: tuple[str, ...] = ()  # where each field is kept in a record's payload (a reflection: its prompt id)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def day(self) -> str:
        return local_date(self.stamp)

    @property
    def day_text(self) -> str:
        """The date for people to read, for example ``26 Nov 2025`` (the course's one date format)."""
        return display_date(self.day)

    @property
    def text(self) -> str:
        return "\n\n".join(t for _, t in self.fields if t)

    def matches(self, query: str) -> bool:
        words = [w for w in (query or "").lower().split() if w]
        hay = " ".join([self.title, self.kind_label, *[f"{a} {b}" for a, b in self.fields]]).lower()
        return all(w in hay for w in words)

    def label(self, outline: Outline | None = None) -> str:
        return f"{self.day_text} · {module_label(self.module, outline)} · {self.kind_label}: {self.title}"


def _words(ident: str) -> str:
    text = re.sub(r"[-_]+", " ", str(ident or "")).strip()
    return text[:1].upper() + text[1:] if text else "Reflection"


_META_KEYS = {"activity", "title", "module", "version", "kind", "id", "created", "created_at", "updated_at",
              "date"}


def _aar_labels() -> dict[str, str]:
    try:
        from ..support.aar import AAR_QUESTIONS

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


def _plan_fields(payload: dict) -> tuple[tuple[str, str], ...]:
    """What a support plan says, for people: the needs chosen (by their labels) and the models found."""
    try:
        from ..support.menu import load_models

        labels = {n.id: n.label for n in load_models().needs}
    except Exception:  # the menu's data missing or changed: show the needs by their ids
        labels = {}
    needs = [labels.get(str(n), _words(str(n))) for n in payload.get("needs") or [] if isinstance(n, str)]
    models = [str(m.get("name") or _words(m.get("model", ""))) for m in payload.get("models") or []
              if isinstance(m, dict)]
    return (("What I need", "; ".join(needs) or "(none chosen)"),
            ("Support to ask about", "; ".join(models) or "(none found)"))


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
                                _words(r["prompt_id"]), (("Reflection", r["text"]),), keys=(str(r["prompt_id"]),)))
    for kind in ("after-action-review", "form"):
        for r in store.records(kind):
            payload = r["payload"] if isinstance(r["payload"], dict) else {}
            title = str(payload.get("title") or KIND_LABELS[kind])
            fields = _record_fields(payload)
            out.append(JournalEntry(f"record:{r['id']}", kind, r["module"], r["created_at"], title,
                                    tuple((label, text) for _k, label, text in fields),
                                    keys=tuple(k for k, _label, _text in fields)))
    for r in store.records("support-plan"):
        payload = r["payload"] if isinstance(r["payload"], dict) else {}
        out.append(JournalEntry(f"record:{r['id']}", "support-plan", r["module"], r["created_at"],
                                "My support plan", _plan_fields(payload), editable=False))
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
        if entry.kind == "support-plan":
            raise StoreError("A support plan is made by the support finder, so it cannot be edited here; "
                             "make a new plan in module 5 instead.")
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
