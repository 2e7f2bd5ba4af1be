"""The learner's store under real faults (issue 14, item 1): concurrent first opens, a held lock, a full disk.

Only SQLite's own verdict ("not a database", "malformed") sets a file aside. Locks and full disks raise a
kind :class:`StoreError` (with its ``kind``), move nothing and lose nothing already saved. Every case uses
real processes or a real (tiny, test-made) filesystem.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from resilience_course.core import store as store_mod
from resilience_course.core.store import SCHEMA_VERSION, Store, StoreError

PYTHON = sys.executable


def aside_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".corrupt-" in p.name)


def reflection_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM reflections").fetchone()[0]
    finally:
        conn.close()


# -- two (here: six) windows opening a new store at the same moment -----------------------------------
WRITER = textwrap.dedent("""
    import sys
    from resilience_course.core.store import Store
    path, n, who = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    print("ready", flush=True)
    sys.stdin.readline()  # everybody opens at the same moment
    s = Store(path)
    if s.recovered_from:
        print("SET ASIDE", s.recovered_from)
    for i in range(n):
        s.save_reflection("01", "p", f"{who}-{i}")
    s.close()
    print("ok")
""")


@pytest.mark.slow
def test_windows_opening_a_new_store_at_once_all_keep_their_work(tmp_path):
    """Two tabs on first launch used to set the brand-new store aside and lose later writes."""
    writers, each = 4, 10
    for attempt in range(8):  # the race is real but narrow: a new store each time, eight chances to bite
        folder = tmp_path / f"data{attempt}"
        path = folder / "learner.sqlite3"
        procs = [subprocess.Popen([PYTHON, "-c", WRITER, str(path), str(each), f"w{n}"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for n in range(writers)]
        for p in procs:
            assert p.stdout.readline().strip() == "ready"
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        results = [p.communicate(timeout=120) for p in procs]
        for proc, (out, err) in zip(procs, results):
            assert proc.returncode == 0 and out.strip() == "ok", (attempt, out, err[-800:])
        assert aside_files(folder) == []
        assert reflection_count(path) == writers * each


# -- another process holds the store locked for longer than the busy timeout --------------------------
HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("ROLLBACK")
    conn.close()
""")


