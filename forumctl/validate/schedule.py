"""The programme: two sessions in one room at once, one person in two places at once,
sessions without talks, and times that do not exist (or happen twice) in the forum's
timezone.

Rooms are per venue, so room clashes are swept per forum, day and room. A person can
be in two forums at once, so double bookings are swept per person across the archive,
comparing instants (each forum's timezone, else the manifest's): the cost grows with a
person's sessions, not with the archive's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from forumctl.display import clock, time_span
from forumctl.records import (
    KINDS_WITHOUT_TALKS,
    Problem,
    as_scheduled,
    session_day,
    timezone_named,
)
from forumctl.references import references
from forumctl.validate import rules
from forumctl.validate.findings import Issue
from forumctl.validate.index import ArchiveIndex


@dataclass(frozen=True, slots=True)
class Slot:
    rel: str
    forum_id: str
    day: dt.date
    zone: str | None  # the forum's known timezone; None: its times are only local
    start: dt.datetime  # in UTC when the zone is known, else local (naive)
    end: dt.datetime  # the start when the session gives no end
    session: Any

    def when(self) -> str:
        """Day, times and timezone, for a message naming a session of another forum."""
        return " ".join(filter(None, (self.day.isoformat(), time_span(self.session), self.zone)))


def overlapping_pairs(slots: list[Slot]) -> Iterator[tuple[Slot, Slot]]:
    """Pairs of slots that overlap (sessions with only a start overlap at that start)."""
    active: list[Slot] = []
    for slot in sorted(slots, key=lambda s: (s.start, s.rel)):
        active = [a for a in active if a.end > slot.start or a.start == slot.start]
        for earlier in active:
            yield earlier, slot
        active.append(slot)


def _later_first(a: Slot, b: Slot) -> tuple[Slot, Slot]:
    """The pair as (where to report, the other): the later file in path order."""
    return (b, a) if a.rel < b.rel else (a, b)


def _has_broken_talks(problems: list[Problem]) -> bool:
    """Whether the loader dropped the talks for their problems (reported already)."""
    return any(problem.keypath[:1] == ("talks",) for problem in problems)


def _zone_name(index: ArchiveIndex, forum: Any) -> str | None:
    """The forum's timezone, else the manifest's, if it is a known one (FC205 otherwise)."""
    manifest = index.manifest.record
    name = forum.timezone or (manifest.timezone if manifest is not None else None)
    return name if name is not None and timezone_named(name) is not None else None


def _moment(day: dt.date, time: dt.time, zone: str | None) -> dt.datetime:
    """The instant (in UTC) of a local time, or the local time itself without a zone."""
    if zone is None:
        return dt.datetime.combine(day, time)
    return dt.datetime.combine(day, time, timezone_named(zone)).astimezone(dt.UTC)


def _times_in_zone(rel: str, session: Any, day: dt.date, zone: str) -> Iterator[Issue]:
    """FC206 for a start or end the clocks skip that day (a time zone's spring gap),
    FC207 for one they pass twice (its autumn fold)."""
    zone_info = timezone_named(zone)
    for field, time in (("start", session.start), ("end", session.end)):
        if time is None:
            continue
        local = dt.datetime.combine(day, time, zone_info)
        if local.astimezone(dt.UTC).astimezone(zone_info).time() != time:
            yield Issue(
                rel,
                (field,),
                rules.NONEXISTENT_LOCAL_TIME,
                f"{field} {clock(time)} does not exist on {day} in {zone}: the clocks skip it",
            )
        elif local.utcoffset() != local.replace(fold=1).utcoffset():
            yield Issue(
                rel,
                (field,),
                rules.AMBIGUOUS_LOCAL_TIME,
                f"{field} {clock(time)} happens twice on {day} in {zone}: the clocks pass it twice",
            )


def check_schedule(index: ArchiveIndex) -> Iterator[Issue]:
    by_room: dict[tuple[str, dt.date, str], list[Slot]] = defaultdict(list)
    all_slots: list[Slot] = []
    for forum_id, _, loaded, session in index.valid_sessions():
        if (
            not session.talks
            and session.kind not in KINDS_WITHOUT_TALKS
            and not _has_broken_talks(loaded.problems)
        ):
            yield Issue(loaded.rel, (), rules.EMPTY_SESSION, "session has no talks")
        if session.start is None or not as_scheduled(session):
            continue
        forum = index.forum_record(forum_id)
        day = session_day(session, forum)
        if day is None:
            continue
        zone = _zone_name(index, forum) if forum is not None else None
        if zone is not None:
            yield from _times_in_zone(loaded.rel, session, day, zone)
        start = _moment(day, session.start, zone)
        end = _moment(session.end_date or day, session.end or session.start, zone)
        slot = Slot(loaded.rel, forum_id, day, zone, start, end, session)
        all_slots.append(slot)
        if session.room is not None:
            by_room[forum_id, day, session.room].append(slot)
    for (_, day, room), slots in by_room.items():
        for pair in overlapping_pairs(slots):
            here, other = _later_first(*pair)
            yield Issue(
                here.rel,
                ("room",),
                rules.ROOM_OVERLAP,
                f"room {room!r} on {day} is also used by {other.rel} ({time_span(other.session)})"
                f" while this session runs ({time_span(here.session)})",
                related=other.rel,
            )
    yield from _double_bookings(all_slots)


_PARTS = ("chairs", "speakers")  # authors who did not speak are not there


def taking_part(session: Any) -> list[str]:
    """The people a (readable) session needs in the room: its chairs and the speakers of
    its talks that take place (not cancelled, postponed or withdrawn)."""
    people = list(session.chairs)
    for talk in session.talks:
        if as_scheduled(talk):
            people += talk.speakers or ()
    return list(dict.fromkeys(people))


def _double_bookings(slots: list[Slot]) -> Iterator[Issue]:
    """Each person's sessions swept in order of time; instants of forums with a known
    timezone are compared across the archive, local times only within their forum."""
    by_person: dict[tuple[str, str | None], list[Slot]] = defaultdict(list)
    for slot in slots:
        comparable_with = None if slot.zone is not None else slot.forum_id
        for person in taking_part(slot.session):
            by_person[person, comparable_with].append(slot)
    for (person, _), person_slots in by_person.items():
        if len(person_slots) < 2:
            continue
        for pair in overlapping_pairs(person_slots):
            here, other = _later_first(*pair)
            path = next(
                r.keypath
                for r in references(here.session, "speaker")
                if r.id == person and r.field in _PARTS
            )
            if here.forum_id == other.forum_id:
                where = (
                    f"{other.rel} ({time_span(other.session)}) on {here.day},"
                    f" while this session runs ({time_span(here.session)})"
                )
            else:
                where = f"{other.rel} ({other.when()}) while this session runs ({here.when()})"
            yield Issue(
                here.rel,
                path,
                rules.SPEAKER_DOUBLE_BOOKED,
                f"'{person}' is also in {where}",
                related=other.rel,
            )
