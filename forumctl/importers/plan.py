"""From a programme to one change of the archive: the first import, or an update.

- **Forum.** ``--forum ID``, else the forum whose ``ids`` holds the source's acronym, else a
  new one named after the acronym or title. Its title, days, timezone, page and tracks
  come from the source; its other fields stay as they are.
- **Sessions.** Each event is a session holding one talk with the event's persons as
  speakers; an event without persons is a ``break`` without talks. A session is matched to
  the event by ``ids.<source>`` (else its ``uid``, the event's GUID): the fields the source
  gives are set, the others (edited by hand) kept. A session the source no longer has is
  ``status = "cancelled"``, or removed with ``prune``.
- **Relays.** An event at the same time as an earlier one with the same title and persons
  in another room is that talk relayed: a session of its own without talks (a person is
  not in two rooms at once).
- **Speakers** are matched by ``ids.<source>``, then ORCID, then the name's key (the
  duplicate rule's :func:`~forumctl.validate.speakers.name_key`) against names and aliases;
  a near name is never taken: a new speaker is made and listed for review. Within one
  schedule, one person ID under two spellings is one person (the other spelling an alias);
  one ID under two unrelated names (merged schedules reuse IDs) is two people, and the
  ID is kept for neither. Persons the schedule tells apart (an ID or GUID each) are not
  near names of one another: the schedule says they are two people.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from forumctl import records
from forumctl.errors import InvalidSource, UsageError
from forumctl.importers.model import Event, Person, Programme
from forumctl.slugs import make_slug, name_key

if TYPE_CHECKING:
    from forumctl.archive import Archive
    from forumctl.change import Change

SpeakerStatus = Literal["matched", "new", "review"]
SessionStatus = Literal["new", "moved", "changed", "cancelled", "removed"]
NEAR = 0.85  # SequenceMatcher ratio of two name keys from which a name is "near"
NEAR_CANDIDATES = 5  # the names sharing the most trigrams with a name, compared in full
SAME_PERSON = 0.6  # one person ID under names at least this alike: one person, two spellings
WHEN_FIELDS = ("date", "start", "end", "end_date", "room")

# The source's type ("lecture", "Lightning Talk") to a session kind, by the first word
# found in it; an event without persons is a break whatever its type.
_KIND_WORDS = (
    ("lightning", "lightning"), ("keynote", "keynote"), ("workshop", "workshop"),
    ("panel", "panel"), ("podium", "panel"), ("poster", "poster"), ("opening", "opening"),
    ("closing", "closing"), ("ceremony", "ceremony"), ("party", "social"),
    ("social", "social"), ("concert", "social"), ("break", "break"), ("lunch", "break"),
    ("coffee", "break"), ("plenary", "plenary"), ("talk", "talk"), ("lecture", "talk"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SpeakerOutcome:
    name: str
    speaker_id: str
    status: SpeakerStatus
    reason: str  # matched: by what; review: the near one
    other: str | None = None  # review: the speaker it may be


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    status: SessionStatus
    session_id: str
    title: str
    details: str = ""


@dataclass(slots=True)
class ImportPlan:
    forum_id: str
    forum_new: bool
    change: Change
    speakers: list[SpeakerOutcome] = field(default_factory=list)
    sessions: list[SessionOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# People


@dataclass(slots=True)
class _Someone:
    """One person of the programme, gathered from every event that names them."""

    names: list[str]
    source_id: str | None  # None when the source's ID names two people
    guid: str | None
    biography: str | None = None
    url: str | None = None
    orcid: str | None = None
    affiliation: str | None = None
    speaker_id: str = ""

    @property
    def told_apart(self) -> bool:
        """Whether the source tells this person apart from its others: by an ID (not one
        it reuses for someone else) or a GUID."""
        return self.source_id is not None or self.guid is not None


@dataclass(slots=True)
class _People:
    by_key: dict[str, _Someone]
    reused_ids: set[str]

    def keys(self, person: Person) -> list[str]:
        """What identifies a person: its GUID and its ID (unless reused), else its name."""
        keys = [f"guid:{person.guid}"] if person.guid is not None else []
        if person.id is not None and person.id not in self.reused_ids:
            keys.append(f"id:{person.id}")
        return keys or [f"name:{name_key(person.name)}"]

    def of(self, person: Person) -> _Someone:
        return self.by_key[self.keys(person)[0]]


def _people(programme: Programme) -> tuple[_People, list[str]]:
    """The distinct persons of the programme, and a warning for each person ID that names
    two people (merged schedules)."""
    occurrences = [p for event in programme.events for p in _event_persons(event)]
    names_by_id: dict[str, dict[str, None]] = {}  # the distinct names, first seen first
    for person in occurrences:
        if person.id is not None:
            names_by_id.setdefault(person.id, {})[person.name] = None
    reused = {
        person_id
        for person_id, names in names_by_id.items()
        if len(names) > 1 and _names_apart(list(names))
    }
    warnings = [
        f"person ID {person_id} names {' and '.join(sorted(set(names_by_id[person_id])))}:"
        " taken as different people"
        for person_id in sorted(reused)
    ]
    people = _People({}, reused)
    for person in occurrences:
        keys = people.keys(person)
        someone = next((people.by_key[k] for k in keys if k in people.by_key), None)
        if someone is None:
            source_id = None if person.id in reused else person.id
            someone = _Someone([person.name], source_id, person.guid)
        elif person.name not in someone.names:
            someone.names.append(person.name)
        for key in keys:
            people.by_key.setdefault(key, someone)
        someone.guid = someone.guid or person.guid
        someone.biography = someone.biography or person.biography
        someone.url = someone.url or person.url
        someone.orcid = someone.orcid or person.orcid
        someone.affiliation = someone.affiliation or person.affiliation
    return people, warnings


def _names_apart(names: list[str]) -> bool:
    """Whether a name is not alike the first one (a ratio under SAME_PERSON)."""
    first = name_key(names[0])
    others = {name_key(name) for name in names[1:]} - {first}
    return any(_likeness(first, key) < SAME_PERSON for key in others)


def _trigrams(key: str) -> set[str]:
    return {key[i : i + 3] for i in range(max(len(key) - 2, 1))}


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _event_persons(event: Event) -> Iterable[Person]:
    if event.talks:
        return [p for talk in event.talks for p in talk.persons]
    return event.persons


@dataclass(slots=True)
class _Speakers:
    """The archive's speakers (TOML data), indexed for matching, and those the import adds."""

    source: str
    data: dict[str, dict[str, Any]]
    by_source_id: dict[str, str] = field(default_factory=dict)
    by_uid: dict[str, str] = field(default_factory=dict)
    by_orcid: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)  # name key -> speaker ID
    names: dict[str, str] = field(default_factory=dict)  # name key -> the name, for review
    # the name keys of the speakers this import makes for persons the source tells apart
    # (by an ID of theirs or a GUID): not near names of one another (see near)
    told_apart: set[str] = field(default_factory=set)
    # trigram -> name keys, of the told apart and of the others, built when a name is
    # first looked for among near ones (an update whose speakers all match by ID never
    # needs them)
    grams: tuple[dict[str, set[str]], dict[str, set[str]]] | None = None

    def index(self, speaker_id: str, data: Mapping[str, Any], *, told_apart: bool = False) -> None:
        """Index a speaker's data; ``told_apart``: one this import makes for a person that
        the source tells apart from its others. A speaker holding an ID of the source is
        told apart too: the source's persons with another ID are someone else (their
        match by ID failed), on a first import as on a re-import."""
        source_id = (data.get("ids") or {}).get(self.source)
        if isinstance(source_id, str):
            self.by_source_id.setdefault(source_id, speaker_id)
            told_apart = True
        if isinstance(data.get("uid"), str):
            self.by_uid.setdefault(data["uid"], speaker_id)
        orcid = _orcid((data.get("links") or {}).get("orcid"))
        if orcid is not None:
            self.by_orcid.setdefault(orcid, speaker_id)
        for name in _spellings(data):
            key = name_key(name)
            if key and key not in self.by_name:
                self.by_name[key] = speaker_id
                self.names[key] = name
                if told_apart:
                    self.told_apart.add(key)
                if self.grams is not None:
                    _add_grams(self.grams[0 if told_apart else 1], key)

    def near(self, key: str, *, told_apart: bool = False) -> str | None:
        """The most alike name key of a speaker (SequenceMatcher ratio >= NEAR), looked
        for only among keys sharing most trigrams with it (so not every pair is compared).
        ``told_apart``: the person's source tells it apart from its other persons, so the
        speakers made for those are not near it (two people of one schedule, with an ID
        each: "Ben Yilmaz" and "Wen Yilmaz")."""
        from collections import Counter

        if self.grams is None:
            self.grams = ({}, {})
            for known in self.by_name:
                _add_grams(self.grams[0 if known in self.told_apart else 1], known)
        grams = _trigrams(key)
        shared: Counter[str] = Counter()
        for index in self.grams[1:] if told_apart else self.grams:
            for gram in grams:
                shared.update(index.get(gram, ()))
        shared.pop(key, None)
        candidates = [other for other, count in shared.most_common(NEAR_CANDIDATES)
                      if count >= len(grams) / 2]  # fmt: skip
        # the ratio of (key, other), as _likeness; the quick ratios are upper bounds of
        # it, so a candidate they put below NEAR could not be chosen
        matcher = difflib.SequenceMatcher(None, key)
        scored = []
        for other in candidates:
            matcher.set_seq2(other)
            if matcher.real_quick_ratio() >= NEAR and matcher.quick_ratio() >= NEAR:
                scored.append((-matcher.ratio(), other))
        scored.sort()
        return scored[0][1] if scored and -scored[0][0] >= NEAR else None

    def match(self, someone: _Someone) -> tuple[str | None, SpeakerStatus, str, str | None]:
        """The speaker it is (None: a new one), and why or whom to review."""
        if someone.source_id is not None and someone.source_id in self.by_source_id:
            why = f"ids.{self.source} = {someone.source_id}"
            return self.by_source_id[someone.source_id], "matched", why, None
        if someone.guid is not None and someone.guid in self.by_uid:
            return self.by_uid[someone.guid], "matched", "uid", None
        orcid = _orcid(someone.orcid)
        if orcid is not None and orcid in self.by_orcid:
            return self.by_orcid[orcid], "matched", f"ORCID {orcid}", None
        keys = [name_key(name) for name in someone.names]
        for name, key in zip(someone.names, keys, strict=True):
            speaker_id = self.by_name.get(key)
            if speaker_id is None:
                continue
            theirs = (self.data[speaker_id].get("ids") or {}).get(self.source)
            if theirs is not None and someone.source_id is not None and theirs != someone.source_id:
                why = f"same name as '{speaker_id}', whose ids.{self.source} is {theirs}"
                return None, "review", why, speaker_id
            return speaker_id, "matched", f"name {name!r}", None
        for key in keys:
            close = self.near(key, told_apart=someone.told_apart)
            if close is not None:
                other = self.by_name[close]
                return None, "review", f"near {self.names[close]!r} ({other})", other
        return None, "new", "", None


