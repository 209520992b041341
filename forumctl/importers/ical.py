"""iCalendar: one event per VEVENT, read with the icalendar library.

UID is the event's ID (its GUID as well when it is a UUID); SUMMARY its title, LOCATION its
room, DESCRIPTION its description, URL its page, ATTENDEE names its persons, CATEGORIES its
track, STATUS:CANCELLED its status. Times with a timezone are converted to the
programme's (the first TZID found, else X-WR-TIMEZONE, else --timezone); floating times
are taken as they are. All-day events have no time to place: they are left out, with a
warning.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from forumctl.errors import InvalidSource
from forumctl.importers import source as src
from forumctl.importers.model import Event, Person, Programme


def read(data: bytes, display: str, *, timezone: str | None) -> Programme:
    from icalendar import Calendar

    text = src.decode(data, display)
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise InvalidSource(
            "not an iCalendar file: it does not begin with BEGIN:VCALENDAR", path=display, line=1,
            hint="for a frab or pretalx schedule use 'forumctl import frab' or 'import pretalx'",
        )  # fmt: skip
    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError) as error:
        raise InvalidSource(f"malformed iCalendar: {error}", path=display) from None
    vevents = list(calendar.walk("VEVENT"))
    zone_name = _zone_name(calendar, vevents) or timezone
    zone = src.zone_of(zone_name, display, "the calendar's TZID or --timezone")
    events, warnings = [], []
    for number, vevent in enumerate(vevents, start=1):
        event = _event(vevent, zone, display, number, text)
        if event is None:
            warnings.append(
                f"{display}: VEVENT {number} ({vevent.get('SUMMARY', 'untitled')}) is all-day:"
                " left out"
            )
        else:
            events.append(event)
    return Programme(
        source="ical",
        path=display,
        title=src.plain(calendar.get("X-WR-CALNAME")),
        timezone=zone_name,
        events=tuple(events),
        warnings=tuple(warnings),
    )


def _zone_name(calendar: Any, vevents: list[Any]) -> str | None:
    for vevent in vevents:
        start = vevent.get("DTSTART")
        key = getattr(getattr(start, "dt", None), "tzinfo", None)
        name = getattr(key, "key", None) or getattr(key, "zone", None)
        if isinstance(name, str) and name != "UTC":
            return name
    return src.plain(calendar.get("X-WR-TIMEZONE"))


def _line_of(text: str, uid: str | None, number: int) -> int:
    """The line of a VEVENT's UID (or of its BEGIN), for messages."""
    needle = f"UID:{uid}" if uid else None
    if needle and needle in text:
        return text.count("\n", 0, text.index(needle)) + 1
    position = -1
    for _ in range(number):
        position = text.find("BEGIN:VEVENT", position + 1)
    return text.count("\n", 0, max(position, 0)) + 1


def _event(
    vevent: Any, zone: dt.tzinfo | None, display: str, number: int, text: str
) -> Event | None:
    uid = src.plain(vevent.get("UID"))
    line = _line_of(text, uid, number)
    title = src.plain(vevent.get("SUMMARY"))
    if title is None:
        raise InvalidSource("VEVENT without a SUMMARY (its title)", path=display, line=line)
    try:
        start_value = vevent.decoded("DTSTART")
    except KeyError:
        raise InvalidSource("VEVENT without a DTSTART", path=display, line=line) from None
    except ValueError as error:
        raise InvalidSource(f"DTSTART: {error}", path=display, line=line) from None
    if not isinstance(start_value, dt.datetime):
        return None
    start = src.local(start_value, zone)
    end = None
    if "DTEND" in vevent:
        end_value = vevent.decoded("DTEND")
        end = src.local(end_value, zone) if isinstance(end_value, dt.datetime) else None
    elif "DURATION" in vevent:
        end = start + vevent.decoded("DURATION")
    categories = vevent.get("CATEGORIES")
    track = None
    if categories is not None:
        values = categories if isinstance(categories, list) else [categories]
        names = [str(name) for value in values for name in getattr(value, "cats", [value])]
        track = names[0] if names else None
    attendees = vevent.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees] if attendees else []
    persons = tuple(Person(str(a.params["CN"])) for a in attendees if a.params.get("CN"))
    status = src.plain(vevent.get("STATUS"))
    return Event(
        title=title,
        start=start,
        end=end,
        id=uid,
        guid=uid if uid and _is_uuid(uid) else None,
        room=src.plain(vevent.get("LOCATION")),
        track=track,
        description=src.markdown(src.plain(vevent.get("DESCRIPTION"))),
        url=src.plain(vevent.get("URL")),
        persons=persons,
        status="cancelled" if status and status.upper() == "CANCELLED" else None,
        line=line,
    )


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
