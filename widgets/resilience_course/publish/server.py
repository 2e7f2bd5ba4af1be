"""``resilience-course serve``: publish the course with Voila, for one learner on this computer.

The Voila settings live in ``resilience_course/publish/voila/voila.py``, with the course's page
template beside them. This module adds what a config file cannot say by itself:

* :func:`make_app_class`: Voila, with ``/`` opening the course home page (not Voila's file list),
  and the kernel of a page the learner leaves stopped at once (Voila's own request is refused);
* :class:`PageTitle`: each page's ``<title>`` from the course outline;
* :class:`WarmKernelManager`: one spare kernel kept ready, with the course's widgets already
  imported, for pages that are not preheated (every section page), so that "Next" opens quickly;
* :func:`cell_timeout`: the time limit for each cell;
* :func:`share_compiled_templates`: page templates compiled once per server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..core.content import ContentError

# (and PageTitle and WarmKernelManager, built on first use so the command line stays quick)
__all__ = ["register", "serve", "voila_argv", "make_app_class", "page_title", "cell_timeout", "CONFIG_DIR",
           "share_compiled_templates"]

CONFIG_DIR = Path(__file__).resolve().parent / "voila"
DEFAULT_PORT = 8866
CELL_TIMEOUT = 60  # seconds a cell may run before the page gives up (and the kernel is interrupted)
FIRST_CELL = "import resilience_course as rc"
WARM_UP = "import resilience_course.ui.common as _rc_warm; _rc_warm.warm_up(); del _rc_warm"


def register(sub) -> None:
    p = sub.add_parser("serve", help="open the course in your web browser (Voila), on this computer only",
                       description="Publish the course with Voila on http://127.0.0.1:PORT/ for one "
                                   "learner on this computer. Your answers are saved on this computer "
                                   "only. Press Ctrl+C to stop.")
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT") or DEFAULT_PORT),
                   help=f"the port to listen on (default {DEFAULT_PORT}, or $PORT)")
    p.add_argument("--open", action="store_true", help="also open the course in your web browser")
    p.add_argument("--no-preheat", action="store_true",
                   help="keep no kernels ready: each page starts its own (slower; for measuring)")
    p.add_argument("--root", help="the course folder (default: found from the current folder)")
    p.set_defaults(func=serve)


def voila_argv(root: Path, port: int, open_browser: bool = False, preheat: bool = True) -> list[str]:
    """The Voila command-line arguments for serving the course in *root*."""
    argv = [f"--Voila.config_file_paths={CONFIG_DIR}", f"--port={port}", f"--Voila.root_dir={root}"]
    if open_browser:
        argv.append("--Voila.open_browser=True")
    if not preheat:
        argv += ["--VoilaConfiguration.preheat_kernel=False", "--WarmKernelManager.warm_pool_size=0"]
    return argv


def share_compiled_templates() -> None:
    """Compile Voila's page templates once per server, not once per page request.

    Voila builds a new template environment for every page it renders, and Jinja compiles the
    templates again each time (about 0.15 s a page here). A shared in-memory bytecode cache keeps
    the compiled code; Jinja checks each template's source checksum, so an edited template is
    compiled afresh.
    """
    import jinja2
    from voila.exporter import VoilaExporter

    if getattr(VoilaExporter, "_rc_shared_bytecode", None):
        return

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        def __init__(self):
            self._code: dict[str, bytes] = {}

        def load_bytecode(self, bucket):
            code = self._code.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)

        def dump_bytecode(self, bucket):
            self._code[bucket.key] = bucket.bytecode_to_string()

    cache = MemoryBytecodeCache()
    create = VoilaExporter._create_environment

    def _create_environment(self):
        env = create(self)
        env.bytecode_cache = cache
        return env

    VoilaExporter._create_environment = _create_environment
    VoilaExporter._rc_shared_bytecode = True


def make_app_class():
    """Voila's application, with ``/`` sending the learner to the course home page."""
    from jupyter_server.utils import url_path_join
    from tornado.web import RedirectHandler, authenticated
    from traitlets import Unicode
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    class CoursePageHandler(TornadoVoilaHandler):
        """Voila's page handler, also setting the ``_xsrf`` cookie.

        When a page is closed, Voila's page asks the server to stop its kernel, sending the
        ``_xsrf`` cookie's value; Voila never sets that cookie, so the server refuses (403) and
        the kernel of every page a learner has left runs on until it is culled.
        """

        @authenticated
        async def get(self, path=None):
            self.xsrf_token  # noqa: B018  (reading it sets the cookie)
            await super().get(path=path)

    class CourseVoila(Voila):
        """Voila serving the course folder; ``/`` redirects to :attr:`home_page`."""

        home_page = Unicode("course/home.ipynb", config=True,
                            help="The page (relative to the course folder) that / opens")

        def init_settings(self):
            share_compiled_templates()
            return super().init_settings()

        def init_handlers(self):
            handlers = [h
                        for h in super().init_handlers()]
            target = url_path_join(self.server_url, "voila/render", self.home_page)
            return [(self.server_url, RedirectHandler, {"url": target, "permanent": False}), *handlers]

    return CourseVoila