def _add_grams(grams: dict[str, set[str]], key: str) -> None:
    for gram in _trigrams(key):
        grams.setdefault(gram, set()).add(key)


def _orcid(value: object) -> str | None:
    """The bare iD of an ORCID value, when it is a well-formed one."""
    if not value:
        return None
    from forumctl.standards import orcid_id

    return orcid_id(str(value))


def _spellings(data: Mapping[str, Any]) -> list[str]:
    names = [data.get("name"), data.get("name_original"), *(data.get("aliases") or ())]
    return [name for name in names if isinstance(name, str) and name]


def _free_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``-3``... when it is taken."""
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@functools.cache
def _uid(guid: str | None) -> str | None:
    """A source's GUID as a ``uid`` (the UUID's canonical text), None when it is none."""
    if guid is None:
        return None
    if _CANONICAL_UUID.fullmatch(guid):  # as frab and pretalx write them: already canonical
        return guid
    try:
        return str(uuid.UUID(guid))
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# Records as data, limited to the fields the archive's format has


def _keys_of(cls: type[Any], version: int) -> frozenset[str]:
    """The keys a record of ``cls`` may hold in an archive of that format."""
    return frozenset(spec.name for spec in records.fields_in(cls, version))


def _only(
    data: Mapping[str, Any], keys: frozenset[str], also: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The keys of ``data`` the format has (or ``also`` has: a record's own keys are
    kept), without empty values."""
    also = also or {}
    return {
        k: v
        for k, v in data.items()
        if (k in keys or k in also) and v is not None and (v or not isinstance(v, _CONTAINERS))
    }


