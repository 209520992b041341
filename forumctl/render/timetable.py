"""``show forum --timetable``: rooms as columns, start times as rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from forumctl.display import clock
from forumctl.query import SessionRow
from forumctl.records import Speaker, session_day
from forumctl.textsafe import visible

if TYPE_CHECKING:
    from rich.console import RenderableType

NO_ROOM = "(no room)"


def timetable(rows: Sequence[SessionRow], speakers: Mapping[str, Speaker]) -> RenderableType:
    """The timetable of a forum's sessions (in programme order), or, when none has a day
    and a start time, the ordered programme."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from forumctl.render.text import programme_table

    timed = [
        row
        for row in rows
        if row.session.start is not None and session_day(row.session, row.forum) is not None
    ]
    if not timed:
        return programme_table(rows, speakers)
    rooms = list(dict.fromkeys(row.session.room or NO_ROOM for row in timed))
    several_days = len({session_day(row.session, row.forum) for row in timed}) > 1
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Day and time" if several_days else "Time", no_wrap=True)
    for room in rooms:
        table.add_column(Text(visible(room)), overflow="fold")
    slots: dict[tuple[dt.date, dt.time], dict[str, list[str]]] = {}
    for row in timed:
        session = row.session
        assert session.start is not None
        day = session_day(row.session, row.forum)
        assert day is not None
        cell = session.title + (f" (until {clock(session.end)})" if session.end else "")
        cells = slots.setdefault((day, session.start), {})
        cells.setdefault(session.room or NO_ROOM, []).append(cell)
    for (day, start), cells in sorted(slots.items()):
        label = f"{day} {clock(start)}" if several_days else clock(start)
        texts = ("\n".join(cells.get(room, [])) for room in rooms)
        table.add_row(label, *(Text(visible(text)) for text in texts))
    untimed = [row.session.title for row in rows if row not in timed]
    if untimed:
        table.caption = Text(visible("Not timed: " + "; ".join(untimed)))
    return table
