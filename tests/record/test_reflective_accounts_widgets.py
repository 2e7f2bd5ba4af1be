"""The reflective account builder, driven in Python."""

from __future__ import annotations

from resilience_course.record import reflective_accounts

from .helpers import HOSTILE, TODAY


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
