"""``resilience-course hub demo``: a throwaway cohort on 127.0.0.1, removed again on Ctrl+C.

Accounts ``<prefix>learner-01`` ... ``-NN``, ``<prefix>facilitator`` and ``<prefix>trainer`` (prefix
``rc-demo-``), each with a random password; ``STATE/hub-demo.json`` (0600) holds
``{"url": ..., "api_token": ..., "users": {name: password}}`` where the token is an admin token for the
hub's REST API. SIGINT or SIGTERM stops the hub and everybody's servers and deletes the demo accounts
and their homes. SIGHUP restarts the hub and its proxy as ``systemctl restart`` would on a real server:
people's servers keep running and nothing they saved is lost.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import DEFAULT_PREFIX, accounts, drop, install, roster
from .runner import add_people, hub_command, hub_env, log_path, wait_until_up
from .settings import Settings, course_id_from, write_private

__all__ = ["run_demo", "demo_cohort", "DEMO_FILE"]

DEMO_FILE = "hub-demo.json"


def demo_cohort(learners: int, prefix: str = "rc-demo-") -> roster.Cohort:
    width = max(2, len(str(learners)))
    return roster.Cohort(name="demo", learners=[f"{prefix}learner-{i:0{width}d}" for i in range(1, learners + 1)],
                         facilitators=[f"{prefix}facilitator"], trainers=[f"{prefix}trainer"])


class _Stop(Exception):
    pass


def _stop(signum, frame):
    raise _Stop(signum)


_RESTART: list[int] = []


def _restart(signum, frame):
    _RESTART.append(signum)


def _start_hub(settings: Settings):
    cmd = hub_command(settings)
    with open(log_path(settings), "ab") as out:
        proc = subprocess.Popen(cmd, cwd=settings.hub_dir, env=hub_env(settings), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    wait_until_up(settings, proc)
    return proc


def run_demo(port: int, learners: int, state: str | Path, account_prefix: str = "rc-demo-",
             prefix: str | Path = DEFAULT_PREFIX, cull_timeout: int = 3600, log=print) -> int:
    accounts.require_root("The hub demo")
    if not 1 <= learners <= 99:
        log("--learners must be between 1 and 99")
        return 2
    problems = install.missing(prefix)
    if problems:
        log("The hub cannot start yet:\n  " + "\n  ".join(problems)
            + "\nRun `make hub-install` (or python -m resilience_course.hub.install) first.")
        return 1
    state = Path(state).resolve()
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o700)
    cohort = demo_cohort(learners, account_prefix)
    roster.save(cohort, state / "cohort.yml")
    # servers outlive a restart of the hub (SIGHUP), as on a real server; the demo's own clean-up stops them
    settings = Settings(state=str(state), cohort_file=str(state / "cohort.yml"), prefix=str(prefix), port=port,
                        cleanup_on_stop=False, cull_timeout=cull_timeout)
    settings.exchange = str(Path(settings.public_dir) / "exchange")
    settings.course_id = course_id_from(settings.assessments)
    shutil.rmtree(settings.hub_dir, ignore_errors=True)  # a fresh hub database each time
    settings.save()

    proc = None
    old = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    old[signal.SIGHUP] = signal.signal(signal.SIGHUP, _restart)
    try:
        log(f"Creating {len(cohort.people())} demo accounts ({account_prefix}...)")
        users = add_people(settings, replace_passwords=True, log=log)
        proc = _start_hub(settings)
        write_private(state / DEMO_FILE, json.dumps({"url": settings.url, "api_token": settings.admin_token(),
                                                     "users": users}, indent=2))
        log(f"The demo hub is at {settings.url}/ (log: {log_path(settings)}).\n"
            f"Accounts and passwords: {state / DEMO_FILE}. Press Ctrl+C to stop it and remove the demo accounts.")
        while proc.poll() is None or _RESTART:
            if _RESTART:
                _RESTART.clear()
                log("Restarting the hub and its proxy (people's servers keep running)...")
                _kill_group(proc)
                proc = _start_hub(settings)
                log("The hub is running again.")
            time.sleep(0.5)
        log(f"JupyterHub stopped by itself (exit status {proc.returncode}); see {log_path(settings)}")
        return 1
    except _Stop:
        log("Stopping the demo hub and removing the demo accounts...")
        return 0
    except Exception as exc:
        log(f"The demo hub could not start: {exc}")
        return 1
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        try:
            cleanup(settings, cohort, proc, log)
        finally:
            for sig, handler in old.items():
                signal.signal(sig, handler)


def _kill_group(proc, timeout: float = 30) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def _kill_pidfile(path: Path) -> None:
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            os.kill(pid, 0)
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass


def cleanup(settings: Settings, cohort: roster.Cohort, proc, log=print) -> None:
    """Stop the hub, its proxy and everybody's servers; delete the demo accounts, homes and files."""
    _kill_group(proc)
    _kill_pidfile(settings.hub_dir / "proxy.pid")
    ours = [name for name in cohort.people() if accounts.exists(name) and accounts.is_ours(name)]
    accounts.stop_processes(*ours)  # everybody's servers and kernels, all at once
    for name in ours:
        if accounts.exists(name):
            try:
                accounts.remove(name, delete_data=True)
            except accounts.AccountError as exc:
                log(f"  could not remove {name}: {exc}")
    drop.remove_group(settings.public_dir)
    shutil.rmtree(settings.public_dir, ignore_errors=True)
    shutil.rmtree(settings.hub_dir, ignore_errors=True)
    for path in Path(settings.state).glob("new-passwords-*.txt"):
        path.unlink()
    (Path(settings.state) / DEMO_FILE).unlink(missing_ok=True)
    log("The demo accounts and their homes are removed.")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run_demo(8000, 3, "hub-demo"))
