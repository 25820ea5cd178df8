"""DeadlineLine: timeouts of one length sharing one timer, on a loop whose clock the test moves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from proxy.deadlines import TRIM_ABOVE, DeadlineLine
from tests.unit.proxy.doubles import Timer


class ManualLoop:
    """time() and call_at() of an event loop; run_until(t) runs the timers due by t."""

    def __init__(self) -> None:
        self.now = 100.0
        self.timers: list[Timer] = []

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback: Callable[[], None]) -> Timer:
        timer = Timer(when, callback)
        self.timers.append(timer)
        return timer

    def run_until(self, moment: float) -> None:
        while True:
            due = [t for t in self.timers if not t.cancelled and t.when <= moment]
            if not due:
                break
            timer = min(due, key=lambda t: t.when)
            self.timers.remove(timer)
            self.now = max(self.now, timer.when)
            timer.callback()
        self.now = moment

    def armed(self) -> list[Timer]:
        return [t for t in self.timers if not t.cancelled]


class Job:
    def __init__(self) -> None:
        self.settled = False


def line_on(loop: ManualLoop, expired: list[tuple[Any, float]]) -> DeadlineLine:
    return DeadlineLine(
        loop,  # type: ignore[arg-type]
        30.0,
        lambda job, _: job.settled,
        lambda job, _, due: expired.append((job, due)),
    )


def test_an_unsettled_entry_expires_when_its_delay_has_passed() -> None:
    loop, expired = ManualLoop(), []
    line = line_on(loop, expired)
    job = Job()

    due = line.add(job, None)
    loop.run_until(129.0)
    assert expired == []
    loop.run_until(130.0)

    assert due == 130.0
    assert expired == [(job, 130.0)]


def test_a_settled_entry_never_expires() -> None:
    loop, expired = ManualLoop(), []
    line = line_on(loop, expired)
    job = Job()
    line.add(job, None)

    job.settled = True
    loop.run_until(200.0)

    assert expired == []
    assert loop.armed() == []


def test_entries_expire_in_order_each_at_its_own_deadline() -> None:
    loop, expired = ManualLoop(), []
    line = line_on(loop, expired)
    first, second = Job(), Job()
    line.add(first, None)
    loop.now = 110.0
    line.add(second, None)

    loop.run_until(135.0)
    assert expired == [(first, 130.0)]
    loop.run_until(140.0)

    assert expired == [(first, 130.0), (second, 140.0)]


def test_one_timer_serves_every_entry() -> None:
    loop, expired = ManualLoop(), []
    line = line_on(loop, expired)

    for _ in range(50):
        line.add(Job(), None)
        loop.now += 0.001

    assert len(loop.armed()) == 1


def test_settled_entries_leave_the_line_in_batches_as_later_ones_are_added() -> None:
    loop, expired = ManualLoop(), []
    line = line_on(loop, expired)
    for _ in range(10 * TRIM_ABOVE):
        job = Job()
        line.add(job, None)
        job.settled = True
        assert len(line.entries) <= TRIM_ABOVE

    assert expired == []


def test_settled_entries_behind_a_long_one_are_compacted_away() -> None:
    loop, expired = ManualLoop(), []
    line = line_on(loop, expired)
    stuck = Job()
    line.add(stuck, None)
    for _ in range(3 * TRIM_ABOVE):
        job = Job()
        line.add(job, None)
        job.settled = True

    assert len(line.entries) <= TRIM_ABOVE + 1
    loop.run_until(131.0)
    assert expired == [(stuck, 130.0)]


def test_an_entry_added_after_the_line_emptied_arms_the_timer_again() -> None:
    loop, expired = ManualLoop(), []
    line = line_on(loop, expired)
    first = Job()
    line.add(first, None)
    loop.run_until(130.0)

    later = Job()
    line.add(later, None)
    loop.run_until(160.0)

    assert expired == [(first, 130.0), (later, 160.0)]
