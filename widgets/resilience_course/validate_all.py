"""Validate every content file of the course against its schema.

Which schema a YAML file uses is decided by :data:`RULES` (first match wins), so a new kind of
content only needs a line here, a schema in ``schemas/`` and, if it has cross-checks a schema cannot
express, its loader in :data:`LOADERS`.
"""

from __future__ import annotations

from fnmatch import fnmatch
from importlib import import_module
from pathlib import Path

from .core.content import ContentError, load_yaml, package_data
from .core.course import course_root, load_outline

__all__ = ["RULES", "LOADERS", "content_files", "validate_all"]

# (glob relative to a base, schema name); bases: "course" = the course root, "package" = package data
RULES: list[tuple[str, str, str]] = [
    ("course", "course/course.yml", "course"),
    ("course", "modules/*/questions.yml", "questions"),
    ("course", "modules/*/activities.yml", "activities"),
    ("course", "assessments/quizzes/*.yml", "quiz"),
    ("course", "course/facilitator/sessions.yml", "sessions"),
    ("package", "selfchecks/*.yml", "selfcheck"),
    ("package", "examples/*.yml", "selfcheck"),
    ("package", "contacts.yml", "contacts"),
    ("package", "models-of-support.yml", "models"),
    ("package", "cohort/*.yml", "survey"),
    ("package", "benchmark-factors.yml", "benchmark"),
    ("package", "context-of-practice.yml", "context"),
]


def content_files(root: Path | None = None) -> list[tuple[Path, str]]:
    """Every content file with the schema it must match."""
    root = root or course_root()
    bases = {"course": root, "package": package_data()}
    out: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for base, pattern, schema in RULES:
        for path in sorted(bases[base].glob(pattern)):
            if path not in seen and fnmatch(str(path.relative_to(bases[base])), pattern):
                seen.add(path)
                out.append((path, schema))
    return out


# schema -> the loader that validates a file of that kind in full (schema plus cross-checks);
# a kind with no entry here is validated against its schema only
LOADERS: dict[str, str] = {
    "selfcheck": "selfcheck.model:load_definition",
    "questions": "knowledge.model:load_bank",
    "activities": "activities.model:load_activities",
    "benchmark": "benchmark.model:load_factors",
    "sessions": "cohort.facilitator:load_sessions",
    "survey": "cohort.model:load_survey",
    "models": "support.menu:load_models",
    "quiz": "quiz.quizzes:load_quiz",
    "context": "pages.figures:load_context",
}


def _deep_check(path: Path, schema: str) -> None:
    if schema == "course":
        load_outline(path.parent.parent)
    elif schema in LOADERS:
        module, func = LOADERS[schema].split(":")
        getattr(import_module(f"{__package__}.{module}"), func)(path)
    else:
        load_yaml(path, schema)


def validate_all(root: Path | None = None) -> tuple[list[str], int]:
    """Return (problems, number of files checked)."""
    files = content_files(root)
    problems = []
    for path, schema in files:
        try:
            _deep_check(path, schema)
        except ContentError as exc:
            problems.append(str(exc))
    return problems, len(files)
