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

import json
import os
import re
import sys
from pathlib import Path

from ..core.content import ContentError

# (and PageTitle and WarmKernelManager, built on first use so the command line stays quick)
__all__ = ["register", "serve", "voila_argv", "make_app_class", "page_title", "cell_timeout", "CONFIG_DIR",
           "share_compiled_templates", "is_published", "PUBLISHED_FOLDERS"]

CONFIG_DIR = Path(__file__).resolve().parent / "voila"
DEFAULT_PORT = 8866
CELL_TIMEOUT = 60  # seconds a cell may run before the page gives up (and the kernel is interrupted)
FIRST_CELL = "import resilience_course as rc"
WARM_UP = "import resilience_course.publish.warm as _rc_warm; _rc_warm.warm_kernel(); del _rc_warm"
PUBLISHED_FOLDERS = ("course", "modules")  # the only folders a browser may read
HASHED_ASSET = re.compile(r"[.-][0-9a-f]{16,}\.(js|css|woff2?)$")  # webpack names a built file by its content


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
    p.add_argument("--also-publish", action="append", default=[], metavar="FOLDER",
                   help="also serve the pages in FOLDER (relative to the course folder; for authors "
                        "previewing drafts and for tests). Only course/ and modules/ are served otherwise.")
    p.set_defaults(func=serve)


def voila_argv(root: Path, port: int, open_browser: bool = False, preheat: bool = True,
               also_publish: list[str] | tuple = ()) -> list[str]:
    """The Voila command-line arguments for serving the course in *root*."""
    argv = [f"--Voila.config_file_paths={CONFIG_DIR}", f"--port={port}", f"--Voila.root_dir={root}"]
    if also_publish:
        folders = [*PUBLISHED_FOLDERS, *(f.replace("\\", "/").strip("/") for f in also_publish)]
        argv.append("--CourseVoila.published_folders=" + json.dumps(folders))
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


