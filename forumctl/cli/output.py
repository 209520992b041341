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


def page(text: str, *, pager: bool = True) -> None:
    """A long result (``text`` ends in a newline) on stdout, through a pager when stdout is
    a terminal and the text is taller than it, as git and gh do: ``$FORUMCTL_PAGER``, else
    ``$PAGER``, else ``less`` (with ``LESS=FRX`` unless set); an empty value or ``cat``
    turns paging off, as ``pager=False`` (``--no-pager``) does."""
    import os
    import shutil

    command = os.environ.get("FORUMCTL_PAGER", os.environ.get("PAGER", "less")).strip()
    if (
        pager
        and command not in ("", "cat")
        and sys.stdout.isatty()
        and text.count("\n") >= shutil.get_terminal_size().lines
        and _through_pager(command, text)
    ):
        return
    result(text, end="")


def _through_pager(command: str, text: str) -> bool:
    """Whether ``command`` (run by the shell, as git runs its pager) took the text."""
    import os
    import subprocess

    sys.stdout.flush()
    env = {"LESS": "FRX", **os.environ}
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "replace"))
        process.stdin.close()
    except BrokenPipeError:  # the reader quit the pager early
        pass
    return process.wait() != 127  # 127: the shell found no such command


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
