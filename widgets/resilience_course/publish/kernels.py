"""The kernels behind the course pages: each cell's time limit, and a spare kernel kept ready.

* :func:`cell_timeout`: the time limit for each cell (none for a page's first cell, the import);
* ``WarmKernelManager`` (built by :func:`_warm_kernel_manager_class` on first use, through
  ``resilience_course.publish.server``): one spare kernel kept ready, with the course's widgets already
  imported, for pages that are not preheated (every section page), so that "Next" opens quickly.
"""

from __future__ import annotations

import os

__all__ = ["cell_timeout", "CELL_TIMEOUT", "FIRST_CELL", "WARM_UP"]

CELL_TIMEOUT = 60  # seconds a cell may run before the page gives up (and the kernel is interrupted)
FIRST_CELL = "import resilience_course as rc"
WARM_UP = "import resilience_course.publish.warm as _rc_warm; _rc_warm.warm_kernel(); del _rc_warm"


def cell_timeout(cell) -> int | None:
    """Voila's per-cell time limit: :data:`CELL_TIMEOUT`, except for the first cell of a course page.

    ``import resilience_course`` has no limit: every later cell needs it, and on a machine just started (or
    in a kernel being preheated, where it also imports every widget module) it can be slow; interrupting
    it would leave the whole page empty. Every other cell gets :data:`CELL_TIMEOUT` seconds.
    """
    source = cell.get("source", "") if hasattr(cell, "get") else ""
    if isinstance(source, list):
        source = "".join(source)
    return None if source.strip() == FIRST_CELL else CELL_TIMEOUT


