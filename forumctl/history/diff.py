"""What changed in the proceedings between two revisions: the semantic diff.

Only the files git reports as changed are read and parsed, with the archive's own parsing
and record loading (:func:`forumctl.loading.loaded_from_data`); the only other files
read are the manifests of both sides and, for the programme order, the ``forum.toml`` of
a forum whose sessions changed.

- **Identity.** A record removed under one ID and added under another is one record
  *renamed* when their ``uid`` agree or the new one lists the old ID in ``former_ids``
  (read from the parsed document, so that a file whose record does not load still has
  an identity; an absent ``uid`` is :func:`forumctl.identity.default_uid`, the rule of
  :func:`forumctl.identity.uid_of`); a session whose forum was renamed follows it. A
  speaker removed whose ID a remaining speaker gained in ``former_ids`` was *merged*.
- **References follow renames.** Before sessions are compared, the old side's speaker
  references are rewritten through the renames and merges found, so a speaker renamed in
  ten sessions is one change (the speaker's, saying how many sessions followed), not ten
  edits of speaker lists; any other edit of those sessions still shows.
- **Talks** have no ID in format 1: they are matched by ``uid`` when they have one, else
  by speakers and title, in order (:class:`difflib.SequenceMatcher`); a talk whose
  speakers and title both changed in place is matched by its position.
- **Labels**: added, removed, renamed, merged, moved (date, times, room, forum; a forum's
  days and place), cancelled / postponed / withdrawn / restored (format 2 ``status``),
  changed (any other field), invalid (does not load at the new side; fixed: did not at
  the old one). Every field change carries its old and new value.
- **Order**: the manifest, then forums by date, each followed by its sessions in
  programme order (each followed by its talks), then speakers by name.
"""

from __future__ import annotations

import datetime as dt
import difflib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forumctl import records
from forumctl.archive import MANIFEST, load_manifest, record_at
from forumctl.collation import sort_key
from forumctl.errors import ArchiveNotFound, ForumctlError, UsageError
from forumctl.history.git import WORKING_TREE, ChangedFile, Repository, Revision
from forumctl.identity import default_uid, parse_uid
from forumctl.loading import first_problem, loaded_from_data
from forumctl.records import FIELDS, Forum, Session
from forumctl.toml_io import parse

MOVED_FIELDS: dict[str, frozenset[str]] = {
    "forum": frozenset({"start", "end", "city", "venue"}),
    "session": frozenset({"date", "end_date", "start", "end", "room"}),
    "talk": frozenset({"start", "end"}),
}
STATUSES = ("cancelled", "postponed", "withdrawn")
IDENTITY_FIELDS = frozenset({"uid", "former_ids"})  # what rename and merge write


def _uid(kind: str, record_id: str, data: Mapping[str, object] | None) -> uuid.UUID:
    """A record's uid from its parsed document: the one it holds, else the uuid5 of its ID."""
    given = data.get("uid") if data is not None else None
    parsed = parse_uid(given) if isinstance(given, str) else None
    return parsed if parsed is not None else default_uid(kind, record_id)


def _former_ids(data: Mapping[str, object] | None) -> tuple[str, ...]:
    found = data.get("former_ids") if data is not None else None
    if isinstance(found, list):
        return tuple(item for item in found if isinstance(item, str))
    return ()


def _is_same(
    kind: str,
    old_id: str,
    old: Mapping[str, object] | None,
    new_id: str,
    new: Mapping[str, object] | None,
) -> bool:
    """Whether the record ``new_id`` is ``old_id`` under another ID (DESIGN 7, 8)."""
    return _uid(kind, old_id, old) == _uid(kind, new_id, new) or old_id in _former_ids(new)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One value that changed: ``field`` is a key path ("room", "outcomes[2].title",
    items counted from 1); ``old`` / ``new`` are None where the value is absent."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class RecordChange:
    """What happened to one record (or one talk) between two revisions."""

    kind: str  # "manifest", "forum", "session", "talk", "speaker"
    id: str  # the ID at the new side (the old one when removed); a talk's: its session's
    title: str | None  # the title or name, for readers
    labels: tuple[str, ...]
    old_id: str | None = None  # renamed: the ID it had
    talk: int | None = None  # a talk's number in its session (the old one when removed)
    into: str | None = None  # merged: the record it became part of
    fields: tuple[FieldChange, ...] = ()
    problems: tuple[str, ...] = ()  # why it does not load, at which side
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    old: Revision
    new: Revision
    changes: tuple[RecordChange, ...]


