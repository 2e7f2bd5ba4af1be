"""Item analysis of a module quiz from the nbgrader gradebook (no widgets).

For every graded cell (an *item*: an autograded question or a reflective answer) it works out

* **facility**: the mean score on the item divided by its maximum (0 = nobody scored, 1 = everybody
  scored full marks);
* **discrimination**: the corrected item-total correlation, i.e. the Pearson correlation between the
  item score and the *rest score* (the learner's total on every other item). A good item is scored
  more often by learners who do well on the rest of the quiz; a value near 0 or below means the item
  does not separate stronger from weaker answers, and is worth a second look;
* the learning outcome it tests (from ``assessments/quizzes/<assignment>.yml``),

flags items that are too easy, too hard or not discriminating, and summarises by outcome.

Per-item scores come from nbgrader's gradebook API (:class:`nbgrader.api.Gradebook`), because
``nbgrader export`` gives totals only. A reflective answer that still waits for manual grading is
left out of that item's figures and out of other items' rest scores, and is counted as *ungraded*;
an item with any ungraded answer is not flagged (too easy, too hard, not discriminating) until they are
all graded, and the report says how many wait.
The report holds no names or student ids. It is refused for fewer than :data:`MIN_GROUP` learners,
so nobody's marks can be picked out of it.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.html import esc, table

__all__ = ["ItemAnalysisError", "ScoreTable", "ItemStats", "OutcomeStats", "ItemAnalysis", "MIN_GROUP",
           "read_gradebook", "analyse", "pearson", "flag_text", "to_csv", "outcomes_csv", "to_html", "write_report",
           "db_url_for"]

MIN_GROUP = 5
EASY, HARD, MIN_DISCRIMINATION = 0.90, 0.30, 0.20


class ItemAnalysisError(ValueError):
    """The analysis cannot be made (no gradebook, unknown assignment, too few learners...)."""


@dataclass(frozen=True)
class ScoreTable:
    """Scores read from a gradebook: ``scores[k][j]`` is learner *k*'s score on item *j*, ``None`` if ungraded."""

    assignment: str
    items: tuple[tuple[str, float], ...]  # (item id, max score), as the gradebook lists them
    scores: tuple[tuple[float | None, ...], ...]

    @property
    def learners(self) -> int:
        return len(self.scores)


@dataclass(frozen=True)
class ItemStats:
    item: str
    label: str
    outcome: str
    max_score: float
    responses: int
    ungraded: int
    mean_score: float | None
    facility: float | None
    discrimination: float | None
    flags: tuple[str, ...]


@dataclass(frozen=True)
class OutcomeStats:
    outcome: str
    items: tuple[str, ...]
    max_score: float
    facility: float | None
    mean_discrimination: float | None
    flagged: tuple[str, ...]


@dataclass(frozen=True)
class ItemAnalysis:
    assignment: str
    learners: int
    max_total: float
    mean_total: float | None
    items: tuple[ItemStats, ...]
    outcomes: tuple[OutcomeStats, ...]
    thresholds: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()


# ---------------------------------------------------------------- reading the gradebook

def db_url_for(path_or_url: str | os.PathLike) -> str:
    """An SQLAlchemy URL for a gradebook path (URLs pass through)."""
    text = str(path_or_url)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).resolve())


def _check_sqlite_exists(db_url: str) -> None:
    if db_url.startswith("sqlite:///"):
        path = Path(db_url[len("sqlite:///"):])
        if not path.is_file():
            raise ItemAnalysisError(f"there is no gradebook at {path}; run nbgrader autograde first, or give --db")


def read_gradebook(db_url: str, assignment: str) -> ScoreTable:
    """Read every submission's per-item scores for *assignment* with :class:`nbgrader.api.Gradebook`."""
    _check_sqlite_exists(db_url)
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            assn = gb.find_assignment(assignment)
        except MissingEntry:
            names = ", ".join(sorted(a.name for a in gb.assignments)) or "none"
            raise ItemAnalysisError(f"the gradebook has no assignment {assignment!r} (it has: {names})") from None
        notebooks = list(assn.notebooks)
        several = len(notebooks) > 1
        items: list[tuple[str, float]] = []
        for nb in notebooks:
            for cell in nb.grade_cells:
                items.append((f"{nb.name}/{cell.name}" if several else cell.name, float(cell.max_score)))
        index = {name: j for j, (name, _) in enumerate(items)}
        rows = []
        for sub in sorted(assn.submissions, key=lambda s: s.id):
            row: list[float | None] = [None] * len(items)
            for snb in sub.notebooks:
                for grade in snb.grades:
                    key = f"{snb.notebook.name}/{grade.name}" if several else grade.name
                    if key not in index:
                        continue
                    graded = grade.manual_score is not None or grade.auto_score is not None
                    row[index[key]] = float(grade.score) if graded else None
            rows.append(tuple(row))
    return ScoreTable(assignment, tuple(items), tuple(rows))