def serve(args) -> int:
    from ..core.course import ROOT_ENV, course_root, load_outline

    try:
        root = Path(args.root).resolve() if args.root else course_root()
        outline = load_outline(root)
    except ContentError as exc:
        print(f"Cannot start the course: {exc}", file=sys.stderr)
        return 1
    os.environ[ROOT_ENV] = str(root)  # the kernels find the course from here
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(f"Opening the course at http://127.0.0.1:{args.port}/ (home page: {outline.home}). "
          "Press Ctrl+C to stop.", file=sys.stderr)
    argv = voila_argv(root, args.port, args.open, not args.no_preheat)
    make_app_class().launch_instance(argv=argv, home_page=outline.home)
    return 0


def cell_timeout(cell) -> int | None:
    """Voila's per-cell time limit: :data:`CELL_TIMEOUT`, except for the first cell of a course page.

    In a preheated kernel ``import resilience_course`` waits for the learner to open the page, which
    may be hours away, so that cell has no limit. Every other cell gets :data:`CELL_TIMEOUT` seconds.
    """
    source = cell.get("source", "") if hasattr(cell, "get") else ""
    if isinstance(source, list):
        source = "".join(source)
    return None if source.strip() == FIRST_CELL else CELL_TIMEOUT


# -- page titles ------------------------------------------------------------------------------------
def page_title(name: str, root: str | Path | None = None) -> str:
    """The ``<title>`` for the notebook called *name* (no folder, no ``.ipynb``), or ``""`` if unknown.

    Sections read "Section title - Module N - course", tools "Tool - course", home the course title.
    """
    from ..core.course import load_outline

    outline = load_outline(root)
    course = outline.title
    if f"{name}.ipynb" == Path(outline.home).name:
        return course
    for tool in outline.tools:
        if Path(tool["path"]).stem == name:
            return f"{tool['title']} - {course}"
    for module in outline.modules:
        for sec in module.sections:
            if Path(sec.path).stem == name:
                title = module.title if sec.id.endswith(".00") else sec.title
                return f"{title} - Module {module.number} - {course}"
    return ""


def _page_title_class():
    from nbconvert.preprocessors import Preprocessor

    class PageTitle(Preprocessor):
        """nbconvert preprocessor: set ``metadata.title`` (the page ``<title>``) from the course outline."""

        def preprocess(self, nb, resources):
            name = (resources or {}).get("metadata", {}).get("name", "")
            try:
                title = page_title(name) if name else ""
            except Exception:  # a title is never worth a broken page
                self.log.warning("no page title for %s", name, exc_info=True)
                title = ""
            if title:
                nb.metadata["title"] = title
            return nb, resources

    PageTitle.__module__ = __name__
    return PageTitle