LOGIN_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Open the course with its address - Resilience with Compassion</title>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 1.0625rem;
         line-height: 1.5; color: #1d1d1f; background: #fff; margin: 0; }}
  main {{ max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }}
  h1 {{ font-size: 1.6rem; }}
  label {{ display: block; font-weight: 600; margin-top: 1.5rem; }}
  input {{ font: inherit; width: 100%; max-width: 30rem; padding: 0.4rem; border: 2px solid #555; }}
  button {{ font: inherit; margin-top: 0.75rem; padding: 0.4rem 1.2rem; color: #fff; background: #1b5e7a;
           border: 2px solid #1b5e7a; border-radius: 4px; cursor: pointer; }}
  input:focus, button:focus {{ outline: 3px solid #1b5e7a; outline-offset: 2px; }}
  .rc-login-error {{ color: #8a1c1c; font-weight: 600; }}
</style></head>
<body><main>
<h1>Open the course with its address</h1>
<p>This course runs on this computer for you alone, so it opens only with the address shown when it
started. That address ends with <code>?token=</code> and a long code.</p>
<ul>
<li>Look in the window where you started the course (with <code>make serve</code>) and open the address
shown there, or copy the code after <code>?token=</code> into the box below.</li>
<li>If you have closed that window, start the course again: a new address is shown. Anything you have
saved is safe.</li>
</ul>
{note}
<form method="post" action="{action}">
{xsrf}
<input type="hidden" name="next" value="{next}">
<label for="rc-key">The code from the course address</label>
<input id="rc-key" name="password" type="password" autocomplete="off" required>
<button type="submit">Open the course</button>
</form>
</main></body></html>
"""


def is_published(path: str, folders=PUBLISHED_FOLDERS) -> bool:
    """Whether *path* (relative to the course folder, ``/`` separators) lies in one of *folders*.

    Only the course's own pages are ever served to a learner: ``course/`` and ``modules/``. Anything
    else in the repository (the quizzes' answer keys under ``assessments/``, the tests, the package
    source) is refused, and so is any path with a ``..`` part, an absolute path or a backslash.
    """
    if not isinstance(path, str) or "\\" in path or "\x00" in path:
        return False
    parts = path.strip("/").split("/")
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return False
    return any(parts[: len(f.split("/"))] == f.split("/") for f in folders)


def _published_contents_manager_class():
    from jupyter_server.services.contents.largefilemanager import LargeFileManager
    from tornado.web import HTTPError
    from traitlets import List, Unicode

    class PublishedContentsManager(LargeFileManager):
        """Voila's contents manager, reading only the published folders of the course.

        Every page, file list and file Voila serves is read through this manager: a path outside
        :attr:`published_folders` (or one whose real location, after symbolic links, is outside
        them) does not exist as far as the learner's browser is concerned. The top folder lists
        only the published folders.
        """

        published_folders = List(Unicode(), list(PUBLISHED_FOLDERS), config=True,
                                 help="Folders (relative to the course folder) whose pages may be served")

        def _allowed(self, path: str, top_ok: bool = False) -> bool:
            path = (path or "").strip("/")
            if not path:
                return top_ok
            if not is_published(path, self.published_folders):
                return False
            root = Path(self.root_dir).resolve()
            try:
                real = (root / path).resolve()
            except (OSError, RuntimeError):
                return False
            return any(real == root / f or (root / f) in real.parents for f in self.published_folders)

        def get(self, path, content=True, type=None, format=None, **kwargs):
            if not self._allowed(path, top_ok=True):
                raise HTTPError(404, f"No such file or directory: {path}")
            if (path or "").strip("/") or not content:
                return super().get(path, content=content, type=type, format=format, **kwargs)
            # the top folder: list the published folders only (the others are never even read)
            model = super().get("", content=False, type=type, format=format, **kwargs)
            tops = sorted(f for f in self.published_folders if "/" not in f)  # not tests/browser/pages
            model["content"] = [super(PublishedContentsManager, self).get(top, content=False)
                                for top in tops if super(PublishedContentsManager, self).dir_exists(top)]
            model["format"] = "json"
            return model

        def file_exists(self, path=""):
            return self._allowed(path) and super().file_exists(path)

        def dir_exists(self, path):
            return self._allowed(path, top_ok=True) and super().dir_exists(path)

        def exists(self, path):
            return self._allowed(path, top_ok=True) and super().exists(path)

    PublishedContentsManager.__module__ = __name__
    return PublishedContentsManager


def make_app_class():
    """Voila's application for the course (see the module's docstring)."""
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from tornado import web
    from traitlets import List, Unicode
    from voila.app import Voila
    from voila.static_file_handler import AllowListFileHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    class HomeHandler(JupyterHandler):
        """``/``: the course home page (after ``?token=`` has signed the browser in)."""

        def initialize(self, url: str):
            self.url = url

        @web.authenticated
        def get(self):
            self.xsrf_token  # noqa: B018  (reading it sets the _xsrf cookie; see CoursePageHandler)
            self.redirect(self.url, permanent=False)  # without the token: it stays out of the address bar

    class CoursePageHandler(TornadoVoilaHandler):
        """Voila's page handler for the published folders only, also setting the ``_xsrf`` cookie.

        When a learner leaves a page, Voila's page asks the server to stop the page's kernel: a
        ``sendBeacon`` POST to ``/voila/api/shutdown/<kernel>`` whose form carries the ``_xsrf``
        cookie's value. jupyter_server checks that value on every POST that is not token
        authenticated, and Voila sets the cookie only on its file list (``/voila/tree``, through
        jupyter_server's template namespace), never on a page. With stock Voila learners pass the
        file list first; the course sends ``/`` straight to its home page, so the cookie was never
        set, every request was refused (403 "'_xsrf' argument missing") and the kernel of every
        page left behind ran on until it was culled. Each page now sets the cookie itself.
        """

        @web.authenticated
        async def get(self, path=None):
            if not is_published(path or "", self.settings["rc_published_folders"]):
                raise web.HTTPError(404, "Not a course page")
            self.xsrf_token  # noqa: B018  (reading it sets the cookie, before the page streams)
            await super().get(path=path)

    class CourseTreeHandler(TornadoVoilaTreeHandler):
        """Voila's file list: only the top folder and the published folders."""

        @web.authenticated
        async def get(self, path=""):
            if path.strip("/") and not is_published(path.strip("/"), self.settings["rc_published_folders"]):
                raise web.HTTPError(404, "Not a course folder")
            await super().get(path=path)

    class CourseFileHandler(AllowListFileHandler):
        """Voila's file handler (pictures in pages): published folders only."""

        def get_absolute_path(self, root, path):
            if not is_published(path.replace(os.sep, "/"), self.settings["rc_published_folders"]):
                raise web.HTTPError(404)
            return super().get_absolute_path(root, path)

    from voila.voila_identity_provider import VoilaLoginHandler

    class CourseLoginHandler(VoilaLoginHandler):
        """The page a browser without this launch's key sees: plain words, and a box for the key."""

        def _render(self, message=None):
            from html import escape

            nxt = escape(self.get_argument("next", default=self.base_url), quote=True)
            note = ('<p class="rc-login-error" role="alert">That code does not match this launch of the '
                    'course. Please copy it again from the window where the course started.</p>' if message else "")
            self.set_header("Cache-Control", "no-store")
            self.write(LOGIN_PAGE.format(note=note, next=nxt, xsrf=self.xsrf_form_html(),
                                         action=escape(self.base_url + "login", quote=True)))

    from jupyter_server.base.handlers import FileFindHandler

    class ExtensionFileHandler(FileFindHandler):
        """Voila's handler for the widget extensions' JavaScript, letting the browser keep the files whose
        names carry a content hash (Voila asks it to check every file again on every page)."""

        def set_headers(self):
            super().set_headers()
            if HASHED_ASSET.search(self.request.path):
                self.set_header("Cache-Control", "public, max-age=31536000, immutable")

    replace = {FileFindHandler: ExtensionFileHandler, TornadoVoilaHandler: CoursePageHandler,
               TornadoVoilaTreeHandler: CourseTreeHandler,
               AllowListFileHandler: CourseFileHandler}

    class CourseVoila(Voila):
        """Voila serving the course folder; ``/`` redirects to :attr:`home_page`."""

        home_page = Unicode("course/home.ipynb", config=True,
                            help="The page (relative to the course folder) that / opens")
        published_folders = List(Unicode(), list(PUBLISHED_FOLDERS), config=True,
                                 help="The folders (relative to the course folder) a browser may read")

        def init_settings(self):
            share_compiled_templates()
            settings = super().init_settings()
            manager = _published_contents_manager_class()(parent=self, root_dir=self.root_dir,
                                                           published_folders=self.published_folders)
            self.contents_manager = settings["contents_manager"] = manager
            if getattr(self, "identity_provider", None) is not None:
                self.identity_provider.login_handler_class = CourseLoginHandler
            settings["rc_published_folders"] = list(self.published_folders)
            return settings

        def init_handlers(self):
            handlers = []
            for pattern, handler, *extra in super().init_handlers():
                if pattern == self.server_url and handler is TornadoVoilaTreeHandler:
                    continue  # "/" is the course home page, below
                handlers.append((pattern, replace.get(handler, handler), *extra))
            target = url_path_join(self.server_url, "voila/render", self.home_page)
            return [(self.server_url, HomeHandler, {"url": target}), *handlers]

        def start(self):
            import tornado.ioloop

            tornado.ioloop.IOLoop.current().add_callback(self._announce)  # runs once the server listens
            super().start()

        def _announce(self):
            print(f"\nThe course is open at:\n\n    {self.display_url}\n\nThis address is your key to the "
                  "course on this computer: keep it to yourself. Press Ctrl+C to stop.\n", file=sys.stderr,
                  flush=True)

        @property
        def display_url(self):
            token = getattr(getattr(self, "identity_provider", None), "token", "")
            query = f"?token={token}" if token else ""
            return f"http://{self.ip or '127.0.0.1'}:{self.port}{self.base_url}{query}"

        def launch_browser(self):
            """Open the course in the learner's browser, signed in with this launch's token.

            The address goes through a file only this user can read (as Jupyter does), so the token
            never appears in a process list other accounts can see.
            """
            import tempfile
            import threading
            import webbrowser
            from html import escape
            from urllib.request import pathname2url

            try:
                browser = webbrowser.get(self.browser or None)
            except webbrowser.Error as exc:
                self.log.warning("No web browser found: %s.", exc)
                return
            fd, name = tempfile.mkstemp(suffix=".html", prefix="resilience-course-")
            with open(fd, "w", encoding="utf-8") as fh:
                url = escape(self.display_url, quote=True)
                fh.write(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                         f'<meta http-equiv="refresh" content="0;url={url}"><title>Opening the course</title>'
                         f'</head><body><p><a href="{url}">Open the course</a></p></body></html>')
            threading.Thread(target=lambda: browser.open("file:" + pathname2url(name), new=2),
                             daemon=True).start()

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
    # jupyter_server's event schemas import jsonschema, which compiles rfc3987_syntax's grammars for an
    # "iri" format check nothing here uses: seconds at every start (see core/content.validate)
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
    for folder in args.also_publish:
        if not is_published(folder.replace("\\", "/").strip("/"), [folder.replace("\\", "/").strip("/")]):
            print(f"Cannot publish {folder!r}: give a folder inside the course folder.", file=sys.stderr)
            return 2
    print(f"Starting the course (home page: {outline.home}) on http://127.0.0.1:{args.port}/ ...", file=sys.stderr)
    argv = voila_argv(root, args.port, args.open, not args.no_preheat, args.also_publish)
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
