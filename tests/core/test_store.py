"""The learner store: private, transactional, migratable, recoverable; export/import/erase."""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest
from resilience_course.core import store as store_mod
from resilience_course.core.store import SCHEMA_VERSION, Store, StoreError


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_file_is_private_and_in_the_env_folder(data_dir):
    s = Store()
    try:
        assert s.path == data_dir / "learner.sqlite3"
        assert mode(s.path) == 0o600
        assert mode(data_dir) == 0o700
    finally:
        s.close()


def test_permissions_are_tightened_on_an_existing_file(tmp_path):
    path = tmp_path / "learner.sqlite3"
    Store(path).close()
    os.chmod(path, 0o644)
    Store(path).close()
    assert mode(path) == 0o600


def test_default_folder_is_per_user(monkeypatch):
    monkeypatch.delenv(store_mod.ENV_VAR, raising=False)
    import platformdirs

    assert store_mod.data_dir() == store_mod.Path(platformdirs.user_data_dir("resilience-course", appauthor=False))


def test_selfcheck_reflection_progress_and_records_round_trip(store):
    rid = store.save_selfcheck("sharenow", 1, {"s1": 3}, {"overall": 3.0})
    assert store.selfcheck_history("sharenow")[0]["id"] == rid
    assert store.selfcheck_history("sharenow")[0]["answers"] == {"s1": 3}
    store.save_reflection("02", "p1", "  first  ")
    assert [r["text"] for r in store.reflections("02", "p1")] == ["first"]
    with pytest.raises(StoreError):
        store.save_reflection("02", "p1", "   ")
    store.mark_complete("02.01")
    store.mark_complete("02.01")
    assert list(store.completed()) == ["02.01"] and store.is_complete("02.01")
    store.mark_incomplete("02.01")
    assert not store.is_complete("02.01")
    rec = store.add_record("after-action-review", {"learned": "x"}, "05")
    store.update_record(rec, {"learned": "y"})
    assert store.records("after-action-review")[0]["payload"] == {"learned": "y"}
    store.delete_record(rec)
    assert store.records("after-action-review") == []


def test_selfcheck_result_can_be_deleted(store):
    keep = store.save_selfcheck("sharenow", 1, {}, {"overall": 2.0})
    gone = store.save_selfcheck("sharenow", 1, {}, {"overall": 3.0})
    store.delete_selfcheck(gone)
    assert [h["id"] for h in store.selfcheck_history()] == [keep]
    with pytest.raises(StoreError):
        store.delete_selfcheck(gone)


def test_reflection_edit_and_delete(store):
    rid = store.save_reflection("03", "p", "draft")
    store.update_reflection(rid, "final")
    assert store.reflections()[0]["text"] == "final"
    with pytest.raises(StoreError):
        store.update_reflection("missing", "x")
    store.delete_reflection(rid)
    assert store.reflections() == []


def test_a_failed_write_changes_nothing(store):
    store.save_reflection("01", "p", "kept")
    with pytest.raises(sqlite3.IntegrityError):
        with store._tx() as cur:
            cur.execute("INSERT INTO reflections VALUES ('a','01','p','new','t','t')")
            cur.execute("INSERT INTO reflections VALUES ('a','01','p','dup','t','t')")  # same primary key
    assert [r["text"] for r in store.reflections()] == ["kept"]


def test_import_is_all_or_nothing(store, tmp_path):
    export = store.export_data()
    export["reflections"] = [
        {"id": "ok", "module": "01", "prompt_id": "p", "text": "t", "created_at": "2025-01-01T10:00:00+00:00",
         "updated_at": "2025-01-01T10:00:00+00:00"},
        {"id": "broken"},
    ]
    with pytest.raises(StoreError, match="reflections\\[1\\]"):
        store.import_data(export)
    assert store.reflections() == []