@dataclass(slots=True)
class Version:
    """One record file at one revision: its parsed document and record, or its problem."""

    kind: str
    id: str
    data: dict[str, Any] | None = None  # None when it is not TOML at all
    record: Any = None  # None when it does not load
    problem: str | None = None

    @property
    def title(self) -> str | None:
        source: Any = self.record if self.record is not None else None
        for key in ("title", "name"):
            value = getattr(source, key, None) if source is not None else None
            if value is None and self.data is not None:
                value = self.data.get(key)
            if isinstance(value, str):
                return value
        return None


def load_version(kind: str, record_id: str, rel: str, content: bytes) -> Version:
    """A file's content read as the archive reads it; never raises for bad content."""
    version = Version(kind, record_id)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        version.problem = f"{rel}: not UTF-8 text (byte {error.start + 1})"
        return version
    try:
        version.data = parse(text, rel)
    except ForumctlError as error:
        version.problem = str(error)
        return version
    loaded = loaded_from_data(rel, records.RECORD_TYPES[kind], version.data)
    if loaded.ok:
        version.record = loaded.record
    else:
        version.problem = str(first_problem(loaded, text))
    return version


class _Side:
    """The records of one revision, read on demand."""

    def __init__(self, repo: Repository, revision: Revision) -> None:
        self.repo = repo
        self.revision = revision
        self.versions: dict[tuple[str, str], Version] = {}
        self._forums: dict[str, Forum | None] = {}

    def manifest(self) -> None:
        """Check that the archive is there and loads at this revision (exit 2 if not)."""
        where = f"{self.revision.label}:{self.repo.prefix}{MANIFEST}"
        content = self.repo.read(self.revision, MANIFEST)
        if content is None:
            raise ArchiveNotFound(
                f"no archive at {self.revision.label}: {self.repo.prefix}{MANIFEST} is not"
                " in that revision",
                hint="compare revisions that hold the archive ('git log -- forumctl.toml')",
            )
        try:
            load_manifest(content.decode("utf-8"), where)
        except UnicodeDecodeError:
            raise ArchiveNotFound(f"{where}: not UTF-8 text") from None

    def forum(self, forum_id: str) -> Forum | None:
        """A forum's record (for the programme order), None when it is not there or
        does not load."""
        version = self.versions.get(("forum", forum_id))
        if version is not None:
            return version.record  # type: ignore[no-any-return]
        if forum_id not in self._forums:
            rel = f"forums/{forum_id}/forum.toml"
            content = self.repo.read(self.revision, rel)
            self._forums[forum_id] = (
                None if content is None else load_version("forum", forum_id, rel, content).record
            )
        return self._forums[forum_id]


def compare(
    repo: Repository,
    old: Revision,
    new: Revision,
    files: Sequence[ChangedFile],
    *,
    check: bool = True,
) -> Comparison:
    """The semantic changes of ``files`` (git's changed files) between two revisions;
    with ``check``, an error (exit 2) when the archive is not there or does not load at
    either (the log, walking back to the first commit, does not check)."""
    before, after = _Side(repo, old), _Side(repo, new)
    if check:
        before.manifest()
        after.manifest()
    for change in files:
        found = record_at(change.path)
        if found is None:
            continue
        kind, record_id = found
        for side, name in ((before, "old"), (after, "new")):
            content = repo.content(side.revision, change, name)
            if content is not None:
                side.versions[kind, record_id] = load_version(kind, record_id, change.path, content)
    changes = _Differ(before, after).changes()
    return Comparison(old, new, tuple(changes))


