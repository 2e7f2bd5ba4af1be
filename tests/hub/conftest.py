"""A real cohort server for the hub tests: ``resilience-course hub demo`` on 127.0.0.1.

The hub runs from the hub environment (``/opt/resilience-course``, or ``$RC_HUB_PREFIX``), which the
session fixture builds or updates from this clone first (idempotent: a second run takes seconds).
Accounts are ``rc-t-learner-01..03``, ``rc-t-facilitator`` and ``rc-t-trainer`` (``rc-tN-`` under
pytest-xdist worker N); the teardown checks that no account, home, process or port is left behind.
Needs root (real Unix accounts): CI runs ``make test`` as root.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser.conftest import browser  # noqa: F401  (the session's Chromium, shared with the browser tests)

ROOT = Path(__file__).resolve().parents[2]
PREFIX = Path(os.environ.get("RC_HUB_PREFIX", "/opt/resilience-course"))
START_TIMEOUT = 300  # seconds: on two busy cores the first start of each server is slow
HTTP_TIMEOUT = 300


def _worker_prefix() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    digits = re.sub(r"\D", "", worker)
    return f"rc-t{digits}-" if digits else "rc-t-"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def our_accounts(prefix: str) -> list[str]:
    return [p.pw_name for p in pwd.getpwall() if p.pw_name.startswith(prefix)]


def login(base: str, name: str, password: str):
    """A requests session logged in through the hub's real login form (``_xsrf`` and all)."""
    import requests

    s = requests.Session()
    s.get(f"{base}/hub/login", timeout=HTTP_TIMEOUT).raise_for_status()
    r = s.post(f"{base}/hub/login", data={"username": name, "password": password, "_xsrf": s.cookies.get("_xsrf")},
               allow_redirects=False, timeout=HTTP_TIMEOUT)
    assert r.status_code == 302, f"login of {name} failed: {r.status_code}"
    return s


@dataclass
class Hub:
    url: str
    token: str
    users: dict[str, str]
    state: Path
    prefix: str
    log: Path
    proc: subprocess.Popen
    demo_log: Path
    sessions: dict = field(default_factory=dict)

    @property
    def learners(self) -> list[str]:
        return sorted(n for n in self.users if "-learner-" in n)

    @property
    def facilitator(self) -> str:
        return f"{self.prefix}facilitator"

    @property
    def trainer(self) -> str:
        return f"{self.prefix}trainer"

    def api(self, path: str, method: str = "GET", **kw):
        import requests

        return requests.request(method, f"{self.url}/hub/api{path}", headers={"Authorization": f"token {self.token}"},
                                timeout=HTTP_TIMEOUT, **kw)

    def session(self, name: str):
        """A logged-in session for *name* whose server is running (started once, then reused)."""
        if name not in self.sessions:
            s = login(self.url, name, self.users[name])
            self.start(name)
            self.sessions[name] = s
        return self.sessions[name]

    def start(self, name: str) -> None:
        r = self.api(f"/users/{name}/server", method="POST")
        assert r.status_code in (201, 202, 400), r.text  # 400: already running
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            server = (self.api(f"/users/{name}").json().get("servers") or {}).get("", {})
            if server.get("ready"):
                return
            if not server:
                raise AssertionError(f"{name}'s server stopped while starting; see {self.log}")
            time.sleep(0.5)
        raise AssertionError(f"{name}'s server did not start within {START_TIMEOUT} s; see {self.log}")

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(name).pw_dir)

    def runuser(self, name: str, *argv: str, cwd: str | None = None, check: bool = True, env: dict | None = None):
        """Run *argv* as the account *name* (``runuser``), with the environment its server has."""
        settings = json.loads((self.state / "hub" / "settings.json").read_text())
        base_env = {"HOME": str(self.home(name)), "USER": name, "LANG": "C.UTF-8",
                    "PATH": f"{PREFIX}/venv/bin:/usr/bin:/bin",
                    "JUPYTER_CONFIG_PATH": f"{settings['public_dir']}/etc/jupyter",
                    "RESILIENCE_COURSE_DATA_DIR": str(self.home(name) / ".local/share/resilience-course"),
                    "RESILIENCE_COURSE_ROOT": f"{PREFIX}/site",
                    "RC_HUB_DROP": f"{settings['public_dir']}/drop", "RC_HUB_COHORT": "demo"}
        base_env.update(env or {})
        cmd = ["runuser", "-u", name, "--", "env", "-i", *(f"{k}={v}" for k, v in base_env.items()), *argv]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd or "/", timeout=600)
        if check and proc.returncode:
            raise AssertionError(f"{' '.join(argv)} as {name} failed ({proc.returncode}):\n"
                                 f"{proc.stdout}\n{proc.stderr}")
        return proc


def _runtime_folders(names: list[str]) -> list[Path]:
    """The kernel runtime folders (hub/launch.py) in /tmp owned by the accounts *names*."""
    from resilience_course.hub.launch import RUNTIME_PREFIX

    uids = set()
    for name in names:
        try:
            uids.add(pwd.getpwnam(name).pw_uid)
        except KeyError:
            pass
    return [p for p in Path("/tmp").glob(f"{RUNTIME_PREFIX}*") if p.lstat().st_uid in uids]


def _remove_leftovers(prefix: str) -> None:
    from resilience_course.hub import accounts

    for name in our_accounts(prefix):
        if accounts.is_ours(name):
            accounts.remove(name, delete_data=True)


@pytest.fixture(scope="session")
def hub_environment():
    if os.geteuid() != 0:
        pytest.skip("the hub tests create real Unix accounts: run them as root (CI runs make test as root)")
    from resilience_course.hub import install

    install.ensure(PREFIX, ROOT, log=lambda *a: None)
    problems = install.missing(PREFIX)
    assert not problems, problems
    return PREFIX


@pytest.fixture(scope="session")
def hub(hub_environment, tmp_path_factory):
    prefix = _worker_prefix()
    _remove_leftovers(prefix)
    state = tmp_path_factory.mktemp("hub-state")
    log = tmp_path_factory.mktemp("hub-log") / "demo.log"
    port = _free_port()
    cmd = [str(PREFIX / "venv" / "bin" / "resilience-course"), "hub", "demo", "--port", str(port), "--learners", "3",
           "--state", str(state), "--account-prefix", prefix, "--prefix", str(PREFIX)]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESILIENCE_COURSE", "JUPYTER", "VIRTUAL_ENV"))}
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    demo_file = state / "hub-demo.json"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while not demo_file.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the demo hub did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        time.sleep(0.2)
        info = json.loads(demo_file.read_text())
        yield Hub(url=info["url"], token=info["api_token"], users=info["users"], state=state, prefix=prefix,
                  log=state / "hub" / "jupyterhub.log", proc=proc, demo_log=log)
    finally:
        names = our_accounts(prefix)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(180)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(30)
        leftovers = our_accounts(prefix)
        runtime = _runtime_folders(names)
        _remove_leftovers(prefix)  # never leave accounts behind, even when the demo's own cleanup failed
        homes = [h for h in Path("/home").glob(f"{prefix}*")]
        assert not leftovers, f"the demo left accounts behind: {leftovers}"
        assert not homes, f"the demo left homes behind: {homes}"
        assert names, "no accounts were created"
        assert not _port_open(port), f"port {port} is still open after the demo stopped"
        assert not demo_file.exists(), "hub-demo.json (passwords, admin token) was left behind"
        assert not runtime, f"the learners' servers left their kernel folders behind: {runtime}"
