"""rename, merge and rm, planned: which files change and how, before anything is written.

Each planner reads the archive and returns a :class:`Plan` (files to move, the new text
of files to edit, files to delete); nothing here writes. :func:`queue` hands a plan to a
change of the change layer (:mod:`forumctl.change`), which checks it and applies it as
one transaction.

Files that refer to a record are edited with tomlkit (:mod:`forumctl.references`): their
comments, blank lines, key order and quoting stay; only the references change. A
reference is looked for in every file that may hold one, a file with problems included
(its TOML data is searched, not its record); a file that is not TOML is an error, since
nobody can tell what it names.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forumctl.archive import Archive, record_at
from forumctl.errors import InvalidRecord, RecordExists, UsageError
from forumctl.records import RECORD_TYPES, Session, Speaker, fields_in, to_data
from forumctl.references import (
    Reference,
    references,
    remove_references,
    replace_in_text,
    replace_references,
)
from forumctl.slugs import is_slug
from forumctl.toml_io import locate, parse, read_text

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

KINDS = ("forum", "session", "speaker")


@dataclass(slots=True)
class Plan:
    """The files a change moves, edits and deletes, and what to tell the user."""

    moves: dict[str, str] = field(default_factory=dict)  # old path -> new path
    texts: dict[str, str] = field(default_factory=dict)  # path (after moves) -> new text
    deletions: list[str] = field(default_factory=list)
    rewritten: dict[str, int] = field(default_factory=dict)  # path -> references changed
    differences: list[Difference] = field(default_factory=list)  # merge: values that differ
    warnings: list[str] = field(default_factory=list)

    @property
    def references(self) -> int:
        return sum(self.rewritten.values())


@dataclass(frozen=True, slots=True)
class Difference:
    """A field two merged speakers both have, with different values."""

    field: str  # "bio", "links.website"
    kept: object  # the value the merged speaker has
    other: object  # the value it does not
    taken_from_source: bool  # kept is FROM's (--take)


@dataclass(frozen=True, slots=True)
class Referrer:
    """A file that names a record: where (path, line) and in which field."""

    rel: str
    line: int
    where: str  # "chairs", "talk 2 speakers", "talk 1 affiliations"


class RecordInUse(UsageError):
    """``rm`` of a record others refer to; ``referrers`` lists every reference."""

    def __init__(self, message: str, referrers: Sequence[Referrer], *, hint: str) -> None:
        super().__init__(message, hint=hint)
        self.referrers = tuple(referrers)
        self.details = tuple(f"{r.rel}:{r.line}: {r.where}" for r in self.referrers)


def queue(plan: Plan, change: Any) -> None:
    """Queue a plan's operations on a :class:`forumctl.change.Change`."""
    for old, new in plan.moves.items():
        change.move(old, new)
    for rel, text in plan.texts.items():
        change.write(rel, text, replace=True)
    for rel in plan.deletions:
        change.delete(rel)


# -- reading files to edit -----------------------------------------------------------


def _document(text: str, rel: str) -> TOMLDocument:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        return tomlkit.parse(text)
    except TOMLKitError as error:
        raise InvalidRecord(
            f"not TOML: {error}", path=rel, hint="correct it first ('forumctl validate')"
        ) from None


def _referring(
    archive: Archive, speaker_id: str
) -> Iterator[tuple[str, str, str, list[Reference]]]:
    """(session ID, path, text, its references to the speaker) of every session that
    names the speaker; sessions the cache or a clean load clear are not parsed again."""
    from forumctl.references import referred_ids

    for session_id in archive.sessions_maybe_naming(speaker_id):
        loaded = archive.loaded("session", session_id)
        if loaded.syntax_error is not None:
            raise InvalidRecord(
                f"cannot tell whether it names speaker '{speaker_id}':"
                f" {loaded.syntax_error.message}",
                path=loaded.rel,
                line=loaded.syntax_error.line,
                column=loaded.syntax_error.column,
                hint="correct it first ('forumctl validate')",
            )
        if loaded.ok and speaker_id not in referred_ids(loaded.record, "speaker"):
            continue
        text = read_text(archive.root / loaded.rel, loaded.rel)
        data = parse(text, loaded.rel)
        found = [r for r in references(data, "speaker", Session) if r.id == speaker_id]
        if found:
            yield session_id, loaded.rel, text, found


