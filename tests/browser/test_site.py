"""The published course as a site: the address that opens it, navigation, errors, zoom, local only."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import psutil
import pytest
from playwright.sync_api import expect

from .conftest import (
    ROOT,
    Visit,
    describe_violations,
    published_pages,
    run_axe,
    start_server,
    stop_server,
    wait_rendered,
)

HOME = "course/home.ipynb"


def h1(page) -> str:
    return page.locator("main h1").first.inner_text().strip()


def test_the_server_address_opens_the_course_home_page(visit, voila_server):
    page = visit.page
    page.goto(voila_server.base + "/")
    wait_rendered(page)
    assert page.url == voila_server.url(HOME)
    from resilience_course.core.course import load_outline

    assert h1(page) == load_outline(ROOT).title


def test_navigation_home_module_next_section_and_back_home(visit, voila_server):
    from resilience_course.core.course import load_outline

    outline = load_outline(ROOT)
    if not any(p.startswith("modules/") for p in published_pages()):
        pytest.skip("no module pages have been written yet")
    module = next(m for m in outline.modules if m.available)
    overview = module.sections[0]
    _prev, nxt = outline.neighbours(overview.id)
    page = visit.open(HOME)

    page.locator(".rc-card h3 a", has_text=module.title).first.click()
    wait_rendered(page)
    assert page.url == voila_server.url(overview.path)
    assert h1(page) == module.title

    page.locator("nav.rc-nav a[rel=next]").click()
    wait_rendered(page)
    assert page.url == voila_server.url(nxt.path)
    assert h1(page) == (nxt.title if not nxt.id.endswith(".00") else outline.module(nxt.module_id).title)

    page.locator("nav.rc-nav a[rel=prev]").click()
    wait_rendered(page)
    assert page.url == voila_server.url(overview.path)

    page.locator("nav.rc-breadcrumb a", has_text="Course home").click()
    wait_rendered(page)
    assert page.url == voila_server.url(HOME)
    assert h1(page) == outline.title


def test_a_failing_cell_shows_a_kind_message_and_no_traceback(visit, voila_server):
    page = visit.open("tests/browser/pages/broken.ipynb")
    message = page.locator(".rc-cell-error")
    expect(message).to_be_visible()
    expect(message).to_contain_text("Anything you have already saved is safe")
    text = page.locator("body").inner_text()
    for secret in ("Traceback", "KeyError", "99.99", "rc.header", "ExecutionError"):
        assert secret not in text, f"learners see {secret!r}"
    assert "This text comes after the failing cell" not in text
    voila_server.wait_for_log(r"KeyError.*no section '99\.99'")  # the details are in the server log
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("width", [640, 320], ids=["200-percent-zoom", "reflow-320px"])
def test_text_zooms_without_loss(browser, voila_server, width):
    """At 200% zoom (half the width) and at 320 CSS pixels, nothing is cut off or needs sideways scrolling."""
    modules = [p for p in published_pages() if p.startswith("modules/")]
    pages = [HOME, "course/self-checks.ipynb", *modules[1:2]]
    v = Visit(browser, voila_server, viewport={"width": width, "height": 800})
    try:
        for name in pages:
            page = v.open(name)
            overflow = page.evaluate("""() => {
                const cells = document.querySelector('#rendered_cells');
                const out = [];
                if (cells.scrollWidth > cells.clientWidth + 1) out.push('page: ' + cells.scrollWidth);
                for (const el of cells.querySelectorAll('button, h1, h2, h3, p, li, label, summary')) {
                    const r = el.getBoundingClientRect();
                    if (r.width === 0) continue;
                    const what = el.tagName + ' ' + el.textContent.slice(0, 40);
                    if (r.right > cells.clientWidth + 1) out.push(what);
                    if (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1)
                        out.push('cut: ' + what);
                }
                return out; }""")
            assert not overflow, f"{name} at {width}px: {overflow[:5]}"
    finally:
        v.close()


def test_the_server_listens_on_this_computer_only(voila_server):
    listening = [c.laddr for c in psutil.Process(voila_server.proc.pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
    assert listening and all(addr.ip == "127.0.0.1" for addr in listening), listening
    request = urllib.request.Request(f"{voila_server.base}/voila/tree",
                                     headers={"Host": f"attacker.example:{voila_server.port}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403  # a page from another site cannot reach the learner's data


def test_kernels_listen_on_private_sockets_not_ports(voila_server):
    """The course's kernels use Unix sockets in Voila's own 0700 folder: no TCP port to be taken between
    being chosen and bound (a kernel that lost that race died, and its page never opened), and nothing
    another account on the computer can reach."""
    import json
    import os
    import time
    from pathlib import Path

    kernels = [p for p in psutil.Process(voila_server.proc.pid).children(recursive=True)
               if "ipykernel" in " ".join(p.cmdline())]
    assert kernels, "the server keeps kernels ready"
    for kernel in kernels:
        cmd = kernel.cmdline()
        info = json.loads(Path(cmd[cmd.index("-f") + 1]).read_text())
        assert info["transport"] == "ipc", info["transport"]
        folder = Path(info["ip"]).parent
        assert folder.stat().st_mode & 0o777 == 0o700 and folder.stat().st_uid == os.getuid()
        deadline = time.monotonic() + 120  # (a kernel kept ready may still be starting)
        while not any(f.name.startswith(Path(info["ip"]).name) and f.is_socket() for f in folder.iterdir()):
            assert time.monotonic() < deadline, f"no socket of {info['ip']} in {sorted(folder.iterdir())}"
            time.sleep(0.5)


def test_jupyterlab_only_extensions_stay_out_of_course_pages(visit, voila_server):
    requested: list[str] = []
    visit.page.on("request", lambda r: requested.append(r.url))
    page = visit.open(HOME)
    config = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    names = [e["name"] for e in config["federated_extensions"]]
    assert "@jupyter-widgets/jupyterlab-manager" in names
    for name in ("@jupyter/nbgrader", "@jupyter-notebook/lab-extension"):
        assert name not in names
        assert not [u for u in requested if name in u]
    assert not [u for u in requested if re.search(r"cdn|fontawesome|mathjax", u, re.I)]


def test_stopping_the_server_stops_every_kernel(tmp_path):
    """SIGTERM (what Ctrl+C and service managers send) shuts every kernel down cleanly."""
    server = start_server(tmp_path / "data", tmp_path / "voila.log")
    try:
        server.wait_for_log(r"Spare kernel \S+ is ready")
        server.wait_for_log(r"Kernel pool of course/home.ipynb is filled")
        server.wait_for_log(r"Kernel pool of course/self-checks.ipynb is filled")
        kernels = [p for p in psutil.Process(server.proc.pid).children(recursive=True)
                   if "ipykernel_launcher" in " ".join(p.cmdline())]
        assert len(kernels) >= 3  # home, self-checks and the spare
    finally:
        status = stop_server(server)
    assert status is not None, "the server had to be killed"
    gone, alive = psutil.wait_procs(kernels, timeout=15)
    assert not alive, f"kernels still running after the server stopped: {alive}"
    log = server.log()
    # every kernel was shut down by the server, none left to notice it had gone
    assert len(re.findall(r"Kernel shutdown: ", log)) >= len(kernels)
    assert "Parent appears to have exited" not in log, log[-2000:]
    assert not re.search(r"^\[CourseVoila\].*\b(ERROR|CRITICAL)\b", log, re.M), log[-2000:]
    assert "RuntimeError" not in log, log[-2000:]


@pytest.mark.parametrize("address", ["/voila/tree", "/voila/render/course/no-such-page.ipynb"],
                         ids=["file-list", "missing-page"])
def test_voilas_own_pages_stay_offline_too(visit, voila_server, address):
    """Voila's file list and its error page (a mistyped address) also load nothing from elsewhere."""
    response = visit.page.goto(voila_server.base + address)
    visit.page.wait_for_load_state("networkidle")
    assert response.status in (200, 404)
    assert visit.blocked == [], visit.blocked


