"""A forum's timetable: rooms as columns, start times as rows.

The one layout behind ``show forum --timetable`` (the terminal) and the timetable of the
site's forum pages: which sessions are timed (a start time on a known day), the rooms in
the order they first appear, and each (day, start) slot with the sessions of each room.
Items are whatever the caller lays out (a query row, a resolved session); ``session_of``
and ``day_of`` say which session and day each one is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from forumctl.records import Session

Item = TypeVar("Item")

NO_ROOM = "(no room)"  # the column of timed sessions without a room


@dataclass(frozen=True, slots=True)
class Slot(Generic[Item]):
    """The sessions starting at one time of one day, by room (in the grid's room order)."""

    day: dt.date
    start: dt.time
    cells: tuple[tuple[Item, ...], ...]


@dataclass(frozen=True, slots=True)
class Grid(Generic[Item]):
    """Rooms (None: no room recorded) as columns, slots in time order, and the items
    that have no place in it (no start time, or no known day)."""

    rooms: tuple[str | None, ...]
    slots: tuple[Slot[Item], ...]
    untimed: tuple[Item, ...]

    @property
    def days(self) -> list[dt.date]:
        return list(dict.fromkeys(slot.day for slot in self.slots))

    def day(self, day: dt.date) -> Grid[Item]:
        """The grid of one day, with only the rooms used that day (and no untimed items)."""
        slots = [slot for slot in self.slots if slot.day == day]
        used = [
            index for index in range(len(self.rooms)) if any(slot.cells[index] for slot in slots)
        ]
        return Grid(
            tuple(self.rooms[index] for index in used),
            tuple(Slot(s.day, s.start, tuple(s.cells[index] for index in used)) for s in slots),
            (),
        )


def grid(
    items: Sequence[Item],
    session_of: Callable[[Item], Session],
    day_of: Callable[[Item], dt.date | None],
) -> Grid[Item]:
    """The timetable of ``items`` (in programme order, which orders a cell's sessions)."""
    timed: list[tuple[Item, dt.date, dt.time]] = []
    untimed: list[Item] = []
    for item in items:
        start, day = session_of(item).start, day_of(item)
        if start is None or day is None:
            untimed.append(item)
        else:
            timed.append((item, day, start))
    rooms = tuple(dict.fromkeys(session_of(item).room for item, _, _ in timed))
    column = {room: index for index, room in enumerate(rooms)}
    cells: dict[tuple[dt.date, dt.time], list[list[Item]]] = {}
    for item, day, start in timed:
        row = cells.setdefault((day, start), [[] for _ in rooms])
        row[column[session_of(item).room]].append(item)
    slots = tuple(
        Slot(day, start, tuple(tuple(cell) for cell in row))
        for (day, start), row in sorted(cells.items())
    )
    return Grid(rooms, slots, tuple(untimed))
