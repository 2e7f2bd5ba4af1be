"""The cohort server end to end: a real JupyterHub on 127.0.0.1 with 3 learners, 1 facilitator, 1 trainer.

Every person logs in through the hub's real login form; each learner's home page becomes
interactive in Chromium through the proxy with no axe violations and no request to another host;
learners get course pages only; one learner's data stays in their own store and is refused to the
others; a quiz goes round the shared nbgrader exchange (release, fetch, submit, collect, autograde,
feedback). The session fixture (conftest.py) checks that nothing is left behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import stat
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest

from tests.browser.conftest import describe_violations, run_axe, wait_rendered

from .conftest import ROOT

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.xdist_group("hub")]

HOME_PAGE = "voila/render/course/home.ipynb"
STORE = ".local/share/resilience-course/learner.sqlite3"


def test_demo_file_accounts_and_homes(hub):
    demo = hub.state / "hub-demo.json"
    assert stat.S_IMODE(demo.stat().st_mode) == 0o600
    info = json.loads(demo.read_text())
    assert set(info) == {"url", "api_token", "users"}
    assert info["url"].startswith("http://127.0.0.1:")
    expected = {f"{hub.prefix}learner-0{i}" for i in (1, 2, 3)} | {hub.facilitator, hub.trainer}
    assert set(info["users"]) == expected
    assert len(set(info["users"].values())) == len(expected), "every person has their own password"
    for name in expected:
        home = hub.home(name)
        assert stat.S_IMODE(home.stat().st_mode) == 0o700, name
        assert home.stat().st_uid != 0
    # the token is an admin token for the hub's REST API
    users = hub.api("/users").json()
    assert {u["name"] for u in users} == expected
    groups = {g["name"]: set(g["users"]) for g in hub.api("/groups").json()}
    assert groups["learners"] == {n for n in expected if "-learner-" in n}
    assert groups["trainers"] == {hub.trainer} and groups["facilitators"] == {hub.facilitator}
    # jupyterhub-idle-culler runs as a hub service
    culler = hub.api("/services/idle-culler").json()
    assert culler["name"] == "idle-culler" and culler.get("pid")


def test_wrong_password_is_refused_by_the_login_form(hub):
    import requests

    s = requests.Session()
    s.get(f"{hub.url}/hub/login", timeout=60)
    r = s.post(f"{hub.url}/hub/login", data={"username": hub.learners[0], "password": "not-the-password",
                                             "_xsrf": s.cookies.get("_xsrf")}, allow_redirects=False, timeout=60)
    assert r.status_code == 403
    assert "jupyterhub-session-id" not in s.cookies or not s.cookies.get("jupyterhub-hub-login")


def _open_home_in_chromium(browser, hub, name):
    foreign, errors = [], []
    origin = urlsplit(hub.url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(300_000)

    def is_foreign(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in ("data", "blob", "about") and (parts.hostname, parts.port) != (
            origin.hostname, origin.port)

    # other hosts are unreachable (the session browser's closed proxy port); requests to them are recorded.
    # (No request interception: it holds back the request that stops a page's kernel as the page is left.)
    context.on("request", lambda r: foreign.append(r.url) if is_foreign(r.url) else None)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", hub.users[name])
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{name}/{HOME_PAGE}", timeout=300_000, wait_until="commit")
    wait_rendered(page)
    return context, page, foreign, errors


@pytest.mark.browser
def test_each_learner_lands_on_an_interactive_home_page(hub, browser):
    for name in hub.learners:
        context, page, foreign, errors = _open_home_in_chromium(browser, hub, name)
        try:
            assert urlsplit(page.url).path == f"/user/{name}/{HOME_PAGE}"
            assert page.locator("main h1").first.is_visible()
            assert not page.locator(".rc-cell-error").count(), page.locator(".rc-cell-error").first.inner_text()
            # widgets are live: the page's kernel is connected through the proxy
            assert page.locator(".jupyter-widgets, .widget-button, button").count() > 0
            violations = run_axe(page)
            assert not violations, describe_violations(violations)
            assert not foreign, f"requests to other hosts: {foreign}"
            assert not errors, errors
        finally:
            context.close()


def test_learners_get_course_pages_only(hub):
    name = hub.learners[0]
    s = hub.session(name)
    base = f"{hub.url}/user/{name}/"
    page = s.get(base + "voila/render/modules/01-context-of-health-visiting/01.00-overview.ipynb", timeout=300)
    assert page.status_code == 200 and "<main" in page.text
    for path in ("lab", "tree", "notebooks/course/home.ipynb", "edit/course/course.yml", "terminals/1",
                 "api/contents", "api/contents/course/course.yml", "api/sessions", "api/kernels", "api/terminals",
                 "files/course/course.yml", "voila/tree", "voila/render/course/facilitator/index.ipynb",
                 "formgrader", "formgrader/api/assignments", "voila/render/../../etc/passwd",
                 "nbconvert/html/course/home.ipynb", "api/kernelspecs"):
        r = s.get(base + path, allow_redirects=False, timeout=60)
        assert r.status_code == 403, f"{path}: {r.status_code}"
        assert "not part of the course" in r.text, path  # refused by the course's own filter
    r = s.post(base + "api/kernels", json={}, timeout=60)
    assert r.status_code == 403 and "not part of the course" in r.text


def test_a_learner_is_refused_on_another_learners_server(hub):
    first, second = hub.learners[:2]
    hub.session(first)
    s2 = hub.session(second)
    for path in (HOME_PAGE, "api/status", "voila/render/modules/01-context-of-health-visiting/01.00-overview.ipynb"):
        r = s2.get(f"{hub.url}/user/{first}/{path}", timeout=120)
        assert r.status_code == 403, f"{second} reached {first}'s {path}: {r.status_code} {r.url}"
        assert f"/user/{first}/{path}" not in r.url or r.status_code == 403
    r = s2.get(f"{hub.url}/hub/api/users/{first}", timeout=60)
    assert r.status_code in (403, 404)


@pytest.mark.browser
def test_a_reflection_is_saved_in_the_learners_own_store_only(hub, browser):
    from tests.browser.test_module_widgets import first_page_calling

    first, second = hub.learners[:2]
    context, page, _foreign, _errors = _open_home_in_chromium(browser, hub, first)
    try:
        text = f"Walking at lunchtime helped me reset ({uuid.uuid4().hex[:10]})."
        page.goto(f"{hub.url}/user/{first}/voila/render/{first_page_calling('rc.reflection(', ('modules', 'course'))}")
        wait_rendered(page)
        reflection = page.locator(".rc-reflection:has(textarea:visible)").first
        reflection.locator("textarea:visible").first.fill(text)
        reflection.get_by_role("button", name="Save to my journal").click()
        page.wait_for_function("() => document.body.innerText.includes('Saved to your journal')", timeout=120_000)
    finally:
        context.close()
    store = hub.home(first) / STORE
    assert stat.S_IMODE(store.stat().st_mode) == 0o600 and store.stat().st_uid == hub.home(first).stat().st_uid
    assert stat.S_IMODE(store.parent.stat().st_mode) == 0o700
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        texts = [row[0] for row in db.execute("SELECT text FROM reflections")]
    assert text in texts
    other = hub.home(second) / STORE
    if other.exists():
        with sqlite3.connect(f"file:{other}?mode=ro", uri=True) as db:
            assert text not in [row[0] for row in db.execute("SELECT text FROM reflections")]
    # as a Unix user, the second learner can neither list the first one's home nor read the store
    for argv in (["cat", str(store)], ["ls", str(hub.home(first))],
                 [f"{hub_python()}", "-c", f"import sqlite3; sqlite3.connect({str(store)!r}).execute('select 1')"]):
        proc = hub.runuser(second, *argv, check=False)
        assert proc.returncode != 0, f"{second} ran {argv}: {proc.stdout}"
        assert text not in proc.stdout


def hub_python() -> str:
    from .conftest import PREFIX

    return str(PREFIX / "venv" / "bin" / "python")


def test_facilitator_and_trainer_land_where_their_role_works(hub):
    s = hub.session(hub.facilitator)
    r = s.get(f"{hub.url}/user/{hub.facilitator}/", timeout=300)
    assert r.status_code == 200 and urlsplit(r.url).path.endswith("voila/render/course/facilitator/index.ipynb")
    assert s.get(f"{hub.url}/user/{hub.facilitator}/lab", allow_redirects=False, timeout=60).status_code == 403

    t = hub.session(hub.trainer)
    r = t.get(f"{hub.url}/user/{hub.trainer}/", timeout=300)
    assert r.status_code == 200 and urlsplit(r.url).path == f"/user/{hub.trainer}/lab"
    r = t.get(f"{hub.url}/user/{hub.trainer}/formgrader", timeout=300)
    assert r.status_code == 200 and "formgrader" in r.text.lower()
    # a learner is refused the trainer's formgrader, and their own server has none
    learner = hub.session(hub.learners[0])
    assert learner.get(f"{hub.url}/user/{hub.trainer}/formgrader", timeout=60).status_code == 403
    assert learner.get(f"{hub.url}/user/{hub.learners[0]}/formgrader", timeout=60).status_code == 403
    # the quiz sources (answer keys) are the trainer's alone
    course = hub.home(hub.trainer) / "resilience-with-compassion"
    assert (course / "source").is_dir() and stat.S_IMODE(course.stat().st_mode) == 0o700
    assert hub.runuser(hub.learners[0], "ls", str(course), check=False).returncode != 0


def test_a_quiz_goes_round_the_shared_exchange(hub):
    from resilience_course.quiz.quizzes import load_all_quizzes

    quiz = load_all_quizzes(ROOT)[0]
    qid = quiz.assignment
    course = str(hub.home(hub.trainer) / "resilience-with-compassion")
    learner = hub.learners[2]

    def trainer(*args):
        return hub.runuser(hub.trainer, "nbgrader", *args, cwd=course)

    def student(*args):
        return hub.runuser(learner, "nbgrader", *args, cwd=str(hub.home(learner)))

    trainer("generate_assignment", qid, "--force")
    trainer("release_assignment", qid, "--force")
    listed = student("list")
    assert qid in listed.stdout + listed.stderr
    student("fetch_assignment", qid)
    notebook = hub.home(learner) / "quizzes" / qid / f"{qid}.ipynb"
    assert notebook.exists()
    # the learner answers every question correctly (edited as they would in the quiz page)
    nb = nbformat.read(notebook, as_version=4)
    for q in quiz.questions:
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == q.answer_cell_id:
                cell.source = cell.source.replace(f'{q.variable} = ""', f'{q.variable} = "{q.answer}"', 1)
    tmp = Path("/tmp") / f"{learner}-{uuid.uuid4().hex}.ipynb"
    tmp.write_text(nbformat.writes(nb))
    shutil.chown(tmp, user=learner)
    hub.runuser(learner, "cp", str(tmp), str(notebook))  # written by the learner's own account
    tmp.unlink()
    student("submit", qid)
    trainer("collect", qid)
    trainer("autograde", qid, "--create")
    trainer("generate_feedback", qid)
    trainer("release_feedback", qid)
    student("fetch_feedback", qid)
    feedback = list((hub.home(learner) / "quizzes" / qid / "feedback").rglob(f"{qid}.html"))
    assert feedback, "no feedback reached the learner"
    html = feedback[0].read_text()
    auto = sum(q.points for q in quiz.questions)
    assert f"Score: {auto}" in html or f"{auto}.0 / " in html or f">{auto}<" in html or str(auto) in html
    # another learner cannot list the hand-ins
    exchange = Path(json.loads((hub.state / "hub" / "settings.json").read_text())["exchange"])
    inbound = exchange / "resilience-with-compassion" / "inbound"
    assert hub.runuser(hub.learners[0], "ls", str(inbound), check=False).returncode != 0


HAND_IN = """
import json, sys
from resilience_course.cohort import model as co
from resilience_course.hub import drop
answers = {"doing": "good", "skill": "hope", "want": "talk", "note": sys.argv[1]}
print(drop.hand_in("check-in", json.dumps(co.make_check_in(co.load_survey("check-in"), answers, drop.cohort_code(),
                                                           "03"))))
