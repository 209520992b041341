"""frab schedules, XML and JSON, as frab, Pentabarf, pretalx, wafer and c3voc's tools
write them; pretalx's JSON export is frab JSON with extras (speaker codes, biographies,
tracks with colours), read by the same code with ``source="pretalx"``.

Both forms become one list of plain event tables (the JSON's keys), so that one function
reads an event whatever the form. Times, in order of trust:

- an event's ``date`` with an offset is an instant, converted to the programme's timezone
  (wafer writes the instant in UTC and the day's ``date`` in UTC too: the instant wins);
- a ``date`` without an offset whose time is not the ``start`` it stands beside is taken
  for UTC written without its offset: the start is placed on the local day nearest it;
- without a ``date``, the start is on its day, or on the next when it is earlier than
  the day's own start (a day that runs past midnight).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forumctl.errors import InvalidSource
from forumctl.importers import source as src
from forumctl.importers.model import Event, Link, Person, Programme, Track

NO_TRACK = "No Track"  # what wafer writes for an event without a track


@dataclass(frozen=True, slots=True)
class _Day:
    date: dt.date | None
    start: dt.datetime | None  # the day's own start, to place events past midnight


@dataclass(frozen=True, slots=True)
class _RawEvent:
    data: Mapping[str, Any]  # the keys of frab JSON
    day: _Day
    room: str | None
    line: int | None
    where: str  # for a message when there is no line: the JSON path


def read(data: bytes, display: str, *, source: str, timezone: str | None) -> Programme:
    """The programme of a frab XML or JSON schedule (recognized from the first character)."""
    first = src.first_character(data)
    if first == "<":
        conference, raw_events = _from_xml(data, display)
    elif first in "{[":
        conference, raw_events = _from_json(data, display)
    else:
        raise InvalidSource(
            "not a frab schedule: neither XML nor JSON", path=display, line=1,
            hint="export the schedule as frab XML or JSON (schedule.xml, schedule.json)",
        )  # fmt: skip
    zone_name = src.plain(conference.get("time_zone_name")) or timezone
    zone = src.zone_of(zone_name, display, "the schedule's time_zone_name or --timezone")
    events = tuple(_event(raw, zone, display, source) for raw in raw_events)
    tracks = _tracks(conference.get("tracks"), events)
    return Programme(
        source=source,
        path=display,
        title=src.plain(conference.get("title")),
        acronym=src.plain(conference.get("acronym")),
        start=_date(conference.get("start")),
        end=_date(conference.get("end")),
        timezone=zone_name,
        url=src.plain(conference.get("base_url") or conference.get("url")),
        tracks=tracks,
        events=events,
    )


# ---------------------------------------------------------------------------
# The two forms


def _from_json(data: bytes, display: str) -> tuple[Mapping[str, Any], list[_RawEvent]]:
    text = src.decode(data, display)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidSource(
            f"malformed JSON: {error.msg}", path=display, line=error.lineno, column=error.colno
        ) from None
    if (
        isinstance(document, dict)
        and "schedule" not in document
        and {"talks", "rooms"} <= set(document)
    ):  # pretalx's widget data: talks beside the rooms they name by number
        return _from_widget(document, display)
    schedule = document.get("schedule") if isinstance(document, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict):
        raise InvalidSource(
            "not a frab schedule: no schedule.conference in this JSON",
            path=display,
            line=1,
            hint="export the schedule as frab JSON (schedule.json)",
        )
    days = conference.get("days")
    raw: list[_RawEvent] = []
    for d, day in enumerate(_list(days, display, "schedule.conference.days")):
        where = f"schedule.conference.days[{d}]"
        if not isinstance(day, dict):
            raise InvalidSource(f"{where} is not an object", path=display)
        info = _Day(_date(day.get("date")), src.moment(str(day.get("day_start") or "")))
        rooms = day.get("rooms") or {}
        if not isinstance(rooms, dict):
            raise InvalidSource(f"{where}.rooms is not an object", path=display)
        for room, events in rooms.items():
            for e, event in enumerate(_list(events, display, f"{where}.rooms[{room!r}]")):
                path = f"{where}.rooms[{room!r}][{e}]"
                if not isinstance(event, dict):
                    raise InvalidSource(f"{path} is not an object", path=display)
                raw.append(_RawEvent(event, info, room, None, path))
    return conference, _json_lines(raw, text)


def _from_widget(
    document: Mapping[str, Any], display: str
) -> tuple[Mapping[str, Any], list[_RawEvent]]:
    """pretalx's schedule widget data (``/schedule/widgets/schedule.json``): talks that
    name their room, track and speakers by ID (rooms and tracks by number, speakers by
    code), names of rooms and tracks in every language of the event, breaks without a
    code and with a start in UTC beside their local end. Each talk becomes an event of
    frab JSON's keys, so the one event reader reads it."""
    rooms = _widget_names(document.get("rooms"), display, "rooms", "id")
    tracks = _widget_names(document.get("tracks"), display, "tracks", "id")
    people = {
        str(person.get("code")): person
        for person in _list(document.get("speakers"), display, "speakers")
        if isinstance(person, dict)
    }
    colors = {
        str(track.get("id")): track.get("color")
        for track in _list(document.get("tracks"), display, "tracks")
        if isinstance(track, dict)
    }
    raw: list[_RawEvent] = []
    day = _Day(None, None)
    for t, talk in enumerate(_list(document.get("talks"), display, "talks")):
        where = f"talks[{t}]"
        if not isinstance(talk, dict):
            raise InvalidSource(f"{where} is not an object", path=display)
        track = talk.get("track")
        event = {
            "code": talk.get("code"),  # None for a break: slot IDs change with each release
            "title": _i18n(talk.get("title")),
            "date": talk.get("start"),
            "end": talk.get("end"),
            "room": rooms.get(str(talk.get("room"))),
            "track": tracks.get(str(track)) if track is not None else None,
            "abstract": talk.get("abstract"),
            "persons": [_widget_person(code, people) for code in talk.get("speakers") or ()],
        }
        raw.append(_RawEvent(event, day, None, None, where))
    conference = {
        "time_zone_name": document.get("timezone"),
        "start": document.get("event_start"),
        "end": document.get("event_end"),
        "tracks": [
            {"name": name, "color": colors.get(track_id)} for track_id, name in tracks.items()
        ],
    }
    return conference, raw


