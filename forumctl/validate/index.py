"""Every file of an archive, read once, indexed by kind and ID for the rule families."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forumctl.archive import Archive, Unlisted
from forumctl.loading import LoadedFile
from forumctl.records import FORMAT_VERSION, FORMATS


def record_as_read(loaded: LoadedFile) -> Any:
    """The record the rules check: as far as it could be read when the file has problems
    (a required field that is missing or wrong is None then), so that one defect does
    not hide the others; None only when the file is no TOML at all."""
    return loaded.partial if loaded.partial is not None else loaded.record


@dataclass(slots=True)
class ArchiveIndex:
    root: Path
    manifest: LoadedFile
    speakers: dict[str, LoadedFile] = field(default_factory=dict)
    forums: dict[str, LoadedFile] = field(default_factory=dict)
    sessions: dict[str, LoadedFile] = field(default_factory=dict)  # "forum/session" IDs
    unlisted: dict[str, Unlisted] = field(default_factory=dict)  # by path, as listed
    # Whether files() yields the manifest: a scope of changed files alone (validate/delta)
    # leaves out the unchanged manifest, whose findings are the same before and after.
    with_manifest: bool = True
    # The IDs of the archive's speakers that ``speakers`` leaves out (a scope), asked only
    # for the suggestions of a reference to a speaker that does not exist.
    other_speaker_ids: Callable[[], frozenset[str]] = frozenset

    @classmethod
    def read(cls, archive: Archive) -> ArchiveIndex:
        index = cls(archive.root, archive.manifest_file)
        by_kind = {"speaker": index.speakers, "forum": index.forums, "session": index.sessions}
        archive.list_past_unreadable = True  # an unreadable directory is one more finding
        for kind, record_id, loaded in archive.iter_loaded():
            by_kind[kind][record_id] = loaded
        index.unlisted = dict(archive.unlisted)
        archive.unlisted.clear()  # findings now, not warnings
        return index

    @property
    def format(self) -> int:
        """The archive's format: the manifest's, else (a manifest too broken to say) the
        newest, so that no key is reported for the manifest's defect."""
        manifest = record_as_read(self.manifest)
        declared = getattr(manifest, "format", None)
        return declared if declared in FORMATS else FORMAT_VERSION

    def all_speaker_ids(self) -> list[str]:
        """Every speaker ID of the archive, sorted (the choices of a did-you-mean)."""
        return sorted(self.speakers.keys() | self.other_speaker_ids())

    def files(self) -> Iterator[LoadedFile]:
        if self.with_manifest:
            yield self.manifest
        yield from self.speakers.values()
        yield from self.forums.values()
        yield from self.sessions.values()

    def valid_sessions(self) -> Iterator[tuple[str, str, LoadedFile, Any]]:
        """(forum ID, session ID, file, session record) of every session that is TOML;
        the record is :func:`record_as_read`, its ``title`` and its talks' ``speakers`` may
        be None."""
        for session_id, loaded in self.sessions.items():
            session = record_as_read(loaded)
            if session is not None:
                yield session_id.partition("/")[0], session_id, loaded, session

    def forum_record(self, forum_id: str) -> Any:
        """The forum's :func:`record_as_read` record (its title, start and end may be None)."""
        loaded = self.forums.get(forum_id)
        return record_as_read(loaded) if loaded is not None else None
