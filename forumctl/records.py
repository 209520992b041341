"""The record definitions: the one source of truth for archive formats 1 and 2.

Each record is a frozen dataclass. Its fields, in order, are the keys of the TOML file in
canonical order; a field's type says how it is checked and written, and its metadata
carries the documentation (``doc``), speaker references (``ref``, enumerated by
:mod:`forumctl.references`), value formats (``fmt``), the archive format the key first
appears in (``since``) and whether people write it or only forumctl does (``by_hand``).
Loading, validation, canonical writing, the JSON Schema, scaffolds and docs/format.md are
all derived from :data:`FIELDS` below, never described twice; :func:`fields_in` gives the
keys of one format.

One set of classes reads every format: a format-2 key in a format-1 archive loads like any
other, and validate reports it (FC003, "run forumctl migrate").
"""

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

FORMAT_VERSION = 2  # the newest format, which init writes
FORMATS = (1, 2)  # every format this program reads

# Rule codes of the schema-level checks; validate adds the cross-record rules.
MISSING_KEY = "FC101"
WRONG_TYPE = "FC102"
NOT_IN_ENUM = "FC103"
UNKNOWN_KEY = "FC104"
DATE_AS_STRING = "FC201"
EMPTY_LIST = "FC105"

OutcomeKind = Literal["publication", "organization", "declaration", "award", "other"]
SessionKind = Literal[
    "opening", "plenary", "keynote", "parallel", "panel", "workshop", "closing", "other",
    "talk", "lightning", "poster", "break", "social", "ceremony",
]  # fmt: skip
# The session kinds format 2 added (a format-1 archive using one is a finding, FC003)
NEWER_SESSION_KINDS = {kind: 2 for kind in ("talk", "lightning", "poster", "break", "social",
                                            "ceremony")}  # fmt: skip
# Sessions of these kinds hold no talks by nature: no "session has no talks" warning
KINDS_WITHOUT_TALKS = frozenset(("break", "social"))
Status = Literal["cancelled", "postponed", "withdrawn"]
LinkKind = Literal["video", "audio", "slides", "paper", "transcript", "photos", "page", "other"]


def _meta(
    doc: str,
    *,
    ref: str | None = None,
    fmt: str | None = None,
    min_items: int = 0,
    since: int = 1,
    by_hand: bool = True,
    flag: str | None = None,
    values_since: dict[str, int] | None = None,
    tables_since: int = 1,
    key: str | None = None,
    keys_fmt: str | None = None,
) -> Any:
    return {
        "key": key,
        "keys_fmt": keys_fmt,
        "values_since": values_since or {},
        "tables_since": tables_since,
        "doc": doc,
        "ref": ref,
        "fmt": fmt,
        "min_items": min_items,
        "since": since,
        "by_hand": by_hand,
        "flag": flag,
    }


def required(doc: str, **kwargs: Any) -> Any:
    """A required field: no default, so the dataclass needs it too."""
    return field(metadata=_meta(doc, **kwargs))


def optional(doc: str, **kwargs: Any) -> Any:
    return field(default=None, metadata=_meta(doc, **kwargs))


def listing(doc: str, **kwargs: Any) -> Any:
    return field(default=(), metadata=_meta(doc, **kwargs))


def mapping(doc: str, **kwargs: Any) -> Any:
    return field(default_factory=dict, metadata=_meta(doc, **kwargs))


def _uid() -> Any:
    return optional(
        "The record's identity, a UUID that never changes, written by forumctl (absent:"
        " the uuid5 of its ID; `rename` writes it before the ID changes).",
        fmt="uuid",
        since=2,
        by_hand=False,
    )


def _former_ids() -> Any:
    return listing(
        "IDs the record had before, written by `rename` and `merge`.", since=2, by_hand=False
    )


def _ids() -> Any:
    return mapping(
        'Source name to the record\'s ID there (`pretalx = "XJ8KCA"`, `wikidata ='
        ' "Q42"`): what `import` matches on.',
        since=2,
        flag="--external-id",
    )


def _language() -> Any:
    return optional(
        "BCP 47 language tag of the record's text (e.g. `en`, `zh-Hans`); defaults to the"
        " manifest's.",
        fmt="language",
        since=2,
    )


def _url() -> Any:
    return optional("The record's own web page (http or https).", fmt="url", since=2)


def _doi() -> Any:
    return optional("DOI of the record (`10.1234/abc`, without `https://doi.org/`).", fmt="doi",
                    since=2)  # fmt: skip


def _translations() -> Any:
    return mapping(
        "Language tag to the record's text in that language: `[translations.zh]` with any"
        " of `title`, `subtitle`, `abstract`, `summary`.",
        fmt="language_keys",
        since=2,
    )


def _subtitle() -> Any:
    return optional("Subtitle.", since=2)


