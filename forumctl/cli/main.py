"""Console entry point. ``--version`` is answered before typer is imported (about 9 ms
against 55 ms); everything else goes to the Typer app."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from forumctl import __version__

        sys.stdout.write(f"forumctl {__version__}\n")
        return
    from forumctl.cli.app import run

    run()
