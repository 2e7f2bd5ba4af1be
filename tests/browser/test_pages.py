"""Every published page opens, shows its title, shows no error, stays on this computer and passes axe;
and leaving the pages one after another leaves no kernel running.

Pages are discovered when the tests are collected (course/**/*.ipynb and modules/*/*.ipynb), so a
page added later is tested too. Each page is opened once, in turn, and left as a learner leaves it
(this is where each notebook is executed, once, in the whole test run); the tests below check what
was recorded. These tests are one group under pytest-xdist (tests/browser/conftest.py), so all the
pages are opened on one server, and the last test checks what that server has left running.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import psutil
import pytest

from .conftest import ROOT, Visit, describe_violations, published_pages, run_axe

PAGES = published_pages()
KERNEL_ID = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
LEFT: list[tuple[str, str]] = []  # (page, its kernel id) for each page opened and left, in turn

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
    kernel_id: str


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
            kernel_id=page.evaluate(KERNEL_ID),
        )
        rec.blocked, rec.console_errors = list(v.blocked), list(v.console_errors)
        rec.page_errors = list(v.page_errors)
    finally:
        v.close()  # leaves the page as a learner does, so Voila stops its kernel
    LEFT.append((rec.page, rec.kernel_id))
    return rec


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


def kernels_of(server) -> list[psutil.Process]:
    return [p for p in psutil.Process(server.proc.pid).children(recursive=True)
            if "ipykernel_launcher" in " ".join(p.cmdline())]


def test_leaving_the_pages_in_turn_leaves_no_kernels_behind(browser, voila_server):
    """After the pages above were opened and left in turn (20 at least), only the kernels kept ready (and at
    most one more) run, and every page's kernel was shut down.

    Runs after every page's checks (pytest orders a session-scoped parameter's tests first). Run on its
    own, it opens and leaves 20 pages itself.
    """
    left = list(LEFT)
    for name in [p for p in PAGES if not p.startswith("tests/")][:max(0, 20 - len(left))]:
        v = Visit(browser, voila_server, viewport={"width": 1280, "height": 900})
        try:
            left.append((name, v.open(name).evaluate(KERNEL_ID)))
        finally:
            v.close()
    assert len(left) >= 20 and all(kernel for _, kernel in left), left
    voila_server.wait_for_log(rf"Kernel shutdown: {re.escape(left[-1][1])}", timeout=20)
    pools = 2 + 1  # the preheated home and self-check pages, and the spare kernel (publish/voila/voila.py)
    deadline = time.monotonic() + 15
    while len(kernels := kernels_of(voila_server)) > pools + 1 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert len(kernels) <= pools + 1, f"{len(kernels)} kernels still running after {len(left)} pages were left"
    log = voila_server.log()
    still = [(page, kernel) for page, kernel in left if f"Kernel shutdown: {kernel}" not in log]
    said = {page: [line for line in log.splitlines() if kernel in line] for page, kernel in still[:2]}
    assert not still, f"{len(still)} of the {len(left)} pages' kernels were not shut down: {still[:5]}; log: {said}"
    assert "_xsrf' argument missing" not in log
