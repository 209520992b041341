"""Value formats named by a field's ``fmt`` in records.FIELDS: timezones, URLs, links
(ORCID iDs with their check digit, other links http(s) URLs), UUIDs, slugs, colours,
language tags (and a translation's tag against the record's own language), DOIs and SPDX
license identifiers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from forumctl import schema, standards
from forumctl.identity import parse_uid
from forumctl.records import FIELDS, FieldSpec, KeyPath, timezone_named, timezone_suggestion
from forumctl.slugs import is_slug
from forumctl.standards import orcid_id
from forumctl.textsafe import first_control, has_control
from forumctl.validate import rules
from forumctl.validate.findings import Issue
from forumctl.validate.index import ArchiveIndex, record_as_read
from forumctl.validate.settings import code_problem, glob_problem

HTTP_URL = re.compile(schema.HTTP_PATTERN)


def _names_formats(cls: type[Any]) -> tuple[FieldSpec, ...]:
    """The fields of a record type that name a format or hold records that may."""
    return tuple(
        spec
        for spec in FIELDS[cls]
        if spec.fmt is not None or (spec.record is not None and _names_formats(spec.record))
    )


_FORMAT_FIELDS = {cls: _names_formats(cls) for cls in FIELDS}


def formatted_values(record: Any, keypath: KeyPath = ()) -> Iterator[tuple[KeyPath, str, str]]:
    """(key path, fmt, value) of every value in the record whose field names a format;
    for a table of tables (translations) the keys are the values."""
    for spec in _FORMAT_FIELDS[type(record)]:
        value = getattr(record, spec.name)
        if spec.shape == "record":
            if value is not None:
                yield from formatted_values(value, (*keypath, spec.key))
        elif spec.shape in ("records", "text_or_records"):
            for i, item in enumerate(value):
                if not isinstance(item, str):
                    yield from formatted_values(item, (*keypath, spec.name, i))
        elif spec.shape == "str_list" and spec.fmt is not None:
            for i, item in enumerate(value or ()):
                yield (*keypath, spec.key, i), spec.fmt, item
        elif spec.shape == "str_list_map":
            for key, items in (value or {}).items():
                if spec.keys_fmt is not None:
                    yield (*keypath, spec.key, key), spec.keys_fmt, key
                if spec.fmt is not None:
                    for i, item in enumerate(items):
                        yield (*keypath, spec.key, key, i), spec.fmt, item
        elif spec.shape == "record_map":
            for key, item in value.items():
                if spec.fmt is not None:
                    yield (*keypath, spec.name, key), spec.fmt, key
                yield from formatted_values(item, (*keypath, spec.name, key))
        elif spec.fmt is not None and value:
            if spec.shape == "str_map":
                for key, item in value.items():
                    yield (*keypath, spec.name, key), spec.fmt, item
            else:
                yield (*keypath, spec.name), spec.fmt, value


_TEXT_SHAPES = ("str", "str_list", "str_map", "records", "record_map", "text_or_records")


def text_values(record: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """(key path, text) of every string in the record, at any depth."""
    for spec in FIELDS[type(record)]:
        if spec.shape not in _TEXT_SHAPES:
            continue
        value = getattr(record, spec.name)
        if not value:
            continue
        if spec.shape == "str" and isinstance(value, str):
            yield (*path, spec.name), value
        elif spec.shape == "str_list":
            for i, item in enumerate(value):
                yield (*path, spec.name, i), item
        elif spec.shape == "str_map":
            for key, item in value.items():
                yield (*path, spec.name, key), item
        elif spec.shape == "record_map":
            for key, item in value.items():
                yield from text_values(item, (*path, spec.name, key))
        else:  # records, or strings and records (quotes)
            for i, item in enumerate(value):
                if isinstance(item, str):
                    yield (*path, spec.name, i), item
                else:
                    yield from text_values(item, (*path, spec.name, i))


def _control_characters(rel: str, record: Any) -> Iterator[Issue]:
    for path, text in text_values(record):
        if text.isprintable() or not has_control(text):  # the first test is the usual answer
            continue
        key = ".".join(str(part) for part in path if isinstance(part, str))
        yield Issue(
            rel,
            path,
            rules.CONTROL_CHARACTER,
            f"'{key}' holds the control character {first_control(text)}; terminals would"
            " run it, XML and iCalendar exports replace it with U+FFFD: remove it",
        )


# fmt to (rule, the function that says what is wrong with a value, or None)
_STANDARD_FORMATS: dict[str, tuple[str, Callable[[str], str | None]]] = {
    "language": (rules.BAD_LANGUAGE, standards.language_problem),
    "language_keys": (rules.BAD_LANGUAGE, standards.language_problem),
    "doi": (rules.BAD_DOI, standards.doi_problem),
    "spdx": (rules.BAD_LICENSE, standards.license_problem),
    "color": (rules.BAD_COLOR, standards.color_problem),
    "slug": (rules.NOT_A_SLUG, lambda value: None if is_slug(value) else "not a slug"),
    "rule_code": (rules.UNKNOWN_RULE_CODE, code_problem),
    "glob": (rules.BAD_GLOB, glob_problem),
}


# formats of table keys, to the words that name such a key in a message
_KEY_FORMATS = {"language_keys": "translation", "glob": "per-file-ignores glob"}


def check_formats(index: ArchiveIndex) -> Iterator[Issue]:
    for loaded in index.files():
        record = record_as_read(loaded)
        if record is None:
            continue
        yield from _control_characters(loaded.rel, record)
        language_keys: list[KeyPath] = []  # of the translations tables, valid tags only
        for path, fmt, value in formatted_values(record):
            key = ".".join(str(part) for part in path if isinstance(part, str))
            if fmt in _STANDARD_FORMATS:
                code, problem_of = _STANDARD_FORMATS[fmt]
                problem = problem_of(value)
                if problem is not None:
                    if fmt in _KEY_FORMATS:  # the value is the key: say what it is a key of
                        what = f"{_KEY_FORMATS[fmt]} {value!r}"
                    else:
                        what = f"'{key}' is {value!r}"
                    yield Issue(loaded.rel, path, code, f"{what}: {problem}")
                elif fmt == "language_keys":
                    language_keys.append(path)
                continue
            if fmt == "timezone" and not timezone_named(value):
                yield Issue(
                    loaded.rel,
                    path,
                    rules.UNKNOWN_TIMEZONE,
                    f"'{key}' is {value!r}, not an IANA timezone name;"
                    f" {timezone_suggestion(value)}",
                )
            elif fmt == "links" and path[-1] == "orcid":
                if orcid_id(value) is None:
                    yield Issue(
                        loaded.rel,
                        path,
                        rules.BAD_ORCID,
                        f"'{key}' is {value!r}, not a valid ORCID iD"
                        " (16 digits as 0000-0000-0000-000X with a correct check digit)",
                    )
            elif fmt == "uuid" and parse_uid(value) is None:
                yield Issue(loaded.rel, path, rules.BAD_UID, f"'{key}' is {value!r}, not a UUID")
            elif fmt in ("links", "url") and not HTTP_URL.match(value):
                yield Issue(
                    loaded.rel,
                    path,
                    rules.NOT_HTTP_URL,
                    f"'{key}' is {value!r}, not an http(s) URL; write it as https://...",
                )
        yield from _same_language_twice(loaded.rel, language_keys)


def _same_language_twice(rel: str, paths: list[KeyPath]) -> Iterator[Issue]:
    """FC703: two translations of one record (the same table) under tags that name one
    language (BCP 47 tags ignore case: `de` and `DE`; a tag and its registered replacement:
    `iw` and `he`), at the later of the two."""
    for n, path in enumerate(paths):
        tag = str(path[-1])
        for earlier in paths[:n]:
            if earlier[:-1] == path[:-1] and standards.same_language(str(earlier[-1]), tag):
                yield Issue(
                    rel,
                    path,
                    rules.SAME_LANGUAGE_TWICE,
                    f"translations {earlier[-1]!r} and {tag!r} name one language: merge"
                    " them into one",
                )
                break


def own_languages(index: ArchiveIndex) -> Iterator[tuple[str, KeyPath, str | None, Any]]:
    """(file, key path, language, record) of every forum, session and talk: its own
    ``language``, else that of what holds it (talk, session, forum, manifest), the
    language its own text is in."""
    manifest = record_as_read(index.manifest)
    default = getattr(manifest, "language", None)
    forum_languages = {}
    for forum_id, loaded in index.forums.items():
        forum = record_as_read(loaded)
        if forum is not None:
            forum_languages[forum_id] = forum.language or default
            yield loaded.rel, (), forum.language or default, forum
    for forum_id, _, loaded, session in index.valid_sessions():
        session_language = session.language or forum_languages.get(forum_id, default)
        yield loaded.rel, (), session_language, session
        for t, talk in enumerate(session.talks):
            yield loaded.rel, ("talks", t), talk.language or session_language, talk


def check_translations(index: ArchiveIndex) -> Iterator[Issue]:
    """FC702: a translation into the language the record is written in."""
    for rel, path, language, record in own_languages(index):
        if not record.translations:  # most records: no tag to look up (langcodes is slow to load)
            continue
        if language is None or standards.language_problem(language) is not None:
            continue
        for tag in record.translations:
            if standards.language_problem(tag) is None and standards.same_language(tag, language):
                yield Issue(
                    rel,
                    (*path, "translations", tag),
                    rules.TRANSLATION_IN_OWN_LANGUAGE,
                    f"translation {tag!r} is in the record's own language ({language}); put"
                    " its text in the record's own keys, or set the record's language",
                )
