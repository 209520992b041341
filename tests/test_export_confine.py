"""forumctl/export/confine.py: work spread over child processes bounded in memory and time.

Each item's work writes its result into a directory (as the export's pages do), so that
what each child did is seen here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from forumctl.export import confine
from forumctl.export.confine import Stopped, confined, memory_limit


def _work(directory: Path, item: Callable[[int], str]) -> confine.Work[None]:
    """Work that writes ``item(i)`` and the process that made it to ``directory/i``."""

    @contextmanager
    def session() -> Iterator[Callable[[int], None]]:
        def do(index: int) -> None:
            text = item(index)
            # written whole or not at all: a child may be killed mid-item (the crash tests)
            partial = directory / f".{index}.tmp"
            partial.write_text(f"{os.getpid()} {text}", encoding="utf-8")
            partial.rename(directory / str(index))

        yield do

    return session


def _results(directory: Path) -> dict[int, tuple[int, str]]:
    found = {}
    for path in directory.iterdir():
        if path.name.startswith("."):  # an item whose child was killed while writing it
            continue
        pid, _, text = path.read_text(encoding="utf-8").partition(" ")
        found[int(path.name)] = (int(pid), text)
    return found


def _no_child_left() -> None:
    with pytest.raises(ChildProcessError):  # every child reaped: none is left running
        os.waitpid(-1, os.WNOHANG)


def _busy(seconds: float) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return f"{seconds:g} s"


def test_every_item_is_done_once_by_as_many_children_as_workers(tmp_path: Path) -> None:
    confined(_work(tmp_path, lambda n: str(n * n)), 7, workers=3, memory=1 << 26)
    found = _results(tmp_path)
    assert {index: text for index, (_, text) in found.items()} == {n: str(n * n) for n in range(7)}
    pids = {index: pid for index, (pid, _) in found.items()}
    assert len(set(pids.values())) == 3 and os.getpid() not in pids.values()
    assert [pids[n] for n in range(7)] == [pids[0], pids[1], pids[2]] * 2 + [pids[0]]
    assert memory_limit() is None  # the limit is the children's, never this process's
    _no_child_left()


def _squares() -> Iterator[Callable[[int], int]]:
    yield lambda index: index * index


def test_each_items_result_comes_back_in_the_order_of_the_items() -> None:
    # what each item's work returns (a page's size and digest) is sent back by its child
    for workers, seconds in ((1, None), (1, 30.0), (3, None)):
        assert confined(contextmanager(_squares), 7, workers=workers, seconds=seconds) == [
            n * n for n in range(7)
        ]
    _no_child_left()


def test_one_worker_without_bounds_works_here_and_with_bounds_in_a_child(
    tmp_path: Path,
) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    confined(_work(here, str), 2, workers=1)
    confined(_work(there, str), 2, workers=1, seconds=30)
    assert {pid for pid, _ in _results(here).values()} == {os.getpid()}
    assert os.getpid() not in {pid for pid, _ in _results(there).values()}


def _allocate(size: int) -> str:
    try:
        return f"{memory_limit()} {len(bytearray(size))}"
    except MemoryError:
        return f"{memory_limit()} MemoryError"


def test_an_allocation_past_the_bound_fails_in_the_child_only(tmp_path: Path) -> None:
    sizes = [1 << 20, 1 << 28]
    confined(_work(tmp_path, lambda n: _allocate(sizes[n])), 2, workers=2, memory=1 << 26)
    found = {index: text for index, (_, text) in _results(tmp_path).items()}
    assert found == {0: f"{1 << 26} {1 << 20}", 1: f"{1 << 26} MemoryError"}
    assert len(bytearray(1 << 28)) == 1 << 28  # this process is not bounded


def _fail_at(failing: dict[int, float]) -> Callable[[int], str]:
    """Items that raise ValueError naming themselves after the given seconds of work."""

    def item(index: int) -> str:
        if index in failing:
            _busy(failing[index])
            raise ValueError(f"item {index} failed")
        return str(index)

    return item


def test_the_failure_raised_is_the_lowest_items_whichever_child_meets_it_first(
    tmp_path: Path,
) -> None:
    # item 4 fails at once in one child; item 3, in the other, only after a while
    with pytest.raises(ValueError) as failed:
        confined(_work(tmp_path, _fail_at({3: 0.5, 4: 0.0})), 40, workers=2)
    assert str(failed.value) == "item 3 failed"  # (its notes are shown with a traceback only)
    assert any("raised in a child process at item 3" in note for note in failed.value.__notes__)
    assert "Traceback" in failed.value.__notes__[0]  # the child's, for --debug
    _no_child_left()


def test_an_error_in_one_child_stops_the_others(tmp_path: Path) -> None:
    began = time.monotonic()
    with pytest.raises(ValueError) as failed:
        confined(_work(tmp_path, lambda n: _fail_at({0: 0.0})(n) if n == 0 else _forever()), 9,
                 workers=3)  # fmt: skip
    assert str(failed.value) == "item 0 failed"
    assert time.monotonic() - began < 10
    _no_child_left()


def _forever() -> str:
    while True:
        time.sleep(1)


def _crash_at_two(index: int) -> str:
    if index == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return str(index)


def test_a_child_that_crashes_is_stopped_at_that_item(tmp_path: Path) -> None:
    with pytest.raises(Stopped) as crashed:
        confined(_work(tmp_path, _crash_at_two), 6, workers=2)
    assert (crashed.value.index, crashed.value.reason) == (2, f"signal {signal.SIGKILL}")
    assert {0, 1} <= set(_results(tmp_path)) and 2 not in _results(tmp_path)
    _no_child_left()


def test_an_item_past_the_deadline_is_stopped_and_the_children_killed(tmp_path: Path) -> None:
    durations = [0.0, 0.0, 0.0, 60.0, 0.0, 0.0]
    with pytest.raises(Stopped) as late:
        confined(_work(tmp_path, lambda n: _busy(durations[n])), 6, workers=2, seconds=0.5)
    assert (late.value.index, late.value.reason) == (3, "time")
    _no_child_left()


def _wait(seconds: float) -> str:
    time.sleep(seconds)
    return f"waited {seconds:g} s"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="by the clock without /proc")
def test_an_item_that_waits_past_its_processor_time_is_not_stopped(tmp_path: Path) -> None:
    # (a child starved of the processors on a busy machine: its item takes long by the
    # clock, and little of the processor's time)
    assert confined(_work(tmp_path, lambda n: _wait(1.0 * n)), 2, workers=2, seconds=0.5) == [
        None,
        None,
    ]
    assert {index: text for index, (_, text) in _results(tmp_path).items()} == {
        0: "waited 0 s",
        1: "waited 1 s",
    }
    _no_child_left()


def test_an_item_blocked_for_good_is_stopped_by_the_clock(tmp_path: Path) -> None:
    began = time.monotonic()
    with pytest.raises(Stopped) as late:
        confined(_work(tmp_path, lambda n: _forever() if n == 1 else ""), 2, workers=2, seconds=0.1)
    assert (late.value.index, late.value.reason) == (1, "time")
    assert time.monotonic() - began >= confine.WAIT_TIMES * 0.1
    _no_child_left()


def test_ctrl_c_here_ends_every_child(tmp_path: Path) -> None:
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            confined(_work(tmp_path, lambda n: _forever()), 4, workers=2)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    _no_child_left()


def _interrupt_self(index: int) -> str:
    os.kill(os.getpid(), signal.SIGINT)
    return "went on"


def test_a_child_ends_at_ctrl_c_unless_this_process_ignores_it(tmp_path: Path) -> None:
    # Python's own handler, whatever this test run inherited (a shell without job control
    # starts a background job, `pytest &`, with SIGINT ignored)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(Stopped) as stopped:
            confined(_work(tmp_path, _interrupt_self), 2, workers=2)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert (stopped.value.index, stopped.value.reason) == (0, f"signal {signal.SIGINT}")
    # started in the background (a shell's `&`, nohup): the children ignore it too
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        confined(_work(tmp_path, _interrupt_self), 2, workers=2)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert _results(tmp_path) == {n: (_results(tmp_path)[n][0], "went on") for n in range(2)}
    _no_child_left()


# A parent that starts two children busy for a minute, says their process IDs, and waits.
_PARENT = """
import os, sys, time
from contextlib import contextmanager
from forumctl.export.confine import confined

