"""One learner without a browser: what the self-checks page's browser asks of the course server.

Used by ``load.py --client protocol``. Each learner, in plain Python (tornado's HTTP and websocket
clients, in this script's own event loop):

1. GETs the page with the server's token (``?token=``, which also sets the login and ``_xsrf``
   cookies) and reads it to its end, as Voila streams it. The kernel's id is taken from the
   ``jupyter-config-data`` script at the top of the body, and the next step starts at once, as in
   the browser: the course template loads Voila's scripts ``async`` at the top of the body, and
   Voila's widget manager connects while the cells still run;
2. does what Voila's widget manager (ipywidgets 8) then does: ``GET /api/kernels/<id>``, the kernel's
   websocket ``/api/kernels/<id>/channels`` (token in the ``Authorization`` header; Jupyter's JSON
   websocket protocol, not the binary ``v1.kernel.websocket.jupyter.org`` one JupyterLab's services
   choose: the same messages), a ``kernel_info_request``, then the widgets' state: a ``comm_open``
   on target ``jupyter.widget.control`` (metadata version 1.0.0) and a ``comm_msg``
   ``{"method": "request_states"}``, answered by ``update_states``. Widgets the cells create after
   that reply reach the frontend as ``comm_open`` messages on IOPub, which are kept too (ipywidgets'
   frontend waits 4 s for the reply, then asks widget by widget: later replies are counted).
   **Time to interactive** runs from the GET to the page's end with the SHARENOW self-check's
   widgets all known: the server's share of the page becoming usable;
3. completes the SHARENOW self-check as the page's buttons would (an ``update`` of each item's
   ``index``, then a ``click`` on "See my result") and waits for the kernel to say the result was
   saved (**time to a saved result**);
4. once released, leaves the page as the page does: ``POST /voila/api/shutdown/<id>`` with the
   ``_xsrf`` cookie's value in the form (cookie sign-in, no token), then closes the websocket.

A browser also downloads Voila's scripts and the widgets' (from an empty cache, on a first visit),
and then draws the widgets: none of that is done here.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from datetime import datetime, timezone
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CONFIG_RE = re.compile(rb'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*</script>', re.S)
SAVED = "saved to your own record"
NOT_SAVED = "could not be saved"
PAGE_ERROR = 'class="rc-cell-error"'


def kernel_id_from(html: bytes) -> str | None:
    """The kernel id in the page's ``jupyter-config-data`` script (None until that script is complete)."""
    found = CONFIG_RE.search(html)
    if not found:
        return None
    try:
        return json.loads(found.group(1)).get("kernelId") or None
    except ValueError:
        return None


def decode(frame: str | bytes) -> dict:
    """A message from the kernel websocket (JSON text, or Jupyter's binary frame when it has buffers)."""
    if isinstance(frame, bytes):
        from jupyter_server.services.kernels.connection.base import deserialize_binary_message

        return deserialize_binary_message(frame)
    return json.loads(frame)


def message(msg_type: str, content: dict, session: str, channel: str = "shell", metadata: dict | None = None) -> str:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "learner", "session": session,
              "date": datetime.now(timezone.utc).isoformat(), "version": "5.3"}
    return json.dumps({"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content,
                       "buffers": [], "channel": channel})


def _ref(value) -> str | None:
    return value[len("IPY_MODEL_"):] if isinstance(value, str) and value.startswith("IPY_MODEL_") else None


def sharenow_widgets(states: dict, title: str = "SHARENOW") -> dict | None:
    """The SHARENOW self-check's widgets in an ``update_states`` reply: its item buttons (ToggleButtons,
    in order), its "See my result" button and the HTML that says whether the result was saved.

    The self-check is the VBox with class ``rc-selfcheck`` whose first child's HTML names *title*; its
    children are the introduction, one box per item (holding the ToggleButtons), the buttons' row, then
    the message, the result and the history.
    """
    def state(model_id):
        return (states.get(model_id) or {}).get("state", {})

    for model_id, model in states.items():
        st = model.get("state", {})
        if model.get("model_name") != "VBoxModel" or "rc-selfcheck" not in st.get("_dom_classes", ()):
            continue
        children = [_ref(c) for c in st.get("children", ())]
        if len(children) < 5 or title not in str(state(children[0]).get("value", "")):
            continue
        items, rest = [], children[1:]
        while rest and states.get(rest[0], {}).get("model_name") == "VBoxModel":
            inner = [_ref(c) for c in state(rest.pop(0)).get("children", ())]
            items += [c for c in inner if states.get(c, {}).get("model_name") == "ToggleButtonsModel"]
        if len(rest) < 2 or states.get(rest[0], {}).get("model_name") != "HBoxModel":
            return None
        buttons = [_ref(c) for c in state(rest[0]).get("children", ())]
        submit = next((b for b in buttons if state(b).get("description") == "See my result"), None)
        if not items or submit is None:
            return None
        return {"self_check": model_id, "items": items, "submit": submit, "message": rest[1],
                "options": [len(state(i).get("_options_labels", ())) for i in items]}
    return None


