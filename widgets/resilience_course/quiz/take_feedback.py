"""Reading the feedback a trainer releases: the JSON block the course's feedback template writes in the page.

Part of the quiz-taking model (:mod:`resilience_course.quiz.take`). No widgets.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

__all__ = ["Feedback", "read_feedback_html"]

# ---------------------------------------------------------------- feedback

@dataclass(frozen=True)
class Feedback:
    score: float
    max_score: float
    items: tuple[dict, ...]  # {"grade_id", "score", "points", "comment"}
    comments: tuple[tuple[str, str], ...] = ()  # (grade_id, comment)


# nbgrader's feedback step may reorder the element's attributes: match the id wherever it is.
_FEEDBACK_BLOCK = re.compile(r'<script\b[^>]*\bid="rc-feedback"[^>]*>(.*?)</script>', re.S)


def read_feedback_html(text: str) -> Feedback | None:
    """The scores and comments the course's feedback template writes into a feedback page (None if absent)."""
    match = _FEEDBACK_BLOCK.search(text)
    if not match:
        return None
    try:
        data = json.loads(match.group(1))
        cells = [i for i in data["cells"] if isinstance(i, dict)]
        items = tuple({"grade_id": str(i["grade_id"]), "score": float(i.get("score") or 0),
                       "points": float(i.get("points") or 0), "comment": str(i.get("comment") or "")}
                      for i in cells if i.get("grade"))
        comments = tuple((str(i["grade_id"]), str(i["comment"])) for i in cells if str(i.get("comment") or "").strip())
        return Feedback(float(data["score"]), float(data["max_score"]), items, comments)
    except (ValueError, KeyError, TypeError):
        return None
