"""``resilience-course serve``: publish the course with Voila, for one learner on this computer.

The Voila settings live in ``resilience_course/publish/voila/voila.py``, with the course's page
template beside them. This module is the ``serve`` command (:func:`register`, :func:`serve`,
:func:`voila_argv`); what a config file cannot say by itself lives beside it, and every name stays
importable from here (``voila.py`` names ``resilience_course.publish.server.PageTitle`` and
``...WarmKernelManager``):

* :func:`make_app_class` (``app.py``): Voila, with ``/`` opening the course home page (not Voila's file list),
  and the kernel of a page the learner leaves stopped at once (Voila's own request is refused);
* :class:`PageTitle` (``titles.py``): each page's ``<title>`` from the course outline;
* :class:`WarmKernelManager` (``kernels.py``): one spare kernel kept ready, with the course's widgets already
  imported, for pages that are not preheated (every section page), so that "Next" opens quickly;
* :func:`cell_timeout` (``kernels.py``): the time limit for each cell;
* :func:`share_compiled_templates` (``app.py``): page templates compiled once per server.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from ..core.content import ContentError
from .app import (
    HASHED_ASSET,
    LOGIN_PAGE,
    PUBLISHED_FOLDERS,
    _published_contents_manager_class,
    is_published,
    make_app_class,
    share_compiled_templates,
)
from .connection import _prompt_connection_class
from .kernels import (
    CELL_TIMEOUT,
    FIRST_CELL,
    WARM_UP,
    _quick_ready_client_class,
    _warm_kernel_manager_class,
    cell_timeout,
)
from .titles import _page_title_class, page_title

# (and PageTitle and WarmKernelManager, built on first use so the command line stays quick)
__all__ = ["register", "serve", "voila_argv", "make_app_class", "page_title", "cell_timeout", "CONFIG_DIR",
           "share_compiled_templates", "is_published", "PUBLISHED_FOLDERS", "CELL_TIMEOUT", "FIRST_CELL", "WARM_UP",
           "HASHED_ASSET", "LOGIN_PAGE", "_published_contents_manager_class", "_page_title_class",
           "_warm_kernel_manager_class", "_quick_ready_client_class", "_prompt_connection_class"]

CONFIG_DIR = Path(__file__).resolve().parent / "voila"
DEFAULT_PORT = 8866


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
    p.add_argument("--voila-arg", action="append", default=[], metavar="--Class.trait=VALUE",
                   help="pass one more setting to Voila, for example --voila-arg=--WarmKernelManager.warm_pool_size=0 "
                        "(for authors and tests; the course's settings are in publish/voila/voila.py)")
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
    for extra in args.voila_arg:
        if not re.fullmatch(r"--[A-Za-z_][\w]*\.[A-Za-z_]\w*=.*", extra, re.S):
            print(f"Cannot pass {extra!r} to Voila: write it as --Class.trait=VALUE.", file=sys.stderr)
            return 2
        argv.append(extra)
    make_app_class().launch_instance(argv=argv, home_page=outline.home)
    return 0


_LAZY = {"PageTitle": _page_title_class, "WarmKernelManager": _warm_kernel_manager_class,
         "QuickReadyClient": _quick_ready_client_class, "PromptConnection": _prompt_connection_class}


def __getattr__(name):
    # built on first use, so ``resilience-course`` sub-commands do not import Voila or nbconvert
    if name in _LAZY:
        value = _LAZY[name]()
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
