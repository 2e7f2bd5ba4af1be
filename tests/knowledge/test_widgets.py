"""The KnowledgeCheck widget, driven in Python as a learner would: choose, check, read, retry."""

from __future__ import annotations

import html

import pytest
import yaml
from resilience_course.knowledge.widgets import KnowledgeCheck

BANK = {
    "module": "01",
    "questions": [
        {
            "id": "single-q",
            "outcome": "1.1",
            "type": "single",
            "stem": "Which <one> is right?",
            "options": [
                {"id": "a", "text": "Apples & <pears>", "feedback": "Right because <b>apples</b> & pears."},
                {"id": "b", "text": "Bananas", "feedback": "Wrong: bananas are not on the list."},
                {"id": "c", "text": "Cherries", "feedback": "Wrong: cherries were never mentioned."},
                {"id": "d", "text": "Dates", "feedback": "Wrong: dates come later."},
            ],
            "correct": ["a"],
            "explanation": "Only apples appear in the text.",
        },
        {
            "id": "multi-q",
            "outcome": "1.2",
            "type": "multiple",
            "stem": "Which two are right?",
            "options": [
                {"id": "a", "text": "First right", "feedback": "Yes, the first is right."},
                {"id": "b", "text": "Second right", "feedback": "Yes, the second is right too."},
                {"id": "c", "text": "A wrong one", "feedback": "No, this one is a distractor."},
                {"id": "d", "text": "Another wrong one", "feedback": "No, also a distractor."},
                {"id": "e", "text": "A third wrong one", "feedback": "No, the last distractor."},
                {"id": "f", "text": "A fourth wrong one", "feedback": "No, one more distractor."},
            ],
            "correct": ["a", "b"],
        },
    ],
}


