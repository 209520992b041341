"""``forumctl import frab|pretalx|csv|ical FILE``: bring in a programme made elsewhere, or
update one imported before (the readers and the plan are in :mod:`forumctl.importers`)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forumctl.cli import complete, output
from forumctl.cli.changing import DryRun
from forumctl.cli.context import state

if TYPE_CHECKING:
    from forumctl.importers.plan import ImportPlan


class Kind(enum.StrEnum):
    frab = "frab"
    pretalx = "pretalx"
    csv = "csv"
    ical = "ical"


def import_programme(
    ctx: typer.Context,
    kind: Annotated[
        Kind,
        typer.Argument(
            help="frab (XML or JSON: frab, Pentabarf, pretalx, wafer, c3voc), pretalx (its"
            " JSON export), csv (header row), ical (one session per VEVENT).",
            show_default=False,
        ),
    ],
    file: Annotated[Path, typer.Argument(help="The file to import.", show_default=False)],
    forum: Annotated[
        str | None,
        typer.Option(
            "--forum",
            metavar="ID",
            autocompletion=complete.forum_ids,
            help="The forum to import into (default: the one imported from this schedule"
            " before, else a new one named after it).",
            show_default=False,
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            metavar="TZ",
            autocompletion=complete.timezones,
            help="IANA timezone of the times when the source gives none (default: the archive's).",
            show_default=False,
        ),
    ] = None,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help="Remove sessions the source no longer has (default: cancel them)."
        ),
    ] = False,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            metavar="NAME=FIELD",
            help="csv: read the column NAME as FIELD (repeatable), e.g. --column 'Talk=title'.",
            show_default=False,
        ),
    ] = None,
    dry_run: DryRun = False,
) -> None:
    """Import a programme as one change, or update the one imported from it before."""
    import time

    from forumctl.cli.changing import apply_and_report
    from forumctl.importers import read, receipt
    from forumctl.importers.csv import parse_columns
    from forumctl.importers.plan import plan_import
    from forumctl.importers.source import read_bytes
    from forumctl.render.progress import progress

    began = time.time_ns()  # before anything is read: see receipt.record
    archive = state(ctx).archive()
    columns = parse_columns(column or [])
    if columns and kind is not Kind.csv:
        from forumctl.errors import UsageError

        raise UsageError("--column is for csv only")
    data = read_bytes(file, str(file))
    options = {
        "file": str(file), "forum": forum, "timezone": timezone, "prune": prune,
        "columns": columns,
    }  # fmt: skip
    # without the parse cache (--no-cache) there is no receipt to find or keep
    key = None if archive.parse_cache is None else receipt.key_of(kind.value, data, options)
    seen = None if dry_run or key is None else receipt.unchanged(archive, key)
    if seen is not None:  # nothing changed since an import of this schedule changed nothing
        for warning in seen.warnings:
            output.warning(warning)
        output.note(_unchanged(seen.forum_id))
        return
    programme = read(
        kind.value, file, display=str(file), timezone=timezone or archive.manifest.timezone,
        columns=columns, data=data,
    )  # fmt: skip
    with progress("import: reading") as shown:
        plan = plan_import(archive, programme, forum_id=forum, prune=prune, progress=shown)
    for warning in plan.warnings:
        output.warning(warning)
    forum = f"forum {plan.forum_id}{' (new)' if plan.forum_new else ''}"
    applied = apply_and_report(
        plan.change,
        dry_run=dry_run,
        verb=("change", "changed"),
        summary=lambda done, _: f"{forum} {done}: {_counts(plan)}",
        unchanged=_unchanged(plan.forum_id),
        listing=lambda: _list_outcomes(plan, dry_run=dry_run),
    )
    if not applied.files and not dry_run and key is not None:
        warnings = [*plan.warnings, *_review_warnings(plan)]
        receipt.record(archive, key, plan.forum_id, warnings, since=began)


def _unchanged(forum_id: str) -> str:
    return f"forum {forum_id}: unchanged, nothing written"


def _counts(plan: ImportPlan) -> str:
    """'sessions 3 new, 1 moved; speakers 2 new, 0 matched, 0 to review'."""
    counts = {s: sum(o.status == s for o in plan.sessions) for s in _SESSION_STATUSES}
    speakers = {s: sum(o.status == s for o in plan.speakers) for s in ("new", "matched", "review")}
    summary = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
    who = f"{speakers['new']} new, {speakers['matched']} matched, {speakers['review']} to review"
    return f"sessions {summary or 'unchanged'}; speakers {who}"


def _list_outcomes(plan: ImportPlan, *, dry_run: bool) -> None:
    """Each session's outcome (stdout); the speakers as a table (--dry-run), else a
    warning for each one to review."""
    for outcome in plan.sessions:
        details = f"  ({outcome.details})" if outcome.details else ""
        output.result(f"{outcome.status:<10} {outcome.session_id}  {outcome.title}{details}")
    if dry_run:
        import shutil

        from forumctl.render.tables import IMPORT_SPEAKER_COLUMNS, table

        width = shutil.get_terminal_size().columns
        output.result(table(IMPORT_SPEAKER_COLUMNS, plan.speakers, width, title="Speakers"), end="")
    else:
        for warning in _review_warnings(plan):
            output.warning(warning)


def _review_warnings(plan: ImportPlan) -> list[str]:
    return [
        f"speaker {speaker.name!r} is new as '{speaker.speaker_id}': {speaker.reason};"
        f" if they are one person: forumctl merge speaker {speaker.speaker_id} {speaker.other}"
        for speaker in plan.speakers
        if speaker.status == "review"
    ]


_SESSION_STATUSES = ("new", "moved", "changed", "cancelled", "removed")