def _warm_kernel_manager_class():
    import asyncio
    from datetime import datetime, timezone

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from tornado.ioloop import PeriodicCallback
    from traitlets import Float, Integer, List, TraitError, Unicode

    from .lifetime import CLOSED_GRACE, CONNECT_GRACE, LEFT_GRACE, REAP_INTERVAL, PageKernels

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
        page_connect_grace = Float(CONNECT_GRACE, config=True,
                                   help="Seconds a page's kernel waits, after its last cell, for the page to "
                                        "connect before it is stopped (the page was left while opening)")
        page_left_grace = Float(LEFT_GRACE, config=True,
                                help="Seconds a page's kernel is kept after its page's connection was lost")
        page_closed_grace = Float(CLOSED_GRACE, config=True,
                                  help="Seconds a page's kernel is kept after its page closed its connection")

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self._spares: list[asyncio.Task] = []
            self._wake: dict[asyncio.Task, asyncio.Event] = {}
            self._spare_ids: set[str] = set()
            self._closing = False
            self._pages = PageKernels(self.page_connect_grace, self.page_left_grace,
                                      closed_grace=self.page_closed_grace)
            self._reaper = None
            self._fill(delay=0)
            if hasattr(type(self), "get_rendered_notebook"):  # Voila's preheated pages (serve): only fresh ones
                from .heated import use_fresh_pages

                use_fresh_pages(self, on_handout=self._pages.handed_out)

        # -- kernels of pages nobody will use again ---------------------------------------------------
        def initialize_culler(self):
            super().initialize_culler()
            if self._reaper is None and not self._closing:
                self._reaper = PeriodicCallback(self._reap, 1000 * REAP_INTERVAL)
                self._reaper.start()

        def _in_pool(self, kernel_id: str) -> bool:
            """Whether Voila keeps *kernel_id* ready for a page (preheated, not yet handed out)."""
            for pool in getattr(self, "_pools", {}).values():
                for task in pool:
                    if task.done() and not task.cancelled() and task.exception() is None:
                        if (task.result() or {}).get("kernel_id") == kernel_id:
                            return True
            return False

        def _activity(self) -> dict[str, float]:
            """Each page kernel's last activity, on the monotonic clock :class:`PageKernels` uses."""
            import time

            now, wall = time.monotonic(), datetime.now(timezone.utc)
            out = {}
            for kernel_id in list(self._kernels):
                try:
                    last = getattr(self._kernels[kernel_id], "last_activity", None)
                except TraitError:  # a kernel still starting has none yet
                    continue
                if last is not None:
                    if last.tzinfo is None:
                        last = last.replace(tzinfo=timezone.utc)
                    out[kernel_id] = now - (wall - last).total_seconds()
            return out

        async def _reap(self):
            def busy(kernel_id):
                kernel = self._kernels.get(kernel_id)
                return kernel is None or getattr(kernel, "execution_state", "") in ("busy", "starting") \
                    or self._in_pool(kernel_id)

            for kernel_id in self._pages.due(busy, self._activity()):
                self._pages.forget(kernel_id)
                if kernel_id in self:
                    self.log.info("Stopping kernel %s: its page was left (no browser connected to it)", kernel_id)
                    try:
                        await self.shutdown_kernel(kernel_id)
                    except Exception:
                        self.log.warning("Could not stop kernel %s", kernel_id, exc_info=True)

        def notify_connect(self, kernel_id):
            super().notify_connect(kernel_id)
            self._pages.connect(kernel_id)

        def notify_disconnect(self, kernel_id):
            super().notify_disconnect(kernel_id)
            self._pages.disconnect(kernel_id)

        def page_closed_connection(self, kernel_id):
            """The connection to *kernel_id* that just went was closed by its page (PromptConnection)."""
            self._pages.closed_by_page(kernel_id)

        def remove_kernel(self, kernel_id):
            self._pages.forget(kernel_id)
            return super().remove_kernel(kernel_id)

        def start_watching_activity(self, kernel_id):
            """jupyter_server's watch on a kernel's IOPub (its last activity and execution state, which
            the culler and the page reaper read), reading only the headers it needs.

            jupyter_server checks each message's signature and turns every date in its headers into a
            ``datetime`` (``Session.deserialize``) to read two names: a page's kernel sends a message
            for each widget it makes (hundreds on a knowledge-check page), and the server spent more
            time here than on sending the page. The rules are jupyter_server's own; the messages come
            from the kernel's IOPub socket, which only the kernel can publish to.
            """
            from jupyter_server._tz import utcnow

            kernel = self._kernels[kernel_id]
            kernel.reason = ""
            kernel.last_activity = utcnow()
            kernel._activity_stream = kernel.connect_iopub()
            session = kernel.session

            def record_activity(msg_list):
                try:
                    _idents, parts = session.feed_identities(msg_list)
                    msg_type = session.unpack(parts[1]).get("msg_type")
                    parent_type = (session.unpack(parts[2]) or {}).get("msg_type")
                except Exception:
                    self.log.debug("an unreadable IOPub message from %s", kernel_id, exc_info=True)
                    return
                if (self.track_message_type(msg_type) or self.track_message_type(parent_type)
                        or kernel.execution_state == "busy"):
                    self.last_kernel_activity = kernel.last_activity = utcnow()
                if msg_type == "status":
                    try:
                        state = session.unpack(parts[4])["execution_state"]
                    except Exception:
                        return
                    if self.track_message_type(parent_type):
                        kernel.execution_state = state
                    elif kernel.execution_state == "starting" and state != "starting":
                        kernel.execution_state = "idle"  # jupyter_server's rule after starting

            kernel._activity_stream.on_recv(record_activity)

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
            self._ask_kernel_info(kernel_id)
            return kernel_id

        def _ask_kernel_info(self, kernel_id: str) -> None:
            """Ask *kernel_id* for its ``kernel_info`` now, in the background, and keep the answer where
            jupyter_server looks for it when a page connects.

            Before it accepts a page's connection, jupyter_server asks the kernel for its ``kernel_info``
            (to learn its protocol version) and waits for the answer, unless an earlier connection to
            the same kernel has asked already (``_kernel_info_future`` on the kernel's manager: a future
            of the reply's content, ``{}`` if there was none). A page's kernel has only ever one
            connection, so every page waited for that question. Asked here, while the page is still
            being sent and its scripts load, the answer is ready when the page connects. The same
            question as jupyter_server's, on a shell channel of its own, with the same time limit.
            """
            kernel = self._kernels.get(kernel_id)
            if kernel is None or getattr(kernel, "_kernel_info_future", None) is not None:
                return
            loop = asyncio.get_event_loop()
            future = loop.create_future()
            try:  # a socket of its own (no identity shared with Voila's client), as jupyter_server's
                stream = self.connect_shell(kernel_id)
            except Exception:
                self.log.debug("kernel_info from %s could not be asked ahead", kernel_id, exc_info=True)
                return
            kernel._kernel_info_future = future

            def answer(info: dict) -> None:
                if not future.done():
                    future.set_result(info)
                give_up.cancel()
                if not stream.closed():
                    stream.close()

            def on_reply(msg_list) -> None:
                info: dict = {}
                try:
                    _idents, parts = kernel.session.feed_identities(msg_list)
                    msg = kernel.session.deserialize(parts)
                    if msg["msg_type"] == "kernel_info_reply" and "protocol_version" in msg["content"]:
                        info = msg["content"]
                except Exception:
                    self.log.debug("a bad kernel_info reply from %s", kernel_id, exc_info=True)
                answer(info)

            give_up = loop.call_later(float(getattr(self, "kernel_info_timeout", 60) or 60), answer, {})
            stream.on_recv(on_reply)
            kernel.session.send(stream, "kernel_info_request")

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
                    self._pages.opened(spare)
                    self.log.info("Using a spare kernel %s for %s", spare, path)
                    return spare
            started = await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
            if kernel_id is None:  # a new kernel for a page (or for Voila's pool: _in_pool tells them apart)
                self._pages.opened(started)
                self._ask_kernel_info(started)
            return started

        async def cull_kernel_if_idle(self, kernel_id):
            if kernel_id in self._spare_ids:
                return None
            return await super().cull_kernel_if_idle(kernel_id)

        async def shutdown_all(self, now=False):
            self._closing = True
            if self._reaper is not None:
                self._reaper.stop()
            spares, self._spares = self._spares, []
            self._wake.clear()
            for task in spares:
                # Voila shuts down from a fresh event loop after the server's has stopped, so these
                # tasks cannot be awaited here: a spare that has started is shut down with the rest.
                if not task.done():
                    task.cancel()
            await super().shutdown_all(now=now)

    WarmKernelManager.__module__ = "resilience_course.publish.server"
    return WarmKernelManager


