"""What each person's own server (``jupyterhub-singleuser``) serves on the cohort server.

Learners and facilitators get course pages only: Voila renders ``course/`` and ``modules/`` (learners:
not ``course/facilitator/``) with the course's Voila settings, and every other address of their
server (JupyterLab, the file tree, terminals, the contents, sessions and kernels APIs beyond a page's
own kernel connection, nbgrader's formgrader) is refused with 403. Trainers get JupyterLab, nbgrader's
formgrader and the course pages.

Two parts:

* :func:`server_config` fills a Jupyter Server config for a role (used by the config files that
  :mod:`.config` writes and passes to ``jupyterhub-singleuser --config``);
* this module is also a Jupyter Server extension (:func:`_load_jupyter_server_extension`): for the
  roles in :data:`COURSE_ONLY` it checks every request's path against :func:`allowed` before Tornado
  routes it, so no extension or handler of the server can be reached around it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["allowed", "kernel_sockets", "server_config", "spare_kernels", "COURSE_ONLY", "ROLE_ENV",
           "voila_config_dir"]

ROLE_ENV = "RC_HUB_ROLE"
COURSE_ONLY = ("learners", "facilitators")
KERNEL = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# paths below the server's base URL (/user/NAME/) that a course-only server answers
_COMMON = [
    r"",  # the server's root: redirects to the course home page
    r"voila/render/modules/[^?#]+\.ipynb",
    r"voila/(static|templates|labextensions|api/themes)/[^?#]*",
    r"voila/files/(course|modules)/[^?#]+",
    rf"voila/api/shutdown/{KERNEL}",
    rf"api/kernels/{KERNEL}(/channels)?",
    r"static/[^?#]*",
    r"custom/custom\.css",
    r"oauth_callback",
    r"logout",
    r"api",  # the server's version (the hub's own check that the server is up)
    r"api/status",
]
_PATTERNS = {
    "learners": re.compile("^(?:" + "|".join([*_COMMON, r"voila/render/course/(?!facilitator/)[^/?#]+\.ipynb"])
                           + ")$"),
    "facilitators": re.compile("^(?:" + "|".join([*_COMMON, r"voila/render/course/[^?#]+\.ipynb"]) + ")$"),
}


def allowed(role: str, relative_path: str) -> bool:
    """Whether a server of *role* answers *relative_path* (the request path below its base URL)."""
    pattern = _PATTERNS.get(role)
    if pattern is None:
        return True
    path = relative_path.lstrip("/")
    if ".." in path.split("/") or "%2e" in path.lower() or "\\" in path:
        return False
    return bool(pattern.match(path))


def voila_config_dir() -> Path:
    """The folder that holds the course's Voila settings (``voila.py`` and the page template)."""
    try:
        from ..publish.server import CONFIG_DIR
    except ImportError:  # pragma: no cover - before the publish package existed
        from ..commands.serve import CONFIG_DIR
    return Path(CONFIG_DIR)


LEARNER_EXTENSIONS = {
    "voila.server_extension": True,
    "resilience_course.hub.singleuser": True,
    "jupyterlab": False,
    "notebook": False,
    "notebook_shim": False,
    "jupyter_lsp": False,
    "jupyter_server_terminals": False,
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.validate_assignment": False,
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
}


def server_config(c, role: str) -> None:
    """Fill the Jupyter Server config *c* for a server of *role* (``learners``, ``facilitators``, ``trainers``)."""
    from traitlets.config.loader import PyFileConfigLoader

    # the course's Voila settings, exactly as ``resilience-course serve`` uses them (what applies to a
    # Voila server extension: template, no code, no tracebacks, page titles, cell time limits, culling)
    voila = PyFileConfigLoader("voila.py", path=str(voila_config_dir())).load_config()
    for section in ("VoilaConfiguration", "VoilaExecutor", "VoilaExporter", "HTMLExporter",
                    "MappingKernelManager"):
        if section in voila:
            c[section].merge(voila[section])
    kernel_sockets(c)
    # a kernel's answers reach the page (or JupyterLab) as soon as they are written, as under ``serve``
    c.ServerApp.kernel_websocket_connection_class = PROMPT_CONNECTION
    c.ServerApp.terminals_enabled = role == "trainers"
    c.ContentsManager.allow_hidden = False
    c.FileContentsManager.delete_to_trash = False
    if role in COURSE_ONLY:
        c.ServerApp.jpserver_extensions = dict(LEARNER_EXTENSIONS)
        spare_kernels(c)
    else:
        c.ServerApp.jpserver_extensions = {"resilience_course.hub.singleuser": True}


# a Unix socket's path is at most 107 bytes; a kernel's are <runtime dir>/kernel-<36-character id>-ipc-<n>
SOCKET_PATH_MAX = 107
SOCKET_NAME_LENGTH = len("/kernel--ipc-99") + 36


