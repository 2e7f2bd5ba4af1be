"""The CPD log (record/cpd_log.py): entries checked field by field, saved, changed and deleted; completed
modules added in one step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from resilience_course.core.course import load_outline
from resilience_course.record import common, cpd_log

from .helpers import TODAY, valid


def test_a_valid_entry_is_cleaned():
    out = cpd_log.validate_entry(valid(), TODAY)
    assert out["date"] == "2025-05-20"
    assert out["hours"] == 1.5 and out["participatory_hours"] == 1.5
    assert out["themes"] == ["prioritise-people", "preserve-safety"]  # in the Code's order
    assert out["source"] == "manual"


@pytest.mark.parametrize("over, field, words", [
    ({"hours": "0"}, "hours", "more than 0"),
    ({"hours": "-2"}, "hours", "more than 0"),
    ({"hours": "two"}, "hours", "not a number"),
    ({"hours": ""}, "hours", "missing"),
    ({"hours": "150"}, "hours", "split"),
    ({"participatory_hours": "2"}, "participatory_hours", "cannot be more than"),
    ({"participatory_hours": "-1"}, "participatory_hours", "less than 0"),
    ({"date": (TODAY + timedelta(days=1)).isoformat()}, "date", "future"),
    ({"date": "31/02/2025"}, "date", "not a date"),
    ({"date": ""}, "date", "missing"),
    ({"method": "telepathy"}, "method", "method"),
    ({"topic": "   "}, "topic", "missing"),
    ({"practice": ""}, "practice", "missing"),
    ({"themes": []}, "themes", "at least one"),
    ({"themes": ["be-nice"]}, "themes", "not a theme"),
])
def test_bad_entries_are_refused_with_a_clear_message(over, field, words):
    with pytest.raises(common.CPDError) as err:
        cpd_log.validate_entry(valid(**over), TODAY)
    assert field in err.value.problems
    assert words in err.value.problems[field]


def test_every_problem_is_reported_at_once():
    with pytest.raises(common.CPDError) as err:
        cpd_log.validate_entry({"hours": "x"}, TODAY)
    assert {"date", "method", "topic", "practice", "hours", "themes"} <= set(err.value.problems)


def test_today_is_allowed_and_participatory_defaults_to_zero():
    out = cpd_log.validate_entry(valid(date=TODAY.isoformat(), participatory_hours=""), TODAY)
    assert out["date"] == TODAY.isoformat() and out["participatory_hours"] == 0


def test_participatory_hint_flags_solitary_study_with_participatory_hours():
    assert "on your own" in cpd_log.participatory_hint(cpd_log.validate_entry(valid(method="online"), TODAY))
    assert "participatory" in cpd_log.participatory_hint(cpd_log.validate_entry(valid(participatory_hours="0"), TODAY))
    assert cpd_log.participatory_hint(cpd_log.validate_entry(valid(), TODAY)) == ""


def test_entries_are_saved_changed_and_deleted(store):
    rid = cpd_log.add_entry(store, valid(), TODAY)
    cpd_log.update_entry(store, rid, valid(topic="Changed", hours="2"), TODAY)
    [entry] = cpd_log.log_entries(store)
    assert entry["topic"] == "Changed" and entry["hours"] == 2
    with pytest.raises(common.CPDError):
        cpd_log.update_entry(store, rid, valid(hours="0"), TODAY)
    assert cpd_log.log_entries(store)[0]["hours"] == 2  # a bad edit loses nothing
    cpd_log.delete_entry(store, rid)
    assert cpd_log.log_entries(store) == []


def test_completed_modules_are_added_in_one_step_with_hours_from_the_outline(store):
    outline = load_outline()
    done, partial = outline.modules[1], outline.modules[2]
    for s in done.sections:
        store.mark_complete(s.id)
    store.mark_complete(partial.sections[0].id)
    added = cpd_log.add_completed_modules(store, outline)
    assert len(added) == 1
    [entry] = cpd_log.log_entries(store)
    assert entry["module"] == done.id and entry["source"] == "course"
    assert entry["hours"] == round(done.minutes / 60, 2)
    assert entry["participatory_hours"] == 0  # studying alone is not participatory
    assert done.title in entry["topic"]
    assert entry["date"] == max(common.local_date(store.completed()[s.id]) for s in done.sections)
    assert cpd_log.add_completed_modules(store, outline) == []  # never twice


def test_module_entry_is_a_valid_entry_for_every_module():
    for m in load_outline().modules:
        entry = cpd_log.module_entry(m, TODAY, TODAY)
        assert entry["hours"] == round(m.minutes / 60, 2) and entry["hours"] > 0
