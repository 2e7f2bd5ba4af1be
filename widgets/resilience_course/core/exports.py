"""Where learner exports go, and the course's one way of writing a file: atomic, exact and private.

* :func:`write_atomic` writes bytes or text exactly, through a private (0600) temporary file in the
  same folder that is moved into place only when complete, so a reader never sees half a file and
  a full disk leaves nothing behind. By default it never replaces a different file.
* :func:`write_new_file` is what every export uses (After Action Reviews, reflective accounts, the
  certificate, response files): a new file in the export folder that never overwrites another;
  if the name is taken, ``-2``, ``-3``... is added before the extension.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["EXPORT_ENV", "export_dir", "write_atomic", "write_new_file"]

EXPORT_ENV = "RESILIENCE_COURSE_EXPORT_DIR"


def export_dir() -> Path:
    """Where exports go unless the learner names a folder: ``$RESILIENCE_COURSE_EXPORT_DIR``, else
    ``~/resilience-course-exports``."""
    env = os.environ.get(EXPORT_ENV)
    return Path(env).expanduser() if env else Path.home() / "resilience-course-exports"


def _as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def write_atomic(path: str | Path, data: bytes | str, replace: bool = False) -> Path:
    """Write *data* (bytes, or text as UTF-8 exactly, newlines untouched) to *path*, atomically, mode 0600.

    A file already at *path* is replaced only when ``replace`` is true; without it, a file holding
    exactly these bytes is accepted as already written, and any other raises ``FileExistsError``.

    Raises
    ------
    OSError
        When the folder does not exist or cannot be written (``FileNotFoundError``), the disk is
        full, or a different file is already there (``FileExistsError``). Nothing is left behind.
    """
    path = Path(path).expanduser()
    raw = _as_bytes(data)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"the folder {path.parent} does not exist")
    if path.exists() and not (replace and path.is_file()):
        try:
            if path.is_file() and path.read_bytes() == raw:
                return path
        except OSError:
            pass
        raise FileExistsError(f"{path} already exists; choose another folder or move that file first")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if a file appeared meanwhile: never overwrite it
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links
                if path.exists() or path.is_symlink():
                    raise FileExistsError(f"{path} already exists") from None
                os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    return path


def write_new_file(folder: str | Path | None, filename: str, text: bytes | str) -> Path:
    """Write *text* exactly to a new private file (0600) in *folder* (default :func:`export_dir`).

    Never overwrites: if the name is taken, ``-2``, ``-3``... is added before the extension.

    Raises
    ------
    OSError
        When the folder cannot be created or written to (the caller explains this to the learner).
    """
    folder = Path(str(folder or "").strip() or export_dir()).expanduser()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file, not a folder")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    n = 1
    while True:
        name = filename if n == 1 else f"{stem}-{n}{'.' + ext if ext else ''}"
        if not (folder / name).exists() and not (folder / name).is_symlink():
            try:
                return write_atomic(folder / name, text)
            except FileExistsError:
                pass
        n += 1
