"""A small on-disk cache for work every page repeats with the same result: checked course content
(YAML parsed and validated against its schema) and the course's fixed figures (matplotlib PNGs).

Each page runs in a new kernel, so an in-memory cache would be empty for every page; this one
keeps results in the learner's cache folder (``platformdirs.user_cache_dir``, or
``$RESILIENCE_COURSE_CACHE_DIR``), folder 0700 and files 0600, as JSON (never pickle: a cache
file is data, never code).

Keys are exact, so a stale entry cannot be served:

* content: the SHA-256 of the file's bytes, the schema's name and the :func:`fingerprint`;
* figures: the function's name and the :func:`fingerprint`.

The fingerprint covers every file of the installed package (code, schemas, shipped YAML) by
path, size and modification time, and the versions of the libraries that shape the result; any
edit to the package therefore starts a fresh cache. Only successes are stored: a file with an
error is read and reported afresh each time. Anything wrong with the cache itself (no home
folder, a full or read-only disk, a damaged entry) only costs time: the work is done again.
Set ``RESILIENCE_COURSE_CACHE=0`` to turn the cache off.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "fingerprint", "cached_json", "cached_figure", "enabled"]

PACKAGE = Path(__file__).resolve().parent.parent
VERSION = "1"


def enabled() -> bool:
    return os.environ.get("RESILIENCE_COURSE_CACHE", "1") not in ("0", "false", "no", "off")


def cache_dir() -> Path:
    named = os.environ.get("RESILIENCE_COURSE_CACHE_DIR")
    if named:
        return Path(named)
    import platformdirs

    return Path(platformdirs.user_cache_dir("resilience-course", appauthor=False))


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the installed package's files (path, size, mtime) and of the libraries' versions."""
    h = hashlib.sha256(VERSION.encode())
    for dirpath, dirnames, filenames in os.walk(PACKAGE):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            h.update(f"{os.path.relpath(path, PACKAGE)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    for lib in ("matplotlib", "jsonschema", "yaml"):
        try:
            from importlib.metadata import version

            h.update(f"{lib}={version('PyYAML' if lib == 'yaml' else lib)}\n".encode())
        except Exception:
            h.update(f"{lib}=?\n".encode())
    return h.hexdigest()[:32]


def _entry(kind: str, key: str) -> Path:
    return cache_dir() / f"v{VERSION}-{fingerprint()[:16]}" / kind / f"{key}.json"


def _read(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)["value"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: Path, value: Any) -> None:
    try:
        text = json.dumps({"value": value}, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return  # not JSON: not cached
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        pass  # a cache that cannot be written only costs time


def cached_json(kind: str, key_parts: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()``, or its earlier result for the same key (only JSON data that survives a round trip)."""
    if not enabled():
        return compute()
    key = hashlib.sha256(json.dumps([fingerprint(), *key_parts], default=str).encode()).hexdigest()
    path = _entry(kind, key)
    found = _read(path)
    if found is not None:
        return found
    value = compute()
    try:
        same = json.loads(json.dumps(value)) == value  # tuples, int keys, dates... are not cached
    except (TypeError, ValueError):
        same = False
    if same:
        _write(path, value)
    return value


def cached_figure(make: Callable | None = None, *, default: Callable[..., bool] | None = None):
    """Decorator for a function drawing one of the course's fixed figures (a :class:`~.charts.Chart`).

    Called with no arguments (the course's own content), or with arguments for which
    ``default(*args, **kwargs)`` is true, its chart comes from the cache when the package has not
    changed since it was drawn; otherwise it is drawn as usual.
    """
    if make is None:
        return functools.partial(cached_figure, default=default)
    import base64

    @functools.wraps(make)
    def wrapper(*args, **kwargs):
        if args or kwargs:
            try:
                own = default is not None and bool(default(*args, **kwargs))
            except Exception:
                own = False
            if not own:
                return make(*args, **kwargs)
        from .charts import Chart

        def draw():
            chart = make(*args, **kwargs)
            return {"png": base64.b64encode(chart.png).decode("ascii"), "alt": chart.alt,
                    "table_html": chart.table_html, "title": chart.title}

        d = cached_json("figure", (make.__module__, make.__qualname__), draw)
        try:
            return Chart(png=base64.b64decode(d["png"]), alt=d["alt"], table_html=d["table_html"],
                         title=d["title"])
        except Exception:
            return make(*args, **kwargs)

    return wrapper
