"""The learner's private store: one SQLite file in the learner's own data folder.

* Where: ``platformdirs.user_data_dir("resilience-course")``, or the folder named by the
  environment variable ``RESILIENCE_COURSE_DATA_DIR`` (tests, JupyterHub, shared machines).
* Who can read it: the folder is created 0700 and the file 0600.
* How it is written: every write is one transaction (``with self._tx():``).
* What it holds: self-check results, reflections, progress, and ``records`` (a small,
  versioned document table other tools use: After Action Reviews, CPD entries, action plans...).
* Schema versions: ``PRAGMA user_version``; :data:`MIGRATIONS` upgrades an older file in place.
* A damaged file is never overwritten or deleted: only when SQLite itself says the file is not a
  database or is corrupt is it renamed ``learner.sqlite3.corrupt-<time>`` (and
  :attr:`Store.recovered_from` says where it went). A lock held by another window, a full disk, a
  folder that cannot be written or a disk error moves nothing: they raise :class:`StoreError` with a
  kind, plain-words message (its :attr:`~StoreError.kind` says which) and the file stays as it was.
* Opening reads the schema version and migrates inside one ``BEGIN IMMEDIATE`` transaction, so two
  windows opening a new store at the same moment cannot both try to create it.

Nothing here sends data anywhere.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

__all__ = ["Store", "StoreError", "UnavailableStore", "data_dir", "store_path", "ENV_VAR", "SCHEMA_VERSION",
           "open_store"]

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
#: The JSON Schema each table's rows are checked against on import (a record's payload: ``record-<kind>``).
ROW_SCHEMAS = {"selfcheck_results": "record-selfcheck-result", "reflections": "record-reflection",
               "progress": "record-progress", "records": "record-entry"}
#: The largest export ``data import`` reads (about 3,000 reflections of 20,000 characters).
MAX_IMPORT_BYTES = 64 * 1024 * 1024
KEYS = {"selfcheck_results": "id", "reflections": "id", "progress": "section_id", "records": "id"}
JSON_COLUMNS = {"answers", "scores", "payload"}


#: Seconds a write waits for another window or tab that is writing at the same moment.
BUSY_TIMEOUT = 10.0

_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_FULL = {sqlite3.SQLITE_FULL}
_DENIED = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_AUTH}
_IOERR = {sqlite3.SQLITE_IOERR, sqlite3.SQLITE_NOLFS, sqlite3.SQLITE_PROTOCOL}


class StoreError(RuntimeError):
    """A problem with the learner's store, explained in plain words.

    Attributes
    ----------
    kind : str
        ``"busy"`` (another window holds the store), ``"full"`` (no space left), ``"denied"`` (the
        file or folder cannot be written), ``"disk"`` (a disk error), ``"damaged"`` (SQLite says the
        file is damaged), ``"newer"`` (written by a newer version) or ``""`` (anything else, such as
        a bad import file).
    """

    def __init__(self, message: str, kind: str = ""):
        super().__init__(message)
        self.kind = kind


class _Damaged(sqlite3.DatabaseError):
    """``PRAGMA quick_check`` found damage (SQLite's own verdict)."""


def _error_kind(exc: BaseException) -> str:
    """Which kind of store problem a ``sqlite3`` error is ("" if it is not one of the known kinds)."""
    if isinstance(exc, _Damaged):
        return "damaged"
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        primary = code & 0xFF
        for kind, codes in (("damaged", _CORRUPT), ("busy", _BUSY), ("full", _FULL), ("denied", _DENIED),
                            ("disk", _IOERR)):
            if primary in codes:
                return kind
        return ""
    text = str(exc).lower()  # older Pythons: no error code on the exception
    for kind, words in (("damaged", ("not a database", "malformed")), ("busy", ("locked", "busy")),
                        ("full", ("full",)), ("denied", ("readonly", "read-only", "unable to open")),
                        ("disk", ("disk i/o",))):
        if any(w in text for w in words):
            return kind
    return ""


def _explain(kind: str, path: Path, timeout: float) -> StoreError:
    folder = path.parent
    messages = {
        "busy": (f"Your course data is busy: another window or tab of the course has been saving for more than "
                 f"{timeout:g} seconds. Nothing was changed, and everything you saved before is safe. "
                 "Please wait a moment and try again (closing other course tabs helps)."),
        "full": ("The disk that holds your course data is full, so this could not be saved. Nothing was changed, "
                 "and everything you saved before is safe. Please free some space (or ask whoever runs your "
                 "course server), then try again."),
        "denied": (f"Your course data in {folder} cannot be written (this account may not have permission). "
                   "Nothing was changed or moved. Please ask whoever set up the course to check that folder."),
        "disk": (f"The computer could not read or write your course data in {folder} (a disk error). Nothing "
                 "was moved or deleted. Please try again; if it keeps happening, ask whoever set up the course."),
        "damaged": (f"Your course data file {path} is damaged. Nothing was deleted. Please reload the page: the "
                    "course will keep the damaged file aside and start a new record."),
    }
    return StoreError(messages[kind], kind)


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
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    except FileExistsError:  # already there (perhaps made a moment ago by another window)
        pass
    else:
        os.close(fd)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def _row_problem(table: str, row: Any, source: str) -> str:
    """What is wrong with one exported row (its table's schema, then a record's payload), or ""."""
    from .content import ContentError, validate

    if not isinstance(row, dict):
        return "it should be a set of named fields"
    try:
        validate(row, ROW_SCHEMAS[table], source)
    except ContentError as exc:
        return exc.reason if exc.entry == "(top level)" else f"{exc.entry}: {exc.reason}"
    if table == "records":
        try:
            validate(row["payload"], f"record-{row['kind']}", source)
        except ContentError as exc:
            return "payload: " + exc.reason if exc.entry == "(top level)" else f"payload.{exc.entry}: {exc.reason}"
    return ""


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

    def __init__(self, path: str | Path | None = None, timeout: float | None = None):
        self.path = Path(path) if path else store_path()
        self.timeout = BUSY_TIMEOUT if timeout is None else float(timeout)
        self.recovered_from: Path | None = None
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            if _error_kind(exc) != "damaged":
                raise self._explain(exc) from None
            try:
                self._set_aside(exc)
            except OSError as move:
                raise StoreError(f"Your course data file {self.path} is damaged, and it could not be kept aside "
                                 f"({(move.strerror or move.__class__.__name__).lower()}). Nothing was deleted. "
                                 "Please ask whoever set up the course to look at that folder.", "damaged") from None
            try:
                self._open()
            except sqlite3.DatabaseError as exc2:
                raise self._explain(exc2) from None

    def _explain(self, exc: BaseException) -> BaseException:
        """The :class:`StoreError` for a ``sqlite3`` error of a known kind, else *exc* itself."""
        kind = _error_kind(exc)
        return _explain(kind, self.path, self.timeout) if kind else exc

    # -- opening, migrations, recovery -------------------------------------------------
    def _open(self) -> None:
        try:
            _private_file(self.path)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise _explain("full", self.path, self.timeout) from None
            raise StoreError(f"Your course data folder {self.path.parent} cannot be used "
                             f"({(exc.strerror or exc.__class__.__name__).lower()}), so nothing can be saved "
                             "yet. Please ask whoever set up the course to choose a folder you can write to "
                             f"(the setting is {ENV_VAR}).", "denied") from None
        self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=self.timeout)
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA foreign_keys=ON")
            check = self.conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise _Damaged(f"integrity check failed: {check}")
            if self.conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                self._migrate()
        except BaseException:
            self.conn.close()
            raise

    def _newer(self, version: int) -> StoreError:
        return StoreError(f"Your course data at {self.path} was written by a newer version of the course "
                          f"(format {version}; this version reads up to {SCHEMA_VERSION}). Nothing was changed: "
                          "please update the course.", "newer")

    def _migrate(self) -> None:
        """Read the schema version and bring the file up to date, all inside one write transaction.

        Another window may have migrated (or created) the file since we looked: the version read
        under the write lock is the one that counts.
        """
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            version = cur.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise self._newer(version)
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target - 1].split(";"):
                    if statement.strip():
                        cur.execute(statement)
            if version < SCHEMA_VERSION:
                cur.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            cur.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

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
        """One write transaction; a lock, a full disk or a disk error becomes a :class:`StoreError`."""
        cur = self.conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._explain(exc) from None
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:  # SQLite has already rolled back
                    pass
            if isinstance(exc, sqlite3.Error):
                explained = self._explain(exc)
                if explained is not exc:
                    raise explained from None
            raise

    def _query(self, sql: str, args=()) -> list[sqlite3.Row]:
        """All rows of one read; a lock or a disk error becomes a :class:`StoreError`."""
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            explained = self._explain(exc)
            if explained is exc:
                raise
            raise explained from None

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
        return [self._row(r) for r in self._query(sql + " ORDER BY created_at, rowid", args)]

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
        return [self._row(r) for r in self._query(sql + " ORDER BY created_at, rowid", args)]

    # -- progress -------------------------------------------------------------------------
    def mark_complete(self, section_id: str) -> None:
        with self._tx() as cur:
            cur.execute("INSERT OR IGNORE INTO progress VALUES (?, ?)", (section_id, now()))

    def mark_incomplete(self, section_id: str) -> None:
        with self._tx() as cur:
            cur.execute("DELETE FROM progress WHERE section_id = ?", (section_id,))

    def completed(self) -> dict[str, str]:
        return {r["section_id"]: r["completed_at"] for r in self._query("SELECT * FROM progress")}

    def is_complete(self, section_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM progress WHERE section_id = ?", (section_id,)))

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
        return [self._row(r) for r in self._query(sql + " ORDER BY created_at, rowid", args)]

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
            rows = self._query(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid")
            out[table] = [self._row(r) for r in rows]
        return out

    def export_file(self, path: str | Path) -> Path:
        path = Path(path)
        data = json.dumps(self.export_data(), indent=2, ensure_ascii=False)
        _private_file(path)
        path.write_text(data, encoding="utf-8")
        return path

    def check_import(self, data: Any, source: str = "<data>") -> None:
        """Check a whole export before anything is imported: its format, then every row and every record.

        Each row is checked against the JSON Schema of its table, and each record's payload against the
        schema of its kind (``schemas/record-<kind>.schema.json``), so no record of the wrong shape can
        reach the journal, the CPD log or the revalidation summary.

        Raises
        ------
        StoreError
            Naming the first bad row or record and what is wrong with it ("nothing was imported").
        """
        from .limits import JSON_LIMITS, LimitError, check_depth

        try:
            check_depth(data, JSON_LIMITS.max_depth, source)
        except LimitError as exc:
            raise StoreError(f"{exc}; nothing was imported.") from None
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise StoreError(f"{source} is not a course data export (it has no 'format: {EXPORT_FORMAT}').")
        version = data.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool) or version > SCHEMA_VERSION:
            raise StoreError(f"{source} comes from a newer version of the course; please update first.")
        for table in TABLES:
            rows = data.get(table, [])
            if not isinstance(rows, list):
                raise StoreError(f"{source}: '{table}' should be a list; nothing was imported.")
            for n, row in enumerate(rows):
                problem = _row_problem(table, row, source)
                if problem:
                    kind = row.get("kind") if table == "records" and isinstance(row, dict) else None
                    what = f" (a '{kind}' record)" if isinstance(kind, str) and 0 < len(kind) <= 40 else ""
                    raise StoreError(f"{source}: {table}[{n}]{what} is not in the right shape: {problem}. "
                                     "Nothing was imported.")

    def import_data(self, data: Any, source: str = "<data>") -> dict[str, int]:
        """Merge an export into this store, adding nothing twice. Returns rows added per table.

        Every row and record is checked first (:meth:`check_import`); then all are added in one
        transaction.

        Raises
        ------
        StoreError
            When the data is not a course export or any row or record is of the wrong shape; nothing
            is changed then.
        """
        self.check_import(data, source)
        added = {}
        with self._tx() as cur:
            for table, cols in TABLES.items():
                count = 0
                for row in data.get(table, []):
                    values = [json.dumps(row[c], sort_keys=True) if c in JSON_COLUMNS else row.get(c, "")
                              for c in cols]
                    cur.execute(f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) "
                                f"VALUES ({', '.join('?' * len(cols))})", values)
                    count += cur.rowcount
                added[table] = count
        return added

    def import_file(self, path: str | Path) -> dict[str, int]:
        from .limits import LimitError, load_json_file

        path = Path(path)
        try:
            data = load_json_file(path, max_bytes=MAX_IMPORT_BYTES)
        except FileNotFoundError:
            raise StoreError(f"{path} does not exist.") from None
        except LimitError as exc:
            raise StoreError(f"{exc}; nothing was imported.") from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise StoreError(f"{path} cannot be read as JSON ({exc.__class__.__name__}); "
                             "nothing was imported.") from None
        return self.import_data(data, str(path))

    def erase(self) -> None:
        """Delete every entry (the file stays, empty)."""
        with self._tx() as cur:
            for table in TABLES:
                cur.execute(f"DELETE FROM {table}")
        try:
            self.conn.execute("VACUUM")  # so the erased entries do not linger in the file's free space
        except sqlite3.Error as exc:
            explained = self._explain(exc)
            if explained is exc:
                raise
            raise explained from None


