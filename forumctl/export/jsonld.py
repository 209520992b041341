"""schema.org JSON-LD for the site's forum and speaker pages: plain data.

A forum page describes its forum as an ``Event`` whose ``subEvent`` are its sessions,
whose ``subEvent`` are their talks, each talk's speakers its ``performer`` (``Person``)
and a session's chairs its ``contributor``; a speaker page describes the speaker as a
``Person`` with the sessions they chaired and the talks they gave as ``performerIn``,
each in its session and forum (``superEvent``). Every node is named by the record's identity
(``urn:uuid:`` of :func:`forumctl.identity.uid_of`, the same as frab GUIDs; a forum's venue
and rooms by uuid5 of the forum's), so the graphs of all pages of a site join into one,
whatever the site's URLs are.

A page states each node once, in full where it first names it, and refers to it by a
node reference (``{"@id": ...}``) after: a speaker page does not repeat a forum, session or
place at each appearance, nor a forum page a person at each talk. The page's main node
(the forum, the person) is the top object and has its place and address inline. The RDF
graph is the one of the nested form written before (docs/export.md says why this form).

Dates are ISO 8601: a forum's days as dates; a timed session or talk with its offset
in the forum's time zone (``2020-12-12T09:00:00+08:00``), floating when the archive names
none. A cancelled, postponed or withdrawn session or talk has ``eventStatus``
(``EventCancelled``, ``EventPostponed``; withdrawn is cancelled). Only terms of
schema.org's core vocabulary are used (tests/test_export_jsonld.py checks every type,
property and value against a stored copy of it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, NamedTuple

from forumctl.export.mdtext import is_web_url
from forumctl.export.model import (
    Person,
    ResolvedAppearance,
    ResolvedArchive,
    ResolvedForum,
    ResolvedSession,
    ResolvedTalk,
    SpeakerEntry,
)
from forumctl.identity import talk_id, uid_text
from forumctl.query import affiliations_held
from forumctl.records import Forum, Session, Speaker, Talk
from forumctl.standards import doi_url

CONTEXT = "https://schema.org"
SCHEMA = "https://schema.org/"

# format 2's `status` -> schema.org's EventStatusType (it has no "withdrawn")
EVENT_STATUS = {
    "cancelled": SCHEMA + "EventCancelled",
    "postponed": SCHEMA + "EventPostponed",
    "withdrawn": SCHEMA + "EventCancelled",
}

Node = dict[str, Any]

# what no record text may put into the script element, as JSON writes it in a string
_SCRIPT_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


_UNSET: tuple[object, ...] = (None, [], "")  # what a node leaves out


def _values(**values: Any) -> Node:
    """The values that are set (None, "" and empty lists left out)."""
    return {key: value for key, value in values.items() if value not in _UNSET}


def _node(kind: str, **values: Any) -> Node:
    """A node of type ``kind`` with the values that are set."""
    return {"@type": kind, **_values(**values)}


def _text(value: str | None) -> str | None:
    return value.strip() if value else None


def _doi(record: Forum | Session | Talk) -> str | None:
    return doi_url(record.doi) if record.doi else None


def _web(url: str | None) -> str | None:
    """The URL when it is http(s): a ``javascript:`` or ``data:`` URL a record holds
    (validate reports it, FC604) is no address of anything for a crawler to follow."""
    return url if is_web_url(url) else None


def _orcid(value: str) -> str:
    return value if value.startswith("https://") else f"https://orcid.org/{value}"


def _same_as(speaker: Speaker) -> list[str]:
    """The speaker's links: their ORCID iD as its URL, the other http(s) ones as they are."""
    return [
        _orcid(url) if name == "orcid" else url
        for name, url in sorted(speaker.links.items())
        if name == "orcid" or is_web_url(url)
    ]


def _organizations(names: Iterable[str]) -> list[Node]:
    seen = dict.fromkeys(names)  # in order, each once
    return [_node("Organization", name=name) for name in seen]


