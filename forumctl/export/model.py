"""The archive resolved for export: what every format renders, built once.

Sessions are in programme order, speaker references are replaced by the speakers
themselves with the affiliation they held at the time (:func:`forumctl.query.affiliation_at`),
and a session's day is known whenever it can be (a one-day forum's sessions may leave it
out). Exporters read only this model, never the archive.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forumctl.archive import Archive
from forumctl.collation import sorted_speakers
from forumctl.display import clock, name_with_affiliation
from forumctl.errors import InvalidRecord
from forumctl.query import affiliation_at, forum_sort_key, session_sort_key
from forumctl.records import (
    Forum,
    Manifest,
    Session,
    Speaker,
    Talk,
    Track,
    plausible_date,
    session_day,
    session_span,
    talk_span,
    timezone_named,
)
from forumctl.references import referred_ids


@dataclass(frozen=True, slots=True)
class Person:
    """A speaker where a session refers to them, with the affiliation held then."""

    id: str
    speaker: Speaker
    affiliation: str | None

    @property
    def name(self) -> str:
        return self.speaker.name


def _texts(persons: Iterable[Person]) -> Iterator[str]:
    return (name_with_affiliation(person.name, person.affiliation) for person in persons)


@dataclass(frozen=True, slots=True)
class ResolvedTalk:
    talk: Talk
    speakers: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class ResolvedSession:
    id: str  # "<forum-id>/<session-id>"
    rel: str  # its file, for errors
    session: Session
    day: dt.date | None  # the session's date, or the forum's only day
    chairs: tuple[Person, ...]
    talks: tuple[ResolvedTalk, ...]

    @property
    def timed(self) -> bool:
        """A start time on a known day: what a calendar or a schedule app can place."""
        return self.day is not None and self.session.start is not None

    def period(self, zone: dt.tzinfo | None) -> tuple[dt.datetime, dt.datetime | None]:
        """Start and end (if set) of a timed session in ``zone`` (the end on ``end_date``
        when it has one); an InvalidRecord naming the file when the end is not after the
        start, which no calendar can hold."""
        assert self.day is not None and self.session.start is not None
        start, end = session_span(self.session, self.day)
        if end is not None and end <= start:
            raise InvalidRecord(
                f"session ends ({clock(end.time())}) before or when it starts"
                f" ({clock(start.time())})",
                path=self.rel,
                hint="run 'forumctl validate'",
            )
        return start.replace(tzinfo=zone), None if end is None else end.replace(tzinfo=zone)

    @property
    def talks_timed(self) -> bool:
        """Whether every talk has a start time of its own: schedules then hold one event
        per talk instead of one for the session."""
        return bool(self.talks) and all(t.talk.start is not None for t in self.talks)

    def talk_periods(
        self, zone: dt.tzinfo | None
    ) -> list[tuple[ResolvedTalk, dt.datetime, dt.datetime | None]]:
        """Each talk with its start and end in ``zone`` (a talk without an end ends when
        the next one starts, the last one with its session), for :attr:`talks_timed`."""
        assert self.day is not None
        session_end = self.period(zone)[1]
        spans = [talk_span(self.session, t.talk, self.day) for t in self.talks]
        found = []
        for i, (talk, (start, end)) in enumerate(zip(self.talks, spans, strict=True)):
            assert start is not None
            following = spans[i + 1][0] if i + 1 < len(spans) else None
            until = end or following
            found.append(
                (
                    talk,
                    start.replace(tzinfo=zone),
                    until.replace(tzinfo=zone) if until is not None else session_end,
                )
            )
        return found

    def left_out_warning(self) -> str:
        """What calendars and schedules say when they leave this untimed session out."""
        missing = "date" if self.day is None else "start time"
        return f"session '{self.id}' has no {missing}: left out"

    @property
    def persons(self) -> tuple[Person, ...]:
        """Chairs, then speakers, each once: the persons of a frab or iCal event."""
        seen: dict[str, Person] = {}
        for person in (*self.chairs, *(p for talk in self.talks for p in talk.speakers)):
            seen.setdefault(person.id, person)
        return tuple(seen.values())

    def description(self) -> str:
        """Chairs, talks (speakers: title) and summary as plain text, for iCal and frab."""
        lines = []
        if self.chairs:
            lines.append("Chairs: " + "; ".join(_texts(self.chairs)))
        for talk in self.talks:
            speakers = "; ".join(_texts(talk.speakers))
            lines.append(f"{speakers}: {talk.talk.title}" if talk.talk.title else speakers)
        if self.session.summary:
            lines += ["", self.session.summary.strip()]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ResolvedForum:
    id: str
    forum: Forum
    timezone: str | None  # the forum's, else the manifest's
    timezone_file: str  # the file that sets it, for errors
    sessions: tuple[ResolvedSession, ...]

    def track(self, track_id: str | None) -> Track | None:
        """The forum's track of that ID (None for none, or one validate reports)."""
        if track_id is None:  # most sessions and talks: asked for each of them
            return None
        return next((track for track in self.forum.tracks if track.id == track_id), None)

    def zone(self) -> dt.tzinfo | None:
        """The timezone of session times, or None (floating); a clear error when unknown."""
        if self.timezone is None:
            return None
        zone = timezone_named(self.timezone)
        if zone is None:
            raise InvalidRecord(
                f"unknown timezone '{self.timezone}'",
                path=self.timezone_file,
                hint="use an IANA name such as Asia/Shanghai",
            )
        return zone

    @property
    def days(self) -> list[dt.date]:
        count = (self.forum.end - self.forum.start).days + 1
        return [self.forum.start + dt.timedelta(days=n) for n in range(count)]


