"""A team member's response to the benchmarking tool: checked, made into exact bytes, read back (no widgets).

One team member rates each factor on the tool's scale and answers each indicator (in place, partly,
not in place, don't know), with optional comments. A response file carries a team code, a cycle
label, a random response id, a revision number and a format version, and never a name.
:func:`response_bytes` gives the exact bytes that are previewed and written.
"""

from __future__ import annotations

import json
import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core.exports import write_atomic
from ..core.responses import ResponseFileError, Skipped, parse_json
from ..core.responses import read_folder as read_response_folder
from .tool import (
    ANSWERS,
    FORMAT,
    FORMAT_VERSION,
    MAX_COMMENT,
    MAX_FILE_BYTES,
    MAX_REVISION,
    REPORT_FORMAT,
    RESPONSE_KEYS,
    Tool,
    load_factors,
)

__all__ = ["ResponseError", "check_label", "new_response", "saved_answers", "check_response", "response_bytes",
           "response_filename", "write_bytes", "read_response", "read_folder", "Skipped"]

_LABEL_RE = {
    "team": re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}"),
    "cycle": re.compile(r"[A-Za-z0-9][A-Za-z0-9 _./-]{0,39}"),
}
_ID_RE = re.compile(r"[0-9a-f]{32}")


# -- responses ----------------------------------------------------------------------------------
class ResponseError(ValueError):
    """A response (or a response file) that cannot be used; ``str(exc)`` is the reason in plain words."""


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_label(value: Any, kind: str) -> str:
    """Check a team code (``kind="team"``) or cycle label (``"cycle"``); return it tidied.

    Letters, digits, spaces and ``_ . -`` (cycles also ``/``), 1 to 40 characters, starting with a
    letter or digit. Labels are compared without regard to case or repeated spaces.
    """
    if not isinstance(value, str):
        raise ResponseError(f"the {kind} should be text, not {type(value).__name__}")
    tidy = " ".join(value.split())
    if not tidy:
        raise ResponseError(f"the {kind} is empty" if kind == "team" else f"the {kind} label is empty")
    if not _LABEL_RE[kind].fullmatch(tidy):
        extra = " and /" if kind == "cycle" else ""
        raise ResponseError(
            f"the {kind} {_short(tidy)} should be 1 to 40 letters, digits, spaces, _ . -{extra}, "
            "starting with a letter or digit"
        )
    return tidy


@lru_cache(maxsize=4096)
def _norm(label: str) -> str:
    return " ".join(label.split()).casefold()


