"""How the course writes dates and times: UK style for people, ISO for files and the store.

* For people: ``28 Nov 2026`` (:func:`display_date`) and ``28 Nov 2026 14:05`` (:func:`display_time`),
  always in the learner's local time.
* For files and the store: ISO 8601 (:func:`now_iso`, :func:`local_day`, :func:`file_stamp`).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

__all__ = ["DATE_FORMAT", "TIME_FORMAT", "now_iso", "local_day", "display_date", "display_time", "clock",
           "file_stamp"]

DATE_FORMAT = "%d %b %Y"
TIME_FORMAT = "%d %b %Y %H:%M"


def now_iso() -> str:
    """The current time in UTC as ISO 8601, to the second (how the store keeps times)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _parse(stamp) -> datetime | date | None:
    if isinstance(stamp, (datetime, date)):
        return stamp
    try:
        return datetime.fromisoformat(str(stamp).strip())
    except (TypeError, ValueError):
        return None


def local_day(stamp) -> str:
    """The learner's local calendar date (``YYYY-MM-DD``) of a stored time; unreadable input as given (first 10)."""
    value = _parse(stamp)
    if value is None:
        return str(stamp)[:10]
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone()
        value = value.date()
    return value.isoformat()


def display_date(value) -> str:
    """A date (or ISO date/time) for people to read: ``28 Nov 2026``; anything unreadable as given."""
    parsed = _parse(value)
    if parsed is None:
        return str(value)
    if isinstance(parsed, datetime):
        day = local_day(parsed)
        return date.fromisoformat(day).strftime(DATE_FORMAT)
    return parsed.strftime(DATE_FORMAT)


def display_time(stamp) -> str:
    """A stored ISO time as the learner's local date and time: ``28 Nov 2026 14:05``; unreadable as given."""
    value = _parse(stamp)
    if not isinstance(value, datetime):
        return str(stamp)
    return value.astimezone().strftime(TIME_FORMAT)


def clock(when: datetime | None = None) -> str:
    """The local time of day, ``14:05`` (for "Saved at 14:05")."""
    return (when or datetime.now()).strftime("%H:%M")


def file_stamp(when: datetime | None = None) -> str:
    """Local date and time for a file name: ``2026-11-28-1405``."""
    return (when or datetime.now()).strftime("%Y-%m-%d-%H%M")
