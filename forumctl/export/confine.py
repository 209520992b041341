"""Work that may not be trusted with memory or time, done in a child process the kernel
bounds: a user's templates (export markdown and site).

Jinja's sandbox stops what a template may reach, not what it may build, and no list of
intercepted operations covers every way to allocate (``'{:>999999999}'.format(1)``, a
list appended to in a loop, ``|replace``, ``|join``, output that grows). So the work runs
in a forked child whose address space ``RLIMIT_AS`` limits to what the process held at
the fork plus ``memory`` bytes (an allocation past it fails with MemoryError: no OOM
kill, no swapping), and the parent kills the child when one item takes longer than
``seconds`` (a loop in C that a timer signal cannot interrupt, a read that blocks).
A fork costs about a millisecond and shares every page of data with the parent, so the
work needs no copying in; results come back pickled through a pipe, one per item.

Where there is no fork (Windows) the work runs in-process, bounded only by what the
caller intercepts; where ``/proc/self/statm`` is missing (macOS, BSD) the child is bounded
in time only (their kernels do not enforce RLIMIT_AS).
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Freed when the child runs out of memory, so that reporting it (the file and line of the
# template, a pickled message) has memory to do it with.
RESERVE = 16 << 20
_reserve: bytearray | None = None
_memory_limit: int | None = None
_HEADER = struct.Struct("!Q")


class Stopped(Exception):
    """The child did not finish item number ``index``: ``reason`` is "time" (killed after
    the deadline) or what ended it ("signal 9", "exit 1")."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(f"item {index}: {reason}")
        self.index = index
        self.reason = reason


def memory_limit() -> int | None:
    """The bytes the work may allocate, in the child that limits them; else None."""
    return _memory_limit


def release_reserve() -> None:
    """Free the reserve (after a MemoryError, before reporting it)."""
    global _reserve
    _reserve = None


def confined(
    work: Callable[[Item], Result], items: Sequence[Item], *, memory: int, seconds: float
) -> Iterator[Result]:
    """``work(item)`` for each item, in order, in one child process bounded in memory and
    in time per item (see the module). ``work`` must return a picklable result and
    report its own errors in it: an exception that escapes it ends the child (Stopped)."""
    if not hasattr(os, "fork"):
        yield from map(work, items)
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover
        os.close(read_end)
        _child(work, items, memory, write_end)
    os.close(write_end)
    ended = False
    try:
        for index in range(len(items)):
            ready, _, _ = select.select([read_end], [], [], seconds)
            if not ready:
                raise Stopped(index, "time")
            result = _receive(read_end)
            if result is None:  # the child ended without sending it
                ended = True
                raise Stopped(index, _how_it_ended(pid))
            yield pickle.loads(result)  # (our own child's results)
    finally:
        os.close(read_end)
        if not ended:
            os.kill(pid, signal.SIGKILL)  # (a child that has ended is a zombie until reaped)
            os.waitpid(pid, 0)


def _child(
    work: Callable[[Any], Any], items: Sequence[Any], memory: int, fd: int
) -> None:  # pragma: no cover  (the child: coverage does not follow a fork)
    """Do the work, send each result, and end without returning into the parent's code."""
    global _reserve, _memory_limit
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it
        if _limit_address_space(memory + RESERVE):
            _memory_limit = memory
        _reserve = bytearray(RESERVE)
        with os.fdopen(fd, "wb") as channel:
            for item in items:
                data = pickle.dumps(work(item), protocol=pickle.HIGHEST_PROTOCOL)
                channel.write(_HEADER.pack(len(data)) + data)
                channel.flush()
        status = 0
    finally:
        os._exit(status)


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


def _receive(fd: int) -> bytes | None:
    """One message: its size, then its bytes (None at the end of the pipe). Unbuffered,
    so that select() sees every byte not read yet."""
    header = _read(fd, _HEADER.size)
    if header is None:
        return None
    return _read(fd, _HEADER.unpack(header)[0])


def _read(fd: int, size: int) -> bytes | None:
    parts: list[bytes] = []
    while size:
        part = os.read(fd, min(size, 1 << 20))
        if not part:
            return None
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _how_it_ended(pid: int) -> str:
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.WEXITSTATUS(status)}"