_CONTAINERS = (list, dict)  # the values that are empty when falsy ([] and {})


@functools.cache
def _session_kinds() -> tuple[str, ...]:
    spec = next(s for s in records.FIELDS[records.Session] if s.name == "kind")
    return spec.enum or ()


def _kind(event: Event, has_talks: bool) -> str:
    kinds = _session_kinds()
    if not has_talks:
        return "break" if "break" in kinds else "other"
    text = (event.kind or "").lower()
    for word, kind in _KIND_WORDS:
        if word in text and kind in kinds and kind != "break":
            return kind
    return "talk" if "talk" in kinds else "other"


# ---------------------------------------------------------------------------
# Sessions


def _relays(events: tuple[Event, ...]) -> dict[int, Event]:
    """Events (by index) that relay an earlier one: same start, end, title and persons,
    another room."""
    first: dict[tuple[Any, ...], Event] = {}
    relays = {}
    for index, event in enumerate(events):
        persons = frozenset(name_key(p.name) for p in _event_persons(event))
        if not persons or event.start is None:
            continue
        key = (event.start, event.end, event.title.casefold(), persons)
        earlier = first.setdefault(key, event)
        if earlier is not event and earlier.room != event.room:
            relays[index] = earlier
    return relays


def _session_data(
    event: Event,
    talks: list[dict[str, Any]],
    source: str,
    tracks: Mapping[str, str],
) -> dict[str, Any]:
    """The session as the source has it (TOML data; empty values left out)."""
    data: dict[str, Any] = {"title": event.title, "kind": _kind(event, bool(talks))}
    if event.order is not None:
        data["order"] = event.order
    data["date"] = event.date
    if event.start is not None:
        data["start"] = event.start.time()
        if event.end is not None and event.end > event.start:
            data["end"] = event.end.time()
            if event.end.date() > event.start.date():
                data["end_date"] = event.end.date()
    data.update(
        room=event.room,
        track=tracks.get(event.track) if event.track else None,
        language=event.language,
        subtitle=event.subtitle,
        abstract=event.abstract,
        summary=event.description,
        url=event.url,
        links=[
            {"kind": link.kind, "url": link.url, **({"title": link.title} if link.title else {})}
            for link in event.links
        ],
        status=event.status,
        talks=talks,
    )
    uid = _uid(event.guid)
    if uid is not None:
        data["uid"] = uid
    if event.id is not None:
        data["ids"] = {source: event.id}
    return {key: value for key, value in data.items() if value is not None}


