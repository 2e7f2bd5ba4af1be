"""Publishing with Voila: the settings, the launcher, page titles, cell time limits and spare kernels.

These run without a browser; ``tests/browser/`` drives the published pages in Chromium.
"""

from __future__ import annotations

import os
import re

import nbformat
import pytest
from resilience_course.cli import COMMANDS, build_parser
from resilience_course.core.course import load_outline
from resilience_course.publish import server as serve
from traitlets.config.loader import PyFileConfigLoader


@pytest.fixture
def voila_config(monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", "")
    return PyFileConfigLoader("voila.py", path=str(serve.CONFIG_DIR)).load_config()


def test_serve_is_a_command():
    assert "resilience_course.commands.serve" in COMMANDS
    args = build_parser().parse_args(["serve", "--port", "9001", "--no-preheat"])
    assert args.func is serve.serve and args.port == 9001 and args.no_preheat and not args.open


def test_voila_settings_publish_for_one_learner_on_this_computer(voila_config, monkeypatch):
    c = voila_config
    assert c.Voila.ip == "127.0.0.1"
    assert c.Voila.tornado_settings["allow_remote_access"] is False
    vc = c.VoilaConfiguration
    assert vc.template == "resilience-course"
    assert vc.strip_sources is True and vc.show_tracebacks is False
    assert "@jupyter/nbgrader" in vc.extension_denylist
    assert vc.preheat_kernel is True and vc.default_pool_size == 0
    pools = c.VoilaKernelManager.kernel_pools_config
    assert pools["default"]["pool_size"] == 0  # without it Voila heats a kernel for every notebook
    assert pools["course/home.ipynb"]["pool_size"] >= 1
    assert pools["course/self-checks.ipynb"]["pool_size"] >= 1
    assert c.MappingKernelManager.cull_idle_timeout > 0 and c.MappingKernelManager.cull_connected is False
    assert c.VoilaExecutor.timeout_func is serve.cell_timeout and c.VoilaExecutor.interrupt_on_timeout
    assert vc.multi_kernel_manager_class == "resilience_course.publish.server.WarmKernelManager"
    # the config file points Voila at the course template shipped beside it
    share = serve.CONFIG_DIR / "share"
    assert str(share) in os.environ["JUPYTER_PATH"].split(os.pathsep)
    assert (share / "voila" / "templates" / "resilience-course" / "index.html.j2").is_file()


def test_the_template_requests_nothing_from_other_hosts():
    folder = serve.CONFIG_DIR / "share" / "voila" / "templates" / "resilience-course"
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            urls = re.findall(r"https?://[^\s'\"<>)]+", text)
            # the only addresses are the CDN links the template removes from Voila's page
            assert all("cdn.jsdelivr.net/npm/@fortawesome" in u for u in urls), (path.name, urls)
            if urls:
                assert "replace(fa_all, '')" in text and "replace(fa_shims, '')" in text


def test_voila_arguments():
    argv = serve.voila_argv(serve.CONFIG_DIR.parent, 9123)
    assert f"--Voila.config_file_paths={serve.CONFIG_DIR}" in argv and "--port=9123" in argv
    assert not any("preheat" in a or "open_browser" in a for a in argv)
    cold = serve.voila_argv(serve.CONFIG_DIR.parent, 9123, open_browser=True, preheat=False)
    assert "--VoilaConfiguration.preheat_kernel=False" in cold
    assert "--WarmKernelManager.warm_pool_size=0" in cold
    assert "--Voila.open_browser=True" in cold


def test_cell_timeout_spares_only_the_first_cell():
    assert serve.cell_timeout(nbformat.v4.new_code_cell("import resilience_course as rc")) is None
    assert serve.cell_timeout({"source": ["import resilience_course", " as rc\n"]}) is None
    assert serve.cell_timeout(nbformat.v4.new_code_cell('rc.header("01.01")')) == serve.CELL_TIMEOUT
    assert serve.cell_timeout(nbformat.v4.new_code_cell("import os")) == serve.CELL_TIMEOUT
    assert 0 < serve.CELL_TIMEOUT <= 300


def test_page_titles_come_from_the_outline(root):
    outline = load_outline(root)
    assert serve.page_title("home", root) == outline.title
    tool = outline.tools[0]
    assert serve.page_title(os.path.splitext(os.path.basename(tool["path"]))[0], root) == \
        f"{tool['title']} - {outline.title}"
    module = outline.modules[0]
    overview, first = module.sections[0], module.sections[1]
    stem = os.path.splitext(os.path.basename(first.path))[0]
    assert serve.page_title(stem, root) == f"{first.title} - Module {module.number} - {outline.title}"
    stem = os.path.splitext(os.path.basename(overview.path))[0]
    assert serve.page_title(stem, root).startswith(module.title)
    assert serve.page_title("no-such-page", root) == ""


def test_page_title_preprocessor_sets_the_notebook_title(root, monkeypatch):
    monkeypatch.setenv("RESILIENCE_COURSE_ROOT", str(root))
    nb = nbformat.v4.new_notebook()
    nb, _ = serve.PageTitle().preprocess(nb, {"metadata": {"name": "home"}})
    assert nb.metadata["title"] == load_outline(root).title
    other = nbformat.v4.new_notebook()
    other, _ = serve.PageTitle().preprocess(other, {"metadata": {"name": "not-a-course-page"}})
    assert "title" not in other.metadata


def test_await_learner_returns_at_once_outside_a_preheated_kernel(monkeypatch):
    from resilience_course.ui import session as common

    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setattr(common, "_learner_arrived", False)
    monkeypatch.setattr(common, "warm_up", lambda: pytest.fail("no warm-up outside a preheated kernel"))
    common.await_learner()
    monkeypatch.setenv("VOILA_PREHEAT", "False")  # a kernel Voila starts on request
    common.await_learner()
    assert common._learner_arrived is False


def test_a_preheated_kernel_warms_up_once_and_runs_the_page_without_waiting(monkeypatch):
    """The page runs in full ahead of the learner (the server uses it only while it is up to date:
    publish/heated.py); it used to wait for the request before running anything but its first cell."""
    import voila.utils
    from resilience_course.ui import session as common

    calls = []
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(common, "_learner_arrived", False)
    monkeypatch.setattr(common, "warm_up", lambda: calls.append("warm"))
    monkeypatch.setattr(voila.utils, "wait_for_request", lambda url=None: calls.append("wait"))
    common.await_learner()
    common.await_learner()
    assert calls == ["warm"]


def test_warm_up_imports_the_course_widgets():
    import sys

    from resilience_course.ui.common import warm_up

    warm_up()
    assert "resilience_course.pages.widgets" in sys.modules and "matplotlib.figure" in sys.modules


def test_warm_up_can_leave_matplotlib_until_a_page_draws_a_chart(tmp_path):
    """The cohort server's spare kernels (RESILIENCE_COURSE_WARM_CHARTS=0) do not load matplotlib, about
    28 MB of each kernel's own memory; a chart is still drawn when a page asks for one."""
    import os
    import subprocess
    import sys

    from resilience_course.ui.session import WARM_CHARTS_ENV

    code = ("import sys; from resilience_course.ui.session import warm_up; warm_up(); "
            "print('matplotlib.figure' in sys.modules, 'resilience_course.pages.widgets' in sys.modules); "
            "from resilience_course.core.charts import bar_chart; bar_chart('t', ['a'], [1.0], 'n'); "
            "print('matplotlib.figure' in sys.modules)")
    env = {**os.environ, "RESILIENCE_COURSE_DATA_DIR": str(tmp_path), "MPLBACKEND": "Agg"}
    lean = subprocess.run([sys.executable, "-c", code], env={**env, WARM_CHARTS_ENV: "0"},
                          capture_output=True, text=True, timeout=120)
    assert lean.stdout.split() == ["False", "True", "True"], lean.stderr[-2000:]
    full = subprocess.run([sys.executable, "-c", code], env={**env, WARM_CHARTS_ENV: "1"},
                          capture_output=True, text=True, timeout=120)
    assert full.stdout.split() == ["True", "True", "True"], full.stderr[-2000:]


def test_the_page_reaper_skips_a_kernel_still_starting():
    """A kernel that has not started yet has no last_activity (reading it raises TraitError): the check
    that stops kernels of pages left behind skipped nothing and crashed on every pass while one started."""
    from datetime import datetime, timezone

    from traitlets import TraitError

    class Starting:
        @property
        def last_activity(self):
            raise TraitError("The 'last_activity' trait expected a datetime, not the NoneType None.")

    class Started:
        last_activity = datetime.now(timezone.utc)

    km = serve.WarmKernelManager(warm_pool_size=0)
    km._kernels = {"starting": Starting(), "started": Started()}
    assert list(km._activity()) == ["started"]


def test_spare_kernels_go_only_to_course_pages_started_on_request():
    km = serve.WarmKernelManager(warm_pool_size=0)
    km._spares = ["a spare"]  # _wants_spare only looks at whether one exists
    request_env = {"VOILA_PREHEAT": "False"}
    assert km._wants_spare("modules/01-context-of-health-visiting", request_env, "python3")
    assert km._wants_spare("course", request_env, None)
    assert km._wants_spare("course/facilitator", request_env, "python3")
    assert not km._wants_spare("assessments/source/module-01-quiz", request_env, "python3")
    assert not km._wants_spare("coursework", request_env, "python3")
    assert not km._wants_spare("modules/01-context-of-health-visiting", {"VOILA_PREHEAT": "True"}, "python3")
    assert not km._wants_spare("modules/01-context-of-health-visiting", request_env, "ir")
    km._spares = []
    assert not km._wants_spare("modules/01-context-of-health-visiting", request_env, "python3")


@pytest.mark.parametrize("path, published", [
    ("course/home.ipynb", True),
    ("modules/01-context-of-health-visiting/01-00-overview.ipynb", True),
    ("course", True),
    ("assessments/source/module-01-quiz/module-01-quiz.ipynb", False),
    ("course/../assessments/source/module-01-quiz/module-01-quiz.ipynb", False),
    ("course/./home.ipynb", False),
    ("/course/home.ipynb", False),
    ("course\\..\\assessments\\x.ipynb", False),
    ("coursework/home.ipynb", False),
    ("modules-old/x.ipynb", False),
    ("course//home.ipynb", False),
    ("course/home.ipynb\x00", False),
    ("", False),
    ("README.md", False),
])
def test_only_course_and_modules_are_published(path, published):
    assert serve.is_published(path) is published


def test_extra_published_folders_are_nested_paths():
    assert serve.is_published("tests/browser/pages/broken.ipynb", ["tests/browser/pages"])
    assert not serve.is_published("tests/browser/other.ipynb", ["tests/browser/pages"])
    argv = serve.voila_argv(serve.CONFIG_DIR.parent, 9123, also_publish=["tests/browser/pages/"])
    assert '--CourseVoila.published_folders=["course", "modules", "tests/browser/pages"]' in argv


def test_the_contents_manager_reads_only_published_folders(tmp_path):
    from tornado.web import HTTPError

    for folder in ("course", "modules/m1", "assessments/source", "outside"):
        (tmp_path / folder).mkdir(parents=True)
    nb = nbformat.writes(nbformat.v4.new_notebook())
    (tmp_path / "course" / "home.ipynb").write_text(nb)
    (tmp_path / "assessments" / "source" / "key.ipynb").write_text(nb)
    (tmp_path / "outside" / "secret.ipynb").write_text(nb)
    (tmp_path / "course" / "link").symlink_to(tmp_path / "outside")  # a link out of course/
    cm = serve._published_contents_manager_class()(root_dir=str(tmp_path))
    assert cm.get("course/home.ipynb")["type"] == "notebook"
    assert [m["name"] for m in cm.get("")["content"]] == ["course", "modules"]
    for path in ("assessments/source/key.ipynb", "course/../assessments/source/key.ipynb",
                 "course/link/secret.ipynb", "outside"):
        with pytest.raises(HTTPError) as refused:
            cm.get(path)
        assert refused.value.status_code == 404
        assert not cm.exists(path) and not cm.file_exists(path)
    assert cm.dir_exists("") and cm.dir_exists("modules/m1") and not cm.dir_exists("assessments")


def test_voila_settings_require_a_token_each_launch(voila_config):
    assert voila_config.Voila.auto_token is True
    assert voila_config.PasswordIdentityProvider.allow_password_change is False


def test_only_content_hashed_extension_files_are_kept_by_the_browser():
    hashed = ["/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/remoteEntry.c8c9eed2cdefdeac.js",
              "/voila/labextensions/@voila-dashboards/widgets-manager8/static/496.ad7666673ba278088e95.js"]
    plain = ["/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/style.js",
             "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/package.json", "/voila/static/voila.js"]
    assert all(serve.HASHED_ASSET.search(p) for p in hashed)
    assert not any(serve.HASHED_ASSET.search(p) for p in plain)


def test_a_spare_kernel_fills_the_cache_once_per_version(tmp_path, monkeypatch):
    from resilience_course.core.cache import fingerprint
    from resilience_course.publish import warm

    monkeypatch.setenv("RESILIENCE_COURSE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RESILIENCE_COURSE_CACHE", raising=False)
    assert warm.fill_cache() >= 10  # every content file and the fixed figures
    assert (tmp_path / "cache" / f"filled-{fingerprint()[:16]}").exists()
    assert len(list((tmp_path / "cache").rglob("*.json"))) >= 10
    assert warm.fill_cache() == 0  # already done for this version
    assert "warm_kernel" in serve.WARM_UP


def test_the_kernel_connection_sends_each_message_at_once(voila_config, monkeypatch):
    """Tornado leaves Nagle's algorithm on for websockets and jupyter_server never turns it off, so the
    answer a page waits for (after a small "busy" message) waited for the browser's delayed
    acknowledgement: about 40 ms on each of the two questions every page asks before it is drawn."""
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
    from resilience_course.hub import singleuser

    calls = []

    class Handler:
        def set_nodelay(self, value):
            calls.append(("nodelay", value))

    def base_connect(self):
        calls.append(("connect", None))
        return "connected"

    cls = serve.PromptConnection
    assert issubclass(cls, ZMQChannelsWebsocketConnection)
    conn = cls()  # no kernel behind it: only the order of the two steps is checked
    conn._trait_values["websocket_handler"] = Handler()
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", base_connect)
    assert cls.connect(conn) == "connected"
    assert calls == [("nodelay", True), ("connect", None)]
    # used by serve, and by every server under the hub
    assert voila_config.Voila.kernel_websocket_connection_class == "resilience_course.publish.server.PromptConnection"
    for role in ("learners", "facilitators", "trainers"):
        from traitlets.config import Config

        c = Config()
        singleuser.server_config(c, role)
        assert c.ServerApp.kernel_websocket_connection_class == singleuser.PROMPT_CONNECTION, role
    from traitlets.utils.importstring import import_item

    assert import_item(singleuser.PROMPT_CONNECTION) is cls


def test_a_connection_the_page_closed_itself_is_told_to_the_kernel_manager(tmp_path, monkeypatch):
    """A close code (1000: the course page closing its connection as it is left; 1001: the browser, for a
    page that went away) is told to the kernel manager after jupyter_server's own bookkeeping, so that the
    page's kernel gets the short grace; a connection lost without a close code keeps the long one."""
    from types import SimpleNamespace

    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

    from tests.publish.test_heated import in_thread

    def base_disconnect(self):
        self.multi_kernel_manager.notify_disconnect(self.kernel_id)

    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "disconnect", base_disconnect)

    class Handler:
        close_code = None

    async def main():
        km = serve.WarmKernelManager(warm_pool_size=0, root_dir=str(tmp_path), page_closed_grace=0,
                                     page_left_grace=3600)
        km._closing = True
        due = {}
        for code in (1000, 1001, None, 1006):
            kernel_id = f"k{code}"
            km._pages.opened(kernel_id)
            km._pages.connect(kernel_id)
            conn = serve.PromptConnection()  # no kernel behind it: only what it tells the manager
            handler = Handler()
            handler.close_code = code
            kernel = SimpleNamespace(parent=km, kernel_id=kernel_id)  # its kernel's manager, as jupyter_server's
            conn._trait_values.update(websocket_handler=handler, parent=kernel)
            conn.disconnect()
            due[code] = kernel_id in km._pages.due()
        assert due == {1000: True, 1001: True, None: False, 1006: False}

    in_thread(main)


