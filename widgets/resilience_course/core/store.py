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
  :attr:`Store.recovered_from` says where it went; :attr:`Store.notice` tells the learner, on every page
  for a day after, whichever page's kernel did it: a page run ahead of the learner may have). A lock held
  by another window, a full disk, a folder that cannot be written or a disk error moves nothing: they raise
  :class:`StoreError` with a kind, plain-words message (its :attr:`~StoreError.kind` says which) and the
  file stays as it was.
* Opening reads the schema version and migrates inside one ``BEGIN IMMEDIATE`` transaction, so two
  windows opening a new store at the same moment cannot both try to create it.

Nothing here sends data anywhere. The store is split by job, all re-exported here: :mod:`.store_errors`
(:class:`StoreError` and its kinds), :mod:`.store_schema` (migrations, tables, the data folder),
:mod:`.store_entries` (saving and listing entries) and :mod:`.store_transfer` (export and checked import).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from .store_entries import Entries
from .store_errors import StoreError, _Damaged, _error_kind, _explain
from .store_schema import (
    ENV_VAR,
    EXPORT_FORMAT,
    FILENAME,
    JSON_COLUMNS,
    KEYS,
    MAX_IMPORT_BYTES,
    MIGRATIONS,
    ROW_SCHEMAS,
    SCHEMA_VERSION,
    TABLES,
    _private_file,
    data_dir,
    store_path,
)
from .store_transfer import ExportImport

#: Seconds a write waits for another window or tab that is writing at the same moment.
BUSY_TIMEOUT = 10.0
NOTICE_FOR = timedelta(days=1)  # how long pages say that a damaged file was kept aside

# The store's errors, schema, entries and export/import live in store_errors, store_schema, store_entries and
# store_transfer; their names stay importable from here.
__all__ = ["Store", "StoreError", "UnavailableStore", "data_dir", "store_path", "ENV_VAR", "SCHEMA_VERSION",
           "open_store", "BUSY_TIMEOUT", "RETRY_AFTER", "FILENAME", "EXPORT_FORMAT", "MIGRATIONS", "TABLES",
           "ROW_SCHEMAS", "MAX_IMPORT_BYTES", "KEYS", "JSON_COLUMNS"]


class Store(Entries, ExportImport):
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

    def _recent_aside(self) -> Path | None:
        """The newest damaged file kept aside (by any page's kernel) within :data:`NOTICE_FOR`, if any."""
        newest: tuple[datetime, Path] | None = None
        try:
            found = list(self.path.parent.glob(f"{self.path.name}.corrupt-*"))
        except OSError:
            return None
        for aside in found:
            tail = aside.name[len(self.path.name) + len(".corrupt-"):]
            stamp, _, n = tail.partition("-")
            if n and not n.isdigit():  # a journal or WAL file kept beside it
                continue
            try:
                when = datetime.strptime(stamp, "%Y%m%dT%H%M%S")
            except ValueError:
                continue
            if timedelta(0) <= datetime.now() - when <= NOTICE_FOR and (newest is None or when > newest[0]):
                newest = (when, aside)
        return newest[1] if newest else None

    @property
    def notice(self) -> str:
        """A plain-words message for the learner when the store had to be recovered, by this page or by
        another within :data:`NOTICE_FOR` (else empty)."""
        aside = self.recovered_from or self._recent_aside()
        if not aside:
            return ""
        return (f"Your earlier course data could not be read, so it was kept aside safely as "
                f"{aside} and a new, empty record was started. Nothing was deleted.")

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

    # -- erase ----------------------------------------------------------------------------
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