# ---------------------------------------------------------------- statistics

def pearson(x: list[float], y: list[float]) -> float | None:
    """Pearson's correlation, or ``None`` when either list has no spread (or fewer than 2 pairs)."""
    n = len(x)
    if n < 2 or n != len(y):
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def analyse(scores: ScoreTable, outcomes: dict[str, tuple[str, str]] | None = None, *, easy: float = EASY,
            hard: float = HARD, min_discrimination: float = MIN_DISCRIMINATION,
            min_group: int = MIN_GROUP) -> ItemAnalysis:
    """Facility, discrimination and flags for every item, and a summary by outcome.

    Parameters
    ----------
    scores : ScoreTable
        From :func:`read_gradebook` (or built directly).
    outcomes : dict, optional
        ``{item id: (label, outcome)}``, e.g. from :func:`resilience_course.quiz.quizzes.outcome_map`.
        Items it does not name get their own id as label and outcome ``"?"``.
    easy, hard : float
        An item with facility above *easy* is flagged too easy; below *hard*, too hard.
    min_discrimination : float
        An item whose discrimination is below this (or cannot be worked out) is flagged not discriminating.
    min_group : int
        The analysis is refused for fewer learners than this.
    """
    if not 0 <= hard < easy <= 1:
        raise ItemAnalysisError("the thresholds need 0 <= hard < easy <= 1")
    n = scores.learners
    if n < min_group:
        raise ItemAnalysisError(f"{scores.assignment} has {n} submission(s); item analysis needs at least "
                                f"{min_group} so that no one's marks can be picked out")
    outcomes = outcomes or {}
    position = {item: k for k, item in enumerate(outcomes)}
    order = sorted(range(len(scores.items)), key=lambda j: (position.get(scores.items[j][0], len(position)), j))
    item_rows = []
    for j in order:
        item, max_score = scores.items[j]
        label, outcome = outcomes.get(item, (item, "?"))
        pairs = []
        for row in scores.scores:
            if row[j] is None:
                continue
            rest = sum(v for k, v in enumerate(row) if k != j and v is not None)
            pairs.append((row[j], rest))
        ungraded = n - len(pairs)
        mean = sum(p[0] for p in pairs) / len(pairs) if pairs else None
        facility = mean / max_score if (mean is not None and max_score > 0) else None
        disc = pearson([p[0] for p in pairs], [p[1] for p in pairs])
        flags = []
        if ungraded:
            pass  # not judged while answers wait for manual grading: the graded ones alone can mislead
        elif facility is None:
            flags.append("no graded responses")
        elif facility > easy:
            flags.append("too easy")
        elif facility < hard:
            flags.append("too hard")
        if pairs and not ungraded and (disc is None or disc < min_discrimination):
            flags.append("not discriminating")
        item_rows.append(ItemStats(item, label, outcome, max_score, len(pairs), ungraded, mean, facility, disc,
                                   tuple(flags)))
    by_outcome: dict[str, list[ItemStats]] = {}
    for it in item_rows:
        by_outcome.setdefault(it.outcome, []).append(it)
    outcome_rows = []
    for outcome in sorted(by_outcome, key=_outcome_key):
        its = by_outcome[outcome]
        got = sum((it.mean_score or 0) * it.responses for it in its)
        possible = sum(it.max_score * it.responses for it in its)
        discs = [it.discrimination for it in its if it.discrimination is not None]
        outcome_rows.append(OutcomeStats(
            outcome, tuple(it.label for it in its), sum(it.max_score for it in its),
            got / possible if possible else None, sum(discs) / len(discs) if discs else None,
            tuple(it.label for it in its if it.flags)))
    totals = [sum(v for v in row if v is not None) for row in scores.scores]
    notes = []
    pending = sum(it.ungraded for it in item_rows)
    if pending:
        waiting = ", ".join(f"{it.label} ({it.ungraded})" for it in item_rows if it.ungraded)
        notes.append(f"{pending} answer(s) still wait for manual grading: {waiting}. Those items are not flagged "
                     "until every answer is graded; grade them in the formgrader and run the analysis again.")
    if n < 30:
        notes.append(f"With {n} learners these figures are rough guides: read a flag as a prompt to look at the "
                     "question again, not as a verdict.")
    return ItemAnalysis(scores.assignment, n, sum(m for _, m in scores.items),
                        sum(totals) / n if n else None, tuple(item_rows), tuple(outcome_rows),
                        {"easy": easy, "hard": hard, "min_discrimination": min_discrimination}, tuple(notes))