def test_a_page_kernel_answers_kernel_info_before_the_page_connects(tmp_path):
    """jupyter_server asks a kernel for its kernel_info before it accepts a page's connection, unless it
    was asked already (``_kernel_info_future`` on the kernel's manager). The course asks as soon as a
    page's kernel is given out, so the answer is there when the page's scripts connect."""
    import asyncio

    from tests.publish.test_heated import in_thread

    async def main():
        km = serve.WarmKernelManager(warm_pool_size=0, root_dir=str(tmp_path))
        kernel_id = await km.start_kernel(path="")
        try:
            future = km.get_kernel(kernel_id)._kernel_info_future
            info = await asyncio.wait_for(asyncio.shield(future), timeout=60)
            assert info["protocol_version"].startswith("5.")
            assert info["language_info"]["name"] == "python"
            # asked once: a second call keeps the answer given
            km._ask_kernel_info(kernel_id)
            assert km.get_kernel(kernel_id)._kernel_info_future is future
        finally:
            await km.shutdown_kernel(kernel_id, now=True)
            km._closing = True

    in_thread(main)


def test_a_kernels_activity_and_state_are_watched_as_jupyter_server_does(tmp_path):
    """The course reads only the headers of a kernel's messages to record its activity: the culler and
    the page reaper still see it busy while it runs and idle after, with its last activity updated."""
    import asyncio

    from tests.publish.test_heated import in_thread

    async def main():
        km = serve.WarmKernelManager(warm_pool_size=0, root_dir=str(tmp_path))
        kernel_id = await km.start_kernel(path="")
        kernel = km.get_kernel(kernel_id)
        client = kernel.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            # a first cell: the status messages a kernel publishes as it starts (its "starting", its answers
            # to requests queued before it was up) can be missed by a subscriber that is still joining, and
            # jupyter_server's rules then leave the kernel "starting" until a cell runs (a page's first cell
            # always does); failed once in make test under load
            await client.execute_interactive("pass", timeout=60)
            for _ in range(100):
                if kernel.execution_state == "idle":
                    break
                await asyncio.sleep(0.05)
            assert kernel.execution_state == "idle"
            before = kernel.last_activity
            client.execute("import time; time.sleep(1)")
            states = set()
            for _ in range(100):
                states.add(kernel.execution_state)
                if "busy" in states and kernel.execution_state == "idle":
                    break
                await asyncio.sleep(0.05)
            assert "busy" in states and kernel.execution_state == "idle"
            assert kernel.last_activity > before
            assert km.last_kernel_activity >= kernel.last_activity
        finally:
            client.stop_channels()
            await km.shutdown_kernel(kernel_id, now=True)
            km._closing = True

    in_thread(main)
