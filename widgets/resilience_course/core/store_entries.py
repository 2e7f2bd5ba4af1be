"""What the learner's store holds: self-check results, reflections, progress and records.

:class:`Entries` is the part of :class:`~.store.Store` that saves, lists, updates and deletes
entries, each write one transaction (``with self._tx():``); :class:`~.store.Store` provides ``_tx``,
``_query`` and ``_row`` and re-exports everything here.
"""

from __future__ import annotations

import json
import uuid

from .store_errors import StoreError
from .store_schema import now

__all__ = ["Entries"]


class Entries:
    """Saving and listing the learner's entries (mixed into :class:`~.store.Store`)."""

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
