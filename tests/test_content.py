"""Content is data: every YAML file validates, outcomes are covered, text is the course's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from resilience_course.core.content import ContentError, load_schema, schema_names
from resilience_course.core.course import load_outline
from resilience_course.validate_all import content_files, validate_all

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def test_every_schema_is_valid_json_schema():
    import jsonschema

    names = schema_names()
    assert {"selfcheck", "contacts", "course", "questions", "activities"} <= set(names)
    for name in names:
        jsonschema.Draft202012Validator.check_schema(load_schema(name))


def test_every_yaml_content_file_validates(root):
    problems, count = validate_all(root)
    assert count >= 5
    assert problems == []


def test_every_yaml_file_in_the_course_has_a_schema(root):
    """A YAML file that no rule covers would never be checked: list them."""
    covered = {p.resolve() for p, _ in content_files(root)}
    yaml_files = [p for top in ("course", "modules", "widgets") for p in (root / top).rglob("*.y*ml")
                  if ".ipynb_checkpoints" not in p.parts]
    uncovered = [str(p.relative_to(root)) for p in yaml_files if p.resolve() not in covered]
    assert uncovered == []


def test_outline_has_seven_modules_with_outcomes(root):
    outline = load_outline(root)
    assert [m.id for m in outline.modules] == [f"{n:02d}" for n in range(1, 8)]
    for m in outline.modules:
        assert 3 <= len(m.outcomes) <= 5
        assert m.sections and m.sections[0].id == f"{m.id}.00"


def test_every_outcome_of_a_written_module_has_a_question(root):
    from resilience_course.knowledge.model import load_bank

    outline = load_outline(root)
    for m in outline.modules:
        bank = root / m.folder / "questions.yml"
        if not m.available:
            continue
        assert bank.is_file(), f"module {m.id} is published but has no question bank"
        questions = load_bank(bank)
        assert len(questions) >= 6, f"module {m.id} needs at least 6 questions"
        tested = {q.outcome for q in questions}
        assert {o["id"] for o in m.outcomes} <= tested, f"module {m.id}: outcomes without a question"
        assert {"single", "multiple"} <= {q.type for q in questions}


def test_outline_rejects_bad_structure(tmp_path):
    from resilience_course.core.course import Outline

    data = {"title": "T", "home": "course/home.ipynb", "modules": [
        {"id": "01", "slug": "02-wrong", "title": "A", "summary": "s", "minutes": 10,
         "outcomes": [{"id": f"1.{n}", "text": "o"} for n in range(1, 4)], "sections": []}]}
    with pytest.raises(ContentError, match="slug"):
        Outline(data, tmp_path)


def test_contacts_include_samaritans_and_nhs_111():
    from resilience_course.core.contacts import load_contacts

    text = str(load_contacts())
    assert "116 123" in text and "111" in text


def test_an_organisation_can_replace_the_contacts(tmp_path, monkeypatch):
    from resilience_course.core.contacts import contacts_html, load_contacts

    path = tmp_path / "ours.yml"
    path.write_text("organisation: Our Trust\nintro: Talk to us.\ncontacts:\n"
                    "  - {name: Staff wellbeing hub, how: 'Extension 4321'}\n")
    monkeypatch.setenv("RESILIENCE_COURSE_CONTACTS", str(path))
    assert load_contacts()["organisation"] == "Our Trust"
    assert "Staff wellbeing hub" in contacts_html("We are here")
    path.write_text("organisation: Our Trust\nintro: x\ncontacts: []\n")
    with pytest.raises(ContentError, match="contacts"):
        load_contacts()


@pytest.mark.skipif(not (SHARED / "tools" / "check_originality.py").is_file(), reason="shared/ not beside the repo")
def test_no_sentence_is_copied_from_the_source(root):
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "check_originality.py")], cwd=root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:]


def test_every_module_asks_for_evaluation_before_and_after(root):
    """Kirkpatrick levels 1 and 2: confidence before (overview) and after (last section), with reaction."""
    import json

    outline = load_outline(root)
    for m in outline.modules:
        for sec, stage in ((m.sections[0], "before"), (m.sections[-1], "after")):
            if not sec.exists:
                continue
            cells = json.loads((root / sec.path).read_text())["cells"]
            code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
            assert f'rc.evaluation("{m.id}", stage="{stage}")' in code, f"{sec.path} should ask '{stage}'"


def test_validate_all_runs_the_cross_checks_not_just_the_schema(root, tmp_path, monkeypatch):
    import shutil

    (tmp_path / "course").mkdir()
    shutil.copy(root / "course" / "course.yml", tmp_path / "course" / "course.yml")
    bank = tmp_path / "modules" / "01-context-of-health-visiting" / "questions.yml"
    bank.parent.mkdir(parents=True)
    # schema-valid, but the correct answer is not one of the options: only the loader can tell
    bank.write_text("module: '01'\nquestions:\n  - {id: q1, outcome: '1.1', type: single, stem: S,\n"
                    "     options: [{id: a, text: A, feedback: F}, {id: b, text: B, feedback: G}], correct: [z]}\n")
    monkeypatch.setenv("RESILIENCE_COURSE_ROOT", str(tmp_path))
    problems, _count = validate_all(tmp_path)
    assert len(problems) == 1 and "questions[0].correct" in problems[0] and "not among the options" in problems[0]
