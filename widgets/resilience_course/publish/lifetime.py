"""Kernels end with their page: which page kernels nobody will use again, and when to stop them.

Each course page runs in a kernel of its own, which must end when the learner leaves the page:
otherwise every page ever opened keeps a Python process (about 140 MB) until it is culled, and each
new page competes with them for the CPU. Three things end a page's kernel:

1. the page itself, as it is left: Voila's frontend sends a shutdown request on ``beforeunload`` once
   its widgets have loaded, and the course template sends the same request on ``pagehide`` from the
   moment the page knows its kernel, so a page left while it is still opening is covered too;
2. :class:`PageKernels` (this module), the safety net for everything a browser cannot say (a tab closed
   while its first cells ran, a crashed browser, a request that never arrived): a page kernel that has
   finished running its cells and that no browser ever connected to within :data:`CONNECT_GRACE`
   seconds is stopped; one whose page closed its connection itself as it was left (the request of 1.
   may still be lost: it leaves on a connection of its own as the page goes, and a browser closing at
   that moment drops it) is stopped after :data:`CLOSED_GRACE` seconds; one whose connection was lost
   without a word (a network drop, a laptop asleep) after :data:`LEFT_GRACE` seconds, long enough to
   wake and reconnect;
3. jupyter_server's idle culler (``MappingKernelManager.cull_idle_timeout``), for anything else.

This module keeps the bookkeeping only (no Jupyter imports, so it is tested directly); the kernel
manager in :mod:`.kernels` feeds it and stops what it reports.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["PageKernels", "CONNECT_GRACE", "CLOSED_GRACE", "LEFT_GRACE", "REAP_INTERVAL", "PAGE_CLOSE_CODES"]

# seconds a page whose cells have run has to connect to its kernel: its scripts may take a minute on a slow
# or busy computer (25 pages opened at once on two cores: at 30 s most lost their kernel and never opened)
CONNECT_GRACE = 120.0
LEFT_GRACE = 300.0  # seconds a page that lost its connection keeps its kernel (a laptop asleep, a network blip)
CLOSED_GRACE = 5.0  # seconds a page that closed its connection itself keeps its kernel (it may reconnect at once)
# the websocket close codes a browser sends when the page itself ends the connection: 1000 (a course page
# closes its kernel connection as it is left; the page template makes the code explicit) and 1001 (the
# browser, for a page that goes away with its connection open); a lost connection has no close code
PAGE_CLOSE_CODES = frozenset({1000, 1001})
REAP_INTERVAL = 2.0  # seconds between checks


@dataclass
class _Page:
    since: float  # when the kernel was handed to a page, or its state last changed
    connected: bool = False  # a browser has connected to it at least once
    connections: int = 0
    closed: bool = False  # the last connection to go was closed by its page (not lost)


class PageKernels:
    """Which kernels belong to pages, whether a browser is connected to each, and which are due to stop.

    * :meth:`opened` when a kernel is handed to a page (kernels kept ready are not pages until then), or
      :meth:`handed_out` for one that ran its page ahead (its grace counts from the hand-out);
    * :meth:`connect` / :meth:`disconnect` as browsers connect to a page's kernel and go away, and
      :meth:`closed_by_page` after a disconnection the page made itself, as it was left;
    * :meth:`due` lists the kernels to stop now, given each kernel's state (busy kernels are never due:
      a page still running its cells has not been delivered yet);
    * :meth:`forget` once a kernel has ended, whoever ended it.
    """

    def __init__(self, connect_grace: float = CONNECT_GRACE, left_grace: float = LEFT_GRACE,
                 clock: Callable[[], float] = time.monotonic, closed_grace: float = CLOSED_GRACE):
        self.connect_grace = connect_grace
        self.left_grace = left_grace
        self.closed_grace = closed_grace
        self._clock = clock
        self._pages: dict[str, _Page] = {}

    def __contains__(self, kernel_id: str) -> bool:
        return kernel_id in self._pages

    def __len__(self) -> int:
        return len(self._pages)

    def opened(self, kernel_id: str) -> None:
        if kernel_id not in self._pages:
            self._pages[kernel_id] = _Page(since=self._clock())

    def handed_out(self, kernel_id: str) -> None:
        """A kernel kept ready (and idle since) was handed to a page now: its grace to connect starts now."""
        self._pages[kernel_id] = _Page(since=self._clock())

    def connect(self, kernel_id: str) -> None:
        page = self._pages.get(kernel_id)
        if page is not None:
            page.connections += 1
            page.connected = True
            page.closed = False
            page.since = self._clock()

    def disconnect(self, kernel_id: str) -> None:
        page = self._pages.get(kernel_id)
        if page is not None and page.connections > 0:
            page.connections -= 1
            page.closed = False
            page.since = self._clock()

    def closed_by_page(self, kernel_id: str) -> None:
        """The connection that just went was closed by the page itself: it gets the short grace."""
        page = self._pages.get(kernel_id)
        if page is not None:
            page.closed = True

    def forget(self, kernel_id: str) -> None:
        self._pages.pop(kernel_id, None)

    def due(self, busy: Mapping[str, bool] | Callable[[str], bool] = lambda _k: False,
            activity: Mapping[str, float] | None = None) -> list[str]:
        """The page kernels to stop now.

        *busy* tells whether a kernel is running a cell (never due then); *activity* (optional) gives
        each kernel's last activity on the same clock, so that a page whose last cell finished a moment
        ago gets its whole grace from then.
        """
        is_busy = busy if callable(busy) else (lambda k: bool(busy.get(k)))
        now = self._clock()
        out = []
        for kernel_id, page in self._pages.items():
            if page.connections > 0 or is_busy(kernel_id):
                continue
            since = max(page.since, (activity or {}).get(kernel_id, page.since))
            grace = (self.closed_grace if page.closed else self.left_grace) if page.connected else self.connect_grace
            if now - since > grace:
                out.append(kernel_id)
        return out
