"""``forumctl show forum|session|speaker ID``: one record in a readable layout, or JSON."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from forumctl.cli import complete, output
from forumctl.cli.context import command_group, state
from forumctl.errors import UsageError

app: typer.Typer = command_group(
    name="show", help="Show one forum, session or speaker.", no_args_is_help=True
)


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


Format = Annotated[ShowFormat, typer.Option("--format", help="Output format.")]


@app.command("forum")
def show_forum(
    ctx: typer.Context,
    forum_id: Annotated[
        str, typer.Argument(metavar="ID", help="Forum ID.", autocompletion=complete.record_ids)
    ],
    form: Format = ShowFormat.text,
    timetable: Annotated[
        bool,
        typer.Option(
            "--timetable",
            help="Rooms as columns, times as rows (the programme when there are no times).",
        ),
    ] = False,
) -> None:
    """A forum with its programme, outcomes and sources."""
    from forumctl import query, render

    archive = state(ctx).archive(skip_broken=True)
    rows = query.programme(archive, forum_id)
    forum = archive.forum(forum_id)
    if timetable:
        if form is ShowFormat.json:
            raise UsageError("--timetable is a text view", hint="leave out --format json")
        from forumctl.render.timetable import timetable as timetable_view

        speakers = query.referenced_speakers(archive, (row.session for row in rows))
        output.show(timetable_view(rows, speakers))
        return
    if form is ShowFormat.json:
        sessions = [render.record_data(row.session_id, row.session) for row in rows]
        output.result(
            render.json_document(forum=render.record_data(forum_id, forum), sessions=sessions),
            end="",
        )
        return
    from forumctl.editions import neighbours
    from forumctl.render.text import forum_layout

    speakers = query.referenced_speakers(archive, (row.session for row in rows))
    output.show(forum_layout(forum_id, forum, rows, speakers, neighbours(archive, forum_id)))


@app.command("session")
def show_session(
    ctx: typer.Context,
    session_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Session ID: FORUM-ID/SESSION-ID.",
            autocompletion=complete.record_ids,
        ),
    ],
    form: Format = ShowFormat.text,
) -> None:
    """A session with its chairs and talks."""
    from forumctl import query, render

    archive = state(ctx).archive(skip_broken=True)
    session = archive.session(session_id)
    forum_id = session_id.partition("/")[0]
    if form is ShowFormat.json:
        data = {**render.record_data(session_id, session), "forum": forum_id}
        output.result(render.json_document(session=data), end="")
        return
    from forumctl.render.text import session_layout

    row = query.SessionRow(session_id, session, forum_id, archive.forum(forum_id))
    output.show(session_layout(row, query.referenced_speakers(archive, [session])))


@app.command("speaker")
def show_speaker(
    ctx: typer.Context,
    speaker_id: Annotated[
        str, typer.Argument(metavar="ID", help="Speaker ID.", autocompletion=complete.record_ids)
    ],
    form: Format = ShowFormat.text,
) -> None:
    """A speaker with every session and talk they appear in, and the affiliation held."""
    from forumctl import query, render

    archive = state(ctx).archive(skip_broken=True)
    speaker = archive.speaker(speaker_id)
    found = query.appearances(archive, speaker_id)
    if form is ShowFormat.json:
        appearances = [
            {
                "forum": a.row.forum_id,
                "session": a.row.session_id,
                "role": a.role,
                "talk": None if a.talk is None else a.talk.title,
                "affiliation": a.affiliation,
            }
            for a in found
        ]
        output.result(
            render.json_document(
                speaker=render.record_data(speaker_id, speaker), appearances=appearances
            ),
            end="",
        )
        return
    from forumctl.render.text import speaker_layout

    output.show(speaker_layout(speaker_id, speaker, found))
