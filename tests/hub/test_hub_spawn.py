"""The "Your server is starting" page moves on by itself (the session's real hub, in Chromium).

JupyterHub's own page waits for its progress stream, which a require.js module opens. Under load those
scripts took longer than require.js's 7-second limit: it gave up, nothing ran, and 18 of 25 learners
stayed on the page for good. Here the learner's server is held (SIGSTOP) so that the hub shows the page,
and the page's scripts fail to load; once the server is let go, the page must still take the learner
to the course.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from .test_hub_kernels import HOME_PAGE, processes, wait_for

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("hub")]


def _hold_server_when_it_starts(name: str, held: list, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid, cmd, _env in processes(name):
            if "server_learners.py" in cmd:
                os.kill(pid, signal.SIGSTOP)
                held.append(pid)
                return
        time.sleep(0.02)


def _stop_server(hub, name: str) -> None:
    r = hub.api(f"/users/{name}/server", method="DELETE")
    assert r.status_code in (202, 204), r.text
    wait_for(lambda: not (hub.api(f"/users/{name}").json().get("servers") or {}), 120, "the server did not stop")
    wait_for(lambda: not any("server_learners.py" in cmd for _p, cmd, _e in processes(name)), 60,
             "the server's process did not end")


def _log_in_while_held(hub, browser, name: str, held: list, block_scripts: bool):
    """Log *name* in with their server stopped: the hub starts it, we hold it, the hub shows its page."""
    _stop_server(hub, name)
    watcher = threading.Thread(target=_hold_server_when_it_starts, args=(name, held), daemon=True)
    watcher.start()
    context = browser.new_context()
    context.set_default_timeout(120_000)
    page = context.new_page()
    if block_scripts:
        page.route("**/hub/static/js/jhapi.js*", lambda route: route.abort())  # the page's module never loads
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.users[name])
    page.click("#login_submit")
    page.wait_for_url(f"**/hub/spawn-pending/{name}*", wait_until="commit")
    watcher.join(60)
    assert held, "the server's process was not found"
    page.wait_for_selector("#progress-bar", state="attached")
    return context, page


def _release(held: list) -> None:
    for pid in held:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass


def test_the_server_starting_page_moves_on_when_its_own_scripts_do_not_load(hub, browser):
    name = hub.learners[2]
    hub.session(name)
    held: list[int] = []
    context = None
    try:
        context, page = _log_in_while_held(hub, browser, name, held, block_scripts=True)
        time.sleep(4)  # the page is up; its script has failed to load
        _release(held)
        page.wait_for_url(f"**/user/{name}/{HOME_PAGE}", wait_until="commit", timeout=90_000)
    finally:
        _release(held)
        if context is not None:
            context.close()
    hub.sessions.pop(name, None)  # its server was restarted: the next test logs in again


def test_the_server_starting_page_sends_the_learner_on_only_once(hub, browser):
    """The page's own check must not reload it again while it is already on its way to the course: that
    broke off the sign-in under way (two pages rendered, one kernel left behind, a page that never loaded)."""
    name = hub.learners[2]
    hub.session(name)
    held: list[int] = []
    context = None
    try:
        context, page = _log_in_while_held(hub, browser, name, held, block_scripts=False)
        pending = []
        page.on("request", lambda r: pending.append(r.url) if f"/hub/spawn-pending/{name}" in r.url else None)

        def hold_again(request):  # the way to the course is slow: its first request to the server waits
            if request.url.rstrip("/").endswith(f"/user/{name}") and held:
                os.kill(held[0], signal.SIGSTOP)

        page.on("request", hold_again)
        page.wait_for_timeout(2000)  # (Playwright's own waits, so that the two listeners above run meanwhile)
        os.kill(held[0], signal.SIGCONT)  # the server answers the hub: ready; the page reloads once
        deadline = time.monotonic() + 60
        while not pending and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert pending, "the page did not move on when the server was ready"
        page.wait_for_timeout(8000)  # the page's own check runs every 3 seconds meanwhile
        assert len(pending) == 1, f"the page was reloaded {len(pending)} times on its way to the course"
        _release(held)
        page.wait_for_url(f"**/user/{name}/{HOME_PAGE}", wait_until="commit", timeout=90_000)
    finally:
        _release(held)
        if context is not None:
            context.close()
    hub.sessions.pop(name, None)
