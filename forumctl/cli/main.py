"""Console entry point. ``--version`` is answered before typer is imported (a fraction of
the time: docs/performance.md); everything else goes to the Typer app."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from forumctl import __version__

        sys.stdout.write(f"forumctl {__version__}\n")
        return
    import gc

    # A command builds up to a few hundred thousand long-lived objects (every record of
    # the archive); with the default thresholds the collector walks them again and again
    # (validate took more than twice as long: docs/performance.md). Young objects are
    # still collected.
    gc.set_threshold(200_000, 100, 100)
    from forumctl.cli.app import run

    try:
        run()
    except SystemExit as exit:
        _exit_now(exit.code)
    _exit_now(0)


def _exit_now(code: object) -> None:
    """Flush and end the process without tearing down every object one by one: on a
    large archive the interpreter's own clean-up takes a quarter of a second. Every file
    forumctl writes is complete (and renamed into place) before this point."""
    import os

    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader has gone (forumctl list | head): nothing to say
        pass
    os._exit(code or 0)
