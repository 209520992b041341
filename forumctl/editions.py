"""Editions of a series: the next forum scaffolded from the last one.

``forumctl new forum --from ID`` copies what belongs to the series (:data:`SERIES_FIELDS`)
and the programme's skeleton (:data:`SKELETON_FIELDS` of every session, its days moved
with the forum), and nothing that belongs to the old edition alone: talks, chairs (unless
asked), summaries, outcomes, sources, identity (``uid``, ``ids``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from forumctl import records

if TYPE_CHECKING:
    from forumctl.archive import Archive

#: Forum fields the next edition takes from the previous one when not given.
SERIES_FIELDS = (
    "series",
    "kind",
    "city",
    "venue",
    "timezone",
    "organizers",
    "tags",
    "language",
    "tracks",
)
#: Session fields copied into the next edition (dates moved by the forum's shift).
SKELETON_FIELDS = ("title", "kind", "order", "date", "end_date", "start", "end", "room", "track")

#: The comment that says, in each copied session that needs talks, why it has none yet
#: (validate's suppression syntax, so the new forum validates without a warning a session).
PLANNED = "# forumctl: ignore[FC503]: planned; talks not known yet (from the previous edition)"


def inherited(previous: records.Forum, name: str, so_far: Mapping[str, Any]) -> Any:
    """The value field ``name`` of the next edition takes from ``previous`` when the user
    gives none (TOML data, as the record's file holds it), given the fields so far; None
    for a field that is not inherited or that ``previous`` does not have.

    ``edition`` is the previous one plus 1; ``end`` keeps the previous edition's length
    from the new ``start``."""
    if name == "edition":
        return None if previous.edition is None else previous.edition + 1
    if name == "end":
        start = so_far.get("start")
        return start + (previous.end - previous.start) if isinstance(start, dt.date) else None
    if name not in SERIES_FIELDS:
        return None
    return records.to_data(previous).get(name)


def skeleton(
    previous: records.Forum,
    sessions: Iterable[tuple[str, records.Session]],
    start: dt.date,
    *,
    with_chairs: bool = False,
) -> list[tuple[str, records.Session]]:
    """The sessions of the next edition starting on ``start``: each of ``sessions``
    (``(session file stem, session)``) with only :data:`SKELETON_FIELDS` (and its chairs
    with ``with_chairs``), its days moved by as many days as the forum moves."""
    shift = start - previous.start
    copied = SKELETON_FIELDS + (("chairs",) if with_chairs else ())
    result = []
    for stem, session in sessions:
        values = {name: getattr(session, name) for name in copied}
        for day in ("date", "end_date"):
            if values[day] is not None:
                values[day] += shift
        result.append((stem, records.Session(**values)))
    return result


def planned_text(text: str, session: records.Session) -> str:
    """A copied session's canonical file text with the :data:`PLANNED` comment at its
    top (below the ``#:schema`` line), unless its kind needs no talks."""
    if session.kind in records.KINDS_WITHOUT_TALKS:
        return text
    first, newline, rest = text.partition("\n")
    comment = PLANNED + "\n"
    if first.startswith("#:schema"):
        return first + newline + comment + rest
    return comment + text


def series_editions(archive: Archive, series: str) -> list[tuple[str, records.Forum]]:
    """The forums of ``series`` (case-insensitive), in order of their start dates."""
    from forumctl.query import Filters, list_forums

    return list_forums(archive, Filters(series=series))


def neighbours(archive: Archive, forum_id: str) -> tuple[str | None, str | None]:
    """The IDs of the previous and the next edition of the forum's series (None where
    there is none, or the forum has no series)."""
    series = archive.forum(forum_id).series
    if series is None:
        return None, None
    ids = [other_id for other_id, _ in series_editions(archive, series)]
    at = ids.index(forum_id)
    return (ids[at - 1] if at > 0 else None, ids[at + 1] if at + 1 < len(ids) else None)
