"""The JupyterHub configuration of the cohort server.

``deploy/hub/jupyterhub_config.py`` (and the config that ``resilience-course hub run`` writes) is two
lines: it calls :func:`configure` with the hub's :class:`~.settings.Settings`. Everything is here:

* the proxy: configurable-http-proxy from ``<prefix>/node`` (npm), its API on 127.0.0.1 only;
* people: the cohort file's names are the only users (``allowed_users``), in the groups
  ``learners``, ``facilitators`` and ``trainers``; nobody is a hub admin;
* passwords: :class:`CohortAuthenticator` (NativeAuthenticator, initial passwords from ``hub add``,
  changed at ``/hub/change-password``; sign-up, if switched on, only for names in the cohort file and
  only after approval);
* servers: :class:`CourseSpawner` (LocalProcessSpawner: each person's server runs as their own Unix
  account, from their home, which is 0700, started by :mod:`.launch`); learners and facilitators land
  on course pages and get nothing else (:mod:`.singleuser`), with a spare kernel ready and the shared
  content cache (:mod:`.install`); trainers get JupyterLab and nbgrader's formgrader;
* many people at once: passwords are checked off the hub's event loop (:class:`CohortAuthenticator`),
  nobody is turned away while others' servers start (``concurrent_spawn_limit``), and the "server
  starting" page cannot stall (``templates/spawn_pending.html``);
* services: ``idle-culler`` (jupyterhub-idle-culler) and ``course-admin`` (an API token for the
  person running the hub).

Single sign-on instead of passwords: see ``deploy/hub/sso.example.py``.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import sys
from pathlib import Path

from . import ROLES, drop, roster
from .settings import Settings

__all__ = ["configure", "write_public", "shared_cache", "ROLE_HOME", "DATA_SUBDIR", "QUIZ_SUBDIR",
           "TEMPLATES"]

# where each role lands after logging in (below /user/NAME/)
ROLE_HOME = {
    "learners": "/voila/render/course/home.ipynb",
    "facilitators": "/voila/render/course/facilitator/index.ipynb",
    "trainers": "/lab",
}
DATA_SUBDIR = ".local/share/resilience-course"  # the learner's store, in their own home
QUIZ_SUBDIR = "quizzes"  # where nbgrader puts a learner's fetched quizzes (in their home)
TEMPLATES = Path(__file__).resolve().parent / "templates"  # the hub's own pages (over JupyterHub's)


def write_public(settings: Settings) -> None:
    """Write the public folder every person's server reads: Jupyter configs per role, nbgrader settings."""
    etc = settings.etc_dir
    etc.mkdir(parents=True, exist_ok=True)
    for folder in (Path(settings.public_dir), etc.parent, etc):
        os.chmod(folder, 0o755)
    for role in ROLES:
        (etc / f"server_{role}.py").write_text(
            "# Written by resilience-course hub: the Jupyter Server settings for this role.\n"
            "from resilience_course.hub.singleuser import server_config\n\n"
            f"server_config(get_config(), {role!r})  # noqa: F821\n")
    (etc / "nbgrader_config.py").write_text(
        "# Written by resilience-course hub: nbgrader on the cohort server (one shared exchange).\n"
        "import os\n\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {settings.course_id!r}\n"
        f"c.Exchange.root = {settings.exchange!r}\n"
        f"c.Exchange.assignment_dir = os.path.join(os.path.expanduser('~'), {QUIZ_SUBDIR!r})\n")
    for path in etc.iterdir():
        os.chmod(path, 0o644)
    ensure_exchange(settings.exchange)