class _Differ:
    def __init__(self, before: _Side, after: _Side) -> None:
        self.before = before
        self.after = after
        self.pairs: list[tuple[Version | None, Version | None]] = []
        self.merged: list[tuple[Version, str]] = []
        self.speaker_ids: dict[str, str] = {}  # renamed or merged: old ID -> new ID
        self.followed: dict[str, int] = {}  # new speaker ID -> sessions whose references follow
        self._pair()

    def _pair(self) -> None:
        old, new = self.before.versions, self.after.versions
        removed = {key: version for key, version in old.items() if key not in new}
        added = {key: version for key, version in new.items() if key not in old}
        self.pairs = [(old[key], new[key]) for key in old if key in new]
        forum_ids: dict[str, str] = {}  # new forum ID -> old, for the sessions that follow
        for kind in ("forum", "speaker", "session"):
            for key, version in sorted(added.items()):
                if key[0] != kind:
                    continue
                match = next(
                    (r for r in removed.values() if r.kind == kind and self._same(r, version)),
                    None,
                ) or self._followed_forum(removed, version, forum_ids)
                if match is None:
                    continue
                del removed[match.kind, match.id]
                del added[key]
                self.pairs.append((match, version))
                if kind == "forum":
                    forum_ids[version.id] = match.id
                elif kind == "speaker":
                    self.speaker_ids[match.id] = version.id
        for version in removed.values():
            into = self._merged_into(version)
            if into is None:
                self.pairs.append((version, None))
            else:
                self.merged.append((version, into))
                self.speaker_ids[version.id] = into
        self.pairs += [(None, version) for version in added.values()]

    @staticmethod
    def _same(old: Version, new: Version) -> bool:
        return _is_same(old.kind, old.id, old.data, new.id, new.data)

    @staticmethod
    def _followed_forum(
        removed: Mapping[tuple[str, str], Version], new: Version, forum_ids: Mapping[str, str]
    ) -> Version | None:
        """The session of a renamed forum that the new session is, moved with it."""
        if new.kind != "session":
            return None
        forum_id, _, stem = new.id.partition("/")
        old_forum = forum_ids.get(forum_id)
        return removed.get(("session", f"{old_forum}/{stem}")) if old_forum else None

    def _merged_into(self, removed: Version) -> str | None:
        """The record a removed one was merged into: one that now lists its ID in
        ``former_ids`` and did not before."""
        for old, new in self.pairs:
            if (
                old is not None
                and new is not None
                and new.kind == removed.kind
                and removed.id in _former_ids(new.data)
                and removed.id not in _former_ids(old.data)
            ):
                return new.id
        return None

    # -- changes -----------------------------------------------------------------------

    def changes(self) -> list[RecordChange]:
        found: list[tuple[tuple[Any, ...], RecordChange]] = []
        sessions = [pair for pair in self.pairs if _kind(pair) == "session"]
        others = [pair for pair in self.pairs if _kind(pair) != "session"]
        for old, new in sessions:  # first: they count the references that follow renames
            found += self._session_changes(old, new)
        for old, new in others:
            change = self._record_change(old, new)
            if change is not None:
                found.append((self._sort_key(change, old, new), change))
        for version, into in self.merged:
            change = RecordChange(version.kind, version.id, version.title, ("merged",), into=into)
            found.append((self._sort_key(change, version, None), change))
        return [change for _, change in sorted(found, key=lambda item: item[0])]

    def _record_change(self, old: Version | None, new: Version | None) -> RecordChange | None:
        if new is None:
            assert old is not None
            return RecordChange(old.kind, old.id, old.title, ("removed",))
        if old is None:
            return RecordChange(new.kind, new.id, new.title, ("added",))
        labels: list[str] = ["renamed"] if old.id != new.id else []
        note = None
        if new.kind == "speaker" and self.followed.get(new.id):
            count = self.followed[new.id]
            note = f"references in {count} session{'s' if count != 1 else ''} follow"
        problems = self._problems(old, new)
        if problems:
            labels.append("invalid" if new.problem else "fixed")
            return RecordChange(new.kind, new.id, new.title, tuple(labels),
                          old.id if labels[0] == "renamed" else None,
                          problems=problems, note=note)  # fmt: skip
        cls = type(new.record)
        changed = field_changes(cls, records.to_data(old.record), records.to_data(new.record))
        if labels:  # renamed: the identity fields it wrote are the rename itself
            changed = [c for c in changed if c.field not in IDENTITY_FIELDS]
        labels += _labels(new.kind, changed, moved_forum=False)
        if not labels:
            return None
        return RecordChange(new.kind, new.id, new.title, tuple(labels),
                      old.id if old.id != new.id else None, fields=tuple(changed),
                      note=note)  # fmt: skip

    def _problems(self, old: Version, new: Version) -> tuple[str, ...]:
        return tuple(
            f"invalid at {side.revision.label}: {version.problem}"
            for side, version in ((self.before, old), (self.after, new))
            if version.problem is not None
        )

    def _session_changes(
        self, old: Version | None, new: Version | None
    ) -> list[tuple[tuple[Any, ...], RecordChange]]:
        if old is None or new is None or old.problem or new.problem:
            change = self._record_change(old, new)
            assert change is not None
            return [(self._sort_key(change, old, new), change)]
        old_data: dict[str, Any] = records.to_data(old.record)
        followed = rename_references(Session, old_data, self.speaker_ids)
        for speaker_id in {self.speaker_ids[i] for i in followed}:
            self.followed[speaker_id] = self.followed.get(speaker_id, 0) + 1
        new_data: dict[str, Any] = records.to_data(new.record)
        own = field_changes(
            Session,
            {k: v for k, v in old_data.items() if k != "talks"},
            {k: v for k, v in new_data.items() if k != "talks"},
        )
        renamed = old.id != new.id
        if renamed:
            own = [c for c in own if c.field not in IDENTITY_FIELDS]
        labels = ["renamed"] if renamed else []
        moved_forum = old.id.partition("/")[0] != new.id.partition("/")[0]
        labels += _labels("session", own, moved_forum=moved_forum)
        if moved_forum:
            own.insert(0, FieldChange("forum", old.id.partition("/")[0], new.id.partition("/")[0]))
        found = []
        if labels:
            change = RecordChange("session", new.id, new.title, tuple(labels),
                            old.id if renamed else None, fields=tuple(own))  # fmt: skip
            found.append((self._sort_key(change, old, new), change))
        old_talks = old_data.get("talks", [])
        new_talks = new_data.get("talks", [])
        for change in talk_changes(new.id, old_talks, new_talks):
            found.append((self._sort_key(change, old, new), change))
        return found

    def _sort_key(
        self, change: RecordChange, old: Version | None, new: Version | None
    ) -> tuple[Any, ...]:
        version = new if new is not None else old
        assert version is not None
        if version.kind == "manifest":
            return (0,)
        if version.kind == "speaker":
            name = version.title or ""
            sort_name = getattr(version.record, "sort_name", None)
            return (2, sort_key(sort_name or name), version.id)
        forum_id = version.id.partition("/")[0]
        forum = self.after.forum(forum_id) or self.before.forum(forum_id)  # one key per forum
        forum_key = (
            (forum.start, forum.end, forum_id) if forum else (dt.date.max, dt.date.max, forum_id)
        )
        if version.kind == "forum":
            return (1, forum_key, 0)
        session_key = _session_key(version, forum)
        talk = 0 if change.talk is None else change.talk
        return (1, forum_key, 1, session_key, talk)