# Keys the importer owns on a session it updates: set from the source, or removed when the
# source no longer gives them (times and place; a status the source gave). Every other key
# (summary written by hand, chairs, order...) is kept unless the source gives it.
_OWNED = ("date", "start", "end", "end_date", "room", "talks", "status")


def _merged(current: Mapping[str, Any], wanted: Mapping[str, Any], source: str) -> dict[str, Any]:
    merged = dict(current)
    for key in _OWNED:
        if key not in wanted:
            merged.pop(key, None)
    for key, value in wanted.items():
        if key == "ids":
            merged["ids"] = {**(current.get("ids") or {}), **value}
        elif key == "uid" and "uid" in current:
            continue  # an identity once given is kept
        elif key == "talks":
            merged["talks"] = _merged_talks(current.get("talks") or [], value)
        else:
            merged[key] = value
    return merged


def _merged_talks(
    current: list[Mapping[str, Any]], wanted: list[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The source's talks, each keeping what was added by hand to the talk at its place
    (summary, quotes, affiliations of speakers it still has)."""
    talks = []
    for index, talk in enumerate(wanted):
        merged = dict(current[index]) if index < len(current) else {}
        merged.update(talk)
        affiliations = merged.get("affiliations")
        if isinstance(affiliations, dict):
            kept = {k: v for k, v in affiliations.items() if k in talk["speakers"]}
            merged.pop("affiliations")
            if kept:
                merged["affiliations"] = kept
        talks.append(merged)
    return talks


# ---------------------------------------------------------------------------
# The plan


def plan_import(
    archive: Archive,
    programme: Programme,
    *,
    forum_id: str | None = None,
    prune: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """The change that brings ``programme`` into ``archive`` (applied by the caller);
    ``progress`` is told ``(read, total)`` as the current speakers and sessions are read."""
    from forumctl.change import Change

    version = archive.manifest.format
    if version < 2:
        raise UsageError(
            f"import writes format-2 fields (ids, uid, track, links); this archive is format"
            f" {version}",
            hint="run 'forumctl migrate' first",
        )
    if not programme.events:
        raise InvalidSource("no events to import", path=programme.path)
    change = Change(archive)
    forum_id, forum_new = _forum(archive, change, programme, forum_id, version)
    plan = ImportPlan(forum_id, forum_new, change, warnings=list(programme.warnings))
    people, warnings = _people(programme)
    plan.warnings += warnings
    read = _Reading(
        change, archive.speaker_ids(), [] if forum_new else archive.session_ids(forum_id), progress
    )
    _plan_speakers(read, programme, people, plan, version)
    _plan_sessions(archive, read, programme, people, plan, version, prune)
    return plan


def _forum(
    archive: Archive, change: Change, programme: Programme, forum_id: str | None, version: int
) -> tuple[str, bool]:
    """The forum's ID (chosen, found by the source's acronym, or new) and whether it is new;
    its data from the source queued on ``change``."""
    source = programme.source
    acronym = programme.acronym
    if forum_id is None and acronym is not None:
        for candidate in archive.forum_ids():
            if (_current(change, "forum", candidate).get("ids") or {}).get(source) == acronym:
                forum_id = candidate
                break
    if forum_id is None:
        stem = acronym or programme.title or programme.path.rsplit("/", 1)[-1].split(".")[0]
        forum_id = make_slug(stem)
        if not forum_id:
            raise UsageError(
                "cannot make a forum ID from the schedule", hint="name one: --forum ID"
            )
    exists = forum_id in archive.forum_ids()
    current = _current(change, "forum", forum_id) if exists else {}
    days = programme.days()
    if days is None:
        raise InvalidSource(
            "no event has a date: the forum's days are unknown", path=programme.path
        )
    manifest_zone = archive.manifest.timezone
    wanted: dict[str, Any] = {
        "title": programme.title or current.get("title") or forum_id,
        "start": days[0],
        "end": days[1],
        "url": programme.url,
        "tracks": [
            {
                "id": make_slug(track.name),
                "name": track.name,
                **({"color": track.color} if track.color else {}),
            }
            for track in programme.tracks
        ],
    }
    if programme.timezone is not None and programme.timezone != manifest_zone:
        wanted["timezone"] = programme.timezone
    elif programme.timezone is None and manifest_zone is None and "timezone" not in current:
        raise UsageError(
            f"{programme.path}: the schedule gives no timezone, nor does the archive",
            hint="pass --timezone, e.g. --timezone Europe/Berlin",
        )
    if acronym is not None:
        wanted["ids"] = {source: acronym}
    merged = dict(current)
    for key, value in wanted.items():
        if key == "ids":
            merged["ids"] = {**(current.get("ids") or {}), **value}
        elif value is not None and value != []:
            merged[key] = value
    merged = _only(merged, _keys_of(records.Forum, version))
    if not exists:
        change.create("forum", forum_id, _record(records.Forum, merged, programme.path))
    elif not _same(current, merged):
        change.update("forum", forum_id, merged)
    return forum_id, not exists


def _current(change: Change, kind: str, record_id: str) -> dict[str, Any]:
    """A record's data as its file holds it, read through the change (which so knows the
    text it must find unchanged when it writes). Parsing the TOML alone costs less than
    loading the record, even from a warm parse cache (docs/performance.md)."""
    return change.data(kind, record_id)


@dataclass(slots=True)
class _Reading:
    """:func:`_current` for the speakers and sessions a plan reads, the bulk of an import's
    reading, told to ``progress`` as ``(read, total)``."""

    change: Change
    speaker_ids: list[str]  # the archive's, listed once
    session_ids: list[str]  # the forum's (none when it is new)
    progress: Callable[[int, int], None] | None
    done: int = 0

    def __call__(self, kind: str, record_id: str) -> dict[str, Any]:
        data = _current(self.change, kind, record_id)
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, len(self.speaker_ids) + len(self.session_ids))
        return data


def _same(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    """Whether a record's data is what it was, empty arrays and tables counting as
    absent (``aliases = []`` written by hand is no reason to write the file)."""
    return current == wanted or _without_empty(current) == _without_empty(wanted)


def _without_empty(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` less its empty arrays and tables, at every depth."""
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _without_empty(value)
        elif isinstance(value, list):
            value = [_without_empty(item) if isinstance(item, dict) else item for item in value]
        if value != [] and value != {}:
            kept[key] = value
    return kept


