"""The whole archive, resolved, as one JSON document (``{"version": 1, ...}``).

Records keep their canonical key order (:func:`forumctl.records.to_data`); where a
session refers to a speaker (chairs, talk speakers) the reference becomes an object with
the ID, the name and the affiliation held at the time. Dates and times are ISO 8601.
"""

from __future__ import annotations

from typing import Any

from forumctl import jsondoc
from forumctl.export.model import Person, ResolvedArchive, ResolvedForum, ResolvedSession
from forumctl.records import to_data


def _person(person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {"id": person.id, "name": person.name}
    if person.speaker.name_original:
        data["name_original"] = person.speaker.name_original
    data["affiliation"] = person.affiliation
    return data


def _session(session: ResolvedSession) -> dict[str, Any]:
    # the talks are the record's last key: written once, here, with their speakers resolved
    data: dict[str, Any] = {"id": session.id, **to_data(session.session, leave_out="talks")}
    if session.talks:
        data["talks"] = [
            {**to_data(t.talk), "speakers": [_person(p) for p in t.speakers]} for t in session.talks
        ]
    if session.day is not None:  # where the record has it, else (a one-day forum's) last
        data["date"] = session.day.isoformat()
    if session.chairs:
        data["chairs"] = [_person(p) for p in session.chairs]
    return data


def forum_data(forum: ResolvedForum) -> dict[str, Any]:
    data: dict[str, Any] = {"id": forum.id, **to_data(forum.forum)}
    if forum.timezone is not None:
        data["timezone"] = forum.timezone
    data["sessions"] = [_session(s) for s in forum.sessions]
    return data


def document(resolved: ResolvedArchive) -> dict[str, Any]:
    """The document's data; dates and times stay objects: the JSON writer (orjson)
    writes them as ISO 8601, as ``isoformat()`` would, without a second pass over it."""
    return {
        "version": jsondoc.VERSION,
        "archive": to_data(resolved.manifest),
        "forums": [forum_data(f) for f in resolved.forums],
        "speakers": [{"id": entry.id, **to_data(entry.speaker)} for entry in resolved.speakers],
    }


def render(resolved: ResolvedArchive) -> tuple[str, list[str]]:
    """The JSON document, and no warnings (every record has its place)."""
    from forumctl.jsondoc import dumps

    return dumps(document(resolved)), []
