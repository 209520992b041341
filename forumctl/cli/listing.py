"""``forumctl list forums|sessions|speakers``: filtered listings as tables, JSON or CSV."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer

from forumctl.cli import complete, output
from forumctl.cli.context import command_group, state

app: typer.Typer = command_group(
    name="list", help="List forums, sessions or speakers.", no_args_is_help=True
)


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


Forum = Annotated[
    str | None,
    typer.Option("--forum", help="Only this forum (its ID).", autocompletion=complete.forum_ids),
]
Year = Annotated[int | None, typer.Option("--year", help="Only forums held in this year.")]
City = Annotated[str | None, typer.Option("--city", help="Only forums in this city.")]
Tag = Annotated[str | None, typer.Option("--tag", help="Only forums with this tag.")]
Series = Annotated[
    str | None, typer.Option("--series", help="Only forums of this series (its editions).")
]
SpeakerId = Annotated[
    str | None,
    typer.Option(
        "--speaker",
        help="Only where this speaker (ID) appears.",
        autocompletion=complete.speaker_ids,
    ),
]
Kind = Annotated[
    str | None,
    typer.Option(
        "--kind", help="Only this kind of forum or session.", autocompletion=complete.session_kinds
    ),
]
Search = Annotated[str | None, typer.Option("--search", help="Text to find in titles and names.")]
Format = Annotated[ListFormat, typer.Option("--format", help="Output format.")]


def _print_listing(
    ctx: typer.Context,
    form: ListFormat,
    key: str,
    columns: Any,
    rows: Sequence[Any],
    data: list[dict[str, Any]],
) -> None:
    """Print rows as the chosen format; the count goes to stderr under a table."""
    from forumctl import render

    if form is ListFormat.json:
        output.result(render.json_document(**{key: data}), end="")
    elif form is ListFormat.csv:
        from forumctl.export import csv

        output.result(csv.table(columns.headers, columns.rows(rows)), end="")
    else:
        import shutil

        from forumctl.render.tables import table

        width = shutil.get_terminal_size().columns
        output.page(table(columns, rows, width), pager=not state(ctx).no_pager)
        output.note(f"{len(rows)} {key if len(rows) != 1 else key[:-1]}")


def _filters(ctx: typer.Context) -> Any:
    from forumctl.query import Filters

    names = ("forum", "year", "city", "tag", "series", "speaker", "kind", "search")
    return Filters(**{name: ctx.params.get(name) for name in names})


@app.command("forums")
def list_forums(
    ctx: typer.Context,
    forum: Forum = None,
    year: Year = None,
    city: City = None,
    tag: Tag = None,
    series: Series = None,
    speaker: SpeakerId = None,
    kind: Kind = None,
    search: Search = None,
    form: Format = ListFormat.table,
) -> None:
    """Forums, by start date."""
    from forumctl import query, render
    from forumctl.render.tables import FORUM_COLUMNS

    rows = query.list_forums(state(ctx).archive(skip_broken=True), _filters(ctx))
    data = [render.record_data(forum_id, record) for forum_id, record in rows]
    _print_listing(ctx, form, "forums", FORUM_COLUMNS, rows, data)


@app.command("sessions")
def list_sessions(
    ctx: typer.Context,
    forum: Forum = None,
    year: Year = None,
    city: City = None,
    tag: Tag = None,
    series: Series = None,
    speaker: SpeakerId = None,
    kind: Kind = None,
    search: Search = None,
    form: Format = ListFormat.table,
) -> None:
    """Sessions, by forum, then date, start time and programme order."""
    from forumctl import query, render
    from forumctl.render.tables import SESSION_COLUMNS

    rows = query.list_sessions(state(ctx).archive(skip_broken=True), _filters(ctx))
    data = [
        {**render.record_data(row.session_id, row.session), "forum": row.forum_id} for row in rows
    ]
    _print_listing(ctx, form, "sessions", SESSION_COLUMNS, rows, data)


@app.command("speakers")
def list_speakers(
    ctx: typer.Context,
    forum: Forum = None,
    year: Year = None,
    city: City = None,
    tag: Tag = None,
    series: Series = None,
    search: Search = None,
    form: Format = ListFormat.table,
) -> None:
    """Speakers, by sort name. Reads session files only for --forum/--year/--city/--tag."""
    from forumctl import query, render
    from forumctl.render.tables import SPEAKER_COLUMNS

    rows = query.list_speakers(state(ctx).archive(skip_broken=True), _filters(ctx))
    data = [render.record_data(speaker_id, record) for speaker_id, record in rows]
    _print_listing(ctx, form, "speakers", SPEAKER_COLUMNS, rows, data)
