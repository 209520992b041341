"""The programme: two sessions in one room at once, one person in two sessions at once,
sessions without talks. Sessions are grouped by forum and day (and room), then swept in
order of start time, so the cost grows with the sessions of a day, not of the archive."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from forumctl.query import time_span
from forumctl.records import Problem, session_day
from forumctl.validate import rules
from forumctl.validate.findings import Issue
from forumctl.validate.index import ArchiveIndex
from forumctl.validate.references import speaker_references


@dataclass(frozen=True, slots=True)
class Slot:
    rel: str
    start: dt.time
    end: dt.time  # the start when the session gives no end
    session: Any


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
    return any(problem.path[:1] == ("talks",) for problem in problems)


def check_schedule(index: ArchiveIndex) -> Iterator[Issue]:
    by_room: dict[tuple[str, dt.date, str], list[Slot]] = defaultdict(list)
    by_day: dict[tuple[str, dt.date], list[Slot]] = defaultdict(list)
    for forum_id, _, loaded, session in index.valid_sessions():
        if not session.talks and not _has_broken_talks(loaded.problems):
            yield Issue(loaded.rel, (), rules.EMPTY_SESSION, "session has no talks")
        if session.start is None:
            continue
        day = session_day(session, index.forum_record(forum_id))
        if day is None:
            continue
        slot = Slot(loaded.rel, session.start, session.end or session.start, session)
        by_day[forum_id, day].append(slot)
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
    for (_, day), slots in by_day.items():
        yield from _double_bookings(day, slots)


def _double_bookings(day: dt.date, slots: list[Slot]) -> Iterator[Issue]:
    by_person: dict[str, list[Slot]] = defaultdict(list)
    for slot in slots:
        for person in {speaker_id for _, speaker_id in speaker_references(slot.session)}:
            by_person[person].append(slot)
    for person, person_slots in by_person.items():
        if len(person_slots) < 2:
            continue
        for pair in overlapping_pairs(person_slots):
            here, other = _later_first(*pair)
            path = next(p for p, s in speaker_references(here.session) if s == person)
            yield Issue(
                here.rel,
                path,
                rules.SPEAKER_DOUBLE_BOOKED,
                f"'{person}' is also in {other.rel} ({time_span(other.session)}) on {day},"
                f" while this session runs ({time_span(here.session)})",
                related=other.rel,
            )
