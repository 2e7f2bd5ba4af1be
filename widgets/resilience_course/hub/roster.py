"""The cohort file, ``cohort.yml``: who is in a cohort, and in which role.

.. code-block:: yaml

    cohort: monday-club-2026-spring
    learners: [hv-amira, hv-ben]
    facilitators: [fac-carol]
    trainers: [tr-dev]

Names are Unix account names (lower case letters, digits, ``-`` and ``_``, starting with a letter,
at most 32 characters). A person has one role. The file is small and read with ``yaml.safe_load``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core.limits import LimitError, loads_yaml
from . import ROLES

__all__ = ["Cohort", "RosterError", "load", "save", "NAME_RE"]

NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
MAX_BYTES = 256 * 1024
# accounts that must never be given to a course participant
RESERVED = {"root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy",
            "www-data", "backup", "list", "irc", "nobody", "admin", "jupyterhub", "hub", "postgres", "sshd"}


class RosterError(ValueError):
    """The cohort file is missing, unreadable or not in the expected shape (the message says why)."""


@dataclass
class Cohort:
    name: str
    learners: list[str] = field(default_factory=list)
    facilitators: list[str] = field(default_factory=list)
    trainers: list[str] = field(default_factory=list)

    def people(self) -> dict[str, str]:
        """``{name: role}`` for everybody (role is ``learners``, ``facilitators`` or ``trainers``)."""
        return {name: role for role in ROLES for name in getattr(self, role)}

    def role_of(self, name: str) -> str | None:
        return self.people().get(name)

    def as_dict(self) -> dict:
        return {"cohort": self.name, **{role: list(getattr(self, role)) for role in ROLES}}


def _check_name(name, where: str) -> str:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise RosterError(f"{where}: {name!r} is not a usable account name (lower case letters, digits, "
                          "'-' and '_', starting with a letter, at most 32 characters)")
    if name in RESERVED:
        raise RosterError(f"{where}: {name!r} is a system account name and cannot be used")
    return name


def from_dict(data, source: str = "cohort file") -> Cohort:
    if not isinstance(data, dict):
        raise RosterError(f"{source}: expected a mapping with 'cohort', 'learners', 'facilitators' and 'trainers'")
    unknown = set(data) - {"cohort", *ROLES}
    if unknown:
        raise RosterError(f"{source}: unknown keys {sorted(unknown)}")
    name = data.get("cohort")
    if not isinstance(name, str) or not re.match(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$", name):
        raise RosterError(f"{source}: 'cohort' must be a short name (letters, digits, spaces, '.', '_' or '-')")
    cohort = Cohort(name=name)
    seen: dict[str, str] = {}
    for role in ROLES:
        names = data.get(role) or []
        if not isinstance(names, list):
            raise RosterError(f"{source}: '{role}' must be a list of account names")
        for person in names:
            _check_name(person, f"{source}: {role}")
            if person in seen:
                raise RosterError(f"{source}: {person!r} is listed twice ({seen[person]} and {role})")
            seen[person] = role
            getattr(cohort, role).append(person)
    return cohort


def load(path: str | Path) -> Cohort:
    """Read and check the cohort file at *path*."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise RosterError(f"{path}: the cohort file is too large (over {MAX_BYTES // 1024} KB)")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RosterError(f"Cannot read the cohort file {path}: {exc.strerror or exc}") from None
    try:
        data = loads_yaml(text, str(path), max_bytes=MAX_BYTES)  # with the course's depth and alias limits
    except LimitError as exc:
        raise RosterError(str(exc)) from None
    except yaml.YAMLError as exc:
        raise RosterError(f"{path}: not valid YAML ({exc})") from None
    return from_dict(data, str(path))


def save(cohort: Cohort, path: str | Path) -> None:
    """Write *cohort* to *path* (atomically; the old file is replaced only once the new one is complete)."""
    path = Path(path)
    text = ("# Cohort file for the Resilience with Compassion hub (resilience-course hub add / remove).\n"
            + yaml.safe_dump(cohort.as_dict(), sort_keys=False, default_flow_style=False))
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    os.chmod(tmp, mode)
    os.replace(tmp, path)
