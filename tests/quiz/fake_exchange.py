"""A small nbgrader exchange plugin for the unit tests: the quiz page must use the exchange classes
nbgrader's config files name (``c.ExchangeFactory.*``), as it would ngshare's on Kubernetes.

Each class subclasses nbgrader's abstract exchange step and follows its ``start()`` (init_src, init_dest,
copy_files / list_files); it keeps what happens in :data:`CALLS` and what was handed in in :data:`STATE`,
with no folder shared between learner and trainer.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbgrader.exchange.abc import ExchangeFetchAssignment, ExchangeFetchFeedback, ExchangeList, ExchangeSubmit

ROOT = Path(__file__).resolve().parents[2]
CALLS: list[dict] = []
STATE: dict = {"released": ["module-01-quiz"], "submitted": {}, "feedback": {}}


def reset() -> None:
    CALLS.clear()
    STATE.update(released=["module-01-quiz"], submitted={}, feedback={})


def _note(step: str, exchange, **more) -> None:
    CALLS.append({"step": step, "class": type(exchange).__name__, "course": exchange.coursedir.course_id,
                  "assignment": exchange.coursedir.assignment_id, "student": exchange.coursedir.student_id,
                  "assignment_dir": exchange.assignment_dir, **more})


class _NoFiles:
    def init_src(self):
        pass

    def init_dest(self):
        pass


class FakeList(_NoFiles, ExchangeList):
    def copy_files(self):
        pass

    def list_files(self):
        _note("list", self, cached=self.cached)
        course = self.coursedir.course_id
        if self.cached:
            return [{"course_id": course, "assignment_id": a, "status": "submitted",
                     "submissions": [{"timestamp": stamp, "has_local_feedback": False,
                                      "has_exchange_feedback": a in STATE["feedback"], "feedback_updated": False}]}
                    for a, stamp in STATE["submitted"].items()]
        return [{"course_id": course, "assignment_id": a, "status": "released"} for a in STATE["released"]]


class FakeFetchAssignment(_NoFiles, ExchangeFetchAssignment):
    def copy_files(self):
        from resilience_course.quiz.take import learner_copy

        a = self.coursedir.assignment_id
        _note("fetch_assignment", self)
        folder = Path(self.assignment_dir) / a
        folder.mkdir(parents=True)
        nbformat.write(learner_copy(ROOT / "assessments" / "source" / a / f"{a}.ipynb"), folder / f"{a}.ipynb")


class FakeSubmit(_NoFiles, ExchangeSubmit):
    def copy_files(self):
        a = self.coursedir.assignment_id
        _note("submit", self)
        STATE["submitted"][a] = self.timestamp
        STATE["notebook"] = (Path(self.assignment_dir) / a / f"{a}.ipynb").read_text(encoding="utf-8")


class FakeFetchFeedback(_NoFiles, ExchangeFetchFeedback):
    def copy_files(self):
        a = self.coursedir.assignment_id
        _note("fetch_feedback", self)
        folder = Path(self.assignment_dir) / a / "feedback" / "2026-01-05 10:00:00"
        folder.mkdir(parents=True)
        block = json.dumps(STATE["feedback"][a])
        (folder / f"{a}.html").write_text(f'<html><script type="application/json" id="rc-feedback">{block}</script>'
                                          "</html>", encoding="utf-8")