def test_a_page_that_has_not_loaded_says_so_kindly(visit):
    """If a widget is still "Loading widget..." after 20 seconds, a note suggests reloading."""
    visit.page.clock.install()
    page = visit.open("course/self-checks.ipynb")
    note = page.locator("#rc-slow-note")
    page.clock.fast_forward(21_000)
    expect(note).to_have_count(0)  # everything loaded: no note
    page.reload()
    wait_rendered(page)
    page.evaluate("""() => {  // as if the connection to Python had been lost while a widget loaded
        const stuck = document.querySelector('.jp-OutputArea-output');
        stuck.textContent = 'Loading widget...';
    }""")
    page.clock.fast_forward(21_000)
    expect(note).to_be_visible()
    expect(note).to_contain_text("Please reload the page")


def test_leaving_a_page_stops_its_kernel(visit, voila_server):
    """A learner who leaves a page frees its kernel at once (not half an hour later, when it is culled)."""
    page = visit.open("course/self-checks.ipynb")
    config = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)")
    kernel_id = config["kernelId"]
    assert kernel_id and f"Kernel shutdown: {kernel_id}" not in voila_server.log()
    page.goto("about:blank")  # the learner goes elsewhere (closing the tab does the same)
    voila_server.wait_for_log(rf"Kernel shutdown: {kernel_id}", timeout=20)
    assert "_xsrf' argument missing" not in voila_server.log()