def _quick_ready_client_class():
    import time
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_core.utils import ensure_async

    class QuickReadyClient(AsyncKernelClient):
        """jupyter_client's kernel client, made ready in milliseconds rather than 0.2 s.

        Before Voila runs a page's cells it makes a client for the page's kernel and waits until the
        kernel answers (``wait_for_ready``). jupyter_client then empties the IOPub channel by waiting
        until nothing has arrived for 0.2 s, and waits 0.2 s for each IOPub check: every page paid
        about 0.2 s before its first cell ran. Here the same checks wait 20 ms at a time (the kernel
        is asked again when IOPub is not connected yet), and the channel is emptied without waiting.
        """

        async def _async_wait_for_ready(self, timeout=None):
            deadline = time.time() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await ensure_async(self.shell_channel.get_msg(timeout=1))
                except Empty:
                    msg = None
                if msg is not None and msg["msg_type"] == "kernel_info_reply":
                    try:  # IOPub connected: the kernel's "busy" for this request has arrived
                        await ensure_async(self.iopub_channel.get_msg(timeout=0.02))
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.time() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
            while True:  # empty the IOPub channel of this check's replies
                try:
                    await ensure_async(self.iopub_channel.get_msg(timeout=0.005))
                except Empty:
                    break

        wait_for_ready = _async_wait_for_ready

    QuickReadyClient.__module__ = "resilience_course.publish.server"
    return QuickReadyClient
