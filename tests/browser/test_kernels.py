"""Kernels end with their page, also when the page is left before it has finished opening (issue 13).

Voila's own "stop my kernel" request is sent only once a page's widgets have loaded; the course page
sends it from the moment it knows its kernel, and the server stops the kernel of a page that no
browser ever connected to (publish/lifetime.py). Here a server of its own, with a short grace so the
test is quick, no preheated pages and no spare kernel (so every kernel is a page's).
"""

from __future__ import annotations

import re
import socket
import time

import psutil
import pytest

from .conftest import Visit, start_server, stop_server

GRACE = 3  # seconds (the course's setting is 120: publish/lifetime.py CONNECT_GRACE)
PAGE = "modules/02-understanding-resilience/02.01-what-is-resilience.ipynb"
# the kernel id, once the page's settings have arrived whole (the page may still be streaming)
CONFIG_JS = "() => { const c = document.getElementById('jupyter-config-data'); " \
            "try { return c ? JSON.parse(c.textContent).kernelId : null; } catch (e) { return null; } }"


@pytest.fixture(scope="module")
def bare_server(tmp_path_factory):
    logs = tmp_path_factory.mktemp("voila-kernels")
    server = start_server(tmp_path_factory.mktemp("learner-data"), logs / "voila.log",
                          extra=("--no-preheat", f"--voila-arg=--WarmKernelManager.page_connect_grace={GRACE}"))
    try:
        yield server
    finally:
        stop_server(server)


def kernels(server) -> list:
    out = []
    for p in psutil.Process(server.proc.pid).children(recursive=True):
        try:
            if p.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(p.cmdline()):
                out.append(p)
        except psutil.Error:  # it has just ended
            pass
    return out


def wait_no_kernels(server, timeout: float) -> list:
    deadline = time.monotonic() + timeout
    while (left := kernels(server)) and time.monotonic() < deadline:
        time.sleep(0.25)
    return left


def test_a_page_left_while_it_is_still_opening_stops_its_kernel(browser, bare_server):
    visit = Visit(browser, bare_server)
    try:
        page = visit.page
        page.goto(bare_server.url(PAGE), wait_until="commit")
        page.wait_for_function(CONFIG_JS, polling="raf", timeout=60_000)
        kernel_id = page.evaluate(CONFIG_JS)
        loaded = page.evaluate("() => !!window.jupyterapp")
        page.goto("about:blank")  # the learner goes elsewhere before the widgets have loaded
        assert not loaded, "the widgets had loaded already: this test needs the page left earlier"
        # the course page's own request, well inside the server's grace for pages that never connect
        bare_server.wait_for_log(rf"Kernel shutdown: {kernel_id}", timeout=GRACE + 2)
        assert not re.search(rf"Stopping kernel {kernel_id}", bare_server.log())
        assert not wait_no_kernels(bare_server, 10)
    finally:
        visit.close()


def test_a_page_no_browser_ever_connects_to_has_its_kernel_stopped(bare_server):
    """A request for a page whose answer never reaches a browser (a tab closed during its first cells)."""
    host, port = "127.0.0.1", bare_server.port
    with socket.create_connection((host, port), timeout=30) as s:
        s.sendall((f"GET /voila/render/{PAGE} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                   f"Authorization: token {bare_server.token}\r\n\r\n").encode())
        got = b""
        found = None
        while not found:
            chunk = s.recv(65536)
            assert chunk, "the server closed the page before it said which kernel it runs in"
            got += chunk
            found = re.search(rb'"kernelId":\s*"([0-9a-f-]{36})"', got)
        # and the request is dropped here, as a closed tab drops it
    kernel_id = found.group(1).decode()
    bare_server.wait_for_log(rf"Stopping kernel {kernel_id}: its page was left", timeout=60)
    bare_server.wait_for_log(rf"Kernel shutdown: {kernel_id}", timeout=10)
    assert not wait_no_kernels(bare_server, 10)


def test_a_page_left_whose_stop_request_is_lost_has_its_kernel_stopped_within_seconds(browser, bare_server):
    """The page's "stop my kernel" request leaves on a connection of its own as the page goes, and a browser
    closing at that moment drops it (the page test lost one in CI so). The page also closed its kernel
    connection itself, which the server does hear: the kernel ends within seconds (publish/lifetime.py
    CLOSED_GRACE), not after the 5 minutes a lost connection is given."""
    visit = Visit(browser, bare_server)
    visit.context.add_init_script("navigator.sendBeacon = function () { return true; };")  # sent, never arrives
    try:
        page = visit.open(PAGE)
        kernel_id = page.evaluate(CONFIG_JS)
        assert page.evaluate("() => !!window.jupyterapp"), "the widgets have not loaded"
        page.goto("about:blank")
        bare_server.wait_for_log(rf"Stopping kernel {kernel_id}: its page was left", timeout=15)
        bare_server.wait_for_log(rf"Kernel shutdown: {kernel_id}", timeout=10)
        assert not wait_no_kernels(bare_server, 10)
    finally:
        visit.close()


def test_an_open_page_keeps_its_kernel(browser, bare_server):
    """The safety net never stops a page that is open: its widgets still answer long after the grace."""
    visit = Visit(browser, bare_server)
    try:
        page = visit.open("course/self-checks.ipynb")
        kernel_id = page.evaluate(CONFIG_JS)
        time.sleep(GRACE * 2 + 3)
        assert f"Kernel shutdown: {kernel_id}" not in bare_server.log()
        assert len(kernels(bare_server)) == 1
        status = page.evaluate("() => window.jupyterapp.widgetManager.kernel.connectionStatus")
        assert status == "connected"
    finally:
        visit.close()
    bare_server.wait_for_log(rf"Kernel shutdown: {kernel_id}", timeout=20)


def test_a_page_heated_long_before_it_is_opened_keeps_its_kernel(browser, tmp_path_factory):
    """A preheated page runs in full ahead of the learner and then sits idle; handed to a page later than
    the grace for connecting, its kernel was taken for one left behind and stopped at once (the page never
    opened). Its grace counts from the hand-out."""
    logs = tmp_path_factory.mktemp("voila-heated")
    server = start_server(tmp_path_factory.mktemp("learner-data"), logs / "voila.log",
                          extra=(f"--voila-arg=--WarmKernelManager.page_connect_grace={GRACE}",))
    visit = Visit(browser, server)
    try:
        server.wait_for_log(r"Kernel pool of course/self-checks.ipynb is filled", count=1)
        time.sleep(GRACE + 12)  # heated, then idle for longer than the grace
        page = visit.open("course/self-checks.ipynb")
        assert re.search(r"Using pre-heated kernel: \S+ for course/self-checks.ipynb", server.log())
        assert page.locator(".rc-selfcheck .widget-toggle-buttons").count() > 0
        assert "its page was left" not in server.log()
    finally:
        visit.close()
        stop_server(server)