# Leaving many pages in turn (every published page, on one server) is checked by
# tests/browser/test_pages.py::test_leaving_the_pages_in_turn_leaves_no_kernels_behind, on the page
# tests' own visits, so no notebook runs again for it.


# -- a per-launch secret (Jupyter's token), and only course/ and modules/ --------------------------
ANSWER_KEY = "assessments/source/module-01-quiz/module-01-quiz.ipynb"


def fetch(url: str, method: str = "GET") -> tuple[int, str, str]:
    """(status, Location header, body) of one request, redirects not followed."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with opener.open(request, timeout=30) as r:
            return r.status, r.headers.get("Location", ""), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location", ""), e.read().decode("utf-8", "replace")


@pytest.mark.parametrize("address", ["/", "/voila/tree", f"/voila/render/{HOME}", "/voila/api/contents/course",
                                     "/voila/tree/course", "/api/kernels", f"/voila/render/{HOME}?token=0123abcd"])
def test_without_the_launch_token_the_server_shows_nothing(voila_server, address):
    """Another account on this computer can reach 127.0.0.1 too; without the printed token it reads nothing."""
    status, location, body = fetch(voila_server.base + address)
    assert status in (302, 403, 404), (address, status)
    if status == 302:
        assert location.startswith("/login?"), location
    assert "rc-main" not in body and "jupyter-config-data" not in body
    status, _, _ = fetch(f"{voila_server.base}/voila/api/shutdown/{'0' * 8}-0000-0000-0000-{'0' * 12}", "POST")
    assert status == 403


def test_the_printed_address_signs_the_browser_in_and_pages_then_work(browser, voila_server):
    from resilience_course.core.course import load_outline

    outline = load_outline(ROOT)
    v = Visit(browser, voila_server, sign_in=False, viewport={"width": 1280, "height": 900})
    try:
        page = v.page
        page.goto(voila_server.url(HOME))  # no token: the sign-in page, in plain words
        assert "/login" in page.url
        expect(page.locator("h1")).to_have_text("Open the course with its address")
        assert outline.title not in page.locator("body").inner_text()
        violations = run_axe(page)
        assert not violations, describe_violations(violations)
        page.goto(voila_server.base + "/?token=" + "0" * 48)  # a wrong token is no key
        assert "/login" in page.url
        page.goto(voila_server.signed_in("/"))  # the printed address
        wait_rendered(page)
        assert page.url == voila_server.url(HOME), "the token should not stay in the address bar"
        assert h1(page) == outline.title
        page.locator("nav.rc-breadcrumb a, .rc-card h3 a").first.click()  # and the learner moves on
        wait_rendered(page)
        assert page.url.startswith(voila_server.base + "/voila/render/")
        assert v.blocked == []
    finally:
        v.close()


def test_the_sign_in_page_takes_the_code_from_the_address(browser, voila_server):
    v = Visit(browser, voila_server, sign_in=False, viewport={"width": 1280, "height": 900})
    try:
        page = v.page
        page.goto(voila_server.url("course/self-checks.ipynb"))
        page.get_by_label("The code from the course address").fill("not-the-code")
        page.get_by_role("button", name="Open the course").click()
        expect(page.get_by_role("alert")).to_contain_text("does not match")
        page.get_by_label("The code from the course address").fill(voila_server.token)
        page.get_by_role("button", name="Open the course").click()
        wait_rendered(page)
        assert page.url == voila_server.url("course/self-checks.ipynb")
    finally:
        v.close()


@pytest.mark.parametrize("address", [
    f"/voila/render/{ANSWER_KEY}",
    f"/voila/render/course/../{ANSWER_KEY}",
    f"/voila/render/course/%2E%2E/{ANSWER_KEY}",
    f"/voila/render/course%2F..%2F{ANSWER_KEY.replace('/', '%2F')}",
    "/voila/render/README.md",
    "/voila/render/widgets/resilience_course/__init__.py",
    "/voila/tree/assessments/source/module-01-quiz",
    "/voila/tree/course/../assessments",
    f"/voila/api/contents/{ANSWER_KEY}",
    "/voila/api/contents/assessments",
    f"/voila/files/{ANSWER_KEY}",
    "/voila/files/course/../assessments/source/module-01-quiz/module-01-quiz.ipynb",
], ids=lambda a: a.split("/voila/")[1][:60])
def test_only_course_and_modules_are_served(voila_server, address):
    """The quizzes' answer keys (and everything else outside course/ and modules/) cannot be read."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", voila_server.port, timeout=60)
    try:  # sent as written: no client-side clean-up of the dots
        conn.request("GET", f"{address}?token={voila_server.token}")
        response = conn.getresponse()
        status, body = response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()
    assert status in (403, 404), (address, status)
    for secret in ("BEGIN SOLUTION", "### BEGIN", "solution", "jupyter-config-data"):
        assert secret not in body, (address, secret)


