"""The one guarded action: run it; on failure show a clear message on the page and log the details.

Every save, write and import in the widgets goes through :func:`guarded`, so a locked or full disk,
a damaged store or a bad file always ends in a kind message where the learner is, the details in
the server log, and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..core.store import StoreError
from .session import log

__all__ = ["guarded"]

T = TypeVar("T")


def _say(target: Any, text: str) -> None:
    if callable(target):
        target(text)
    else:
        target.message = text


def guarded(action: Callable[[], T], say: Any, failure: str,
            expected: type[BaseException] | tuple[type[BaseException], ...] = (),
            what: str = "") -> T | None:
    """Run ``action()`` and return its value, or None after telling the learner what went wrong.

    Parameters
    ----------
    action : callable
        The work (no arguments); its return value is passed back.
    say : callable or object
        Where the message goes: a function taking the text, or an object whose ``message`` is set
        (a widget with a ``message`` trait).
    failure : str
        What the learner reads when something unexpected fails (say that what they typed is safe).
    expected : exception class or tuple
        Errors whose own text is the message (for example the model's validation errors); they are
        not logged as faults. :class:`~..core.store.StoreError` (explained in plain words) is always
        expected.
    what : str
        What was being done, for the log (default: *failure*).
    """
    if not isinstance(expected, tuple):
        expected = (expected,)
    try:
        return action()
    except (*expected, StoreError) as exc:
        if isinstance(exc, StoreError):
            log.warning("%s: %s", what or failure, exc)
        _say(say, str(exc))
    except Exception:
        log.exception("%s failed", what or failure)
        _say(say, failure)
    return None
