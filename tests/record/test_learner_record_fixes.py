"""Issue 15 fixes in My record: support plans in the journal, counts, one date format, CPD log export."""

from __future__ import annotations

import csv
import io
from datetime import date

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


def _log_entry(store, topic="Supervision skills", hours="1.5", part="1.5", when="2026-03-31"):
    from resilience_course.record.cpd_log import add_entry

    return add_entry(store, {"date": when, "method": "group", "topic": topic, "practice": "It helps me listen.",
                             "hours": hours, "participatory_hours": part, "evidence": "notes",
                             "themes": ["practise-effectively"]}, date(2026, 11, 28))


def test_cpd_log_export_is_previewed_then_offered_as_html_and_csv_downloads(store):
    from resilience_course.record.cpd_log_widgets import CPDLog

    _log_entry(store)
    w = CPDLog(store=store, today=date(2026, 11, 28))
    assert "1 entry, 1.5 hours in all, of which 1.5 participatory." in w.table_html.value
    assert "31 Mar 2026" in w.table_html.value and "2026-03-31" not in w.table_html.value
    assert "white-space:nowrap" in w.table_html.value
    assert not w.html_file.filename and not w.csv_file.filename  # nothing on offer before the preview
    w.preview()
    assert "Preview of your CPD log" in w.preview_html.value and "Supervision skills" in w.preview_html.value
    assert w.html_file.filename == "cpd-log-2026-11-28.html"
    page = w.html_file.data.decode()
    assert "<h1>My CPD log</h1>" in page and "Produced on:</strong> 28 Nov 2026" in page and "@media print" in page
    assert 'download="cpd-log-2026-11-28.html"' in w.html_file.link_html.value
    assert w.csv_file.filename == "cpd-log-2026-11-28.csv"
    rows = list(csv.reader(io.StringIO(w.csv_file.data.decode())))
    assert rows[0][:3] == ["Date", "Topic", "How I learned"] and rows[1][0] == "2026-03-31" and rows[1][3] == "1.5"
    _log_entry(store, topic="Reading")
    w.refresh()
    assert not w.html_file.filename, "a changed log withdraws the old export"
    assert "changed since the preview" in w.preview_html.value


def test_cpd_csv_never_hands_a_spreadsheet_a_formula_and_html_escapes(store):
    from resilience_course.record.cpd_log import log_csv, log_entries, log_html

    _log_entry(store, topic='=HYPERLINK("http://x")<script>')
    entries = log_entries(store)
    rows = list(csv.reader(io.StringIO(log_csv(entries))))
    assert rows[1][1].startswith("'=")
    assert "<script>" not in log_html(entries, date(2026, 11, 28))


def test_reflective_account_draft_puts_each_reflection_under_its_own_question(store):
    from resilience_course.record.reflective_accounts import account_html, draft_account

    store.save_reflection("01", "starting-point", "I chose this course because my team is stretched.")
    store.save_reflection("02", "noticing", "I notice I stop taking breaks.")
    store.save_reflection("05", "next-step", "I will ask for restorative supervision.")
    entries = journal.journal_entries(store)
    draft = draft_account(entries, today=date(2026, 11, 28))
    assert "I chose this course" in draft["activity"] and "I chose this course" not in draft["learned"]
    assert "stop taking breaks" in draft["learned"]
    assert "restorative supervision" in draft["changed"] and "restorative supervision" not in draft["learned"]
    page = account_html({**draft, "themes": ["practise-effectively"], "code": "x"})
    assert "28 Nov 2026" in page and "2026-11-28" not in page
