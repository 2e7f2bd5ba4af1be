"""My record: journal, CPD log, revalidation summary, reflective accounts and certificate (engine and widgets)."""

from __future__ import annotations

import shutil
import stat
from datetime import date, timedelta

import pytest
from resilience_course.core import exports
from resilience_course.core.course import load_outline
from resilience_course.core.store import StoreError
from resilience_course.record import certificate, common, cpd_log, journal, reflective_accounts, revalidation
from traitlets import TraitError

TODAY = date(2025, 6, 1)
HOSTILE = '<script>alert("x")</script> "><img src=x onerror=alert(1)> [click](javascript:alert(1)) **bold**'


def valid(**over) -> dict:
    data = {"date": "20/05/2025", "method": "group", "topic": "Monday Club: SHARENOW", "practice": "Naming feelings",
            "hours": "1,5", "participatory_hours": "1.5", "themes": ["preserve-safety", "prioritise-people"],
            "evidence": "Notes"}
    data.update(over)
    return data


def complete_everything(store, outline, banks):
    for s in outline.sections():
        store.mark_complete(s.id)
    for mid, qids in banks.items():
        for q in qids:
            store.add_record("knowledge-check", {"question": q, "outcome": "x", "selected": ["a"],
                                                 "verdict": "correct"}, mid)


def fake_banks(outline) -> dict:
    return {m.id: [f"q{m.id}-1", f"q{m.id}-2"] for m in outline.modules}


# -- CPD log validation --------------------------------------------------------------------------
def test_a_valid_entry_is_cleaned():
    out = cpd_log.validate_entry(valid(), TODAY)
    assert out["date"] == "2025-05-20"
    assert out["hours"] == 1.5 and out["participatory_hours"] == 1.5
    assert out["themes"] == ["prioritise-people", "preserve-safety"]  # in the Code's order
    assert out["source"] == "manual"


@pytest.mark.parametrize("over, field, words", [
    ({"hours": "0"}, "hours", "more than 0"),
    ({"hours": "-2"}, "hours", "more than 0"),
    ({"hours": "two"}, "hours", "not a number"),
    ({"hours": ""}, "hours", "missing"),
    ({"hours": "150"}, "hours", "split"),
    ({"participatory_hours": "2"}, "participatory_hours", "cannot be more than"),
    ({"participatory_hours": "-1"}, "participatory_hours", "less than 0"),
    ({"date": (TODAY + timedelta(days=1)).isoformat()}, "date", "future"),
    ({"date": "31/02/2025"}, "date", "not a date"),
    ({"date": ""}, "date", "missing"),
    ({"method": "telepathy"}, "method", "method"),
    ({"topic": "   "}, "topic", "missing"),
    ({"practice": ""}, "practice", "missing"),
    ({"themes": []}, "themes", "at least one"),
    ({"themes": ["be-nice"]}, "themes", "not a theme"),
])
def test_bad_entries_are_refused_with_a_clear_message(over, field, words):
    with pytest.raises(common.CPDError) as err:
        cpd_log.validate_entry(valid(**over), TODAY)
    assert field in err.value.problems
    assert words in err.value.problems[field]


def test_every_problem_is_reported_at_once():
    with pytest.raises(common.CPDError) as err:
        cpd_log.validate_entry({"hours": "x"}, TODAY)
    assert {"date", "method", "topic", "practice", "hours", "themes"} <= set(err.value.problems)


def test_today_is_allowed_and_participatory_defaults_to_zero():
    out = cpd_log.validate_entry(valid(date=TODAY.isoformat(), participatory_hours=""), TODAY)
    assert out["date"] == TODAY.isoformat() and out["participatory_hours"] == 0


def test_participatory_hint_flags_solitary_study_with_participatory_hours():
    assert "on your own" in cpd_log.participatory_hint(cpd_log.validate_entry(valid(method="online"), TODAY))
    assert "participatory" in cpd_log.participatory_hint(cpd_log.validate_entry(valid(participatory_hours="0"), TODAY))
    assert cpd_log.participatory_hint(cpd_log.validate_entry(valid(), TODAY)) == ""


