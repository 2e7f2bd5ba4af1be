"""Every record kind has a JSON Schema, and ``data import`` checks every record against it (issue 14, item 6).

A record of the wrong shape used to be imported and then break the CPD log, the revalidation summary or the
After Action Review until the learner erased everything; a list where text belongs gave a raw sqlite
traceback; deep nesting gave ``RecursionError``. Now the first bad record is named, nothing is imported,
and there is no traceback.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from resilience_course.core.content import load_schema, schema_names
from resilience_course.core.store import ROW_SCHEMAS, Store, StoreError

TODAY = date(2025, 6, 1)
STAMP = "2025-05-01T10:00:00+00:00"


def made_by_the_course(store: Store) -> None:
    """One record of every kind, each made by the code that makes it in the course (or shaped exactly so)."""
    from resilience_course.benchmark.model import check_action, load_factors
    from resilience_course.cohort.model import load_survey, save_evaluation
    from resilience_course.core.course import load_outline
    from resilience_course.record.cpd_log import add_entry
    from resilience_course.record.reflective_accounts import save_account
    from resilience_course.record.revalidation import save_settings
    from resilience_course.support.aar import save_aar
    from resilience_course.support.finder import find_support, save_plan
    from resilience_course.support.menu import load_models

    store.save_selfcheck("sharenow", 1, {"s1": 3, "s2": 4}, {"overall": 3.5, "subscales": {"a": 3.0},
                                                            "band": "Some", "signpost": None})
    store.save_reflection("02", "noticing", "I notice I skip lunch.")
    store.mark_complete("02.01")
    save_aar(store, title="Clinic", expected="calm", happened="a rush", difference="two off", learned="ask early")
    add_entry(store, {"date": "20/05/2025", "method": "group", "topic": "Monday Club", "practice": "Naming feelings",
                      "hours": "1,5", "participatory_hours": "1.5", "themes": ["preserve-safety"],
                      "evidence": "Notes"}, TODAY)
    save_settings(store, "2027-03-31")
    save_account(store, {"title": "Account", "date": "2025-05-01", "activity": "a", "learned": "b", "changed": "c",
                         "code": "d", "themes": ["prioritise-people"], "sources": ["reflection:x"]}, TODAY)
    menu = load_models()
    needs = [menu.needs[0].id]
    save_plan(store, needs, find_support(needs, menu))
    survey = load_survey("evaluation")
    outline = load_outline()
    module = outline.modules[0]
    scale = survey.confidence_values
    save_evaluation(store, survey, module.id, "before", {o["id"]: scale[0] for o in module.outcomes},
                    outline=outline)
    # as activities/widgets.py, knowledge/widgets.py and benchmark/widgets.py save them
    store.add_record("form", {"activity": "gratitude", "title": "Three good things",
                              "fields": [{"id": "a", "label": "What went well", "text": "A kind word"}]}, "04")
    store.add_record("knowledge-check", {"question": "q1", "outcome": "02-1", "selected": ["a"],
                                         "verdict": "correct"}, "02")
    tool = load_factors()
    factor = tool.factors[0]
    store.add_record("benchmark-response", {"response_id": "a" * 32, "revision": 1, "team": "Team A",
                                            "cycle": "2025", "ratings": {factor.id: 3},
                                            "indicators": {factor.indicators[0].id: "partly"},
                                            "comments": {factor.id: "ok"}, "written": None,
                                            "written_revision": 0}, "benchmark")
    action = check_action({"factor": factor.id, "indicator": factor.indicators[0].id, "action": "Meet",
                           "owner": "team leader", "due": "2025-07-01", "review": "2025-08-01"}, tool)
    store.add_record("benchmark-action-plan", {"team": "Team A", "cycle": "2025", "actions": [action]}, "benchmark")
    store.add_record("quiz-draft", {"assignment": "module-01-quiz", "answers": {"q1": "AC", "reflection-x": "Text"},
                                    "saved_at": "2026-01-01T10:00:00+00:00"}, "01")
    store.add_record("quiz-submission", {"assignment": "module-01-quiz", "submitted_at": "2026-01-01T10:05:00+00:00",
                                         "route": "exchange"}, "01")


KINDS = ["after-action-review", "benchmark-action-plan", "benchmark-response", "cpd", "cpd-settings", "evaluation",
         "form", "knowledge-check", "quiz-draft", "quiz-submission", "reflective-account", "support-plan"]


def kinds_in_the_code() -> set[str]:
    """Every record kind the package saves: ``*KIND = "..."`` constants and ``add_record("...", ...)`` literals."""
    import re

    import resilience_course

    found = set()
    for path in Path(resilience_course.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'^\s*[A-Z_]*KIND\s*=\s*"([a-z-]+)"', text, re.M))
        found |= set(re.findall(r'add_record\(\s*"([a-z-]+)"', text))
    return found


def test_every_record_kind_and_table_has_a_schema():
    names = set(schema_names())
    kinds = load_schema("record-entry")["properties"]["kind"]["enum"]
    assert set(KINDS) <= set(kinds)
    assert kinds_in_the_code() - set(kinds) == set(), "a record kind the course saves has no schema"
    assert {f"record-{k}" for k in kinds} <= names
    assert set(ROW_SCHEMAS.values()) <= names


@pytest.fixture(scope="module")
def made_once(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("source") / "source.sqlite3") as s:
        made_by_the_course(s)
        data = s.export_data()
    assert sorted({r["kind"] for r in data["records"]}) == KINDS
    return data


@pytest.fixture
def full_export(made_once):
    """One record of every kind (made once per module), a fresh copy for each test."""
    return copy.deepcopy(made_once)


def test_everything_the_course_saves_imports_cleanly(full_export, tmp_path):
    with Store(tmp_path / "target.sqlite3") as t:
        added = t.import_data(full_export)
        assert added == {"selfcheck_results": 1, "reflections": 1, "progress": 1, "records": len(KINDS)}


def bad(export: dict, kind: str, change) -> dict:
    data = copy.deepcopy(export)
    rec = next(r for r in data["records"] if r["kind"] == kind)
    change(rec["payload"])
    return data


WRONG = [
    ("cpd", lambda p: p.update(hours="lots"), "hours"),
    ("cpd", lambda p: p.update(themes="preserve-safety"), "themes"),
    ("cpd", lambda p: p.update(date="last week"), "date"),
    ("cpd-settings", lambda p: p.update(revalidation_date=["2027"]), "revalidation_date"),
    ("reflective-account", lambda p: p.update(learned={"a": 1}), "learned"),
    ("after-action-review", lambda p: p.update(happened=["a", "list"]), "happened"),
    ("after-action-review", lambda p: p.pop("learned"), "learned"),
    ("form", lambda p: p.update(fields="text"), "fields"),
    ("benchmark-action-plan", lambda p: p["actions"][0].update(due=5), "due"),
    ("evaluation", lambda p: p.update(stage="during"), "stage"),
]


@pytest.mark.parametrize("kind, change, field", WRONG)
def test_a_record_of_the_wrong_shape_is_named_and_nothing_is_imported(full_export, tmp_path, kind, change, field):
    data = bad(full_export, kind, change)
    n = next(i for i, r in enumerate(data["records"]) if r["kind"] == kind)
    with Store(tmp_path / "target.sqlite3") as t:
        t.save_reflection("01", "p", "kept")
        with pytest.raises(StoreError) as info:
            t.import_data(data, "export.json")
        message = str(info.value)
        assert f"records[{n}]" in message and f"'{kind}' record" in message and field in message
        assert "Nothing was imported" in message
        assert [r["text"] for r in t.reflections()] == ["kept"] and t.export_data()["records"] == []


def test_the_first_bad_record_is_the_one_named(full_export, tmp_path):
    data = copy.deepcopy(full_export)
    data["records"] = [data["records"][0], {"id": "x"}, {"id": "y"}]
    with Store(tmp_path / "t.sqlite3") as t, pytest.raises(StoreError, match=r"records\[1\]"):
        t.import_data(data)


def test_a_list_where_text_belongs_is_refused_without_a_sqlite_error(full_export, tmp_path):
    data = copy.deepcopy(full_export)
    data["reflections"][0]["text"] = ["not", "text"]
    with Store(tmp_path / "t.sqlite3") as t:
        with pytest.raises(StoreError) as info:
            t.import_data(data)
        assert "reflections[0]" in str(info.value) and "text" in str(info.value)
        assert t.reflections() == []


def test_an_unknown_record_kind_is_refused(full_export, tmp_path):
    data = copy.deepcopy(full_export)
    data["records"][0]["kind"] = "mystery"
    with Store(tmp_path / "t.sqlite3") as t, pytest.raises(StoreError, match=r"records\[0\].*kind"):
        t.import_data(data)


def test_a_deeply_nested_import_names_the_depth_limit(full_export, tmp_path):
    data = copy.deepcopy(full_export)
    text = json.dumps(data)[:-1] + ', "extra": ' + "[" * 50_000 + "]" * 50_000 + "}"
    path = tmp_path / "deep.json"
    path.write_text(text)
    with Store(tmp_path / "t.sqlite3") as t:
        with pytest.raises(StoreError) as info:
            t.import_file(path)
        assert str(path) in str(info.value) and "nested too deeply" in str(info.value)
        nested: list = []
        for _ in range(5000):
            nested = [nested]
        data["records"][0]["payload"]["extra"] = nested
        with pytest.raises(StoreError, match="nested too deeply"):
            t.import_data(data)


def test_a_huge_text_is_refused_with_a_short_message(full_export, tmp_path):
    data = copy.deepcopy(full_export)
    data["reflections"][0]["text"] = "x" * 200_000
    with Store(tmp_path / "t.sqlite3") as t, pytest.raises(StoreError) as info:
        t.import_data(data)
    assert "too long" in str(info.value) and len(str(info.value)) < 400


def test_data_import_command_names_the_bad_record_without_a_traceback(full_export, tmp_path):
    data = bad(full_export, "cpd", lambda p: p.update(hours=[1, 2]))
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data))
    env = dict(os.environ, RESILIENCE_COURSE_DATA_DIR=str(tmp_path / "data"))
    res = subprocess.run([sys.executable, "-m", "resilience_course.cli", "data", "import", str(path)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr and "'cpd' record" in res.stderr and "hours" in res.stderr
    with Store(tmp_path / "data" / "learner.sqlite3") as s:
        assert s.export_data()["records"] == []
