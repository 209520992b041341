"""The one output channel of the CLI: every command prints through these functions.

- :func:`result` and :func:`show`: what the command was asked for, on stdout (a listing,
  a document, a path written); a script reads it.
- :func:`note`: a message for the person at the terminal, on stderr ("wrote proceedings",
  "3 speakers"); never part of the result.
- :func:`warning`: on stderr as ``forumctl: warning: ...``; the command goes on.
- :func:`error`: on stderr as ``forumctl: error: ...``, for an error the command goes on
  after (fmt skipping a file it cannot read). An error that stops the command is raised
  as a :class:`~forumctl.errors.ForumctlError` instead: ``cli/app.py`` prints it once.
- :func:`exit_with`: ends the command with an :class:`~forumctl.errors.ExitCode`.

(``cli/main.py`` answers ``--version`` itself, before this module and typer are imported.)
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from rich.console import RenderableType

    from forumctl.errors import ExitCode


def result(text: str, *, end: str = "\n") -> None:
    """``text`` on stdout; documents that end in their own newline pass ``end=""``."""
    sys.stdout.write(text + end)


def show(renderable: RenderableType) -> None:
    """A rich table or layout on stdout (colour and width as :func:`render.console`)."""
    from forumctl.render import console

    console().print(renderable)


def note(message: str) -> None:
    sys.stderr.write(f"{message}\n")


def warning(message: str) -> None:
    sys.stderr.write(f"forumctl: warning: {message}\n")


def error(message: str) -> None:
    sys.stderr.write(f"forumctl: error: {message}\n")


def exit_with(code: ExitCode) -> NoReturn:
    import typer

    raise typer.Exit(code)