@dataclass(frozen=True, slots=True)
class ResolvedAppearance:
    """Where a speaker appears: chairing a session (talk None) or giving a talk."""

    forum: ResolvedForum
    session: ResolvedSession
    talk: ResolvedTalk | None


@dataclass(frozen=True, slots=True)
class SpeakerEntry:
    id: str
    speaker: Speaker
    appearances: tuple[ResolvedAppearance, ...]


@dataclass(frozen=True, slots=True)
class ResolvedArchive:
    manifest: Manifest
    forums: tuple[ResolvedForum, ...]  # by start date, oldest first
    speakers: tuple[SpeakerEntry, ...]  # by sort name
    root: Path | None = None  # the archive's directory: its git history (frab version, Changes)
    translated_to: str | None = None  # export's --language (translated)

    @property
    def language(self) -> str | None:
        """The language of the pages: the one the text was translated to, else the
        archive's. Dates and the site's own words follow it, so a page reads in one."""
        return self.translated_to or self.manifest.language


def resolve(
    archive: Archive,
    forum_ids: Sequence[str] | None = None,
    *,
    programmes: Collection[str] | None = None,
) -> ResolvedArchive:
    """The archive (or the given forums) resolved for export.

    Raises the archive's InvalidRecord / RecordNotFound for a broken or missing record,
    and InvalidRecord naming the session file for a reference to a speaker that does not
    exist: exports need a valid archive, ``forumctl validate`` lists every problem.

    ``programmes`` (a re-export after sessions changed: forumctl/export/incremental.py):
    only these forums are resolved with their sessions, and only the speakers they name
    are read; every other forum is there with its record alone (no sessions: its place in
    the order and its series' page are right, its page is not), and the speakers are those
    the programmes name, with their appearances there.
    """
    manifest = archive.manifest
    speakers = archive.speakers() if programmes is None else {}
    selected = archive.forum_ids() if forum_ids is None else sorted(set(forum_ids))
    forums = sorted(((fid, archive.forum(fid)) for fid in selected), key=forum_sort_key)
    known = None if programmes is None else set(archive.speaker_ids())
    resolved = []
    for forum_id, forum in forums:
        if known is not None:
            if forum_id not in (programmes or ()):
                zone = _timezone(archive, forum_id, forum, manifest)
                resolved.append(ResolvedForum(forum_id, forum, *zone, ()))
                continue
            for session in archive.sessions(forum_id).values():
                for speaker_id in referred_ids(session, "speaker"):
                    if speaker_id in known and speaker_id not in speakers:
                        speakers[speaker_id] = archive.speaker(speaker_id)
        resolved.append(_resolve_forum(archive, forum_id, forum, manifest, speakers))
    everyone = forum_ids is None and programmes is None
    entries = _speaker_entries(resolved, speakers, everyone=everyone)
    return ResolvedArchive(manifest, tuple(resolved), entries, archive.root)


def _timezone(
    archive: Archive, forum_id: str, forum: Forum, manifest: Manifest
) -> tuple[str | None, str]:
    """The forum's time zone (its own, else the manifest's) and the file that sets it."""
    timezone_file = archive.rel_path("forum" if forum.timezone else "manifest", forum_id)
    return forum.timezone or manifest.timezone, timezone_file


def _check_dates(rel: str, *days: dt.date | None) -> None:
    """Exports count days before and after a forum's: a date near the ends of the
    calendar (a typing error) is refused by name rather than overflowing."""
    for day in days:
        if day is not None and not plausible_date(day):
            raise InvalidRecord(
                f"date {day} is implausible", path=rel, hint="run 'forumctl validate'"
            )


