"""Where a learner's quizzes come from and go to: the exchange folder, the learner's quiz folder, the course id.

Part of the quiz-taking model (:mod:`resilience_course.quiz.take`): the three routes its docstring describes
are chosen here, from the environment and nbgrader's own config files. No widgets.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["COURSE_ID", "EXCHANGE_ENV", "QUIZ_DIR_ENV", "COURSE_ENV", "CACHE_ENV", "DRAFT_KIND", "SUBMISSION_KIND",
           "MAX_REFLECTION_CHARS", "QuizError", "Settings", "settings"]

COURSE_ID = "resilience-with-compassion"
EXCHANGE_ENV = "RESILIENCE_COURSE_EXCHANGE"
QUIZ_DIR_ENV = "RESILIENCE_COURSE_QUIZ_DIR"
COURSE_ENV = "RESILIENCE_COURSE_NBGRADER_COURSE"
# nbgrader's record of submissions (default: its own, in Jupyter's data folder)
CACHE_ENV = "RESILIENCE_COURSE_QUIZ_CACHE"
DRAFT_KIND = "quiz-draft"
SUBMISSION_KIND = "quiz-submission"
MAX_REFLECTION_CHARS = 20_000
_ASSIGNMENT = re.compile(r"^module-[0-9]{2}-quiz$")


class QuizError(RuntimeError):
    """Something the learner should read in plain words (no exchange, a folder that cannot be written...)."""


# ---------------------------------------------------------------- where things are

@dataclass(frozen=True)
class Settings:
    course_id: str
    exchange: Path | None  # None: no exchange, answers go out as a download
    quiz_dir: Path  # the learner's own folder for fetched quizzes
    student: str
    cache: Path | None = None
    source: Path | None = None  # assessments/source, for the no-exchange route

    @property
    def route(self) -> str:
        return "exchange" if self.exchange else "download"


def _nbgrader_config_values() -> dict:
    """``Exchange.root``, ``Exchange.assignment_dir`` and ``CourseDirectory.course_id`` from nbgrader's config
    files in Jupyter's config path (``JUPYTER_CONFIG_PATH``, ``/etc/jupyter``...; the cohort server writes one)."""
    found: dict = {}
    try:
        from jupyter_core.paths import jupyter_config_path
        from traitlets.config.loader import JSONFileConfigLoader, PyFileConfigLoader
    except ImportError:  # pragma: no cover - nbgrader brings both
        return found
    for folder in reversed(jupyter_config_path()):  # lowest priority first
        for name, loader in (("nbgrader_config.json", JSONFileConfigLoader),
                             ("nbgrader_config.py", PyFileConfigLoader)):
            if not (Path(folder) / name).is_file():
                continue
            try:
                cfg = loader(name, path=folder).load_config()
            except Exception:  # an administrator's broken file: ignore it, the page says no exchange
                continue
            if "Exchange" in cfg and cfg.Exchange.get("root"):
                found["exchange"] = str(cfg.Exchange.root)
            if "Exchange" in cfg and cfg.Exchange.get("assignment_dir"):
                found["assignment_dir"] = str(cfg.Exchange.assignment_dir)
            if "CourseDirectory" in cfg and cfg.CourseDirectory.get("course_id"):
                found["course_id"] = str(cfg.CourseDirectory.course_id)
    return found


def settings(root: Path | None = None) -> Settings:
    """Where this learner's quizzes come from and go to (see the module docstring)."""
    from ..core.content import ContentError
    from ..core.course import course_root

    try:
        course = root or course_root()
    except ContentError:
        course = None
    cfg = _nbgrader_config_values()
    exchange_text = os.environ.get(EXCHANGE_ENV) or cfg.get("exchange")
    exchange = Path(exchange_text) if exchange_text else None
    if exchange is None and course is not None and (course / "assessments" / "exchange").is_dir():
        exchange = course / "assessments" / "exchange"
    if exchange is not None and not exchange.is_dir():
        exchange = None
    quiz_dir = Path(os.environ.get(QUIZ_DIR_ENV) or cfg.get("assignment_dir") or Path.home() / "quizzes")
    source = course / "assessments" / "source" if course is not None else None
    try:
        student = getpass.getuser()
    except Exception:  # no user name (some containers)
        student = "learner"
    cache = Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else None
    return Settings(os.environ.get(COURSE_ENV) or cfg.get("course_id") or COURSE_ID, exchange, quiz_dir,
                    student, cache, source)
