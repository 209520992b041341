"""``forumctl fmt [PATH...]``: rewrite record files to the canonical form."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from forumctl.cli import output
from forumctl.cli.context import progress_shown, state
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
        bool,
        typer.Option(
            "--diff", "--dry-run", help="Write nothing; print a unified diff of the changes."
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Rewrite a file even when one of its comments has no place (dropping it).",
        ),
    ] = False,
) -> None:
    """Rewrite files in canonical key order and layout, keeping every value and comment.

    Comments go with the key they stood above or after. Files are written as one change,
    under the archive's lock; a file that changed after fmt read it is not replaced.
    Exit 0 when everything is canonical (or was made so), 1 when files would change
    (--check, --diff) or were left alone for a comment without a place, 2 when a file
    does not load.
    """
    from forumctl.change import Change
    from forumctl.cli.validate import split_by_archive
    from forumctl.fmt import comment_lines, format_archive, unified_diff

    archive = state(ctx).archive(manifest_checked=False)
    only, outside = split_by_archive(archive.root, paths) if paths else (None, [])
    with progress_shown(archive, "fmt"):
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
    change = Change(archive)
    for result in results:
        if result.status == "invalid":
            output.error(f"{result.problem} (cannot format: run 'forumctl validate')")
            exit_code = ExitCode.USAGE
        elif result.status == "has-comments":
            lines = ", ".join(str(line) for line in comment_lines(result.original))
            output.note(
                f"{result.rel}: not formatted: a comment on line {lines} has no place in"
                " the canonical layout (move it, or use --force to drop it)"
            )
            exit_code = max(exit_code, ExitCode.FINDINGS)
        elif result.status == "changed":
            counts["changed"] += 1
            if diff:
                output.result(unified_diff(result), end="")
            elif check:
                output.result(f"would reformat {result.rel}")
            else:  # a symbolic link is written through (to a target inside the archive)
                change.rewrite(result.rel, result.original, result.canonical)
            if dry_run:
                exit_code = max(exit_code, ExitCode.FINDINGS)
        else:
            counts["unchanged"] += 1
    for written in change.apply(check=False).files:
        output.note(f"reformatted {written.rel}")
    verb = "would be reformatted" if dry_run else "reformatted"
    skipped_note = f", {skipped} skipped (not records of the archive)" if skipped else ""
    output.note(
        f"{counts['changed']} {verb}, {counts['unchanged']} already canonical{skipped_note}."
    )
    output.exit_with(exit_code)
