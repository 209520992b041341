"""iCalendar: one VEVENT per timed session, in the forum's timezone (with its VTIMEZONE).

- UID: ``<uid>@forumctl``, the session's identity (:func:`forumctl.identity.uid_of`: its
  ``uid``, else uuid5 of its ID), so a re-import updates events instead of doubling them,
  even after a rename; an all-day event of a forum without times: ``<forum uid>/day-N``.
- DTSTAMP: the forum's last day (or its latest source's date, if later) at 00:00 UTC, so
  the same archive gives the same bytes; the clock is never read.
- A session without a start time (or without a day, in a forum of several days) cannot be
  placed: it is left out, with a warning naming it. A forum with no timed session at all
  becomes one all-day event per day of the forum, its programme in the description.
- Persons (chairs, then speakers) are listed in the description with their affiliations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from forumctl import __version__
from forumctl.export.model import ResolvedArchive, ResolvedForum, ResolvedSession
from forumctl.identity import uid_of
from forumctl.textsafe import ical_document

UID_DOMAIN = "forumctl"
# RFC 5545 STATUS of a session with a status (none: no STATUS, as scheduled): a postponed
# session may still take place, at a time not known yet
ICAL_STATUS = {"cancelled": "CANCELLED", "withdrawn": "CANCELLED", "postponed": "TENTATIVE"}


def _stamp(forum: ResolvedForum) -> dt.datetime:
    dates = [forum.forum.end, *(s.date for s in forum.forum.sources if s.date is not None)]
    return dt.datetime.combine(max(dates), dt.time.min, tzinfo=dt.UTC)


def _location(session: ResolvedSession, forum: ResolvedForum) -> str:
    parts = (session.session.room, forum.forum.venue, forum.forum.city)
    return ", ".join(part for part in parts if part)


def _session_event(session: ResolvedSession, forum: ResolvedForum, zone: dt.tzinfo | None) -> Any:
    from icalendar import Event

    start, end = session.period(zone)
    event = Event()
    event.add("uid", f"{uid_of('session', session.id, session.session, session.rel)}@{UID_DOMAIN}")
    event.add("dtstamp", _stamp(forum))
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    event.add("summary", session.session.title)
    location = _location(session, forum)
    if location:
        event.add("location", location)
    description = session.description()
    if description:
        event.add("description", description)
    track = forum.track(session.session.track)
    categories = [name for name in (session.session.kind, track and track.name) if name]
    if categories:
        event.add("categories", categories)
    if session.session.url:
        event.add("url", session.session.url)
    if session.session.status is not None:
        event.add("status", ICAL_STATUS[session.session.status])
    return event


def _day_events(forum: ResolvedForum) -> list[Any]:
    """All-day events for a forum without times: its days, the programme in the text."""
    from icalendar import Event

    days = forum.days
    programme = "\n".join(f"- {s.session.title}" for s in forum.sessions)
    events = []
    forum_uid = uid_of("forum", forum.id, forum.forum)
    for number, day in enumerate(days, start=1):
        event = Event()
        event.add("uid", f"{forum_uid}/day-{number}@{UID_DOMAIN}")
        event.add("dtstamp", _stamp(forum))
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        suffix = f" (day {number} of {len(days)})" if len(days) > 1 else ""
        event.add("summary", forum.forum.title + suffix)
        location = ", ".join(part for part in (forum.forum.venue, forum.forum.city) if part)
        if location:
            event.add("location", location)
        if programme:
            event.add("description", programme)
        events.append(event)
    return events


def render(resolved: ResolvedArchive) -> tuple[str, list[str]]:
    """The calendar text and the warnings (sessions left out, floating times)."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Timezone

    calendar = Calendar()
    calendar.add("prodid", f"-//forumctl//forumctl {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # a calendar's name is one line: a newline in the manifest's name would end the property
    calendar.add("x-wr-calname", " ".join(resolved.manifest.name.split()))
    warnings: list[str] = []
    events: list[Any] = []
    spans: dict[str, tuple[dt.date, dt.date]] = {}  # timezone to the dates it must cover
    for forum in resolved.forums:
        timed = [s for s in forum.sessions if s.timed]
        if not timed:
            events += _day_events(forum)
            continue
        zone = forum.zone()
        if forum.timezone is None:
            warnings.append(f"forum '{forum.id}' has no timezone: its times are floating")
        else:
            first, last = spans.get(forum.timezone, (forum.forum.start, forum.forum.end))
            spans[forum.timezone] = (min(first, forum.forum.start), max(last, forum.forum.end))
        for session in forum.sessions:
            if session.timed:
                events.append(_session_event(session, forum, zone))
            else:
                warnings.append(session.left_out_warning())
    for name, (first, last) in sorted(spans.items()):
        calendar.add_component(
            Timezone.from_tzinfo(
                ZoneInfo(name), name, first - dt.timedelta(days=366), last + dt.timedelta(days=366)
            )
        )
    for event in events:
        calendar.add_component(event)
    return ical_document(calendar.to_ical().decode("utf-8")), warnings
