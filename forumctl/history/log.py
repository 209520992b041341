"""``forumctl log KIND ID``: the commits that changed one record, through its renames.

git lists the commits that touched the record's directory (``speakers/`` or ``forums/``),
newest first, merges left out (each change is shown where it was made). A commit that
touched the record's file is compared with its parent on that file alone, plus, when the
file appeared there, the files of the same kind that went away in that commit: if one of
them is the same record (same ``uid``, or its ID in ``former_ids``), that is a rename and the log
goes on under the old ID; otherwise the record was created there and the log ends. In a
shallow clone, the log stops at the first commit whose parent is not there and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from forumctl.archive import FORUMS_DIR, SPEAKERS_DIR, record_at, record_path
from forumctl.errors import RecordNotFound
from forumctl.history.diff import RecordChange, compare
from forumctl.history.git import EMPTY_TREE, ChangedFile, Commit, Repository, Revision


@dataclass(frozen=True, slots=True)
class Entry:
    commit: Commit
    changes: tuple[RecordChange, ...]


@dataclass(frozen=True, slots=True)
class RecordLog:
    kind: str
    id: str
    entries: tuple[Entry, ...]  # newest first
    shallow_at: str | None = None  # the commit where a shallow clone's history stops


def _of_kind(change: ChangedFile, kind: str) -> bool:
    found = record_at(change.path)
    return found is not None and found[0] == kind


def _files(commit: Commit, mine: ChangedFile, kind: str) -> list[ChangedFile]:
    """The record's file, and the files that may be it under another ID."""
    files = [mine]
    if mine.old is None:  # appeared: created here, or renamed from a file that went
        files += [c for c in commit.changes if c.new is None and _of_kind(c, kind)]
    elif mine.new is None:  # went: removed, renamed, or merged into one that changed
        files += [c for c in commit.changes if c is not mine and _of_kind(c, kind)]
    return files


def record_log(repo: Repository, kind: str, record_id: str) -> RecordLog:
    tracked = record_id
    record_path(kind, record_id)  # a UsageError for what is no ID at all
    entries = []
    shallow_at = None
    directory = SPEAKERS_DIR if kind == "speaker" else FORUMS_DIR
    for commit in repo.log([f"{directory}/"]):
        if commit.commit in repo.shallow:
            shallow_at = commit.commit
            break
        path = record_path(kind, tracked)
        mine = next((c for c in commit.changes if c.path == path), None)
        if mine is None:
            continue
        parent = commit.parents[0] if commit.parents else EMPTY_TREE
        comparison = compare(
            repo,
            Revision(parent[:12], parent),
            Revision(commit.commit[:12], commit.commit),
            _files(commit, mine, kind),
            check=False,
        )
        own = [
            change
            for change in comparison.changes
            if change.id == tracked and change.kind in (kind, "talk" if kind == "session" else kind)
        ]
        if own:
            entries.append(Entry(commit, tuple(own)))
        renamed_from = next((c.old_id for c in own if c.kind == kind and c.old_id), None)
        if renamed_from is not None:
            tracked = renamed_from
        elif mine.old is None:
            break  # created here
    if not entries and shallow_at is None:
        raise RecordNotFound(
            f"no {kind} '{record_id}' in the archive's history",
            hint=f"'forumctl list {kind}s' shows the IDs",
        )
    return RecordLog(kind, record_id, tuple(entries), shallow_at)