def ensure_exchange(root: str | Path) -> None:
    """The shared nbgrader exchange: everyone may create in it, nobody may remove another's files.

    nbgrader's documentation asks for a folder everyone can read and write; the sticky bit (1777, as
    on /tmp) keeps one person from deleting or renaming another's course folder. nbgrader sets the
    permissions inside it itself (``inbound`` 733: learners can hand in but not list others' work).
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o1777)


def _spawner_class():
    from jupyterhub.spawner import LocalProcessSpawner
    from traitlets import Unicode

    from ..ui.session import WARM_CHARTS_ENV
    from .singleuser import COURSE_ONLY, voila_config_dir

    class CourseSpawner(LocalProcessSpawner):
        """Each person's server runs as their own Unix account; what it serves depends on their role."""

        settings_file = Unicode("", config=True, help="The hub's settings.json")
        shared_cache = Unicode("", config=True,
                               help="The content cache every course server's kernels read (empty: each "
                                    "person's own, in their home)")

        def _settings(self) -> Settings:
            return Settings.load(self.settings_file)

        def role(self) -> str:
            names = {g.name for g in self.user.groups}
            for role in ("trainers", "facilitators", "learners"):
                if role in names:
                    return role
            return "learners"

        def prepare_home(self, settings: Settings, role: str) -> Path:
            entry = pwd.getpwnam(self.user.name)
            home = Path(entry.pw_dir)
            os.chmod(home, 0o700)
            for sub in (".local", ".local/share", DATA_SUBDIR, QUIZ_SUBDIR):
                path = home / sub
                if not path.exists():
                    path.mkdir()
                    os.chown(path, entry.pw_uid, entry.pw_gid)
            os.chmod(home / DATA_SUBDIR, 0o700)
            if role == "trainers":
                course = home / settings.course_id
                if not course.exists() and settings.assessments.is_dir():
                    shutil.copytree(settings.assessments, course)
                    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as fh:
                        fh.write("\n# The cohort server's shared exchange (written by resilience-course hub)\n"
                                 f"c.Exchange.root = {settings.exchange!r}\n")
                    for dirpath, dirnames, filenames in os.walk(course):
                        for name in [dirpath, *(os.path.join(dirpath, f) for f in dirnames + filenames)]:
                            os.chown(name, entry.pw_uid, entry.pw_gid)
                    os.chmod(course, 0o700)
                return course
            return settings.site

        async def start(self):
            settings = self._settings()
            role = self.role()
            self.notebook_dir = str(self.prepare_home(settings, role))
            self.default_url = ROLE_HOME[role]
            self._rc_config = str(settings.etc_dir / f"server_{role}.py")
            # a course-only server reads no configuration, extension or module from the person's home
            self.disable_user_config = role in COURSE_ONLY
            cache = {"RESILIENCE_COURSE_CACHE_DIR": self.shared_cache} if self.shared_cache else {}
            # the course's page template, on Jupyter's data path from the start: with user configuration
            # disabled, jupyterhub-singleuser fixes that path before it reads the course's Voila settings
            # (which add the template folder otherwise), and every page would fail to render
            templates = {"JUPYTER_PATH": str(voila_config_dir() / "share")}
            self.environment = {
                **self.environment,
                "RC_HUB_ROLE": role,
                drop.DROP_ENV: str(Path(settings.public_dir) / "drop"),
                drop.COHORT_ENV: roster.load(settings.cohort_file).name,
                "RESILIENCE_COURSE_DATA_DIR": str(Path(pwd.getpwnam(self.user.name).pw_dir) / DATA_SUBDIR),
                "RESILIENCE_COURSE_ROOT": str(settings.site),
                "JUPYTER_CONFIG_PATH": str(settings.etc_dir),
                "MPLBACKEND": "Agg",
                WARM_CHARTS_ENV: "0",  # spare kernels leave matplotlib until a page draws a chart
                "PATH": f"{settings.venv_bin}:/usr/local/bin:/usr/bin:/bin",
                **cache,
                **templates,
            }
            return await super().start()

        def get_args(self):
            return [*super().get_args(), f"--config={self._rc_config}"]

    return CourseSpawner


def _password_matches(password: str, hashed: bytes) -> bool:
    import bcrypt

    try:
        return bcrypt.checkpw(password.encode(), hashed)
    except ValueError:  # not a bcrypt hash: no password matches it
        return False


def _authenticator_class():
    from nativeauthenticator import NativeAuthenticator
    from nativeauthenticator.orm import UserInfo

    class CohortAuthenticator(NativeAuthenticator):
        """NativeAuthenticator for one cohort: only names in the cohort file, never pre-approved by name.

        NativeAuthenticator approves a sign-up at once when the name is in ``allowed_users``, so anyone
        who knew a learner's account name could claim it before the learner did. Here a sign-up (when
        switched on) is accepted only for a name in the cohort file, and waits for approval.
        """

        def validate_username(self, username):
            return username in self.allowed_users and super().validate_username(username)

        def get_authed_users(self):
            return {info.username for info in UserInfo.all_users(self.db) if info.is_authorized}

        async def authenticate(self, handler, data):
            """NativeAuthenticator's check, with bcrypt in a worker thread instead of on the event loop.

            bcrypt is slow on purpose (about 0.3 s of CPU a check here). NativeAuthenticator hashes on the
            hub's event loop, so while a room of learners logs in at once the hub answers nothing else,
            not even the scripts of its own pages. The rules are NativeAuthenticator's: unknown names and
            names locked out after too many failures get nothing; a failure counts towards the lock-out.
            """
            username = self.normalize_username(data["username"])
            user = self.get_user(username)
            if not user or (self.allowed_failed_logins and self.is_blocked(username)):
                return None
            hashed = user.password
            matches = await asyncio.get_running_loop().run_in_executor(None, _password_matches,
                                                                       data["password"], hashed)
            valid = [user.is_authorized, matches]
            if user.has_2fa:
                valid.append(user.is_valid_token(data.get("2fa")))
            if all(valid):
                self.successful_login(username)
                return username
            self.add_login_attempt(username)
            return None

        def get_handlers(self, app):
            # NativeAuthenticator 1.3's own login page fails on JupyterHub 6 (it times logins with the
            # removed ``statsd``); JupyterHub's login page calls the same authenticate() (with its
            # lock-out after failed attempts). Sign-up and change-password pages are NativeAuthenticator's.
            return [(path, handler) for path, handler in super().get_handlers(app) if path != r"/login"]

    return CohortAuthenticator