def _renamed_in(text: str, rel: str, old: str, new: str) -> str:
    """A session's text with its references to speaker ``old`` naming ``new``: the IDs
    swapped in the text where that is the whole edit, else through tomlkit."""
    edited = replace_in_text(text, Session, "speaker", old, new)
    if edited is None:
        document = _document(text, rel)
        replace_references(document, Session, "speaker", old, new)
        edited = document.as_string()
    return edited


def _new_id(archive: Archive, kind: str, new: str) -> str:
    """The path of a record with the new ID; a clear error when the ID is no slug or
    the path is taken."""
    rel = archive.rel_path(kind, new)
    if not all(is_slug(part) for part in new.split("/")):
        raise UsageError(
            f"{new!r} is not a valid {kind} ID: IDs are slugs (a-z, 0-9 and single hyphens)"
        )
    taken = archive.root / (os.path.dirname(rel) if kind == "forum" else rel)
    if os.path.lexists(taken):
        hint = (
            f"to make them one person: forumctl merge speaker OLD {new}"
            if kind == "speaker"
            else "choose another ID"
        )
        raise RecordExists(f"{kind} '{new}' already exists", path=rel, hint=hint)
    return rel


def _existing(archive: Archive, kind: str, record_id: str) -> str:
    """The path of an existing record (RecordNotFound, with did-you-mean, otherwise)."""
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}", hint="one of forum, session, speaker")
    rel = archive.rel_path(kind, record_id)
    if not (archive.root / rel).is_file():
        raise archive.not_found(kind, record_id)
    return rel


# -- rename --------------------------------------------------------------------------

GUID_WARNING = (
    "a format-1 archive has no uid: {what} change with the ID; 'forumctl migrate' to"
    " format 2 keeps them across renames"
)


def plan_rename(archive: Archive, kind: str, old: str, new: str) -> Plan:
    """Rename a forum, session or speaker: its file (a forum: its directory) moves and
    every reference to it is rewritten. ``rename session F1/S F2/S`` moves a session to
    another forum."""
    old_rel = _existing(archive, kind, old)
    if new == old:
        raise UsageError(f"{kind} '{old}' already has that ID")
    plan = Plan()
    identity = archive.format >= 2  # uid and former_ids: the identity survives the rename
    if kind == "speaker":
        new_rel = plan.moves[old_rel] = _new_id(archive, kind, new)
        if identity:
            plan.texts[new_rel] = _pinned(archive, kind, old, old_rel)
        for _, rel, text, found in _referring(archive, old):
            plan.texts[rel] = _renamed_in(text, rel, old, new)
            plan.rewritten[rel] = len(found)
        what = "the speaker's exported frab person GUIDs"
    elif kind == "session":
        new_forum = new.partition("/")[0]
        archive.rel_path("session", new)  # a session ID, or a clear error
        if not (archive.root / archive.rel_path("forum", new_forum)).is_file():
            raise archive.not_found("forum", new_forum)
        new_rel = plan.moves[old_rel] = _new_id(archive, kind, new)
        if identity:
            plan.texts[new_rel] = _pinned(archive, kind, old, old_rel)
        what = "the session's exported frab GUID and iCal UID"
    else:
        new_dir = os.path.dirname(_new_id(archive, kind, new))
        old_dir = os.path.dirname(old_rel)
        for rel in _files_under(archive.root, old_dir):
            new_rel = plan.moves[rel] = new_dir + rel[len(old_dir) :]
            record = record_at(rel)
            if identity and record is not None:  # the forum and each of its sessions
                plan.texts[new_rel] = _pinned(archive, record[0], record[1], rel)
        what = "the exported frab GUIDs and iCal UIDs of its sessions"
    if not identity:
        plan.warnings.append(GUID_WARNING.format(what=what))
    return plan


