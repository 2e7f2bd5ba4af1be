"""Issue 15 in the browser: what learners, facilitators and team leads meet on the pages.

Controls are found by their role and accessible name, as a screen reader or a keyboard user finds
them; every page checked here has no axe violations.
"""

from __future__ import annotations

from .conftest import assert_focus_visible, describe_violations, focused, run_axe

KNOWLEDGE_CHECK = "modules/01-context-of-health-visiting/01.04-knowledge-check-and-summary.ipynb"
MY_RECORD = "course/my-record.ipynb"
SELF_CHECKS = "course/self-checks.ipynb"

# How far the focus ring reaches beyond the focused element, and every scrolling or clipping box
# around it that cuts the ring off (a ring cut to a thin bar is not "fully visible"). The element is
# first scrolled to the middle of the window, so only the boxes are judged, not where the page is.
RING_CLIPPED_BY = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return ['nothing focused'];
  el.scrollIntoView({block: 'center', inline: 'nearest'});  // judge the boxes, not the scroll position
  const cs = getComputedStyle(el);
  const reach = Math.max(0, (parseFloat(cs.outlineWidth) || 0) + (parseFloat(cs.outlineOffset) || 0));
  const r = el.getBoundingClientRect();
  const ring = {l: r.left - reach, t: r.top - reach, r: r.right + reach, b: r.bottom + reach};
  const clipped = [];
  for (let a = el.parentElement; a; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
    const ar = a.getBoundingClientRect();
    const left = ar.left + a.clientLeft, top = ar.top + a.clientTop;
    if (ring.l < left - 1 || ring.t < top - 1 || ring.r > left + a.clientWidth + 1 || ring.b > top + a.clientHeight + 1)
      clipped.push((a.className || a.tagName) + ' (overflow ' + s.overflowX + '/' + s.overflowY + ')');
  }
  return clipped;
}"""


def _tab_through(page, stops: int) -> list[dict]:
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        info = focused(page)
        assert_focus_visible(info)
        clipped = page.evaluate(RING_CLIPPED_BY)
        assert not clipped, f"the focus ring of {info['tag']} {info['text'][:40]!r} is cut off by {clipped}"
        seen.append(info)
    return seen


def test_focus_ring_fully_visible_on_answer_buttons_and_every_control(visit):
    page = visit.open(KNOWLEDGE_CHECK)
    seen = _tab_through(page, 30)
    answers = [s for s in seen if s["tag"] == "BUTTON" and s["text"] not in ("Check my answer",)]
    assert len(answers) >= 15, "the walk should reach many answer buttons"
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


def test_focus_ring_fully_visible_on_my_record(visit):
    page = visit.open(MY_RECORD)
    _tab_through(page, 25)


def test_skip_to_content_link_is_first_and_skips_the_breadcrumb(visit):
    page = visit.open(KNOWLEDGE_CHECK)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement"), "the first Tab stop is the skip link"
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 10, "the skip link shows when it has focus"
    assert_focus_visible(focused(page))
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    after = focused(page)
    assert after and after["text"] != "Course home", "after skipping, Tab goes past the breadcrumb"
    assert page.get_by_role("heading", level=1).first.is_visible()


def test_single_line_inputs_stay_inside_the_column_on_my_record(visit):
    page = visit.open(MY_RECORD)
    overrun = page.evaluate("""() => {
        const col = document.querySelector('main.rc-main').getBoundingClientRect();
        return Array.from(document.querySelectorAll('main input[type=text], main input[type=date], main select'))
          .filter(el => el.offsetParent !== null)
          .filter(el => el.getBoundingClientRect().right > col.right + 1)
          .map(el => (el.closest('.widget-text, .widget-datepicker, .widget-dropdown') || el).innerText
                     || el.getAttribute('aria-label') || el.outerHTML.slice(0, 80));
    }""")
    assert overrun == []
    page.set_viewport_size({"width": 400, "height": 800})
    narrow = """() => {
        const width = document.documentElement.clientWidth;
        return Array.from(document.querySelectorAll('main input[type=text], main input[type=date]'))
          .filter(el => el.offsetParent !== null && el.getBoundingClientRect().right > width + 1).length;
    }"""
    try:  # the widgets lay themselves out again a frame or more after the resize (later on a busy machine)
        page.wait_for_function(f"() => ({narrow})() === 0", timeout=5_000, polling="raf")
    except Exception:
        pass
    overrun_narrow = page.evaluate(narrow)
    assert overrun_narrow == 0
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


# -- rated items: one radio group per item, named by its text (ui/rating.py + static/rating.js) ---------
def _check_radio_groups(page, scope, expected_groups: int) -> None:
    groups = scope.get_by_role("radiogroup")
    assert groups.count() == expected_groups
    first = groups.first
    name = first.evaluate("g => document.getElementById(g.getAttribute('aria-labelledby')).textContent")
    assert len(name) > 10
    same = scope.get_by_role("radiogroup", name=name, exact=True)
    assert same.count() >= 1, "the group is found by its item's text"
    radios = first.get_by_role("radio")
    assert radios.count() >= 2
    stops = scope.locator("[role=radio][tabindex='0']").count()
    assert stops == expected_groups, "one Tab stop per item"
    radios.first.focus()
    page.keyboard.press("ArrowRight")
    second = radios.nth(1)
    page.wait_for_function("el => el.getAttribute('aria-checked') === 'true'", arg=second.element_handle())
    assert second.evaluate("el => el === document.activeElement"), "the arrow key moves within the item"
    assert radios.first.get_attribute("aria-checked") == "false"
    assert second.get_attribute("tabindex") == "0" and radios.first.get_attribute("tabindex") == "-1"
    assert second.get_attribute("aria-pressed") is None
    page.keyboard.press("Tab")
    nxt = groups.nth(1)
    assert nxt.evaluate("g => g.contains(document.activeElement)"), "Tab goes on to the next item"


def test_self_check_items_are_radio_groups_named_by_their_text(visit):
    page = visit.open(SELF_CHECKS)
    scope = page.locator(".rc-selfcheck").first
    n = scope.locator(".widget-toggle-buttons").count()
    _check_radio_groups(page, scope, n)
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


def test_benchmark_indicators_are_radio_groups_named_by_their_text(visit):
    from resilience_course.benchmark.tool import load_factors

    page = visit.open("course/benchmark.ipynb")
    tool = load_factors()
    first = tool.factors[0]
    scope = page.locator(".rc-benchmark").filter(has=page.get_by_role("radiogroup")).first
    visible = scope.locator(".widget-toggle-buttons.rc-rating:visible").count()
    assert visible == 1 + len(first.indicators)  # the shown factor: its rating and each indicator
    ind = first.indicators[0]
    group = scope.get_by_role("radiogroup", name=f"{ind.id}. {ind.text}")
    assert group.count() == 1 and group.get_by_role("radio", name="In place", exact=True).count() == 1
    stops = scope.locator("[role=radio][tabindex='0']:visible").count()
    assert stops == visible, "one Tab stop per item, not one per option"
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    # the next factor's panel is built when it is first shown, in place of the first
    second = tool.factors[1]
    scope.get_by_role("button", name="Next factor").click()
    scope.get_by_role("radiogroup", name=f"{second.indicators[0].id}. {second.indicators[0].text}").wait_for()
    assert scope.locator(".widget-toggle-buttons.rc-rating:visible").count() == 1 + len(second.indicators)
    assert not scope.get_by_role("radiogroup", name=f"{ind.id}. {ind.text}").is_visible()
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


# -- page fixes, as a learner meets them ---------------------------------------------------------------
def test_evaluation_asks_for_a_group_code_only_in_a_group_and_draws_the_boxes(visit):
    page = visit.open("modules/05-models-of-support/05.04-knowledge-check-and-summary.ipynb")
    code = page.get_by_role("textbox", name="Group code (for the anonymous file)")
    assert not code.is_visible(), "a learner studying alone is not asked for a group code"
    in_group = page.get_by_role("checkbox", name="I am in a group, and my facilitator gave me a group code")
    in_group.check()
    code.wait_for(state="visible")
    for box in (code, page.get_by_role("textbox", name="Folder to save it in")):
        size = box.bounding_box()
        assert size and size["width"] > 100 and size["height"] > 10, "the box is drawn, not 0x0"
    assert "before i " not in page.locator("main").inner_text()
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


def test_a_support_plan_saved_in_module_5_appears_in_my_record(visit):
    page = visit.open("modules/05-models-of-support/05.02-support-finder.ipynb")
    finder = page.locator(".rc-choices").first
    finder.get_by_role("button").first.click()
    page.get_by_role("button", name="Show support that fits").click()
    save = page.get_by_role("button", name="Save this plan to my journal")
    save.wait_for()
    page.wait_for_function("el => !el.disabled", arg=save.element_handle())
    save.click()
    page.get_by_text("saved", exact=False).first.wait_for()
    record = visit.open(MY_RECORD)
    record.get_by_text("Support plan: My support plan").first.wait_for()
    assert record.get_by_text("What I need").first.is_visible()


def test_cpd_log_export_arrives_as_a_browser_download(visit, voila_server):
    from datetime import date

    from resilience_course.record.cpd_log import add_entry

    store = voila_server.store()
    add_entry(store, {"date": "2026-03-31", "method": "group", "topic": "Monday Club: SHARENOW",
                      "practice": "I pause before visits.", "hours": "1.5", "participatory_hours": "1.5",
                      "themes": ["practise-effectively"]}, date.today())
    page = visit.open(MY_RECORD)
    page.get_by_role("button", name="Preview my CPD log").click()
    page.get_by_role("region", name="Preview of your CPD log").wait_for()
    link = page.get_by_role("link", name="Download cpd-log-", exact=False).first
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("cpd-log-") and download.suggested_filename.endswith(".html")
    assert "Monday Club: SHARENOW" in open(download.path(), encoding="utf-8").read()
    assert page.get_by_role("link", name="Download cpd-log-", exact=False).count() == 2  # HTML and CSV
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


def test_sort_drop_downs_are_named_by_their_statement_and_sections_count_as_the_overview(visit):
    from resilience_course.activities.model import activity

    page = visit.open("modules/04-compassionate-resilience-sharenow/04.02-self-awareness-hope-acceptance.ipynb")
    act = activity("04", "circle-of-influence")
    first = act["items"][0]
    combo = page.get_by_role("combobox", name=f"1. {first['text']}")
    assert combo.count() == 1 and combo.first.is_visible()
    assert page.get_by_role("combobox", name="Statement 1").count() == 0
    assert "section 3 of 5" in page.locator("main").inner_text()
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
