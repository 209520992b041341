"""``forumctl fmt [PATH...]``: rewrite record files to the canonical form."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from forumctl.cli.context import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, state


def fmt(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Files or directories to format (default: the whole archive).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; list files that would change.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Write nothing; print a unified diff of the changes.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Rewrite files with comments too (dropping them).")
    ] = False,
) -> None:
    """Rewrite files in canonical key order and layout, keeping every value.

    Files with comments are left alone (the writer cannot keep them) unless --force.
    Exit 0 when everything is canonical (or was made so), 1 when files would change
    (--check, --diff) or were left alone for their comments, 2 when a file does not load.
    """
    from forumctl.cli.validate import archive_relative
    from forumctl.fmt import comment_lines, format_archive, unified_diff
    from forumctl.toml_io import atomic_write

    archive = state(ctx).archive(manifest_checked=False)
    only = archive_relative(archive.root, paths) if paths else None
    results = format_archive(archive, only, force=force)
    dry_run = check or diff
    exit_code = EXIT_OK
    counts = {"changed": 0, "unchanged": 0}
    for result in results:
        if result.status == "invalid":
            sys.stderr.write(
                f"forumctl: error: {result.problem} (cannot format: run 'forumctl validate')\n"
            )
            exit_code = EXIT_USAGE
        elif result.status == "has-comments":
            lines = ", ".join(str(line) for line in comment_lines(result.original))
            sys.stderr.write(
                f"{result.rel}: not formatted: comments on line {lines} would be lost"
                " (remove them, or use --force)\n"
            )
            exit_code = max(exit_code, EXIT_FINDINGS)
        elif result.status == "changed":
            counts["changed"] += 1
            if diff:
                sys.stdout.write(unified_diff(result))
            elif check:
                sys.stdout.write(f"would reformat {result.rel}\n")
            else:
                # through a symbolic link to its target: the link stays a link
                target = Path(os.path.realpath(archive.root / result.rel))
                atomic_write(target, result.canonical, force=True)
                sys.stderr.write(f"reformatted {result.rel}\n")
            if dry_run:
                exit_code = max(exit_code, EXIT_FINDINGS)
        else:
            counts["unchanged"] += 1
    verb = "would be reformatted" if dry_run else "reformatted"
    sys.stderr.write(f"{counts['changed']} {verb}, {counts['unchanged']} already canonical.\n")
    raise typer.Exit(exit_code)
