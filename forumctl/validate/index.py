"""Every file of an archive, read once, indexed by kind and ID for the rule families."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forumctl.archive import Archive, LoadedFile


@dataclass(slots=True)
class ArchiveIndex:
    root: Path
    manifest: LoadedFile
    speakers: dict[str, LoadedFile] = field(default_factory=dict)
    forums: dict[str, LoadedFile] = field(default_factory=dict)
    sessions: dict[str, LoadedFile] = field(default_factory=dict)  # "forum/session" IDs

    @classmethod
    def read(cls, archive: Archive) -> ArchiveIndex:
        index = cls(archive.root, archive.manifest_file)
        by_kind = {"speaker": index.speakers, "forum": index.forums, "session": index.sessions}
        for kind, record_id, loaded in archive.iter_loaded():
            by_kind[kind][record_id] = loaded
        return index

    def files(self) -> Iterator[LoadedFile]:
        yield self.manifest
        yield from self.speakers.values()
        yield from self.forums.values()
        yield from self.sessions.values()

    def valid_sessions(self) -> Iterator[tuple[str, str, LoadedFile, Any]]:
        """(forum ID, session ID, file, session record) of every session that loaded."""
        for session_id, loaded in self.sessions.items():
            if loaded.record is not None:
                yield session_id.partition("/")[0], session_id, loaded, loaded.record

    def forum_record(self, forum_id: str) -> Any:
        loaded = self.forums.get(forum_id)
        return loaded.record if loaded is not None else None