def hold_lock(path: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([PYTHON, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_held_lock_on_open_moves_nothing_and_says_so_kindly(tmp_path):
    path = tmp_path / "learner.sqlite3"
    with Store(path) as s:
        s.save_reflection("01", "p", "written before the lock")
    before = path.read_bytes()
    holder = hold_lock(path, 4)
    try:
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            Store(path, timeout=1)
        assert time.monotonic() - started < 3.5  # the lock was still held when the store gave up
        assert holder.poll() is None
    finally:
        holder.wait(timeout=30)
    assert info.value.kind == "busy"
    message = str(info.value)
    assert "busy" in message and "safe" in message and "Traceback" not in message
    assert aside_files(tmp_path) == []
    assert path.read_bytes() == before
    with Store(path) as s:
        assert [r["text"] for r in s.reflections()] == ["written before the lock"]


def test_a_held_lock_while_saving_keeps_what_was_saved(tmp_path):
    path = tmp_path / "learner.sqlite3"
    s = Store(path, timeout=1)
    try:
        s.save_reflection("01", "p", "first")
        holder = hold_lock(path, 4)
        try:
            with pytest.raises(StoreError) as info:
                s.save_reflection("01", "p", "second")
            assert info.value.kind == "busy"
            with pytest.raises(StoreError):
                s.reflections()  # an exclusive lock blocks reading too: still a kind StoreError
        finally:
            holder.wait(timeout=30)
        s.save_reflection("01", "p", "third")
        assert [r["text"] for r in s.reflections()] == ["first", "third"]
    finally:
        s.close()
    assert aside_files(tmp_path) == []


def test_the_store_default_busy_timeout_is_the_documented_one(tmp_path):
    with Store(tmp_path / "learner.sqlite3") as s:
        assert s.timeout == store_mod.BUSY_TIMEOUT == 10.0


# -- a full disk ---------------------------------------------------------------------------------------
@pytest.fixture
def tiny_disk(tmp_path):
    """A 768 KB tmpfs made for this test (needs root); unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("a full-disk test needs root to mount a tiny tmpfs (CI runs as root)")
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=768k,mode=0700", "tmpfs", str(mnt)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({proc.stderr.strip()})")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(folder: Path) -> Path:
    """Fill the filesystem holding *folder* to the last byte; return the filler file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (65536, 4096, 1):  # big writes first, then down to the last byte
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def version_1_store(path: Path, rows: int) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(store_mod.MIGRATIONS[0])
    conn.executemany("INSERT INTO reflections VALUES (?,?,?,?,?,?)",
                     [(f"r{n}", "01", "p", f"old entry {n} " + "x" * 300, "t", "t") for n in range(rows)])
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def test_a_migration_on_a_full_disk_moves_nothing_and_loses_nothing(tiny_disk):
    """A migration that met a full disk used to set the store aside: the journal then showed empty."""
    folder = tiny_disk / "data"
    folder.mkdir(mode=0o700)
    path = folder / "learner.sqlite3"
    version_1_store(path, rows=300)
    before = path.read_bytes()
    filler = fill(tiny_disk)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert info.value.kind == "full"
    assert "full" in str(info.value) and "safe" in str(info.value)
    assert aside_files(folder) == []
    assert path.read_bytes() == before
    filler.unlink()
    with Store(path) as s:  # with space again, the same file is migrated, every entry still there
        assert s.schema_version == SCHEMA_VERSION
        assert len(s.reflections()) == 300 and s.recovered_from is None


def test_saving_on_a_full_disk_says_so_and_keeps_what_was_saved(tiny_disk):
    path = tiny_disk / "learner.sqlite3"
    s = Store(path)
    try:
        for n in range(5):
            s.save_reflection("01", "p", f"kept {n}")
        filler = fill(tiny_disk)
        with pytest.raises(StoreError) as info:
            for _n in range(50):  # a page or two may still fit in free pages: keep writing until it is full
                s.save_reflection("01", "p", "new " + "y" * 20_000)
        assert info.value.kind == "full"
        texts = [r["text"] for r in s.reflections()]
        assert texts[:5] == [f"kept {n}" for n in range(5)]
        filler.unlink()
        s.save_reflection("01", "p", "after space was freed")
        assert s.reflections()[-1]["text"] == "after space was freed"
    finally:
        s.close()
    assert aside_files(tiny_disk) == []


def test_a_new_store_on_a_full_disk_gets_the_full_message(tiny_disk):
    fill(tiny_disk)
    with pytest.raises(StoreError) as info:
        Store(tiny_disk / "data" / "learner.sqlite3")
    assert info.value.kind in {"full"}
    assert "full" in str(info.value)


# -- only SQLite's own verdict sets a file aside ------------------------------------------------------
def test_damage_found_by_sqlite_still_sets_the_file_aside(tmp_path):
    path = tmp_path / "learner.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with Store(path) as s:
        assert s.recovered_from is not None and s.recovered_from.exists()


def test_an_unknown_operational_error_is_not_corruption(tmp_path):
    assert store_mod._error_kind(sqlite3.OperationalError("table selfcheck_results already exists")) == ""
    exc = sqlite3.OperationalError("database is locked")
    assert store_mod._error_kind(exc) == "busy"


# -- what the learner sees on the page ----------------------------------------------------------------------
def test_a_reflection_saved_on_a_full_disk_says_so_on_the_page_and_stays_in_the_box(tiny_disk):
    from resilience_course.record.reflection_widgets import Reflection

    s = Store(tiny_disk / "learner.sqlite3")
    try:
        s.save_reflection("02", "noticing", "kept")
        w = Reflection("02", "noticing", "What do you notice?", store=s)
        filler = fill(tiny_disk)
        text = "a long reflection " * 1000
        w.textarea.value = text
        w.save_button.click()
        assert "disk" in w.message and "full" in w.message and "full" in w.status_html.value
        assert w.textarea.value == text and "Traceback" not in w.status_html.value
        assert [r["text"] for r in s.reflections()] == ["kept"]
        filler.unlink()
        w.save_button.click()
        assert w.message.startswith("Saved") and len(s.reflections()) == 2
    finally:
        s.close()


def test_a_reflection_saved_while_another_tab_holds_the_store_says_so(tmp_path):
    from resilience_course.record.reflection_widgets import Reflection

    path = tmp_path / "learner.sqlite3"
    s = Store(path, timeout=1)
    try:
        w = Reflection("02", "noticing", "What do you notice?", store=s)
        holder = hold_lock(path, 4)
        try:
            w.textarea.value = "written while locked"
            assert w.save() is None  # called directly: nothing may escape (a click would only log it)
            assert "busy" in w.message and "busy" in w.status_html.value
            assert w.textarea.value == "written while locked"
        finally:
            holder.wait(timeout=30)
        w.save_button.click()
        assert w.message.startswith("Saved") and [r["text"] for r in s.reflections()] == ["written while locked"]
    finally:
        s.close()
    assert aside_files(tmp_path) == []


def test_a_damaged_file_that_cannot_be_moved_is_a_kind_store_error(tmp_path, monkeypatch):
    path = tmp_path / "learner.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)

    def refuse(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store_mod.os, "replace", refuse)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert info.value.kind == "damaged" and "Nothing was deleted" in str(info.value)
    assert path.read_bytes().startswith(b"this is not a database")
