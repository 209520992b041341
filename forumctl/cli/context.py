"""What every command shares: the global options (State).

Kept apart from app.py so that command modules can import it while app.py imports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from forumctl.archive import Archive


class State:
    """Global options, shared with every command through the Typer context."""

    def __init__(self, archive: Path | None, debug: bool, no_cache: bool = False) -> None:
        self.archive_path = archive
        self.debug = debug
        self.no_cache = no_cache
        self.no_pager = False
        self._archive: Archive | None = None

    def archive(self, *, manifest_checked: bool = True, skip_broken: bool = False) -> Archive:
        """The archive, found by --archive, $FORUMCTL_ARCHIVE or upward search (once).

        With ``skip_broken`` (list, show), records that do not load are left out of
        listings, each with a warning after the command (:meth:`finish`).

        Commands that read records refuse a manifest with defects (an unknown format, a
        missing name): they cannot know what the archive means. validate and fmt take it
        as it is and report or rewrite those defects.
        """
        if self._archive is None:
            from forumctl.archive import Archive, find_root
            from forumctl.statedir import interrupted

            root = find_root(self.archive_path)
            if interrupted(root):  # recovered before anything is read
                from forumctl.change import recover  # the change layer only then
                from forumctl.cli import output

                recovered = recover(root)
                if recovered is not None:
                    output.warning(recovered)
            self._archive = Archive.open(root, cache=not self.no_cache)
        self._archive.skip_broken = skip_broken
        if manifest_checked:
            self._archive.manifest  # noqa: B018  (raises InvalidRecord naming file and line)
        return self._archive

    def finish(self) -> None:
        """After the command: keep the parse cache, and say what the archive's listing
        skipped (validate reports those as findings and takes them off the list)."""
        if self._archive is not None:
            self._archive.save_cache()
            from forumctl.cli.output import warning

            for unlisted in self._archive.unlisted.values():
                warning(f"{unlisted} (skipped)")
            for error in self._archive.skipped:
                error.hint = "run 'forumctl validate'"
                warning(f"skipped {error}")


def state(ctx: typer.Context) -> State:
    return ctx.find_object(State) or State(None, False)


def command_group(name: str, help: str, **settings: Any) -> typer.Typer:
    """A group of commands (``new``, ``list``...), its help in Click's plain layout like
    every command's (cli/app.py), and no completion options of its own (the root has them)."""
    return typer.Typer(
        name=name, help=help, rich_markup_mode=None, add_completion=False, **settings
    )


@contextmanager
def progress_shown(archive: Archive, description: str) -> Iterator[None]:
    """Rich's progress display on a terminal while the archive's files are read (validate,
    fmt, export: render/progress.py), nothing elsewhere."""
    from forumctl.render.progress import progress

    with progress(description) as shown:
        archive.progress = shown
        try:
            yield
        finally:
            archive.progress = None