def _abstract() -> Any:
    return optional("Short abstract (Markdown), beside the longer `summary`.", since=2)


def _status() -> Any:
    return optional(
        "`cancelled`, `postponed` or `withdrawn`; absent: as scheduled. A cancelled record"
        " stays in the archive and in every export, marked so.",
        since=2,
    )


def _track() -> Any:
    return optional("ID of one of the forum's `[[tracks]]`.", ref="track", since=2)


def _links() -> Any:
    return listing("Recordings, slides, papers and other pages about the record.", since=2)


@dataclass(frozen=True, slots=True, kw_only=True)
class Validation:
    """`[validate]` in forumctl.toml: which rules validate reports, as in ruff's settings."""

    KIND: ClassVar[str] = "validate"
    select: tuple[str, ...] = listing(
        "Rule codes or prefixes (`FC503`, `FC5`) to report; absent: every rule. `--select`"
        " replaces it.",
        fmt="rule_code",
    )
    ignore: tuple[str, ...] = listing(
        "Rule codes or prefixes not to report. `--ignore` adds to it.", fmt="rule_code"
    )
    per_file_ignores: dict[str, tuple[str, ...]] = mapping(
        "Glob to the rule codes or prefixes not reported in the files it matches:"
        ' `"forums/*/sessions/*.toml" = ["FC503"]`. Globs are relative to the archive'
        " root; `*` matches any characters, `/` included, as ruff's do; a glob without"
        " `/` also matches a file's name in any directory.",
        fmt="rule_code",
        keys_fmt="glob",
        key="per-file-ignores",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    """`forumctl.toml` at the root of an archive."""

    KIND: ClassVar[str] = "manifest"
    format: int = required("Archive format version; this program reads formats 1 and 2.")
    name: str = required("Name of the archive.")
    description: str | None = optional("What the archive holds (Markdown).")
    timezone: str | None = optional(
        "IANA timezone name, the default for forums that give none.", fmt="timezone"
    )
    language: str | None = optional("BCP 47 language tag, the default for text.", fmt="language")
    validate: Validation | None = optional(
        "Which rules `forumctl validate` reports: `select`, `ignore`, `per-file-ignores`.",
        since=2,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """Something a forum produced: a publication, an organization founded, a declaration."""

    KIND: ClassVar[str] = "outcome"
    kind: OutcomeKind = required("What kind of outcome.")
    title: str = required("Title or name of the outcome.")
    summary: str | None = optional("Short description (Markdown).")


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A published report the record is based on."""

    KIND: ClassVar[str] = "source"
    id: str | None = optional("Slug that quotes name in `source`.", fmt="slug", since=2)
    title: str = required("Title of the report.")
    publisher: str | None = optional("Who published it.")
    date: dt.date | None = optional("Publication date.")
    authors: tuple[str, ...] = listing("Authors or reporters, as printed.")
    url: str | None = optional("Where it can be read (http or https).", fmt="url")


@dataclass(frozen=True, slots=True, kw_only=True)
class Track:
    """A track of the programme (a theme or a stream of sessions)."""

    KIND: ClassVar[str] = "track"
    id: str = required("Slug that sessions and talks name in `track`.", fmt="slug")
    name: str = required("Name of the track.")
    color: str | None = optional("Colour as `#rrggbb` (frab and the site show it).", fmt="color")


@dataclass(frozen=True, slots=True, kw_only=True)
class Translation:
    """The text of a forum, session or talk in another language."""

    KIND: ClassVar[str] = "translation"
    title: str | None = optional("Title in that language.")
    subtitle: str | None = optional("Subtitle in that language.")
    abstract: str | None = optional("Abstract in that language (Markdown).")
    summary: str | None = optional("Summary in that language (Markdown).")


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A page about a session or talk: its recording, slides, paper."""

    KIND: ClassVar[str] = "link"
    kind: LinkKind = required("What the link leads to.")
    url: str = required("Where (http or https).", fmt="url")
    title: str | None = optional("Title of the linked page or file.")
    language: str | None = optional("BCP 47 language tag of what it leads to.", fmt="language")
    license: str | None = optional(
        "SPDX license identifier (or expression) of what it leads to, e.g. `CC-BY-4.0`.",
        fmt="spdx",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A quotation with where it comes from (format 2; a plain string is a quote too)."""

    KIND: ClassVar[str] = "quote"
    text: str = required("The quotation, verbatim, in the record's language.")
    original: str | None = optional(
        "The quotation in the speaker's own words, when `text` is a translation."
    )
    language: str | None = optional(
        "BCP 47 language tag the quote was spoken in (that of `original`, else of `text`).",
        fmt="language",
    )
    source: str | None = optional("The `id` of the forum's source that prints it.", ref="source")


@dataclass(frozen=True, slots=True, kw_only=True)
class Forum:
    """`forums/<forum-id>/forum.toml`: one forum, conference or annual meeting."""

    KIND: ClassVar[str] = "forum"
    title: str = required("Title of the forum.")
    series: str | None = optional("The series it belongs to, e.g. an annual conference.")
    edition: int | None = optional("Edition number within the series.")
    kind: str | None = optional('Free text, e.g. "high-level forum".')
    start: dt.date = required("First day (a TOML local date).")
    end: dt.date = required("Last day (a TOML local date), not before start.")
    city: str | None = optional("City where it was held.")
    venue: str | None = optional("Venue where it was held.")
    timezone: str | None = optional(
        "IANA timezone name of session times; defaults to the manifest's.", fmt="timezone"
    )
    language: str | None = _language()
    url: str | None = _url()
    doi: str | None = _doi()
    organizers: tuple[str, ...] = listing("Organizing bodies, as printed.")
    tags: tuple[str, ...] = listing("Free keywords for filtering.")
    summary: str | None = optional("What the forum was about (Markdown).")
    uid: str | None = _uid()
    former_ids: tuple[str, ...] = _former_ids()
    ids: dict[str, str] = _ids()
    translations: dict[str, Translation] = _translations()
    tracks: tuple[Track, ...] = listing("The tracks of the programme.", since=2)
    outcomes: tuple[Outcome, ...] = listing("What the forum produced.")
    sources: tuple[Source, ...] = listing("Reports the record is based on.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Talk:
    """One contribution within a session: a speech, a report, a panel statement."""

    KIND: ClassVar[str] = "talk"
    speakers: tuple[str, ...] = required("Speaker IDs, at least one.", ref="speaker", min_items=1)
    title: str | None = optional("Title of the talk, when it had one.")
    subtitle: str | None = _subtitle()
    abstract: str | None = _abstract()
    summary: str | None = optional("What was said (Markdown).")
    language: str | None = _language()
    track: str | None = _track()
    start: dt.time | None = optional(
        "Start time (TOML local time) within its session's day and times.", since=2
    )
    end: dt.time | None = optional("End time (TOML local time), after start.", since=2)
    status: Status | None = _status()
    url: str | None = _url()
    doi: str | None = _doi()
    authors: tuple[str, ...] = listing(
        "Speaker IDs of co-authors who did not speak.", ref="speaker", since=2
    )
    quotes: tuple[str | Quote, ...] = listing(
        "Direct quotations, verbatim: strings, or (format 2) tables"
        " `{ text, original, language, source }`.",
        tables_since=2,
    )
    affiliations: dict[str, str] = mapping(
        "Speaker ID to the affiliation printed for this talk, when it differs from the"
        " speaker file.",
        ref="speaker",
    )
    uid: str | None = _uid()
    former_ids: tuple[str, ...] = _former_ids()
    ids: dict[str, str] = _ids()
    translations: dict[str, Translation] = _translations()
    links: tuple[Link, ...] = _links()


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    """`forums/<forum-id>/sessions/<session-id>.toml`: one session with its talks."""

    KIND: ClassVar[str] = "session"
    title: str = required("Title of the session.")
    subtitle: str | None = _subtitle()
    abstract: str | None = _abstract()
    kind: SessionKind | None = optional(
        "What kind of session (`break` and `social` sessions need no talks).",
        values_since=NEWER_SESSION_KINDS,
    )
    status: Status | None = _status()
    order: int | None = optional("Position in the programme when there are no times.")
    date: dt.date | None = optional("Day of the session; may be left out for a one-day forum.")
    end_date: dt.date | None = optional(
        "Day the session ends when that is after `date` (e.g. past midnight).", since=2
    )
    start: dt.time | None = optional("Start time (TOML local time, forum's timezone).")
    end: dt.time | None = optional("End time (TOML local time), after start.")
    room: str | None = optional("Room or hall.")
    track: str | None = _track()
    language: str | None = _language()
    url: str | None = _url()
    doi: str | None = _doi()
    chairs: tuple[str, ...] = listing("Speaker IDs of the chairs.", ref="speaker")
    summary: str | None = optional("What the session was about (Markdown).")
    uid: str | None = _uid()
    former_ids: tuple[str, ...] = _former_ids()
    ids: dict[str, str] = _ids()
    translations: dict[str, Translation] = _translations()
    links: tuple[Link, ...] = _links()
    talks: tuple[Talk, ...] = listing("The talks, in programme order.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Affiliation:
    """A position a speaker held."""

    KIND: ClassVar[str] = "affiliation"
    organization: str = required("Organization, as printed.")
    role: str | None = optional("Role or title held there.")
    since: dt.date | None = optional("First day in this position, when known.")
    until: dt.date | None = optional("Last day in this position, when known.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Speaker:
    """`speakers/<speaker-id>.toml`: one person."""

    KIND: ClassVar[str] = "speaker"
    name: str = required("Name as usually printed in the archive's language.")
    name_original: str | None = optional("The name in its own script.")
    aliases: tuple[str, ...] = listing(
        "Other spellings and transliterations of the name (search and the duplicate rule"
        " use them).",
        since=2,
        flag="--alias",
    )
    sort_name: str | None = optional("Key to sort by, e.g. family name first.")
    bio: str | None = optional("Short biography (Markdown).")
    uid: str | None = _uid()
    former_ids: tuple[str, ...] = _former_ids()
    links: dict[str, str] = mapping(
        "`orcid` (checked) and any other name mapping to an http(s) URL, e.g. `website`.",
        fmt="links",
    )
    ids: dict[str, str] = _ids()
    affiliations: tuple[Affiliation, ...] = listing("Positions held, newest first.")


Record = Manifest | Forum | Session | Speaker
RECORD_TYPES: dict[str, type[Any]] = {cls.KIND: cls for cls in (Manifest, Forum, Session, Speaker)}


def session_day(session: Session, forum: Forum | None) -> dt.date | None:
    """The day of a session: its own date, else the day of a one-day forum, else unknown."""
    if session.date is not None:
        return session.date
    if forum is not None and forum.start == forum.end:
        return forum.start
    return None


# Dates outside these are typing errors (0001-01-01, 9999-12-31), and too near the ends
# of the calendar for exports that count days past them (iCalendar's day after, the
# year of timezone rules around a forum): validate reports them, exports refuse them.
def session_span(session: Session, day: dt.date) -> tuple[dt.datetime, dt.datetime | None]:
    """Local start and end (None without an end) of a timed session on ``day``; the end
    is on ``end_date`` when the session has one (past midnight)."""
    assert session.start is not None
    start = dt.datetime.combine(day, session.start)
    if session.end is None:
        return start, None
    return start, dt.datetime.combine(session.end_date or day, session.end)


def talk_span(
    session: Session, talk: Talk, day: dt.date
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Local start and end of a talk with times of its own: on its session's day, or on
    the session's ``end_date`` for a time before the session's start (past midnight)."""

    def at(time: dt.time | None) -> dt.datetime | None:
        if time is None:
            return None
        on = day
        if session.end_date is not None and session.start is not None and time < session.start:
            on = session.end_date  # past midnight
        return dt.datetime.combine(on, time)

    return at(talk.start), at(talk.end)


def as_scheduled(item: Session | Talk) -> bool:
    """Whether a session or talk takes place as scheduled: one with a ``status``
    (cancelled, postponed, withdrawn) is kept and shown, but takes nobody's time."""
    return item.status is None


EARLIEST_DATE = dt.date(1000, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)


def plausible_date(day: dt.date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


@functools.cache
def timezone_named(name: str) -> dt.tzinfo | None:
    """The IANA timezone of that name (fields with fmt "timezone"), or None if unknown."""
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a directory of the tz database ("America"), a name too long for a file
        return None


def timezone_suggestion(name: str) -> str:
    """The hint for an unknown timezone: "did you mean 'Asia/Shanghai'?" when one is
    close, else an example."""
    import zoneinfo

    from forumctl.suggest import close_matches, did_you_mean_of

    # a region alone ("America") is no spelling of one of its cities
    found = close_matches(name, sorted(zoneinfo.available_timezones()), limit=3)
    found = [zone for zone in found if not zone.startswith(name + "/")][:1]
    return did_you_mean_of(found) or "e.g. Asia/Shanghai"


def choice_message(name: str, value: str, choices: Sequence[str]) -> str:
    """What a value outside its choices is told: the close choice first, then all."""
    from forumctl.suggest import did_you_mean

    hint = did_you_mean(value, choices)
    listed = ", ".join(choices)
    if hint:
        return f"'{name}' is {value!r}; {hint} (one of {listed})"
    return f"'{name}' is {value!r}; expected one of {listed}"


# ---------------------------------------------------------------------------
# Field specs derived from the dataclasses

# "record": one table (the manifest's [validate]); "record_map": a table of tables
# (translations); "text_or_records": a list whose items are strings or tables (quotes);
# "str_list_map": a table of lists of strings (per-file-ignores)
Shape = Literal[
    "str", "int", "date", "time", "str_list", "str_map", "str_list_map", "record", "records",
    "record_map", "text_or_records",
]  # fmt: skip
TABLE_SHAPES: tuple[Shape, ...] = ("record", "records", "record_map", "text_or_records")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    shape: Shape
    required: bool
    doc: str
    enum: tuple[str, ...] | None = None
    record: type[Any] | None = None  # item type of a "records", "record_map" ... field
    ref: str | None = None
    fmt: str | None = None
    min_items: int = 0
    since: int = 1  # the first archive format with this key
    by_hand: bool = True  # False: written by forumctl only (no flag of `new`)
    flag: str | None = None  # the option of `new`, when not the one made from the name
    values_since: tuple[tuple[str, int], ...] = ()  # enum values added after format 1
    tables_since: int = 1  # "text_or_records": the first format whose items may be tables
    key: str = ""  # the TOML key: the name, or per-file-ignores for per_file_ignores
    keys_fmt: str | None = None  # the format of a table's keys (per-file-ignores: globs)

    def value_since(self, value: object) -> int:
        """The first format with this value of an enum field (1 for any other value)."""
        return next((since for known, since in self.values_since if known == value), 1)

    def enum_in(self, version: int) -> tuple[str, ...] | None:
        """The enum values format ``version`` has."""
        if self.enum is None:
            return None
        return tuple(v for v in self.enum if self.value_since(v) <= version)


_SCALAR_SHAPES: dict[Any, Shape] = {str: "str", int: "int", dt.date: "date", dt.time: "time"}


def _shape_of(hint: Any) -> tuple[Shape, tuple[str, ...] | None, type[Any] | None]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _shape_of(inner)
    if origin is Literal:
        return "str", tuple(typing.get_args(hint)), None
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if item is str:
            return "str_list", None, None
        if typing.get_origin(item) in (typing.Union, types.UnionType):
            (record,) = [arg for arg in typing.get_args(item) if arg is not str]
            return "text_or_records", None, record
        return "records", None, item
    if origin is dict:
        value = typing.get_args(hint)[1]
        if value is str:
            return "str_map", None, None
        if typing.get_origin(value) is tuple:
            return "str_list_map", None, None
        return "record_map", None, value
    if dataclasses.is_dataclass(hint):
        return "record", None, hint  # type: ignore[return-value]
    return _SCALAR_SHAPES[hint], None, None


def _specs(cls: type[Any]) -> tuple[FieldSpec, ...]:
    specs = []
    for f in dataclasses.fields(cls):  # no `from __future__ import annotations` here, so
        shape, enum, record = _shape_of(f.type)  # f.type is the type itself: no eval at start-up
        is_required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        specs.append(
            FieldSpec(
                name=f.name,
                shape=shape,
                required=is_required,
                doc=f.metadata["doc"],
                enum=enum,
                record=record,
                ref=f.metadata["ref"],
                fmt=f.metadata["fmt"],
                min_items=f.metadata["min_items"],
                since=f.metadata["since"],
                by_hand=f.metadata["by_hand"],
                flag=f.metadata["flag"],
                values_since=tuple(f.metadata["values_since"].items()),
                tables_since=f.metadata["tables_since"],
                key=f.metadata["key"] or f.name,
                keys_fmt=f.metadata["keys_fmt"],
            )
        )
    return tuple(specs)


ALL_TYPES: tuple[type[Any], ...] = (
    Validation, Manifest, Forum, Outcome, Source, Track, Translation, Link, Quote, Session, Talk,
    Speaker, Affiliation,
)  # fmt: skip
FIELDS: dict[type[Any], tuple[FieldSpec, ...]] = {cls: _specs(cls) for cls in ALL_TYPES}
_FIELD_BY_KEY: dict[type[Any], dict[str, FieldSpec]] = {
    cls: {spec.key: spec for spec in specs} for cls, specs in FIELDS.items()
}


KeyPath = tuple[str | int, ...]


_COLLECTIONS = ("str_list", "str_map", "str_list_map", "records", "record_map", "text_or_records")


def fields_in(cls: type[Any], version: int) -> tuple[FieldSpec, ...]:
    """The fields of ``cls`` that archive format ``version`` has."""
    return tuple(spec for spec in FIELDS[cls] if spec.since <= version)


def newer_values(
    record: Any, version: int, path: KeyPath = ()
) -> Iterator[tuple[KeyPath, FieldSpec]]:
    """(key path, field) of every value the record sets that format ``version`` does not
    have, nested records included: what a format-1 archive must not hold."""
    for spec in _fields_newer_than(type(record), version):
        value = getattr(record, spec.name)
        if value is None or (spec.shape in _COLLECTIONS and not value):
            continue
        if spec.since > version or spec.value_since(value) > version:
            yield (*path, spec.key), spec
        elif spec.shape == "record":
            yield from newer_values(value, version, (*path, spec.key))
        elif spec.shape == "records":
            for i, item in enumerate(value):
                yield from newer_values(item, version, (*path, spec.key, i))
        elif spec.shape == "text_or_records":
            for i, item in enumerate(value):
                if not isinstance(item, str) and spec.tables_since > version:
                    yield (*path, spec.key, i), spec


_NEWER_FIELDS: dict[tuple[type[Any], int], tuple[FieldSpec, ...]] = {}


def _fields_newer_than(cls: type[Any], version: int) -> tuple[FieldSpec, ...]:
    """The fields of ``cls`` that may hold a key or value format ``version`` lacks, or
    records that may: the only ones :func:`newer_values` need look at (98,051 records on
    M, most of whose fields every format has)."""
    found = _NEWER_FIELDS.get((cls, version))
    if found is None:
        found = _NEWER_FIELDS[cls, version] = tuple(
            spec
            for spec in FIELDS[cls]
            if spec.since > version
            or any(since > version for _, since in spec.values_since)
            or (spec.shape == "text_or_records" and spec.tables_since > version)
            or (
                spec.shape in ("record", "records")
                and spec.record is not None
                and _fields_newer_than(spec.record, version)
            )
        )
    return found


# ---------------------------------------------------------------------------
# Loading


@dataclass(frozen=True, slots=True)
class Problem:
    """A schema-level defect of one record, located by its key path inside the file."""

    keypath: KeyPath
    code: str
    message: str


_TYPE_NAMES: dict[Shape, str] = {
    "str": "a string",
    "int": "an integer",
    "date": "a date (e.g. 2020-12-12, unquoted)",
    "time": "a local time (e.g. 09:30:00, unquoted)",
    "str_list": "a list of strings",
    "str_map": "a table of strings",
    "str_list_map": "a table of lists of strings",
    "record": "a table",
    "records": "an array of tables",
    "record_map": "a table of tables",
    "text_or_records": "a list of strings and tables",
}


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dt.datetime):
        return "a date-time"
    for shape, python_type in (("date", dt.date), ("time", dt.time)):
        if isinstance(value, python_type):
            return _TYPE_NAMES[shape]  # type: ignore[index]
    names = {str: "a string", int: "an integer", float: "a float", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _toml_literal(shape: Shape, value: str) -> str | None:
    """How a quoted date or time is written unquoted in TOML 1.0 (seconds included), or
    None when the string is no date or time at all."""
    parse = dt.date.fromisoformat if shape == "date" else dt.time.fromisoformat
    try:
        return parse(value).isoformat()
    except ValueError:
        return None


def _check_value(
    spec: FieldSpec, value: object, path: KeyPath, problems: list[Problem], partial: bool
) -> object | None:
    """The value converted for the dataclass, or None (with a problem) when it is wrong.

    With ``partial``, a list of records keeps its partial items (see :func:`load`)."""
    shape = spec.shape
    if shape == "str":
        if type(value) is str:
            if spec.enum is not None and value not in spec.enum:
                problems.append(
                    Problem(
                        path,
                        NOT_IN_ENUM,
                        choice_message(spec.name, value, spec.enum),
                    )
                )
                return None
            return value
    elif shape == "int":
        if type(value) is int:
            return value
    elif shape in ("date", "time"):
        if shape == "date" and type(value) is dt.date:
            return value
        if shape == "time" and type(value) is dt.time and value.tzinfo is None:
            return value
        literal = _toml_literal(shape, value) if type(value) is str else None
        if literal is not None:
            problems.append(
                Problem(
                    path,
                    DATE_AS_STRING,
                    f"'{spec.name}' is a string; write the {shape} unquoted: {literal}",
                )
            )
            return None
    elif shape == "str_list":
        if type(value) is list:
            return _string_list(spec, spec.key, value, path, problems)
    elif shape == "str_map":
        if type(value) is dict:
            bad_keys = [key for key, item in value.items() if type(item) is not str]
            for key in bad_keys:
                problems.append(
                    Problem(
                        (*path, key),
                        WRONG_TYPE,
                        f"'{spec.name}.{key}' must be a string, not {_describe(value[key])}",
                    )
                )
            return None if bad_keys else dict(value)
    elif shape == "str_list_map":
        if type(value) is dict:
            lists = {key: _string_list(spec, f"{spec.key}.{key}", item, (*path, key), problems)
                     for key, item in value.items()}  # fmt: skip
            return None if None in lists.values() else lists
    elif shape == "record":
        if type(value) is dict:
            assert spec.record is not None
            table: object = _load(spec.record, value, path, problems, partial)
            return table
    elif shape == "record_map":
        if type(value) is dict and all(type(item) is dict for item in value.values()):
            assert spec.record is not None
            loaded = {
                key: _load(spec.record, item, (*path, key), problems, partial)
                for key, item in value.items()
            }
            if not partial and any(item is None for item in loaded.values()):
                return None
            return loaded
    elif shape == "text_or_records":
        if type(value) is list and all(type(item) in (str, dict) for item in value):
            assert spec.record is not None
            record = spec.record
            texts = [
                item if type(item) is str else _load(record, item, (*path, i), problems, partial)
                for i, item in enumerate(value)
            ]
            if not partial and any(item is None for item in texts):
                return None
            return tuple(texts)
        if type(value) is list:
            for i, item in enumerate(value):
                if type(item) not in (str, dict):
                    problems.append(
                        Problem(
                            (*path, i),
                            WRONG_TYPE,
                            f"item {i + 1} of '{spec.name}' must be a string or a table,"
                            f" not {_describe(item)}",
                        )
                    )
            return None
    elif type(value) is list and all(type(item) is dict for item in value):
        assert spec.record is not None
        items = [
            _load(spec.record, item, (*path, i), problems, partial) for i, item in enumerate(value)
        ]
        if not partial and any(item is None for item in items):
            return None
        return tuple(items)
    problems.append(
        Problem(
            path, WRONG_TYPE, f"'{spec.name}' must be {_TYPE_NAMES[shape]}, not {_describe(value)}"
        )
    )
    return None


def _string_list(
    spec: FieldSpec, name: str, value: object, path: KeyPath, problems: list[Problem]
) -> tuple[str, ...] | None:
    """A list of strings (``name`` is the key as the messages give it), or None with the
    problems of its items."""
    if type(value) is not list:
        problems.append(
            Problem(path, WRONG_TYPE, f"'{name}' must be a list of strings, not {_describe(value)}")
        )
        return None
    bad = [i for i, item in enumerate(value) if type(item) is not str]
    for i in bad:
        problems.append(
            Problem(
                (*path, i),
                WRONG_TYPE,
                f"item {i + 1} of '{name}' must be a string, not {_describe(value[i])}",
            )
        )
    if bad:
        return None
    if len(value) < spec.min_items:
        problems.append(Problem(path, EMPTY_LIST, f"'{name}' needs at least {spec.min_items} item"))
        return None
    return tuple(value)


# Per type, field name to the one Python type its value may have to be taken as it is
# (strings without an enum, integers, dates): most values of an archive, loaded without
# a call of _check_value (faster: docs/performance.md).
_AS_IS: dict[type[Any], dict[str, type[Any]]] = {
    cls: {
        spec.name: {"str": str, "int": int, "date": dt.date}[spec.shape]
        for spec in specs
        if spec.shape in ("str", "int", "date") and spec.enum is None and spec.key == spec.name
    }
    for cls, specs in FIELDS.items()
}


def _load(
    cls: type[Any],
    data: Mapping[str, object],
    path: KeyPath,
    problems: list[Problem],
    partial: bool,
) -> Any:
    fields = _FIELD_BY_KEY[cls]
    as_is = _AS_IS[cls]
    values: dict[str, object] = {}
    complete = True
    misspelt: set[str] = set()  # known keys an unknown key is a close match of
    for key, value in data.items():
        if type(value) is as_is.get(key):
            values[key] = value
            continue
        spec = fields.get(key)
        if spec is None:
            misspelt.update(_close_keys(cls, key))
            problems.append(Problem((*path, key), UNKNOWN_KEY, unknown_key_message(cls, key)))
            continue
        checked = _check_value(spec, value, (*path, key), problems, partial)
        if checked is not None:
            values[spec.name] = checked
        elif spec.required:
            complete = False
    for spec in FIELDS[cls]:
        if spec.required and spec.key not in data:
            complete = False
            if spec.name in misspelt:
                continue  # one mistake, one finding: the unknown key's names this key
            problems.append(
                Problem(path, MISSING_KEY, f"missing required key '{spec.name}' in {cls.KIND}")
            )
    if complete:
        return cls(**values)
    if partial:
        return cls(**{spec.name: None for spec in FIELDS[cls] if spec.required} | values)
    return None


def _close_keys(cls: type[Any], key: str) -> list[str]:
    import difflib

    return difflib.get_close_matches(key, [spec.key for spec in FIELDS[cls]], n=1)


def unknown_key_message(cls: type[Any], key: str) -> str:
    known = [spec.key for spec in FIELDS[cls]]
    message = f"unknown key '{key}' in {cls.KIND}"
    close = _close_keys(cls, key)
    if close:
        return f"{message}; did you mean '{close[0]}'?"
    return f"{message}; known keys: {', '.join(known)}"


# Importing msgspec costs more than checking this many documents key by key (about 10 ms
# of a `show` on a small archive, against some 20 us a document): a command that reads a
# few files never imports it (docs/performance.md, "Start-up").
CHECKED_FIRST = 256
_checked = 0


def load(
    cls: type[Any], data: Mapping[str, object], *, partial: bool = False
) -> tuple[Any, list[Problem]]:
    """Check ``data`` (a parsed TOML document) against ``cls``: the record and its problems.

    A valid document takes the fast path (:func:`_load_valid`); anything else goes to
    :func:`check`, which finds every problem. Both give the same answer for every input,
    so the first :data:`CHECKED_FIRST` documents of a process go to the checker alone.
    """
    global _checked
    if _checked < CHECKED_FIRST:
        _checked += 1
        return check(cls, data, partial=partial)
    record = _load_valid(cls, data)
    if record is not None:
        return record, []
    return check(cls, data, partial=partial)


def check(
    cls: type[Any], data: Mapping[str, object], *, partial: bool = False
) -> tuple[Any, list[Problem]]:
    """Check ``data`` key by key against ``cls``, reporting every problem with its key path.

    Returns the record (None when a required field is missing or wrong) and every
    problem found; the record is built from the valid fields even when optional ones
    are wrong, so that cross-record checks can still use it.

    With ``partial``, the record is built whatever its problems, for checks that must
    see everything (validate): a required field that is missing or wrong is None, and
    a list of records keeps every item, partial ones included. Such a record breaks the
    types its class declares: never hand it to code that expects a valid one.
    """
    problems: list[Problem] = []
    record = _load(cls, data, (), problems, partial)
    return record, problems


# The fast path of records.load: every valid file takes it. msgspec builds the dataclass
# in C, several times faster than the checker below (docs/performance.md); a walk over
# the keys checks what msgspec does not (unknown keys, minimum list lengths, times without
# an offset). A file msgspec or the walk rejects goes to the checker, which reports every
# problem with its key path, so the fast path never changes a finding.
# (only keys that are the field's name: msgspec knows no other, so a file holding a key
# such as per-file-ignores goes to the checker)
_KNOWN_KEYS: dict[type[Any], frozenset[str]] = {
    cls: frozenset(spec.name for spec in specs if spec.key == spec.name)
    for cls, specs in FIELDS.items()
}
_WALKED: dict[type[Any], tuple[FieldSpec, ...]] = {
    cls: tuple(spec for spec in specs if spec.shape in (*TABLE_SHAPES, "time") or spec.min_items)
    for cls, specs in FIELDS.items()
}
# TOML gives dates and times as objects: a string where one is due is a finding (FC201)
_NOT_PARSED_FROM_STRINGS = (dt.date, dt.time, dt.datetime)


def _known_keys_and_lengths(cls: type[Any], data: Mapping[str, Any]) -> bool:
    if not data.keys() <= _KNOWN_KEYS[cls]:
        return False
    for spec in _WALKED[cls]:
        value = data.get(spec.name)
        if value is None:
            continue
        if spec.shape == "time":
            if value.tzinfo is not None:
                return False
            continue
        if len(value) < spec.min_items:
            return False
        if spec.record is None:
            continue
        if spec.shape == "record":
            items = (value,)
        else:
            items = value.values() if spec.shape == "record_map" else value
        if not all(
            type(item) is not dict or _known_keys_and_lengths(spec.record, item) for item in items
        ):
            return False
    return True


def _load_valid(cls: type[Any], data: Mapping[str, object]) -> Any:
    """The record when ``data`` is valid as it stands, else None (then the checker runs)."""
    import msgspec

    try:
        record = msgspec.convert(data, cls, strict=True, builtin_types=_NOT_PARSED_FROM_STRINGS)
    except msgspec.ValidationError:
        return None
    return record if _known_keys_and_lengths(cls, data) else None


# ---------------------------------------------------------------------------
# Dumping (to plain data in canonical key order)


def to_data(record: Any, leave_out: str | None = None) -> dict[str, object]:
    """The record as a dict in canonical key order, leaving out unset optional fields
    (and the field ``leave_out``, which the caller writes its own way)."""
    data: dict[str, object] = {}
    for spec in FIELDS[type(record)]:
        if spec.name == leave_out:
            continue
        value = getattr(record, spec.name)
        if value is None or (spec.shape in _COLLECTIONS and not value):
            continue
        if spec.shape == "record":
            data[spec.key] = to_data(value)
        elif spec.shape == "records":
            data[spec.key] = [to_data(item) for item in value]
        elif spec.shape == "text_or_records":
            data[spec.key] = [item if isinstance(item, str) else to_data(item) for item in value]
        elif spec.shape == "record_map":
            data[spec.key] = {key: to_data(item) for key, item in sorted(value.items())}
        elif spec.shape == "str_list":
            data[spec.key] = list(value)
        elif spec.shape == "str_list_map":
            data[spec.key] = {key: list(item) for key, item in value.items()}
        elif spec.shape == "str_map":
            data[spec.key] = dict(sorted(value.items()))
        else:
            data[spec.key] = value
    return data
