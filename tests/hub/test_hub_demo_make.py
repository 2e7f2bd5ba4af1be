"""``make hub-demo PORT=... LEARNERS=N STATE=DIR`` as the README gives it, and Ctrl+C.

Ctrl+C in a terminal sends SIGINT to the whole foreground process group (make and the demo under it):
the demo must stop the hub and everybody's servers and remove the demo accounts, their homes and the
passwords file, however make itself reacts. The accounts are the README's own (``rc-demo-*``), so the
test does not run while someone's demo is up on this machine.
"""

from __future__ import annotations

import json
import os
import pwd
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import PREFIX, ROOT, _free_port, _port_open

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.xdist_group("hub")]


def _demo_accounts() -> list[str]:
    return [p.pw_name for p in pwd.getpwall() if p.pw_name.startswith("rc-demo-")]


def test_make_hub_demo_starts_a_cohort_and_ctrl_c_removes_it(hub_environment, tmp_path):
    if _demo_accounts():
        pytest.skip(f"a hub demo seems to be running on this machine ({_demo_accounts()[0]} exists)")
    port, state, log = _free_port(), tmp_path / "state", tmp_path / "make.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESILIENCE_COURSE", "JUPYTER", "VIRTUAL_ENV",
                                                                       "MAKE", "MFLAGS"))}
    with open(log, "wb") as out:
        make = subprocess.Popen(["make", "-C", str(ROOT), "--no-print-directory", "hub-demo", f"PORT={port}",
                                 "LEARNERS=2", f"STATE={state}", f"HUB_PREFIX={PREFIX}"],
                                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    demo_file = state / "hub-demo.json"
    try:
        deadline = time.monotonic() + 300
        while not demo_file.exists():
            assert make.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.3)
        time.sleep(0.3)
        assert stat.S_IMODE(demo_file.stat().st_mode) == 0o600
        info = json.loads(demo_file.read_text())
        assert info["url"] == f"http://127.0.0.1:{port}"
        assert set(info["users"]) == {"rc-demo-learner-01", "rc-demo-learner-02", "rc-demo-facilitator",
                                      "rc-demo-trainer"}
        import requests

        r = requests.get(f"{info['url']}/hub/api/users", headers={"Authorization": f"token {info['api_token']}"},
                         timeout=60)
        assert r.status_code == 200 and len(r.json()) == 4  # the token is an admin token for the REST API
        public = Path(json.loads((state / "hub" / "settings.json").read_text())["public_dir"])
        assert public.is_dir()
        os.killpg(make.pid, signal.SIGINT)  # Ctrl+C
        make.wait(180)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGTERM)
            make.wait(180)
        for name in _demo_accounts():  # never leave accounts behind, even if the demo failed to
            subprocess.run(["userdel", "--remove", name], capture_output=True)
    text = log.read_text()
    assert "The demo accounts and their homes are removed." in text, text[-3000:]
    assert not _demo_accounts() and not list(Path("/home").glob("rc-demo-*"))
    assert not demo_file.exists() and not list(state.glob("new-passwords-*.txt"))
    assert not _port_open(port) and not public.exists()
