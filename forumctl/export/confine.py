"""Work spread over forked child processes, one per processor, which the kernel may bound:
the pages of export markdown and site, a user's templates among them.

Each child does its share of the items (item ``i`` in child ``i % workers``, in order)
and reports how it ended, with what each item's work returned (small: a page's size and
digest), through a pipe: the work writes what it makes itself (the pages go straight
into the export's staging directory), so no page crosses a pipe. A fork
shares every page of the parent's memory with the child, so nothing is copied in either;
the collector is kept off the parent's objects meanwhile (``gc.freeze``), or a child's
collection would write to every one of them and copy the memory page by page.

Jinja's sandbox stops what a template may reach, not what it may build, and no list of
intercepted operations covers every way to allocate (``'{:>999999999}'.format(1)``, a
list appended to in a loop, ``|replace``, ``|join``, output that grows). So with
``memory`` a child's address space is limited by ``RLIMIT_AS`` to what the process held
at the fork plus ``memory`` bytes (an allocation past it fails with MemoryError: no OOM
kill, no swapping), and with ``seconds`` the parent kills the children when one item
takes that much of the processor's time (a loop in C that a timer signal cannot
interrupt), or :data:`WAIT_TIMES` that by the clock (a read that blocks): by the clock
alone, a child starved of the processors on a busy machine (CI running tests two at a
time) would be taken for a runaway.

The outcome is the same whichever child meets a failure first: the failure reported is
the one at the lowest item, as if the items were done one after another here. An error
in one child stops the others (once they are past it), as does Ctrl-C, and on Linux a
child dies with its parent (``PR_SET_PDEATHSIG``): no child is left running.

Where there is no fork (Windows), or with one worker and no bound, the work runs
in-process, bounded only by what the caller intercepts; where ``/proc/self/statm`` is
missing (macOS, BSD) the children are bounded in time only (their kernels do not enforce
RLIMIT_AS).
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import os
import pickle
import selectors
import signal
import struct
import sys
import time
import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

# Freed when the child runs out of memory, so that reporting it (the file and line of the
# template, a pickled message) has memory to do it with.
RESERVE = 16 << 20
_reserve: bytearray | None = None
_memory_limit: int | None = None
# What each child tells the parent through the memory they share, without a system call
# per item: the item it is at, when it started it (time.monotonic, one clock for all
# processes) and the processor time it had used then, so that the parent knows which item
# took too long and when a child is past a failure of another.
_PROGRESS = struct.Struct("=qdd")
WAIT_TIMES = 10  # an item's bound by the clock, in times its bound of processor time
_PR_SET_PDEATHSIG = 1  # linux/prctl.h

Result = TypeVar("Result")
# A session of work in one process: entered once, it gives the function that does item
# number i and returns its result (its setup, such as a signal handler, is made once per
# process, not per item). An item that fails raises.
Work = Callable[[], AbstractContextManager[Callable[[int], Result]]]


class Stopped(Exception):
    """A child did not finish item number ``index``: ``reason`` is "time" (killed after
    the deadline) or what ended it ("signal 9", "exit 1")."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(f"item {index}: {reason}")
        self.index = index
        self.reason = reason


