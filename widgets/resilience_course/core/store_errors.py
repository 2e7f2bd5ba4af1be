"""What can go wrong with the learner's store, in plain words: :class:`StoreError` and its kinds.

``sqlite3`` reports a lock, a full disk, a folder that cannot be written, a disk error or a damaged
file by an error code (older Pythons: only by its message); :func:`_error_kind` names which kind it
is and :func:`_explain` says it to the learner. Used by :mod:`.store`, which re-exports these names.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["StoreError"]

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
