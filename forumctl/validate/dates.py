"""Dates and times: ends not before starts, session dates within their forum, and a date
for every timed session of a forum that lasts several days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from forumctl.display import clock, time_span
from forumctl.records import (
    EARLIEST_DATE,
    FIELDS,
    LATEST_DATE,
    KeyPath,
    plausible_date,
    session_day,
    session_span,
    talk_span,
)
from forumctl.validate import rules
from forumctl.validate.findings import Issue
from forumctl.validate.index import ArchiveIndex, record_as_read


def _has_dates(forum: Any) -> bool:
    """Whether a (readable) forum has both dates, in order: something to compare with."""
    return forum.start is not None and forum.end is not None and forum.start <= forum.end


def _dates(record: Any, keypath: KeyPath = ()) -> Iterator[tuple[KeyPath, dt.date]]:
    """Every date of a (readable) record, at any depth, with its key path."""
    for spec in FIELDS[type(record)]:
        value = getattr(record, spec.name)
        if spec.shape == "date" and isinstance(value, dt.date):
            yield (*keypath, spec.name), value
        elif spec.shape == "records":
            for i, item in enumerate(value or ()):
                yield from _dates(item, (*keypath, spec.name, i))


def check_dates(index: ArchiveIndex) -> Iterator[Issue]:
    for loaded in index.files():
        record = record_as_read(loaded)
        if record is None:
            continue
        for keypath, day in _dates(record):
            if not plausible_date(day):
                yield Issue(
                    loaded.rel,
                    keypath,
                    rules.IMPLAUSIBLE_DATE,
                    f"date {day} is implausible (forumctl takes dates from"
                    f" {EARLIEST_DATE} to {LATEST_DATE})",
                )
    for loaded in index.forums.values():
        forum = record_as_read(loaded)
        if forum is not None and None not in (forum.start, forum.end) and forum.end < forum.start:
            yield Issue(
                loaded.rel,
                ("end",),
                rules.END_BEFORE_START,
                f"forum ends ({forum.end}) before it starts ({forum.start})",
            )
    for loaded in index.speakers.values():
        speaker = record_as_read(loaded)
        if speaker is None:
            continue
        for i, affiliation in enumerate(speaker.affiliations):
            since, until = affiliation.since, affiliation.until
            if since is not None and until is not None and until < since:
                yield Issue(
                    loaded.rel,
                    ("affiliations", i, "until"),
                    rules.END_BEFORE_START,
                    f"affiliation {_affiliation_name(i, affiliation)} ends ({until})"
                    f" before it starts ({since})",
                )
    for forum_id, _, loaded, session in index.valid_sessions():
        yield from _session_times(
            loaded.rel, session, session_day(session, index.forum_record(forum_id))
        )
        forum_file = index.forums.get(forum_id)
        if forum_file is None:
            continue
        forum = record_as_read(forum_file)
        if forum is None or not _has_dates(forum):
            continue  # no forum dates to compare with
        if session.date is not None and not forum.start <= session.date <= forum.end:
            yield Issue(
                loaded.rel,
                ("date",),
                rules.SESSION_OUTSIDE_FORUM,
                f"session date {session.date} is outside its forum's dates"
                f" ({forum.start} to {forum.end}, {forum_file.rel})",
                related=forum_file.rel,
            )
        elif (
            session.start is not None
            and session_day(session, forum) is None
            and not any(problem.keypath == ("date",) for problem in loaded.problems)
        ):  # a date that is there but wrong has its own finding
            yield Issue(
                loaded.rel,
                ("start",),
                rules.SESSION_WITHOUT_DATE,
                f"timed session without a date; its forum lasts from {forum.start}"
                f" to {forum.end}: add date = ...",
            )


ANY_DAY = dt.date(2000, 1, 1)


def _session_times(rel: str, session: Any, day: dt.date | None) -> Iterator[Issue]:
    """FC202 for a session or talk that ends before it starts (a session with a later
    ``end_date`` may end at an earlier clock time), FC208 for a talk timed outside its
    session."""
    if (
        session.date is not None
        and session.end_date is not None
        and session.end_date < session.date
    ):
        yield Issue(
            rel,
            ("end_date",),
            rules.END_BEFORE_START,
            f"session ends on {session.end_date}, before its date {session.date}",
        )
        return
    # its day; when unknown, any day serves a session that ends on the day it starts
    on = day or (ANY_DAY if session.end_date is None else None)
    if on is None:
        return
    start, end = (None, None) if session.start is None else session_span(session, on)
    if start is not None and end is not None and end <= start:
        yield Issue(
            rel,
            ("end",),
            rules.END_BEFORE_START,
            f"session ends ({clock(session.end)}) before or when it starts"
            f" ({clock(session.start)})",
        )
        return
    for t, talk in enumerate(session.talks):
        talk_start, talk_end = talk_span(session, talk, on)
        if talk_start is not None and talk_end is not None and talk_end <= talk_start:
            yield Issue(
                rel,
                ("talks", t, "end"),
                rules.END_BEFORE_START,
                f"talk {t + 1} ends ({clock(talk.end)}) before or when it starts"
                f" ({clock(talk.start)})",
            )
        elif start is not None:
            for field, moment in (("start", talk_start), ("end", talk_end)):
                if moment is not None and (moment < start or (end is not None and moment > end)):
                    yield Issue(
                        rel,
                        ("talks", t, field),
                        rules.TALK_OUTSIDE_SESSION,
                        f"talk {t + 1} {field}s at {getattr(talk, field)}, outside its session"
                        f" ({time_span(session)})",
                    )
                    break


def _affiliation_name(i: int, affiliation: Any) -> str:
    """'with <organization>', or its position when the organization is missing."""
    if affiliation.organization is None:
        return f"{i + 1} (no organization)"
    return f"with {affiliation.organization}"