@contextmanager
def session():
    def do(index):
        os.write(1, f"{os.getpid()}\\n".encode())  # one write: the two children at once
        time.sleep(60)
    yield do

confined(session, 2, workers=2)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_children_die_with_a_parent_killed_by_sigkill() -> None:
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    children = [int(parent.stdout.readline()) for _ in range(2)]
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    alive = set(children)
    while alive and time.monotonic() < deadline:
        alive = {pid for pid in alive if _alive(pid)}
        time.sleep(0.05)
    assert alive == set()


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped by init, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_without_fork_the_work_runs_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fork")
    confined(_work(tmp_path, lambda n: _allocate(1 << 20)), 2, workers=2, memory=1 << 26)
    assert _results(tmp_path) == {n: (os.getpid(), f"None {1 << 20}") for n in range(2)}


def test_the_processors_are_those_this_process_may_run_on() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    assert confine.processors() == (expected or os.cpu_count() or 1)


@contextmanager
def _descriptors_taken(count: int) -> Iterator[None]:
    """``count`` more descriptors open here (so that the next ones are numbered past them),
    with the limit of open files raised for them where it is lower."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count + 64
    if soft != resource.RLIM_INFINITY and soft < wanted:
        if hard != resource.RLIM_INFINITY and hard < wanted:
            pytest.skip(f"this process may open only {hard} files")
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    taken = [os.open(os.devnull, os.O_RDONLY) for _ in range(count)]
    try:
        yield
    finally:
        for fd in taken:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_children_are_waited_for_through_descriptors_numbered_past_1024(tmp_path: Path) -> None:
    # select() takes no descriptor of 1024 or more: a process with many files open (or
    # many processors) failed there as 'a bug in forumctl'
    with _descriptors_taken(1024):
        confined(_work(tmp_path, lambda n: str(n * n)), 4, workers=2, seconds=30)
    assert {index: text for index, (_, text) in _results(tmp_path).items()} == {
        n: str(n * n) for n in range(4)
    }
    _no_child_left()


def _open_descriptors() -> set[int]:
    return {int(name) for name in os.listdir("/proc/self/fd")}


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_the_pipes_made_are_closed_when_making_one_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = 0
    real_pipe = os.pipe

    def pipe_failing_at_the_third() -> tuple[int, int]:
        nonlocal made
        made += 1
        if made == 3:
            raise OSError(24, "Too many open files")
        return real_pipe()

    before = _open_descriptors()
    monkeypatch.setattr(os, "pipe", pipe_failing_at_the_third)
    with pytest.raises(OSError, match="Too many open files"):
        confined(_work(tmp_path, str), 4, workers=4)
    monkeypatch.undo()
    assert _open_descriptors() - before == set()
    _no_child_left()