def _kind(pair: tuple[Version | None, Version | None]) -> str:
    version = pair[0] or pair[1]
    assert version is not None
    return version.kind


def _session_key(version: Version, forum: Forum | None) -> tuple[Any, ...]:
    session = version.record
    if session is None:
        return (dt.date.max, dt.time.max, 1 << 30, version.id)
    return (
        session.date or (forum.start if forum else dt.date.min),
        session.start or dt.time.min,
        session.order if session.order is not None else 1 << 30,
        version.id,
    )


def _labels(kind: str, changed: Iterable[FieldChange], *, moved_forum: bool) -> list[str]:
    """The labels a record's field changes earn: moved, a status, changed."""
    moved_fields = MOVED_FIELDS.get(kind, frozenset())
    moved, status, other = moved_forum, None, False
    for change in changed:
        if change.field in moved_fields:
            moved = True
        elif change.field == "status":
            status = change.new if change.new in STATUSES else "restored"
        else:
            other = True
    labels = ["moved"] if moved else []
    labels += [status] if status else []
    return labels + (["changed"] if other else [])


# ---------------------------------------------------------------------------
# Comparing plain data (records.to_data) field by field


def _order(cls: type[Any], old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The keys of both in the record's canonical order (unknown ones last)."""
    known = [spec.name for spec in FIELDS.get(cls, ())]
    rest = [key for key in (*old, *new) if key not in known]
    return [key for key in known if key in old or key in new] + list(dict.fromkeys(rest))


def field_changes(
    cls: type[Any], old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = ""
) -> list[FieldChange]:
    """Every value that differs, nested records compared item by item."""
    specs = {spec.name: spec for spec in FIELDS.get(cls, ())}
    found = []
    for key in _order(cls, old, new):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        spec = specs.get(key)
        item_cls = spec.record if spec is not None else None
        if item_cls is not None and isinstance(before, list) and isinstance(after, list):
            found += _item_changes(item_cls, before, after, f"{prefix}{key}")
        else:
            found.append(FieldChange(prefix + key, before, after))
    return found


def _aligned(
    old_keys: Sequence[object], new_keys: Sequence[object]
) -> Iterable[tuple[int | None, int | None]]:
    """Index pairs of the items of two lists: matched (both set; equal keys included),
    removed, added."""
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        for n in range(max(len(olds), len(news))):
            yield (olds[n] if n < len(olds) else None), (news[n] if n < len(news) else None)


def _item_changes(cls: type[Any], old: list[Any], new: list[Any], path: str) -> list[FieldChange]:
    found = []
    for i, j in _aligned([repr(item) for item in old], [repr(item) for item in new]):
        if i is not None and j is not None and old[i] == new[j]:
            continue
        if i is None or j is None or not (isinstance(old[i], dict) and isinstance(new[j], dict)):
            where = f"{path}[{(j if i is None else i) + 1}]"  # type: ignore[operator]
            found.append(
                FieldChange(where, None if i is None else old[i], None if j is None else new[j])
            )
        else:
            found += field_changes(cls, old[i], new[j], f"{path}[{j + 1}].")
    return found


def _talk_key(talk: Mapping[str, Any]) -> object:
    uid = talk.get("uid")
    return uid if uid else (tuple(talk.get("speakers", ())), talk.get("title"))


def _talk_title(talk: Mapping[str, Any]) -> str:
    return talk.get("title") or ", ".join(talk.get("speakers", ()))


def talk_changes(session_id: str, old: list[Any], new: list[Any]) -> list[RecordChange]:
    """The talks of one session that were added, removed or changed."""
    found = []
    for i, j in _aligned([_talk_key(t) for t in old], [_talk_key(t) for t in new]):
        if j is None:
            assert i is not None
            found.append(
                RecordChange("talk", session_id, _talk_title(old[i]), ("removed",), talk=i + 1)
            )
        elif i is None:
            found.append(
                RecordChange("talk", session_id, _talk_title(new[j]), ("added",), talk=j + 1)
            )
        elif old[i] != new[j]:
            changed = field_changes(records.Talk, old[i], new[j])
            found.append(RecordChange("talk", session_id, _talk_title(new[j]),
                                tuple(_labels("talk", changed, moved_forum=False)),
                                talk=j + 1, fields=tuple(changed)))  # fmt: skip
    return found


def rename_references(cls: type[Any], data: dict[str, Any], ids: Mapping[str, str]) -> set[str]:
    """Rewrite, in place, the speaker references of a record's plain data through ``ids``
    (old ID -> new ID) as rename and merge do (:func:`forumctl.references.replace_references`);
    the old IDs that were found."""
    from forumctl.references import replace_references

    return {old for old, new in ids.items() if replace_references(data, cls, "speaker", old, new)}


def between(repo: Repository, revisions: Sequence[str], paths: Sequence[str] = ()) -> Comparison:
    """``forumctl diff``: no revision compares HEAD with the working tree, one compares it
    with the working tree, two compare them; ``paths`` (relative to the archive root)
    limit what is compared."""
    if len(revisions) > 2:
        raise UsageError(
            f"diff compares at most two revisions, not {len(revisions)}",
            hint="put paths after '--': forumctl diff REV REV -- PATH",
        )
    old = repo.resolve(revisions[0] if revisions else "HEAD")
    new = repo.resolve(revisions[1]) if len(revisions) == 2 else Revision(WORKING_TREE, None)
    return compare(repo, old, new, repo.changes(old, new, paths))