def _pinned(archive: Archive, kind: str, record_id: str, rel: str) -> str:
    """A record's text with its identity written before its ID changes (format 2): its
    ``uid`` (the uuid5 of the old ID, as exports computed it, unless it has one) and the
    old ID added to ``former_ids``; a session's talks get their ``uid`` too, since theirs
    derives from the session's ID. Only those values change in the text."""
    from forumctl.identity import default_uid, talk_id
    from forumctl.inplace import update_text

    text = read_text(archive.root / rel, rel)
    data = parse(text, rel)
    data.setdefault("uid", str(default_uid(kind, record_id)))
    data["former_ids"] = _joined(data.get("former_ids"), [record_id])
    if kind == "session":
        for position, talk in enumerate(data.get("talks") or [], 1):
            if isinstance(talk, dict):
                talk.setdefault("uid", str(default_uid("talk", talk_id(record_id, position))))
    return _edited(update_text, text, data, kind, rel)


def _edited(update_text: Any, text: str, data: dict[str, Any], kind: str, rel: str) -> str:
    try:
        edited: str = update_text(text, data, RECORD_TYPES[kind])
    except Exception as error:  # tomlkit refuses what rtoml accepted: say which file
        raise InvalidRecord(
            f"cannot edit in place: {error}", path=rel, hint="'forumctl validate' checks it"
        ) from None
    return edited


def _joined(current: object, added: Sequence[str]) -> list[str]:
    """A list of strings with others added at its end, each once."""
    items = [item for item in current if isinstance(item, str)] if isinstance(current, list) else []
    return list(dict.fromkeys([*items, *added]))


def _files_under(root: Path, directory: str) -> list[str]:
    """Every file under a directory of the archive, as archive paths, sorted."""
    found: list[str] = []
    for parent, _, names in os.walk(root / directory):
        rel_parent = Path(parent).relative_to(root).as_posix()
        found.extend(f"{rel_parent}/{name}" for name in names)
    return sorted(found)


# -- merge ---------------------------------------------------------------------------


def mergeable_fields(version: int) -> list[str]:
    """The speaker fields ``merge --take`` names in an archive of that format (``links.KEY``
    for one link): those people write, but the aliases, which merge joins."""
    return [
        spec.name for spec in fields_in(Speaker, version) if spec.by_hand and spec.name != "aliases"
    ]


def plan_merge(archive: Archive, source: str, target: str, take: Sequence[str] = ()) -> Plan:
    """Merge speaker ``source`` into ``target``: every reference to ``source`` names
    ``target``; fields only ``source`` has are filled in; fields both have with different
    values are kept from ``target`` unless named in ``take`` (a field, or ``links.KEY``)
    and listed; ``source``'s file goes."""
    from forumctl.suggest import did_you_mean

    source_rel = _existing(archive, "speaker", source)
    target_rel = _existing(archive, "speaker", target)
    if source == target:
        raise UsageError(f"cannot merge speaker '{source}' into itself")
    names = mergeable_fields(archive.format)
    for name in take:
        top, _, link = name.partition(".")
        if top not in names or (link and top != "links"):
            raise UsageError(
                f"--take {name}: no such speaker field",
                hint=did_you_mean(name, names) or f"one of {', '.join(names)}, links.KEY",
            )
    from_speaker = archive.speaker(source)
    into_speaker = archive.speaker(target)
    from_data, into_data = to_data(from_speaker), to_data(into_speaker)
    plan = Plan()
    version = archive.format
    text = read_text(archive.root / target_rel, target_rel)
    merged = parse(text, target_rel)
    for spec in fields_in(Speaker, version):
        if not spec.by_hand or spec.name == "aliases":  # identity and names: below
            continue
        theirs, ours = from_data.get(spec.name), into_data.get(spec.name)
        if theirs is None:
            continue
        if spec.shape == "str_map":  # links, ids: one key is one field
            table = dict(merged.get(spec.name) or {})
            whole = spec.name in take
            for key, value in sorted(theirs.items()):  # type: ignore[attr-defined]
                name = f"{spec.name}.{key}"
                chosen = _choose(name, table.get(key), value, whole or name in take)
                if chosen is not None:
                    table[key] = chosen[0]
                    plan.differences.extend(chosen[1])
            merged[spec.name] = table
            continue
        chosen = _choose(spec.name, ours, theirs, spec.name in take)
        if chosen is not None:
            merged[spec.name] = chosen[0]
            plan.differences.extend(chosen[1])
    every_name = (from_speaker.name, from_speaker.name_original, into_speaker.name,
                  into_speaker.name_original, *from_speaker.aliases)  # fmt: skip
    if version >= 2:
        kept = {merged.get("name"), merged.get("name_original")}
        aliases = [name for name in every_name if name is not None and name not in kept]
        merged["aliases"] = _joined(merged.get("aliases"), aliases)
        merged["former_ids"] = _joined(merged.get("former_ids"), [source, *from_speaker.former_ids])
        for key in ("aliases", "former_ids"):
            if not merged[key]:
                del merged[key]
    else:
        plan.warnings.append(
            f"a format-1 archive has no aliases or former_ids: {from_speaker.name!r} and"
            f" '{source}' are not kept on speaker '{target}'; 'forumctl migrate' to format 2"
            " keeps them"
        )
    from forumctl.inplace import update_text

    plan.texts[target_rel] = _edited(update_text, text, merged, "speaker", target_rel)
    for _, rel, session_text, found in _referring(archive, source):
        plan.texts[rel] = _renamed_in(session_text, rel, source, target)
        plan.rewritten[rel] = len(found)
    plan.deletions.append(source_rel)
    return plan


