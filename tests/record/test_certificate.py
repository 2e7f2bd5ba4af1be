"""The certificate of completion (record/certificate.py): only when every module is complete."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from resilience_course.core.course import load_outline
from resilience_course.record import certificate

from .helpers import complete_everything, fake_banks


def test_no_certificate_until_every_module_is_complete(store):
    outline = load_outline()
    banks = fake_banks(outline)
    complete_everything(store, outline, banks)
    last = outline.modules[-1]
    store.mark_incomplete(last.sections[-1].id)
    status = certificate.certificate_status(store, outline, banks)
    assert not status.complete
    assert [m.module.id for m in status.modules if not m.complete] == [last.id]
    assert last.sections[-1].title in status.missing_html()
    with pytest.raises(ValueError):
        certificate.certificate_html(status)


def test_a_wrong_answer_does_not_count_toward_the_knowledge_check(store):
    outline = load_outline()
    banks = fake_banks(outline)
    complete_everything(store, outline, {k: v[:1] for k, v in banks.items()})
    first = outline.modules[0]
    store.add_record("knowledge-check", {"question": banks[first.id][1], "verdict": "wrong"}, first.id)
    store.add_record("knowledge-check", {"question": "not-in-bank", "verdict": "correct"}, first.id)
    status = certificate.certificate_status(store, outline, banks)
    assert all(m.questions_missing == 1 for m in status.modules)
    assert "1 of 2 knowledge-check questions" in status.missing_html()


def test_certificate_states_modules_hours_date_and_limits(store):
    outline = load_outline()
    banks = fake_banks(outline)
    complete_everything(store, outline, banks)
    status = certificate.certificate_status(store, outline, banks)
    assert status.complete
    assert status.minutes == sum(m.minutes for m in outline.modules)
    html = certificate.certificate_html(status, name="Ann <b>Other</b>")
    assert f"{round(status.minutes / 60, 1):g} hours" in html
    for m in outline.modules:
        assert m.title.replace("'", "&#x27;") in html
    assert date.fromisoformat(status.completed_on).strftime("%d %b %Y") in html  # the one date format
    for words in ("not a qualification", "not an assessment of competence", "not endorsed"):
        assert words in html
    assert "Ann &lt;b&gt;Other&lt;/b&gt;" in html and "<b>Other" not in html


def test_certificate_reads_the_question_bank_files(store, tmp_path, root):
    (tmp_path / "course").mkdir()
    shutil.copy(root / "course" / "course.yml", tmp_path / "course" / "course.yml")
    outline = load_outline(tmp_path)
    for m in outline.modules:
        folder = tmp_path / m.folder
        folder.mkdir(parents=True)
        outcome = m.outcomes[0]["id"]
        folder.joinpath("questions.yml").write_text(
            f'module: "{m.id}"\nquestions:\n  - id: only\n    outcome: "{outcome}"\n    type: single\n'
            "    stem: A question?\n    options:\n      - {id: a, text: Agree, feedback: Because.}\n"
            "      - {id: b, text: Disagree, feedback: Because not.}\n    correct: [a]\n", encoding="utf-8")
    (tmp_path / outline.modules[0].folder / "questions.yml").unlink()
    complete_everything(store, outline, {m.id: ["only"] for m in outline.modules})
    status = certificate.certificate_status(store, outline)
    assert [m.complete for m in status.modules] == [False] + [True] * (len(outline.modules) - 1)
    assert "not available yet" in status.modules[0].bank_problem