def kernel_sockets(c) -> bool:
    """Kernels talk over Unix sockets, as under ``serve``, when the server runs in the private folder
    :func:`.launch.private_runtime_dir` made for it (and the sockets' paths fit); else TCP on 127.0.0.1.

    Over TCP a port chosen free for a kernel was sometimes taken before the kernel bound it ("Address
    already in use"): the kernel died as it started and its page stayed on "Opening this page" (one
    learner in 25 logging in at once, ``benchmarks/hub_load.py``). Sockets in a 0700 folder have no
    port to race for, and no other account on the machine can reach them.
    """
    from jupyter_core.paths import jupyter_runtime_dir

    from .launch import RUNTIME_PREFIX

    folder = jupyter_runtime_dir()
    if not os.path.basename(folder).startswith(RUNTIME_PREFIX) or len(folder) + SOCKET_NAME_LENGTH > SOCKET_PATH_MAX:
        return False
    c.KernelManager.transport = "ipc"
    return True


WARM_KERNEL_MANAGER = "resilience_course.publish.server.WarmKernelManager"
PROMPT_CONNECTION = "resilience_course.publish.server.PromptConnection"
WARM_POOL_SIZE = 1  # one spare kernel per course server: the page a learner opens next takes it
# seconds after a page takes the spare before the next one starts (at once if a page asks for it first):
# a learner reads a page for longer than that, and when a room opens a page at the same moment the next
# spares start after those pages, not against them (5 s: the refills doubled a 25-learner wave's CPU)
WARM_DELAY = 30.0


def spare_kernels(c) -> None:
    """Keep a spare kernel, with the course's widgets imported, ready in a course server.

    Under the hub Voila runs as a server extension, which has no preheated pages: each page would
    start a kernel of its own when it is opened, and import the course into it, which takes seconds.
    The server's kernel manager is ``serve``'s :class:`WarmKernelManager` instead, so the page takes
    a kernel that is already running and a new spare starts :data:`WARM_DELAY` seconds later, once
    the page has been drawn, or at once when the next page asks first (with 25 learners opening a
    page at once, the next spares must not compete with the pages themselves). Kernels of pages left
    behind end as they do under ``serve``, with the same time for a slow page to connect
    (``publish/lifetime.py`` ``CONNECT_GRACE``: with a whole room logging in at once, a page's scripts
    reached the server a minute after its cells had run).
    """
    from ..publish.lifetime import CONNECT_GRACE

    c.ServerApp.kernel_manager_class = WARM_KERNEL_MANAGER
    c.WarmKernelManager.warm_pool_size = WARM_POOL_SIZE
    c.WarmKernelManager.warm_delay = WARM_DELAY
    c.WarmKernelManager.warm_folders = ["course", "modules"]
    c.WarmKernelManager.page_connect_grace = CONNECT_GRACE


# -- the server extension ------------------------------------------------------------------------------
def _jupyter_server_extension_points():
    return [{"module": "resilience_course.hub.singleuser"}]


def _refused_handler():
    from tornado.web import RequestHandler

    class Refused(RequestHandler):
        """403 for every method, with a short page that says where the course is."""

        def initialize(self, home: str):
            self.home = home

        def prepare(self):
            self.set_status(403)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            if self.request.headers.get("Upgrade", "").lower() == "websocket":
                self.finish()
                return
            self.finish('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not part of the '
                        'course</title></head><body><main><h1>This page is not part of the course</h1>'
                        f'<p><a href="{self.home}">Go to the course home page</a></p></main></body></html>')

    return Refused


def _load_jupyter_server_extension(serverapp):
    from ..publish.server import share_compiled_templates

    # Nothing from other hosts: as a server extension Voila would point pages at MathJax on a CDN
    # (standalone Voila, as ``serve`` runs it, leaves this unset; course pages need no MathJax).
    serverapp.web_app.settings["mathjax_url"] = None
    serverapp.web_app.settings["mathjax_config"] = None
    # page templates compiled once per server, as under ``serve`` (Voila compiles them for every page)
    share_compiled_templates()
    role = os.environ.get(ROLE_ENV, "")
    if role not in COURSE_ONLY:
        serverapp.log.info("resilience_course.hub: %s server, no restrictions", role or "trainer")
        return
    from jupyter_server.utils import url_path_join

    app = serverapp.web_app
    base = serverapp.base_url
    home = url_path_join(base, "voila/render/course/home.ipynb")
    refused = _refused_handler()
    route = app.find_handler

    def find_handler(request, **kwargs):
        path = request.path
        relative = path[len(base):] if path.startswith(base) else None
        if relative is None or not allowed(role, relative):
            serverapp.log.warning("refused %s %s (not a course page)", request.method, path)
            return app.get_handler_delegate(request, refused, {"home": home})
        return route(request, **kwargs)

    app.find_handler = find_handler
    serverapp.log.info("resilience_course.hub: %s server, course pages only", role)
