#!/usr/bin/env python3
"""How long nbgrader takes to autograde a module quiz, against an empty notebook, in the same run.

Usage (from the repository root):

    .venv/bin/python benchmarks/autograde.py                 # every quiz, 9 learners each
    .venv/bin/python benchmarks/autograde.py --quizzes module-01-quiz --learners 9

It builds a throw-away copy of the nbgrader course (its own HOME, Jupyter folders and exchange),
releases each quiz and an assignment whose notebook has no cells, has the synthetic cohort of
tests/quiz_helpers.py answer and submit both, collects them, and then times ``nbgrader autograde``
for each assignment (one batch per assignment, as a trainer runs it), ``--rounds`` times (default 3;
quiz and empty batches alternate, in turn first and second, and the median is reported). Autograding
an empty notebook measures the fixed cost of each submission (starting a kernel, reading and writing
the notebook and the gradebook): that is the floor, and the difference is what the quiz itself costs.

Writes benchmarks/results/autograde.json. This is a measurement, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from resilience_course.quiz.quizzes import load_quiz  # noqa: E402

from tests.quiz_helpers import cohort, edit_notebook, fetch, make_sandbox, submit  # noqa: E402

EMPTY = "empty-notebook"
RESULTS = ROOT / "benchmarks" / "results" / "autograde.json"


def _empty_source(course: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    folder = course / "source" / EMPTY
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{EMPTY}.ipynb")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quizzes", nargs="*", default=[f"module-{n:02d}-quiz" for n in range(1, 8)])
    parser.add_argument("--learners", type=int, default=9, help="submissions per assignment (at most 9)")
    parser.add_argument("--rounds", type=int, default=3, help="batches of each assignment (the median is reported)")
    parser.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args(argv)
    quizzes = [load_quiz(name) for name in args.quizzes]
    load_start = os.getloadavg() if hasattr(os, "getloadavg") else None

    with tempfile.TemporaryDirectory(prefix="rc-autograde-bench-") as tmp:
        sb = make_sandbox(Path(tmp))
        _empty_source(sb.course)
        names = [q.assignment for q in quizzes] + [EMPTY]
        sb.nbgrader_many([["generate_assignment", a] for a in names] + [["release_assignment", a] for a in names])
        students = []
        for quiz in quizzes:
            for learner in cohort(quiz)[: args.learners]:
                path = fetch(sb, quiz.assignment, learner.id)
                edit_notebook(path, learner, quiz)
                submit(sb, quiz.assignment, learner.id)
                students.append(learner.id)
        for student in sorted(set(students)):
            fetch(sb, EMPTY, student)
            submit(sb, EMPTY, student)
        sb.nbgrader_many([["collect", a] for a in names])
        # Alternate quiz and empty batches, in turn first and second, for several rounds, so that a change
        # in machine load (or a first-run cost) hits both alike; every batch re-marks all (--force).
        commands, kinds = [], []
        for r in range(args.rounds):
            for quiz in quizzes:
                pair = [(["autograde", quiz.assignment, "--force"], quiz.assignment),
                        (["autograde", EMPTY, "--force"], EMPTY)]
                for command, kind in (pair if r % 2 == 0 else pair[::-1]):
                    commands.append(command)
                    kinds.append(kind)
        wall = time.perf_counter()
        results = sb.nbgrader_many(commands)
        wall = time.perf_counter() - wall

    runs: dict[str, list[float]] = {}
    for kind, result in zip(kinds, results):
        runs.setdefault(kind, []).append(result["seconds"])
    empty_n = len(set(students))
    empty_runs = [x / empty_n for x in runs[EMPTY]]
    per_quiz = {}
    for quiz in quizzes:
        n = min(args.learners, len(cohort(quiz)))
        seconds = statistics.median(runs[quiz.assignment])
        per_quiz[quiz.assignment] = {
            "submissions": n,
            "cells": len(nbformat.read(ROOT / "assessments" / "source" / quiz.assignment / quiz.notebook,
                                       as_version=4).cells),
            "seconds": round(seconds, 3),
            "seconds_per_submission": round(seconds / n, 3),
            "each_round_seconds_per_submission": [round(x / n, 3) for x in runs[quiz.assignment]],
        }
    quiz_mean = statistics.mean(v["seconds_per_submission"] for v in per_quiz.values())
    empty_mean = statistics.median(empty_runs)
    report = {
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "what": "nbgrader autograde, one batch per assignment and round (median of the rounds), seconds measured "
                "inside one nbgrader process (excluding its start-up); empty = a notebook with no cells, graded "
                "in the same run, alternating with the quizzes (the floor)",
        "rounds": args.rounds,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version(),
                    "load_average_at_start": [round(x, 2) for x in load_start] if load_start else None,
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()] if load_start else None},
        "nbgrader": __import__("nbgrader").__version__,
        "quizzes": per_quiz,
        "empty_notebook": {"submissions_per_batch": empty_n, "batches": len(empty_runs), "statistic": "median",
                           "seconds_per_submission": round(empty_mean, 3),
                           "each_batch_seconds_per_submission": [round(x, 3) for x in empty_runs]},
        "quiz_mean_seconds_per_submission": round(quiz_mean, 3),
        "quiz_extra_seconds_per_submission_over_empty": round(quiz_mean - empty_mean, 3),
        "quiz_to_empty_ratio": round(quiz_mean / empty_mean, 2) if empty_mean else None,
        "autograde_wall_seconds": round(wall, 1),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"autograde, seconds per submission (median of {args.rounds} rounds): quiz {quiz_mean:.2f} (mean of "
          f"{len(per_quiz)} quizzes), empty notebook (the floor) {empty_mean:.2f}; the quiz adds "
          f"{quiz_mean - empty_mean:.2f} s")
    for name, v in per_quiz.items():
        print(f"  {name}: {v['submissions']} submissions in {v['seconds']:.1f} s "
              f"({v['seconds_per_submission']:.2f} s each)")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
