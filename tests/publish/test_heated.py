"""Preheated pages are used only while the learner's data is as it was when they ran (publish/heated.py).

Each test runs in a thread of its own with its own event loop (another test in the same process may keep
one running in the main thread: the browser tests' Playwright does)."""

from __future__ import annotations

import asyncio
import logging
import threading

from resilience_course.publish import heated

PAGE = "course/self-checks.ipynb"


class Pool:
    """What use_fresh_pages needs of Voila's VoilaKernelManager: a pool per page, filled by fill_if_needed."""

    def __init__(self):
        self._pools: dict[str, list] = {}
        self.stopped: list[str] = []
        self.kernels: set[str] = set()
        self.ready = True  # False: the pages put in the pool are still running their cells
        self.log = logging.getLogger("test-heated")
        self._n = 0

    def fill_if_needed(self, delay=None, notebook_name=None, extra_kernel_env_variables=None, **kwargs):
        pool = self._pools.setdefault(notebook_name, [])
        while len(pool) < 1:
            self._n += 1
            kernel = f"k{self._n}"
            self.kernels.add(kernel)
            entry = asyncio.get_running_loop().create_future()
            if self.ready:
                entry.set_result({"kernel_id": kernel, "task": None})
            pool.append(entry)

    def get_pool_size(self, notebook_name):
        return len(self._pools.get(notebook_name, []))

    async def get_rendered_notebook(self, notebook_name, **kwargs):
        return None, [], self.take(notebook_name)

    def take(self, notebook_name):
        return self._pools[notebook_name].pop(0).result()["kernel_id"]

    def __contains__(self, kernel):
        return kernel in self.kernels

    async def shutdown_kernel(self, kernel, now=False):
        self.kernels.discard(kernel)
        self.stopped.append(kernel)


def in_thread(main):
    """Run the coroutine function *main* on an event loop of its own, in a thread of its own."""
    failure = []

    def body():
        try:
            asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's own thread
            failure.append(exc)

    thread = threading.Thread(target=body)
    thread.start()
    thread.join(30)
    if failure:
        raise failure[0]


def run(test):
    """Run the coroutine function *test* with a Pool (filled once) and a settable store stamp and clock."""

    async def main():
        state = {"stamp": ("store", 1), "now": 100.0, "handed": []}
        p = Pool()
        heated.use_fresh_pages(p, on_handout=state["handed"].append, clock=lambda: state["now"],
                               stamp=lambda: state["stamp"])
        p.fill_if_needed(delay=0, notebook_name=PAGE)
        await test(p, state)
        await asyncio.sleep(0.01)

    in_thread(main)


def test_a_page_heated_since_the_last_save_is_used():
    async def test(p, state):
        state["now"] += 600
        assert p.get_pool_size(PAGE) == 1
        assert (await p.get_rendered_notebook(PAGE))[2] == "k1"
        assert state["handed"] == ["k1"]  # its grace to connect counts from now (publish/lifetime.py)
        assert not p.stopped

    run(test)


def test_a_save_after_heating_drops_the_page_and_the_request_starts_afresh():
    async def test(p, state):
        state["stamp"] = ("store", 2)  # the learner saved something in another page
        assert p.get_pool_size(PAGE) == 0  # Voila's handler then runs the page for this request
        await asyncio.sleep(0.01)
        assert p.stopped == ["k1"]  # the out-of-date page's kernel is stopped
        assert p.get_pool_size(PAGE) == 1 and p.take(PAGE) == "k2"  # a new one was heated after the request

    run(test)


def test_a_page_with_no_store_yet_is_used_only_while_there_is_still_none():
    async def test(p, state):
        p._pools[PAGE].clear()
        state["stamp"] = None
        p.fill_if_needed(notebook_name=PAGE)
        assert p.get_pool_size(PAGE) == 1
        state["stamp"] = ("store", 1)  # the first save made the store
        assert p.get_pool_size(PAGE) == 0

    run(test)


def test_a_page_heated_long_ago_is_heated_again():
    async def test(p, state):
        state["now"] += heated.MAX_AGE + 1
        assert p.get_pool_size(PAGE) == 0
        await asyncio.sleep(0.01)
        assert p.stopped == ["k1"]

    run(test)


def test_a_page_still_heating_is_not_waited_for():
    async def test(p, state):
        p._pools[PAGE].clear()
        p.ready = False
        p.fill_if_needed(notebook_name=PAGE)
        assert p.get_pool_size(PAGE) == 0  # the request starts the page in the spare kernel
        assert len(p._pools[PAGE]) == 1 and not p.stopped  # and the heating page is kept for the next one

    run(test)


def test_the_stamp_changes_when_the_store_is_written(tmp_path, monkeypatch):
    from resilience_course.core.store import Store

    monkeypatch.setenv("RESILIENCE_COURSE_DATA_DIR", str(tmp_path))
    assert heated.store_stamp() is None
    store = Store()
    first = heated.store_stamp()
    assert first is not None
    Store().close()  # opening it again (another page) writes nothing
    assert heated.store_stamp() == first
    store.add_record("journal", {"text": "a reflection"}, "01")
    second = heated.store_stamp()
    assert second != first
    # were the store ever in write-ahead-log mode, a write would change its -wal file first
    (tmp_path / "learner.sqlite3-wal").write_bytes(b"x")
    assert heated.store_stamp() != second


def test_the_store_is_made_before_any_page_is_heated(tmp_path, monkeypatch):
    """With no store yet, the first heated page to open it would create it, and every page heated beside it
    (25 for a room opening the self-checks) would be out of date before anyone asked for one."""
    from resilience_course.core.store import Store
    from resilience_course.core.store_schema import store_path

    monkeypatch.setenv("RESILIENCE_COURSE_DATA_DIR", str(tmp_path / "data"))
    async def main():
        p = Pool()
        heated.use_fresh_pages(p)
        assert store_path().is_file()
        p.fill_if_needed(notebook_name=PAGE)
        Store().close()  # the heated page reads the learner's data
        assert p.get_pool_size(PAGE) == 1

    in_thread(main)


def test_a_damaged_store_is_left_for_a_page_to_keep_aside_and_say_so(tmp_path, monkeypatch):
    """The server makes a missing store, but never opens an existing one: opening a damaged file keeps it
    aside, and only a page can tell the learner (core/store.py Store.notice)."""
    from resilience_course.core.store_schema import store_path

    monkeypatch.setenv("RESILIENCE_COURSE_DATA_DIR", str(tmp_path / "data"))
    store_path().parent.mkdir(parents=True)
    store_path().write_bytes(b"not a database" * 100)

    async def main():
        heated.use_fresh_pages(Pool())

    in_thread(main)
    assert store_path().read_bytes().startswith(b"not a database")
    assert not list(store_path().parent.glob("*.corrupt-*"))
