"""Where a learner's quizzes come from and go to: the exchange folder, the learner's quiz folder, the course id.

Part of the quiz-taking model (:mod:`resilience_course.quiz.take`): the three routes its docstring describes
are chosen here, from the environment and nbgrader's own config files. No widgets.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["COURSE_ID", "EXCHANGE_ENV", "QUIZ_DIR_ENV", "COURSE_ENV", "CACHE_ENV", "DRAFT_KIND", "SUBMISSION_KIND",
           "MAX_REFLECTION_CHARS", "QuizError", "Settings", "settings", "nbgrader_config",
           "exchange_plugin"]

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

# nbgrader's own filesystem exchange: any other class in ``ExchangeFactory`` is a plugin (ngshare...)
_FILESYSTEM_EXCHANGE = "nbgrader.exchange.default."


def _class_name(value) -> str:
    """A class given in a config file (its import name, or the class itself) as ``module.Name``."""
    if isinstance(value, str):
        return value
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"


def exchange_plugin(config: dict | None) -> str:
    """The first class nbgrader's *config* gives its ``ExchangeFactory`` that is not nbgrader's filesystem
    exchange ('' when there is none)."""
    factory = (config or {}).get("ExchangeFactory") or {}
    for value in factory.values():
        name = _class_name(value)
        if not name.startswith(_FILESYSTEM_EXCHANGE):
            return name
    return ""


@dataclass(frozen=True)
class Settings:
    course_id: str
    exchange: Path | None  # the filesystem exchange's folder; None: none (a plugin's, or a download)
    quiz_dir: Path  # the learner's own folder for fetched quizzes
    student: str
    cache: Path | None = None
    source: Path | None = None  # assessments/source, for the no-exchange route
    # nbgrader's settings from its config files (the exchange classes it is configured with, among them)
    nbgrader: dict | None = field(default=None, compare=False, repr=False)

    @property
    def exchange_plugin(self) -> str:
        """The first exchange class nbgrader is configured with that is not its filesystem one ('' if none).

        ``c.ExchangeFactory.list = "ngshare_exchange.ExchangeList"`` (what ngshare's ``configureExchange``
        writes on Kubernetes) makes the exchange that class's, with no folder at all.
        """
        return exchange_plugin(self.nbgrader)

    @property
    def route(self) -> str:
        return "exchange" if self.exchange or self.exchange_plugin else "download"

    @property
    def path_includes_course(self) -> bool:
        """nbgrader's ``Exchange.path_includes_course``: fetched quizzes go to ``quiz_dir/COURSE/QUIZ``."""
        exchange = (self.nbgrader or {}).get("Exchange") or {}
        return bool(exchange.get("path_includes_course", False))


def nbgrader_config() -> dict:
    """nbgrader's settings from its config files in Jupyter's config path, merged as nbgrader merges them.

    ``nbgrader_config.json`` and ``nbgrader_config.py`` in every folder of ``jupyter_config_path()``
    (``~/.jupyter``, ``JUPYTER_CONFIG_PATH``, ``/etc/jupyter``...; the cohort server writes one, the
    Kubernetes image mounts one), the earlier folders winning. A file that cannot be read (an
    administrator's mistake, a plugin that is not installed) is left out: the page then says there is
    no exchange rather than failing.
    """
    from traitlets.config import Config

    merged = Config()
    try:
        from jupyter_core.paths import jupyter_config_path
        from traitlets.config.loader import JSONFileConfigLoader, PyFileConfigLoader
    except ImportError:  # pragma: no cover - nbgrader brings both
        return merged
    for folder in reversed(jupyter_config_path()):  # lowest priority first
        for name, loader in (("nbgrader_config.json", JSONFileConfigLoader),
                             ("nbgrader_config.py", PyFileConfigLoader)):
            if not (Path(folder) / name).is_file():
                continue
            try:
                merged.merge(loader(name, path=folder).load_config())
            except Exception:  # an administrator's broken file: ignore it, the page says no exchange
                continue
    return merged


def _nbgrader_config_values(cfg: dict) -> dict:
    """``Exchange.root``, ``Exchange.assignment_dir`` and ``CourseDirectory.course_id`` from nbgrader's config."""
    found: dict = {}
    exchange = cfg.get("Exchange") or {}
    course = cfg.get("CourseDirectory") or {}
    if exchange.get("root"):
        found["exchange"] = str(exchange["root"])
    if exchange.get("assignment_dir"):
        found["assignment_dir"] = str(exchange["assignment_dir"])
    if course.get("course_id"):
        found["course_id"] = str(course["course_id"])
    return found


def settings(root: Path | None = None) -> Settings:
    """Where this learner's quizzes come from and go to (see the module docstring)."""
    from ..core.content import ContentError
    from ..core.course import course_root

    try:
        course = root or course_root()
    except ContentError:
        course = None
    config = nbgrader_config()
    cfg = _nbgrader_config_values(config)
    exchange_text = os.environ.get(EXCHANGE_ENV) or cfg.get("exchange")
    exchange = Path(exchange_text) if exchange_text else None
    local = course / "assessments" / "exchange" if course is not None else None
    if exchange is None and not exchange_plugin(config) and local is not None and local.is_dir():
        exchange = local  # one computer: the trainer's own exchange folder (a plugin needs none)
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
                    student, cache, source, config)
