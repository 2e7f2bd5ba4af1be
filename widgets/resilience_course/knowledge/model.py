"""Question banks for the formative knowledge checks: loading, checking and marking (no widgets)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from ..core.content import ContentError, load_yaml
from ..core.course import course_root, load_outline

__all__ = ["Question", "Mark", "load_bank", "bank_path", "mark", "shuffled_options"]


@dataclass(frozen=True)
class Question:
    id: str
    outcome: str
    type: str
    stem: str
    options: tuple[dict, ...]
    correct: frozenset[str]
    explanation: str = ""
    source: str = ""

    def option(self, oid: str) -> dict:
        for o in self.options:
            if o["id"] == oid:
                return o
        raise KeyError(oid)


@dataclass(frozen=True)
class Mark:
    """The outcome of one attempt: ``"correct"``, ``"partly"`` or ``"wrong"``, with per-option feedback."""

    verdict: str
    feedback: tuple[tuple[str, str, bool], ...]  # (option text, feedback, is correct)
    missed: int

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"


def bank_path(module_id: str, root: Path | None = None) -> Path:
    root = root or course_root()
    module = load_outline(root).module(module_id)
    return root / module.folder / "questions.yml"


def load_bank(path_or_module: str | Path, check_outcomes: bool = True) -> list[Question]:
    """Load a question bank (a module id like ``"03"`` or a path) and check it.

    Checks beyond the schema: unique question and option ids, the correct set among the
    options, one correct option for a single-answer question, and outcomes that exist in
    ``course/course.yml`` for the bank's module.
    """
    if isinstance(path_or_module, str) and len(path_or_module) == 2 and path_or_module.isdigit():
        path = bank_path(path_or_module)
    else:
        path = Path(path_or_module)
    data = load_yaml(path, "questions")
    f = str(path)
    outcomes = None
    if check_outcomes:
        try:
            outline = load_outline()
            outcomes = {o["id"] for o in outline.module(data["module"]).outcomes}
        except (ContentError, KeyError) as exc:
            raise ContentError(f, "module", f"module {data['module']!r} is not in the course outline ({exc})") from None
    seen: set[str] = set()
    out = []
    for n, q in enumerate(data["questions"]):
        where = f"questions[{n}]"
        if q["id"] in seen:
            raise ContentError(f, f"{where}.id", f"duplicate question id {q['id']!r}")
        seen.add(q["id"])
        ids = [o["id"] for o in q["options"]]
        if len(set(ids)) != len(ids):
            raise ContentError(f, f"{where}.options", "duplicate option id")
        if len({o["text"].strip().lower() for o in q["options"]}) != len(ids):
            raise ContentError(f, f"{where}.options", "two options have the same text")
        bad = sorted(set(q["correct"]) - set(ids))
        if bad:
            raise ContentError(f, f"{where}.correct", f"{', '.join(bad)} not among the options {', '.join(ids)}")
        if len(set(q["correct"])) != len(q["correct"]):
            raise ContentError(f, f"{where}.correct", "an option is listed twice")
        if q["type"] == "single" and len(q["correct"]) != 1:
            raise ContentError(f, f"{where}.correct", "a single-answer question needs exactly one correct option")
        if q["type"] == "multiple" and len(q["correct"]) < 2:
            raise ContentError(f, f"{where}.type", "a question with one correct option should be type 'single'")
        if outcomes is not None and q["outcome"] not in outcomes:
            raise ContentError(f, f"{where}.outcome",
                               f"outcome {q['outcome']!r} is not an outcome of module {data['module']} "
                               f"({', '.join(sorted(outcomes))})")
        out.append(Question(q["id"], q["outcome"], q["type"], q["stem"], tuple(q["options"]),
                            frozenset(q["correct"]), q.get("explanation", ""), q.get("source", "")))
    return out


def shuffled_options(question: Question, rng: random.Random) -> list[dict]:
    opts = list(question.options)
    rng.shuffle(opts)
    return opts


def mark(question: Question, chosen) -> Mark:
    """Mark a set of chosen option ids. Raises ValueError for an empty answer or unknown ids."""
    chosen = set(chosen or ())
    if not chosen:
        raise ValueError("Choose an answer first.")
    unknown = chosen - {o["id"] for o in question.options}
    if unknown:
        raise ValueError(f"Unknown option(s): {', '.join(sorted(unknown))}")
    if question.type == "single" and len(chosen) > 1:
        raise ValueError("Choose one answer only.")
    right = chosen & question.correct
    if chosen == question.correct:
        verdict = "correct"
    elif right:
        verdict = "partly"
    else:
        verdict = "wrong"
    feedback = tuple((question.option(o["id"])["text"], o["feedback"], o["id"] in question.correct)
                     for o in question.options if o["id"] in chosen)
    return Mark(verdict, feedback, len(question.correct - chosen))