def new_response(tool: Tool, team: str = "", cycle: str = "") -> dict:
    """An empty response with a fresh random id (team and cycle are checked when the file is made)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool_version": tool.version,
        "response_id": secrets.token_hex(16),
        "revision": 1,
        "team": team,
        "cycle": cycle,
        "ratings": {},
        "indicators": {},
        "comments": {},
    }


def saved_answers(draft: dict, tool: Tool) -> tuple[dict, dict, dict]:
    """The ratings, indicator answers and comments of a saved draft that still fit *tool* (others dropped)."""
    scale = [s["value"] for s in tool.scale]
    ratings = {k: v for k, v in (draft.get("ratings") or {}).items() if k in tool.factor_ids and v in scale}
    answers = {k: v for k, v in (draft.get("indicators") or {}).items() if k in tool.indicator_ids and v in ANSWERS}
    comments = {k: v for k, v in (draft.get("comments") or {}).items() if k in tool.factor_ids and isinstance(v, str)}
    return ratings, answers, comments


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_response(data: Any, tool: Tool | None = None) -> dict:
    """Check a response (as read from a file, or built by the form) and return a tidy copy.

    Raises
    ------
    ResponseError
        With the first reason the response cannot be used.
    """
    tool = tool or load_factors()
    if not isinstance(data, dict):
        raise ResponseError(f"not a response: the file holds a JSON {type(data).__name__}, not an object")
    fmt = data.get("format")
    if fmt == REPORT_FORMAT:
        raise ResponseError("this is a team report, not a team member's response")
    if fmt != FORMAT:
        raise ResponseError(f"not a benchmarking response file ('format' should be {FORMAT!r})")
    version = data.get("format_version")
    if not _is_int(version):
        raise ResponseError("the format version is missing or is not a whole number")
    if version != FORMAT_VERSION:
        raise ResponseError(
            f"written in response format version {_short(version)}; this course reads version "
            f"{FORMAT_VERSION}"
        )
    tool_version = data.get("tool_version")
    if not _is_int(tool_version) or tool_version != tool.version:
        raise ResponseError(
            f"answered against version {_short(tool_version)} of the tool; this report uses "
            f"version {tool.version}"
        )
    unknown = set(data) - RESPONSE_KEYS
    if unknown:
        raise ResponseError(f"unknown field(s) {', '.join(sorted(_short(k, 30) for k in unknown))}")
    rid = data.get("response_id")
    if not isinstance(rid, str) or not _ID_RE.fullmatch(rid):
        raise ResponseError("the response id is missing or is not 32 lower-case hexadecimal characters")
    revision = data.get("revision")
    if not _is_int(revision) or not 1 <= revision <= MAX_REVISION:
        raise ResponseError(f"the revision should be a whole number from 1 to {MAX_REVISION}")
    team = check_label(data.get("team"), "team")
    cycle = check_label(data.get("cycle"), "cycle")
    ratings = data.get("ratings")
    if not isinstance(ratings, dict):
        raise ResponseError("'ratings' should be an object of factor id -> rating")
    ids = tool.factor_ids
    unknown = set(ratings) - set(ids)
    if unknown:
        raise ResponseError(
            f"unknown factor id(s) in the ratings: {', '.join(sorted(_short(k) for k in unknown))}"
        )
    missing = [f for f in ids if f not in ratings]
    if missing:
        raise ResponseError(f"not every factor is rated (missing: {', '.join(missing)})")
    lo, hi = tool.scale_min, tool.scale_max
    for fid in ids:
        value = ratings[fid]
        if not _is_int(value) or not lo <= value <= hi:
            raise ResponseError(
                f"the rating for {fid} is {_short(value)}; ratings are whole numbers from {lo} to {hi}"
            )
    indicators = data.get("indicators")
    if not isinstance(indicators, dict):
        raise ResponseError("'indicators' should be an object of indicator id -> answer")
    known = tool.indicator_set
    if not indicators.keys() <= known:
        bad = sorted(_short(k) for k in set(indicators) - known)
        raise ResponseError(f"unknown indicator id(s): {', '.join(bad[:5])}{' ...' if len(bad) > 5 else ''}")
    try:
        values = set(indicators.values())
    except TypeError:  # a list or an object where an answer should be
        raise ResponseError(f"an indicator answer is not one of {', '.join(ANSWERS)}") from None
    if not values <= _ANSWER_SET:
        bad = sorted(_short(v) for v in values - _ANSWER_SET)
        raise ResponseError(f"unknown indicator answer(s) {', '.join(bad[:5])}; answers are {', '.join(ANSWERS)}")
    comments = data.get("comments", {})
    if not isinstance(comments, dict):
        raise ResponseError("'comments' should be an object of factor id -> text")
    clean_comments = {}
    for key, text in comments.items():
        if key not in ids:
            raise ResponseError(f"a comment is filed under an unknown factor id {_short(key)}")
        if not isinstance(text, str):
            raise ResponseError(f"the comment on {key} should be text")
        if len(text) > MAX_COMMENT:
            raise ResponseError(f"the comment on {key} is longer than {MAX_COMMENT} characters")
        if text.strip():
            clean_comments[key] = text.strip()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool_version": tool.version,
        "response_id": rid,
        "revision": revision,
        "team": team,
        "cycle": cycle,
        "ratings": {f: ratings[f] for f in ids},
        "indicators": dict(indicators),
        "comments": clean_comments,
    }


_ANSWER_SET = frozenset(ANSWERS)


def response_bytes(response: dict) -> bytes:
    """The exact bytes of a response file: what the learner previews is what is written."""
    return (json.dumps(response, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).casefold()).strip("-") or "x"


def response_filename(response: dict) -> str:
    """A file name that says what the file is, without saying who wrote it."""
    return (
        f"benchmark-{_slug(response['team'])}-{_slug(response['cycle'])}-"
        f"{response['response_id'][:8]}-r{response['revision']}.json"
    )


def write_bytes(data: bytes, path: str | Path, replace: bool = False) -> Path:
    """Write *data* to *path* exactly and atomically, mode 0600 (see :func:`~..core.exports.write_atomic`).

    A file already at *path* is replaced only when ``replace`` is true or it holds exactly these bytes.
    """
    return write_atomic(path, data, replace=replace)


def read_response(name: str, raw: bytes, tool: Tool | None = None) -> dict:
    """Read one response file's bytes; raise :class:`ResponseError` with the reason it cannot be used."""
    try:
        data = parse_json(raw, MAX_FILE_BYTES, file=name)
    except ResponseFileError as exc:
        raise ResponseError(str(exc)) from None
    return check_response(data, tool)


def read_folder(folder: str | Path) -> tuple[list[tuple[str, bytes]], list[Skipped]]:
    """The ``.json`` files in *folder* (not its sub-folders) as (name, bytes), and files that were skipped.

    Raises
    ------
    FileNotFoundError, NotADirectoryError, PermissionError
        When the folder itself cannot be used.
    """
    return read_response_folder(folder, MAX_FILE_BYTES)
