"""Preheated pages, used only while they are up to date.

Voila runs a preheated page (the course home, the self-checks: ``kernel_pools_config`` in
``voila/voila.py``) ahead of time, in a kernel of its own, so that when the learner asks for it the
page is already built: its HTML is sent at once and its widgets exist. Such a page shows the learner's
data as it was when it ran. :func:`use_fresh_pages` makes the server use a preheated page only while
that is still true: the learner's store (one SQLite file) has not been written since the page began
to run, and it ran less than :data:`MAX_AGE` seconds ago. Otherwise the page is dropped (its kernel
stopped), the request is served like any other page (its cells run for the request, in the spare
kernel), and a new one is heated for next time.

(Before, a preheated kernel ran only ``import resilience_course`` and then waited for the request
before running the rest of the page: always up to date, but the page's cells still ran while the
learner waited, so a preheated page opened little faster than any other.)
"""

from __future__ import annotations

import asyncio
import os
import time
import weakref

__all__ = ["MAX_AGE", "store_stamp", "use_fresh_pages"]


MAX_AGE = 1800.0  # seconds: a page heated longer ago than this is heated again (dates, "today")


def store_stamp() -> tuple | None:
    """What changes whenever the learner's store is written: its file's inode, size and modification time,
    and its write-ahead log's if it has one (None while there is no store yet)."""
    from ..core.store_schema import store_path

    stamps = []
    for path in (store_path(), store_path().with_name(store_path().name + "-wal")):
        try:
            st = os.stat(path)
        except OSError:
            stamps.append(None)
            continue
        stamps.append((st.st_ino, st.st_size, st.st_mtime_ns))
    return None if stamps[0] is None else tuple(stamps)


def _make_store() -> None:
    """Create the learner's store now if there is none, so that the first page to run does not (that would
    make every page heated alongside it out of date at once). An existing store is left alone (a damaged
    one is kept aside by a page, which says so), and so is one that cannot be made: the pages explain."""
    from ..core.store import Store
    from ..core.store_schema import store_path

    try:
        if not store_path().exists():
            Store().close()
    except Exception:  # noqa: BLE001 - the pages say what is wrong, where the learner sees it
        pass


def use_fresh_pages(manager, on_handout=None, clock=time.monotonic, stamp=store_stamp) -> None:
    """Make Voila's pool *manager* (a ``VoilaKernelManager``) hand out only up-to-date preheated pages.

    Wraps the instance's ``fill_if_needed`` (each page put in the pool is noted with the store's stamp
    before it can read the store) and ``get_pool_size`` (Voila's request handler asks it whether to use
    a preheated page: out-of-date pages at the front of the pool are dropped first, so it answers 0 when
    none is left, and the handler starts the page afresh). ``get_rendered_notebook`` then tells
    *on_handout* the kernel it hands to a page: a page heated minutes ago has been idle since, and the
    check that stops kernels of pages left behind must count from now.
    """
    _make_store()
    heated: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # pool entry -> (store stamp, when)
    fill, size, take = manager.fill_if_needed, manager.get_pool_size, manager.get_rendered_notebook

    def pools() -> dict:
        return getattr(manager, "_pools", {})

    def fill_if_needed(delay=None, notebook_name=None, *args, **kwargs):
        known = set(pools().get(notebook_name, ()))
        noted = (stamp(), clock())
        fill(delay, notebook_name, *args, **kwargs)
        for entry in pools().get(notebook_name, ()):
            if entry not in known:
                heated[entry] = noted

    def fresh(entry) -> bool:
        noted = heated.get(entry)
        return noted is not None and noted[0] == stamp() and clock() - noted[1] < MAX_AGE

    def get_pool_size(notebook_name):
        pool = pools().get(notebook_name, [])
        dropped = 0
        while pool and not fresh(pool[0]):
            entry = pool.pop(0)
            heated.pop(entry, None)
            asyncio.ensure_future(_stop(manager, entry))
            dropped += 1
        if dropped:
            manager.log.info("Dropped %d out-of-date preheated page(s) of %s (the learner's data changed)",
                             dropped, notebook_name)
            # heat a new one once this request has been sent on its way (now, the request would wait for it)
            asyncio.get_event_loop().call_soon(lambda: manager.fill_if_needed(notebook_name=notebook_name))
        if not pool or not _ready(pool[0]):
            return 0  # none ready: the page starts now, in the spare kernel, rather than wait for one heating
        return size(notebook_name)

    async def get_rendered_notebook(*args, **kwargs):
        rendered = await take(*args, **kwargs)
        if on_handout is not None:
            on_handout(rendered[2])  # (render task, rendered cells, kernel id)
        return rendered

    manager.fill_if_needed = fill_if_needed
    manager.get_pool_size = get_pool_size
    manager.get_rendered_notebook = get_rendered_notebook


def _ready(entry) -> bool:
    return entry.done() and not entry.cancelled() and entry.exception() is None


async def _stop(manager, entry) -> None:
    """Stop the kernel of a dropped pool entry once it has started and run its page (stopped mid-cell, the
    page's run would log every remaining cell as failed)."""
    try:
        content = await entry
        kernel_id = (content or {}).get("kernel_id")
        task = (content or {}).get("task")
        if task is not None:
            await asyncio.wait([task])
        if kernel_id and kernel_id in manager:
            await manager.shutdown_kernel(kernel_id, now=True)
    except Exception:  # noqa: BLE001 - a kernel that failed to start needs no stopping
        manager.log.debug("stopping a dropped preheated page's kernel failed", exc_info=True)
