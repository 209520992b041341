"""Progress on a terminal: rich's progress display for work that takes a while.

The core reports progress through a plain callback, ``(done, total)`` (for instance
:attr:`forumctl.archive.Archive.progress`, told as each file is loaded); a
:class:`Progress` is such a callback. It shows nothing until the work has taken
:data:`DELAY` seconds (most commands are done by then), nothing at all when stderr is not
a terminal (``TTY_COMPATIBLE=1`` says it is one, ``TTY_INTERACTIVE=0`` turns it off, as
for rich), and it clears
itself when the work is done: results on stdout are the same with or without it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DELAY = 1.0  # seconds of work before a progress display is worth its flicker


class Progress:
    """A ``(done, total)`` callback that shows ``description`` with a bar on stderr."""

    def __init__(self, description: str) -> None:
        self.description = description
        self._began = time.monotonic()
        self._display: Any = None
        self._task: Any = None
        # stderr a terminal, or said to be one by rich's TTY_COMPATIBLE=1 (not merely
        # FORCE_COLOR, which CI logs set); then rich's own rules: not TERM=dumb, and
        # TTY_INTERACTIVE=0 turns animations off. A pipe or a CI log costs no import.
        self._wanted = sys.stderr.isatty() or os.environ.get("TTY_COMPATIBLE") == "1"
        if self._wanted:
            from forumctl.render import console

            err = console(stderr=True)
            self._wanted = err.is_terminal and not err.is_dumb_terminal and err.is_interactive

    def __call__(self, done: int, total: int) -> None:
        if not self._wanted:
            return
        if self._display is None:
            if time.monotonic() - self._began < DELAY:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
            from rich.progress import Progress as Display

            from forumctl.render import console

            self._display = Display(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=console(stderr=True),
                transient=True,
            )
            self._display.start()
            self._task = self._display.add_task(self.description, total=total)
        self._display.update(self._task, completed=done, total=total)
        if done >= total:
            self.close()

    def close(self) -> None:
        """Clear the display (the work is done, or stopped): nothing more is shown."""
        self._wanted = False
        if self._display is not None:
            self._display.stop()
            self._display = None


@contextmanager
def progress(description: str) -> Iterator[Progress]:
    """A :class:`Progress` that is closed however the work ends."""
    shown = Progress(description)
    try:
        yield shown
    finally:
        shown.close()
