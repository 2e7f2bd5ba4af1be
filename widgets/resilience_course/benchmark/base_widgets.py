"""What the benchmarking widgets share: the page's session (report -> action plan) and typed folders."""

from __future__ import annotations

from pathlib import Path

from traitlets import Any, HasTraits

from ..core.exports import export_dir

__all__ = ["RESPONSE_KIND", "PLAN_KIND", "BenchmarkSession", "session_or_default", "default_folder", "typed_folder"]

RESPONSE_KIND = "benchmark-response"
PLAN_KIND = "benchmark-action-plan"


def default_folder() -> Path:
    """Where files are offered to be saved: the course's one export folder, as for every other tool
    (:func:`~..core.exports.export_dir`; created, private, when a file is first written there)."""
    return export_dir()


def typed_folder(text: str) -> tuple[Path | None, str]:
    """A typed folder path, checked: (path, "") or (None, message)."""
    text = (text or "").strip().strip('"').strip("'")
    if not text:
        return None, "Type the path of a folder first."
    path = Path(text).expanduser()
    if not path.exists() and path == export_dir():
        try:  # the course's own export folder is made on first use, readable by the learner only
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            return None, f"The folder {text} could not be made ({exc.strerror or exc.__class__.__name__})."
    if not path.exists():
        return None, (
            f"The folder {text} cannot be found. Check the spelling; a full path is safest, for example "
            "C:\\Users\\you\\Documents\\benchmark or /home/you/benchmark."
        )
    if not path.is_dir():
        return None, f"{text} is a file. Type the folder that holds the files instead."
    return path, ""


class BenchmarkSession(HasTraits):
    """Shares the latest team report between the widgets on one page (report -> action plan)."""

    report = Any(None, allow_none=True, help="The latest team report made on this page")


_SESSION = BenchmarkSession()


def session_or_default(session: BenchmarkSession | None) -> BenchmarkSession:
    """The session given, else the one every widget of this process shares."""
    return session if session is not None else _SESSION
