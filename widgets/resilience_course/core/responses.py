"""Reading a folder of anonymous response files (the benchmark, the check-in, the evaluation).

A facilitator or team lead points a report at a folder that other people filled. Anything may be
in it, so every step names what it could not use and why, and nothing stops the rest being read:

* :func:`read_folder` lists the folder's files (never its sub-folders or hidden files) and reads
  each within a size limit; a file that cannot be read is a :class:`Skipped` with its reason.
* :func:`parse_json` turns one file's bytes into data within size and nesting limits (through
  :mod:`.limits`, so a deeply nested file can never raise ``RecursionError``), or raises
  :class:`ResponseFileError` with a reason in plain words.
* :func:`keep_one_per_id` keeps one response per response id and lists the other copies.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .limits import LimitError, loads_json

__all__ = ["MAX_DEPTH", "Skipped", "ResponseFileError", "read_folder", "parse_json", "keep_one_per_id"]

#: Response files are shallow (an object of objects); nothing real is nested this deep.
MAX_DEPTH = 16


@dataclass(frozen=True, order=True)
class Skipped:
    """A file that was not used, and why."""

    file: str
    reason: str


class ResponseFileError(ValueError):
    """A response file that cannot be used; ``str(exc)`` is the reason in plain words."""


def read_folder(folder: str | Path, max_bytes: int, list_others: bool = True
                ) -> tuple[list[tuple[str, bytes]], list[Skipped]]:
    """The ``.json`` files in *folder* (not its sub-folders) as (name, bytes), in name order, and skipped files.

    Each file is read up to ``max_bytes + 1`` bytes (so a larger one is recognised without reading it
    all). Hidden files (``.name``) and sub-folders are passed over; other files are listed as skipped
    when ``list_others`` is true, else passed over too.

    Raises
    ------
    FileNotFoundError, NotADirectoryError, PermissionError
        When the folder itself cannot be used.
    """
    folder = Path(folder).expanduser()
    if not folder.exists():
        raise FileNotFoundError(f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file, not a folder")
    files: list[tuple[str, bytes]] = []
    skipped: list[Skipped] = []
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        is_json = name.lower().endswith(".json")
        try:
            if not entry.is_file():
                if not entry.is_dir() and (is_json or list_others):
                    skipped.append(Skipped(name, "not an ordinary file"))
                continue
        except OSError:
            skipped.append(Skipped(name, "the file could not be read"))
            continue
        if not is_json:
            if list_others:
                skipped.append(Skipped(name, "not a .json file"))
            continue
        try:
            with open(entry.path, "rb") as fh:
                raw = fh.read(max_bytes + 1)
        except OSError as exc:
            skipped.append(Skipped(name, f"the file could not be read ({exc.strerror or exc.__class__.__name__})"))
            continue
        files.append((name, raw))
    return files, skipped


def parse_json(raw: bytes, max_bytes: int, max_depth: int = MAX_DEPTH, file: str = "<response>") -> Any:
    """Parse one response file's bytes (UTF-8, a byte-order mark allowed) within the limits.

    Raises
    ------
    ResponseFileError
        Too large, empty, not text, not valid JSON, or nested more than *max_depth* levels.
    """
    if not isinstance(raw, (bytes, bytearray)):
        raise ResponseFileError("the file could not be read")
    if len(raw) > max_bytes:
        raise ResponseFileError(f"the file is too large to be a response (a response is at most "
                                f"{max_bytes // 1024} KB)")
    if not raw.strip():
        raise ResponseFileError("the file is empty")
    if b"\x00" in raw:
        raise ResponseFileError("the file is not text (it may be a different kind of file)")
    try:
        return loads_json(bytes(raw), file, max_bytes=max_bytes, max_depth=max_depth)
    except UnicodeDecodeError:
        raise ResponseFileError("the file is not text (it may be a different kind of file)") from None
    except LimitError as exc:
        raise ResponseFileError(f"the file is not valid JSON for a response (it cannot be read as JSON: "
                                f"{exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise ResponseFileError(f"the file is not valid JSON (it cannot be read as JSON: line {exc.lineno}, "
                                f"column {exc.colno})") from None
    except (ValueError, RecursionError):
        raise ResponseFileError("the file is not valid JSON (it cannot be read as JSON)") from None


def keep_one_per_id(items: Iterable[tuple[str, dict]], key: Callable[[dict], str],
                    rank: Callable[[tuple[str, dict]], Any] | None = None,
                    why: Callable[[tuple[str, dict], tuple[str, dict]], str] | None = None,
                    ) -> tuple[list[tuple[str, dict]], list[Skipped]]:
    """One (name, data) per ``key(data)``: the first by ``rank`` (default: the file name) is kept.

    Every other copy is a :class:`Skipped` whose reason is ``why(kept, copy)`` (default: "a duplicate
    of <kept file> (same response id)"). Kept items come back in the order their ids first appear.
    """
    rank = rank or (lambda item: item[0])
    why = why or (lambda kept, _copy: f"a duplicate of {kept[0]} (same response id)")
    groups: dict[str, list[tuple[str, dict]]] = {}
    for item in items:
        groups.setdefault(key(item[1]), []).append(item)
    kept, skipped = [], []
    for copies in groups.values():
        copies.sort(key=rank)
        kept.append(copies[0])
        skipped.extend(Skipped(c[0], why(copies[0], c)) for c in copies[1:])
    return kept, skipped
