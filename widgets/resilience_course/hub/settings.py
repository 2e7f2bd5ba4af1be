"""A hub's settings: one small JSON file in its state folder, written by ``resilience-course hub``.

The state folder (mode 0700, root only) holds everything private to one hub:

* ``hub/settings.json``: this file's contents (:class:`Settings`);
* ``hub/jupyterhub.sqlite``, ``hub/jupyterhub_cookie_secret``, ``hub/proxy_token``: JupyterHub's own;
* ``hub/admin-token``: the API token of the ``course-admin`` service (an admin of the hub's REST API);
* ``new-passwords-<time>.txt``: initial passwords, one file per ``hub add`` (0600).

Everything each person's server must read (its Jupyter config, the nbgrader settings) lives in a
*public* folder, ``<prefix>/hubs/<id>/`` (0755, root-owned, no secrets), because people's servers
run as their own accounts and cannot enter the state folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import DEFAULT_EXCHANGE, DEFAULT_PREFIX

__all__ = ["Settings", "free_port", "SETTINGS_ENV"]

SETTINGS_ENV = "RC_HUB_SETTINGS"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_private(path: Path, text: str) -> None:
    """Write *text* to *path*, readable by its owner only (0600) from the first byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


@dataclass
class Settings:
    state: str
    cohort_file: str
    prefix: str = DEFAULT_PREFIX
    ip: str = "127.0.0.1"
    port: int = 8000
    hub_port: int = 0
    proxy_api_port: int = 0
    exchange: str = DEFAULT_EXCHANGE
    course_id: str = "resilience-with-compassion"
    cull_timeout: int = 3600  # seconds a server may sit idle before jupyterhub-idle-culler stops it
    cleanup_on_stop: bool = False  # stop everybody's servers when the hub stops (the demo does)
    enable_signup: bool = False  # NativeAuthenticator's sign-up page (cohort names only, approval needed)
    public_dir: str = ""
    extra_config: list = field(default_factory=list)  # config files loaded after the course's (e.g. SSO)
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        self.state = str(Path(self.state).resolve())
        self.cohort_file = str(Path(self.cohort_file).resolve())
        self.extra_config = [str(Path(p).resolve()) for p in self.extra_config]
        if not self.public_dir:
            digest = hashlib.sha256(self.state.encode()).hexdigest()[:10]
            self.public_dir = str(Path(self.prefix) / "hubs" / digest)
        if not self.hub_port:
            self.hub_port = free_port()
        if not self.proxy_api_port:
            self.proxy_api_port = free_port()

    # -- paths -----------------------------------------------------------------------------------
    @property
    def hub_dir(self) -> Path:
        return Path(self.state) / "hub"

    @property
    def etc_dir(self) -> Path:
        """The Jupyter config folder every person's server reads (``JUPYTER_CONFIG_PATH``)."""
        return Path(self.public_dir) / "etc" / "jupyter"

    @property
    def site(self) -> Path:
        """The read-only course (``course/`` and ``modules/``) that learners' pages render."""
        return Path(self.prefix) / "site"

    @property
    def assessments(self) -> Path:
        """The quiz sources (answer keys inside: root only), copied into each trainer's home."""
        return Path(self.prefix) / "assessments"

    @property
    def cache_dir(self) -> Path:
        """The content cache filled at install (course material only) that every learner's kernels read."""
        return Path(self.prefix) / "cache"

    @property
    def venv_bin(self) -> Path:
        return Path(self.prefix) / "venv" / "bin"

    @property
    def proxy_command(self) -> Path:
        return Path(self.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def url(self) -> str:
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"http://{host}:{self.port}"

    @property
    def settings_file(self) -> Path:
        return self.hub_dir / "settings.json"

    @property
    def admin_token_file(self) -> Path:
        return self.hub_dir / "admin-token"

    def admin_token(self) -> str:
        """The ``course-admin`` service's API token (made once, kept 0600 in the state folder)."""
        path = self.admin_token_file
        if not path.exists():
            import secrets

            write_private(path, secrets.token_hex(32))
        return path.read_text().strip()

    # -- saving ----------------------------------------------------------------------------------
    def save(self) -> Path:
        Path(self.state).mkdir(parents=True, exist_ok=True)
        os.chmod(self.state, 0o700)
        self.hub_dir.mkdir(exist_ok=True)
        os.chmod(self.hub_dir, 0o700)
        write_private(self.settings_file, json.dumps(asdict(self), indent=2))
        return self.settings_file

    @classmethod
    def load(cls, path: str | Path | None = None) -> Settings:
        path = Path(path or os.environ[SETTINGS_ENV])
        if path.is_dir():
            path = path / "hub" / "settings.json"
        return cls(**json.loads(path.read_text()))


def course_id_from(assessments: Path, default: str = "resilience-with-compassion") -> str:
    """The nbgrader course id set in ``assessments/nbgrader_config.py`` (read as text, never run)."""
    try:
        text = (assessments / "nbgrader_config.py").read_text(encoding="utf-8")
    except OSError:
        return default
    m = re.search(r"""CourseDirectory\.course_id\s*=\s*["']([A-Za-z0-9_.-]+)["']""", text)
    return m.group(1) if m else default