def _outcome_key(outcome: str):
    try:
        return (0, tuple(int(p) for p in outcome.split(".")))
    except ValueError:
        return (1, (outcome,))


# ---------------------------------------------------------------- reports

def flag_text(it: ItemStats) -> str:
    """The flags of an item as one phrase, saying when it is not judged because answers wait for grading."""
    if it.ungraded:
        return f"not judged: {it.ungraded} of {it.responses + it.ungraded} answers wait for manual grading"
    return "; ".join(it.flags)


def _num(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


ITEM_COLUMNS = ["item", "grade_id", "outcome", "max_score", "responses", "ungraded", "mean_score", "facility",
                "discrimination", "flags"]
OUTCOME_COLUMNS = ["outcome", "items", "max_score", "facility", "mean_discrimination", "flagged_items"]


def to_csv(analysis: ItemAnalysis) -> str:
    """One row per item."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(ITEM_COLUMNS)
    for it in analysis.items:
        w.writerow([it.label, it.item, it.outcome, _num(it.max_score, 1), it.responses, it.ungraded,
                    _num(it.mean_score), _num(it.facility), _num(it.discrimination), flag_text(it)])
    return buf.getvalue()


def outcomes_csv(analysis: ItemAnalysis) -> str:
    """One row per learning outcome."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(OUTCOME_COLUMNS)
    for o in analysis.outcomes:
        w.writerow([o.outcome, " ".join(o.items), _num(o.max_score, 1), _num(o.facility),
                    _num(o.mean_discrimination), " ".join(o.flagged)])
    return buf.getvalue()


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; font-size: 16px; line-height: 1.5;
       color: #1b1b1b; max-width: 72rem; margin: 1.5rem auto; padding: 0 1rem; }
table { border-collapse: collapse; margin: 1rem 0 2rem; }
caption { text-align: left; font-weight: 600; padding: 0.4rem 0; }
th, td { border: 1px solid #767676; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef4; }
.rc-muted { color: #4a4a4a; }
"""


def to_html(analysis: ItemAnalysis) -> str:
    """A self-contained, accessible HTML report (no scripts, no web resources)."""
    a = analysis
    t = a.thresholds
    items = table(
        ["Item", "grade_id", "Outcome", "Max", "Responses", "Ungraded", "Mean score", "Facility", "Discrimination",
         "Flags"],
        [[it.label, it.item, it.outcome, _num(it.max_score, 1), it.responses, it.ungraded, _num(it.mean_score, 2),
          _num(it.facility, 2), _num(it.discrimination, 2), flag_text(it) or "none"] for it in a.items],
        caption=f"Items of {a.assignment}")
    outcomes = table(
        ["Outcome", "Items", "Max", "Facility", "Mean discrimination", "Flagged items"],
        [[o.outcome, " ".join(o.items), _num(o.max_score, 1), _num(o.facility, 2), _num(o.mean_discrimination, 2),
          " ".join(o.flagged) or "none"] for o in a.outcomes],
        caption="Summary by learning outcome")
    notes = "".join(f"<li>{esc(n)}</li>" for n in a.notes)
    mean = "" if a.mean_total is None else f"{a.mean_total:.1f}"
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Item analysis: {esc(a.assignment)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>Item analysis: {esc(a.assignment)}</h1>
<p>{a.learners} learners; mean total {esc(mean)} out of {a.max_total:g}. No names or ids are shown.</p>
<h2>How to read this</h2>
<ul>
<li><strong>Facility</strong> is the mean score on an item divided by its maximum: 1.00 means everyone
scored full marks. Flagged <em>too easy</em> above {t['easy']:.2f} and <em>too hard</em> below {t['hard']:.2f}.</li>
<li><strong>Discrimination</strong> is the corrected item-total correlation: how far scoring on the item goes
with doing well on the rest of the quiz. Flagged <em>not discriminating</em> below {t['min_discrimination']:.2f},
or when it cannot be worked out because everyone scored the same.</li>
<li>A flag is a reason to look at the question again (its wording, its options, its key, or how the topic is
taught), not proof that it is wrong.</li>
{notes}
</ul>
{items}
{outcomes}
</main>
</body>
</html>
"""


def write_report(analysis: ItemAnalysis, out_dir: str | os.PathLike) -> list[Path]:
    """Write ``<assignment>-items.csv``, ``<assignment>-outcomes.csv`` and ``<assignment>-item-analysis.html``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        out / f"{analysis.assignment}-items.csv": to_csv(analysis),
        out / f"{analysis.assignment}-outcomes.csv": outcomes_csv(analysis),
        out / f"{analysis.assignment}-item-analysis.html": to_html(analysis),
    }
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return list(files)
