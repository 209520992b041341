"""What every writing command shares: ``--dry-run`` and applying a change.

A refused change raises :class:`forumctl.change.ChangeRefused`; ``cli/app.py`` prints its
findings (one ``path:line:column: CODE message`` line each) and then the error line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from forumctl.cli import output

if TYPE_CHECKING:
    from forumctl.change import Applied, Change

DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Print the unified diff of every file it would write, move or delete; write nothing.",
    ),
]


def apply_change(change: Change, *, dry_run: bool, force: bool = False) -> Applied:
    """Apply (or with ``dry_run`` only show) the change; findings written with ``force``
    are warned about."""
    applied = change.apply(force=force, dry_run=dry_run)
    if dry_run:
        output.result(applied.diff(), end="")
    for finding in applied.findings:
        output.warning(
            f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}"
            " (written anyway: --force)"
        )
    return applied


def apply_and_report(
    change: Change,
    *,
    dry_run: bool,
    verb: tuple[str, str],
    summary: Callable[[str, Applied], str],
    unchanged: str,
    listing: Callable[[], None] | None = None,
) -> Applied:
    """Apply (or show) the change, print the command's ``listing`` of what it did, and
    end with one note on stderr: ``unchanged`` when no file changes, else
    ``summary(done, applied)``, where ``done`` is ``verb`` (infinitive, past tense) as
    "would migrate" under ``--dry-run``, else "migrated"."""
    applied = apply_change(change, dry_run=dry_run)
    if listing is not None:
        listing()
    if not applied.files:
        output.note(unchanged)
    else:
        output.note(summary(f"would {verb[0]}" if dry_run else verb[1], applied))
    return applied
