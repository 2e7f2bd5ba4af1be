"""What every part of the learner's record shares: the themes of the Code, the privacy reminder, dates,
hours, the error that lists every problem at once and the print stylesheet of the exports.

No widgets here. Learner text is escaped in every export (:func:`~..core.html.esc` for HTML,
:func:`md_escape` for Markdown).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ..core.content import ContentError
from ..core.course import Outline, load_outline
from ..core.dates import display_date
from ..core.dates import local_day as local_date
from ..core.escape import md_escape

__all__ = ["CODE_THEMES", "PRIVACY_REMINDER", "PRINT_CSS", "MAX_TEXT", "MAX_TOPIC", "CPDError", "parse_date",
           "parse_hours", "hours_text", "md_escape", "module_label", "clean_text", "local_date", "today_or", "counted",
           "DATE_FORMATS", "read_date"]


def counted(n: int, one: str, many: str = "") -> str:
    """``1 entry``, ``2 entries``: a number with its noun in the right form."""
    return f"{n} {one if n == 1 else (many or one + 's')}"

#: The four themes of the NMC Code (2015, updated 2018).
CODE_THEMES: dict[str, str] = {
    "prioritise-people": "Prioritise people",
    "practise-effectively": "Practise effectively",
    "preserve-safety": "Preserve safety",
    "promote-professionalism": "Promote professionalism and trust",
}


MAX_TEXT = 5000
MAX_TOPIC = 200

PRIVACY_REMINDER = ("Before you share this, read it through once more: nothing in it may identify a patient, "
                    "a family, a service user or a colleague (no names, initials, addresses, dates of birth, "
                    "places or details that would let someone recognise them).")


class CPDError(ValueError):
    """An entry that cannot be saved. ``problems`` maps each field to a plain-words message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        super().__init__(" ".join(self.problems.values()))


# -- small helpers -----------------------------------------------------------------------------
def today_or(today: date | None) -> date:
    return today or date.today()


def hours_text(hours: float) -> str:
    """``1.5`` -> ``"1.5 hours"``, ``1`` -> ``"1 hour"``."""
    value = f"{round(float(hours), 2):g}"
    return f"{value} hour{'' if value == '1' else 's'}"


#: How learners may type a date (UK order: day before month).
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def read_date(text: str, formats: tuple[str, ...] = DATE_FORMATS) -> date | None:
    """The date *text* spells in one of *formats*, or None."""
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_date(value, today: date | None = None, field_label: str = "The date") -> date:
    """A date typed as ``2024-05-20`` or ``20/05/2024``; never in the future.

    Raises
    ------
    ValueError
        With a message the learner can act on.
    """
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError(f"{field_label} is missing: type it as 2024-05-20 or 20/05/2024.")
        d = read_date(text)
        if d is None:
            raise ValueError(f"{field_label} {text!r} is not a date I can read: type it as 2024-05-20 or "
                             "20/05/2024.")
    if d > today_or(today):
        raise ValueError(f"{field_label} {display_date(d)} is in the future: record learning once it "
                         "has happened.")
    if d.year < 1950:
        raise ValueError(f"{field_label} {d.isoformat()} is too long ago; please check the year.")
    return d


def parse_hours(value, field_label: str = "Hours") -> float:
    """A number of hours typed as ``1.5``, ``1,5`` or ``2``."""
    if isinstance(value, bool):
        raise ValueError(f"{field_label}: enter a number, for example 1.5 for an hour and a half.")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value or "").strip().replace(",", ".")
        if text.lower().endswith(("hours", "hour", "hrs", "hr", "h")):
            text = re.sub(r"\s*(hours|hour|hrs|hr|h)$", "", text, flags=re.I)
        if not text:
            raise ValueError(f"{field_label} is missing: enter a number, for example 1.5.")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{field_label} {str(value)!r} is not a number: enter, for example, 1.5 for an hour "
                             "and a half.") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{field_label} must be an ordinary number.")
    return round(number, 2)


def module_label(module_id: str, outline: Outline | None = None) -> str:
    if not module_id or module_id == "course":
        return "Course-wide"
    try:
        m = (outline or load_outline()).module(module_id)
    except (KeyError, ContentError):
        return f"Module {module_id}"
    return f"Module {m.number}: {m.title}"


def clean_text(value, label: str, problems: dict, key: str, required: bool, limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip()
    if required and not text:
        problems[key] = f"{label} is missing."
    elif len(text) > limit:
        problems[key] = f"{label} is too long ({len(text)} characters; at most {limit})."
    return text


PRINT_CSS = ("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d1d1f;line-height:1.6;"
              "margin:0;padding:2rem;}main{max-width:46rem;margin:0 auto;}h1{font-size:1.8rem;}"
              "h2{font-size:1.2rem;margin-top:1.5rem;}.reminder{border-left:6px solid #8a5a00;background:#fff8e6;"
              "padding:0.5rem 1rem;}.small{font-size:0.9rem;color:#4a4a4f;}table{border-collapse:collapse;"
              "margin:1rem 0;}th,td{border:1px solid #c9ced6;padding:0.3rem 0.6rem;text-align:left;}"
              "caption{text-align:left;font-weight:600;}@media print{body{padding:0;}"
              ".reminder{background:none;}}")
