"""Item analysis of a quiz from the nbgrader gradebook: figures checked against hand-worked values.

The gradebook is built with nbgrader's own Gradebook API in a temporary database: six learners,
five items of module-01-quiz (four autograded, one reflection with one answer still ungraded).

Scores (learner 1..6; '-' = waiting for manual grading):

    Q1 (q01, max 2, outcome 1.1): 2 0 0 0 0 0
    Q2 (q02, max 1, outcome 1.1): 1 1 1 0 1 1
    Q3 (q03, max 1, outcome 1.2): 1 1 1 1 1 1
    Q4 (q04, max 1, outcome 1.2): 0 0 1 1 0 1
    R1 (reflection, max 4, 1.4):  4 3 2 1 - 0

Facility = mean / max.  Discrimination = Pearson r between the item and the rest score (the sum of
the learner's other graded items), over learners graded on the item:

    Q1: mean 1/3 -> facility 0.1667; rest 6 5 5 3 2 3; Sxy = 4, Sxx = 10/3, Syy = 12
        r = 4 / sqrt(40) = 0.6325                                  -> too hard
    Q2: mean 5/6 -> facility 0.8333; rest 7 4 4 3 1 2; Sxy = 1/2, Sxx = 5/6, Syy = 43/2
        r = 0.5 / sqrt(5/6 * 43/2) = 0.1181                       -> not discriminating
    Q3: facility 1.0000; everyone scored, so r cannot be worked out -> too easy, not discriminating
    Q4: mean 1/2 -> facility 0.5000; rest 8 5 4 2 2 2; Sxy = -7/2, Sxx = 3/2, Syy = 173/6
        r = -3.5 / sqrt(1.5 * 173/6) = -0.5322                     -> not discriminating
    R1: 5 graded, mean 2 -> facility 0.5000; rest 4 2 3 2 3 (learners 1-4, 6); Sxy = 2, Sxx = 10,
        Syy = 14/5; r = 2 / sqrt(28) = 0.3780                      -> no flag; 1 ungraded

By outcome: 1.1 facility (2 + 5) / (12 + 6) = 0.3889, mean r (0.6325 + 0.1181) / 2 = 0.3753;
1.2 facility (6 + 3) / 12 = 0.7500, mean r -0.5322 (Q3 has none); 1.4 facility 10 / 20 = 0.5000.
Totals 8 5 5 3 2 3 -> mean 26/6 = 4.333 out of 9.

(The item ids are those of assessments/quizzes/module-01-quiz.yml, so the outcomes come from there;
test_fixture_matches_the_quiz_data checks that the points and outcomes still agree.)
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from resilience_course.quiz import item_analysis as ia
from resilience_course.quiz.quizzes import load_quiz, outcome_map

ASSIGNMENT = "module-01-quiz"
ITEMS = {  # grade_id: (max score, scores of learners 1..6)
    "q01-community-layer": (2, [2, 0, 0, 0, 0, 0]),
    "q02-beyond-control": (1, [1, 1, 1, 0, 1, 1]),
    "q03-inputs-and-outputs": (1, [1, 1, 1, 1, 1, 1]),
    "q04-theory-in-action": (1, [0, 0, 1, 1, 0, 1]),
    "reflection-positive-practice-in-health-visiting": (4, [4, 3, 2, 1, None, 0]),
}
LEARNERS = [f"learner-{c}" for c in "abcdef"]


pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # from nbgrader's add_submission


@pytest.fixture(autouse=True)
def venv_on_path(monkeypatch):
    """nbgrader runs the ``alembic`` program when it creates a gradebook, as in an activated venv."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


def build_gradebook(path, learners=LEARNERS, items=ITEMS, assignment=ASSIGNMENT):
    from nbgrader.api import Gradebook

    url = f"sqlite:///{path}"
    with Gradebook(url) as gb:
        gb.update_or_create_assignment(assignment)
        gb.add_notebook(assignment, assignment)
        for grade_id, (max_score, _) in items.items():
            kind = "markdown" if grade_id.startswith("reflection") else "code"
            gb.add_grade_cell(grade_id, assignment, assignment, max_score=max_score, cell_type=kind)
        for k, student in enumerate(learners):
            gb.add_student(student)
            gb.add_submission(assignment, student)
            for grade_id, (_, scores) in items.items():
                grade = gb.find_grade(grade_id, assignment, assignment, student)
                if scores[k] is None:
                    grade.needs_manual_grade = True  # written, not yet marked
                elif grade_id.startswith("reflection"):
                    grade.manual_score = scores[k]
                else:
                    grade.auto_score = scores[k]
        gb.db.commit()
    return url


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        build_gradebook(path)
    return path


