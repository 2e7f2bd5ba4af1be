"""``resilience-course grades item-analysis``: how each quiz question performed, from the nbgrader gradebook."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core.content import ContentError


def register(sub) -> None:
    p = sub.add_parser("grades", help="for trainers: reports from the nbgrader gradebook of the module quizzes")
    gsub = p.add_subparsers(dest="grades_command", metavar="ACTION", required=True)
    ia = gsub.add_parser(
        "item-analysis",
        help="facility and discrimination of every question of a quiz, flagged and summarised by outcome",
        description="Reads per-question scores from the nbgrader gradebook and writes a CSV and an HTML "
                    "report: facility (mean score / max), discrimination (corrected item-total correlation) "
                    "and the learning outcome of every question, with flags and a summary by outcome. "
                    "No names or ids are written.")
    ia.add_argument("--assignment", required=True, help="the quiz, e.g. module-03-quiz")
    ia.add_argument("--db", default=None,
                    help="the gradebook: a path or a database URL (default: from nbgrader_config.py in this "
                         "folder or in assessments/, else assessments/gradebook.db)")
    ia.add_argument("--config", default=None, help="the nbgrader_config.py to read the gradebook's place from")
    ia.add_argument("--out", default=None,
                    help="folder for the reports (default: reports/ beside the gradebook)")
    ia.add_argument("--easy", type=float, default=None, help="flag as too easy above this facility (default 0.90)")
    ia.add_argument("--hard", type=float, default=None, help="flag as too hard below this facility (default 0.30)")
    ia.add_argument("--min-discrimination", type=float, default=None,
                    help="flag as not discriminating below this (default 0.20)")
    ia.set_defaults(func=item_analysis)


def _config_file(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit)
    here = Path.cwd() / "nbgrader_config.py"
    if here.is_file():
        return here
    try:
        from ..core.course import course_root

        candidate = course_root() / "assessments" / "nbgrader_config.py"
    except ContentError:
        return None
    return candidate if candidate.is_file() else None


def gradebook_url(db: str | None, config: str | None) -> str:
    """Where the gradebook is: ``--db``, else the nbgrader config, else ``assessments/gradebook.db``."""
    from ..quiz.item_analysis import ItemAnalysisError, db_url_for

    if db:
        return db_url_for(db)
    cfg_path = _config_file(config)
    if cfg_path is not None:
        if not cfg_path.is_file():
            raise ItemAnalysisError(f"there is no nbgrader config at {cfg_path}")
        from traitlets.config.loader import PyFileConfigLoader

        try:
            cfg = PyFileConfigLoader(cfg_path.name, path=str(cfg_path.parent.resolve())).load_config()
        except Exception as exc:  # the config is Python: report anything it raises
            raise ItemAnalysisError(f"cannot read {cfg_path}: {exc}") from None
        course = cfg["CourseDirectory"] if "CourseDirectory" in cfg else {}
        if course.get("db_url"):
            return str(course["db_url"])
        root = Path(course["root"]) if course.get("root") else cfg_path.parent
        return db_url_for(root / "gradebook.db")
    from ..core.course import course_root

    return db_url_for(course_root() / "assessments" / "gradebook.db")


def item_analysis(args) -> int:
    from ..quiz import item_analysis as ia
    from ..quiz.quizzes import outcome_map, quiz_path

    try:
        url = gradebook_url(args.db, args.config)
        scores = ia.read_gradebook(url, args.assignment)
        try:
            outcomes = outcome_map(args.assignment) if quiz_path(args.assignment).is_file() else {}
        except ContentError as exc:
            print(f"Outcomes not shown: {exc}", file=sys.stderr)
            outcomes = {}
        if not outcomes:
            print(f"No quiz data for {args.assignment} in assessments/quizzes/: outcomes are shown as '?'.",
                  file=sys.stderr)
        kw = {k: v for k, v in (("easy", args.easy), ("hard", args.hard),
                                ("min_discrimination", args.min_discrimination)) if v is not None}
        result = ia.analyse(scores, outcomes, **kw)
        if args.out:
            out = Path(args.out)
        elif url.startswith("sqlite:///"):
            out = Path(url[len("sqlite:///"):]).parent / "reports"
        else:
            out = Path("reports")
        paths = ia.write_report(result, out)
    except (ia.ItemAnalysisError, ContentError, OSError) as exc:
        print(f"Item analysis not made: {exc}", file=sys.stderr)
        return 1
    flagged = [it for it in result.items if it.flags]
    waiting = sum(it.ungraded for it in result.items)
    print(f"{result.assignment}: {result.learners} learners, {len(result.items)} items, {len(flagged)} flagged"
          + (f", {waiting} answer(s) waiting for manual grading" if waiting else ""))
    for it in flagged:
        print(f"  {it.label} ({it.item}, outcome {it.outcome}): {', '.join(it.flags)}")
    for it in result.items:
        if it.ungraded:
            print(f"  {it.label} ({it.item}, outcome {it.outcome}): {ia.flag_text(it)}")
    for note in result.notes:
        print(f"Note: {note}", file=sys.stderr)
    for path in paths:
        print(f"wrote {path}")
    return 0
