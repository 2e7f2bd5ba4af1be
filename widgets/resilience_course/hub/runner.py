"""Adding and removing people, and starting the hub: what ``resilience-course hub`` does.

* :func:`add_people`: accounts, groups and initial passwords for everyone in the cohort file
  (idempotent: people who already have an account and a password are left as they are);
* :func:`remove_person`: one person out of the cohort file, their server stopped, their account
  locked and their home kept (or, when asked, deleted);
* :func:`hub_command` / :func:`wait_until_up`: the JupyterHub process and its readiness.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import accounts, passwords, roster
from .settings import SETTINGS_ENV, Settings

__all__ = ["add_people", "remove_person", "hub_command", "hub_env", "wait_until_up", "api"]

CONFIG = ("# Written by resilience-course hub; the settings are in settings.json beside this file.\n"
          "from resilience_course.hub.config import configure\n\n"
          "settings = configure(get_config())  # noqa: F821\n"
          "for path in settings.extra_config:  # e.g. single sign-on (deploy/hub/sso.example.py)\n"
          "    load_subconfig(path)  # noqa: F821\n")


def add_people(settings: Settings, replace_passwords: bool = False, log=print) -> dict[str, str]:
    """Create or re-open every account in the cohort file; return the passwords issued now."""
    cohort = roster.load(settings.cohort_file)
    for name, role in cohort.people().items():
        status = accounts.ensure(name, cohort.name)
        if status != "unchanged":
            log(f"  {name} ({role[:-1]}): account {status}")
    issued = passwords.issue(settings, list(cohort.people()), replace=replace_passwords)
    return issued


def remove_person(settings: Settings, name: str, delete_data: bool = False, log=print) -> str:
    """Take *name* out of the cohort: off the cohort file, server stopped, account locked (or deleted)."""
    cohort = roster.load(settings.cohort_file)
    role = cohort.role_of(name)
    if role:
        getattr(cohort, role).remove(name)
        roster.save(cohort, settings.cohort_file)
        log(f"  {name} is no longer in {settings.cohort_file}")
    token = settings.admin_token_file.exists() and settings.admin_token()
    if token:
        try:  # a running hub stops their server and forgets them at once
            api(settings, f"/users/{name}", method="DELETE")
        except OSError:
            pass
    passwords.forget(settings, name)
    status = accounts.remove(name, delete_data=delete_data)
    log(f"  {name}: account {status}" + ("" if delete_data else " (their home and its data are kept)"))
    return status


def hub_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "RESILIENCE_COURSE", "VIRTUAL_ENV"))}
    env[SETTINGS_ENV] = str(settings.settings_file)
    env["PATH"] = f"{settings.venv_bin}:{env.get('PATH', '/usr/bin:/bin')}"
    return env


def hub_command(settings: Settings) -> list[str]:
    """Write the hub's config file and return the command that starts JupyterHub with it."""
    settings.save()
    config = settings.hub_dir / "jupyterhub_config.py"
    config.write_text(CONFIG)
    return [str(settings.venv_bin / "jupyterhub"), "-f", str(config)]


def api(settings: Settings, path: str, method: str = "GET", body: dict | None = None, timeout: float = 10):
    """Call the hub's REST API as the ``course-admin`` service; return the decoded JSON (or None)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{settings.url}/hub/api{path}", data=data, method=method,
                                 headers={"Authorization": f"token {settings.admin_token()}"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        raw = resp.read()
    return json.loads(raw) if raw else None


def wait_until_up(settings: Settings, proc=None, timeout: float = 90) -> None:
    """Wait until the hub answers its API through the proxy; raise if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"JupyterHub stopped while starting (exit status {proc.returncode}); "
                               f"see {settings.hub_dir / 'jupyterhub.log'}")
        try:
            api(settings, "/", timeout=2)
            return
        except (OSError, urllib.error.URLError) as exc:
            last = exc
        time.sleep(0.3)
    raise RuntimeError(f"JupyterHub did not answer on {settings.url} within {timeout:.0f} s ({last})")


def log_path(settings: Settings) -> Path:
    return settings.hub_dir / "jupyterhub.log"
