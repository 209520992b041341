"""The programme every reader produces: plain data, whatever the source's format.

A reader (frab XML or JSON, pretalx's JSON, CSV, iCalendar) turns one file into one
:class:`Programme`; mapping it to the archive is the importer's work
(:mod:`forumctl.importers.plan`), which never sees the source's format.

Times are the forum's wall-clock times: a reader converts every instant it is given
(a UTC date, an offset) to the programme's timezone, so that ``start`` and ``end`` are
naive local date-times, and an event that runs past midnight simply ends on a later day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

LINK_KINDS = ("video", "audio", "slides", "paper", "transcript", "photos", "page", "other")


@dataclass(frozen=True, slots=True)
class Person:
    """A person as the source names them: ``id`` is the source's ID (a frab number, a
    pretalx speaker code), ``guid`` its UUID where it gives one."""

    name: str
    id: str | None = None
    guid: str | None = None
    biography: str | None = None
    url: str | None = None
    orcid: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    kind: str = "other"  # one of LINK_KINDS
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Track:
    name: str
    color: str | None = None  # #rrggbb


@dataclass(frozen=True, slots=True)
class Talk:
    """A talk of its own within an event (only sources that have them: CSV)."""

    title: str | None
    persons: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class Event:
    """One event of the schedule (a frab event, a CSV row's session, a VEVENT)."""

    title: str
    start: dt.datetime | None  # naive, the programme's local time; None: not scheduled
    end: dt.datetime | None = None  # naive local; may be on a later day than start
    id: str | None = None  # the source's ID of the event
    guid: str | None = None  # the source's UUID of the event
    room: str | None = None
    track: str | None = None
    language: str | None = None
    kind: str | None = None  # the source's type, as written ("lecture", "Workshop")
    status: str | None = None  # "cancelled" where the source says so (iCalendar)
    subtitle: str | None = None
    abstract: str | None = None  # Markdown
    description: str | None = None  # Markdown
    url: str | None = None
    persons: tuple[Person, ...] = ()
    links: tuple[Link, ...] = ()
    talks: tuple[Talk, ...] = ()  # several talks of their own (CSV rows of one session)
    order: int | None = None
    day: dt.date | None = None  # the day of an event without a start time (CSV)
    line: int | None = None  # where it is in the source, for messages

    @property
    def date(self) -> dt.date | None:
        return self.start.date() if self.start is not None else self.day


@dataclass(frozen=True, slots=True)
class Programme:
    source: str  # the key of `ids` that records the source's IDs: frab, pretalx, csv, ical
    path: str  # the file, as the user named it, for messages
    title: str | None = None
    acronym: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    timezone: str | None = None
    url: str | None = None
    tracks: tuple[Track, ...] = ()
    events: tuple[Event, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def days(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day: those the source gives, widened to its events' days."""
        dates = [e.date for e in self.events if e.date is not None]
        dates += [e.end.date() for e in self.events if e.end is not None and e.end.time()]
        dates += [day for day in (self.start, self.end) if day is not None]
        return (min(dates), max(dates)) if dates else None