def test_entries_are_saved_changed_and_deleted(store):
    rid = cpd_log.add_entry(store, valid(), TODAY)
    cpd_log.update_entry(store, rid, valid(topic="Changed", hours="2"), TODAY)
    [entry] = cpd_log.log_entries(store)
    assert entry["topic"] == "Changed" and entry["hours"] == 2
    with pytest.raises(common.CPDError):
        cpd_log.update_entry(store, rid, valid(hours="0"), TODAY)
    assert cpd_log.log_entries(store)[0]["hours"] == 2  # a bad edit loses nothing
    cpd_log.delete_entry(store, rid)
    assert cpd_log.log_entries(store) == []


# -- one-step module add -------------------------------------------------------------------------
def test_completed_modules_are_added_in_one_step_with_hours_from_the_outline(store):
    outline = load_outline()
    done, partial = outline.modules[1], outline.modules[2]
    for s in done.sections:
        store.mark_complete(s.id)
    store.mark_complete(partial.sections[0].id)
    added = cpd_log.add_completed_modules(store, outline)
    assert len(added) == 1
    [entry] = cpd_log.log_entries(store)
    assert entry["module"] == done.id and entry["source"] == "course"
    assert entry["hours"] == round(done.minutes / 60, 2)
    assert entry["participatory_hours"] == 0  # studying alone is not participatory
    assert done.title in entry["topic"]
    assert entry["date"] == max(common.local_date(store.completed()[s.id]) for s in done.sections)
    assert cpd_log.add_completed_modules(store, outline) == []  # never twice


def test_module_entry_is_a_valid_entry_for_every_module():
    for m in load_outline().modules:
        entry = cpd_log.module_entry(m, TODAY, TODAY)
        assert entry["hours"] == round(m.minutes / 60, 2) and entry["hours"] > 0


# -- revalidation summary ------------------------------------------------------------------------
def test_revalidation_summary_counts_only_the_cycle():
    entries = [
        {"date": "2025-05-01", "hours": 10, "participatory_hours": 4},
        {"date": "2023-01-15", "hours": 7.5, "participatory_hours": 7.5},
        {"date": "2022-06-02", "hours": 3, "participatory_hours": 1},   # first day of the cycle: counted
        {"date": "2022-06-01", "hours": 50, "participatory_hours": 50},  # the day before: not counted
        {"date": "not a date", "hours": 9, "participatory_hours": 9},
    ]
    accounts = ["2024-01-01", "2025-01-01", "2021-01-01"]
    summary = revalidation.revalidation_summary(entries, accounts, None, TODAY)
    assert (summary.start, summary.end) == (date(2022, 6, 2), TODAY)
    assert summary.hours == 10 + 7.5 + 3
    assert summary.participatory == 4 + 7.5 + 1
    assert summary.accounts == 2
    assert (summary.counted, summary.outside) == (3, 2)
    assert not summary.met
    rows = {r[0]: r for r in summary.rows()}
    assert rows["CPD hours"][3] == f"{35 - 20.5:g}"
    html = summary.to_html()
    assert "<table" in html and 'alt="Bar chart' in html


def test_revalidation_date_sets_the_cycle_and_met_flag():
    entries = [{"date": "2026-01-10", "hours": 36, "participatory_hours": 21}]
    accounts = ["2026-01-10"] * 5
    summary = revalidation.revalidation_summary(entries, accounts, "2026-03-31", date(2026, 2, 1))
    assert summary.start == date(2023, 4, 1) and summary.end == date(2026, 3, 31)
    assert summary.met
    assert summary.percents() == [100, 100, 100]


def test_settings_keep_one_revalidation_date(store):
    revalidation.save_settings(store, "31/03/2027")
    revalidation.save_settings(store, "2028-03-31")
    assert revalidation.get_settings(store) == {"revalidation_date": "2028-03-31"}
    assert len(store.records(revalidation.SETTINGS_KIND)) == 1
    with pytest.raises(ValueError):
        revalidation.save_settings(store, "soon")


# -- journal -------------------------------------------------------------------------------------
def fill_journal(store):
    store.save_reflection("02", "noticing", "I notice I skip lunch.")
    store.add_record("after-action-review", {"title": "Clinic day", "expected": "calm", "happened": "a rush",
                                             "difference": "two off sick", "learned": "ask for help early",
                                             "created": "2025-01-01T09:00:00+00:00"}, "05")
    store.add_record("form", {"activity": "gratitude", "title": "Three good things",
                              "fields": [{"id": "a", "label": "What went well", "text": "A kind word"},
                                         {"id": "b", "label": "What I will do next", "text": "Say thank you"}]},
                     "04")
    store.save_selfcheck("sharenow", 1, {}, {"overall": 2.5, "band": "Building"})


