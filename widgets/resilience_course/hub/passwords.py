"""Initial passwords for the cohort server (NativeAuthenticator's records in the hub's database).

``resilience-course hub add`` gives each new person a random password of their own (never a shared
or default one), stores only its bcrypt hash in the hub's database, and writes the passwords once to
``<state>/new-passwords-<time>.txt`` (0600, root only) for the facilitator to hand out in person.
Each person then chooses their own at ``/hub/change-password``.
"""

from __future__ import annotations

import secrets
import string
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from .settings import Settings, write_private

__all__ = ["new_password", "issue", "forget", "has_password", "write_new_passwords"]

# no look-alike characters (0/O, 1/l/I): passwords are read off a sheet of paper
ALPHABET = "".join(ch for ch in string.ascii_letters + string.digits if ch not in "0O1lI")


def new_password(length: int = 14) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


@contextmanager
def _session(settings: Settings):
    from jupyterhub import orm
    from nativeauthenticator.orm import UserInfo  # noqa: F401  (registers the users_info table)

    settings.hub_dir.mkdir(parents=True, exist_ok=True)
    factory = orm.new_session_factory(f"sqlite:///{settings.hub_dir / 'jupyterhub.sqlite'}")
    db = factory()
    try:
        yield db
        db.commit()
    finally:
        db.close()
    (settings.hub_dir / "jupyterhub.sqlite").chmod(0o600)


def has_password(settings: Settings, name: str) -> bool:
    from nativeauthenticator.orm import UserInfo

    with _session(settings) as db:
        return UserInfo.find(db, name) is not None


def issue(settings: Settings, names: list[str], replace: bool = False) -> dict[str, str]:
    """Give each of *names* without a password (every one, with *replace*) a new one; return them."""
    import bcrypt
    from nativeauthenticator.orm import UserInfo

    issued: dict[str, str] = {}
    with _session(settings) as db:
        for name in names:
            info = UserInfo.find(db, name)
            if info is not None and not replace:
                continue
            password = new_password()
            hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
            if info is None:
                db.add(UserInfo(username=name, password=hashed, is_authorized=True))
            else:
                info.password = hashed
                info.is_authorized = True
            issued[name] = password
    return issued


def forget(settings: Settings, name: str) -> bool:
    """Remove *name*'s password record (they can no longer log in). Returns whether there was one."""
    from jupyterhub import orm
    from nativeauthenticator.orm import UserInfo

    with _session(settings) as db:
        info = UserInfo.find(db, name)
        if info is not None:
            db.delete(info)
        user = db.query(orm.User).filter_by(name=name).first()
        if user is not None:
            db.delete(user)
        return info is not None


def write_new_passwords(settings: Settings, issued: dict[str, str]) -> Path | None:
    """Write *issued* to a new 0600 file in the state folder (for handing out); return its path."""
    if not issued:
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    path = Path(settings.state) / f"new-passwords-{stamp}.txt"
    lines = [f"# Initial passwords for {settings.url}/hub/login (hand each one to its owner; each person",
             "# then chooses their own at /hub/change-password). Delete this file once handed out.", ""]
    lines += [f"{name}\t{password}" for name, password in sorted(issued.items())]
    write_private(path, "\n".join(lines) + "\n")
    return path
