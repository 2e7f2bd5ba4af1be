"""The course's Voila application: :func:`make_app_class` and the pieces it is made of.

* ``/`` opens the course home page (not Voila's file list), signing the browser in with ``?token=``;
* only the published folders (``course/`` and ``modules/``) are served, read through
  :class:`PublishedContentsManager`;
* each page sets the ``_xsrf`` cookie, so that the kernel of a page the learner leaves is stopped;
* a plain-words sign-in page, long browser caching for hashed widget assets;
* :func:`share_compiled_templates`: page templates compiled once per server.

Voila is imported only inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

__all__ = ["make_app_class", "share_compiled_templates", "is_published", "PUBLISHED_FOLDERS", "HASHED_ASSET",
           "LOGIN_PAGE"]

PUBLISHED_FOLDERS = ("course", "modules")  # the only folders a browser may read
HASHED_ASSET = re.compile(r"[.-][0-9a-f]{16,}\.(js|css|woff2?)$")  # webpack names a built file by its content


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

    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

    class PageLeftHandler(VoilaShutdownKernelHandler):
        """``/voila/api/shutdown/<kernel>``, the request a page sends as it is left. The course page asks
        as soon as it knows its kernel and Voila's widgets ask again once loaded (publish/lifetime.py):
        a kernel that has already ended is not an error."""

        @web.authenticated
        async def post(self, kernel_id):
            if kernel_id in self.kernel_manager:
                await super().post(kernel_id)
            else:
                self.set_status(204)
                self.finish()

    from jupyter_server.base.handlers import FileFindHandler

    class ExtensionFileHandler(FileFindHandler):
        """Voila's handler for the widget extensions' JavaScript, letting the browser keep the files whose
        names carry a content hash (Voila asks it to check every file again on every page)."""

        def set_headers(self):
            super().set_headers()
            if HASHED_ASSET.search(self.request.path):
                self.set_header("Cache-Control", "public, max-age=31536000, immutable")

    replace = {FileFindHandler: ExtensionFileHandler, TornadoVoilaHandler: CoursePageHandler,
               TornadoVoilaTreeHandler: CourseTreeHandler, VoilaShutdownKernelHandler: PageLeftHandler,
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