# -- a spare kernel for the pages that are not preheated --------------------------------------------
def _warm_kernel_manager_class():
    import asyncio

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from traitlets import Float, Integer, List, Unicode

    class WarmKernelManager(AsyncMappingKernelManager):
        """Keeps :attr:`warm_pool_size` kernels started, with the course widgets imported.

        Voila preheats whole pages only for the notebooks named in its pool settings; any other
        page starts a kernel when it is opened, which takes seconds. This manager hands such a page
        a kernel that is already running instead, and starts the next spare a moment later. Only
        pages in :attr:`warm_folders` get one: course pages use no paths of their own, so the spare
        kernel's folder (the course folder) and its environment (no request details) make no
        difference to them. Spare kernels are never culled; they stop with the server.
        """

        warm_pool_size = Integer(1, config=True, help="How many spare kernels to keep ready (0: none)")
        warm_delay = Float(0.5, config=True,
                           help="Seconds to wait after handing out a spare before starting the next one")
        warm_folders = List(Unicode(), ["course", "modules"], config=True,
                            help="Folders whose pages may use a spare kernel")
        spare_wait = Float(5.0, config=True,
                           help="Seconds a page waits for a spare still starting before starting its own")

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._spares: list[asyncio.Task] = []
            self._wake: dict[asyncio.Task, asyncio.Event] = {}
            self._spare_ids: set[str] = set()
            self._closing = False
            self._fill(delay=0)

        # -- the pool ---------------------------------------------------------------------------
        def _fill(self, delay: float | None = None) -> None:
            if self._closing:
                return
            try:
                loop = asyncio.get_event_loop()
            except RuntimeError:  # pragma: no cover - no loop yet in this thread
                loop = asyncio.new_event_loop()
                asyncio.set_event_loop(loop)
            wait = self.warm_delay if delay is None else delay
            while len(self._spares) < self.warm_pool_size:
                go = asyncio.Event()
                task = loop.create_task(self._start_spare(wait, go))
                self._wake[task] = go
                self._spares.append(task)

        async def _start_spare(self, delay: float, go: asyncio.Event) -> str | None:
            try:  # wait a moment before starting, unless a page needs the spare now
                await asyncio.wait_for(go.wait(), timeout=delay)
            except asyncio.TimeoutError:
                pass
            if self._closing:
                return None
            parent = self.parent
            env = {**os.environ, "VOILA_PREHEAT": "False",
                   "VOILA_BASE_URL": getattr(parent, "base_url", "/"),
                   "VOILA_SERVER_URL": getattr(parent, "server_url", "/") or "/",
                   "VOILA_APP_PORT": str(getattr(parent, "port", ""))}
            kernel_id = await super().start_kernel(kernel_name=self.default_kernel_name, path="", env=env,
                                                   extra_arguments=[f"--IPKernelApp.exec_lines={WARM_UP}"])
            self._spare_ids.add(kernel_id)
            client = self.get_kernel(kernel_id).client()
            client.start_channels()
            try:  # ready means the warm-up has run: the kernel answers only after its exec_lines
                await client.wait_for_ready(timeout=60)
                self.log.info("Spare kernel %s is ready", kernel_id)
            except Exception:
                self.log.warning("the spare kernel %s was slow to start", kernel_id)
            finally:
                client.stop_channels()
            return kernel_id

        def _wants_spare(self, path, env, kernel_name) -> bool:
            if not self._spares or (env or {}).get("VOILA_PREHEAT") != "False":
                return False  # Voila's own preheated kernels must start with its settings
            if kernel_name not in (None, self.default_kernel_name):
                return False
            folder = str(path or "").replace("\\", "/").strip("/")
            return any(folder == f or folder.startswith(f + "/") for f in self.warm_folders)

        async def start_kernel(self, *, kernel_id=None, path=None, **kwargs):
            if kernel_id is None and self._wants_spare(path, kwargs.get("env"), kwargs.get("kernel_name")):
                task = self._spares.pop(0)
                go = self._wake.pop(task, None)
                if go is not None:
                    go.set()  # still waiting to start: start it now
                spare = None
                try:  # a spare still warming up is worth a short wait, not a long one
                    spare = await asyncio.wait_for(asyncio.shield(task), timeout=self.spare_wait)
                except asyncio.TimeoutError:
                    self._spares.insert(0, task)  # it stays a spare; this page starts its own kernel
                    if go is not None:
                        self._wake[task] = go
                    self.log.info("The spare kernel is not ready yet; starting a kernel for %s", path)
                except Exception:
                    self.log.warning("A spare kernel failed to start; starting a kernel for %s", path)
                self._fill()
                if spare and spare in self:
                    self._spare_ids.discard(spare)
                    self.log.info("Using a spare kernel %s for %s", spare, path)
                    return spare
            return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)

        async def cull_kernel_if_idle(self, kernel_id):
            if kernel_id in self._spare_ids:
                return None
            return await super().cull_kernel_if_idle(kernel_id)

        async def shutdown_all(self, now=False):
            self._closing = True
            spares, self._spares = self._spares, []
            self._wake.clear()
            for task in spares:
                # Voila shuts down from a fresh event loop after the server's has stopped, so these
                # tasks cannot be awaited here: a spare that has started is shut down with the rest.
                if not task.done():
                    task.cancel()
            await super().shutdown_all(now=now)

    WarmKernelManager.__module__ = __name__
    return WarmKernelManager


_LAZY = {"PageTitle": _page_title_class, "WarmKernelManager": _warm_kernel_manager_class}


def __getattr__(name):
    # built on first use, so ``resilience-course`` sub-commands do not import Voila or nbconvert
    if name in _LAZY:
        value = _LAZY[name]()
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
