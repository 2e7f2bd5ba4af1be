"""The learner's private store: one SQLite file in the learner's own data folder.

* Where: ``platformdirs.user_data_dir("resilience-course")``, or the folder named by the
  environment variable ``RESILIENCE_COURSE_DATA_DIR`` (tests, JupyterHub, shared machines).
* Who can read it: the folder is created 0700 and the file 0600.
* How it is written: every write is one transaction (``with self._tx():``).
* What it holds: self-check results, reflections, progress, and ``records`` (a small,
  versioned document table other tools use: After Action Reviews, CPD entries, action plans...).
* Schema versions: ``PRAGMA user_version``; :data:`MIGRATIONS` upgrades an older file in place.
* A corrupt or unreadable file is never overwritten or deleted: it is renamed
  ``learner.sqlite3.corrupt-<time>`` and :attr:`Store.recovered_from` says where it went.

Nothing here sends data anywhere.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

__all__ = ["Store", "StoreError", "data_dir", "store_path", "ENV_VAR", "SCHEMA_VERSION", "open_store"]

ENV_VAR = "RESILIENCE_COURSE_DATA_DIR"
FILENAME = "learner.sqlite3"
EXPORT_FORMAT = "resilience-course-export"

MIGRATIONS: list[str] = [
    # version 1
    """
    CREATE TABLE selfcheck_results (
        id TEXT PRIMARY KEY,
        definition_id TEXT NOT NULL,
        definition_version INTEGER NOT NULL,
        answers TEXT NOT NULL,
        scores TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE reflections (
        id TEXT PRIMARY KEY,
        module TEXT NOT NULL,
        prompt_id TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE progress (
        section_id TEXT PRIMARY KEY,
        completed_at TEXT NOT NULL
    );
    CREATE INDEX reflections_by_prompt ON reflections(module, prompt_id);
    CREATE INDEX selfchecks_by_def ON selfcheck_results(definition_id, created_at);
    """,
    # version 2: a small document table for the course's other tools
    """
    CREATE TABLE records (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        module TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX records_by_kind ON records(kind, created_at);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = {
    "selfcheck_results": ["id", "definition_id", "definition_version", "answers", "scores", "created_at"],
    "reflections": ["id", "module", "prompt_id", "text", "created_at", "updated_at"],
    "progress": ["section_id", "completed_at"],
    "records": ["id", "kind", "module", "payload", "created_at", "updated_at"],
}
KEYS = {"selfcheck_results": "id", "reflections": "id", "progress": "section_id", "records": "id"}
JSON_COLUMNS = {"answers", "scores", "payload"}


class StoreError(RuntimeError):
    """A problem with the learner's store, explained in plain words."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def data_dir() -> Path:
    """The folder that holds the learner's data (``$RESILIENCE_COURSE_DATA_DIR`` or the per-user folder)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("resilience-course", appauthor=False))


def store_path() -> Path:
    return data_dir() / FILENAME


def _private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


class Store:
    """The learner's store.

    Parameters
    ----------
    path : path-like, optional
        The SQLite file; defaults to :func:`store_path`.

    Attributes
    ----------
    recovered_from : pathlib.Path or None
        Set when the file found was corrupt and was renamed aside before a new one was started.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else store_path()
        self.recovered_from: Path | None = None
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            self._set_aside(exc)
            self._open()

    # -- opening, migrations, recovery -------------------------------------------------
    def _open(self) -> None:
        try:
            _private_file(self.path)
        except OSError as exc:
            raise StoreError(f"Your course data folder {self.path.parent} cannot be used ({exc.strerror}). "
                             f"Set {ENV_VAR} to a folder you can write to.") from None
        self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA foreign_keys=ON")
            check = self.conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check}")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                self.conn.close()
                raise StoreError(f"Your course data at {self.path} was written by a newer version of the course "
                                 f"(format {version}; this version reads up to {SCHEMA_VERSION}). Nothing was changed: "
                                 "please update the course.")
            self._migrate(version)
        except sqlite3.DatabaseError:
            self.conn.close()
            raise

    def _migrate(self, version: int) -> None:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._tx() as cur:
                for statement in MIGRATIONS[target - 1].split(";"):
                    if statement.strip():
                        cur.execute(statement)
                cur.execute(f"PRAGMA user_version = {target}")

    def _set_aside(self, exc: Exception) -> None:
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
            n += 1
        os.replace(self.path, aside)
        for suffix in ("-journal", "-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
        self.recovered_from = aside

    @property
    def notice(self) -> str:
        """A plain-words message for the learner when the store had to be recovered (else empty)."""
        if not self.recovered_from:
            return ""
        return (f"Your earlier course data could not be read, so it was kept aside safely as "
                f"{self.recovered_from} and a new, empty record was started. Nothing was deleted.")

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Cursor]:
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        else:
            cur.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    # -- self-checks --------------------------------------------------------------------
    def save_selfcheck(self, definition_id: str, definition_version: int, answers: dict, scores: dict,
                       created_at: str | None = None) -> str:
        rid = uuid.uuid4().hex
        with self._tx() as cur:
            cur.execute("INSERT INTO selfcheck_results VALUES (?,?,?,?,?,?)",
                        (rid, definition_id, int(definition_version), json.dumps(answers, sort_keys=True),
                         json.dumps(scores, sort_keys=True), created_at or now()))
        return rid

    def selfcheck_history(self, definition_id: str | None = None) -> list[dict]:
        sql = "SELECT * FROM selfcheck_results"
        args: tuple = ()
        if definition_id:
            sql += " WHERE definition_id = ?"
            args = (definition_id,)
        rows = self.conn.execute(sql + " ORDER BY created_at, rowid", args).fetchall()
        return [self._row(r) for r in rows]

    def delete_selfcheck(self, rid: str) -> None:
        """Delete one saved self-check result."""
        with self._tx() as cur:
            cur.execute("DELETE FROM selfcheck_results WHERE id = ?", (rid,))
            if cur.rowcount == 0:
                raise StoreError("That result no longer exists.")

    # -- reflections ---------------------------------------------------------------------
    def save_reflection(self, module: str, prompt_id: str, text: str, created_at: str | None = None) -> str:
        text = (text or "").strip()
        if not text:
            raise StoreError("There is nothing to save yet: write your reflection first.")
        rid = uuid.uuid4().hex
        stamp = created_at or now()
        with self._tx() as cur:
            cur.execute("INSERT INTO reflections VALUES (?,?,?,?,?,?)", (rid, module, prompt_id, text, stamp, stamp))
        return rid

    def update_reflection(self, rid: str, text: str) -> None:
        text = (text or "").strip()
        if not text:
            raise StoreError("A reflection cannot be empty; delete it instead.")
        with self._tx() as cur:
            cur.execute("UPDATE reflections SET text = ?, updated_at = ? WHERE id = ?", (text, now(), rid))
            if cur.rowcount == 0:
                raise StoreError("That reflection no longer exists.")

    def delete_reflection(self, rid: str) -> None:
        with self._tx() as cur:
            cur.execute("DELETE FROM reflections WHERE id = ?", (rid,))

    def reflections(self, module: str | None = None, prompt_id: str | None = None) -> list[dict]:
        sql, args = "SELECT * FROM reflections WHERE 1=1", []
        if module is not None:
            sql += " AND module = ?"
            args.append(module)
        if prompt_id is not None:
            sql += " AND prompt_id = ?"
            args.append(prompt_id)
        return [self._row(r) for r in self.conn.execute(sql + " ORDER BY created_at, rowid", args)]

    # -- progress -------------------------------------------------------------------------
    def mark_complete(self, section_id: str) -> None:
        with self._tx() as cur:
            cur.execute("INSERT OR IGNORE INTO progress VALUES (?, ?)", (section_id, now()))

    def mark_incomplete(self, section_id: str) -> None:
        with self._tx() as cur:
            cur.execute("DELETE FROM progress WHERE section_id = ?", (section_id,))

    def completed(self) -> dict[str, str]:
        return {r["section_id"]: r["completed_at"] for r in self.conn.execute("SELECT * FROM progress")}

    def is_complete(self, section_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM progress WHERE section_id = ?", (section_id,)).fetchone() is not None

    # -- generic records ------------------------------------------------------------------
    def add_record(self, kind: str, payload: dict, module: str = "", created_at: str | None = None) -> str:
        rid = uuid.uuid4().hex
        stamp = created_at or now()
        with self._tx() as cur:
            cur.execute("INSERT INTO records VALUES (?,?,?,?,?,?)",
                        (rid, kind, module, json.dumps(payload, sort_keys=True), stamp, stamp))
        return rid

    def update_record(self, rid: str, payload: dict) -> None:
        with self._tx() as cur:
            cur.execute("UPDATE records SET payload = ?, updated_at = ? WHERE id = ?",
                        (json.dumps(payload, sort_keys=True), now(), rid))
            if cur.rowcount == 0:
                raise StoreError("That entry no longer exists.")

    def delete_record(self, rid: str) -> None:
        with self._tx() as cur:
            cur.execute("DELETE FROM records WHERE id = ?", (rid,))

    def records(self, kind: str, module: str | None = None) -> list[dict]:
        sql, args = "SELECT * FROM records WHERE kind = ?", [kind]
        if module is not None:
            sql += " AND module = ?"
            args.append(module)
        return [self._row(r) for r in self.conn.execute(sql + " ORDER BY created_at, rowid", args)]

    # -- export, import, erase ------------------------------------------------------------
    @staticmethod
    def _row(row: sqlite3.Row) -> dict:
        d = dict(row)
        for k in JSON_COLUMNS & d.keys():
            d[k] = json.loads(d[k])
        return d

    def export_data(self) -> dict:
        """Everything in the store as one JSON-ready dict."""
        out: dict[str, Any] = {"format": EXPORT_FORMAT, "schema_version": SCHEMA_VERSION, "exported_at": now()}
        for table, cols in TABLES.items():
            rows = self.conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid").fetchall()
            out[table] = [self._row(r) for r in rows]
        return out

    def export_file(self, path: str | Path) -> Path:
        path = Path(path)
        data = json.dumps(self.export_data(), indent=2, ensure_ascii=False)
        _private_file(path)
        path.write_text(data, encoding="utf-8")
        return path

    def import_data(self, data: Any, source: str = "<data>") -> dict[str, int]:
        """Merge an export into this store, adding nothing twice. Returns rows added per table.

        Raises
        ------
        StoreError
            When the data is not a course export; nothing is changed then.
        """
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise StoreError(f"{source} is not a course data export (it has no 'format: {EXPORT_FORMAT}').")
        if not isinstance(data.get("schema_version"), int) or data["schema_version"] > SCHEMA_VERSION:
            raise StoreError(f"{source} comes from a newer version of the course; please update first.")
        added = {}
        with self._tx() as cur:
            for table, cols in TABLES.items():
                rows = data.get(table, [])
                if not isinstance(rows, list):
                    raise StoreError(f"{source}: '{table}' should be a list.")
                count = 0
                for n, row in enumerate(rows):
                    if not isinstance(row, dict) or any(c not in row for c in cols if c != "module"):
                        raise StoreError(f"{source}: {table}[{n}] is incomplete; nothing was imported.")
                    values = [json.dumps(row[c], sort_keys=True) if c in JSON_COLUMNS else row.get(c, "")
                              for c in cols]
                    cur.execute(f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) "
                                f"VALUES ({', '.join('?' * len(cols))})", values)
                    count += cur.rowcount
                added[table] = count
        return added

    def import_file(self, path: str | Path) -> dict[str, int]:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StoreError(f"{path} does not exist.") from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise StoreError(f"{path} cannot be read as JSON ({exc.__class__.__name__}); "
                             "nothing was imported.") from None
        return self.import_data(data, str(path))

    def erase(self) -> None:
        """Delete every entry (the file stays, empty)."""
        with self._tx() as cur:
            for table in TABLES:
                cur.execute(f"DELETE FROM {table}")
        self.conn.execute("VACUUM")


_default: Store | None = None


def open_store() -> Store:
    """The store for this process (opened once; re-opened if the data folder changes)."""
    global _default
    if _default is None or _default.path != store_path():
        _default = Store()
    return _default
