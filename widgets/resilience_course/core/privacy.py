"""The course's rule for group results: never show anything about fewer than five people.

Every tool that summarises other people's answers (the cohort check-in, the course evaluation,
the team benchmarking report) imports :data:`MIN_GROUP` from here, so the rule lives in one place.
"""

from __future__ import annotations

__all__ = ["MIN_GROUP", "can_show", "withheld_message"]

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
