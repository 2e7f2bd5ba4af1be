"""The shape of the learner's store and where it lives.

* :data:`MIGRATIONS` (one SQL script per schema version; ``PRAGMA user_version`` says which the file has),
  :data:`TABLES` and the JSON columns, the JSON Schema each exported row is checked against on import.
* :func:`data_dir` and :func:`store_path`: ``$RESILIENCE_COURSE_DATA_DIR`` or the per-user data folder;
  :func:`_private_file` creates a file 0600 in a folder created 0700.

Used by :mod:`.store`, which re-exports these names.
"""

from __future__ import annotations

import os
import stat
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["ENV_VAR", "SCHEMA_VERSION", "data_dir", "store_path"]

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
