"""Privacy rules that every tool shares, in one place.

* **The rule of 5**: every tool that summarises other people's answers (the cohort check-in, the
  course evaluation, the team benchmarking report) imports :data:`MIN_GROUP` from here.
* **The identifying-details detector**: every tool that warns a learner about text that might
  identify a patient, a family or a colleague (the After Action Review, the reflective account)
  calls :func:`identifying_details`. It looks for names after a title, email addresses, NHS
  numbers, dates of birth, postcodes and street addresses. It is a safety net, not a guarantee:
  it warns, it never blocks or changes what the learner wrote.
"""

from __future__ import annotations

import re

__all__ = ["MIN_GROUP", "can_show", "withheld_message", "IDENTIFYING_DETAILS", "identifying_details"]

#: The smallest group whose results may be shown, in any form (counts, charts or free text).
MIN_GROUP = 5


def can_show(n: int) -> bool:
    """Whether results from *n* people may be shown (``n >= MIN_GROUP``)."""
    return int(n) >= MIN_GROUP


def withheld_message(n: int, noun: str = "response") -> str:
    """A plain-words explanation of why a group result is not shown yet (*noun* in the singular)."""
    n = int(n)
    still = max(MIN_GROUP - n, 0)
    return (f"There {'is' if n == 1 else 'are'} {n} {noun}{'' if n == 1 else 's'} so far. To protect "
            f"everyone's privacy, group results are shown only when there are at least {MIN_GROUP}: "
            f"{still} more {'is' if still == 1 else 'are'} needed.")


_STREET_WORDS = ("Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Grove|Place|Court|Gardens|Terrace|"
                 "Square|Mews|Walk|Park|Hill|Row|View|Rise")

#: What the detector looks for: (pattern, what it may be). One check per kind of detail, so a text
#: gets at most one warning per kind.
IDENTIFYING_DETAILS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Baby)\.? [A-Z][a-z]+"), "a name after a title (Mrs, Dr, Baby...)"),
    (re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"), "an email address"),
    (re.compile(r"(?<![\d-])(?:\d[ -]?){9}\d(?![\d-])|\b\d{3}[ -]?\d{3}[ -]?\d{4}\b"),
     "a 10-digit number that could be an NHS number"),
    (re.compile(r"\b(?:born|DOB|d\.o\.b\.?)\b[^.]{0,20}\d|\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}\b", re.I),
     "a date that could be a date of birth"),
    (re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.I), "something that looks like a postcode"),
    (re.compile(rf"\b\d{{1,4}}[A-Za-z]?,? (?:[A-Z][a-z]+ ){{1,3}}(?:{_STREET_WORDS})\b"),
     "something that looks like a street address"),
)


def identifying_details(*texts: str) -> list[str]:
    """Gentle warnings, one per kind of detail found in *texts*, that something might identify someone.

    Returns an empty list when nothing is found (which never proves the text is anonymous).
    """
    joined = "\n".join(t for t in texts if isinstance(t, str))
    return [f"Your text may contain {what}. Please check that nobody can be identified, and remove it if "
            "it could identify anyone."
            for pattern, what in IDENTIFYING_DETAILS if pattern.search(joined)]
