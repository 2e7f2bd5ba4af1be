"""Browser tests: the published course in Debian's Chromium, driven by Playwright.

One Voila server for the whole session (started with ``resilience-course serve``, so with the
repository's Voila settings), on a free 127.0.0.1 port, with its own empty learner data folder.
One browser for the session; each test gets a fresh browser context in which every request to a
host other than the Voila server is blocked and recorded.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("RC_CHROMIUM", "/usr/bin/chromium")
# Requests to any other host go to a closed local port (the discard port), so nothing ever leaves this
# computer; loopback addresses (the course server) bypass the proxy. Such requests are also recorded
# (Visit.blocked). Playwright's request interception (context.route) is not used for this: it pauses
# every request, and the keep-alive request a page sends as it is left (Voila's kernel shutdown) was
# lost in the pause.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--proxy-server=http://127.0.0.1:9"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
START_TIMEOUT = 90  # seconds for Voila to answer
PAGE_TIMEOUT = 60_000  # milliseconds for a page to finish rendering (kernels start on 2 busy cores)


def published_pages() -> list[str]:
    """Every published page: course/**/*.ipynb and modules/*/*.ipynb (no checkpoints), from the root."""
    found = [*ROOT.glob("course/**/*.ipynb"), *ROOT.glob("modules/*/*.ipynb")]
    return sorted(str(p.relative_to(ROOT)).replace(os.sep, "/") for p in found
                  if ".ipynb_checkpoints" not in p.parts)


def notebooks_calling(call: str, folders=("modules",)) -> list[str]:
    """Published pages (in *folders*) whose code calls ``call`` (for example ``rc.knowledge_check(``)."""
    import json

    out = []
    for page in published_pages():
        if page.split("/")[0] not in folders:
            continue
        nb = json.loads((ROOT / page).read_text(encoding="utf-8"))
        code = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in nb["cells"] if c["cell_type"] == "code"]
        if any(call in src for src in code):
            out.append(page)
    return out


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups: when only tests/browser is run, this
def pytest_collection_modifyitems(config, items):  # conftest is loaded before xdist's worker plugin
    """Mark every test here ``browser`` and group them for pytest-xdist (``--dist loadgroup``).

    Each worker that runs browser tests has its own Voila server and Chromium (session fixtures), so the
    groups only decide what must stay in one worker: the page checks (test_pages.py) are one group, so
    each page is opened, and its notebook executed, once, and the walk through every page ends on one
    server; every other file is a group of its own (its module fixtures, such as a server of its own, are
    set up once), and the files share out between the workers."""
    here = Path(__file__).parent
    for item in items:
        path = Path(str(item.fspath))
        if here in path.parents:
            item.add_marker(pytest.mark.browser)
            if not item.get_closest_marker("xdist_group"):
                group = "browser-pages" if path.name == "test_pages.py" else f"browser-{path.stem}"
                item.add_marker(pytest.mark.xdist_group(group))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


TEST_PAGES = "tests/browser/pages"  # pages only the tests publish (served with --also-publish)


@dataclass
class VoilaServer:
    """The running course server: its base URL, learner data folder, log and this launch's token."""

    base: str
    port: int
    data_dir: Path
    log_path: Path
    proc: subprocess.Popen = field(repr=False)
    token: str = field(default="", repr=False)

    def url(self, page: str) -> str:
        return f"{self.base}/voila/render/{page}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, pattern: str, count: int = 1, timeout: float = 60) -> None:
        """Wait until *pattern* (a regular expression) occurs at least *count* times in the log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(re.findall(pattern, self.log())) >= count:
                return
            time.sleep(0.25)
        raise AssertionError(f"{pattern!r} did not appear {count} time(s) in the Voila log within {timeout}s")

    def signed_in(self, address: str) -> str:
        """*address* (a path on this server) with this launch's token, as the printed address carries it."""
        sep = "&" if "?" in address else "?"
        return f"{self.base}{address}{sep}token={self.token}"

    def sign_in(self, context) -> None:
        """Sign a browser context in as the learner does, with the printed address (sets the login cookie)."""
        response = context.request.get(self.signed_in("/"), max_redirects=0)
        assert response.status == 302, f"signing in with the token gave {response.status}"

    def store(self):
        from resilience_course.core.store import Store

        return Store(self.data_dir / "learner.sqlite3")


def start_server(data: Path, log_path: Path, extra: tuple[str, ...] = ("--also-publish", TEST_PAGES)) -> VoilaServer:
    """Start ``resilience-course serve`` on a free port and wait until it answers.

    The token comes from the address the command prints, as a learner would copy it.
    """
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE")}
    env.update({"RESILIENCE_COURSE_DATA_DIR": str(data), "RESILIENCE_COURSE_ROOT": str(ROOT), "MPLBACKEND": "Agg"})
    with open(log_path, "w", encoding="utf-8") as log:
        cmd = [sys.executable, "-m", "resilience_course.cli", "serve", "--port", str(port), *extra]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = VoilaServer(f"http://127.0.0.1:{port}", port, data, log_path, proc)
    deadline = time.monotonic() + START_TIMEOUT
    printed = re.compile(rf"^\s*http://127\.0\.0\.1:{port}/\?token=([0-9a-f]{{32,}})\s*$", re.M)
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"Voila exited with {proc.returncode}:\n{server.log()[-3000:]}")
        found = printed.search(server.log())
        if found:
            server.token = found.group(1)
            try:
                with urllib.request.urlopen(server.signed_in("/voila/tree"), timeout=5) as r:
                    if r.status == 200:
                        return server
            except (urllib.error.URLError, OSError):
                pass
        if time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError(f"Voila did not answer within {START_TIMEOUT}s:\n{server.log()[-3000:]}")
        time.sleep(0.3)


def stop_server(server: VoilaServer, timeout: float = 30) -> int | None:
    """Stop the server as Ctrl+C or a service manager would (SIGTERM); returns its exit status."""
    proc = server.proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # Voila shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
            return None
    return proc.returncode


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    logs = tmp_path_factory.mktemp("voila")
    server = start_server(tmp_path_factory.mktemp("learner-data"), logs / "voila.log")
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for the browser tests and was not found at {CHROMIUM}")
    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()
    pw.stop()


class Visit:
    """A browser context where only the Voila server may be reached (see CHROMIUM_ARGS); other requests
    are recorded in :attr:`blocked`.

    The context is signed in with the server's token first (as opening the printed address does),
    unless ``sign_in=False``.
    """

    def __init__(self, browser, server: VoilaServer, sign_in: bool = True, **context_args):
        self.server = server
        self.blocked: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.context = browser.new_context(**context_args)
        self.context.set_default_timeout(PAGE_TIMEOUT)
        origin = urlsplit(server.base)

        def is_foreign(url: str) -> bool:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                return False
            return (parts.hostname, parts.port) != (origin.hostname, origin.port)

        self.context.on("request", lambda r: self.blocked.append(r.url) if is_foreign(r.url) else None)
        if sign_in:
            server.sign_in(self.context)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        self.page.on("websocket", lambda ws: self.blocked.append(ws.url) if is_foreign(ws.url) else None)

    def open(self, page: str):
        self.page.goto(self.server.url(page))
        wait_rendered(self.page)
        return self.page

    def close(self):
        try:  # leave the page as a learner would, so Voila stops its kernel (on "beforeunload")
            self.page.goto("about:blank", timeout=10_000)
        except Exception:
            pass
        self.context.close()


def wait_rendered(page) -> None:
    """Wait until Voila has shown the page and every output (widgets included) is drawn."""
    page.wait_for_function(
        """() => {
            const cells = document.querySelector('#rendered_cells');
            if (!cells || cells.style.display === 'none' || document.getElementById('loading')) return false;
            if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) return false;
            return document.readyState === 'complete' && !!document.querySelector('main h1, .rc-cell-error');
        }""", timeout=PAGE_TIMEOUT, polling=100)
    # widgets are drawn once their models arrive from the kernel
    page.wait_for_load_state("networkidle")


@pytest.fixture
def visit(browser, voila_server):
    """A fresh :class:`Visit` (closed after the test)."""
    v = Visit(browser, voila_server, viewport={"width": 1280, "height": 900})
    yield v
    v.close()


def run_axe(page) -> list[dict]:
    """axe-core violations of the WCAG 2.0/2.1/2.2 A and AA rules on *page*."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                      "resultTypes": ["violations"]})
    return result.response["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


FOCUS_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {tag: el.tagName, text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim(),
            outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0,
            outlineColor: cs.outlineColor, boxShadow: cs.boxShadow, width: r.width, height: r.height,
            pressed: el.getAttribute('aria-pressed')};
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUS_JS)


def assert_focus_visible(info: dict | None) -> None:
    """The focused element shows a focus indicator: an outline at least 2px wide (WCAG 2.4.7)."""
    assert info is not None, "nothing has keyboard focus"
    visible = info["outlineStyle"] not in ("none", "") and info["outlineWidth"] >= 2
    assert visible, f"focus is not visible on {info['tag']} {info['text'][:40]!r}: {info}"
    assert info["width"] > 0 and info["height"] > 0, f"the focused element is not displayed: {info}"
