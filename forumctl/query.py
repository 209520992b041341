"""Questions asked of an archive: filtered and sorted listings, a forum's programme, a
speaker's appearances, and the affiliation a speaker held at a talk.

Plain data only (records and small dataclasses); the render layer turns it into tables,
text or JSON, in the words of :mod:`forumctl.display`. Sessions are parsed only when a
question needs them, so that listing speakers without a session-based filter reads
nothing but ``speakers/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from forumctl.archive import Archive
from forumctl.collation import sorted_speakers
from forumctl.display import affiliations_text
from forumctl.errors import UsageError
from forumctl.records import FIELDS, Affiliation, Forum, Session, Speaker, Talk
from forumctl.references import referred_ids
from forumctl.slugs import ascii_text


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters of ``forumctl list``; None means "not filtered"."""

    forum: str | None = None
    year: int | None = None
    city: str | None = None
    tag: str | None = None
    series: str | None = None
    speaker: str | None = None
    kind: str | None = None
    search: str | None = None

    @property
    def needs_forums(self) -> bool:
        return any(v is not None for v in (self.forum, self.year, self.city, self.tag, self.series))

    @property
    def search_key(self) -> str | None:
        """--search as it is compared (:func:`searchable`)."""
        return None if self.search is None else searchable(self.search)


def searchable(text: str) -> str:
    """Text as --search compares it: transliterated to ASCII (text-unidecode, the backend
    of python-slugify), casefolded, runs of white space as one space. "Zhāng Wěi",
    "zhang wei" and "张伟" all become "zhang wei"."""
    return " ".join(ascii_text(text).casefold().split())


def _same(given: str | None, value: str | None) -> bool:
    """Case-insensitive equality; an unset filter matches everything."""
    return given is None or (value is not None and given.casefold() == value.casefold())


def _contains(search_key: str | None, haystack: Iterable[str | None]) -> bool:
    """Whether a Filters.search_key is in one of the texts; None matches everything."""
    if search_key is None:
        return True
    return any(text is not None and search_key in searchable(text) for text in haystack)


def _speaker_names(speaker: Speaker) -> tuple[str | None, ...]:
    """The names --search looks at, in every listing that concerns a speaker."""
    return speaker.name, speaker.name_original, speaker.sort_name, *speaker.aliases


def _forum_matches(forum_id: str, forum: Forum, filters: Filters) -> bool:
    return (
        (filters.forum is None or filters.forum == forum_id)
        and (filters.year is None or forum.start.year <= filters.year <= forum.end.year)
        and _same(filters.city, forum.city)
        and (filters.tag is None or any(_same(filters.tag, tag) for tag in forum.tags))
        and _same(filters.series, forum.series)
    )


def session_speakers(session: Session) -> list[str]:
    """Every speaker taking part in a session (chairs first, then talk speakers), each
    once, in programme order."""
    return referred_ids(session, "speaker", keys=False)


def referenced_speakers(archive: Archive, sessions: Iterable[Session]) -> dict[str, Speaker]:
    """The speakers the sessions refer to (only those: a programme does not read every
    speaker file). A missing speaker is left out; validate reports it."""
    known = set(archive.speaker_ids())
    wanted = dict.fromkeys(sid for session in sessions for sid in session_speakers(session))
    return {sid: archive.speaker(sid) for sid in wanted if sid in known}


# -- sorting ------------------------------------------------------------------------


def forum_sort_key(item: tuple[str, Forum]) -> tuple[dt.date, dt.date, str]:
    forum_id, forum = item
    return forum.start, forum.end, forum_id


def session_sort_key(
    session_id: str, session: Session, forum: Forum
) -> tuple[dt.date, dt.time, int, str]:
    """By date (the forum's first day when left out), start time, then programme order."""
    return (
        session.date or forum.start,
        session.start or dt.time.min,
        session.order if session.order is not None else 1 << 30,
        session_id,
    )


# -- listings -----------------------------------------------------------------------


def _check_filters(archive: Archive, filters: Filters) -> None:
    """A filter naming a forum or speaker that does not exist is an error ("no forum
    'x'"), not an empty listing."""
    if filters.forum is not None:
        archive.forum(filters.forum)
    if filters.speaker is not None:
        archive.loaded("speaker", filters.speaker)


def _check_session_kind(kind: str | None) -> None:
    """An unknown session kind is an error naming the kinds (records.FIELDS has them)."""
    kinds = next(spec.enum for spec in FIELDS[Session] if spec.name == "kind") or ()
    if kind is not None and kind.casefold() not in kinds:
        from forumctl.suggest import did_you_mean

        close = did_you_mean(kind, kinds)
        listed = "one of: " + ", ".join(kinds)
        raise UsageError(
            f"--kind {kind!r} is not a session kind", hint=f"{close} {listed}" if close else listed
        )


def list_forums(archive: Archive, filters: Filters) -> list[tuple[str, Forum]]:
    """Forums matching the filters, by start date."""
    _check_filters(archive, filters)
    found = []
    for forum_id, forum in archive.forums().items():
        if not _forum_matches(forum_id, forum, filters) or not _same(filters.kind, forum.kind):
            continue
        if not _contains(filters.search_key, (forum.title, forum.series)):
            continue
        if filters.speaker is not None and not any(
            filters.speaker in session_speakers(session)
            for session in archive.sessions(forum_id).values()
        ):
            continue
        found.append((forum_id, forum))
    return sorted(found, key=forum_sort_key)


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A session with the forum it belongs to."""

    session_id: str
    session: Session
    forum_id: str
    forum: Forum


def programme(archive: Archive, forum_id: str) -> list[SessionRow]:
    """A forum's sessions in programme order."""
    forum = archive.forum(forum_id)
    rows = [
        SessionRow(session_id, session, forum_id, forum)
        for session_id, session in archive.sessions(forum_id).items()
    ]
    return sorted(rows, key=lambda row: session_sort_key(row.session_id, row.session, forum))


