"""schema.org JSON-LD for the site's forum and speaker pages: plain data.

A forum page describes its forum as an ``Event`` whose ``subEvent`` are its sessions,
whose ``subEvent`` are their talks, each talk's speakers its ``performer`` (``Person``)
and a session's chairs its ``contributor``; a speaker page describes the speaker as a
``Person`` with the sessions and talks they appeared in as ``performerIn``, each with
its forum as ``superEvent``. Every node is named by the record's identity
(``urn:uuid:`` of :func:`forumctl.identity.uid_of`, the same as frab GUIDs), so the
graphs of all pages of a site join into one, whatever the site's URLs are.

Dates are ISO 8601: a forum's days as dates; a timed session or talk with its offset
in the forum's time zone (``2020-12-12T09:00:00+08:00``), floating when the archive names
none. A cancelled, postponed or withdrawn session or talk has ``eventStatus``
(``EventCancelled``, ``EventPostponed``; withdrawn is cancelled). Only terms of
schema.org's core vocabulary are used (tests/test_export_jsonld.py checks every type,
property and value against a stored copy of it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from forumctl.export.model import (
    Person,
    ResolvedArchive,
    ResolvedForum,
    ResolvedSession,
    ResolvedTalk,
    SpeakerEntry,
)
from forumctl.identity import talk_id, uid_of
from forumctl.query import affiliations_held
from forumctl.records import Forum, Session, Speaker, Talk

CONTEXT = "https://schema.org"
SCHEMA = "https://schema.org/"

# format 2's `status` -> schema.org's EventStatusType (it has no "withdrawn")
EVENT_STATUS = {
    "cancelled": SCHEMA + "EventCancelled",
    "postponed": SCHEMA + "EventPostponed",
    "withdrawn": SCHEMA + "EventCancelled",
}

Node = dict[str, Any]


def _values(**values: Any) -> Node:
    """The values that are set (None, "" and empty lists left out)."""
    return {key: value for key, value in values.items() if value not in (None, [], "")}


def _node(kind: str, **values: Any) -> Node:
    """A node of type ``kind`` with the values that are set."""
    return {"@type": kind, **_values(**values)}


def _uid(kind: str, record_id: str, record: Any) -> str:
    return f"urn:uuid:{uid_of(kind, record_id, record)}"


def _text(value: str | None) -> str | None:
    return value.strip() if value else None


def _doi(record: Forum | Session | Talk) -> str | None:
    return f"https://doi.org/{record.doi}" if record.doi else None


def _orcid(value: str) -> str:
    return value if value.startswith("https://") else f"https://orcid.org/{value}"


def _same_as(speaker: Speaker) -> list[str]:
    """The speaker's links: their ORCID iD as its URL, the others as they are."""
    return [_orcid(url) if name == "orcid" else url for name, url in sorted(speaker.links.items())]


def _organizations(names: Iterable[str]) -> list[Node]:
    seen = dict.fromkeys(names)  # in order, each once
    return [_node("Organization", name=name) for name in seen]


def _person(person_id: str, speaker: Speaker, organizations: Iterable[str] = ()) -> Node:
    return _node(
        "Person",
        **{"@id": _uid("speaker", person_id, speaker)},
        name=speaker.name,
        alternateName=speaker.name_original,
        affiliation=_organizations(organizations),
        sameAs=_same_as(speaker),
    )


def _person_at(person: Person, forum: Forum, talk: Talk | None) -> Node:
    """A chair or speaker with the affiliations held at the time."""
    held = affiliations_held(person.id, person.speaker, forum, talk)
    return _person(person.id, person.speaker, (a.organization for a in held))


def _place(forum: Forum) -> Node | None:
    if not (forum.venue or forum.city):
        return None
    address = _node("PostalAddress", addressLocality=forum.city) if forum.city else None
    return _node("Place", name=forum.venue or forum.city, address=address)


def _dates(start: dt.date | dt.datetime | None, end: dt.date | dt.datetime | None) -> Node:
    return {
        key: value.isoformat()
        for key, value in (("startDate", start), ("endDate", end))
        if value is not None
    }


def _session_dates(forum: ResolvedForum, session: ResolvedSession) -> Node:
    """A timed session's start and end in the forum's zone, else its day."""
    if session.timed:
        return _dates(*session.period(forum.zone()))
    return _dates(session.day, session.day)