def _record(cls: type[Any], data: Mapping[str, Any], path: str, line: int | None = None) -> Any:
    """The record of ``data``; the source's value that the format refuses is an error
    naming the source (a language tag that is none, say)."""
    record, problems = records.load(cls, data)
    if problems or record is None:
        problem = problems[0] if problems else None
        message = problem.message if problem else f"not a valid {cls.KIND}"
        raise InvalidSource(f"cannot import: {message}", path=path, line=line)
    return record


def _plan_speakers(
    read: _Reading,
    programme: Programme,
    people: _People,
    plan: ImportPlan,
    version: int,
) -> None:
    source = programme.source
    change = read.change
    known = _Speakers(source, {sid: read("speaker", sid) for sid in read.speaker_ids})
    for speaker_id, data in known.data.items():
        known.index(speaker_id, data)
    keys = _keys_of(records.Speaker, version)
    taken = set(known.data)
    for someone in {id(s): s for s in people.by_key.values()}.values():
        found, status, reason, other = known.match(someone)
        name = someone.names[0]
        if found is None:
            speaker_id = _free_id(make_slug(name) or "speaker", taken)
            taken.add(speaker_id)
            data = _new_speaker(someone, source)
            change.create(
                "speaker", speaker_id, _record(records.Speaker, _only(data, keys), programme.path)
            )
            known.data[speaker_id] = data
            known.index(speaker_id, data, told_apart=someone.told_apart)
        else:
            speaker_id = found
            current = known.data[speaker_id]
            merged = dict(current)
            if someone.source_id is not None:
                merged["ids"] = {**(current.get("ids") or {}), source: someone.source_id}
            if not merged.get("bio") and someone.biography:
                merged["bio"] = someone.biography
            spelled = {name_key(n) for n in _spellings(current)}
            extra = [n for n in someone.names if name_key(n) not in spelled]
            if extra:
                merged["aliases"] = [*(current.get("aliases") or ()), *extra]
            merged = _only(merged, keys, current)
            if not _same(current, merged):
                change.update("speaker", speaker_id, merged)
                known.data[speaker_id] = merged
        someone.speaker_id = speaker_id
        plan.speakers.append(SpeakerOutcome(name, speaker_id, status, reason, other))
    plan.speakers.sort(key=lambda outcome: (outcome.speaker_id, outcome.name))