"""
REPORT = """
import json
from resilience_course.cohort import model as co
from resilience_course.hub import drop
survey = co.load_survey("check-in")
result = co.read_responses(drop.folder("check-in"), survey, drop.cohort_code(), session="03")
summary = co.summarise_check_in(survey, result.valid)
print(json.dumps({"shown": summary.shown, "n": summary.n, "problem": result.problem, "html": summary.html}))
"""


def test_check_ins_reach_the_facilitator_through_the_drop_folder_from_five_on(hub):
    people = [*hub.learners, hub.trainer, hub.facilitator]  # anyone in the cohort may check in
    python = hub_python()
    handed = []
    for i, person in enumerate(people):
        path = hub.runuser(person, python, "-c", HAND_IN, f"note from person {i}").stdout.strip()
        handed.append(path)
        report = json.loads(hub.runuser(hub.facilitator, python, "-c", REPORT).stdout)
        assert report["shown"] is (i + 1 >= 5), report  # the rule of five
        if report["shown"]:
            assert report["n"] == 5 and "note from person 0" in report["html"]
    # nobody else can list the folder or read another person's response; a learner's report shows nothing
    folder = str(Path(handed[0]).parent)
    first, second = hub.learners[:2]
    assert hub.runuser(first, "ls", folder, check=False).returncode != 0
    assert hub.runuser(second, "cat", handed[0], check=False).returncode != 0
    assert hub.runuser(first, "cat", handed[0]).stdout  # the author can still read their own
    learner_report = json.loads(hub.runuser(second, python, "-c", REPORT).stdout)
    assert not learner_report["shown"] and learner_report["problem"], learner_report
    assert all(Path(p).stat().st_mode & 0o777 == 0o640 for p in handed)


def test_a_restart_of_the_hub_and_proxy_keeps_servers_and_data(hub):
    name = hub.learners[0]
    s = hub.session(name)
    before = hub.api(f"/users/{name}").json()["servers"][""]
    store = hub.home(name) / STORE
    saved = store.read_bytes() if store.exists() else None
    proxy_pid = (hub.state / "hub" / "proxy.pid").read_text().strip()
    restarts = hub.demo_log.read_text().count("The hub is running again")
    os.kill(hub.proc.pid, signal.SIGHUP)
    deadline = time.monotonic() + 300
    while hub.demo_log.read_text().count("The hub is running again") == restarts:
        assert hub.proc.poll() is None and time.monotonic() < deadline, hub.demo_log.read_text()[-2000:]
        time.sleep(0.5)
    assert (hub.state / "hub" / "proxy.pid").read_text().strip() != proxy_pid, "the proxy was not restarted"
    after = hub.api(f"/users/{name}").json()["servers"][""]
    assert after.get("ready") and after["started"] == before["started"], "the learner's server was restarted"
    if saved is not None:
        assert store.read_bytes() == saved
    # the learner's session still works through the new proxy, without logging in again
    r = s.get(f"{hub.url}/user/{name}/{HOME_PAGE}", timeout=300)
    assert r.status_code == 200 and urlsplit(r.url).path == f"/user/{name}/{HOME_PAGE}"


def test_the_idle_culler_and_activity(hub):
    # the culler asks the hub for users regularly; the hub records each learner's activity
    time.sleep(1)
    log = hub.log.read_text()
    assert "idle-culler" in log and "GET /hub/api/users" in log