class ProtocolLearner:
    """One learner's visit (see the module's docstring); ``record`` holds its times (seconds from its
    request) and errors."""

    def __init__(self, n: int, base: str, token: str, page: str, timeout: float):
        self.n, self.base, self.token, self.page, self.timeout = n, base, token, page, timeout
        self.session = uuid.uuid4().hex
        self.record: dict = {"learner": n, "errors": [], "times": {}}
        self.cookies: dict[str, str] = {}
        self.kernel_id: str | None = None
        self.ws = None
        self.control = uuid.uuid4().hex
        # the widget models as the frontend knows them: the update_states reply, then every widget the page's
        # cells create (comm_open) and every change (update / echo_update), all on IOPub
        self.models: dict[str, dict] = {}
        self._replied = False
        self._widgets: asyncio.Future | None = None
        self._saved: asyncio.Future | None = None
        self._watch: str | None = None
        self._reader: asyncio.Task | None = None
        self._t0 = 0.0

    def _mark(self, what: str) -> None:
        self.record["times"].setdefault(what, round(time.perf_counter() - self._t0, 3))

    def _header(self, line: str) -> None:
        name, _, value = line.partition(":")
        if name.strip().lower() == "set-cookie":
            jar = SimpleCookie()
            jar.load(value.strip())
            self.cookies.update({k: m.value for k, m in jar.items()})

    def _auth(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    async def visit(self, release: asyncio.Event, done: list) -> dict:
        """The visit; the record is added to *done* once the result is saved (or the visit failed), and
        the page is left once *release* is set."""
        from tornado.httpclient import AsyncHTTPClient

        loop = asyncio.get_running_loop()
        self._widgets, self._saved = loop.create_future(), loop.create_future()
        http = AsyncHTTPClient(force_instance=True)
        body = bytearray()
        connecting: asyncio.Future | None = None

        def chunk(data: bytes) -> None:
            nonlocal connecting
            self._mark("first_byte")
            body.extend(data)
            if connecting is None and (kernel := kernel_id_from(bytes(body[:200_000]))):
                self.kernel_id = kernel
                self._mark("kernel_id")
                connecting = asyncio.ensure_future(self._connect(http))

        try:
            self._t0 = time.perf_counter()
            response = await http.fetch(f"{self.base}/voila/render/{self.page}?token={self.token}",
                                        streaming_callback=chunk, header_callback=self._header,
                                        request_timeout=self.timeout, connect_timeout=self.timeout, raise_error=False)
            self._mark("page_end")
            if response.code != 200:
                raise RuntimeError(f"the page answered {response.code}")
            if connecting is None:
                raise RuntimeError("the page names no kernel (no jupyter-config-data script)")
            if PAGE_ERROR.encode() in body:
                self.record["errors"].append("the page shows an error (a cell failed)")
            await asyncio.wait_for(connecting, self.timeout)
            found = await asyncio.wait_for(self._widgets, self.timeout)
            times = self.record["times"]
            self.record["tti"] = max(times["page_end"], times["widgets"])
            await self._complete(found)
        except Exception as exc:  # noqa: BLE001 - the learner's error is counted; the run goes on
            self.record["errors"].append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}")
        finally:
            self.record["kernel_id"] = self.kernel_id
            self.record["page_bytes"] = len(body)
        done.append(self.record)
        await release.wait()  # keep the page open until memory and CPU have been measured
        await self.leave(http)
        http.close()
        return self.record

    async def _connect(self, http) -> None:
        """As Voila's widget manager: the kernel's model (REST), its websocket, kernel_info, the widgets' state."""
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        response = await http.fetch(f"{self.base}/api/kernels/{self.kernel_id}", headers=self._auth(),
                                    request_timeout=self.timeout, raise_error=False)
        if response.code != 200:
            raise RuntimeError(f"the kernel's model answered {response.code}")
        self._mark("kernel_model")
        ws_base = self.base.replace("http://", "ws://", 1)
        request = HTTPRequest(f"{ws_base}/api/kernels/{self.kernel_id}/channels?session_id={self.session}",
                              headers=self._auth(), connect_timeout=self.timeout, request_timeout=self.timeout)
        self.ws = await websocket_connect(request, max_message_size=256 * 2**20)
        self._mark("websocket_open")
        info = message("kernel_info_request", {}, self.session)
        self._info_id = json.loads(info)["header"]["msg_id"]
        self._info = asyncio.get_running_loop().create_future()
        self._reader = asyncio.ensure_future(self._read())
        await self.ws.write_message(info)
        await asyncio.wait_for(self._info, self.timeout)
        self._mark("kernel_info")
        await self.ws.write_message(message("comm_open", {"comm_id": self.control, "target_name":
                                                          "jupyter.widget.control", "data": {}},
                                            self.session, metadata={"version": "1.0.0"}))
        await self.ws.write_message(message("comm_msg", {"comm_id": self.control,
                                                         "data": {"method": "request_states"}}, self.session))
        self._mark("request_states_sent")

    def _fail(self, why: str) -> None:
        for fut in (self._widgets, self._saved, getattr(self, "_info", None)):
            if fut is not None and not fut.done():
                fut.set_exception(RuntimeError(why))

    async def _read(self) -> None:
        while True:
            frame = await self.ws.read_message()
            if frame is None:
                return self._fail("the kernel's websocket closed")
            msg = decode(frame)
            kind, content = msg.get("msg_type") or msg["header"]["msg_type"], msg.get("content", {})
            data = content.get("data") or {}
            if kind == "kernel_info_reply" and msg.get("parent_header", {}).get("msg_id") == self._info_id:
                if not self._info.done():
                    self._info.set_result(content)
            elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                state = dict(data.get("state") or {})
                self.models[content.get("comm_id")] = {"model_name": state.get("_model_name"), "state": state}
            elif kind == "comm_msg" and content.get("comm_id") == self.control:
                if data.get("method") == "update_states":
                    self._mark("states")
                    for model_id, model in (data.get("states") or {}).items():  # newer than what came before
                        self.models[model_id] = {"model_name": model.get("model_name"),
                                                 "state": dict(model.get("state") or {})}
                    self._replied = True
            elif kind == "comm_msg" and data.get("method") in ("update", "echo_update"):
                model = self.models.get(content.get("comm_id"))
                if model is not None:
                    model["state"].update(data.get("state") or {})
                if content.get("comm_id") == self._watch and "value" in (data.get("state") or {}):
                    value = str(data["state"]["value"])
                    if (SAVED in value or NOT_SAVED in value) and not self._saved.done():
                        self._mark("saved")
                        self._saved.set_result(value)
            elif kind == "error":
                self.record["errors"].append(f"the kernel reported an error: {str(content.get('evalue'))[:200]}")
            elif kind == "stream" and content.get("name") == "stderr":
                self.record.setdefault("stderr", []).append(str(content.get("text"))[:200])
            if self._replied and not self._widgets.done() and (found := sharenow_widgets(self.models)):
                self._mark("widgets")
                self._widgets.set_result(found)

    async def _complete(self, found: dict) -> None:
        self._watch = found["message"]
        for i, (item, count) in enumerate(zip(found["items"], found["options"])):
            await self.ws.write_message(message("comm_msg", {"comm_id": item, "data": {
                "method": "update", "state": {"index": (i + self.n) % max(count, 1)}, "buffer_paths": []}},
                self.session))
        await self.ws.write_message(message("comm_msg", {"comm_id": found["submit"], "data": {
            "method": "custom", "content": {"event": "click"}}}, self.session))
        value = await asyncio.wait_for(self._saved, self.timeout)
        if SAVED not in value:
            self.record["errors"].append("the result was shown but not saved")
        else:
            self.record["completed"] = self.record["times"]["saved"]

    async def leave(self, http) -> None:
        """``POST /voila/api/shutdown/<kernel>`` as the page does on leaving (cookie sign-in and its _xsrf)."""
        try:
            if self.kernel_id:
                cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
                response = await http.fetch(f"{self.base}/voila/api/shutdown/{self.kernel_id}", method="POST",
                                            body=urlencode({"_xsrf": self.cookies.get("_xsrf", "")}),
                                            headers={"Cookie": cookie}, request_timeout=30, raise_error=False)
                if response.code >= 300:
                    self.record["errors"].append(f"leaving the page: the shutdown request answered {response.code}")
        except Exception as exc:  # noqa: BLE001
            self.record["errors"].append(f"leaving the page: {type(exc).__name__}: {exc}"[:200])
        finally:
            if self.ws is not None:
                self.ws.close()
            if self._reader is not None:
                self._reader.cancel()
