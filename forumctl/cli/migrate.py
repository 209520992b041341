"""``forumctl migrate [--to N] [--dry-run]``: upgrade the archive's format in one change."""

from __future__ import annotations

from typing import Annotated

import typer

from forumctl.cli import output
from forumctl.cli.changing import DryRun, apply_and_report
from forumctl.cli.context import state


def migrate(
    ctx: typer.Context,
    to: Annotated[
        int | None,
        typer.Option(
            "--to",
            metavar="N",
            help="The format to migrate to (default: the newest this forumctl knows).",
            show_default=False,
        ),
    ] = None,
    dry_run: DryRun = False,
) -> None:
    """Upgrade the archive to a newer format, every file in one change.

    Files are edited in place (comments and layout kept) and the JSON Schemas in schemas/
    replaced by the new format's. From format 1 to 2 that is `format = 2` in
    forumctl.toml: format 2 only adds keys.
    """
    from forumctl.migrate import plan
    from forumctl.records import FORMAT_VERSION

    archive = state(ctx).archive()
    planned = plan(archive, FORMAT_VERSION if to is None else to)
    if not planned.steps:
        output.note(f"the archive is format {planned.source} already: nothing to migrate")
        return
    upgrade = f"the archive from format {planned.source} to {planned.target}"
    apply_and_report(
        planned.change,
        dry_run=dry_run,
        verb=("migrate", "migrated"),
        summary=lambda done, applied: (
            f"{done} {upgrade} ({len(applied.files)} files): "
            + "; ".join(migration.summary for migration in planned.steps)
        ),
        unchanged=f"{upgrade}: no file changes, nothing written",
    )