@pytest.fixture
def gradebook(built, tmp_path):
    """A private copy of the fixed gradebook for one test."""
    path = tmp_path / "gradebook.db"
    shutil.copy2(built, path)
    return path


def test_read_gradebook_gives_per_item_scores(gradebook):
    table = ia.read_gradebook(ia.db_url_for(gradebook), ASSIGNMENT)
    assert table.learners == 6
    assert dict(table.items) == {g: float(m) for g, (m, _) in ITEMS.items()}
    columns = {name: [row[j] for row in table.scores] for j, (name, _) in enumerate(table.items)}
    for grade_id, (_, scores) in ITEMS.items():
        assert sorted(columns[grade_id], key=str) == sorted(
            [None if s is None else float(s) for s in scores], key=str)


def test_figures_equal_the_hand_worked_values(gradebook):
    result = ia.analyse(ia.read_gradebook(ia.db_url_for(gradebook), ASSIGNMENT), outcome_map(ASSIGNMENT))
    got = {it.label: it for it in result.items}
    assert [it.label for it in result.items] == ["Q1", "Q2", "Q3", "Q4", "R1"]
    expected = {  # label: (facility, discrimination, flags, responses, ungraded)
        "Q1": (0.1667, 0.6325, ("too hard",), 6, 0),
        "Q2": (0.8333, 0.1181, ("not discriminating",), 6, 0),
        "Q3": (1.0, None, ("too easy", "not discriminating"), 6, 0),
        "Q4": (0.5, -0.5322, ("not discriminating",), 6, 0),
        "R1": (0.5, 0.3780, (), 5, 1),  # not judged while one answer waits
    }
    for label, (facility, disc, flags, responses, ungraded) in expected.items():
        it = got[label]
        assert it.facility == pytest.approx(facility, abs=1e-4), label
        if disc is None:
            assert it.discrimination is None, label
        else:
            assert it.discrimination == pytest.approx(disc, abs=1e-4), label
        assert it.flags == flags, label
        assert (it.responses, it.ungraded) == (responses, ungraded), label
    assert got["Q1"].outcome == "1.1" and got["Q3"].outcome == "1.2" and got["R1"].outcome == "1.4"
    outcomes = {o.outcome: o for o in result.outcomes}
    assert list(outcomes) == ["1.1", "1.2", "1.4"]
    assert outcomes["1.1"].facility == pytest.approx(7 / 18, abs=1e-4)
    assert outcomes["1.1"].mean_discrimination == pytest.approx(0.3753, abs=1e-4)
    assert outcomes["1.2"].facility == pytest.approx(0.75, abs=1e-4)
    assert outcomes["1.2"].mean_discrimination == pytest.approx(-0.5322, abs=1e-4)
    assert outcomes["1.4"].facility == pytest.approx(0.5, abs=1e-4)
    assert outcomes["1.1"].flagged == ("Q1", "Q2") and outcomes["1.4"].flagged == ()
    assert result.learners == 6 and result.max_total == 9
    assert result.mean_total == pytest.approx(26 / 6)
    assert any("manual grading" in n for n in result.notes)


def test_thresholds_change_the_flags(gradebook):
    table = ia.read_gradebook(ia.db_url_for(gradebook), ASSIGNMENT)
    strict = {it.item: it.flags for it in ia.analyse(table, outcome_map(ASSIGNMENT), easy=0.8, hard=0.1,
                                                      min_discrimination=0.1).items}
    assert strict["q02-beyond-control"] == ("too easy",)  # 0.833 > 0.8; r 0.118 >= 0.1
    assert strict["q01-community-layer"] == ()  # 0.167 is not below 0.1
    with pytest.raises(ia.ItemAnalysisError):
        ia.analyse(table, easy=0.2, hard=0.5)