class UnavailableStore(Store):
    """Stands in for the learner's store when it cannot be opened, so a page still shows and says why.

    A store from a newer version, a data folder that cannot be created, a lock held too long or a
    full disk: the page's widgets are built with nothing saved listed, every save raises the same
    kind :class:`StoreError` (which the widgets show where the learner is), and nothing on disk is
    touched. :attr:`message` is what the page shows once, near the top.
    """

    def __init__(self, error: StoreError, path: str | Path | None = None):  # noqa: D107 - opens nothing
        self.path = Path(path) if path else store_path()
        self.timeout = BUSY_TIMEOUT
        self.recovered_from = None
        self.error = error
        self.conn = None  # type: ignore[assignment]

    @property
    def message(self) -> str:
        return f"{self.error} Until then you can read this page, but nothing on it can be saved."

    def _raise(self):
        raise StoreError(str(self.error), self.error.kind)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Cursor]:
        self._raise()
        yield  # pragma: no cover - never reached

    def _query(self, sql: str, args=()) -> list[sqlite3.Row]:
        return []

    @property
    def schema_version(self) -> int:
        return 0

    def export_data(self) -> dict:
        self._raise()

    def close(self) -> None:
        pass


#: After the store could not be opened, pages in the same process wait this long before trying again
#: (so a page of several widgets does not wait for a held lock once per widget).
RETRY_AFTER = 30.0

_default: Store | None = None
_failed: tuple[Path, float, StoreError] | None = None


def open_store() -> Store:
    """The store for this process (opened once; re-opened if the data folder changes).

    Raises
    ------
    StoreError
        When it cannot be opened; the same error is raised again at once for :data:`RETRY_AFTER`
        seconds.
    """
    global _default, _failed
    path = store_path()
    if _default is None or _default.path != path:
        if _failed is not None and _failed[0] == path and time.monotonic() - _failed[1] < RETRY_AFTER:
            raise _failed[2]
        try:
            _default = Store(path)
        except StoreError as exc:
            _failed = (path, time.monotonic(), exc)
            raise
        _failed = None
    return _default
