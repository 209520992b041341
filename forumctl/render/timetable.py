"""``show forum --timetable``: rooms as columns, start times as rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from forumctl.display import clock
from forumctl.query import SessionRow
from forumctl.records import Session, Speaker, session_day
from forumctl.textsafe import visible
from forumctl.timetable import NO_ROOM, grid

if TYPE_CHECKING:
    from rich.console import RenderableType


def timetable(rows: Sequence[SessionRow], speakers: Mapping[str, Speaker]) -> RenderableType:
    """The timetable of a forum's sessions (in programme order), or, when none has a day
    and a start time, the ordered programme."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from forumctl.render.text import programme_table

    layout = grid(rows, lambda row: row.session, lambda row: session_day(row.session, row.forum))
    if not layout.slots:
        return programme_table(rows, speakers)
    several_days = len(layout.days) > 1
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Day and time" if several_days else "Time", no_wrap=True)
    for room in layout.rooms:
        table.add_column(Text(visible(room or NO_ROOM)), overflow="fold")
    for slot in layout.slots:
        label = f"{slot.day} {clock(slot.start)}" if several_days else clock(slot.start)
        texts = ("\n".join(_cell(row.session) for row in cell) for cell in slot.cells)
        table.add_row(label, *(Text(visible(text)) for text in texts))
    if layout.untimed:
        untimed = "; ".join(row.session.title for row in layout.untimed)
        table.caption = Text(visible("Not timed: " + untimed))
    return table


def _cell(session: Session) -> str:
    return session.title + (f" (until {clock(session.end)})" if session.end else "")
