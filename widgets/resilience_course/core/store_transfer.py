"""Export and import of the learner's store: one JSON document, every row checked before anything is added.

:class:`ExportImport` is the part of :class:`~.store.Store` that writes the whole store as one
export (``data export``) and merges an export back in (``data import``), adding nothing twice. An
import is checked first, whole: its format and version, each row against its table's JSON Schema
and each record's payload against the schema of its kind; the first bad one is named and nothing
is imported. Files are read within the size and depth limits of :mod:`.limits`.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from .store_errors import StoreError
from .store_schema import (
    EXPORT_FORMAT,
    JSON_COLUMNS,
    MAX_IMPORT_BYTES,
    ROW_SCHEMAS,
    SCHEMA_VERSION,
    TABLES,
    _private_file,
    now,
)

__all__ = ["ExportImport"]


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


class ExportImport:
    """Export and import for :class:`~.store.Store` (which provides ``_tx`` and ``_query``)."""

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