def test_export_import_round_trip_adds_no_duplicates(store, tmp_path):
    store.save_selfcheck("sharenow", 1, {"s1": 3}, {"overall": 3.0})
    store.save_reflection("01", "p", "<b>mine</b>")
    store.mark_complete("01.00")
    store.add_record("form", {"activity": "x", "title": "X", "fields": [{"id": "a", "label": "A", "text": "t"}]}, "04")
    out = store.export_file(tmp_path / "export.json")
    assert mode(out) == 0o600
    data = json.loads(out.read_text())
    assert data["format"] == "resilience-course-export" and data["schema_version"] == SCHEMA_VERSION
    other = Store(tmp_path / "other.sqlite3")
    added = other.import_file(out)
    assert added == {"selfcheck_results": 1, "reflections": 1, "progress": 1, "records": 1}
    assert other.import_file(out) == {"selfcheck_results": 0, "reflections": 0, "progress": 0, "records": 0}
    assert other.export_data()["reflections"] == data["reflections"]
    other.close()


@pytest.mark.parametrize("content, words", [
    ("not json", "cannot be read"),
    ('{"format": "something-else"}', "not a course data export"),
    ('{"format": "resilience-course-export", "schema_version": 999}', "newer version"),
    ('{"format": "resilience-course-export", "schema_version": 1, "reflections": {}}', "should be a list"),
])
def test_bad_import_files_are_refused_with_a_reason(store, tmp_path, content, words):
    store.save_reflection("01", "p", "kept")
    path = tmp_path / "in.json"
    path.write_text(content)
    with pytest.raises(StoreError, match=words):
        store.import_file(path)
    assert len(store.reflections()) == 1


def test_erase_empties_everything(store):
    store.save_reflection("01", "p", "x")
    store.mark_complete("01.00")
    store.erase()
    data = store.export_data()
    assert all(data[t] == [] for t in store_mod.TABLES)


def test_corrupt_file_is_set_aside_not_deleted(tmp_path):
    path = tmp_path / "learner.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    s = Store(path)
    assert s.recovered_from is not None and s.recovered_from.exists()
    assert s.recovered_from.read_bytes().startswith(b"this is not a database")
    assert "kept aside" in s.notice and str(s.recovered_from) in s.notice
    s.save_reflection("01", "p", "fresh start")
    assert len(s.reflections()) == 1
    s.close()


def test_every_page_says_a_damaged_file_was_kept_aside_for_a_day(tmp_path, monkeypatch):
    """The page whose kernel keeps a damaged file aside may be one run ahead of the learner (a preheated
    page, publish/heated.py), which is then never shown: the next pages must say so too."""
    import os
    from datetime import datetime, timedelta

    from resilience_course.core import store as store_mod

    path = tmp_path / "learner.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    Store(path).close()  # a page run ahead kept it aside
    later = Store(path)  # the page the learner opens
    assert later.recovered_from is None and "kept aside" in later.notice
    aside = next(tmp_path.glob("learner.sqlite3.corrupt-*"))
    assert str(aside) in later.notice
    later.close()
    # a day on, pages no longer say it (the file stays where it was put)
    real = datetime

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz=None):
            return real.now(tz) + store_mod.NOTICE_FOR + timedelta(minutes=1)

    monkeypatch.setattr(store_mod, "datetime", Tomorrow)
    assert Store(path).notice == "" and aside.exists()
    # journal files kept beside a damaged file are not taken for it
    os.replace(aside, tmp_path / "learner.sqlite3.corrupt-20000101T000000-journal")
    monkeypatch.setattr(store_mod, "datetime", real)
    assert Store(path).notice == ""


def test_truncated_database_is_set_aside(tmp_path):
    path = tmp_path / "learner.sqlite3"
    s = Store(path)
    for n in range(200):
        s.save_reflection("01", "p", "x" * 500 + str(n))
    s.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    s2 = Store(path)
    assert s2.recovered_from is not None
    assert s2.recovered_from.stat().st_size == len(data) // 2
    s2.close()


def test_newer_format_is_refused_without_changes(tmp_path):
    path = tmp_path / "learner.sqlite3"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)
    assert path.read_bytes() == before


def test_migrates_a_version_1_file(tmp_path):
    path = tmp_path / "learner.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(store_mod.MIGRATIONS[0])
    conn.execute("INSERT INTO reflections VALUES ('r1','01','p','old entry','t','t')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    s = Store(path)
    assert s.schema_version == SCHEMA_VERSION
    assert s.reflections()[0]["text"] == "old entry"
    s.add_record("form", {"a": 1})
    s.close()


def test_unwritable_folder_gets_a_clear_message(tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot be used"):
        Store(blocker / "learner.sqlite3")
