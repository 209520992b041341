"""forumctl/timetable.py: the grid shared by the terminal and the site."""

from __future__ import annotations

import datetime as dt

from forumctl.records import Session
from forumctl.timetable import grid

DAY1, DAY2 = dt.date(2024, 6, 10), dt.date(2024, 6, 11)


def _session(title: str, start: str | None, room: str | None) -> Session:
    return Session(
        title=title, start=None if start is None else dt.time.fromisoformat(start), room=room
    )


def test_rooms_in_order_of_appearance_slots_in_time_order_and_untimed_apart() -> None:
    items = [
        (_session("Keynote", "09:00", "Hall A"), DAY1),
        (_session("Data", "10:00", "Hall B"), DAY1),
        (_session("Tables", "10:00", "Hall A"), DAY1),
        (_session("Late", "08:00", None), DAY2),
        (_session("Social", None, None), DAY1),
        (_session("Undated", "09:00", "Hall A"), None),
    ]
    layout = grid(items, lambda item: item[0], lambda item: item[1])
    assert layout.rooms == ("Hall A", "Hall B", None)
    titles = [
        (slot.day, slot.start.isoformat("minutes"), [[s.title for s, _ in c] for c in slot.cells])
        for slot in layout.slots
    ]
    assert titles == [
        (DAY1, "09:00", [["Keynote"], [], []]),
        (DAY1, "10:00", [["Tables"], ["Data"], []]),
        (DAY2, "08:00", [[], [], ["Late"]]),
    ]
    assert [s.title for s, _ in layout.untimed] == ["Social", "Undated"]
    assert layout.days == [DAY1, DAY2]
    second = layout.day(DAY2)
    assert second.rooms == (None,)
    assert [[[s.title for s, _ in c] for c in slot.cells] for slot in second.slots] == [[["Late"]]]
    assert layout.day(DAY1).rooms == ("Hall A", "Hall B")
