"""The JournalForm widget saves to the journal and escapes what it shows."""

from __future__ import annotations


def test_gratitude_journal_saves_to_the_journal(store):
    from resilience_course import activity

    form = activity("04", "gratitude-journal", store=store)
    form.boxes["went-well"].value = "A dad asked for help with sleep & <routines>"
    form.save_button.click()
    saved = store.records("form", "04")
    assert len(saved) == 1 and saved[0]["payload"]["activity"] == "gratitude-journal"
    assert saved[0]["payload"]["fields"][0]["text"] == "A dad asked for help with sleep & <routines>"
    assert "&lt;routines&gt;" in form.entries_html.value