def _new_speaker(someone: _Someone, source: str) -> dict[str, Any]:
    first = name_key(someone.names[0])
    data: dict[str, Any] = {
        "name": someone.names[0],
        "aliases": [n for n in someone.names[1:] if name_key(n) != first],
        "bio": someone.biography,
        "links": {source: someone.url} if someone.url else {},
        "affiliations": [{"organization": someone.affiliation}] if someone.affiliation else [],
    }
    if someone.orcid:
        data["links"]["orcid"] = someone.orcid
    uid = _uid(someone.guid)
    if uid is not None:
        data["uid"] = uid
    if someone.source_id is not None:
        data["ids"] = {source: someone.source_id}
    return data


def _plan_sessions(
    archive: Archive,
    read: _Reading,
    programme: Programme,
    people: _People,
    plan: ImportPlan,
    version: int,
    prune: bool,
) -> None:
    source = programme.source
    change = read.change
    forum_id = plan.forum_id
    current: dict[str, dict[str, Any]] = {}
    for session_id in read.session_ids:
        current[session_id] = read("session", session_id)
    by_source_id: dict[str, str] = {}
    by_uid: dict[str, str] = {}
    for session_id, data in current.items():
        source_id = (data.get("ids") or {}).get(source)
        if isinstance(source_id, str):
            by_source_id.setdefault(source_id, session_id)
        if isinstance(data.get("uid"), str):
            by_uid.setdefault(data["uid"], session_id)
    tracks = {track.name: make_slug(track.name) for track in programme.tracks}
    keys = _keys_of(records.Session, version)
    relays = _relays(programme.events)
    taken = {session_id.partition("/")[2] for session_id in current}
    seen: set[str] = set()
    in_time = sorted(  # the changelog and the IDs given follow the programme's time
        enumerate(programme.events),
        key=lambda item: (item[1].start is None, item[1].start or dt.datetime.min, item[0]),
    )
    for index, event in in_time:
        if index in relays:
            talks = []
            plan.warnings.append(
                f"{programme.path}:{event.line or '?'}: {event.title!r} in {event.room} relays"
                f" the one in {relays[index].room}: a session without speakers"
            )
        else:
            talks = _talks(event, people)
        wanted = _only(_session_data(event, talks, source, tracks), keys)
        matched = _matching(event, current, by_source_id, by_uid, seen)
        if matched is None:
            stem = make_slug(event.title) or "session"
            if stem in taken and event.date is not None:
                stem = f"{stem}-{event.date.isoformat()}"
            local_id = _free_id(stem, taken)
            taken.add(local_id)
            session_id = f"{forum_id}/{local_id}"
            change.create(
                "session", session_id, _record(records.Session, wanted, programme.path, event.line)
            )
            plan.sessions.append(SessionOutcome("new", session_id, event.title, _when(wanted)))
            seen.add(session_id)
            continue
        session_id = matched
        seen.add(session_id)
        before = current[session_id]
        merged = _only(_merged(before, wanted, source), keys, before)
        if _same(before, merged):
            continue
        _record(records.Session, merged, programme.path, event.line)
        change.update("session", session_id, merged)
        plan.sessions.append(_outcome(session_id, event.title, before, merged))
    for session_id, data in current.items():
        if session_id in seen or source not in (data.get("ids") or {}):
            continue
        title = str(data.get("title", session_id))
        if prune:
            change.delete(archive.rel_path("session", session_id))
            plan.sessions.append(SessionOutcome("removed", session_id, title))
        elif data.get("status") != "cancelled":
            change.update("session", session_id, {**data, "status": "cancelled"})
            plan.sessions.append(SessionOutcome("cancelled", session_id, title))


