"""Load course content (YAML) and validate it against the JSON Schemas shipped in the package.

Every content file in the course (self-check definitions, question banks, the models of
support, the benchmark factors, support contacts, the course outline) goes through
:func:`load_yaml`. A bad file is rejected with a :class:`ContentError` that names the
file, the entry and the reason, so an author or an organisation can mend it. Files are read
through :mod:`.limits` (size cap, depth limit, alias limit), so a huge, deeply nested or
alias-bomb file is refused quickly with the limit named.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .limits import LimitError, load_yaml_file, loads_json

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


def _describe(error) -> str:
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        return f"unknown key(s) {', '.join(map(repr, extra))}; allowed keys are {', '.join(allowed)}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing (it is required)")
    if error.validator == "type":
        return f"{error.instance!r} should be of type {error.validator_value}"
    if error.validator == "minItems" and error.validator_value == 1:
        return "must not be empty"
    return error.message


def validate(data: Any, schema_name: str, file: str = "<data>") -> Any:
    """Validate *data* against a shipped schema; raise :class:`ContentError` on the first problem."""
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
    data = _read(path)
    if data is None:
        raise ContentError(str(path), "(file)", "the file is empty")
    return validate(data, schema_name, str(path))
