"""The ten-steps self-audit (module 6) completed by clicking: saved, and added to the history."""

from __future__ import annotations


def test_ten_steps_selfcheck_completed_by_clicking_is_saved_and_in_history(store):
    import resilience_course as rc

    sc = rc.self_check("ten-steps-audit", store=store)
    sc.submit_button.click()  # nothing answered: a message, nothing saved
    assert "Please answer" in sc.message_html.value
    assert store.selfcheck_history("ten-steps-audit") == []
    for n, ctl in enumerate(sc.controls):
        ctl.value = n % 3  # Not yet / Partly / In place in turn
    sc.submit_button.click()
    expected = sum(n % 3 for n in range(10))
    history = store.selfcheck_history("ten-steps-audit")
    assert len(history) == 1 and history[0]["scores"]["overall"] == expected
    assert "Your history" in sc.history_html.value and f"<td>{expected}</td>" in sc.history_html.value
    # a later audit adds to the history rather than replacing it
    later = rc.self_check("ten-steps-audit", store=store)
    for ctl in later.controls:
        ctl.value = 2
    later.submit_button.click()
    history = store.selfcheck_history("ten-steps-audit")
    assert [h["scores"]["overall"] for h in history] == [expected, 20]
    assert history[-1]["scores"]["band"] == "Well established"