def test_command_writes_csv_and_html_without_names(gradebook, tmp_path, capsys):
    from resilience_course.cli import main

    out = tmp_path / "reports"
    assert main(["grades", "item-analysis", "--assignment", ASSIGNMENT, "--db", str(gradebook),
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "6 learners, 5 items, 4 flagged" in printed
    assert "Q1 (q01-community-layer, outcome 1.1): too hard" in printed
    rows = list(csv.DictReader((out / f"{ASSIGNMENT}-items.csv").read_text().splitlines()))
    assert [r["item"] for r in rows] == ["Q1", "Q2", "Q3", "Q4", "R1"]
    assert rows[1]["facility"] == "0.833" and rows[1]["discrimination"] == "0.118"
    assert rows[2]["discrimination"] == "" and rows[2]["flags"] == "too easy; not discriminating"
    assert rows[4]["ungraded"] == "1" and rows[4]["responses"] == "5"
    summary = list(csv.DictReader((out / f"{ASSIGNMENT}-outcomes.csv").read_text().splitlines()))
    assert [(r["outcome"], r["items"], r["facility"]) for r in summary] == [
        ("1.1", "Q1 Q2", "0.389"), ("1.2", "Q3 Q4", "0.750"), ("1.4", "R1", "0.500")]
    page = (out / f"{ASSIGNMENT}-item-analysis.html").read_text()
    assert '<html lang="en-GB">' in page and "<caption>" in page and 'scope="col"' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page) and "<script" not in page
    for student in LEARNERS:
        assert student not in page
        assert all(student not in p.read_text() for p in out.iterdir())


def test_default_gradebook_comes_from_the_nbgrader_config(gradebook, tmp_path, monkeypatch, capsys):
    from resilience_course.cli import main

    course = tmp_path / "course"
    course.mkdir()
    gradebook.rename(course / "gradebook.db")
    (course / "nbgrader_config.py").write_text(
        "import os\nc = get_config()\nc.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))\n")
    monkeypatch.chdir(course)
    assert main(["grades", "item-analysis", "--assignment", ASSIGNMENT]) == 0
    assert (course / "reports" / f"{ASSIGNMENT}-items.csv").is_file()  # reports/ beside the gradebook
    capsys.readouterr()


def test_too_few_learners_are_refused(tmp_path, capsys):
    from resilience_course.cli import main

    small = {g: (m, s[:4]) for g, (m, s) in ITEMS.items()}
    build_gradebook(tmp_path / "small.db", LEARNERS[:4], small)
    assert main(["grades", "item-analysis", "--assignment", ASSIGNMENT, "--db", str(tmp_path / "small.db"),
                 "--out", str(tmp_path / "out")]) == 1
    assert "at least 5" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_missing_gradebook_or_assignment_is_reported_not_created(gradebook, tmp_path, capsys):
    from resilience_course.cli import main

    missing = tmp_path / "nowhere" / "gradebook.db"
    assert main(["grades", "item-analysis", "--assignment", ASSIGNMENT, "--db", str(missing)]) == 1
    assert "no gradebook" in capsys.readouterr().err
    assert not missing.exists()
    assert main(["grades", "item-analysis", "--assignment", "module-09-quiz", "--db", str(gradebook)]) == 1
    assert "has no assignment 'module-09-quiz'" in capsys.readouterr().err


def test_pearson_handles_no_spread():
    assert ia.pearson([1, 1, 1], [1, 2, 3]) is None
    assert ia.pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert ia.pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert ia.pearson([1], [1]) is None


def test_outcome_map_covers_every_item_of_every_quiz():
    for n in range(1, 8):
        quiz = load_quiz(f"module-{n:02d}-quiz")
        mapping = outcome_map(quiz.assignment)
        assert list(mapping) == [i.grade_id for i in quiz.items]
        assert {o for _, o in mapping.values()} <= {f"{n}.{k}" for k in range(1, 10)}


def test_fixture_matches_the_quiz_data():
    quiz = load_quiz(ASSIGNMENT)
    items = {i.grade_id: i for i in quiz.items}
    expected_outcomes = ["1.1", "1.1", "1.2", "1.2", "1.4"]
    for (grade_id, (max_score, _)), outcome in zip(ITEMS.items(), expected_outcomes):
        assert items[grade_id].points == max_score and items[grade_id].outcome == outcome


def test_an_item_waiting_for_manual_grading_is_not_flagged_and_says_how_many_wait():
    """R1's graded answers alone look too hard and not discriminating; with two still waiting it is not judged."""
    items = (("q01-community-layer", 2.0), ("reflection-positive-practice-in-health-visiting", 4.0))
    waiting = ia.ScoreTable(ASSIGNMENT, items, ((2, 0), (0, 0), (2, 0), (0, None), (2, 1), (0, None)))
    result = ia.analyse(waiting, outcome_map(ASSIGNMENT))
    r1 = {it.label: it for it in result.items}["R1"]
    assert r1.facility == pytest.approx(1 / 16) and r1.ungraded == 2
    assert r1.flags == ()
    assert ia.flag_text(r1) == "not judged: 2 of 6 answers wait for manual grading"
    assert "R1 (2)" in " ".join(result.notes)
    assert "not judged: 2 of 6" in ia.to_csv(result) and "not judged: 2 of 6" in ia.to_html(result)
    graded = ia.ScoreTable(ASSIGNMENT, items, ((2, 0), (0, 0), (2, 0), (0, 0), (2, 1), (0, 0)))
    r1 = {it.label: it for it in ia.analyse(graded, outcome_map(ASSIGNMENT)).items}["R1"]
    assert "too hard" in r1.flags and ia.flag_text(r1) == "; ".join(r1.flags)
