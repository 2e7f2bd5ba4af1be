"""Reflective accounts (record/reflective_accounts.py): drafts, checks and exports that escape learner text."""

from __future__ import annotations

import pytest
from resilience_course.record import common, journal, reflective_accounts

from .helpers import TODAY, account, fill_journal


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
