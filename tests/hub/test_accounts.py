"""``resilience-course hub add`` and ``hub remove`` with real Unix accounts (root only; no hub needed).

Adding is idempotent; removing keeps the person's data unless told otherwise; an account the course
did not create is never touched. Accounts are ``rc-u-*`` and are all deleted afterwards.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import time

import pytest
from resilience_course.hub import accounts

from .conftest import PREFIX

pytestmark = [pytest.mark.hub, pytest.mark.xdist_group("hub")]

NAMES = ["rc-u-ann", "rc-u-bob", "rc-u-tr"]
FOREIGN = "rc-u-foreign"


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@pytest.fixture
def cli(hub_environment, tmp_path):
    for name in [*NAMES, FOREIGN]:
        if _exists(name):
            subprocess.run(["userdel", "--remove", name], capture_output=True)
    cohort = tmp_path / "cohort.yml"
    cohort.write_text("cohort: unit\nlearners: [rc-u-ann, rc-u-bob]\ntrainers: [rc-u-tr]\n")
    state = tmp_path / "state"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESILIENCE_COURSE", "JUPYTER", "VIRTUAL_ENV"))}

    def run(*args, check=True):
        proc = subprocess.run([str(PREFIX / "venv/bin/resilience-course"), "hub", *args, "--cohort", str(cohort),
                               "--state", str(state), "--prefix", str(PREFIX), "--exchange", str(tmp_path / "ex")],
                              capture_output=True, text=True, env=env, timeout=300)
        if check:
            assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    run.cohort, run.state = cohort, state
    yield run
    for name in [*NAMES, FOREIGN]:
        if _exists(name):
            accounts.stop_processes(name)
            subprocess.run(["userdel", "--remove", name], capture_output=True)
    assert not any(_exists(n) for n in [*NAMES, FOREIGN])
    settings = state / "hub" / "settings.json"
    if settings.exists():  # the public folder `hub add` wrote for this state (no secrets, but leave nothing)
        shutil.rmtree(json.loads(settings.read_text())["public_dir"], ignore_errors=True)


def _locked(name: str) -> bool:
    return accounts.is_closed(name)


def test_add_is_idempotent_and_remove_keeps_data_unless_told(cli):
    first = cli("add")
    files = sorted(cli.state.glob("new-passwords-*.txt"))
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    lines = [line.split("\t") for line in files[0].read_text().splitlines() if line and not line.startswith("#")]
    assert sorted(n for n, _ in lines) == sorted(NAMES) and len({p for _, p in lines}) == 3
    assert all(len(p) >= 12 for _, p in lines) and str(files[0]) in first.stdout
    for name in NAMES:
        entry = pwd.getpwnam(name)
        assert stat.S_IMODE(os.stat(entry.pw_dir).st_mode) == 0o700 and entry.pw_gecos.startswith("resilience-course")
        assert entry.pw_shell.endswith(("nologin", "false"))
    again = cli("add")
    assert "already has an account" in again.stdout and len(list(cli.state.glob("new-passwords-*.txt"))) == 1

    home = pwd.getpwnam("rc-u-ann").pw_dir
    note = os.path.join(home, "my-reflections.txt")
    with open(note, "w") as fh:
        fh.write("kept")
    cli("remove", "rc-u-ann")
    assert _exists("rc-u-ann") and _locked("rc-u-ann") and open(note).read() == "kept"
    assert "rc-u-ann" not in cli.cohort.read_text()
    # added back later: the same account and data, open again, with a new password
    cli.cohort.write_text("cohort: unit\nlearners: [rc-u-ann, rc-u-bob]\ntrainers: [rc-u-tr]\n")
    cli("add")
    assert not _locked("rc-u-ann") and open(note).read() == "kept"
    assert len(list(cli.state.glob("new-passwords-*.txt"))) == 2

    cli("remove", "rc-u-bob", "--delete-data")
    assert not _exists("rc-u-bob") and not os.path.exists("/home/rc-u-bob")


def test_an_account_the_course_did_not_create_is_never_touched(cli):
    subprocess.run(["useradd", "--create-home", FOREIGN], check=True)
    cli.cohort.write_text(f"cohort: unit\nlearners: [{FOREIGN}]\n")
    out = cli("add", check=False)
    assert out.returncode != 0 and "was not created by the course" in out.stderr
    out = cli("remove", FOREIGN, "--delete-data", check=False)
    assert out.returncode != 0 and _exists(FOREIGN) and os.path.isdir(f"/home/{FOREIGN}")


SLOW_TO_STOP = ("import signal, sys, time\n"
                "signal.signal(signal.SIGTERM, lambda *a: (time.sleep(2), sys.exit(0)))\n"
                "print('ready', flush=True)\n"
                "time.sleep(300)\n")


def test_everybodys_processes_are_stopped_together(cli):
    """A cohort's clean-up (Ctrl+C on the demo) stops all its people's servers at once: each server takes
    a few seconds to stop its kernels, so one person after another made it last minutes for a room."""
    cli("add")
    procs = [subprocess.Popen(["runuser", "-u", name, "--", "python3", "-c", SLOW_TO_STOP], stdout=subprocess.PIPE,
                              text=True, cwd="/") for name in NAMES]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    t0 = time.monotonic()
    stopped = accounts.stop_processes(*NAMES, grace=10)
    took = time.monotonic() - t0
    assert stopped >= 3 and not any(accounts.pids_of(n) for n in NAMES)
    assert took < 5, f"{took:.1f} s: the accounts were stopped one after another (each takes 2 s)"
    for proc in procs:
        proc.wait(10)
