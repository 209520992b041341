"""Console entry point. ``--version`` is answered before typer is imported (about 9 ms
against 55 ms); everything else goes to the Typer app."""

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
    # (validate on 29,000 files: 3.2 s against 1.3 s). Young objects are still collected.
    gc.set_threshold(200_000, 100, 100)
    from forumctl.cli.app import run

    run()
