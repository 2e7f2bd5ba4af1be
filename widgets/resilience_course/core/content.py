"""Load course content (YAML) and validate it against the JSON Schemas shipped in the package.

Every content file in the course (self-check definitions, question banks, the models of
support, the benchmark factors, support contacts, the course outline) goes through
:func:`load_yaml`. A bad file is rejected with a :class:`ContentError` that names the
file, the entry and the reason, so an author or an organisation can mend it. Files are read
through :mod:`.limits` (size cap, depth limit, alias limit), so a huge, deeply nested or
alias-bomb file is refused quickly with the limit named.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .limits import YAML_LIMITS, LimitError, load_yaml_file, loads_json, read_bytes

__all__ = ["ContentError", "load_yaml", "load_schema", "validate", "schema_names", "package_data"]


class ContentError(ValueError):
    """A content file that cannot be used.

    Parameters
    ----------
    file : str
        The file that was read (or ``"<data>"`` for data given directly).
    entry : str
        Where in the file the problem is, for example ``items[3].id`` (``"(file)"`` for the whole file).
    reason : str
        What is wrong, in plain words.
    """

    def __init__(self, file: str, entry: str, reason: str):
        self.file = str(file)
        self.entry = entry or "(file)"
        self.reason = reason
        super().__init__(f"{self.file}: {self.entry}: {reason}")


def package_data(*parts: str) -> Path:
    """Path of a file shipped in the package's ``data`` folder."""
    return Path(str(resources.files("resilience_course").joinpath("data", *parts)))


def schema_names() -> list[str]:
    """Names of the JSON Schemas shipped in the package (without ``.schema.json``)."""
    folder = resources.files("resilience_course").joinpath("schemas")
    return sorted(p.name[: -len(".schema.json")] for p in folder.iterdir() if p.name.endswith(".schema.json"))


@cache
def load_schema(name: str) -> dict:
    """Return the JSON Schema called *name* (for example ``"selfcheck"``)."""
    raw = resources.files("resilience_course").joinpath("schemas", f"{name}.schema.json").read_bytes()
    return loads_json(raw, f"{name}.schema.json")


def _entry_path(error) -> str:
    parts = []
    for p in error.absolute_path:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts) or "(top level)"


_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number", "object": "a set of named fields",
               "array": "a list", "boolean": "true or false", "null": "empty"}


def _short(value: Any, limit: int = 60) -> str:
    """A value as a short ``repr`` (a huge value is never written out in full)."""
    if isinstance(value, dict):
        return "a set of named fields"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "...'"


def _describe(error) -> str:
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        return f"unknown key(s) {', '.join(map(repr, extra))}; allowed keys are {', '.join(allowed)}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing (it is required)")
    if error.validator == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted = " or ".join(_TYPE_WORDS.get(k, k) for k in kinds)
        return f"{_short(error.instance)} is the wrong type: it should be {wanted}"
    if error.validator == "minItems" and error.validator_value == 1:
        return "must not be empty"
    if error.validator == "maxLength":
        return f"the text is too long (at most {error.validator_value} characters)"
    if error.validator == "minLength" and error.validator_value == 1:
        return "must not be empty"
    if error.validator == "maxItems":
        return f"the list is too long (at most {error.validator_value} entries)"
    if error.validator == "maxProperties":
        return f"there are too many entries (at most {error.validator_value})"
    if error.validator == "enum":
        choices = ", ".join(_short(v, 40) for v in error.validator_value[:12])
        return f"{_short(error.instance)} is not one of the allowed values ({choices})"
    if error.validator == "pattern" and str(error.validator_value).startswith("^\\d{4}-\\d{2}-\\d{2}"):
        if "T " in str(error.validator_value):
            return f"{_short(error.instance)} is not a date and time (for example 2025-05-01T10:00:00+00:00)"
        return f"{_short(error.instance)} is not a date written as YYYY-MM-DD"
    if len(error.message) > 300:
        return f"{_short(error.instance)} does not follow the rule '{error.validator}'"
    return error.message


def validate(data: Any, schema_name: str, file: str = "<data>") -> Any:
    """Validate *data* against a shipped schema; raise :class:`ContentError` on the first problem."""
    if "jsonschema" not in sys.modules:
        # jsonschema imports rfc3987_syntax when it is installed (jupyter-events brings it) only to offer
        # the "iri" format check, which no course schema uses (formats are not checked here at all);
        # building its grammars took seconds of CPU in every new kernel (24 s on a busy machine).
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
    import jsonschema

    schema = load_schema(schema_name)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(list(e.absolute_path)), str(e.path)))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise ContentError(file, _entry_path(best), _describe(best))
    return data


def _read(path: Path) -> Any:
    try:
        return load_yaml_file(path)
    except FileNotFoundError:
        raise ContentError(str(path), "(file)", "the file does not exist") from None
    except LimitError as exc:
        raise ContentError(str(path), "(file)", exc.reason) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(str(path), "(file)", f"the file cannot be read ({exc.__class__.__name__})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(str(path), where, f"this is not valid YAML ({problem})") from None


def load_yaml(path: str | Path, schema_name: str) -> Any:
    """Read a YAML file and validate it against the schema *schema_name*.

    Raises
    ------
    ContentError
        When the file is missing, is not YAML, or does not match the schema.
    """
    path = Path(path)

    def check():
        data = _read(path)
        if data is None:
            raise ContentError(str(path), "(file)", "the file is empty")
        return validate(data, schema_name, str(path))

    from .cache import cached_json, enabled

    if not enabled():
        return check()
    try:  # the same bytes checked against the same schema give the same data (core/cache.py)
        digest = hashlib.sha256(read_bytes(path, YAML_LIMITS.max_bytes)).hexdigest()
    except Exception:
        return check()  # too large, unreadable...: reported by check()
    return cached_json("content", (digest, schema_name), check)
