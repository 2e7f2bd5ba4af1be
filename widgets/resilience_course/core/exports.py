"""Where learner exports go, and how they are written: new private files that never overwrite.

Every tool that writes a file for the learner (After Action Reviews, reflective accounts, the
certificate, response files) goes through :func:`write_new_file`, so they all behave the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["EXPORT_ENV", "export_dir", "write_new_file"]

EXPORT_ENV = "RESILIENCE_COURSE_EXPORT_DIR"


def export_dir() -> Path:
    """Where exports go unless the learner names a folder: ``$RESILIENCE_COURSE_EXPORT_DIR``, else
    ``~/resilience-course-exports``."""
    env = os.environ.get(EXPORT_ENV)
    return Path(env).expanduser() if env else Path.home() / "resilience-course-exports"


def write_new_file(folder: str | Path | None, filename: str, text: str) -> Path:
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
        path = folder / name
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            n += 1
            continue
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        return path
