"""Reading a folder of anonymous check-in or evaluation files: the good ones kept, the rest listed with reasons.

The folder is read by :mod:`..core.responses` (size and depth limits, de-duplication); this module
checks each file against its survey, group, session or module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.course import Outline, load_outline
from ..core.html import esc, table
from ..core.responses import ResponseFileError, keep_one_per_id, parse_json, read_folder
from .survey import (
    _ID,
    CHECK_IN_FORMAT,
    EVALUATION_FORMAT,
    MAX_FILE_BYTES,
    Survey,
    SurveyError,
    clean_code,
    validate_answers,
)

__all__ = ["ReadResult", "read_responses", "same_code"]


# -- reading a folder of responses -------------------------------------------------------------
@dataclass
class ReadResult:
    valid: list[dict] = field(default_factory=list)
    bad: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    problem: str = ""  # the folder itself could not be read
    other_sessions: dict[str, int] = field(default_factory=dict)  # session code -> files for it (check-in)

    def other_sessions_text(self) -> str:
        """``5 files in this folder are for another session (04). Check the session code.`` or ``""``."""
        if not self.other_sessions:
            return ""
        n = sum(self.other_sessions.values())
        codes = ", ".join(sorted(self.other_sessions))
        return (f"{n} file{'s' if n != 1 else ''} in this folder {'are' if n != 1 else 'is'} for "
                f"{'other sessions' if len(self.other_sessions) > 1 else 'another session'} ({codes}). "
                "Check the session code.")

    def bad_html(self) -> str:
        if not self.bad:
            return ""
        rows = [[name, reason] for name, reason in self.bad]
        other = self.other_sessions_text()
        lead = f"<p><strong>{esc(other)}</strong></p>" if other else ""
        return (f'<div class="rc-warn" role="status">{lead}<p>Some files were skipped and are not counted:</p>'
                f"{table(['File', 'Why it was skipped'], rows, caption='Skipped files')}</div>")


def same_code(a: str, b: str) -> bool:
    """Two cleaned codes name the same group or session; a number matches with or without leading
    zeros (a facilitator who types ``3`` means session ``03``)."""
    if a.isdigit() and b.isdigit():
        return int(a) == int(b)
    return a == b


_KEYS = {
    CHECK_IN_FORMAT: {"format", "version", "id", "cohort", "session", "answers"},
    EVALUATION_FORMAT: {"format", "version", "id", "cohort", "module", "confidence_before", "confidence_after",
                        "reaction"},
}


def _check_evaluation_body(survey: Survey, outline: Outline, data: dict) -> str:
    outcomes = {o["id"] for o in outline.module(data["module"]).outcomes}
    for key in ("confidence_before", "confidence_after"):
        conf = data.get(key)
        if not isinstance(conf, dict):
            return f"'{key}' is not a set of ratings"
        for k, v in conf.items():
            if k not in outcomes:
                return f"'{key}' rates {k!r}, which is not an outcome of module {data['module']}"
            if isinstance(v, bool) or v not in survey.confidence_values:
                return f"'{key}' has a rating {v!r} that is not on the confidence scale"
    if not data["confidence_before"] and not data["confidence_after"] and not data.get("reaction"):
        return "it holds no answers"
    try:
        validate_answers(survey, data.get("reaction") or {})
    except SurveyError as exc:
        return "the reaction answers are not valid (" + "; ".join(exc.problems.values()) + ")"
    return ""


def read_responses(folder: str | Path, survey: Survey, cohort: str, session: str | None = None,
                   module: str | None = None, outline: Outline | None = None) -> ReadResult:
    """Read every ``*.json`` response in *folder*; keep the good ones, list the bad ones with reasons.

    For the check-in give ``session``; for the evaluation give ``module``.
    """
    result = ReadResult()
    fmt = EVALUATION_FORMAT if module is not None else CHECK_IN_FORMAT
    kind = "evaluation" if module is not None else "check-in"
    text = str(folder or "").strip()
    if not text:
        result.problem = "Type the folder that holds the response files."
        return result
    path = Path(text).expanduser()
    if not path.is_dir():
        result.problem = f"There is no folder at {path}. Check the path and try again."
        return result
    try:
        want_cohort = clean_code(cohort, "The group code")
        want_session = clean_code(session, "The session code") if module is None else None
    except ValueError as exc:
        result.problem = str(exc)
        return result
    if module is not None:
        outline = outline or load_outline()
        outline.module(module)  # KeyError for an unknown module: a programming error
    try:
        files, unreadable = read_folder(path, MAX_FILE_BYTES, list_others=False)
    except OSError as exc:
        result.problem = f"The folder {path} cannot be read ({exc.strerror or exc.__class__.__name__})."
        return result
    result.bad.extend((s.file, s.reason) for s in unreadable)
    good: list[tuple[str, dict]] = []
    for name, raw in files:
        try:
            data = parse_json(raw, MAX_FILE_BYTES, file=name)
        except ResponseFileError as exc:
            result.bad.append((name, str(exc)))
            continue
        reason = _check_one(data, fmt, kind, survey, want_cohort, want_session, module, outline)
        if reason:
            result.bad.append((name, reason))
            if reason.startswith("it is for session "):
                other = clean_code(data["session"])
                result.other_sessions[other] = result.other_sessions.get(other, 0) + 1
        else:
            good.append((name, data))
    kept, copies = keep_one_per_id(
        good, key=lambda d: d["id"],
        why=lambda first, _copy: f"it is a duplicate of {first[0]} (the same response id); only the first is counted")
    result.valid.extend(data for _name, data in kept)
    result.bad.extend((c.file, c.reason) for c in copies)
    if not files and not unreadable:
        result.problem = f"There are no .json response files in {path}."
    return result


def _check_one(data, fmt, kind, survey, want_cohort, want_session, module, outline) -> str:
    if not isinstance(data, dict) or data.get("format") not in _KEYS:
        return f"it is not a course response file (expected a {kind} file)"
    if data["format"] != fmt:
        other = "check-in" if data["format"] == CHECK_IN_FORMAT else "evaluation"
        return f"it is a {other} file, not a {kind} file"
    extra = set(data) - _KEYS[fmt]
    if extra:
        return f"it has unexpected fields ({', '.join(sorted(map(str, extra)))}); response files hold no names"
    missing = _KEYS[fmt] - set(data)
    if missing:
        return f"it is incomplete (no {', '.join(sorted(missing))})"
    if not isinstance(data["version"], int) or isinstance(data["version"], bool) or data["version"] != survey.version:
        return (f"it was made with version {data['version']!r} of the {kind} questions; this course uses "
                f"version {survey.version}")
    if not isinstance(data["id"], str) or not _ID.match(data["id"]):
        return "it has no valid response id"
    try:
        got_cohort = clean_code(data["cohort"])
    except ValueError:
        return "its group code is not valid"
    if got_cohort != want_cohort:
        return f"it is for group {got_cohort!r}, not {want_cohort!r}"
    if module is None:
        try:
            got = clean_code(data["session"])
        except ValueError:
            return "its session code is not valid"
        if not same_code(got, want_session):
            return f"it is for session {got!r}, not {want_session!r}"
        try:
            validate_answers(survey, data["answers"])
        except SurveyError as exc:
            return "its answers are not valid (" + "; ".join(exc.problems.values()) + ")"
    else:
        if data["module"] != module:
            return f"it is for module {data['module']!r}, not {module!r}"
        return _check_evaluation_body(survey, outline, data)
    return ""
