"""What the group-tool tests share: hostile text, anonymous responses and files of them."""

from __future__ import annotations

import json
from pathlib import Path

from resilience_course.cohort import model as co
from resilience_course.core.course import load_outline

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'


def answers(n: int) -> dict:
    doing = ["good", "okay", "mixed", "stretched", "struggling"]
    skills = ["hope", "now", "hope", "acceptance", "self-awareness", "relationships"]
    return {"doing": doing[n % len(doing)], "skill": skills[n % len(skills)], "want": "talk",
            "note": f"note {n} {HOSTILE}"}


def responses(survey, n: int, cohort="MC-A", session="03") -> list[dict]:
    return [co.make_check_in(survey, answers(i), cohort, session) for i in range(n)]


def write(folder: Path, name: str, data) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return p


def eval_responses(evaluation, n, module="03", drop_after_for=()):
    outline = load_outline()
    outcomes = [o["id"] for o in outline.module(module).outcomes]
    out = []
    for i in range(n):
        before = {o: 1 + (i + k) % 2 for k, o in enumerate(outcomes)}
        after = {o: 3 + (i + k) % 2 for k, o in enumerate(outcomes) if not (o in drop_after_for and i == 0)}
        reaction = {"useful": ["quite", "very"][i % 2], "clear": "clear", "time": "right", "recommend": "yes",
                    "change": f"more {i} {HOSTILE}"}
        out.append({"format": co.EVALUATION_FORMAT, "version": evaluation.version, "id": f"{i:032x}",
                    "cohort": "MC-A", "module": module, "confidence_before": before, "confidence_after": after,
                    "reaction": reaction})
    return out
