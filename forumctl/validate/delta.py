"""What a change does to the findings: the error findings it adds.

A change is refused when the archive after it has an error finding the archive before it
did not have (findings already there do not block it). Findings are compared by file,
rule and message, not position: an edit moves lines, not findings.

Validating the whole archive twice would cost more than the edit, so both sides are
validated over the same *scope*: the records that a rule evaluation involving a changed
record can read. Every finding that differs between before and after comes from such an
evaluation, and every other finding in the scope is the same on both sides, so the
difference, and with it the verdict, is what a full validate of both sides gives
(tests/test_validate_delta.py checks that equivalence on random changes).

- Rules about one file alone (syntax, schema, format keys, file names, value formats)
  read only the changed files.
- The other rules read a scope: the changed records, before and after; every speaker's
  ID (references must resolve, and suggest the IDs there are); the forum of every session
  in scope; every session of a changed forum (dates, timezone, tracks), and of the forum
  of a session whose room or times change (one room at one time); every session naming a
  person whose taking part changes, or who takes part in a session whose times change
  (one person in two places at once; references to a speaker created or removed).
- A changed speaker brings the speakers that share a name or an ORCID iD with it, and
  those sharing one with them (the duplicate rules report each against the first of its
  group, and one pair once): their keys come from the parse cache's index
  (``Archive.person_keys``), so that the other speakers' files are not read.

A change to the manifest (timezone, format) can change any finding: it is validated whole.

What validate would not report does not block a change either: the manifest's
``[validate]`` table (as the change leaves it) and the suppression comments of the file
as the change writes it.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

from forumctl.archive import MANIFEST, Archive, record_at
from forumctl.errors import InvalidRecord
from forumctl.identity import person_keys
from forumctl.loading import LoadedFile, loaded_from_content
from forumctl.records import RECORD_TYPES
from forumctl.references import referred_ids
from forumctl.toml_io import locate, read_text
from forumctl.validate import FAMILIES, files, formats
from forumctl.validate.findings import Finding, Issue
from forumctl.validate.index import ArchiveIndex, record_as_read
from forumctl.validate.rules import RULES
from forumctl.validate.schedule import taking_part
from forumctl.validate.settings import Settings
from forumctl.validate.suppression import ignored_codes, silenced

# Misplaced files are about the directory tree, which a change writes only at record paths.
_RULE_FAMILIES = tuple(family for family in FAMILIES if family is not files.check_places)
# The rules that read one file at a time: a file the change leaves alone gives them the
# same findings before and after.
_OWN_FILE = (files.check_loading, files.check_versions, files.check_names, formats.check_formats)
_ACROSS = tuple(family for family in _RULE_FAMILIES if family not in _OWN_FILE)

Key = tuple[str, str, str]  # file, rule code, message
Families = tuple[Callable[[ArchiveIndex], Iterator[Issue]], ...]


def added_errors(
    archive: Archive,
    changed: Mapping[str, str | bytes | None],
    *,
    whole: bool = False,
    created: Collection[str] = (),
) -> list[Finding]:
    """The error findings the archive would have after writing ``changed`` (path to new
    text, bytes for a file moved as it is, None for a removed file) that it does not have
    now, located in the new text. ``created`` names the files of ``changed`` known to be
    absent now (the change found them so), which are then not looked for.
    ``whole`` validates the whole archive on both sides (the reference for the scope)."""
    after_files: dict[str, LoadedFile | None] = {}
    for rel, text in changed.items():
        found = record_at(rel)
        if found is None:
            continue  # no record (a .gitignore, a schema): no rule reads it
        cls = RECORD_TYPES[found[0]]
        after_files[rel] = None if text is None else loaded_from_content(rel, cls, text)
    if not after_files:
        return []
    sides: list[tuple[Families, ArchiveIndex]] = []
    if whole or MANIFEST in after_files:
        sides.append((_RULE_FAMILIES, ArchiveIndex.read(archive)))
    else:
        before_files = {
            rel: None if rel in created else _before(archive, rel) for rel in after_files
        }
        sides.append((_OWN_FILE, _own(archive, before_files)))
        sides.append((_ACROSS, _scope(archive, after_files, before_files)))
    had = Counter(_key(issue) for families, before in sides for issue in _errors(families, before))
    added: list[Issue] = []
    for families, before in sides:
        for issue in _errors(families, _overlay(before, after_files)):
            key = _key(issue)
            if had[key]:
                had[key] -= 1
            else:
                added.append(issue)
    manifest = record_as_read(after_files.get(MANIFEST) or archive.manifest_file)
    settings = Settings.of(getattr(manifest, "validate", None))
    return sorted(_located(archive, changed, settings, added))


def _errors(families: Families, index: ArchiveIndex) -> Iterable[Issue]:
    for family in families:
        for issue in family(index):
            if RULES[issue.code].severity == "error":
                yield issue


def _key(issue: Issue) -> Key:
    return issue.rel, issue.code, issue.message


def _overlay(index: ArchiveIndex, after_files: Mapping[str, LoadedFile | None]) -> ArchiveIndex:
    after = dataclasses.replace(
        index,
        speakers=dict(index.speakers),
        forums=dict(index.forums),
        sessions=dict(index.sessions),
    )
    by_kind = {"speaker": after.speakers, "forum": after.forums, "session": after.sessions}
    for rel, loaded in after_files.items():
        kind, record_id = record_at(rel) or ("", "")
        if kind == "manifest":
            assert loaded is not None, "the manifest is never removed"
            after.manifest = loaded
        elif loaded is None:
            by_kind[kind].pop(record_id, None)
        else:
            by_kind[kind][record_id] = loaded
    return after


def _named(loaded: LoadedFile | None) -> set[str]:
    """The speakers a session file names (as far as it reads)."""
    record = record_as_read(loaded) if loaded is not None else None
    return set(referred_ids(record, "speaker")) if record is not None else set()


def _taking_part(loaded: LoadedFile | None) -> set[str]:
    record = record_as_read(loaded) if loaded is not None else None
    return set(taking_part(record)) if record is not None else set()


def _slot(loaded: LoadedFile | None) -> tuple[object, ...] | None:
    """What a session's place in the programme is made of: room overlaps and double
    bookings of a session whose slot stays are the same before and after."""
    record = record_as_read(loaded) if loaded is not None else None
    if record is None:
        return None
    return (record.date, record.start, record.end, record.end_date, record.room, record.status)


def _before(archive: Archive, rel: str) -> LoadedFile | None:
    """A changed record as it is now (None: the change creates it)."""
    if not (archive.root / rel).is_file():
        return None
    kind, record_id = record_at(rel) or ("", "")
    return archive.loaded(kind, record_id)


def _own(archive: Archive, before_files: Mapping[str, LoadedFile | None]) -> ArchiveIndex:
    """The changed files as they are now, for the rules about one file alone."""
    index = ArchiveIndex(archive.root, archive.manifest_file, with_manifest=False)
    by_kind = {"speaker": index.speakers, "forum": index.forums, "session": index.sessions}
    for rel, before in before_files.items():
        if before is not None:
            kind, record_id = record_at(rel) or ("", "")
            by_kind[kind][record_id] = before
    return index


def _scope(
    archive: Archive,
    after_files: Mapping[str, LoadedFile | None],
    before_files: Mapping[str, LoadedFile | None],
) -> ArchiveIndex:
    """The records before the change that the rules across files need to judge it
    (module docstring)."""
    index = ArchiveIndex(archive.root, archive.manifest_file)
    forums: set[str] = set()
    whole_forums: set[str] = set()  # every session of these
    people: set[str] = set()
    changed_speakers: dict[str, LoadedFile | None] = {}
    sessions: dict[str, LoadedFile] = {}
    named_after: set[str] = set()  # the speakers the files as changed name
    absent_speakers: set[str] = set()  # changed speakers that are not there now
    for rel, after in after_files.items():
        kind, record_id = record_at(rel) or ("", "")
        before = before_files[rel]
        names = _named(after)
        named_after |= names
        if kind == "speaker":
            people.add(record_id)
            changed_speakers[record_id] = after
            if before is None:
                absent_speakers.add(record_id)
        elif kind == "forum":
            forums.add(record_id)
            whole_forums.add(record_id)
        elif kind == "session":
            forum_id = record_id.partition("/")[0]
            forums.add(forum_id)
            if before is not None:
                sessions[record_id] = before
            if _slot(before) != _slot(after):
                whole_forums.add(forum_id)
                people |= _named(before) | names
            else:
                people |= _taking_part(before) ^ _taking_part(after)
    for forum_id in sorted(whole_forums):
        changed_forum = archive.rel_path("forum", forum_id) in after_files
        for session_id in _existing_sessions(archive, forum_id):
            sessions.setdefault(session_id, archive.loaded("session", session_id))
            if changed_forum:  # its dates or timezone move every session of it
                people |= _named(sessions[session_id])
    if people:
        for session_id in archive.session_ids_naming(people):
            sessions.setdefault(session_id, archive.loaded("session", session_id))
    index.sessions = sessions
    for session_id in sessions:
        forums.add(session_id.partition("/")[0])
    for forum_id in sorted(forums):
        if (archive.root / archive.rel_path("forum", forum_id)).is_file():
            index.forums[forum_id] = archive.loaded("forum", forum_id)
    # the speakers the sessions in scope name take part by their IDs alone
    named = people.union(named_after, *(_named(loaded) for loaded in sessions.values()))
    present = {sid for sid in named - absent_speakers if _is_speaker(archive, sid)}
    read: set[str] = set()  # in ID order among the others, as validate reads them
    if changed_speakers:
        read = _same_person_candidates(archive, changed_speakers)
        read |= changed_speakers.keys() - absent_speakers
    index.speakers = {
        sid: archive.loaded("speaker", sid) if sid in read else _unread(archive, sid)
        for sid in sorted(present | read)
    }
    in_scope = index.speakers.keys() | changed_speakers.keys()
    index.other_speaker_ids = functools.cache(
        lambda: frozenset(archive.speaker_ids()).difference(in_scope)
    )
    return index


def _same_person_candidates(archive: Archive, changed: Mapping[str, LoadedFile | None]) -> set[str]:
    """The existing speakers the duplicate rules may pair differently after the change:
    those sharing a person key with a changed speaker (before or after), and those
    sharing one with them."""
    keys = archive.person_keys()
    wanted: set[str] = set()
    for speaker_id, after in changed.items():
        wanted |= keys.get(speaker_id, frozenset())
        record = record_as_read(after) if after is not None else None
        if record is not None:
            wanted |= person_keys(record)
    near = {sid for sid, own in keys.items() if not own.isdisjoint(wanted)}
    wanted = wanted.union(*(keys[sid] for sid in near))
    return {sid for sid, own in keys.items() if not own.isdisjoint(wanted)}


def _unread(archive: Archive, speaker_id: str) -> LoadedFile:
    """A speaker present by its ID: no rule reads a record that is not there, and the
    speaker rules see it the same before and after the change."""
    return LoadedFile(archive.rel_path("speaker", speaker_id), None)


def _is_speaker(archive: Archive, speaker_id: str) -> bool:
    """Whether ``speaker_ids()`` would list the ID, without listing every speaker: a
    usable name and a regular file (through a link that leads somewhere)."""
    import os

    from forumctl.errors import UsageError

    try:
        rel = archive.rel_path("speaker", speaker_id)
    except UsageError:  # no ID at all ('a/b'): it names no file
        return False
    return os.path.isfile(archive.root / rel)


def _existing_sessions(archive: Archive, forum_id: str) -> list[str]:
    if not (archive.root / archive.rel_path("forum", forum_id)).is_file():
        return []
    return archive.session_ids(forum_id)


def _located(
    archive: Archive,
    changed: Mapping[str, str | bytes | None],
    settings: Settings,
    issues: list[Issue],
) -> Iterable[Finding]:
    """The issues located in the files as the change leaves them, less those validate would
    not report there (``[validate]``, suppression comments)."""
    texts: dict[str, str] = {}

    def text_of(rel: str) -> str:
        if rel not in texts:
            text = changed.get(rel)
            if isinstance(text, bytes):  # not text: no key to find
                text = ""
            if text is None:
                try:
                    text = read_text(archive.root / rel, rel)
                except InvalidRecord:
                    text = ""
            texts[rel] = text
        return texts[rel]

    for issue in issues:
        if not settings.reports(issue.code, issue.rel):
            continue
        position = issue.position
        if position is None and issue.keypath:
            position = locate(text_of(issue.rel), issue.keypath)
        line, column = position or (1, 1)
        text = text_of(issue.rel)
        if "forumctl:" in text and silenced(issue.code, ignored_codes(text).get(line, ())):
            continue
        yield Finding(
            issue.rel, line, column, issue.code, issue.message, issue.related, issue.keypath
        )