def _widget_person(code: object, people: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """A speaker of the widget by code, as frab JSON's person (a code the speakers do not
    list keeps the code as name)."""
    person = people.get(str(code), {})
    return {**person, "code": code, "name": _i18n(person.get("name")) or str(code)}


def _widget_names(value: Any, display: str, where: str, key: str) -> dict[str, str]:
    """The names of a widget's rooms or tracks by their ID."""
    names = {}
    for item in _list(value, display, where):
        if isinstance(item, dict) and (name := _i18n(item.get("name"))) is not None:
            names[str(item.get(key))] = name
    return names


def _i18n(value: Any) -> str | None:
    """A pretalx text in one language: a plain string as it is, a translated one
    (``{"en": "Main hall", "de": "Großer Saal"}``) in English, else its first language."""
    if isinstance(value, dict):
        texts = [str(text) for text in (value.get("en"), *value.values()) if text]
        return texts[0] if texts else None
    return src.plain(value)


def _list(value: Any, display: str, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidSource(f"{where} is not a list", path=display)
    return value


_XML_TEXT_FIELDS = (
    "date", "start", "duration", "end", "room", "title", "subtitle", "track", "type",
    "language", "abstract", "description", "url", "slug", "video_download_url",
)  # fmt: skip


def _from_xml(data: bytes, display: str) -> tuple[Mapping[str, Any], list[_RawEvent]]:
    document = src.parse_xml(data, display)
    root = document.root
    if root.tag != "schedule":
        raise InvalidSource(
            f"not a frab schedule: the document is <{root.tag}>, not <schedule>",
            path=display,
            line=document.line(root),
            hint="export the schedule as frab XML (schedule.xml)",
        )
    conference: dict[str, Any] = {}
    element = root.find("conference")
    if element is not None:
        conference = {child.tag: child.text for child in element if len(child) == 0}
        conference["tracks"] = [
            {"name": track.get("name") or track.text, "color": track.get("color")}
            for track in element.iter("track")
        ]
    raw: list[_RawEvent] = []
    for day in root.iter("day"):
        info = _Day(_date(day.get("date")), src.moment(day.get("start") or ""))
        for room in day.iter("room"):
            for event in room.iter("event"):
                raw.append(
                    _RawEvent(_xml_event(event), info, room.get("name"), document.line(event), "")
                )
    return conference, raw


def _xml_event(element: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"guid": element.get("guid"), "id": element.get("id")}
    for tag in _XML_TEXT_FIELDS:
        child = element.find(tag)
        if child is not None:
            data[tag] = child.text
    data["persons"] = [
        {"name": person.text, "id": person.get("id"), "guid": person.get("guid"),
         "code": person.get("code")}
        for person in element.iterfind("persons/person")
    ]  # fmt: skip
    data["links"] = [
        {"url": link.get("href"), "title": link.text}
        for link in (*element.iterfind("links/link"), *element.iterfind("attachments/attachment"))
    ]
    return data


# ---------------------------------------------------------------------------
# One event


def _bad(raw: _RawEvent, display: str, message: str) -> InvalidSource:
    if raw.line is not None:
        return InvalidSource(message, path=display, line=raw.line)
    return InvalidSource(f"{raw.where}: {message}", path=display)


def _json_lines(raw: list[_RawEvent], text: str) -> list[_RawEvent]:
    """JSON events with the line of their GUID where it occurs once in the text, so that
    a message can name a line (json gives no positions); one pass over the text."""
    import bisect
    import re

    newlines = [match.start() for match in re.finditer("\n", text)]
    lines: dict[str, int | None] = {}
    for match in re.finditer(r'"guid"\s*:\s*"([^"\\]+)"', text):
        guid = match.group(1)
        lines[guid] = None if guid in lines else bisect.bisect(newlines, match.start()) + 1
    return [
        _RawEvent(event.data, event.day, event.room, lines.get(str(event.data.get("guid"))),
                  event.where)
        for event in raw
    ]  # fmt: skip


def _event(raw: _RawEvent, zone: dt.tzinfo | None, display: str, source: str) -> Event:
    data = raw.data
    title = src.plain(data.get("title"))
    if title is None:
        raise _bad(raw, display, "event without a title")
    start = _start(raw, zone, display)
    end = None
    if start is not None:
        end_text = src.plain(data.get("end"))
        end_moment = src.moment(end_text) if end_text else None
        if end_moment is not None:
            end = src.local(end_moment, zone)
        elif src.plain(data.get("duration")) is not None:
            length = src.duration(str(data["duration"]))
            if length is None:
                raise _bad(raw, display, f"duration {data['duration']!r} is not HH:MM")
            end = start + length if length else None
    persons = tuple(_person(p, source) for p in data.get("persons") or () if isinstance(p, dict))
    links = [
        Link(url, link_kind(url, src.plain(link.get("title"))), src.plain(link.get("title")))
        for link in (*(data.get("links") or ()), *(data.get("attachments") or ()))
        if isinstance(link, dict) and (url := src.plain(link.get("url") or link.get("href")))
    ]
    video = src.plain(data.get("video_download_url"))
    if video is not None:
        links.insert(0, Link(video, "video", None))
    return Event(
        title=title,
        start=start,
        end=end,
        id=_event_id(data, source),
        guid=src.plain(data.get("guid")),
        room=src.plain(data.get("room")) or src.plain(raw.room),
        track=_track(data.get("track")),
        language=src.plain(data.get("language")),
        kind=src.plain(data.get("type")),
        subtitle=src.plain(data.get("subtitle")),
        abstract=src.markdown(data.get("abstract")),
        description=src.markdown(data.get("description")),
        url=src.plain(data.get("url")),
        persons=tuple(p for p in persons if p.name),
        links=tuple(dict.fromkeys(links)),
        line=raw.line,
    )


def _event_id(data: Mapping[str, Any], source: str) -> str | None:
    if source == "pretalx" and src.plain(data.get("code")):
        return src.plain(data.get("code"))
    return src.plain(data.get("id"))


def _person(data: Mapping[str, Any], source: str) -> Person:
    name = src.plain(data.get("name") or data.get("public_name") or data.get("full_public_name"))
    person_id = src.plain(data.get("id"))
    if source == "pretalx" and src.plain(data.get("code")):
        person_id = src.plain(data.get("code"))
    return Person(
        name=name or "",
        id=person_id,
        guid=src.plain(data.get("guid")),
        biography=src.markdown(data.get("biography")),
        url=src.plain(data.get("url")),
    )


def _start(raw: _RawEvent, zone: dt.tzinfo | None, display: str) -> dt.datetime | None:
    data = raw.data
    date_text = src.plain(data.get("date"))
    clock_text = src.plain(data.get("start"))
    clock = src.clock_time(clock_text) if clock_text else None
    if clock_text and clock is None:
        raise _bad(raw, display, f"start {clock_text!r} is not a time (HH:MM)")
    moment = src.moment(date_text) if date_text else None
    if date_text and moment is None and _date(date_text) is None:
        raise _bad(raw, display, f"date {date_text!r} is not a date or date-time")
    if moment is not None and (len(date_text or "") > 10):
        if moment.tzinfo is not None:
            return src.local(moment, zone)
        if clock is None or moment.time() == clock:
            return moment
        # a UTC time written without its offset beside the local start: the local day
        # nearest to it
        candidates = [
            dt.datetime.combine(moment.date() + dt.timedelta(days=shift), clock)
            for shift in (-1, 0, 1)
        ]
        return min(candidates, key=lambda candidate: abs(candidate - moment))
    day = _date(date_text) or raw.day.date
    if clock is None:
        return None
    if day is None:
        raise _bad(raw, display, "event without a date: neither its own nor its day's")
    start = dt.datetime.combine(day, clock)
    day_start = raw.day.start
    if day_start is not None and raw.day.date == day and clock < src.local(day_start, zone).time():
        start += dt.timedelta(days=1)
    return start


def _track(value: Any) -> str | None:
    name = src.plain(value)
    return None if name == NO_TRACK else name


def _date(value: Any) -> dt.date | None:
    text = src.plain(value)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _tracks(declared: Any, events: tuple[Event, ...]) -> tuple[Track, ...]:
    tracks: dict[str, Track] = {}
    for item in declared or ():
        name = src.plain(item.get("name")) if isinstance(item, dict) else None
        if name is not None:
            tracks[name] = Track(name, _color(item.get("color")))
    for event in events:
        if event.track is not None and event.track not in tracks:
            tracks[event.track] = Track(event.track)
    return tuple(tracks.values())


def _color(value: Any) -> str | None:
    text = src.plain(value)
    if text and len(text) == 7 and text[0] == "#":
        try:
            int(text[1:], 16)
        except ValueError:
            return None
        return text.lower()
    return None


def link_kind(url: str, title: str | None) -> str:
    """The kind of a link (format 2's `kind`) from its title and address."""
    words = f"{title or ''} {url}".lower()
    for kind, hints in _LINK_HINTS:
        if any(hint in words for hint in hints):
            return kind
    return "other"


_LINK_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "video",
        ("video", "recording", "media.ccc.de", "youtube", "youtu.be", "vimeo", ".mp4", ".webm"),
    ),
    ("audio", ("audio", "podcast", ".mp3", ".opus", ".ogg")),
    ("slides", ("slide", "folien", "presentation", ".pptx", ".odp")),
    ("paper", ("paper", "doi.org", "arxiv", ".pdf")),
    ("transcript", ("transcript", "subtitles", ".srt", ".vtt")),
    ("photos", ("photo", "flickr", "gallery")),
)