def list_sessions(archive: Archive, filters: Filters) -> list[SessionRow]:
    """Sessions matching the filters, by forum start, then programme order."""
    _check_filters(archive, filters)
    _check_session_kind(filters.kind)
    forums = sorted(archive.forums().items(), key=forum_sort_key)
    search_key = filters.search_key
    names: dict[str, str] = {}
    if search_key is not None:  # folded once each, not once per session
        names = {
            sid: "\n".join(searchable(name) for name in _speaker_names(speaker) if name)
            for sid, speaker in archive.speakers().items()
        }
    found = []
    for forum_id, forum in forums:
        if not _forum_matches(forum_id, forum, filters):
            continue
        for row in programme(archive, forum_id):
            session = row.session
            speaker_ids = session_speakers(session)
            if not _same(filters.kind, session.kind):
                continue
            if filters.speaker is not None and filters.speaker not in speaker_ids:
                continue
            if (
                search_key is None
                or any(search_key in names.get(sid, "") for sid in speaker_ids)
                or _contains(search_key, [session.title, *(t.title for t in session.talks)])
            ):
                found.append(row)
    return found


def list_speakers(archive: Archive, filters: Filters) -> list[tuple[str, Speaker]]:
    """Speakers matching the filters, by sort name. Reads sessions only when a forum
    filter (--forum, --year, --city, --tag) asks which speakers appeared where."""
    if filters.kind is not None or filters.speaker is not None:
        option = "--kind" if filters.kind is not None else "--speaker"
        raise UsageError(
            f"{option} does not apply to speakers", hint="use it with forums or sessions"
        )
    _check_filters(archive, filters)
    allowed: set[str] | None = None
    if filters.needs_forums:
        allowed = set()
        for forum_id, forum in archive.forums().items():
            if _forum_matches(forum_id, forum, filters):
                for session in archive.sessions(forum_id).values():
                    allowed.update(session_speakers(session))
    found = [
        (speaker_id, speaker)
        for speaker_id, speaker in archive.speakers().items()
        if (allowed is None or speaker_id in allowed)
        and _contains(filters.search_key, _speaker_names(speaker))
    ]
    return sorted_speakers(found)


# -- affiliations and appearances ---------------------------------------------------


def _overlaps(affiliation: Affiliation, forum: Forum) -> bool:
    starts_in_time = affiliation.since is None or affiliation.since <= forum.end
    ends_in_time = affiliation.until is None or affiliation.until >= forum.start
    return starts_in_time and ends_in_time


def affiliations_held(
    speaker_id: str, speaker: Speaker, forum: Forum, talk: Talk | None = None
) -> tuple[Affiliation, ...]:
    """The affiliations a speaker held at a forum (and talk).

    The talk's own ``affiliations`` entry wins, as an affiliation of that organization
    (it is the text printed for this talk); else the speaker's affiliations dated
    (``since``/``until``) to include the forum's dates; else the undated ones.
    """
    if talk is not None and speaker_id in talk.affiliations:
        return (Affiliation(organization=talk.affiliations[speaker_id]),)
    dated = tuple(
        a
        for a in speaker.affiliations
        if (a.since is not None or a.until is not None) and _overlaps(a, forum)
    )
    return dated or tuple(a for a in speaker.affiliations if a.since is None and a.until is None)


def affiliation_at(
    speaker_id: str, speaker: Speaker, forum: Forum, talk: Talk | None = None
) -> str | None:
    """The line printed for :func:`affiliations_held` ("; " between several), or None: what
    ``show``, the exports and their JSON print beside the speaker's name."""
    return affiliations_text(affiliations_held(speaker_id, speaker, forum, talk))


@dataclass(frozen=True, slots=True)
class Appearance:
    """One place a speaker appears: as chair of a session, or as a speaker of a talk."""

    role: Literal["chair", "talk"]
    row: SessionRow
    talk: Talk | None
    affiliation: str | None


def _programme_order(row: SessionRow) -> tuple[object, ...]:
    """Forums by start date, then each forum's sessions in programme order."""
    return (
        forum_sort_key((row.forum_id, row.forum)),
        session_sort_key(row.session_id, row.session, row.forum),
    )


def appearances(archive: Archive, speaker_id: str) -> list[Appearance]:
    """Every session and talk a speaker appears in across the archive, in programme
    order (forums by start date), each with the affiliation held at the time."""
    speaker = archive.speaker(speaker_id)
    sessions = archive.sessions_referring_to(speaker_id)  # not every session of the archive
    forum_ids = {session_id: session_id.partition("/")[0] for session_id in sessions}
    forums = {forum_id: archive.forum(forum_id) for forum_id in set(forum_ids.values())}
    rows = [
        SessionRow(session_id, session, forum_ids[session_id], forums[forum_ids[session_id]])
        for session_id, session in sessions.items()
    ]
    found = []
    for row in sorted(rows, key=_programme_order):
        if speaker_id in row.session.chairs:
            affiliation = affiliation_at(speaker_id, speaker, row.forum)
            found.append(Appearance("chair", row, None, affiliation))
        for talk in row.session.talks:
            if speaker_id in talk.speakers:
                affiliation = affiliation_at(speaker_id, speaker, row.forum, talk)
                found.append(Appearance("talk", row, talk, affiliation))
    return found
