"""Logging in while the rest of the room logs in: the hub's password check (CohortAuthenticator).

bcrypt takes about 0.3 s of CPU per check here, by design. NativeAuthenticator ran it on the hub's event
loop, so with 25 learners logging in at once the hub answered nothing else for many seconds, not even the
scripts of its own "server starting" page (which then gave up and never moved on). These tests run the
authenticator in the hub environment's Python (JupyterHub and NativeAuthenticator live there) against a
database of its own; no hub, no accounts.
"""

from __future__ import annotations

import json
import subprocess

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.xdist_group("hub")]

SCRIPT = r"""
import asyncio, json, time
import bcrypt
from jupyterhub import orm
from nativeauthenticator.orm import UserInfo
from resilience_course.hub.config import CohortAuthenticator

db = orm.new_session_factory("sqlite://")()
people = {f"hv-{i}": f"password-number-{i}" for i in range(4)}
for name, password in people.items():
    db.add(UserInfo(username=name, password=bcrypt.hashpw(password.encode(), bcrypt.gensalt()), is_authorized=True))
db.commit()
auth = CohortAuthenticator(_deprecated_db_session=db, allowed_users=set(people), allowed_failed_logins=3)

async def main():
    gaps, done = [], False
    async def tick():  # how long the event loop is kept from anything else (a page, a script, the proxy)
        last = time.monotonic()
        while not done:
            await asyncio.sleep(0.005)
            now = time.monotonic(); gaps.append(now - last); last = now
    ticker = asyncio.ensure_future(tick())
    t0 = time.monotonic()
    names = await asyncio.gather(*(auth.authenticate(None, {"username": n, "password": p}) for n, p in people.items()))
    took = time.monotonic() - t0
    wrong = [await auth.authenticate(None, {"username": "hv-0", "password": "not-it"}) for _ in range(3)]
    locked = await auth.authenticate(None, {"username": "hv-0", "password": people["hv-0"]})
    unknown = await auth.authenticate(None, {"username": "nobody", "password": "x"})
    done = True
    await ticker
    t = time.monotonic(); bcrypt.checkpw(b"x", bcrypt.hashpw(b"x", bcrypt.gensalt())); one = time.monotonic() - t
    print(json.dumps({"names": names, "took": took, "max_gap": max(gaps), "one_check": one, "wrong": wrong,
                      "locked": locked, "unknown": unknown}))

asyncio.run(main())
"""


def test_passwords_are_checked_without_stopping_the_hub(hub_environment):
    python = str(hub_environment / "venv" / "bin" / "python")
    proc = subprocess.run([python, "-c", SCRIPT], capture_output=True, text=True, timeout=300, cwd="/")
    assert proc.returncode == 0, proc.stderr[-3000:]
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    assert r["names"] == [f"hv-{i}" for i in range(4)]  # the right passwords let each person in
    # four checks ran while the loop kept turning: it never stopped for as long as 0.8 of one bcrypt operation
    # (a check in the loop would stop it for a whole one, at least; "one_check" times two of them, a hash and
    # a check). Measured in the same run, so both cores busy with other tests slow both alike: a fixed 0.15 s
    # bound failed so once, a 0.162 s gap beside 1.86 s of bcrypt; half an operation failed once in make test,
    # a 0.265 s gap (the loop's thread waiting for a core beside four hashing threads) beside 0.46 s for one.
    assert r["max_gap"] < 0.8 * r["one_check"] / 2, r
    # NativeAuthenticator's rules still hold: a wrong password, the lock-out after 3 failures, unknown names
    assert r["wrong"] == [None, None, None] and r["locked"] is None and r["unknown"] is None