def _talks(event: Event, people: _People) -> list[dict[str, Any]]:
    if event.talks:
        talks = [(talk.title, talk.persons) for talk in event.talks]
    elif event.persons:
        talks = [(None, event.persons)]
    else:
        return []
    result = []
    for title, persons in talks:
        speakers = list(dict.fromkeys(people.of(person).speaker_id for person in persons))
        result.append({"speakers": speakers, **({"title": title} if title else {})})
    return result


def _matching(
    event: Event,
    current: Mapping[str, Mapping[str, Any]],
    by_source_id: Mapping[str, str],
    by_uid: Mapping[str, str],
    seen: set[str],
) -> str | None:
    """The session that is this event: by the source's ID, else by GUID, else (a source
    without IDs) by title and day."""
    found = None
    if event.id is not None:
        found = by_source_id.get(event.id)
    uid = _uid(event.guid)
    if found is None and uid is not None:
        found = by_uid.get(uid)
    if found is None and event.id is None and event.guid is None:
        found = next(
            (
                session_id
                for session_id, data in current.items()
                if session_id not in seen
                and data.get("title") == event.title
                and data.get("date") == event.date
            ),
            None,
        )
    return None if found in seen else found


def _when(data: Mapping[str, Any]) -> str:
    from forumctl.display import clock

    parts = []
    if isinstance(data.get("date"), dt.date):
        parts.append(data["date"].isoformat())
    if isinstance(data.get("start"), dt.time):
        span = clock(data["start"])
        if isinstance(data.get("end"), dt.time):
            span += "-" + clock(data["end"])
        parts.append(span)
    if data.get("room"):
        parts.append(str(data["room"]))
    return " ".join(parts)


def _outcome(
    session_id: str, title: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> SessionOutcome:
    changed = sorted(key for key in {*before, *after} if before.get(key) != after.get(key))
    if any(key in WHEN_FIELDS for key in changed):
        return SessionOutcome("moved", session_id, title, f"{_when(before)} -> {_when(after)}")
    return SessionOutcome("changed", session_id, title, ", ".join(changed))
