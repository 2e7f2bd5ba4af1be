"""Every published page opens, shows its title, shows no error, stays on this computer and passes axe.

Pages are discovered when the tests are collected (course/**/*.ipynb and modules/*/*.ipynb), so a
page added later is tested too. Each page is opened once; the tests below check what was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from .conftest import ROOT, Visit, describe_violations, published_pages, run_axe

PAGES = published_pages()

ERROR_TEXTS = ("Traceback", "Error displaying widget", "There was an error when executing cell",
               "Cell execution timed out", "An exception occurred at the server")


@dataclass
class PageRecord:
    page: str
    url: str
    title: str
    h1: list[str]
    kind_errors: int
    stderr_outputs: int
    body_text: str
    blocked: list[str]
    console_errors: list[str]
    page_errors: list[str]
    links: list[str]
    violations: list[dict]


@pytest.fixture(scope="session", params=PAGES, ids=PAGES)
def record(request, browser, voila_server) -> PageRecord:
    v = Visit(browser, voila_server, viewport={"width": 1280, "height": 900})
    try:
        page = v.open(request.param)
        rec = PageRecord(
            page=request.param,
            url=page.url,
            title=page.title(),
            h1=[t.strip() for t in page.locator("main h1").all_inner_texts()],
            kind_errors=page.locator(".rc-cell-error").count(),
            stderr_outputs=page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count(),
            body_text=page.locator("main").inner_text(),
            blocked=[], console_errors=[], page_errors=[],
            links=page.eval_on_selector_all("main a[href]", "els => els.map(a => a.getAttribute('href'))"),
            violations=run_axe(page),
        )
        rec.blocked, rec.console_errors = list(v.blocked), list(v.console_errors)
        rec.page_errors = list(v.page_errors)
        return rec
    finally:
        v.close()


def test_pages_are_discovered():
    assert "course/home.ipynb" in PAGES and "course/self-checks.ipynb" in PAGES
    assert not [p for p in PAGES if ".ipynb_checkpoints" in p]


def test_page_opens_and_shows_its_title(record):
    assert record.h1 and record.h1[0], f"{record.page} shows no h1 title"
    assert record.title, f"{record.page} has an empty <title>"
    from resilience_course.publish.server import page_title

    expected = page_title(Path(record.page).stem, ROOT)
    if expected:  # a page the course outline knows: its <title> starts with the heading learners see
        assert record.title == expected
        assert expected.startswith(record.h1[0]), f"{record.page}: {expected!r} vs h1 {record.h1[0]!r}"


def test_page_shows_no_error(record):
    assert record.kind_errors == 0, f"{record.page} failed to run a cell (see the Voila log)"
    assert record.stderr_outputs == 0, f"{record.page} shows error output"
    shown = [t for t in ERROR_TEXTS if t in record.body_text]
    assert not shown, f"{record.page} shows {shown}"
    assert not record.page_errors, f"{record.page} raised in the browser: {record.page_errors}"
    assert not record.console_errors, f"{record.page} logged errors: {record.console_errors}"


def test_page_requests_nothing_from_another_host(record):
    assert record.blocked == [], f"{record.page} tried to reach other hosts: {record.blocked}"


def test_page_links_resolve_to_published_pages(record, voila_server):
    origin = urlsplit(voila_server.base)
    for href in record.links:
        target = urlsplit(urljoin(record.url, href))
        if (target.hostname, target.port) != (origin.hostname, origin.port):
            continue  # a link to another site or a phone number: never requested by the page itself
        path = unquote(target.path)
        if not path.endswith(".ipynb"):
            continue
        assert path.startswith("/voila/render/"), f"{record.page}: {href!r} leaves Voila's pages ({path})"
        file = ROOT / path[len("/voila/render/"):]
        assert file.is_file(), f"{record.page}: {href!r} points to a missing {file.relative_to(ROOT)}"


def test_page_passes_axe(record):
    assert not record.violations, f"{record.page}:\n{describe_violations(record.violations)}"
