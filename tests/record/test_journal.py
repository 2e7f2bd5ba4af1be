"""The journal (record/journal.py): every kind of entry gathered, edited and deleted."""

from __future__ import annotations

import pytest
from resilience_course.core.store import StoreError
from resilience_course.record import journal

from .helpers import fill_journal


def test_journal_gathers_every_kind_and_edits_them(store):
    fill_journal(store)
    entries = journal.journal_entries(store)
    assert sorted(e.kind for e in entries) == ["after-action-review", "form", "reflection", "self-check"]
    aar = next(e for e in entries if e.kind == "after-action-review")
    assert [label for label, _ in aar.fields][0] == "What did you expect to happen?"
    assert "created" not in aar.keys
    journal.update_journal_entry(store, aar, ["hoped", "chaos", "staffing", "learned a lot"])
    payload = store.records("after-action-review")[0]["payload"]
    assert payload["happened"] == "chaos" and payload["created"] == "2025-01-01T09:00:00+00:00"
    form = next(e for e in journal.journal_entries(store) if e.kind == "form")
    journal.update_journal_entry(store, form, ["Better", ""])
    assert [f["text"] for f in store.records("form")[0]["payload"]["fields"]] == ["Better", ""]
    check = next(e for e in entries if e.kind == "self-check")
    with pytest.raises(StoreError):
        journal.update_journal_entry(store, check, ["x"])
    journal.delete_journal_entry(store, check)  # a result can be deleted, never edited
    assert store.selfcheck_history() == []
    with pytest.raises(StoreError):
        journal.delete_journal_entry(store, check)  # already gone
    refl = next(e for e in entries if e.kind == "reflection")
    with pytest.raises(StoreError):
        journal.update_journal_entry(store, refl, [""])
    journal.delete_journal_entry(store, refl)
    assert store.reflections() == []
    assert next(e for e in journal.journal_entries(store) if e.kind == "form").matches("better")
