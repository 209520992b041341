"""frab schedules (the XML and JSON read by Giggity, EventFahrplan, info-beamer ...).

One forum per schedule. Both forms are written from one model (:func:`schedule`):

- an event is a timed session; its persons are its chairs, then its speakers;
- GUIDs of events and persons are the records' identities (:func:`forumctl.identity.uid_of`:
  the ``uid``, else uuid5 of the session or speaker ID), rooms' the uuid5 of the forum's
  first ID and the room (:func:`forumctl.identity.room_uid`), so they never change
  between exports, nor when a record is renamed; the numeric
  event ``id`` the formats still require is taken from the GUID's top 31 bits;
- a session without a room is in the room :data:`NO_ROOM`; without an end time it lasts
  ``00:00``;
- times need a timezone (the forum's or the manifest's); a forum without any timed
  session has no frab schedule: both are clear errors;
- the schedule's ``version`` is ``git describe`` of the archive's repository (see
  :func:`_git_version`), else a digest of the events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forumctl import __version__
from forumctl.errors import UsageError
from forumctl.export.model import (
    Person,
    ResolvedArchive,
    ResolvedForum,
    ResolvedSession,
    ResolvedTalk,
)
from forumctl.identity import room_uid, talk_id, uid_of
from forumctl.records import Link, Session, Talk, Track
from forumctl.textsafe import xml_document

NO_ROOM = "(room not recorded)"
TIMESLOT = "00:15"
_XSD_SLUG = re.compile(r"[a-z0-9_]{4,}-[a-z0-9\-_]{4,}")
_JSON_TIMEZONE = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")  # the JSON Schema's own


@dataclass(frozen=True, slots=True)
class Event:
    session: ResolvedSession
    guid: uuid.UUID
    room: str
    start: dt.datetime  # aware, in the forum's timezone
    end: dt.datetime | None
    talk: ResolvedTalk | None = None  # an event of its own for a talk with its own times
    position: int = 0  # the talk's, from 1

    @property
    def record(self) -> Session | Talk:
        return self.talk.talk if self.talk is not None else self.session.session

    @property
    def title(self) -> str:
        title = self.record.title or self.session.session.title
        status = self.record.status or self.session.session.status
        return f"{title} ({status})" if status else title  # frab has no status of its own

    @property
    def persons(self) -> tuple[Person, ...]:
        return self.talk.speakers if self.talk is not None else self.session.persons

    @property
    def abstract(self) -> str | None:
        return self.record.abstract or self.record.summary

    @property
    def description(self) -> str:
        if self.talk is not None:
            return self.talk.talk.summary or ""
        return self.session.description()

    def track(self, forum: ResolvedForum) -> Track | None:
        return forum.track(self.record.track or self.session.session.track)

    def language(self, plan: Schedule) -> str | None:
        talk_language = self.talk.talk.language if self.talk is not None else None
        return talk_language or self.session.session.language or plan.language

    @property
    def links(self) -> tuple[Link, ...]:
        return self.record.links

    @property
    def number(self) -> int:
        """The numeric ``id`` frab still requires: stable, as it comes from the GUID."""
        return (self.guid.int >> 97) or 1

    @property
    def duration(self) -> str:
        """The time that elapses (in UTC: a day's wall clock may jump for daylight saving)."""
        elapsed = self.end.astimezone(dt.UTC) - self.start.astimezone(dt.UTC) if self.end else None
        seconds = int(elapsed.total_seconds()) if elapsed else 0
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"

    @property
    def slug(self) -> str:
        forum_id, _, session_id = self.session.id.partition("/")
        suffix = f"-{self.position}" if self.talk is not None else ""
        return f"{acronym(forum_id)}-{session_id}{suffix}"


@dataclass(frozen=True, slots=True)
class Day:
    index: int
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    rooms: dict[str, list[Event]]


@dataclass(frozen=True, slots=True)
class Schedule:
    forum: ResolvedForum
    timezone: str
    language: str | None
    days: tuple[Day, ...]
    rooms: tuple[str, ...]  # in order of their first event
    version: str  # git describe of the archive, else a digest of the events


def room_guid(forum: ResolvedForum, room: str) -> str:
    return str(room_uid(forum.id, forum.forum, room))


def person_guid(person: Person) -> str:
    return str(uid_of("speaker", person.id, person.speaker))


def acronym(forum_id: str) -> str:
    """The forum ID in the alphabet both schemas accept (no hyphens, at least 4 chars)."""
    return forum_id.replace("-", "_").ljust(4, "_")


def _only_forum(resolved: ResolvedArchive) -> ResolvedForum:
    if len(resolved.forums) != 1:
        raise UsageError(
            f"a frab schedule describes one forum; {len(resolved.forums)} are selected",
            hint="choose one with --forum ID",
        )
    return resolved.forums[0]


def schedule(resolved: ResolvedArchive) -> tuple[Schedule, list[str]]:
    """The schedule of the one selected forum, and warnings for sessions left out."""
    forum = _only_forum(resolved)
    timed = [s for s in forum.sessions if s.timed]
    if not timed:
        raise UsageError(
            f"forum '{forum.id}' has no session with a date and start time; frab needs times",
            hint="add start and end times to its sessions, or export markdown or ical",
        )
    if forum.timezone is None:
        raise UsageError(
            f"forum '{forum.id}' has no timezone; frab needs one",
            hint="set timezone in its forum.toml or in forumctl.toml",
        )
    zone = forum.zone()
    warnings = [s.left_out_warning() for s in forum.sessions if not s.timed]
    events = []
    for session in timed:
        start, end = session.period(zone)
        room = session.session.room or NO_ROOM
        if not session.talks_timed:
            guid = uid_of("session", session.id, session.session, session.rel)
            events.append(Event(session, guid, room, start, end))
            continue
        for n, (talk, talk_start, talk_end) in enumerate(session.talk_periods(zone), start=1):
            guid = uid_of("talk", talk_id(session.id, n), talk.talk, session.rel)
            events.append(Event(session, guid, room, talk_start, talk_end, talk, n))
    rooms = tuple(dict.fromkeys(e.room for e in sorted(events, key=lambda e: e.start)))
    days = []
    for index, date in enumerate(forum.days, start=1):
        todays = [e for e in events if e.start.date() == date]
        midnight = dt.datetime.combine(date, dt.time.min, tzinfo=zone)
        by_room = {room: [e for e in todays if e.room == room] for room in rooms}
        days.append(
            Day(
                index,
                date,
                min((e.start for e in todays), default=midnight),
                max((e.end or e.start for e in todays), default=midnight + dt.timedelta(days=1)),
                {room: found for room, found in by_room.items() if found},
            )
        )
    version = (
        _git_version(resolved.root)
        or hashlib.sha256(
            repr([(e.guid, e.start, e.duration, e.room, e.session) for e in events]).encode()
        ).hexdigest()[:12]
    )
    language = forum.forum.language or resolved.manifest.language
    return Schedule(forum, forum.timezone, language, tuple(days), rooms, version), warnings


def _git_version(root: Path | None) -> str | None:
    """``git describe`` of the archive's repository (a tag, or tag-N-gCOMMIT; "-dirty"
    with uncommitted changes in the archive): the same for the same commit. None outside
    git, where the version is a digest of the events, which changes exactly when they do."""
    if root is None:
        return None
    from forumctl.history.git import describe

    return describe(root)


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _hours_minutes(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")


def render_xml(resolved: ResolvedArchive) -> tuple[str, list[str]]:
    """The frab XML (``schedule.xml``) and the warnings."""
    import xml.etree.ElementTree as ET

    plan, warnings = schedule(resolved)
    forum = plan.forum.forum
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name="forumctl", version=__version__)
    ET.SubElement(root, "version").text = plan.version
    conference = ET.SubElement(root, "conference")
    for tag, text in (
        ("acronym", acronym(plan.forum.id)),
        ("title", forum.title),
        ("start", forum.start.isoformat()),
        ("end", forum.end.isoformat()),
        ("days", str(len(plan.days))),
        ("timeslot_duration", TIMESLOT),
        ("time_zone_name", plan.timezone),
    ):
        ET.SubElement(conference, tag).text = text
    if forum.url:
        ET.SubElement(conference, "url").text = forum.url
    for track in _tracks(plan.forum):
        ET.SubElement(conference, "track", track).text = track["name"]
    for day in plan.days:
        day_element = ET.SubElement(
            root,
            "day",
            index=str(day.index),
            date=day.date.isoformat(),
            start=_stamp(day.start),
            end=_stamp(day.end),
        )
        for room, events in day.rooms.items():
            room_element = ET.SubElement(
                day_element, "room", name=room, guid=room_guid(plan.forum, room)
            )
            for event in events:
                _xml_event(ET.SubElement(room_element, "event"), event, plan)
    ET.indent(root)
    document = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"
    return xml_document(document), warnings


def _xml_event(element: Any, event: Event, plan: Schedule) -> None:
    import xml.etree.ElementTree as ET

    element.set("guid", str(event.guid))
    element.set("id", str(event.number))
    track = event.track(plan.forum)
    fields = [
        ("room", event.room),
        ("title", event.title),
        ("type", event.session.session.kind or "other"),
        ("date", _stamp(event.start)),
        ("start", _hours_minutes(event.start)),
        ("duration", event.duration),
        ("abstract", event.abstract or ""),
        ("track", track.name if track is not None else ""),
    ]
    if event.record.subtitle:
        fields.insert(2, ("subtitle", event.record.subtitle))
    if _XSD_SLUG.fullmatch(event.slug):
        fields.insert(-1, ("slug", event.slug))
    for tag, text in fields:
        ET.SubElement(element, tag).text = text
    persons = ET.SubElement(element, "persons")
    for person in event.persons:
        ET.SubElement(persons, "person", guid=person_guid(person)).text = person.name
    language = event.language(plan)
    if language:
        ET.SubElement(element, "language").text = language
    ET.SubElement(element, "description").text = event.description
    if event.links:
        links = ET.SubElement(element, "links")
        for link in event.links:
            ET.SubElement(links, "link", href=link.url, type=link.kind).text = link.title or ""
    if event.record.url:
        ET.SubElement(element, "url").text = event.record.url


def _json_event(event: Event, plan: Schedule) -> dict[str, Any]:
    track = event.track(plan.forum)
    data: dict[str, Any] = {
        "guid": str(event.guid),
        "id": event.number,
        "date": _stamp(event.start),
        "start": _hours_minutes(event.start),
    }
    if event.end is not None:
        data["end"] = _stamp(event.end)
    data.update(
        {
            "duration": event.duration,
            "room": event.room,
            "slug": event.slug,
            # its own web page, else a URN that identifies it
            "url": event.record.url or event.guid.urn,
            "title": event.title,
            "subtitle": event.record.subtitle,
            "track": track.name if track is not None else None,
            "type": event.session.session.kind or "other",
            "language": event.language(plan),
            "abstract": event.abstract,
            "description": event.description,
            "persons": [{"name": p.name, "guid": person_guid(p)} for p in event.persons],
            "links": [_json_link(link) for link in event.links],
        }
    )
    return data


# forumctl's link kinds to the frab JSON schema's (it has no video, audio or photos)
_JSON_LINK_TYPES = {
    "video": "media", "audio": "media", "photos": "media", "slides": "slides", "paper": "paper",
    "transcript": "article", "page": "web", "other": "related",
}  # fmt: skip


def _json_link(link: Link) -> dict[str, str]:
    data = {"type": _JSON_LINK_TYPES[link.kind], "url": link.url}
    if link.title:
        data["title"] = link.title
    return data


_TRACK_SLUG = re.compile(r"[a-z][a-z0-9-]*[a-z0-9]")  # what both schemas accept


def _tracks(forum: ResolvedForum) -> list[dict[str, str]]:
    """name, slug (the track ID, where both schemas take it) and lower-case colour of
    each of the forum's tracks."""
    found = []
    for track in forum.forum.tracks:
        data = {"name": track.name}
        if _TRACK_SLUG.fullmatch(track.id):
            data["slug"] = track.id
        if track.color:
            data["color"] = track.color.lower()
        found.append(data)
    return found


def render_json(resolved: ResolvedArchive) -> tuple[str, list[str]]:
    """The frab JSON (``schedule.json``) and the warnings."""
    from forumctl.jsondoc import dumps

    plan, warnings = schedule(resolved)
    forum = plan.forum.forum
    conference: dict[str, Any] = {
        "acronym": acronym(plan.forum.id),
        "title": forum.title,
        "start": forum.start.isoformat(),
        "end": forum.end.isoformat(),
        "daysCount": len(plan.days),
        "timeslot_duration": TIMESLOT,
    }
    if _JSON_TIMEZONE.match(plan.timezone):
        conference["time_zone_name"] = plan.timezone
    if forum.url:
        conference["url"] = forum.url
    if forum.tracks:
        conference["tracks"] = _tracks(plan.forum)
    conference["rooms"] = [
        {"name": room, "guid": room_guid(plan.forum, room)} for room in plan.rooms
    ]
    conference["days"] = [
        {
            "index": day.index,
            "date": day.date.isoformat(),
            "day_start": _stamp(day.start),
            "day_end": _stamp(day.end),
            "rooms": {
                room: [_json_event(e, plan) for e in events] for room, events in day.rooms.items()
            },
        }
        for day in plan.days
    ]
    document = {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": "forumctl", "version": __version__},
        "schedule": {"version": plan.version, "conference": conference},
    }
    return dumps(document), warnings