def test_journal_gathers_every_kind_and_edits_them(store):
    fill_journal(store)
    entries = journal.journal_entries(store)
    assert sorted(e.kind for e in entries) == ["after-action-review", "form", "reflection", "self-check"]
    aar = next(e for e in entries if e.kind == "after-action-review")
    assert [label for label, _ in aar.fields][0] == "What did you expect to happen?"
    assert "created" not in aar.keys
    journal.update_journal_entry(store, aar, ["hoped", "chaos", "staffing", "learned a lot"])
    payload = store.records("after-action-review")[0]["payload"]
    assert payload["happened"] == "chaos" and payload["created"] == "2025-01-01T09:00:00+00:00"
    form = next(e for e in journal.journal_entries(store) if e.kind == "form")
    journal.update_journal_entry(store, form, ["Better", ""])
    assert [f["text"] for f in store.records("form")[0]["payload"]["fields"]] == ["Better", ""]
    check = next(e for e in entries if e.kind == "self-check")
    with pytest.raises(StoreError):
        journal.update_journal_entry(store, check, ["x"])
    journal.delete_journal_entry(store, check)  # a result can be deleted, never edited
    assert store.selfcheck_history() == []
    with pytest.raises(StoreError):
        journal.delete_journal_entry(store, check)  # already gone
    refl = next(e for e in entries if e.kind == "reflection")
    with pytest.raises(StoreError):
        journal.update_journal_entry(store, refl, [""])
    journal.delete_journal_entry(store, refl)
    assert store.reflections() == []
    assert next(e for e in journal.journal_entries(store) if e.kind == "form").matches("better")


# -- reflective accounts -------------------------------------------------------------------------
def test_draft_uses_only_the_chosen_entries(store):
    store.save_reflection("02", "a", "FIRST chosen text")
    store.save_reflection("03", "b", "SECOND not chosen")
    store.save_reflection("04", "c", "THIRD chosen text")
    entries = journal.journal_entries(store)
    chosen = [e for e in entries if "chosen text" in e.text]
    draft = reflective_accounts.draft_account(chosen, today=TODAY)
    assert "FIRST" in draft["learned"] and "THIRD" in draft["learned"]
    assert "SECOND" not in " ".join(str(v) for v in draft.values())
    assert draft["sources"] == [e.key for e in chosen]
    with pytest.raises(ValueError):
        reflective_accounts.draft_account([], today=TODAY)


def test_draft_from_an_after_action_review_puts_the_event_first(store):
    fill_journal(store)
    aar = [e for e in journal.journal_entries(store) if e.kind == "after-action-review"]
    draft = reflective_accounts.draft_account(aar, today=TODAY)
    assert "a rush" in draft["activity"] and "a rush" not in draft["learned"]
    assert "ask for help early" in draft["learned"]


def account(**over):
    data = {"title": "My account " + HOSTILE, "date": "2025-05-01", "activity": "Monday Club " + HOSTILE,
            "learned": "Line one\n\nLine two " + HOSTILE, "changed": "I pause first.", "code": "Preserve safety.",
            "themes": ["preserve-safety"]}
    data.update(over)
    return data


def test_reflective_account_exports_escape_hostile_text():
    clean = reflective_accounts.validate_account(account(), TODAY)
    html = reflective_accounts.account_html(clean)
    assert "<script>" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert common.PRIVACY_REMINDER.split(":")[0] in html
    for question in reflective_accounts.ACCOUNT_FIELDS.values():
        assert question.split(",")[0] in html
    md = reflective_accounts.account_markdown(clean)
    assert "<" not in md.replace("&lt;", "") and "](javascript" not in md.replace("\\](", "")
    assert "&lt;script&gt;" in md and "\\[click\\]" in md and "\\*\\*bold\\*\\*" in md
    assert common.PRIVACY_REMINDER.split(":")[0] in md


def test_reflective_account_needs_all_four_parts_and_a_theme():
    with pytest.raises(common.CPDError) as err:
        reflective_accounts.validate_account(account(changed="", code=" ", themes=[]), TODAY)
    assert set(err.value.problems) == {"changed", "code", "themes"}


def test_identifier_warnings_catch_likely_identifiers():
    assert reflective_accounts.identifier_warnings("Visited Mrs Smith, NHS 943 476 5919, at CV37 6BE")
    assert len(reflective_accounts.identifier_warnings("Visited Mrs Smith, NHS 943 476 5919, at CV37 6BE")) == 3
    assert reflective_accounts.identifier_warnings("I visited a family and felt unsure.") == []


