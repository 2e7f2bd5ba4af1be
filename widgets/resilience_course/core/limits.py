"""Limited readers for every YAML and JSON file the course reads.

A file from outside (an organisation's self-check scale, a learner's data export, an anonymous
response in a shared folder) may be huge, deeply nested or a YAML "alias bomb" (a few hundred
bytes that expand to billions of entries). Every YAML and JSON the course reads goes through
these functions, which refuse such a file quickly, before it is parsed in full, with a
:class:`LimitError` that names the file and the limit:

* a **size cap** (bytes), checked before the file is read in full;
* a **depth limit** (how many lists/mappings inside each other), checked without recursion, so
  deep nesting can never raise ``RecursionError``;
* an **alias limit** for YAML (``*name`` references), which stops alias bombs.

Syntax errors are not limits: they are raised as the parser raises them (``yaml.YAMLError``,
``json.JSONDecodeError``), so callers keep their own line-and-column messages.

:class:`LimitError` is a ``ValueError``: code that already turns ``ValueError`` into "this file
cannot be used" keeps working. This module imports nothing from the rest of the package.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "LimitError",
    "Limits",
    "YAML_LIMITS",
    "JSON_LIMITS",
    "read_bytes",
    "loads_json",
    "load_json_file",
    "loads_yaml",
    "load_yaml_file",
    "check_depth",
]


class LimitError(ValueError):
    """A file that goes past one of the reading limits.

    Attributes
    ----------
    file : str
        The file (or ``"<data>"``).
    limit : str
        Which limit: ``"size"``, ``"depth"`` or ``"aliases"``.
    value : int
        The limit that was passed.
    """

    def __init__(self, file: str, limit: str, value: int, reason: str):
        self.file = str(file)
        self.limit = limit
        self.value = value
        self.reason = reason
        super().__init__(f"{self.file}: {reason}")


class Limits:
    """The limits for one kind of file (bytes, nesting depth, YAML aliases)."""

    __slots__ = ("max_bytes", "max_depth", "max_aliases")

    def __init__(self, max_bytes: int, max_depth: int, max_aliases: int = 0):
        self.max_bytes = int(max_bytes)
        self.max_depth = int(max_depth)
        self.max_aliases = int(max_aliases)

    def __repr__(self) -> str:
        return f"Limits(max_bytes={self.max_bytes}, max_depth={self.max_depth}, max_aliases={self.max_aliases})"


#: Course content (YAML): the largest file shipped is under 40 KB and 10 levels deep; none uses aliases.
YAML_LIMITS = Limits(max_bytes=512 * 1024, max_depth=40, max_aliases=100)
#: JSON in general (schemas, responses, reports, exports; exports pass a larger ``max_bytes``).
JSON_LIMITS = Limits(max_bytes=2 * 1024 * 1024, max_depth=64)
#: However few aliases a YAML file has, together they may stand for at most this many entries.
MAX_ALIAS_EXPANSION = 100_000


def _size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} bytes"


def _too_large(file: str, max_bytes: int) -> LimitError:
    return LimitError(file, "size", max_bytes,
                      f"the file is too large (the limit is {_size_text(max_bytes)})")


def _too_deep(file: str, max_depth: int) -> LimitError:
    return LimitError(file, "depth", max_depth,
                      f"the file is nested too deeply (the limit is {max_depth} levels of lists and sections)")


def read_bytes(path: str | Path, max_bytes: int) -> bytes:
    """Read at most *max_bytes* from *path*; :class:`LimitError` if the file is larger.

    ``OSError`` (missing, unreadable) is raised as usual.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _too_large(str(path), max_bytes)
    return raw


def _as_text(data: str | bytes | bytearray) -> str:
    if isinstance(data, (bytes, bytearray)):
        return bytes(data).decode("utf-8-sig")
    return data


# -- JSON ---------------------------------------------------------------------------------------
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def _json_depth_ok(text: str, max_depth: int) -> bool:
    """True if no list/object in *text* is nested deeper than *max_depth* (strings ignored; no recursion)."""
    depth = 0
    for m in _BRACKETS.finditer(_JSON_STRING.sub('""', text)):
        if m.group() in "[{":
            depth += 1
            if depth > max_depth:
                return False
        else:
            depth -= 1
    return True