def _talk_dates(forum: ResolvedForum, session: ResolvedSession, position: int) -> Node:
    """A talk's own times when every talk of its session has one, else its session's."""
    if session.timed and session.talks_timed:
        _, start, end = session.talk_periods(forum.zone())[position - 1]
        return _dates(start, end)
    return _session_dates(forum, session)


def _talk_name(talk: ResolvedTalk) -> str:
    return talk.talk.title or ", ".join(person.name for person in talk.speakers)


def _forum_event(forum: ResolvedForum, language: str | None) -> Node:
    """The forum without its programme: what a speaker page names as superEvent."""
    record = forum.forum
    return _node(
        "Event",
        **{"@id": _uid("forum", forum.id, record)},
        name=record.title,
        **_dates(record.start, record.end),
        location=_place(record),
        inLanguage=record.language or language,
    )


def _session_event(forum: ResolvedForum, session: ResolvedSession) -> Node:
    """The session without its talks and chairs."""
    record = session.session
    room = _node("Place", name=record.room, containedInPlace=_place(forum.forum))
    return _node(
        "Event",
        **{"@id": _uid("session", session.id, record)},
        name=record.title,
        **_session_dates(forum, session),
        location=room if record.room else None,
        eventStatus=EVENT_STATUS.get(record.status or ""),
    )


def _talk_event(
    forum: ResolvedForum, session: ResolvedSession, talk: ResolvedTalk, position: int
) -> Node:
    """The talk without its speakers."""
    record = talk.talk
    return _node(
        "Event",
        **{"@id": _uid("talk", talk_id(session.id, position), record)},
        name=_talk_name(talk),
        **_talk_dates(forum, session, position),
        eventStatus=EVENT_STATUS.get(record.status or ""),
    )


def _described(record: Forum | Session | Talk) -> Node:
    """What a record's own page says of it: text, language, its page and DOI."""
    abstract = getattr(record, "abstract", None)
    return _values(
        description=_text(abstract or record.summary),
        inLanguage=record.language,
        url=record.url,
        sameAs=_doi(record),
    )


def forum_jsonld(resolved: ResolvedArchive, forum: ResolvedForum) -> Node:
    """The forum page's JSON-LD: the forum, its sessions and talks, their people."""
    record = forum.forum
    sessions = []
    for session in forum.sessions:
        talks = [
            {
                **_talk_event(forum, session, talk, position),
                **_values(performer=[_person_at(p, record, talk.talk) for p in talk.speakers]),
                **_described(talk.talk),
            }
            for position, talk in enumerate(session.talks, start=1)
        ]
        sessions.append(
            {
                **_session_event(forum, session),
                **_values(contributor=[_person_at(p, record, None) for p in session.chairs]),
                **_described(session.session),
                **_values(subEvent=talks),
            }
        )
    return {
        "@context": CONTEXT,
        **_forum_event(forum, resolved.manifest.language),
        **_values(organizer=_organizations(record.organizers), keywords=list(record.tags)),
        **_described(record),
        **_values(subEvent=sessions),
    }


def speaker_jsonld(resolved: ResolvedArchive, entry: SpeakerEntry) -> Node:
    """The speaker page's JSON-LD: the person, with every session they chaired and talk
    they gave (each in its forum) as ``performerIn``, in programme order."""
    speaker = entry.speaker
    language = resolved.manifest.language
    events = []
    for appearance in entry.appearances:
        forum, session = appearance.forum, appearance.session
        if appearance.talk is None:
            event = _session_event(forum, session)
        else:
            position = next(
                n for n, talk in enumerate(session.talks, start=1) if talk is appearance.talk
            )
            event = _talk_event(forum, session, appearance.talk, position)
            event["superEvent"] = _session_event(forum, session)
        parent = event.get("superEvent", event)
        parent["superEvent"] = _forum_event(forum, language)
        events.append(event)
    person = _person(entry.id, speaker, (a.organization for a in speaker.affiliations))
    if speaker.bio:
        person["description"] = speaker.bio.strip()
    if events:
        person["performerIn"] = events
    return {"@context": CONTEXT, **person}


def script(data: Node) -> str:
    """``data`` as a ``<script type="application/ld+json">`` element on one line.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``: they can
    only occur inside JSON strings, where the escapes mean the same, and without them no
    record text can end the element (``</script>``) or open an HTML comment.
    """
    import orjson

    text = orjson.dumps(data).decode()
    for character, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(character, escape)
    return f'<script type="application/ld+json">{text}</script>'
