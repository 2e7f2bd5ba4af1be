"""A learner completes the SHARENOW self-check in the browser: with the mouse, and with the keyboard alone."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from .conftest import assert_focus_visible, describe_violations, focused, run_axe, wait_rendered

PAGE = "course/self-checks.ipynb"


def sharenow(page):
    """The SHARENOW self-check widget on the self-checks page."""
    return page.locator(".rc-selfcheck").filter(has=page.locator("h2", has_text="SHARENOW")).first


def history_table(widget):
    """The table of the learner's results (newest first)."""
    return widget.locator("table.rc-table", has=widget.page.locator("caption", has_text="newest first"))


def history_rows(widget) -> int:
    """Rows in the learner's history table (0 when there is no history yet)."""
    table = history_table(widget)
    return table.locator("tbody tr").count() if table.count() else 0


def expected_result(choices: list[int]):
    """Score the answers the learner gave with the course's own engine (what the page must show)."""
    from resilience_course.selfcheck.model import load_definition, score

    defn = load_definition("sharenow")
    values = [o["value"] for o in defn.options]
    answers = {item_id: values[c] for item_id, c in zip(defn.item_ids, choices)}
    res = score(defn, answers)
    return defn, res, res.band


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_result_shown(widget, choices: list[int]) -> None:
    defn, res, band = expected_result(choices)
    result = widget.locator("section[aria-label='Your result']")
    result.wait_for()
    text = normalise(result.inner_text())
    assert f"Your result: {band['label']}" in text, text
    assert f"Score {res.overall:g}" in text, text
    assert normalise(band["interpretation"]) in text
    chart = result.locator("figure.rc-chart img")
    assert chart.count() >= 1 and chart.first.is_visible()
    assert len(chart.first.get_attribute("alt") or "") > 20, "the chart needs real alt text"
    expect(widget).to_contain_text("saved to your own record")


def test_sharenow_with_the_mouse(visit, voila_server):
    page = visit.open(PAGE)
    widget = sharenow(page)
    before = history_rows(widget)
    groups = widget.locator(".widget-toggle-buttons")
    n = groups.count()
    assert n >= 6, "SHARENOW has at least one item for each of its six skills"
    choices = [(i * 3 + 1) % 4 for i in range(n)]  # a spread of answers
    for i, c in enumerate(choices):
        button = groups.nth(i).locator("button").nth(c)
        button.click()
        expect(button).to_have_attribute("aria-checked", "true")  # a radio group (issue 15)
    expect(widget).to_contain_text(f"{n} of {n} answered")
    widget.get_by_role("button", name=re.compile("See my result")).click()
    check_result_shown(widget, choices)
    # the page is still accessible with a result, chart and history on it
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    page.reload()
    wait_rendered(page)
    widget = sharenow(page)
    expect(widget.locator("caption", has_text="newest first")).to_be_visible()
    assert history_rows(widget) == before + 1
    _defn, res, band = expected_result(choices)
    newest = history_table(widget).locator("tbody tr").first.inner_text()
    assert f"{res.overall:g}" in newest and band["label"] in newest


def test_sharenow_with_the_keyboard_alone(visit):
    page = visit.open(PAGE)
    widget = sharenow(page)
    before = history_rows(widget)
    groups = widget.locator(".widget-toggle-buttons")
    n = groups.count()

    def where() -> int | None:
        """Which item's answer buttons hold the focus (None: somewhere else)."""
        return page.evaluate("""(n) => {
            const sc = [...document.querySelectorAll('.rc-selfcheck')]
                .find(w => [...w.querySelectorAll('h2')].some(h => h.textContent.includes('SHARENOW')));
            const groups = [...sc.querySelectorAll('.widget-toggle-buttons')];
            const i = groups.findIndex(g => g.contains(document.activeElement));
            return i < 0 ? null : i; }""", n)

    def tab(shift: bool = False) -> dict:
        page.keyboard.press("Shift+Tab" if shift else "Tab")
        info = focused(page)
        assert_focus_visible(info)
        return info

    # from the top of the page, Tab through the links and text to the first answer
    for _ in range(60):
        tab()
        if where() == 0:
            break
    assert where() == 0, "Tab never reached the first answer"
    choices = []
    for i in range(n):
        assert where() == i
        c = (i * 2 + 1) % 4
        for _ in range(c):  # the arrow keys move between the answers of one item
            page.keyboard.press("ArrowRight")
            assert_focus_visible(focused(page))
        key = "Space" if i % 2 else "Enter"
        page.keyboard.press(key)
        info = focused(page)
        assert_focus_visible(info)
        page.wait_for_function("() => document.activeElement.getAttribute('aria-checked') === 'true'")
        choices.append(c)
        if i == 0:  # Shift+Tab goes back, Tab forward again
            tab()
            tab(shift=True)
            assert focused(page)["text"] == info["text"] and where() == 0
        if i < n - 1:
            for _ in range(8):
                tab()
                if where() == i + 1:
                    break
    expect(widget).to_contain_text(f"{n} of {n} answered")
    # on to "See my result" and press Enter
    for _ in range(10):
        info = tab()
        if "See my result" in info["text"]:
            break
    assert "See my result" in info["text"], "Tab never reached the result button"
    page.keyboard.press("Enter")
    check_result_shown(widget, choices)
    expect(widget.locator("caption", has_text="newest first")).to_be_visible()
    assert history_rows(widget) == before + 1
    assert_focus_visible(focused(page))


def test_a_preheated_page_shows_what_was_saved_after_it_was_heated(visit, voila_server):
    """Voila runs preheated pages in advance: one that ran before the learner saved something is not used
    (publish/heated.py); the page is run afresh for the request and shows the latest data."""
    used = r"Using pre-heated kernel: \S+ for course/self-checks.ipynb"
    filled = r"Kernel pool of course/self-checks.ipynb is filled"
    dropped = r"Dropped 1 out-of-date preheated page\(s\) of course/self-checks.ipynb"
    page = visit.open(PAGE)
    before = history_rows(sharenow(page))
    visit.page.goto("about:blank")
    uses = len(re.findall(used, voila_server.log()))
    assert uses >= 1, "the self-checks page should be served from its preheated pool"
    # wait until every kernel taken from the pool has been replaced and the new one has run the page;
    # then save a result behind its back
    voila_server.wait_for_log(filled, count=uses + 1)
    time.sleep(8)
    from resilience_course.selfcheck.model import load_definition, score

    defn = load_definition("sharenow")
    answers = {i: defn.options[-1]["value"] for i in defn.item_ids}
    with voila_server.store() as store:
        store.save_selfcheck(defn.id, defn.version, answers, score(defn, answers).to_dict())
    drops = len(re.findall(dropped, voila_server.log()))
    page = visit.open(PAGE)
    expect(sharenow(page).locator("caption", has_text="newest first")).to_be_visible()
    assert history_rows(sharenow(page)) == before + 1
    assert len(re.findall(used, voila_server.log())) == uses, "the out-of-date preheated page was used"
    assert len(re.findall(dropped, voila_server.log())) == drops + 1
    # with nothing saved since, the next preheated page (run ahead, with the new result) is used
    visit.page.goto("about:blank")
    voila_server.wait_for_log(filled, count=uses + 2)
    time.sleep(8)
    page = visit.open(PAGE)
    assert history_rows(sharenow(page)) == before + 1
    assert len(re.findall(used, voila_server.log())) == uses + 1, "served from the preheated pool"