def test_a_page_address_cannot_swap_the_course_template_or_theme(voila_server):
    """Voila lets ``?template=`` and ``?theme=`` choose another template by default; the course's pages
    keep their own (the kind error message, the landmarks, the kernel that ends with its page)."""
    status, _, body = fetch(voila_server.signed_in(f"/voila/render/{HOME}?template=lab&theme=dark"))
    assert status == 200
    assert "voila/templates/resilience-course/static/" in body and "rc-skip" in body
    assert "theme-dark" not in body and "JupyterLab Dark" not in body


def test_the_file_list_shows_only_the_published_folders(voila_server):
    import json

    status, _, body = fetch(voila_server.signed_in("/voila/api/contents"))
    assert status == 200
    assert sorted(item["name"] for item in json.loads(body)["content"]) == ["course", "modules"]
    status, _, body = fetch(voila_server.signed_in(f"/voila/api/contents/{HOME}"))
    assert status == 200 and json.loads(body)["path"] == HOME  # the course itself is served


def test_every_notebook_is_executed_by_the_page_tests():
    """make test runs no nbval: every notebook under course/ and modules/ must be a page that
    tests/browser/test_pages.py opens (and so executes, checking no cell fails or writes an error)."""
    notebooks = {str(p.relative_to(ROOT)).replace("\\", "/") for folder in ("course", "modules")
                 for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts}
    assert notebooks and notebooks <= set(published_pages()), sorted(notebooks - set(published_pages()))
