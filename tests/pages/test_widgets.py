"""Page furniture: header, footer, navigation and the home page."""

from __future__ import annotations

import html

from resilience_course.core.course import Outline, load_outline
from resilience_course.pages.widgets import SectionFooter, header, home


def test_footer_marks_complete_and_links(store, root):
    outline = load_outline(root)
    f = SectionFooter("01.00", outline=outline, store=store)
    assert not f.complete and f.button.description == "Mark this section complete"
    f.button.click()
    assert store.is_complete("01.00") and f.complete and "Marked complete" in f.status_html.value
    f.button.click()
    assert not store.is_complete("01.00")
    assert 'href="../../course/home.ipynb"' in f.nav_html.value


def _outline_with(tmp_path, existing):
    (tmp_path / "course").mkdir()
    data = {"title": "T", "home": "course/home.ipynb", "modules": [
        {"id": "01", "slug": "01-a", "title": "A", "summary": "s", "minutes": 10,
         "outcomes": [{"id": f"1.{n}", "text": "o"} for n in range(1, 4)],
         "sections": [{"id": "01.00", "file": "01.00-overview.ipynb", "title": "Overview", "minutes": 5},
                      {"id": "01.01", "file": "01.01-x.ipynb", "title": "X", "minutes": 5}]},
        {"id": "02", "slug": "02-b", "title": "B", "summary": "s", "minutes": 10,
         "outcomes": [{"id": f"2.{n}", "text": "o"} for n in range(1, 4)],
         "sections": [{"id": "02.00", "file": "02.00-overview.ipynb", "title": "Overview", "minutes": 5}]}]}
    for rel in existing:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}")
    return Outline(data, tmp_path)


def test_navigation_is_generated_and_skips_missing_sections(tmp_path, store):
    o = _outline_with(tmp_path, ["modules/01-a/01.00-overview.ipynb", "modules/02-b/02.00-overview.ipynb"])
    prev, nxt = o.neighbours("01.00")
    assert prev is None and nxt.id == "02.00"  # 01.01 does not exist yet
    f = SectionFooter("01.00", outline=o, store=store)
    assert 'href="../02-b/02.00-overview.ipynb"' in f.nav_html.value and "Module 2" in f.nav_html.value


def test_home_shows_coming_soon_not_broken_links(tmp_path, store):
    o = _outline_with(tmp_path, ["modules/01-a/01.00-overview.ipynb"])
    page = home(outline=o, store=store).value
    assert 'href="../modules/01-a/01.00-overview.ipynb"' in page
    assert "Module 2: B <span" in page and "coming soon" in page
    assert "02-b" not in page  # no link to a module that does not exist
    store.mark_complete("01.00")
    assert "1 of 1 available sections complete" in home(outline=o, store=store).value


def test_overview_header_lists_outcomes_and_time(root):
    outline = load_outline(root)
    page = header("02.00", outline=outline).value
    mod = outline.module("02")
    assert '<h1 id="rc-content">' in page and html.escape(mod.title) in page
    assert all(html.escape(o["text"]) in page for o in mod.outcomes)
    assert "minutes" in page or "hour" in page
