"""Grading that runs no learner code: nbgrader preprocessors for ``nbgrader autograde`` (no widgets).

``nbgrader autograde`` works in two passes over each submitted notebook: a *sanitize* pass (clear
outputs, restore the locked cells from the gradebook...) and an *autograde* pass that executes the
notebook and records the scores. ``assessments/nbgrader_config.py`` adds

* :class:`SanitizeAnswers` to the sanitize pass, right after nbgrader's ``OverwriteCells``, so that
  before anything runs every code cell is one of:

  - an **answer cell** (a solution cell of the quiz): reduced to ``answer_N = '<text>'`` when what the
    learner typed is, by parsing it with :mod:`ast` and never running it, nothing but that name bound
    to a text literal (comments allowed; at most :attr:`SanitizeAnswers.max_answer_chars` characters);
    anything else becomes ``answer_N = None`` with a comment saying it was *not readable*, so it
    scores as blank and the trainer sees why;
  - a **locked cell of the trainer's** (a question's check, the form check): its source is put back
    from the gradebook whatever the submission holds;
  - anything else (a cell the learner added or whose nbgrader data they removed): emptied to a comment.

  Every code cell also loses all metadata but nbgrader's own, so a tag such as ``skip-execution`` or
  ``raises-exception`` cannot stop a check from running. A written (Markdown) answer has ``<``, ``>``
  and ``&`` escaped, so what the learner typed shows as text in the formgrader and the feedback page
  and never as markup or script.
* :class:`RemoveSubmittedFiles` at the start of the autograde pass: deletes every file a learner
  submitted next to the notebook (a ``json.py`` or ``ipython_config.py`` in the folder the grading
  kernel starts in could otherwise run), keeping only notebooks, nbgrader's own ``timestamp.txt`` and
  ``submission_secret.txt``, and the trainer's own files from ``source/``.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer, Unicode

from ..core.escape import esc

__all__ = ["read_answer", "answer_source", "SanitizeAnswers", "RemoveSubmittedFiles", "NOT_READABLE",
           "ADDED_CELL"]

NOT_READABLE = "not readable"
ADDED_CELL = "# A cell added to the quiz by the learner: it is not run when the quiz is marked."
# nbgrader's own records of a submission (read by autograde and release_feedback; never imported or run)
NBGRADER_FILES = frozenset({"timestamp.txt", "submission_secret.txt"})
_VARIABLE = re.compile(r"\b(answer_[0-9]{1,3})\s*=")


def read_answer(source: str, variable: str, max_chars: int = 200, max_source: int = 20_000) -> tuple[str | None, str]:
    """What an answer cell binds *variable* to, read by parsing only.

    Returns ``(text, "")`` for a readable answer (``""`` when the cell binds nothing), or
    ``(None, reason)`` when the cell holds anything but assignments of a text literal to *variable*.
    """
    if not isinstance(source, str):
        return None, "the cell is not text"
    if len(source) > max_source:
        return None, f"the cell is longer than {max_source} characters"
    try:
        tree = ast.parse(source, mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return None, f"it is not a line the marker can read ({type(exc).__name__})"
    value = ""
    for node in tree.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            return None, "the cell holds something other than the answer line"
        target = node.targets[0]
        if not isinstance(target, ast.Name) or target.id != variable:
            return None, f"the cell sets something other than {variable}"
        if not (isinstance(node.value, ast.Constant) and type(node.value.value) is str):
            return None, "the answer is not text between quotation marks"
        value = node.value.value
    if len(value) > max_chars:
        return None, f"the answer is longer than {max_chars} characters"
    return value, ""


def answer_source(variable: str, value: str | None, reason: str = "") -> str:
    """The only code an answer cell holds when it is marked."""
    if value is None:
        return (f"# The marker could not read this answer ({NOT_READABLE}: {reason}), so it scores as blank.\n"
                f"# What the learner typed is kept in their submitted notebook.\n"
                f"{variable} = None")
    return f"{variable} = {value!r}"


class SanitizeAnswers(NbGraderPreprocessor):
    """Reduce every code cell to trusted code or a parsed text literal before anything is executed."""

    max_answer_chars = Integer(200, help="longest answer text accepted; a longer one is not readable").tag(config=True)
    max_cell_chars = Integer(20_000, help="longest answer cell parsed; a longer one is not readable").tag(config=True)
    added_cell_text = Unicode(ADDED_CELL, help="what a cell the learner added holds when marked").tag(config=True)

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            source_nb = gb.find_notebook(info["notebook"], info["assignment"])
            trusted = {c.name: (c.cell_type, c.source, c.locked) for c in source_nb.source_cells}
            solutions = {c.name for c in source_nb.solution_cells}
            graded = {c.name for c in source_nb.grade_cells}
        student = info.get("student", "?")
        seen: set[str] = set()
        unreadable = []
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if gid in solutions and isinstance(cell.source, str):
                    # a written answer is shown to the trainer (formgrader) and in feedback: text, never markup
                    cell.source = esc(cell.source)
                continue
            if cell.cell_type != "code":
                continue
            meta = cell.get("metadata", {})
            nbg = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else None
            cell.metadata = {"nbgrader": nbg} if nbg else {}
            cell.outputs = []
            cell.execution_count = None
            gid = nbg.get("grade_id") if nbg else None
            known = trusted.get(gid) if isinstance(gid, str) and gid not in seen else None
            if isinstance(gid, str):
                seen.add(gid)
            if known and known[0] == "code" and gid in solutions and gid not in graded:
                match = _VARIABLE.search(known[1])
                if not match:
                    cell.source = self.added_cell_text
                    continue
                variable = match.group(1)
                value, reason = read_answer(cell.source, variable, self.max_answer_chars, self.max_cell_chars)
                if value is None:
                    unreadable.append(variable)
                    self.log.warning("%s, %s: %s is %s (%s); it scores as blank", student, info["assignment"],
                                     variable, NOT_READABLE, reason)
                cell.source = answer_source(variable, value, reason)
            elif known and known[0] == "code" and known[2]:
                cell.source = known[1]
            else:
                cell.source = self.added_cell_text
        resources.setdefault("resilience_course", {})["not_readable"] = unreadable
        return nb, resources


class RemoveSubmittedFiles(NbGraderPreprocessor):
    """Delete every file beside the notebook being marked except notebooks and the trainer's source files."""

    def preprocess(self, nb, resources):
        folder = resources.get("metadata", {}).get("path")
        if not folder or not os.path.isdir(folder):
            return nb, resources
        keep = set()
        try:
            from nbgrader.coursedir import CourseDirectory

            coursedir = CourseDirectory(config=self.config)
            source = Path(coursedir.format_path(coursedir.source_directory, ".", resources["nbgrader"]["assignment"]))
            keep = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
        except Exception:  # no source folder known: keep notebooks only
            keep = set()
        root = Path(folder)
        for path in sorted(root.rglob("*"), reverse=True):
            rel = path.relative_to(root).as_posix()
            if path.is_symlink() or path.is_file():
                if path.is_symlink() or (path.suffix != ".ipynb" and rel not in keep and rel not in NBGRADER_FILES):
                    self.log.warning("%s: removed the submitted file %s before marking",
                                     resources["nbgrader"].get("student", "?"), rel)
                    path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                shutil.rmtree(path, ignore_errors=True)
        return nb, resources
