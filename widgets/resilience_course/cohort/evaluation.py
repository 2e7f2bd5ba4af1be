"""The course evaluation (Kirkpatrick levels 1 and 2): kept in the learner's store, exported anonymously."""

from __future__ import annotations

import uuid

from ..core.course import Outline, load_outline
from ..core.store import Store
from .survey import EVAL_KIND, EVALUATION_FORMAT, STAGES, Survey, SurveyError, clean_code, validate_answers

__all__ = ["save_evaluation", "latest_evaluation", "make_evaluation"]


# -- the evaluation: saved locally, exported anonymously --------------------------------------------
def _check_confidence(survey: Survey, outline: Outline, module: str, confidence: dict) -> dict:
    outcomes = [o["id"] for o in outline.module(module).outcomes]
    problems = {}
    out = {}
    for k, v in (confidence or {}).items():
        if k not in outcomes:
            problems[k] = f"{k!r} is not an outcome of module {module}."
        elif v is not None and (isinstance(v, bool) or v not in survey.confidence_values):
            problems[k] = f"{v!r} is not on the confidence scale."
        elif v is not None:
            out[k] = v
    missing = [o for o in outcomes if o not in out]
    if missing and not problems:
        problems["confidence"] = (f"Please rate your confidence for every outcome ({len(missing)} still to "
                                  "rate).")
    if problems:
        raise SurveyError(problems)
    return {o: out[o] for o in outcomes}


def save_evaluation(store: Store, survey: Survey, module: str, stage: str, confidence: dict,
                    reaction: dict | None = None, outline: Outline | None = None) -> str:
    """Keep one evaluation (before or after a module) in the learner's own store. Raises SurveyError."""
    outline = outline or load_outline()
    if stage not in STAGES:
        raise SurveyError({"stage": "Choose whether this is before or after the module."})
    problems = {}
    try:
        conf = _check_confidence(survey, outline, module, confidence)
    except SurveyError as exc:
        problems.update(exc.problems)
    react: dict = {}
    if stage == "after":
        try:
            react = validate_answers(survey, reaction or {})
        except SurveyError as exc:
            problems.update(exc.problems)
    elif reaction:
        problems["reaction"] = "The reaction questions are answered after the module."
    if problems:
        raise SurveyError(problems)
    return store.add_record(EVAL_KIND, {"stage": stage, "confidence": conf, "reaction": react,
                                        "version": survey.version}, module)


def latest_evaluation(store: Store, module: str) -> dict[str, dict]:
    """The learner's latest saved 'before' and 'after' evaluations for a module (payloads)."""
    out: dict[str, dict] = {}
    for r in store.records(EVAL_KIND, module):
        p = r["payload"]
        if isinstance(p, dict) and p.get("stage") in STAGES:
            out[p["stage"]] = p
    return out


def make_evaluation(survey: Survey, module: str, cohort: str, saved: dict[str, dict]) -> dict:
    """An anonymous evaluation response for a module from the learner's saved answers."""
    problems = {}
    try:
        code = clean_code(cohort)
    except ValueError as exc:
        problems["cohort"] = str(exc)
    if not saved:
        problems["saved"] = "Save your answers first (before the module, after it, or both)."
    if problems:
        raise SurveyError(problems)
    before, after = saved.get("before", {}), saved.get("after", {})
    return {"format": EVALUATION_FORMAT, "version": survey.version, "id": uuid.uuid4().hex, "cohort": code,
            "module": module, "confidence_before": dict(before.get("confidence", {})),
            "confidence_after": dict(after.get("confidence", {})), "reaction": dict(after.get("reaction", {}))}