def loads_json(data: str | bytes | bytearray, file: str = "<data>", limits: Limits = JSON_LIMITS,
               max_bytes: int | None = None, max_depth: int | None = None) -> Any:
    """Parse JSON text within the limits.

    Raises
    ------
    LimitError
        Too large or too deeply nested (checked before parsing).
    json.JSONDecodeError, UnicodeDecodeError
        Not JSON / not UTF-8 text (both are ``ValueError``).
    """
    max_bytes = limits.max_bytes if max_bytes is None else max_bytes
    max_depth = limits.max_depth if max_depth is None else max_depth
    size = len(data) if isinstance(data, (bytes, bytearray)) else len(data.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise _too_large(file, max_bytes)
    text = _as_text(data)
    if not _json_depth_ok(text, max_depth):
        raise _too_deep(file, max_depth)
    try:
        return json.loads(text)
    except RecursionError:  # cannot happen within the depth limit; kept as a last guard
        raise _too_deep(file, max_depth) from None


def load_json_file(path: str | Path, limits: Limits = JSON_LIMITS, max_bytes: int | None = None,
                   max_depth: int | None = None) -> Any:
    """Read and parse a JSON file within the limits (see :func:`loads_json`; ``OSError`` as usual)."""
    max_bytes = limits.max_bytes if max_bytes is None else max_bytes
    raw = read_bytes(path, max_bytes)
    return loads_json(raw, str(path), limits, max_bytes=max_bytes, max_depth=max_depth)


# -- YAML ---------------------------------------------------------------------------------------
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same safe types, faster


def _alias_limit(file: str, max_aliases: int) -> LimitError:
    return LimitError(file, "aliases", max_aliases,
                      f"the file uses too many YAML aliases (*name references; the limit is {max_aliases} "
                      f"aliases standing for at most {MAX_ALIAS_EXPANSION:,} entries in all)")


def _events(text: str, file: str, max_depth: int):
    try:
        yield from yaml.parse(text, Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        if "nesting depth" not in str(getattr(exc, "problem", "")):
            raise
        raise _too_deep(file, max_depth) from None  # libyaml's own limit (1000 levels), far past ours


def _check_yaml_events(text: str, file: str, max_depth: int, max_aliases: int) -> None:
    """One pass over the parser's events (nothing built, nothing expanded, no recursion).

    Counts the nesting of lists and mappings, the aliases, and how many entries the aliases stand
    for once expanded (each anchor's expanded size is known when its collection ends), so a
    358-byte "billion laughs" file is refused after a few events.
    """
    sizes: dict[str, int] = {}  # anchor -> expanded size of what it names
    open_: list[list] = []  # [anchor, size so far] of each collection still open
    aliases = expanded = 0
    for event in _events(text, file, max_depth):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(open_) >= max_depth:
                raise _too_deep(file, max_depth)
            open_.append([event.anchor, 1])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = open_.pop()
            if anchor is not None:
                sizes[anchor] = size
            if open_:
                open_[-1][1] += size
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            if open_:
                open_[-1][1] += 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > max_aliases:
                raise _alias_limit(file, max_aliases)
            if event.anchor not in sizes:
                if any(anchor == event.anchor for anchor, _ in open_):
                    raise LimitError(file, "aliases", max_aliases,
                                     "a YAML alias (*name reference) points to a section that contains it")
                continue  # an unknown anchor: the parser itself reports it below
            expanded += sizes[event.anchor]
            if expanded > MAX_ALIAS_EXPANSION:
                raise _alias_limit(file, max_aliases)
            if open_:
                open_[-1][1] += sizes[event.anchor]


def loads_yaml(data: str | bytes | bytearray, file: str = "<data>", limits: Limits = YAML_LIMITS,
               max_bytes: int | None = None, max_depth: int | None = None, max_aliases: int | None = None) -> Any:
    """Parse one YAML document (safe types only) within the limits.

    Raises
    ------
    LimitError
        Too large, too deeply nested or too many aliases (found from the parser's events, before
        anything is built or any alias is expanded).
    yaml.YAMLError, UnicodeDecodeError
        Not YAML / not UTF-8 text.
    """
    max_bytes = limits.max_bytes if max_bytes is None else max_bytes
    max_depth = limits.max_depth if max_depth is None else max_depth
    max_aliases = limits.max_aliases if max_aliases is None else max_aliases
    size = len(data) if isinstance(data, (bytes, bytearray)) else len(data.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise _too_large(file, max_bytes)
    text = _as_text(data)
    _check_yaml_events(text, file, max_depth, max_aliases)
    try:
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)
    except RecursionError:  # cannot happen within the depth limit; kept as a last guard
        raise _too_deep(file, max_depth) from None


def load_yaml_file(path: str | Path, limits: Limits = YAML_LIMITS, max_bytes: int | None = None,
                   max_depth: int | None = None, max_aliases: int | None = None) -> Any:
    """Read and parse a YAML file within the limits (see :func:`loads_yaml`; ``OSError`` as usual)."""
    max_bytes = limits.max_bytes if max_bytes is None else max_bytes
    raw = read_bytes(path, max_bytes)
    return loads_yaml(raw, str(path), limits, max_bytes=max_bytes, max_depth=max_depth, max_aliases=max_aliases)


# -- already-parsed data -------------------------------------------------------------------------
def check_depth(data: Any, max_depth: int, file: str = "<data>") -> None:
    """:class:`LimitError` if *data* (lists/dicts) is nested deeper than *max_depth* (no recursion)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list, tuple)):
            if depth > max_depth:
                raise _too_deep(file, max_depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