def test_md_escape_leaves_no_markdown_or_html():
    out = common.md_escape("# Title\n- item\n1. first\n<b>x</b> `code` _em_")
    assert out.splitlines()[0].startswith("\\#") and out.splitlines()[1].startswith("\\-")
    assert out.splitlines()[2].startswith("1\\.")
    assert "<b>" not in out and "&lt;b&gt;" in out and "\\`code\\`" in out and "\\_em\\_" in out


# -- certificate -------------------------------------------------------------------------------
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
    assert date.fromisoformat(status.completed_on).strftime("%d %B %Y") in html
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


# -- files -----------------------------------------------------------------------------------------
def test_write_new_file_is_private_and_never_overwrites(tmp_path):
    first = exports.write_new_file(tmp_path / "out", "a.html", "one")
    second = exports.write_new_file(tmp_path / "out", "a.html", "two")
    assert first.name == "a.html" and second.name == "a-2.html"
    assert first.read_text() == "one" and second.read_text() == "two"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    (tmp_path / "file").write_text("x")
    with pytest.raises(OSError):
        exports.write_new_file(tmp_path / "file", "a.html", "x")


# -- widgets, driven in Python ---------------------------------------------------------------------
def test_journal_widget_searches_filters_edits_and_deletes_with_confirmation(store):
    from resilience_course.record.journal_widgets import Journal

    fill_journal(store)
    w = Journal(store=store)
    assert "Showing 4 of 4" in w.list_html.value
    w.search.value = "lunch"
    assert [e.kind for e in w.visible()] == ["reflection"] and "Showing 1 of 4" in w.list_html.value
    w.search.value = ""
    w.module_dd.value = "04"
    assert [e.kind for e in w.visible()] == ["form"]
    w.chooser.value = w.visible()[0].key
    assert [a.description for a in w.edit_areas] == ["What went well", "What I will do next"]
    w.edit_areas[0].value = "Edited " + HOSTILE
    w.save_button.click()
    assert "saved" in w.message
    assert "Edited" in store.records("form")[0]["payload"]["fields"][0]["text"]
    assert "<script>" not in w.list_html.value and "&lt;script&gt;" in w.list_html.value
    w.delete_button.click()
    assert w.confirming and w.confirm_box in w.edit_box.children
    w.no_button.click()
    assert not w.confirming and len(store.records("form")) == 1
    w.delete_button.click()
    w.yes_button.click()
    assert store.records("form") == [] and w.message == "Deleted."
    with pytest.raises(TraitError):
        w.module_filter = "99"


def test_cpd_widget_validates_saves_adds_modules_and_confirms_delete(store):
    from resilience_course.record.cpd_log_widgets import CPDLog
    from resilience_course.record.revalidation_widgets import RevalidationPanel

    log_w = CPDLog(store=store, today=TODAY)
    panel = RevalidationPanel(store=store, today=TODAY)
    log_w.inputs["hours"].value = "0"
    log_w.save_button.click()
    assert "hours" in log_w.problems and cpd_log.log_entries(store) == []
    assert "more than 0" in log_w.problems_html.value
    for k, v in valid().items():
        if k != "themes":
            log_w.inputs[k].value = v
    log_w.theme_buttons["preserve-safety"].value = True
    log_w.save_button.click()
    assert log_w.problems == {} and len(cpd_log.log_entries(store)) == 1
    assert log_w.inputs["topic"].value == ""  # the form is cleared after saving
    assert "1.5 hours" in panel.summary_html.value or "1.5" in panel.summary_html.value
    assert panel.summary().hours == 1.5  # the panel refreshed from the same store
    outline = load_outline()
    for s in outline.modules[0].sections:
        store.mark_complete(s.id)
    log_w.refresh()
    assert not log_w.modules_button.disabled
    log_w.modules_button.click()
    assert len(cpd_log.log_entries(store)) == 2 and log_w.modules_button.disabled
    rid = cpd_log.log_entries(store)[0]["id"]
    log_w.chooser.value = rid
    log_w.edit_button.click()
    assert log_w.editing == rid and log_w.save_button.description == "Save changes"
    log_w.inputs["participatory_hours"].value = "9"
    log_w.save_button.click()
    assert "participatory_hours" in log_w.problems
    log_w.inputs["participatory_hours"].value = "1"
    log_w.save_button.click()
    assert next(e for e in cpd_log.log_entries(store) if e["id"] == rid)["participatory_hours"] == 1
    log_w.chooser.value = rid
    log_w.delete_button.click()
    assert log_w.confirming == rid and len(cpd_log.log_entries(store)) == 2
    log_w.yes_button.click()
    assert len(cpd_log.log_entries(store)) == 1