def _choose(
    name: str, ours: object, theirs: object, take: bool
) -> tuple[object, list[Difference]] | None:
    """The value a merged field gets and the difference to list (None: nothing to do)."""
    if ours is None:
        return theirs, []
    if ours == theirs:
        return None
    if take:
        return theirs, [Difference(name, theirs, ours, True)]
    return ours, [Difference(name, ours, theirs, False)]


# -- rm ------------------------------------------------------------------------------


def _talk_name(reference: Reference) -> str:
    if reference.keypath[0] == "talks":
        return f"talk {int(reference.keypath[1]) + 1} {reference.field}"
    return reference.field


def plan_remove(archive: Archive, kind: str, record_id: str, *, force: bool = False) -> Plan:
    """Remove a record that nothing refers to; with ``force``, the references too."""
    rel = _existing(archive, kind, record_id)
    plan = Plan()
    if kind == "session":
        plan.deletions.append(rel)
        return plan
    if kind == "forum":
        sessions = archive.session_ids(record_id)
        if sessions and not force:
            raise RecordInUse(
                f"forum '{record_id}' has {_count(len(sessions), 'session')}; nothing removed",
                [Referrer(archive.rel_path("session", s), 1, "a session of it") for s in sessions],
                hint=f"--force removes them too: forumctl rm forum {record_id} --force",
            )
        plan.deletions.extend(_files_under(archive.root, os.path.dirname(rel)))
        return plan
    referrers: list[Referrer] = []
    emptied: list[str] = []
    for session_id, session_rel, text, found in _referring(archive, record_id):
        document = _document(text, session_rel)
        referrers.extend(
            Referrer(session_rel, locate(text, r.keypath)[0], _talk_name(r)) for r in found
        )
        remove_references(document, Session, "speaker", record_id)
        for t, talk in enumerate(document.get("talks", [])):
            if isinstance(talk, dict) and talk.get("speakers") == []:
                emptied.append(f"talk {t + 1} of session '{session_id}'")
        plan.texts[session_rel] = document.as_string()
        plan.rewritten[session_rel] = len(found)
    if referrers and not force:
        raise RecordInUse(
            f"speaker '{record_id}' is named {_count(len(referrers), 'time')} in"
            f" {_count(len(plan.texts), 'file')}; nothing removed",
            referrers,
            hint=f"--force removes those references too: forumctl rm speaker {record_id} --force",
        )
    if emptied:
        raise UsageError(
            f"removing speaker '{record_id}' would leave {', '.join(emptied)} without a"
            " speaker; nothing removed",
            hint="give the talk another speaker or remove it first (forumctl edit session)",
        )
    plan.deletions.append(rel)
    return plan


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
