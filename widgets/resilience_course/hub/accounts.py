"""Real Unix accounts for the people in a cohort file.

Every account this course creates carries :data:`MARKER` in its comment (GECOS) field, and only such
accounts are ever changed or removed: an existing account of the same name that the course did not
create is refused, never adopted. Homes are created mode 0700 (owner only).

* :func:`ensure` creates an account (or re-opens one that was removed with its data kept);
* :func:`remove` stops the person's processes and locks the account, keeping the home, or with
  ``delete_data=True`` deletes the account and its home (``userdel -r``).

All of this needs root (``useradd``/``userdel``/``usermod``).
"""

from __future__ import annotations

import os
import pwd
import signal
import subprocess
import time
from pathlib import Path

__all__ = ["AccountError", "MARKER", "exists", "is_ours", "is_closed", "ensure", "remove", "pids_of", "stop_processes",
           "remove_runtime_folders",
           "home_of", "require_root"]

MARKER = "resilience-course"
NOLOGIN = next((p for p in ("/usr/sbin/nologin", "/sbin/nologin") if os.path.exists(p)), "/bin/false")


class AccountError(RuntimeError):
    """An account could not be created, changed or removed (the message says why)."""


def require_root(what: str) -> None:
    if os.geteuid() != 0:
        raise AccountError(f"{what} needs root (it creates and removes Unix accounts): run it with sudo")


def _entry(name: str):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def exists(name: str) -> bool:
    return _entry(name) is not None


def is_ours(name: str) -> bool:
    entry = _entry(name)
    return bool(entry) and entry.pw_gecos.split(",")[0].startswith(MARKER)


def home_of(name: str) -> Path:
    entry = _entry(name)
    if entry is None:
        raise AccountError(f"there is no account called {name}")
    return Path(entry.pw_dir)


def _run(argv: list[str]) -> None:
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode:
        raise AccountError(f"{' '.join(argv)} failed: {(proc.stderr or proc.stdout).strip()}")


def ensure(name: str, cohort: str, home_root: str | Path = "/home") -> str:
    """Make sure the account *name* exists, is ours, is open and has a 0700 home.

    Returns ``"created"``, ``"reopened"`` or ``"unchanged"``.
    """
    require_root("Adding an account")
    entry = _entry(name)
    status = "unchanged"
    if entry is None:
        home = Path(home_root) / name
        _run(["useradd", "--create-home", "--home-dir", str(home), "--shell", NOLOGIN, "--user-group",
              "--comment", f"{MARKER} {cohort}"[:60], name])
        status = "created"
        entry = pwd.getpwnam(name)
    elif not is_ours(name):
        raise AccountError(f"the account {name} already exists and was not created by the course: "
                           "choose another name in the cohort file")
    elif is_closed(name):
        _run(["usermod", "--expiredate", "", name])
        status = "reopened"
    home = Path(entry.pw_dir)
    if not home.is_dir():
        home.mkdir(parents=True)
        os.chown(home, entry.pw_uid, entry.pw_gid)
    os.chmod(home, 0o700)
    return status


def is_closed(name: str) -> bool:
    """Whether :func:`remove` closed the account (it has an expiry date set: the course never sets one)."""
    line = subprocess.run(["getent", "shadow", name], capture_output=True, text=True).stdout.strip()
    fields = line.split(":")
    return len(fields) > 7 and fields[7] not in ("", "-1")


def _pids_of_uids(uids: set[int]) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            for line in status.read_text().splitlines():
                if line.startswith("Uid:"):
                    if int(line.split()[1]) in uids:  # real uid
                        pids.append(int(status.parent.name))
                    break
        except (OSError, ValueError):
            continue
    return pids


def pids_of(name: str) -> list[int]:
    """The process ids running as the account *name* (read from /proc)."""
    entry = _entry(name)
    return _pids_of_uids({entry.pw_uid}) if entry is not None else []


def _signal(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def remove_runtime_folders(name: str) -> int:
    """Remove the kernel runtime folders (``hub/launch.py``) that *name*'s stopped servers left in the
    temporary folder (a server stops its own; one killed cannot). Only folders the account owns; returns
    how many."""
    import shutil
    import tempfile

    from .launch import RUNTIME_PREFIX

    entry = _entry(name)
    if entry is None:
        return 0
    removed = 0
    for tmp in {Path("/tmp"), Path(tempfile.gettempdir())}:
        for folder in tmp.glob(f"{RUNTIME_PREFIX}*"):
            try:
                st = folder.lstat()
            except OSError:
                continue
            if st.st_uid == entry.pw_uid and folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    return removed


def stop_processes(*names: str, grace: float = 5.0) -> int:
    """Stop every process of the accounts *names*, all together: SIGTERM, then SIGKILL after *grace* seconds.

    Returns how many processes there were. (One account after another would make a cohort's clean-up
    last a minute or more: each server takes a few seconds to stop its kernels.)
    """
    uids = {entry.pw_uid for entry in map(_entry, names) if entry is not None}
    if not uids:
        return 0
    pids = _pids_of_uids(uids)
    _signal(pids, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while _pids_of_uids(uids) and time.monotonic() < deadline:
        time.sleep(0.1)
    _signal(_pids_of_uids(uids), signal.SIGKILL)
    deadline = time.monotonic() + 5
    while _pids_of_uids(uids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return len(pids)


def remove(name: str, delete_data: bool = False) -> str:
    """Stop *name*'s processes and lock the account (home kept), or delete it and its home.

    Returns ``"locked"``, ``"deleted"`` or ``"absent"``.
    """
    require_root("Removing an account")
    if not exists(name):
        return "absent"
    if not is_ours(name):
        raise AccountError(f"the account {name} was not created by the course; it is left alone")
    stop_processes(name)
    remove_runtime_folders(name)
    if delete_data:
        _run(["userdel", "--remove", name])
        return "deleted"
    _run(["usermod", "--expiredate", "1", name])  # expired: no login of any kind (it never had a password)
    return "locked"
