"""Issue 15 fixes in My record: support plans in the journal, counts, one date format, CPD log export."""

from __future__ import annotations

import pytest
from resilience_course.core.store import StoreError
from resilience_course.record import journal
from resilience_course.record.common import counted
from resilience_course.record.journal_widgets import Journal
from resilience_course.support.finder import find_support, save_plan
from resilience_course.support.menu import load_models


def _plan(store):
    needs = [n.id for n in load_models().needs][:2]
    return save_plan(store, needs, find_support(needs)), needs


def test_a_saved_support_plan_appears_in_the_journal(store):
    rid, needs = _plan(store)
    entries = journal.journal_entries(store)
    plan = next(e for e in entries if e.kind == "support-plan")
    assert plan.key == f"record:{rid}" and plan.kind_label == "Support plan"
    labels = {n.id: n.label for n in load_models().needs}
    what, support = dict(plan.fields)["What I need"], dict(plan.fields)["Support to ask about"]
    assert all(labels[n] in what for n in needs)
    assert support and support != "(none found)"
    with pytest.raises(StoreError, match="support finder"):
        journal.update_journal_entry(store, plan, ["x", "y"])
    w = Journal(store=store)
    html = w.list_html.value if hasattr(w, "list_html") else "".join(
        getattr(c, "value", "") for c in w.children if hasattr(c, "value"))
    assert "Support plan: My support plan" in html
    journal.delete_journal_entry(store, plan)
    assert store.records("support-plan") == []


def test_counts_read_as_english():
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(0, "entry", "entries") == "0 entries"
    assert counted(2, "module") == "2 modules"


def test_journal_says_1_entry_not_1_entries(store):
    store.save_reflection("01", "p1", "A thought")
    w = Journal(store=store)
    html = "".join(getattr(c, "value", "") for c in _walk(w))
    assert "Showing 1 of 1 entry." in html and "1 entries" not in html


def test_journal_dates_use_the_courses_one_format(store):
    store.save_reflection("01", "p1", "A thought")
    entry = journal.journal_entries(store)[0]
    from resilience_course.core.dates import display_date

    assert entry.day_text == display_date(entry.day)
    assert len(entry.day_text.split()) == 3 and not entry.day_text[:4].isdigit()


def _walk(w):
    yield w
    for c in getattr(w, "children", ()):
        yield from _walk(c)
