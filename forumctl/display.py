"""How values read to a person: clock times, time spans, date ranges, affiliations and
"Name (affiliation)". One wording for the terminal (render/), the exports (export/) and
validate's messages; :mod:`forumctl.query` answers with records, these words come after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from forumctl.records import Affiliation, Forum, Session, Talk, session_day

EN_DASH = "\u2013"  # between the ends of a range of dates or times


def clock(time: dt.time) -> str:
    """09:30, or 09:30:15 when the seconds are set."""
    return time.strftime("%H:%M") if time.second == 0 else time.isoformat()


def with_status(record: Session | Talk) -> str:
    """A session's or talk's title, "(cancelled)" after it when it has a status."""
    title = record.title or ""
    return f"{title} ({record.status})" if record.status else title


def time_span(session: Session | Talk) -> str:
    """A session's or talk's times, "09:00-10:30" (en dash), as far as they are known."""
    if session.start is None:
        return ""
    return clock(session.start) + (EN_DASH + clock(session.end) if session.end else "")


def date_range(start: dt.date, end: dt.date) -> str:
    """A forum's days: "2020-12-12", or the two ends joined by an en dash."""
    return start.isoformat() if start == end else f"{start.isoformat()} {EN_DASH} {end.isoformat()}"


def session_when(session: Session, forum: Forum, *, with_day: bool = True) -> str:
    """Day and times of a session as far as they are known, e.g. "2020-12-12 09:00-10:30"
    (with an en dash).

    Without ``with_day`` the day is left out for a one-day forum (a page about that
    forum names its day once).
    """
    day = session_day(session, forum) if with_day or forum.start != forum.end else None
    return " ".join(part for part in (day.isoformat() if day else "", time_span(session)) if part)


def affiliation_text(affiliation: Affiliation) -> str:
    """'role, organization' (or the organization alone), as a line of a programme."""
    if affiliation.role:
        return f"{affiliation.role}, {affiliation.organization}"
    return affiliation.organization


def affiliations_text(affiliations: Iterable[Affiliation]) -> str | None:
    """Several affiliations as one line, joined with "; "; None when there are none."""
    return "; ".join(affiliation_text(a) for a in affiliations) or None


def name_with_affiliation(name: str, affiliation: str | None) -> str:
    """'Name (affiliation)', or the name alone: a person where a programme lists them."""
    return f"{name} ({affiliation})" if affiliation else name
