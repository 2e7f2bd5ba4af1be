"""The group tools' drop folders on the cohort server: hand in an anonymous response, never see others'.

On a learner's own computer a check-in or evaluation is a file the learner saves and sends. On the hub
each response goes straight into a shared *drop folder* instead:

* ``<public>/drop/<kind>/`` (``kind``: ``check-in``, ``evaluation``, ``benchmark``), owned by root and a
  Unix group of the cohort's facilitators, mode ``3773``: everyone can create a file in it (``-wx``) but
  only the facilitators can list or read it (``rwx``); the set-group-id bit gives each new file the
  facilitators' group and the sticky bit stops anyone deleting another's file;
* each response is written once under a random 128-bit name, mode 0640 (its author and the
  facilitators), so nobody can find another person's response without listing the folder;
* the facilitator's report reads the folder by itself: no files to pass around, no paths to type,
  and the rule of five still applies to what it shows.

:func:`folder` says where (from ``$RC_HUB_DROP``, set by the hub for everyone's server), or ``None``
off the hub; :func:`hand_in` writes a response; :func:`ensure` (root, run by the hub) makes the folders.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["DROP_ENV", "COHORT_ENV", "KINDS", "folder", "cohort_code", "hand_in", "ensure", "group_name"]

DROP_ENV = "RC_HUB_DROP"
COHORT_ENV = "RC_HUB_COHORT"
KINDS = ("check-in", "evaluation", "benchmark")
MODE = 0o3773  # (group rwx: facilitators hand in too; the sticky bit keeps files safe)


def folder(kind: str) -> Path | None:
    """The drop folder for *kind* on the hub, or ``None`` (a learner's own computer)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of response: {kind!r}")
    base = os.environ.get(DROP_ENV, "").strip()
    if not base:
        return None
    path = Path(base) / kind
    return path if path.is_dir() else None


def cohort_code(default: str = "") -> str:
    """The hub's cohort name (the group code the responses carry), or *default* off the hub."""
    return os.environ.get(COHORT_ENV, "").strip() or default


def hand_in(kind: str, text: str) -> Path:
    """Write *text* as a new response in the drop folder for *kind*; return its path (never shown).

    Raises ``OSError`` when there is no drop folder or it cannot be written (the page says so).
    """
    target = folder(kind)
    if target is None:
        raise FileNotFoundError(f"no drop folder for {kind} on this server")
    path = target / f"{secrets.token_hex(16)}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o640)
    try:
        os.fchmod(fd, 0o640)
        data = text.encode("utf-8")
        while data:
            data = data[os.write(fd, data):]
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def group_name(public_dir: str | Path) -> str:
    """The Unix group of one hub's facilitators (``rc-fac-`` and a short id of the hub)."""
    return f"rc-fac-{Path(public_dir).name[:10]}"


def ensure(public_dir: str | Path, facilitators: list[str]) -> Path:
    """Create the drop folders of one hub (root): the facilitators' group, its members and the folders."""
    import grp
    import subprocess

    group = group_name(public_dir)
    try:
        grp.getgrnam(group)
    except KeyError:
        subprocess.run(["groupadd", "--system", group], check=True, capture_output=True)
    members = set(grp.getgrnam(group).gr_mem)
    for name in facilitators:
        if name not in members:
            subprocess.run(["usermod", "--append", "--groups", group, name], check=True, capture_output=True)
    for name in members - set(facilitators):  # someone no longer a facilitator of this cohort
        subprocess.run(["gpasswd", "--delete", name, group], check=False, capture_output=True)
    gid = grp.getgrnam(group).gr_gid
    base = Path(public_dir) / "drop"
    base.mkdir(parents=True, exist_ok=True)
    os.chmod(base, 0o755)
    for kind in KINDS:
        path = base / kind
        path.mkdir(exist_ok=True)
        os.chown(path, 0, gid)
        os.chmod(path, MODE)
    return base


def remove_group(public_dir: str | Path) -> None:
    import subprocess

    subprocess.run(["groupdel", group_name(public_dir)], check=False, capture_output=True)