@pytest.fixture
def bank(tmp_path):
    path = tmp_path / "questions.yml"
    path.write_text(yaml.safe_dump(BANK, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def check(bank, store):
    return KnowledgeCheck("01", bank=bank, seed=3, store=store)


def choose_single(view, option_id):
    """Choose an option the way the learner does: through the ToggleButtons."""
    view.choice.value = option_id


def choose_multiple(view, option_ids):
    for opt, button in zip(view.order, view.option_buttons):
        button.value = opt["id"] in option_ids


def test_right_answer(check):
    view = check.views[0]
    choose_single(view, "a")
    assert view.selected == ["a"]
    view.check_button.click()
    assert view.verdict == "correct"
    out = view.feedback_html.value
    assert "Correct." in out and 'class="rc-ok"' in out and 'role="alert"' in out
    assert "Only apples appear in the text." in out  # explanation shown once right
    assert check.score == (1, 2)
    assert "1 of 2" in check.summary_html.value


def test_wrong_answer_then_retry(check):
    view = check.views[0]
    choose_single(view, "b")
    view.check_button.click()
    assert view.verdict == "wrong"
    out = view.feedback_html.value
    assert "Not quite." in out and 'class="rc-warn"' in out
    assert "bananas are not on the list" in out
    assert "Only apples appear" not in out  # the explanation waits for a right answer
    assert check.score == (0, 2)
    # a second wrong try still re-renders with the new option's feedback
    choose_single(view, "c")
    view.check_button.click()
    assert view.verdict == "wrong"
    assert "cherries were never mentioned" in view.feedback_html.value
    assert "bananas" not in view.feedback_html.value
    # then the learner changes to the right answer
    choose_single(view, "a")
    view.check_button.click()
    assert view.verdict == "correct"
    assert check.score == (1, 2)


def test_partly_right_multiple(check):
    view = check.views[1]
    assert view.choice is None and len(view.option_buttons) == 6
    choose_multiple(view, {"a"})
    view.check_button.click()
    assert view.verdict == "partly"
    out = view.feedback_html.value
    assert "Partly right." in out and "1 more would complete it" in out and "not right" not in out
    # every right option plus a wrong one is also partly right, with a different message
    choose_multiple(view, {"a", "b", "c"})
    view.check_button.click()
    assert view.verdict == "partly"
    out = view.feedback_html.value
    assert "1 of your choices is not right" in out and "more would complete it" not in out
    assert "Not right: A wrong one." in out
    choose_multiple(view, {"a", "b"})
    view.check_button.click()
    assert view.verdict == "correct"


def test_empty_answer_gives_a_message(check, store):
    view = check.views[0]
    view.check_button.click()
    assert view.verdict == ""
    assert "Choose an answer first." in view.feedback_html.value
    assert store.records("knowledge-check", "01") == []
    # the message goes once the learner answers
    choose_single(view, "a")
    view.check_button.click()
    assert "Choose an answer first." not in view.feedback_html.value


def test_feedback_has_every_chosen_option_and_is_escaped(check):
    view = check.views[1]
    choose_multiple(view, {"a", "c", "e"})
    view.check_button.click()
    out = view.feedback_html.value
    for oid in ("a", "c", "e"):
        assert view.question.option(oid)["feedback"] in out
    for oid in ("b", "d", "f"):
        assert view.question.option(oid)["feedback"] not in out
    # markup in option text and feedback is shown as text, never as HTML
    single = check.views[0]
    choose_single(single, "a")
    single.check_button.click()
    out = single.feedback_html.value
    assert "<pears>" not in out and "<b>apples</b>" not in out
    assert html.escape("Apples & <pears>") in out
    assert html.escape("Right because <b>apples</b> & pears.") in out
    assert "&lt;one&gt;" in single.children[0].value and "<one>" not in single.children[0].value


def test_options_are_shuffled_by_seed(bank, store):
    def order(seed):
        kc = KnowledgeCheck("01", bank=bank, seed=seed, store=store)
        return [o["id"] for o in kc.views[1].order]

    assert order(7) == order(7)  # the same seed gives the same order
    orders = {tuple(order(s)) for s in range(12)}
    assert len(orders) > 1  # different seeds give different orders
    for o in orders:
        assert sorted(o) == ["a", "b", "c", "d", "e", "f"]  # a shuffle, nothing lost
    # the buttons follow the shuffled order
    kc = KnowledgeCheck("01", bank=bank, seed=5, store=store)
    view = kc.views[1]
    assert [b.description for b in view.option_buttons] == [o["text"] for o in view.order]


def test_a_record_is_saved_per_check(check, store):
    choose_single(check.views[0], "b")
    check.views[0].check_button.click()
    choose_single(check.views[0], "a")
    check.views[0].check_button.click()
    choose_multiple(check.views[1], {"a"})
    check.views[1].check_button.click()
    recs = store.records("knowledge-check", "01")
    assert len(recs) == 3
    payloads = [r["payload"] for r in recs]
    assert [(p["question"], p["verdict"]) for p in payloads] == \
        [("single-q", "wrong"), ("single-q", "correct"), ("multi-q", "partly")]
    assert payloads[0]["selected"] == ["b"] and payloads[2]["outcome"] == "1.2"
    assert store.records("knowledge-check", "02") == []


def test_on_submit_callback_and_question_filter(bank, store):
    kc = KnowledgeCheck("01", questions=["multi-q"], bank=bank, seed=1, store=store)
    assert [v.question.id for v in kc.views] == ["multi-q"]
    seen = []
    kc.on_submit(lambda _kc, qid, verdict: seen.append((qid, verdict)))
    choose_multiple(kc.views[0], {"a", "b"})
    kc.views[0].check_button.click()
    assert seen == [("multi-q", "correct")]
    with pytest.raises(KeyError):
        KnowledgeCheck("01", questions=["no-such-question"], bank=bank, store=store)


def test_invalid_selection_is_refused(check):
    from traitlets import TraitError

    with pytest.raises(TraitError):
        check.views[0].selected = ["a", "b"]  # a single-answer question takes one option
    with pytest.raises(TraitError):
        check.views[1].selected = ["z"]