def shared_cache(settings: Settings) -> str:
    """The shared content cache (``<prefix>/cache``) when it was filled for the installed package, else ""."""
    from ..core.cache import fingerprint
    from .install import shared_cache_ready

    return str(settings.cache_dir) if shared_cache_ready(settings.prefix, fingerprint()) else ""


_LAZY = {"CourseSpawner": _spawner_class, "CohortAuthenticator": _authenticator_class}


def __getattr__(name):
    # built on first use, so that importing this module does not import JupyterHub
    if name in _LAZY:
        globals()[name] = value = _LAZY[name]()
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def configure(c, settings: Settings | str | Path | None = None) -> Settings:
    """Fill the JupyterHub config *c* from the hub's settings (default: ``$RC_HUB_SETTINGS``)."""
    if not isinstance(settings, Settings):
        settings = Settings.load(settings)
    cohort = roster.load(settings.cohort_file)
    people = cohort.people()
    hub_dir = settings.hub_dir
    write_public(settings)
    drop.ensure(settings.public_dir, cohort.facilitators)  # the group tools' drop folders

    # -- the hub and its proxy: 127.0.0.1 unless the settings say otherwise (TLS goes in front) ---
    c.JupyterHub.bind_url = settings.url
    c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings.hub_port}"
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.command = [str(settings.proxy_command)]
    c.ConfigurableHTTPProxy.pid_file = str(hub_dir / "proxy.pid")
    c.JupyterHub.pid_file = str(hub_dir / "jupyterhub.pid")
    c.JupyterHub.db_url = f"sqlite:///{hub_dir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(hub_dir / "jupyterhub_cookie_secret")
    c.JupyterHub.cleanup_servers = settings.cleanup_on_stop
    c.JupyterHub.cleanup_proxy = settings.cleanup_on_stop
    c.JupyterHub.shutdown_on_logout = True  # logging out stops the person's server and its pages' kernels
    c.JupyterHub.allow_named_servers = False
    c.JupyterHub.log_datefmt = "%Y-%m-%d %H:%M:%S"
    c.JupyterHub.template_paths = [str(TEMPLATES)]

    # -- people -------------------------------------------------------------------------------------
    c.JupyterHub.authenticator_class = "resilience_course.hub.config.CohortAuthenticator"
    c.Authenticator.allowed_users = set(people)
    c.Authenticator.allow_existing_users = False  # someone removed from the cohort file cannot log in
    c.Authenticator.admin_users = set()
    c.Authenticator.delete_invalid_users = False
    c.NativeAuthenticator.enable_signup = settings.enable_signup
    c.NativeAuthenticator.open_signup = False
    c.NativeAuthenticator.minimum_password_length = 10
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.allowed_failed_logins = 5
    c.NativeAuthenticator.seconds_before_next_try = 300
    c.JupyterHub.load_groups = {role: {"users": list(getattr(cohort, role))} for role in ROLES}

    # -- servers ------------------------------------------------------------------------------------
    c.JupyterHub.spawner_class = "resilience_course.hub.config.CourseSpawner"
    c.CourseSpawner.settings_file = str(settings.settings_file)
    c.CourseSpawner.shared_cache = shared_cache(settings)
    c.Spawner.cmd = [str(settings.venv_bin / "python"), "-m", "resilience_course.hub.launch"]
    c.Spawner.start_timeout = 120
    # a whole room logging in at once starts every server together: on a small machine the last ones
    # take a while to answer, and a slow start is better than a failed one
    c.Spawner.http_timeout = 300
    c.Spawner.env_keep = ["LANG", "LC_ALL", "TZ"]
    # everybody in the cohort may be starting at the same moment (a session's first minutes): nobody is
    # told "too many users, try again later" (JupyterHub's 429) while the others' servers start
    c.JupyterHub.concurrent_spawn_limit = max(len(people), 1)

    # -- services: the idle culler and the course's admin token -------------------------------------
    python = str(settings.venv_bin / "python")
    c.JupyterHub.services = [
        {"name": "idle-culler",
         "command": [python, "-m", "jupyterhub_idle_culler", f"--timeout={settings.cull_timeout}",
                     "--cull-every=60"]},
        {"name": "course-admin", "api_token": settings.admin_token()},
    ]
    c.JupyterHub.load_roles = [
        {"name": "idle-culler", "services": ["idle-culler"],
         "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
        {"name": "admin", "services": ["course-admin"]},
    ]
    return settings


if __name__ == "__main__":  # pragma: no cover
    print(configure.__doc__, file=sys.stderr)
