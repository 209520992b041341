"""``forumctl fmt [PATH...]``: rewrite record files to the canonical form."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from forumctl.cli import output
from forumctl.cli.context import state
from forumctl.errors import ExitCode


def fmt(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Files or directories to format (default: the whole archive); those that"
            " are not records of the archive are skipped.",
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
    from forumctl.cli.validate import split_by_archive
    from forumctl.fmt import comment_lines, format_archive, unified_diff
    from forumctl.toml_io import atomic_write

    archive = state(ctx).archive(manifest_checked=False)
    only, outside = split_by_archive(archive.root, paths) if paths else (None, [])
    results = format_archive(archive, only, force=force)
    # what pre-commit passes besides records: .toml files elsewhere in the repository
    # (pyproject.toml) or in the archive but not records (.taplo.toml)
    formatted = {result.rel for result in results}
    skipped = len(outside) + sum(
        1 for rel in only or () if rel not in formatted and (archive.root / rel).is_file()
    )
    dry_run = check or diff
    exit_code = ExitCode.OK
    counts = {"changed": 0, "unchanged": 0}
    for result in results:
        if result.status == "invalid":
            output.error(f"{result.problem} (cannot format: run 'forumctl validate')")
            exit_code = ExitCode.USAGE
        elif result.status == "has-comments":
            lines = ", ".join(str(line) for line in comment_lines(result.original))
            output.note(
                f"{result.rel}: not formatted: comments on line {lines} would be lost"
                " (remove them, or use --force)"
            )
            exit_code = max(exit_code, ExitCode.FINDINGS)
        elif result.status == "changed":
            counts["changed"] += 1
            if diff:
                output.result(unified_diff(result), end="")
            elif check:
                output.result(f"would reformat {result.rel}")
            else:
                # through a symbolic link to its target: the link stays a link
                target = Path(os.path.realpath(archive.root / result.rel))
                atomic_write(target, result.canonical, force=True)
                output.note(f"reformatted {result.rel}")
            if dry_run:
                exit_code = max(exit_code, ExitCode.FINDINGS)
        else:
            counts["unchanged"] += 1
    verb = "would be reformatted" if dry_run else "reformatted"
    skipped_note = f", {skipped} skipped (not records of the archive)" if skipped else ""
    output.note(
        f"{counts['changed']} {verb}, {counts['unchanged']} already canonical{skipped_note}."
    )
    output.exit_with(exit_code)
