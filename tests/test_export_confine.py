"""forumctl/export/confine.py: work done in a child process bounded in memory and time."""

from __future__ import annotations

import os
import signal

import pytest

from forumctl.export.confine import Stopped, confined, memory_limit


def _square(n: int) -> int:
    return n * n


def _crash_at_two(n: int) -> int:
    if n == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def _fail_at_one(n: int) -> int:
    if n == 1:
        raise ValueError("work must report its own errors")
    return n


def _allocate(size: int) -> tuple[int | None, str]:
    try:
        return memory_limit(), str(len(bytearray(size)))
    except MemoryError:
        return memory_limit(), "MemoryError"


def _busy(seconds: float) -> float:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return seconds


def test_results_come_back_in_order_from_a_child_process() -> None:
    assert list(confined(_square, [1, 2, 3], memory=1 << 26, seconds=30)) == [1, 4, 9]
    assert memory_limit() is None  # the limit is the child's, never this process's


def test_an_allocation_past_the_bound_fails_in_the_child_only() -> None:
    results = list(confined(_allocate, [1 << 20, 1 << 28], memory=1 << 26, seconds=30))
    assert results == [(1 << 26, str(1 << 20)), (1 << 26, "MemoryError")]
    assert len(bytearray(1 << 28)) == 1 << 28  # this process is not bounded


def test_a_child_that_crashes_or_lets_an_error_escape_is_stopped_at_that_item() -> None:
    found: list[int] = []
    with pytest.raises(Stopped) as crashed:
        found += confined(_crash_at_two, [0, 1, 2, 3], memory=1 << 26, seconds=30)
    assert found == [0, 1]  # the results before it came back
    assert (crashed.value.index, crashed.value.reason) == (2, f"signal {signal.SIGKILL}")
    with pytest.raises(Stopped) as failed:
        list(confined(_fail_at_one, [0, 1], memory=1 << 26, seconds=30))
    assert (failed.value.index, failed.value.reason) == (1, "exit 1")


def test_an_item_past_the_deadline_is_stopped_and_the_child_killed() -> None:
    with pytest.raises(Stopped) as late:
        list(confined(_busy, [0.0, 60.0], memory=1 << 26, seconds=0.5))
    assert (late.value.index, late.value.reason) == (1, "time")
    with pytest.raises(ChildProcessError):  # reaped: no child is left running
        os.waitpid(-1, os.WNOHANG)


def test_without_fork_the_work_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fork")
    assert list(confined(_allocate, [1 << 20], memory=1 << 26, seconds=30)) == [
        (None, str(1 << 20))
    ]
