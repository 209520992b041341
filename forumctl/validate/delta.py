"""What a change does to the findings: the error findings it adds.

A change is refused when the archive after it has an error finding the archive before it
did not have (findings already there do not block it). Findings are compared by file,
rule and message, not position: an edit moves lines, not findings.

Validating the whole archive twice would cost more than the edit, so both sides are
validated over the same *scope*: the records that a rule evaluation involving a changed
record can read. Every finding that differs between before and after comes from such an
evaluation, and every other finding in the scope is the same on both sides, so the
difference, and with it the verdict, is what a full validate of both sides gives
(tests/test_validate_delta.py checks that equivalence on random changes). The scope:

- the changed records, before and after;
- all speakers (references must resolve; one ORCID in two files);
- the forum of every session in scope, and every session of a changed forum or of the
  forum of a changed session (dates within the forum, one room at one time);
- every session naming a speaker that a changed record names or is (a person in two
  places at once, references to a speaker created or removed).

A change to the manifest (timezone, format) can change any finding: it is validated whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from forumctl.archive import MANIFEST, Archive, record_at
from forumctl.errors import InvalidRecord
from forumctl.loading import LoadedFile, loaded_from_text
from forumctl.records import RECORD_TYPES
from forumctl.references import referred_ids
from forumctl.toml_io import locate, read_text
from forumctl.validate import FAMILIES, files
from forumctl.validate.findings import Finding, Issue
from forumctl.validate.index import ArchiveIndex, record_as_read
from forumctl.validate.rules import RULES

# Misplaced files are about the directory tree, which a change writes only at record paths.
_RULE_FAMILIES = tuple(family for family in FAMILIES if family is not files.check_places)

Key = tuple[str, str, str]  # file, rule code, message


def added_errors(
    archive: Archive, changed: Mapping[str, str | None], *, whole: bool = False
) -> list[Finding]:
    """The error findings the archive would have after writing ``changed`` (path to new
    text, None for a removed file) that it does not have now, located in the new text.
    ``whole`` validates the whole archive on both sides (the reference for the scope)."""
    after_files: dict[str, LoadedFile | None] = {}
    for rel, text in changed.items():
        found = record_at(rel)
        if found is None:
            continue  # no record (a .gitignore, a schema): no rule reads it
        cls = RECORD_TYPES[found[0]]
        after_files[rel] = None if text is None else loaded_from_text(rel, cls, text)
    if not after_files:
        return []
    if whole or MANIFEST in after_files:
        before = ArchiveIndex.read(archive)
    else:
        before = _scope(archive, after_files)
    after = _overlay(before, after_files)
    had = Counter(_key(issue) for issue in _errors(before))
    added: list[Issue] = []
    for issue in _errors(after):
        key = _key(issue)
        if had[key]:
            had[key] -= 1
        else:
            added.append(issue)
    return sorted(_located(archive, changed, added))


def _errors(index: ArchiveIndex) -> Iterable[Issue]:
    for family in _RULE_FAMILIES:
        for issue in family(index):
            if RULES[issue.code].severity == "error":
                yield issue


def _key(issue: Issue) -> Key:
    return issue.rel, issue.code, issue.message


def _overlay(index: ArchiveIndex, after_files: Mapping[str, LoadedFile | None]) -> ArchiveIndex:
    after = ArchiveIndex(
        index.root, index.manifest, dict(index.speakers), dict(index.forums), dict(index.sessions)
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


def _scope(archive: Archive, after_files: Mapping[str, LoadedFile | None]) -> ArchiveIndex:
    """The records before the change that the rules need to judge it (module docstring)."""
    index = ArchiveIndex(archive.root, archive.manifest_file)
    forums: set[str] = set()
    people: set[str] = set()
    sessions: dict[str, LoadedFile] = {}
    for rel, loaded in after_files.items():
        kind, record_id = record_at(rel) or ("", "")
        if kind == "speaker":
            people.add(record_id)
        elif kind == "forum":
            forums.add(record_id)
        elif kind == "session":
            forums.add(record_id.partition("/")[0])
            people |= _named(loaded)
            if (archive.root / rel).is_file():
                sessions[record_id] = archive.loaded("session", record_id)
                people |= _named(sessions[record_id])
    for forum_id in sorted(forums):
        for session_id in _existing_sessions(archive, forum_id):
            sessions.setdefault(session_id, archive.loaded("session", session_id))
            people |= _named(sessions[session_id])
    if people:
        for session_id in archive.session_ids_naming(people):
            sessions.setdefault(session_id, archive.loaded("session", session_id))
    index.sessions = sessions
    for session_id in sessions:
        forums.add(session_id.partition("/")[0])
    if any((record_at(rel) or ("",))[0] == "speaker" for rel in after_files):
        # a speaker changes: every speaker's file is read (one person in two files)
        index.speakers = {sid: archive.loaded("speaker", sid) for sid in archive.speaker_ids()}
    else:  # the speakers the sessions in scope name take part by their IDs alone
        named = people.union(*(_named(loaded) for loaded in sessions.values()))
        named = named.union(*(_named(loaded) for loaded in after_files.values()))
        index.speakers = {sid: _unread(archive, sid) for sid in named if _is_speaker(archive, sid)}
    for forum_id in sorted(forums):
        if (archive.root / archive.rel_path("forum", forum_id)).is_file():
            index.forums[forum_id] = archive.loaded("forum", forum_id)
    return index


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
    archive: Archive, changed: Mapping[str, str | None], issues: list[Issue]
) -> Iterable[Finding]:
    texts: dict[str, str] = {}
    for issue in issues:
        position = issue.position
        if position is None and issue.keypath:
            if issue.rel not in texts:
                text = changed.get(issue.rel)
                if text is None:
                    try:
                        text = read_text(archive.root / issue.rel, issue.rel)
                    except InvalidRecord:
                        text = ""
                texts[issue.rel] = text
            position = locate(texts[issue.rel], issue.keypath)
        line, column = position or (1, 1)
        yield Finding(
            issue.rel, line, column, issue.code, issue.message, issue.related, issue.keypath
        )
