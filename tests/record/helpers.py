"""Data and helpers shared by the record's tests."""

from __future__ import annotations

from datetime import date

TODAY = date(2025, 6, 1)


HOSTILE = '<script>alert("x")</script> "><img src=x onerror=alert(1)> [click](javascript:alert(1)) **bold**'


def valid(**over) -> dict:
    data = {"date": "20/05/2025", "method": "group", "topic": "Monday Club: SHARENOW", "practice": "Naming feelings",
            "hours": "1,5", "participatory_hours": "1.5", "themes": ["preserve-safety", "prioritise-people"],
            "evidence": "Notes"}
    data.update(over)
    return data


def complete_everything(store, outline, banks):
    for s in outline.sections():
        store.mark_complete(s.id)
    for mid, qids in banks.items():
        for q in qids:
            store.add_record("knowledge-check", {"question": q, "outcome": "x", "selected": ["a"],
                                                 "verdict": "correct"}, mid)


def fake_banks(outline) -> dict:
    return {m.id: [f"q{m.id}-1", f"q{m.id}-2"] for m in outline.modules}


def fill_journal(store):
    store.save_reflection("02", "noticing", "I notice I skip lunch.")
    store.add_record("after-action-review", {"title": "Clinic day", "expected": "calm", "happened": "a rush",
                                             "difference": "two off sick", "learned": "ask for help early",
                                             "created": "2025-01-01T09:00:00+00:00"}, "05")
    store.add_record("form", {"activity": "gratitude", "title": "Three good things",
                              "fields": [{"id": "a", "label": "What went well", "text": "A kind word"},
                                         {"id": "b", "label": "What I will do next", "text": "Say thank you"}]},
                     "04")
    store.save_selfcheck("sharenow", 1, {}, {"overall": 2.5, "band": "Building"})


def account(**over):
    data = {"title": "My account " + HOSTILE, "date": "2025-05-01", "activity": "Monday Club " + HOSTILE,
            "learned": "Line one\n\nLine two " + HOSTILE, "changed": "I pause first.", "code": "Preserve safety.",
            "themes": ["preserve-safety"]}
    data.update(over)
    return data
