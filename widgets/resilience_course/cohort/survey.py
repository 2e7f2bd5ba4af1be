"""Surveys for groups (the check-in and the evaluation): definitions, codes, answers, check-in files.

A survey is data (``data/cohort/*.yml``, schema ``survey``); :func:`load_survey` checks what the
schema cannot. A check-in response file holds a random id, the group and session codes and the
answers: no name, no time stamp, nothing else.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..core.content import ContentError, load_yaml, package_data

__all__ = ["CHECK_IN_FORMAT", "EVALUATION_FORMAT", "EVAL_KIND", "STAGES", "MAX_FILE_BYTES", "SurveyError", "Survey",
           "load_survey", "clean_code", "validate_answers", "needs_signpost", "make_check_in", "response_filename"]

CHECK_IN_FORMAT = "resilience-course-check-in"
EVALUATION_FORMAT = "resilience-course-evaluation"
EVAL_KIND = "evaluation"
STAGES = {"before": "Before I start the module", "after": "After I finish the module"}
MAX_FILE_BYTES = 64_000
_ID = re.compile(r"^[0-9a-f]{32}$")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9 _-]{0,39}$")


class SurveyError(ValueError):
    """Answers or codes that cannot be used; ``problems`` maps each field to a message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        super().__init__(" ".join(self.problems.values()))


@dataclass(frozen=True)
class Survey:
    """A validated survey definition (``data/cohort/*.yml``, schema ``survey``)."""

    id: str
    title: str
    version: int
    introduction: str
    privacy: str
    questions: tuple[dict, ...]
    signpost_message: str = ""
    confidence_scale: tuple[dict, ...] = ()
    source: str = "<data>"

    def question(self, qid: str) -> dict:
        for q in self.questions:
            if q["id"] == qid:
                return q
        raise KeyError(qid)

    def label(self, qid: str, oid: str) -> str:
        for o in self.question(qid).get("options", []):
            if o["id"] == oid:
                return o["label"]
        return oid

    @property
    def confidence_values(self) -> list[int]:
        return [c["value"] for c in self.confidence_scale]

    def confidence_label(self, value: int) -> str:
        return next((c["label"] for c in self.confidence_scale if c["value"] == value), str(value))


def load_survey(name_or_path: str | Path) -> Survey:
    """Load ``"check-in"``/``"evaluation"`` from the package, or a survey file by path, and check it."""
    p = Path(name_or_path)
    path = p if p.suffix in (".yml", ".yaml") else package_data("cohort", f"{name_or_path}.yml")
    data = load_yaml(path, "survey")
    f = str(path)
    seen: set[str] = set()
    for n, q in enumerate(data["questions"]):
        where = f"questions[{n}]"
        if q["id"] in seen:
            raise ContentError(f, f"{where}.id", f"duplicate question id {q['id']!r}")
        seen.add(q["id"])
        if q["type"] == "choice":
            opts = q.get("options")
            if not opts:
                raise ContentError(f, f"{where}.options", "a choice question needs options")
            ids = [o["id"] for o in opts]
            if len(set(ids)) != len(ids):
                raise ContentError(f, f"{where}.options", "duplicate option id")
            if "max_chars" in q:
                raise ContentError(f, f"{where}.max_chars", "only text questions have max_chars")
        elif "options" in q:
            raise ContentError(f, f"{where}.options", "a text question has no options")
    if any(o.get("signpost") for q in data["questions"] for o in q.get("options", [])) and \
            not data.get("signpost_message"):
        raise ContentError(f, "signpost_message", "options are marked signpost, so a signpost_message is needed")
    scale = data.get("confidence_scale", [])
    values = [c["value"] for c in scale]
    if values != sorted(set(values)):
        raise ContentError(f, "confidence_scale", "values must be different and in ascending order")
    return Survey(data["id"], data["title"], data["version"], data["introduction"], data["privacy"],
                  tuple(data["questions"]), data.get("signpost_message", ""), tuple(scale), f)


def clean_code(value, label: str = "The group code") -> str:
    """A cohort or session code: letters, digits, spaces, - and _ (up to 40), compared without case."""
    text = re.sub(r"\s+", " ", str(value or "").strip()).upper()
    if not text:
        raise ValueError(f"{label} is missing: ask your facilitator for it.")
    if not _CODE.match(text):
        raise ValueError(f"{label} {str(value)!r} can only use letters, numbers, spaces, - and _ (at most 40).")
    return text


def validate_answers(survey: Survey, answers: dict) -> dict:
    """Check answers against the survey; returns them without empty text. Raises SurveyError."""
    if not isinstance(answers, dict):
        raise SurveyError({"answers": "The answers are not in the expected shape."})
    problems: dict[str, str] = {}
    out: dict[str, str] = {}
    known = {q["id"] for q in survey.questions}
    for k in answers:
        if k not in known:
            problems[str(k)] = f"{k!r} is not a question of this survey."
    for q in survey.questions:
        value = answers.get(q["id"])
        if q["type"] == "choice":
            if value in (None, ""):
                if q.get("required"):
                    problems[q["id"]] = f"Please answer: {q['text']}"
                continue
            if value not in {o["id"] for o in q["options"]}:
                problems[q["id"]] = f"{value!r} is not one of the answers to: {q['text']}"
                continue
            out[q["id"]] = value
        else:
            if value is not None and not isinstance(value, str):
                problems[q["id"]] = f"The answer to {q['text']!r} should be text."
                continue
            text = (value or "").strip()
            if not text:
                if q.get("required"):
                    problems[q["id"]] = f"Please answer: {q['text']}"
                continue
            limit = q.get("max_chars", 1000)
            if len(text) > limit:
                problems[q["id"]] = f"Your answer to {q['text']!r} is {len(text)} characters; at most {limit}."
                continue
            out[q["id"]] = text
    if problems:
        raise SurveyError(problems)
    return out


def needs_signpost(survey: Survey, answers: dict) -> bool:
    """Whether any chosen answer is marked ``signpost`` (it suggests the person may be struggling)."""
    for q in survey.questions:
        for o in q.get("options", []):
            if o.get("signpost") and answers.get(q["id"]) == o["id"]:
                return True
    return False


def make_check_in(survey: Survey, answers: dict, cohort: str, session: str) -> dict:
    """An anonymous check-in response, ready to save as JSON. Raises SurveyError listing every problem."""
    problems: dict[str, str] = {}
    codes = {}
    for key, value, label in (("cohort", cohort, "The group code"), ("session", session, "The session code")):
        try:
            codes[key] = clean_code(value, label)
        except ValueError as exc:
            problems[key] = str(exc)
    try:
        clean = validate_answers(survey, answers)
    except SurveyError as exc:
        problems.update(exc.problems)
    if problems:
        raise SurveyError(problems)
    return {"format": CHECK_IN_FORMAT, "version": survey.version, "id": uuid.uuid4().hex,
            "cohort": codes["cohort"], "session": codes["session"], "answers": clean}


def response_filename(response: dict) -> str:
    kind = "check-in" if response["format"] == CHECK_IN_FORMAT else "evaluation"
    where = response.get("session") or f"module-{response.get('module')}"
    safe = re.sub(r"[^a-z0-9-]+", "-", f"{response['cohort']}-{where}".lower()).strip("-")
    return f"{kind}-{safe}-{response['id'][:8]}.json"
