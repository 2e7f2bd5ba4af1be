"""Kernels end with their page: the bookkeeping that decides which page kernels to stop (publish/lifetime.py)."""

from __future__ import annotations

from resilience_course.publish.lifetime import PageKernels


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def pages(connect=30.0, left=300.0):
    clock = Clock()
    return PageKernels(connect, left, clock=clock), clock


def test_a_page_that_never_connects_is_stopped_after_the_grace_and_not_before():
    p, clock = pages()
    p.opened("k")
    clock.now += 29
    assert p.due() == []
    clock.now += 2
    assert p.due() == ["k"]


def test_a_busy_kernel_is_never_due():
    """A page still running its cells has not reached the browser yet."""
    p, clock = pages()
    p.opened("k")
    clock.now += 3600
    assert p.due(busy={"k": True}) == []
    assert p.due(busy=lambda k: k == "k") == []
    assert p.due(busy={"k": False}) == ["k"]


def test_the_grace_runs_from_the_last_activity():
    p, clock = pages()
    p.opened("k")
    clock.now += 25
    activity = {"k": clock.now}  # its last cell just finished
    clock.now += 10
    assert p.due(activity=activity) == []
    clock.now += 21
    assert p.due(activity=activity) == ["k"]


def test_a_connected_page_is_kept_however_long():
    p, clock = pages()
    p.opened("k")
    p.connect("k")
    clock.now += 10 * 3600
    assert p.due() == []


def test_a_page_whose_browser_went_away_gets_the_longer_grace():
    p, clock = pages()
    p.opened("k")
    p.connect("k")
    clock.now += 100
    p.disconnect("k")
    clock.now += 299
    assert p.due() == []
    clock.now += 2
    assert p.due() == ["k"]


def test_a_page_that_closed_its_connection_itself_is_stopped_within_seconds():
    """Its "stop my kernel" request may have been lost (it leaves as the page goes); the page is gone."""
    p, clock = pages()
    p.opened("k")
    p.connect("k")
    clock.now += 100
    p.disconnect("k")
    p.closed_by_page("k")
    clock.now += 4
    assert p.due() == []
    clock.now += 2
    assert p.due() == ["k"]


def test_a_page_that_closed_its_connection_and_connects_again_is_kept():
    p, clock = pages()
    p.opened("k")
    p.connect("k")
    p.disconnect("k")
    p.closed_by_page("k")
    p.connect("k")  # the same page, connecting again at once
    clock.now += 3600
    assert p.due() == []
    p.disconnect("k")  # and this connection is lost without a word: the longer grace again
    clock.now += 6
    assert p.due() == []
    clock.now += 300
    assert p.due() == ["k"]


def test_a_second_connection_keeps_it_until_both_are_gone():
    p, clock = pages()
    p.opened("k")
    p.connect("k")
    p.connect("k")
    p.disconnect("k")
    clock.now += 1000
    assert p.due() == []
    p.disconnect("k")
    p.disconnect("k")  # jupyter_server may report a disconnection twice
    clock.now += 301
    assert p.due() == ["k"]


def test_kernels_that_are_not_pages_are_never_due():
    """Spare kernels and Voila's preheated ones are not pages until one is handed out."""
    p, clock = pages()
    p.connect("spare")
    p.disconnect("spare")
    clock.now += 10_000
    assert p.due() == [] and "spare" not in p


def test_a_forgotten_kernel_is_no_longer_watched():
    p, clock = pages()
    p.opened("a")
    p.opened("b")
    p.forget("a")
    clock.now += 31
    assert p.due() == ["b"] and len(p) == 1


def test_a_slow_page_has_two_minutes_to_connect_before_its_kernel_is_taken_for_a_page_left():
    """A page's scripts can reach the server a minute after its cells ran (a slow laptop, or 25 pages
    opened at once on two cores): at 30 s such pages lost their kernel and never finished opening."""
    from resilience_course.publish.lifetime import CONNECT_GRACE
    from resilience_course.publish.server import WarmKernelManager

    assert CONNECT_GRACE >= 90
    assert WarmKernelManager.class_traits()["page_connect_grace"].default_value == CONNECT_GRACE
    p = PageKernels(clock=(clock := Clock()))
    p.opened("k")
    clock.now += 89
    assert p.due() == []


def test_a_kernel_that_ran_its_page_ahead_gets_its_grace_from_the_hand_out():
    """A preheated page's kernel is registered when it starts and then sits idle, kept ready: handed to a
    page an hour later it must not be taken for a page left behind."""
    p, clock = pages()
    p.opened("heated")
    activity = {"heated": clock.now}  # its page ran at once
    clock.now += 3600
    p.handed_out("heated")
    assert p.due(activity=activity) == []
    clock.now += 31
    assert p.due(activity=activity) == ["heated"]  # and still stopped if no browser ever comes