def _resolve_forum(
    archive: Archive, forum_id: str, forum: Forum, manifest: Manifest, speakers: dict[str, Speaker]
) -> ResolvedForum:
    _check_dates(archive.rel_path("forum", forum_id), forum.start, forum.end)
    sessions = sorted(
        archive.sessions(forum_id).items(),
        key=lambda item: session_sort_key(item[0], item[1], forum),
    )
    # A speaker appears several times in a forum, mostly with the same affiliation: within
    # a forum it depends only on the talk's own entry for the speaker, if any.
    persons: dict[tuple[str, str | None], Person] = {}

    def person(speaker_id: str, talk: Talk | None) -> Person:
        key = (speaker_id, None if talk is None else talk.affiliations.get(speaker_id))
        found = persons.get(key)
        if found is None:
            speaker = speakers[speaker_id]
            affiliation = affiliation_at(speaker_id, speaker, forum, talk)
            found = persons[key] = Person(speaker_id, speaker, affiliation)
        return found

    known = speakers.__contains__
    resolved = []
    for session_id, session in sessions:
        rel = archive.rel_path("session", session_id)
        _check_dates(rel, session.date)
        # A speaker with no file is rare: which one is found out only when a lookup fails
        # (referred_ids of every session cost more, 0.12 s on M).
        try:  # tuples of lists: quicker than of generators, for 48,000 on M
            chairs = tuple([person(sid, None) for sid in session.chairs])
            talks = tuple(
                [
                    ResolvedTalk(talk, tuple([person(sid, talk) for sid in talk.speakers]))
                    for talk in session.talks
                ]
            )
        except KeyError:
            _refuse_unknown_speaker(session, speakers, rel)
            raise
        named = [
            all(map(known, t.authors)) and all(map(known, t.affiliations)) for t in session.talks
        ]
        if not all(named):  # authors and affiliations name speakers too
            _refuse_unknown_speaker(session, speakers, rel)
        resolved.append(
            ResolvedSession(
                id=session_id,
                rel=rel,
                session=session,
                day=session_day(session, forum),
                chairs=chairs,
                talks=talks,
            )
        )
    return ResolvedForum(
        forum_id, forum, *_timezone(archive, forum_id, forum, manifest), tuple(resolved)
    )


def _refuse_unknown_speaker(session: Session, speakers: dict[str, Speaker], rel: str) -> None:
    """InvalidRecord naming the session file for the first speaker it refers to that has
    no file, if any."""
    for speaker_id in referred_ids(session, "speaker"):
        if speaker_id not in speakers:
            raise InvalidRecord(
                f"refers to speaker '{speaker_id}', who has no file",
                path=rel,
                hint="'forumctl validate' lists every problem",
            )


def _speaker_entries(
    forums: Iterable[ResolvedForum], speakers: dict[str, Speaker], *, everyone: bool
) -> tuple[SpeakerEntry, ...]:
    """Speakers with their appearances: everyone, or only those the forums refer to."""
    found: dict[str, list[ResolvedAppearance]] = {sid: [] for sid in speakers} if everyone else {}
    for forum in forums:
        for session in forum.sessions:
            for person in session.chairs:
                found.setdefault(person.id, []).append(ResolvedAppearance(forum, session, None))
            for talk in session.talks:
                for person in talk.speakers:
                    found.setdefault(person.id, []).append(ResolvedAppearance(forum, session, talk))
    ordered = sorted_speakers((sid, speakers[sid]) for sid in found)
    return tuple(SpeakerEntry(sid, speaker, tuple(found[sid])) for sid, speaker in ordered)


_TRANSLATED = ("title", "subtitle", "abstract", "summary")


def _in_language(record: Any, language: str) -> Any:
    """The record with its text in ``language`` where it has a translation (each of
    title, subtitle, abstract and summary falling back to the original)."""
    from forumctl.standards import language_problem, same_language

    translation = record.translations.get(language)
    if translation is None and language_problem(language) is None:
        translation = next(
            (
                text
                for tag, text in record.translations.items()
                if language_problem(tag) is None and same_language(tag, language)
            ),
            None,
        )
    if translation is None:
        return record
    values = {f: getattr(translation, f) for f in _TRANSLATED if getattr(translation, f)}
    return dataclasses.replace(record, **values)


def translated(resolved: ResolvedArchive, language: str) -> ResolvedArchive:
    """The archive with every forum, session and talk in ``language`` where it has a
    translation into it (``export markdown|site --language``); speakers' appearances
    point at the translated sessions and talks; its pages are in ``language``
    (:attr:`ResolvedArchive.language`: their dates, the site's own words)."""
    new: dict[int, Any] = {}  # id() of a resolved forum, session or talk to its translation

    def talk_in(talk: ResolvedTalk) -> ResolvedTalk:
        found = new[id(talk)] = dataclasses.replace(talk, talk=_in_language(talk.talk, language))
        return found

    def session_in(session: ResolvedSession) -> ResolvedSession:
        found = new[id(session)] = dataclasses.replace(
            session,
            session=_in_language(session.session, language),
            talks=tuple(talk_in(talk) for talk in session.talks),
        )
        return found

    forums = []
    for forum in resolved.forums:
        sessions = tuple(session_in(session) for session in forum.sessions)
        forums.append(
            dataclasses.replace(forum, forum=_in_language(forum.forum, language), sessions=sessions)
        )
        new[id(forum)] = forums[-1]
    speakers = tuple(
        dataclasses.replace(
            entry,
            appearances=tuple(
                ResolvedAppearance(
                    new[id(a.forum)],
                    new[id(a.session)],
                    None if a.talk is None else new[id(a.talk)],
                )
                for a in entry.appearances
            ),
        )
        for entry in resolved.speakers
    )
    return dataclasses.replace(
        resolved, forums=tuple(forums), speakers=speakers, translated_to=language
    )
