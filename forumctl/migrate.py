"""Upgrading an archive from one format to the next (``forumctl migrate``).

A migration is one version step, written as a function from the archive's data to the
archive's data: :data:`ArchiveData` maps each record file (its path relative to the root)
to its parsed TOML document, and a step returns the documents as the next format has them
(changed, added or left out). :func:`plan` runs every step from the archive's format to
the target one after the other and turns the difference into one :class:`~forumctl.change.
Change`: files whose data changed are edited in place (comments and layout kept), new
ones written canonically, dropped ones deleted, and the JSON Schemas in ``schemas/``
replaced by the target format's. The change layer checks and applies it as one
transaction, so an interrupted migration leaves the archive entirely in one format.

Format 1 to 2 only adds keys, so its step only writes ``format = 2``; a later format that
reshapes data adds its step to :data:`MIGRATIONS`, tested on a real archive of the format
it starts from (tests/data/format-N/).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from forumctl.archive import MANIFEST, SCHEMAS_DIR, record_at
from forumctl.errors import UsageError
from forumctl.records import FORMAT_VERSION, FORMATS

if TYPE_CHECKING:
    from forumctl.archive import Archive
    from forumctl.change import Change

ArchiveData = dict[str, dict[str, Any]]  # record file (relative path) -> TOML document


@dataclass(frozen=True, slots=True)
class Migration:
    """One step: from archive format ``source`` to ``source + 1``."""

    source: int
    summary: str  # what the step does, for the report
    step: Callable[[ArchiveData], ArchiveData]


def _format_1_to_2(data: ArchiveData) -> ArchiveData:
    """Format 2 only adds optional keys: a format-1 archive is a format-2 one once its
    manifest says so."""
    return {**data, MANIFEST: {**data[MANIFEST], "format": 2}}


MIGRATIONS: dict[int, Migration] = {
    migration.source: migration
    for migration in (
        Migration(1, "format 1 to 2: the manifest says format = 2", _format_1_to_2),
    )  # one step a line, oldest first
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Plan:
    source: int
    target: int
    steps: tuple[Migration, ...]
    change: Change


def steps(source: int, target: int) -> tuple[Migration, ...]:
    """The migrations from format ``source`` to ``target``; a UsageError for a target that
    is not a known format or not after the archive's."""
    if target not in FORMATS:
        raise UsageError(
            f"no archive format {target}",
            hint=f"this forumctl knows formats {FORMATS[0]} to {FORMAT_VERSION}",
        )
    if target < source:
        raise UsageError(
            f"the archive is format {source}; migrate goes forward only, not to {target}",
            hint="keep a copy of the archive in its old format under version control",
        )
    return tuple(MIGRATIONS[version] for version in range(source, target))


def migrate_data(data: ArchiveData, source: int, target: int) -> ArchiveData:
    """The archive's data after every step from ``source`` to ``target``."""
    for migration in steps(source, target):
        data = migration.step(data)
    return data


def read_data(archive: Archive) -> ArchiveData:
    """Every record file of the archive, parsed (the manifest included)."""
    from forumctl.toml_io import parse, read_text

    rels = [MANIFEST]
    for kind in ("speaker", "forum", "session"):
        rels += [archive.rel_path(kind, record_id) for record_id in archive.ids(kind)]
    return {rel: parse(read_text(archive.root / rel, rel), rel) for rel in rels}


def plan(archive: Archive, target: int = FORMAT_VERSION) -> Plan:
    """The change that moves ``archive`` to format ``target`` (empty when it is there)."""
    from forumctl.change import Change
    from forumctl.schema import KINDS, schema_file_name, schema_text

    source = archive.format
    migrations = steps(source, target)
    change = Change(archive)
    if migrations:
        before = read_data(archive)
        after = migrate_data(before, source, target)
        _queue(change, before, after)
        for kind in KINDS:  # the #:schema comments point here: the new format's schemas
            rel = f"{SCHEMAS_DIR}/{schema_file_name(kind)}"
            if (archive.root / rel).is_file():
                change.write(rel, schema_text(kind, target), replace=True)
    return Plan(source, target, migrations, change)


def _record_of(rel: str) -> tuple[str, str]:
    found = record_at(rel)
    if found is None:
        raise AssertionError(f"a migration made {rel}, which is no record file")
    return found


def _queue(change: Change, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """Queue the difference: edits in place, new files, deletions."""
    from forumctl import records
    from forumctl.toml_io import dumps

    for rel, data in after.items():
        if before.get(rel) == data:
            continue
        kind, record_id = _record_of(rel)
        if rel in before:
            change.update(kind, record_id, data)
        else:
            record, problems = records.load(records.RECORD_TYPES[kind], data)
            text = dumps(record, change.archive.schema_ref(rel, kind)) if not problems else None
            assert text is not None, f"a migration made {rel} invalid: {problems}"
            change.write(rel, text)
    for rel in before:
        if rel not in after:
            change.delete(rel)