def test_revalidation_widget_rejects_a_bad_date(store):
    from resilience_course.record.revalidation_widgets import RevalidationPanel

    panel = RevalidationPanel(store=store, today=TODAY)
    panel.date_input.value = "next spring"
    panel.save_button.click()
    assert "not a date" in panel.status_html.value
    panel.date_input.value = "31/03/2026"
    panel.save_button.click()
    assert panel.summary().end == date(2026, 3, 31)
    assert "31 March 2026" in panel.summary_html.value


def test_reflective_account_widget_previews_before_saving_or_writing(store, tmp_path):
    from resilience_course.record.reflective_accounts_widgets import ReflectiveAccountBuilder
    from resilience_course.record.revalidation_widgets import RevalidationPanel

    store.save_reflection("03", "kind", "Chosen " + HOSTILE)
    store.save_reflection("03", "other", "Never chosen")
    w = ReflectiveAccountBuilder(store=store, today=TODAY, folder=str(tmp_path / "out"))
    panel = RevalidationPanel(store=store, today=TODAY)
    key = next(k for k in w.pick_buttons if w.pick_buttons[k].description and "Kind" in w.pick_buttons[k].description)
    w.pick_buttons[key].value = True
    w.draft_button.click()
    assert "Chosen" in w.inputs["learned"].value and "Never" not in w.inputs["learned"].value
    w.inputs["changed"].value = "I pause."
    w.inputs["code"].value = "Prioritise people."
    w.theme_buttons["prioritise-people"].value = True
    w.write_button.click()
    assert "Preview" in w.message and not (tmp_path / "out").exists()
    w.preview_button.click()
    assert "&lt;script&gt;" in w.preview_html.value and "<script>" not in w.preview_html.value
    w.inputs["code"].value = "Changed after the preview."
    w.save_button.click()
    assert "changed since" in w.message and reflective_accounts.accounts(store) == []
    w.preview_button.click()
    w.save_button.click()
    assert len(reflective_accounts.accounts(store)) == 1 and panel.summary().accounts == 1
    w.write_button.click()
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["reflective-account-2025-06-01.html", "reflective-account-2025-06-01.md"]
    assert "<script>" not in (tmp_path / "out" / names[0]).read_text()
    w.saved_dd.value = reflective_accounts.accounts(store)[0]["id"]
    w.delete_button.click()
    w.yes_button.click()
    assert reflective_accounts.accounts(store) == [] and panel.summary().accounts == 0


def test_certificate_widget_explains_what_is_missing_then_writes(store, tmp_path):
    from resilience_course.record.certificate_widgets import CertificatePanel

    outline = load_outline()
    banks = fake_banks(outline)
    w = CertificatePanel(store=store, banks=banks, folder=str(tmp_path / "out"))
    assert "0 of 7 modules" in w.status_html.value.replace(str(len(outline.modules)), "7")
    assert w.ready_box.layout.display == "none"
    assert w.write_file() is None and not (tmp_path / "out").exists()
    complete_everything(store, outline, banks)
    w.check_button.click()
    assert w.status.complete and w.ready_box.layout.display != "none"
    w.write_button.click()
    assert "Preview" in w.message and not (tmp_path / "out").exists()
    w.name_input.value = "<i>Sam</i>"
    w.preview_button.click()
    assert "&lt;i&gt;Sam&lt;/i&gt;" in w.preview_html.value
    w.write_button.click()
    [path] = (tmp_path / "out").iterdir()
    assert path.name.startswith("certificate-") and "not a qualification" in path.read_text()


def test_exports_go_to_the_course_export_folder_unless_told(monkeypatch, tmp_path):
    monkeypatch.setenv(exports.EXPORT_ENV, str(tmp_path / "exports"))
    assert exports.export_dir() == tmp_path / "exports"
    path = exports.write_new_file("", "x.md", "text")
    assert path.parent == tmp_path / "exports"
    monkeypatch.delenv(exports.EXPORT_ENV)
    assert exports.export_dir().name == "resilience-course-exports"