def _place(forum: Forum, place_id: str) -> Node | None:
    if not (forum.venue or forum.city):
        return None
    address = _node("PostalAddress", addressLocality=forum.city) if forum.city else None
    return _node("Place", **{"@id": place_id}, name=forum.venue or forum.city, address=address)


def _derived_uid(uid: str, name: str) -> str:
    """The ``urn:uuid:`` of a thing the archive names only within a record (a forum's
    venue, a room by its name): uuid5 of the record's identity and ``name``, stable as
    long as the record's identity is."""
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(uid), name)}"


def _dates(start: dt.date | dt.datetime | None, end: dt.date | dt.datetime | None) -> Node:
    return {
        key: value.isoformat()
        for key, value in (("startDate", start), ("endDate", end))
        if value is not None
    }


def _described(record: Forum | Session | Talk) -> Node:
    """What a record's own page says of it: text, language, its page and DOI."""
    abstract = getattr(record, "abstract", None)
    return _values(
        description=_text(abstract or record.summary),
        inLanguage=record.language,
        url=_web(record.url),
        sameAs=_doi(record),
    )


class _Page:
    """The nodes one page's JSON-LD has stated so far: each node with an ``@id`` is written
    in full where the page first names it and as a node reference (``{"@id": ...}``, no
    ``@type``) wherever it recurs, so the page's graph is the same with every node once."""

    __slots__ = ("_stated",)

    def __init__(self, *stated: str) -> None:
        self._stated = set(stated)

    def first(self, node_id: str) -> bool:
        """Whether the page names ``node_id`` here for the first time (it is stated now)."""
        if node_id in self._stated:
            return False
        self._stated.add(node_id)
        return True

    def stated(self, node: Node) -> Node:
        """``node`` where the page first names it, else a reference to it."""
        node_id = node["@id"]
        if node_id in self._stated:
            return {"@id": node_id}
        self._stated.add(node_id)
        return node


class _SessionParts(NamedTuple):
    """A session's nodes: what a page states of it and of the places and forum it is in."""

    event: Node  # its @id, name, times and status
    room: Node | None  # its room, without the venue
    venue: Node | None
    forum: Node  # the forum's @id, name and days
    references: tuple[Node, Node | None, Node | None, Node]  # to each of the four
    # the session as pages state it, by which of room, venue and forum a page states in
    # full there and whether it names the forum (:meth:`JsonLd._session`): made once each
    stated: list[Node | None]


