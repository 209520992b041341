"""What every command shares: the global options (State), exit codes, the error line.

Kept apart from app.py so that command modules can import it while app.py imports them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class State:
    """Global options, shared with every command through the Typer context."""

    def __init__(self, archive: Path | None, debug: bool, no_cache: bool = False) -> None:
        self.archive_path = archive
        self.debug = debug
        self.no_cache = no_cache
        self._archive: Any = None

    def archive(self, *, manifest_checked: bool = True) -> Any:
        """The archive, found by --archive, $FORUMCTL_ARCHIVE or upward search (once).

        Commands that read records refuse a manifest with defects (an unknown format, a
        missing name): they cannot know what the archive means. validate and fmt take it
        as it is and report or rewrite those defects.
        """
        if self._archive is None:
            from forumctl.archive import Archive

            self._archive = Archive.discover(self.archive_path, cache=not self.no_cache)
        if manifest_checked:
            self._archive.manifest  # noqa: B018  (raises InvalidRecord naming file and line)
        return self._archive

    def save_cache(self) -> None:
        if self._archive is not None:
            self._archive.save_cache()


def state(ctx: typer.Context) -> State:
    return ctx.find_object(State) or State(None, False)


def fail(message: str) -> None:
    """One line on stderr: what forumctl says when it cannot go on."""
    sys.stderr.write(f"forumctl: error: {message}\n")