def processors() -> int:
    """The processors this process may run on (its CPU affinity, which a container or
    ``taskset`` may make fewer than the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover  (macOS, Windows)


def memory_limit() -> int | None:
    """The bytes the work may allocate, in a child that limits them; else None."""
    return _memory_limit


def release_reserve() -> None:
    """Free the reserve (after a MemoryError, before reporting it)."""
    global _reserve
    _reserve = None


def confined(
    work: Work[Result],
    count: int,
    *,
    workers: int,
    memory: int | None = None,
    seconds: float | None = None,
) -> list[Result]:
    """Items ``0 .. count - 1`` done by ``work`` in ``workers`` child processes (see the
    module), each bounded in memory (``memory`` bytes more than at the fork) and in time
    per item (``seconds``) when given: each item's result (picklable), in the order of the
    items. The failure of the lowest item is raised here: the exception its work raised
    (the child's traceback in its notes), or Stopped when a child ended without finishing
    it or took too long."""
    workers = max(1, min(workers, count))
    if not hasattr(os, "fork") or (workers == 1 and memory is None and seconds is None):
        with work() as do:
            return [do(index) for index in range(count)]
    return _Children(work, count, workers, memory, seconds).run()


@dataclass
class _Child:
    pid: int
    fd: int  # the read end of its pipe
    slot: int  # its place in the shared progress board
    message: bytes = b""


class _Children(Generic[Result]):
    """The children of one :func:`confined` call, from their fork to their end."""

    def __init__(
        self,
        work: Work[Result],
        count: int,
        workers: int,
        memory: int | None,
        seconds: float | None,
    ) -> None:
        self.work, self.count, self.workers = work, count, workers
        self.memory, self.seconds = memory, seconds
        self.board = mmap.mmap(-1, _PROGRESS.size * workers)  # shared (MAP_SHARED)
        for slot in range(workers):
            _PROGRESS.pack_into(self.board, _PROGRESS.size * slot, slot, time.monotonic(), 0.0)
        self.live: dict[int, _Child] = {}  # by the read end of its pipe
        # by item: (the exception, its traceback as text), or the reason it was Stopped
        self.failures: dict[int, tuple[BaseException, str] | str] = {}
        self.results: list[Any] = [None] * count  # each item's, as its child sent them
        # a poll of the pipes (select() takes no descriptor numbered 1024 or more)
        self.ready = selectors.DefaultSelector()

    def _fork(self, slot: int) -> None:
        """Start the child of ``slot`` with its pipe; nothing left open if that fails (the
        children started before are ended by :meth:`run`)."""
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except BaseException:
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:  # pragma: no cover  (the child: coverage does not follow a fork)
            os.close(read_end)
            for child in self.live.values():
                os.close(child.fd)
            self._child(slot, write_end)
        os.close(write_end)
        self.live[read_end] = _Child(pid, read_end, slot)
        self.ready.register(read_end, selectors.EVENT_READ)

    def run(self) -> list[Result]:
        # The parent's objects out of the collector's sight while the children share
        # them: a collection writes to every object it looks at.
        gc.freeze()
        try:
            for slot in range(self.workers):
                self._fork(slot)
            self._wait()
        finally:
            for child in list(self.live.values()):
                self._end(child, kill=True)
            gc.unfreeze()
            self.board.close()
            self.ready.close()
        if self.failures:
            index = min(self.failures)
            failure = self.failures[index]
            if isinstance(failure, str):
                raise Stopped(index, failure)
            error, trace = failure
            error.add_note(f"raised in a child process at item {index}:\n{trace}")
            raise error
        return self.results

    def _progress(self, child: _Child) -> tuple[int, float]:
        """The item the child is at, and when it started it."""
        index, started, _ = _PROGRESS.unpack_from(self.board, _PROGRESS.size * child.slot)
        return index, started

    def _time_left(self, child: _Child, now: float) -> float:
        """The seconds before the child's item may have had its ``seconds`` of processor
        time (its processor time never runs ahead of the clock); 0 or less: it has had
        them, or waited WAIT_TIMES that long by the clock."""
        assert self.seconds is not None
        started: float
        used_before: float
        _, started, used_before = _PROGRESS.unpack_from(self.board, _PROGRESS.size * child.slot)
        left = started + self.seconds - now
        used = _processor_time(child.pid) if left <= 0 else None
        if used is None:  # (no /proc: by the clock)
            return left
        return min(self.seconds - (used - used_before), left + (WAIT_TIMES - 1) * self.seconds)

    def _wait(self) -> None:
        """Until every child has ended, or those left are past the lowest failure."""
        while self.live:
            if self.failures:
                lowest = min(self.failures)
                for child in list(self.live.values()):
                    if self._progress(child)[0] > lowest:  # its items up to it are done
                        self._end(child, kill=True)
                if not self.live:
                    return
            timeout = None
            if self.seconds is not None:
                now = time.monotonic()
                timeout = max(0.0, min(self._time_left(child, now) for child in self.live.values()))
            ready = [key.fd for key, _ in self.ready.select(timeout)]
            for fd in ready:
                child = self.live[fd]
                part = os.read(fd, 1 << 20)
                if part:
                    child.message += part
                else:
                    self._ended(child)
            if not ready and self.seconds is not None:
                now = time.monotonic()
                for child in list(self.live.values()):
                    if self._time_left(child, now) <= 0:
                        self.failures.setdefault(self._progress(child)[0], "time")
                        self._end(child, kill=True)

    def _ended(self, child: _Child) -> None:
        """The child closed its pipe: the results of its items, or its failure if it told
        one, else how it ended when that was not after all its items."""
        index = self._progress(child)[0]
        status = self._end(child, kill=False)
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and child.message):
            self.failures.setdefault(index, _how_it_ended(status))
            return
        told = pickle.loads(child.message)  # (our own child's message)
        if isinstance(told, list):
            self.results[child.slot :: self.workers] = told
        else:
            index, error, trace = told
            self.failures[index] = error, trace

    def _end(self, child: _Child, *, kill: bool) -> int:
        """Close the child's pipe and reap it (killed first when ``kill``): its status."""
        del self.live[child.fd]
        self.ready.unregister(child.fd)
        os.close(child.fd)
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)
        return os.waitpid(child.pid, 0)[1]

    def _child(self, slot: int, fd: int) -> None:  # pragma: no cover  (in the child)
        """Do this child's items and send their results (a list); at a failure, send it
        instead (the item, the exception, its traceback) and stop; exit 0 when that is
        done, without returning into the parent's code."""
        global _reserve, _memory_limit
        status = 1
        try:
            # A tracer (coverage, under the tests) would record the child's lines into
            # memory the bound counts, and could fail where the template did not; the
            # child's records are never kept anyway.
            sys.settrace(None)
            # Ctrl-C ends the child (the parent reports it), unless the parent ignores it
            # (started in the background, nohup): then the child does too
            if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
            # SIGTERM ends the child at once, whatever the parent made of it (an export
            # ends its children itself when it gets one)
            if signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _die_with_parent()
            if self.memory is not None and _limit_address_space(self.memory + RESERVE):
                _memory_limit = self.memory
            _reserve = bytearray(RESERVE)
            index = slot
            results: list[Result] = []
            told: object = results
            try:
                with self.work() as do:
                    for index in range(slot, self.count, self.workers):
                        _PROGRESS.pack_into(
                            self.board,
                            _PROGRESS.size * slot,
                            index,
                            time.monotonic(),
                            time.process_time(),
                        )
                        results.append(do(index))
            except Exception as error:
                told = (index, _picklable(error), traceback.format_exc())
            with os.fdopen(fd, "wb") as channel:
                channel.write(pickle.dumps(told, protocol=pickle.HIGHEST_PROTOCOL))
            status = 0
        finally:
            os._exit(status)


def _picklable(error: Exception) -> Exception:
    """The error, or where it does not survive pickling, a RuntimeError saying what it was."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _die_with_parent() -> None:  # pragma: no cover  (in the child)
    """Linux: this process is killed when its parent ends, however it ends (kill -9)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the call took effect
        os._exit(1)


def _limit_address_space(extra: int) -> bool:  # pragma: no cover  (in the child)
    """Limit this process's address space to its size now plus ``extra``; False where the
    size cannot be read (no /proc) or the limit not set."""
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        return False
    return True


def _processor_time(pid: int) -> float | None:
    """The processor time (user and system) the process has used, as its
    ``time.process_time()`` counts it; None where /proc cannot tell (not Linux, gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as status:
            fields = status.read().rpartition(b")")[2].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields, in clock ticks (the name, 2nd, may hold spaces)
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _how_it_ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.WEXITSTATUS(status)}"