class JsonLd:
    """The JSON-LD of the pages of one resolved archive.

    A site has a page per forum and per speaker, and a speaker's page names the sessions
    and forums their forums' pages describe: identities, times and nodes are made once
    here and shared (never changed once made). Which node a page states in full and
    which it refers to is decided per page (:class:`_Page`), so a page's JSON-LD does
    not depend on the pages made before it. For one page alone, :func:`forum_jsonld`
    and :func:`speaker_jsonld` do the same. :meth:`prepare` makes the nodes of many
    pages at once, before the processes that render them are forked.
    """

    def __init__(self, resolved: ResolvedArchive) -> None:
        self._language = resolved.manifest.language
        self._uids: dict[tuple[str, str], str] = {}
        self._persons: dict[tuple[str, tuple[str, ...]], Node] = {}
        # by id() of a resolved forum, session, talk or person (all live as long as self)
        self._events: dict[int, Node] = {}
        self._held: dict[int, tuple[str, ...]] = {}  # a Person's organizations
        self._talk_dates: dict[int, list[Node]] = {}  # by id() of a resolved session
        self._venues: dict[int, Node | None] = {}  # by id() of a resolved forum
        self._rooms: dict[tuple[int, str], Node] = {}  # (id() of the forum, room name)
        self._sessions: dict[int, _SessionParts] = {}  # by id() of a resolved session
        self._forum_people: dict[int, dict[str, Node]] = {}  # by id() of a resolved forum

    def prepare(self, forums: Iterable[ResolvedForum], speakers: Iterable[SpeakerEntry]) -> None:
        """Make the nodes that the pages of ``forums`` and ``speakers`` state, here: made
        once in the process that forks the ones rendering the pages, they are shared by
        all of them (each made most of them again for its own pages)."""
        for forum in forums:
            self._venue(forum)
            self._people(forum)
            for session in forum.sessions:
                self._session_parts(forum, session)
                self._talk_events(forum, session)
        for entry in speakers:
            speaker = entry.speaker
            self._person(entry.id, speaker, tuple(a.organization for a in speaker.affiliations))
            for appearance in entry.appearances:
                self._session_parts(appearance.forum, appearance.session)
                self._talk_events(appearance.forum, appearance.session)

    def _uid(self, kind: str, record_id: str, record: Any) -> str:
        key = (kind, record_id)
        found = self._uids.get(key)
        if found is None:
            found = self._uids[key] = f"urn:uuid:{uid_text(kind, record_id, record)}"
        return found

    def _person(self, person_id: str, speaker: Speaker, organizations: tuple[str, ...]) -> Node:
        key = (person_id, organizations)
        found = self._persons.get(key)
        if found is None:
            found = self._persons[key] = _node(
                "Person",
                **{"@id": self._uid("speaker", person_id, speaker)},
                name=speaker.name,
                alternateName=speaker.name_original,
                affiliation=_organizations(organizations),
                sameAs=_same_as(speaker),
            )
        return found

    def _organizations_held(
        self, person: Person, forum: Forum, talk: Talk | None
    ) -> tuple[str, ...]:
        """The organizations of the affiliations a chair or speaker held at the time (the
        model makes one Person per speaker and affiliation in a forum: looked up once)."""
        found = self._held.get(id(person))
        if found is None:
            held = affiliations_held(person.id, person.speaker, forum, talk)
            found = self._held[id(person)] = tuple(a.organization for a in held)
        return found

    def _people(self, forum: ResolvedForum) -> dict[str, Node]:
        """The forum's chairs and speakers by ID, each with every affiliation held at any
        of their sessions and talks: a person is one node (one @id), so the graph of a page
        that nested a copy of them at each talk had these on the one node."""
        found = self._forum_people.get(id(forum))
        if found is None:
            found = self._forum_people[id(forum)] = self._people_of(forum)
        return found

    def _people_of(self, forum: ResolvedForum) -> dict[str, Node]:
        record = forum.forum
        held: dict[str, tuple[Speaker, tuple[str, ...]]] = {}
        for session in forum.sessions:
            roles = [
                (None, session.chairs),
                *((talk.talk, talk.speakers) for talk in session.talks),
            ]
            for talk, persons in roles:
                for person in persons:
                    organizations = self._organizations_held(person, record, talk)
                    before = held.get(person.id)
                    if before is None:
                        held[person.id] = (person.speaker, organizations)
                    elif organizations != before[1]:  # in order, each once
                        union = tuple(dict.fromkeys(before[1] + organizations))
                        held[person.id] = (person.speaker, union)
        return {
            person_id: self._person(person_id, speaker, organizations)
            for person_id, (speaker, organizations) in held.items()
        }

    def _session_dates(self, forum: ResolvedForum, session: ResolvedSession) -> Node:
        """A timed session's start and end in the forum's zone, else its day."""
        if session.timed:
            return _dates(*session.period(forum.zone()))
        return _dates(session.day, session.day)

    def _talk_dates_of(self, forum: ResolvedForum, session: ResolvedSession) -> list[Node]:
        """Each talk's own times when every talk of the session has one, else the
        session's, by the talk's position."""
        found = self._talk_dates.get(id(session))
        if found is None:
            if session.timed and session.talks_timed:
                periods = session.talk_periods(forum.zone())
                found = [_dates(start, end) for _, start, end in periods]
            else:
                found = [self._session_dates(forum, session)] * len(session.talks)
            self._talk_dates[id(session)] = found
        return found

    def _venue(self, forum: ResolvedForum) -> Node | None:
        """The forum's venue (or city) as a Place named by an IRI made from the forum's
        identity: the forum's location and its rooms' ``containedInPlace`` are one node."""
        if id(forum) not in self._venues:
            record = forum.forum
            forum_uid = self._uid("forum", forum.id, record)
            self._venues[id(forum)] = _place(record, _derived_uid(forum_uid, "venue"))
        return self._venues[id(forum)]

    def _room(self, forum: ResolvedForum, room: str) -> Node:
        """A room of the forum, a Place in its venue: one node per room name in a forum
        (as the programme's columns are)."""
        key = (id(forum), room)
        found = self._rooms.get(key)
        if found is None:
            forum_uid = self._uid("forum", forum.id, forum.forum)
            room_id = _derived_uid(forum_uid, f"room:{room}")
            found = self._rooms[key] = {"@type": "Place", "@id": room_id, "name": room}
        return found

    def _forum_event(self, forum: ResolvedForum) -> Node:
        """The forum without its programme: its @id, name and days (what a speaker page
        names as superEvent; the forum's page has the rest)."""
        found = self._events.get(id(forum))
        if found is None:
            record = forum.forum
            found = self._events[id(forum)] = _node(
                "Event",
                **{"@id": self._uid("forum", forum.id, record)},
                name=record.title,
                **_dates(record.start, record.end),
            )
        return found

    def _session_parts(self, forum: ResolvedForum, session: ResolvedSession) -> _SessionParts:
        found = self._sessions.get(id(session))
        if found is None:
            record = session.session
            event = _node(
                "Event",
                **{"@id": self._uid("session", session.id, record)},
                name=record.title,
                **self._session_dates(forum, session),
                eventStatus=EVENT_STATUS.get(record.status or ""),
            )
            room = self._room(forum, record.room) if record.room else None
            venue, above = self._venue(forum), self._forum_event(forum)
            references = (
                {"@id": event["@id"]},
                room and {"@id": room["@id"]},
                venue and {"@id": venue["@id"]},
                {"@id": above["@id"]},
            )
            found = self._sessions[id(session)] = _SessionParts(
                event, room, venue, above, references, [None] * 16
            )
        return found

    def _session(
        self, page: _Page, forum: ResolvedForum, session: ResolvedSession, *, in_forum: bool
    ) -> Node:
        """The session with its status and room (and, ``in_forum``, its forum as
        ``superEvent``) as ``page`` states it; without its talks and chairs."""
        event, room, venue, above, references, stated = self._session_parts(forum, session)
        if not page.first(event["@id"]):
            return references[0]
        # in the order the keys are written: the room, its venue, the forum
        room_first = room is not None and page.first(room["@id"])
        venue_first = room_first and venue is not None and page.first(venue["@id"])
        forum_first = in_forum and page.first(above["@id"])
        variant = room_first | venue_first << 1 | forum_first << 2 | in_forum << 3
        found = stated[variant]
        if found is None:
            found = stated[variant] = {**event}
            if room is not None:
                inside = venue if venue_first else references[2]
                here = {**room, **_values(containedInPlace=inside)}
                found["location"] = here if room_first else references[1]
            if in_forum:
                found["superEvent"] = above if forum_first else references[3]
        return found

    def _talk_event(
        self, forum: ResolvedForum, session: ResolvedSession, talk: ResolvedTalk
    ) -> Node:
        """The talk of the session, without its speakers."""
        found = self._events.get(id(talk))
        if found is None:
            self._talk_events(forum, session)
            found = self._events[id(talk)]
        return found

    def _talk_events(self, forum: ResolvedForum, session: ResolvedSession) -> None:
        """Each talk of the session, without its speakers, made once (by id() of the talk
        in ``_events``): all of the session's at once, each knowing its position."""
        if not session.talks or id(session.talks[0]) in self._events:
            return
        dates = self._talk_dates_of(forum, session)
        for position, talk in enumerate(session.talks, start=1):
            record = talk.talk
            self._events[id(talk)] = _node(
                "Event",
                **{"@id": self._uid("talk", talk_id(session.id, position), record)},
                name=record.title or ", ".join(person.name for person in talk.speakers),
                **dates[position - 1],
                eventStatus=EVENT_STATUS.get(record.status or ""),
            )

    def forum(self, forum: ResolvedForum) -> Node:
        """A forum page's JSON-LD: the forum, its sessions and talks, their people."""
        record = forum.forum
        event = self._forum_event(forum)
        page = _Page(event["@id"])
        venue = self._venue(forum)
        head = {
            "@context": CONTEXT,
            **event,
            **_values(
                location=venue and page.stated(venue),
                inLanguage=record.language or self._language,
                organizer=_organizations(record.organizers),
                keywords=list(record.tags),
            ),
            **_described(record),
        }
        people = self._people(forum)
        sessions = []
        for session in forum.sessions:
            node = self._session(page, forum, session, in_forum=False)
            chairs = [page.stated(people[p.id]) for p in session.chairs]
            talks = [
                {
                    **self._talk_event(forum, session, talk),
                    **_values(performer=[page.stated(people[p.id]) for p in talk.speakers]),
                    **_described(talk.talk),
                }
                for talk in session.talks
            ]
            sessions.append(
                {
                    **node,
                    **_values(contributor=chairs),
                    **_described(session.session),
                    **_values(subEvent=talks),
                }
            )
        return {**head, **_values(subEvent=sessions)}

    def _performed_in(self, page: _Page, appearance: ResolvedAppearance) -> Node:
        """A chaired session in its forum, or a talk in its session in its forum, as
        ``page`` states them: in full the first time, by reference after."""
        forum, session, talk = appearance.forum, appearance.session, appearance.talk
        if talk is None:
            return self._session(page, forum, session, in_forum=True)
        event = self._talk_event(forum, session, talk)
        if not page.first(event["@id"]):
            return {"@id": event["@id"]}
        return {**event, "superEvent": self._session(page, forum, session, in_forum=True)}

    def speaker(self, entry: SpeakerEntry) -> Node:
        """A speaker page's JSON-LD: the person, with every session they chaired and talk
        they gave (each in its session and forum) as ``performerIn``, in programme order."""
        speaker = entry.speaker
        organizations = tuple(a.organization for a in speaker.affiliations)
        person = self._person(entry.id, speaker, organizations)
        page = _Page(person["@id"])
        events = [self._performed_in(page, appearance) for appearance in entry.appearances]
        return {
            "@context": CONTEXT,
            **person,
            **_values(description=_text(speaker.bio), performerIn=events),
        }


def forum_jsonld(resolved: ResolvedArchive, forum: ResolvedForum) -> Node:
    """The forum page's JSON-LD (:meth:`JsonLd.forum`)."""
    return JsonLd(resolved).forum(forum)


def speaker_jsonld(resolved: ResolvedArchive, entry: SpeakerEntry) -> Node:
    """The speaker page's JSON-LD (:meth:`JsonLd.speaker`)."""
    return JsonLd(resolved).speaker(entry)


def encoded(data: Node) -> bytes:
    """``data`` as the JSON of a script element, UTF-8.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``: they can
    only occur inside JSON strings, where the escapes mean the same, and without them no
    record text can end the element (``</script>``) or open an HTML comment.
    """
    import orjson

    # in the bytes, before decoding: a search of bytes for a byte that is not there is
    # quick, a search of text that is not ASCII (any page with a Chinese name) is not
    found = orjson.dumps(data)
    for character, escape in _SCRIPT_ESCAPES:
        found = found.replace(character, escape)
    return found


def element(json: bytes) -> str:
    """The script element of :func:`encoded` JSON."""
    return f'<script type="application/ld+json">{json.decode()}</script>'
