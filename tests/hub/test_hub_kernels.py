"""Learners' servers on the real hub (the session's ``hub`` fixture): how they start, the spare kernel that
makes pages open quickly, and kernels that end when their page is left.

* each course server is started by ``resilience_course.hub.launch`` (no IRI grammars), reads no
  configuration from the learner's home, finds the course's page template, and its kernels read the
  content cache filled at install;
* it keeps a spare kernel with the course's widgets imported, and a page takes it;
* the kernel of a page the learner leaves ends within seconds, so pages left behind do not pile up.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import wait_rendered

from .conftest import PREFIX

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.xdist_group("hub")]

HOME_PAGE = "voila/render/course/home.ipynb"
SECTION = "voila/render/modules/01-context-of-health-visiting/01.01-systems-around-the-family.ipynb"
KERNEL_JS = """() => { try { return JSON.parse(document.getElementById('jupyter-config-data').textContent)
    .kernelId || null; } catch (e) { return null; } }"""


def processes(name: str) -> list[tuple[int, str, dict]]:
    """(pid, command line, environment) of every process running as *name*."""
    from resilience_course.hub import accounts

    out = []
    for pid in accounts.pids_of(name):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        env = dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)
        out.append((pid, cmd, env))
    return out


def kernels(name: str) -> dict[str, dict]:
    """The kernels running as *name*: kernel id -> environment."""
    found = {}
    for _pid, cmd, env in processes(name):
        m = re.search(r"kernel-([0-9a-f-]{36})\.json", cmd)
        if m and "ipykernel" in cmd:
            found[m.group(1)] = env
    return found


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"{what} (after {timeout:.0f} s)")


def test_a_course_server_starts_lean_and_finds_its_template_and_cache(hub):
    name = hub.learners[0]
    hub.session(name)
    servers = [(cmd, env) for _pid, cmd, env in processes(name) if "server_learners.py" in cmd]
    assert len(servers) == 1, [cmd for _pid, cmd, _env in processes(name)]
    cmd, env = servers[0]
    assert "-m resilience_course.hub.launch" in cmd  # jupyterhub-singleuser without the IRI grammars
    assert env.get("JUPYTERHUB_DISABLE_USER_CONFIG") == "1"  # nothing from the learner's home
    template = Path(env["JUPYTER_PATH"]) / "voila" / "templates" / "resilience-course"
    assert (template / "index.html.j2").is_file()
    # the kernels read the content cache filled at install (course material only), not their own
    assert env.get("RESILIENCE_COURSE_CACHE_DIR") == str(PREFIX / "cache")
    cache = PREFIX / "cache"
    assert (cache / ".complete").is_file() and cache.stat().st_uid == 0 and not cache.stat().st_mode & 0o022
    spare = wait_for(lambda: kernels(name), 120, f"{name}'s server has no spare kernel")
    assert all(k.get("RESILIENCE_COURSE_CACHE_DIR") == str(cache) for k in spare.values())
    # spare kernels leave matplotlib (about 28 MB each) until a page draws a chart
    assert all(k.get("RESILIENCE_COURSE_WARM_CHARTS") == "0" for k in spare.values())
    ready = wait_for(lambda: ready_spares(hub, name), 180, f"{name}'s server has no spare kernel ready")
    pids = [pid for pid, cmd, _env in processes(name) if any(f"kernel-{k}.json" in cmd for k in ready)]
    assert pids
    for pid in pids:
        assert "matplotlib" not in Path(f"/proc/{pid}/maps").read_text(errors="replace"), \
            f"{name}'s spare kernel has loaded matplotlib"


def test_kernels_use_unix_sockets_in_a_folder_only_their_learner_can_open(hub):
    """No TCP port to lose between choosing and binding it (a kernel that lost that race died as it started
    and its page never opened), and nothing another account can reach."""
    import os
    import pwd

    from resilience_course.hub.launch import RUNTIME_PREFIX

    name = hub.learners[0]
    hub.session(name)
    wait_for(lambda: kernels(name), 120, f"{name}'s server has no kernel")
    uid = pwd.getpwnam(name).pw_uid
    found = 0
    for _pid, cmd, _env in processes(name):
        if "ipykernel" not in cmd:
            continue
        connection = Path(re.search(r"-f (\S+kernel-[0-9a-f-]{36}\.json)", cmd).group(1))
        info = json.loads(connection.read_text())
        assert info["transport"] == "ipc", info
        folder, sockets = connection.parent, Path(info["ip"]).name
        assert Path(info["ip"]).parent == folder and folder.name.startswith(RUNTIME_PREFIX), folder
        st = os.stat(folder)
        assert st.st_uid == uid and st.st_mode & 0o777 == 0o700, (oct(st.st_mode), st.st_uid)
        wait_for(lambda folder=folder, sockets=sockets: any(
            f.name.startswith(sockets) and f.is_socket() for f in folder.iterdir()), 120, f"no socket of {info['ip']}")
        found += 1
    assert found


def ready_spares(hub, name: str) -> set[str]:
    """The spare kernels running as *name* that are ready and no page has taken (from the servers' log)."""
    log = hub.log.read_text(errors="replace")
    ready = set(re.findall(r"Spare kernel ([0-9a-f-]{36}) is ready", log))
    taken = set(re.findall(r"Using a spare kernel ([0-9a-f-]{36})", log))
    return (ready - taken) & set(kernels(name))


def test_a_page_takes_the_spare_kernel_and_a_new_spare_follows(hub):
    name = hub.learners[0]
    s = hub.session(name)
    # (other kernels of this learner may be running: those of pages that earlier tests opened without a
    # browser, which end only after the server's grace for a page to connect; the spare starts some
    # seconds after a page took the last one)
    spares = wait_for(lambda: ready_spares(hub, name), 180, f"{name}'s server has no spare kernel ready")
    before = set(kernels(name))
    r = s.get(f"{hub.url}/user/{name}/{SECTION}", timeout=300)
    assert r.status_code == 200 and "<main" in r.text
    config = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', r.text, re.S)
    page_kernel = json.loads(config.group(1))["kernelId"]
    assert page_kernel in spares, "the page started a kernel of its own instead of taking the spare"
    # a new spare is started for the next page (a few seconds later, once this page is drawn)
    wait_for(lambda: set(kernels(name)) - before, 120, "no new spare kernel was started")


def _context(browser, hub):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(300_000)
    foreign: list[str] = []
    origin = urlsplit(hub.url)
    # other hosts are unreachable (the session browser's closed proxy); no request interception, which
    # would hold back the request that stops a page's kernel as the page is left
    context.on("request", lambda r: foreign.append(r.url) if urlsplit(r.url).scheme in ("http", "https")
               and (urlsplit(r.url).hostname, urlsplit(r.url).port) != (origin.hostname, origin.port) else None)
    return context, foreign


@pytest.mark.browser
def test_leaving_a_page_ends_its_kernel(hub, browser):
    name = hub.learners[1]
    hub.session(name)
    context, foreign = _context(browser, hub)
    try:
        page = context.new_page()
        page.goto(f"{hub.url}/hub/login")
        page.fill("#username_input", name)
        page.fill("#password_input", hub.users[name])
        page.click("#login_submit")
        page.wait_for_url(f"**/user/{name}/{HOME_PAGE}", wait_until="commit")
        wait_rendered(page)
        home = page.evaluate(KERNEL_JS)
        assert home in kernels(name)
        page.goto(f"{hub.url}/user/{name}/{SECTION}")  # "Next": the home page is left
        wait_rendered(page)
        section = page.evaluate(KERNEL_JS)
        assert section in kernels(name) and section != home
        wait_for(lambda: home not in kernels(name), 30, "the home page's kernel still runs after the page was left")
        page.goto("about:blank")  # the tab moves on
        wait_for(lambda: section not in kernels(name), 30, "the section's kernel still runs after it was left")
        assert not foreign, foreign
    finally:
        context.close()
    # what is left is the spare the next page will take: no page's kernel
    left = kernels(name)
    assert home not in left and section not in left and len(left) <= 1, left
