"""validate: read the whole archive once, run every family of rules, locate the findings.

Positions are computed only for files that have findings: clean files are parsed once
and never scanned for keys.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from forumctl.archive import Archive
from forumctl.errors import InvalidRecord, UsageError
from forumctl.loading import LoadedFile
from forumctl.records import KeyPath
from forumctl.toml_io import key_lines, nearest, read_text
from forumctl.validate import dates, files, formats, references, schedule, speakers
from forumctl.validate.findings import Finding, Issue, Report
from forumctl.validate.index import ArchiveIndex, record_as_read
from forumctl.validate.settings import Settings, code_problem, selected
from forumctl.validate.suppression import ignored_codes, silenced

__all__ = ["Finding", "Report", "check_codes", "check_new", "in_scope", "validate"]

FAMILIES: tuple[Callable[[ArchiveIndex], Iterator[Issue]], ...] = (
    files.check_loading,
    files.check_versions,
    files.check_names,
    files.check_places,
    formats.check_formats,
    formats.check_translations,
    dates.check_dates,
    references.check_references,
    schedule.check_schedule,
    speakers.check_speakers,
)


def check_codes(prefixes: Iterable[str]) -> list[str]:
    """The prefixes, upper-cased; a UsageError for one that matches no rule."""
    result = []
    for prefix in prefixes:
        problem = code_problem(prefix)
        if problem is not None:
            message, _, hint = problem.partition("; ")
            raise UsageError(message, hint=hint)
        result.append(prefix.strip().upper())
    return result


def in_scope(rel: str, only: Sequence[str] | None) -> bool:
    if only is None:
        return True
    return any(not scope or rel == scope or rel.startswith(scope + "/") for scope in only)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Reading an archive allocates objects by the million and frees few, so the cyclic
    garbage collector's passes find nothing and cost time (docs/performance.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def validate(
    archive: Archive,
    only: Sequence[str] | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> Report:
    """Every finding of the archive, sorted by path, line, column.

    ``only`` limits the files reported (paths relative to the root; a directory covers
    what is under it, "" the whole archive); references still resolve against everything.
    ``select`` replaces the manifest's ``[validate] select``, ``ignore`` adds to its
    ``ignore``; its ``per-file-ignores`` apply to the files they match.
    """
    by_file: dict[str, list[Issue]] = defaultdict(list)
    with _no_cyclic_gc():
        index = ArchiveIndex.read(archive)
        settings = Settings.of(getattr(record_as_read(index.manifest), "validate", None))
        select = select or settings.select
        ignore = (*settings.ignore, *ignore)
        ignored_in: dict[str, tuple[str, ...]] = {}  # file to its codes, with per-file-ignores
        for family in FAMILIES:
            for issue in family(index):
                if not in_scope(issue.rel, only):
                    continue
                if issue.rel not in ignored_in:
                    ignored_in[issue.rel] = (*ignore, *settings.ignored_in(issue.rel))
                if selected(issue.code, select, ignored_in[issue.rel]):
                    by_file[issue.rel].append(issue)
    findings = [
        finding for rel, issues in by_file.items() for finding in _locate(archive, rel, issues)
    ]
    # misplaced files are not records, so they count as checked through their findings
    checked = sorted({loaded.rel for loaded in index.files()} | set(by_file))
    return Report(sorted(findings), [rel for rel in checked if in_scope(rel, only)])


def _locate(archive: Archive, rel: str, issues: list[Issue]) -> Iterator[Finding]:
    """The issues of one file with their positions, less those its suppression comments
    silence."""
    try:
        text = read_text(archive.root / rel, rel) if (archive.root / rel).is_file() else ""
    except InvalidRecord:
        text = ""
    ignored = ignored_codes(text) if "forumctl:" in text else {}
    positions: dict[KeyPath, tuple[int, int]] | None = None  # the file's, scanned once
    for issue in issues:
        position = issue.position
        if position is None and issue.keypath:
            if positions is None:
                positions = key_lines(text)
            position = nearest(positions, issue.keypath)
        line, column = position or (1, 1)
        if not silenced(issue.code, ignored.get(line, ())):
            yield Finding(rel, line, column, issue.code, issue.message, issue.related)


def check_new(archive: Archive, new: Mapping[tuple[str, str], Any]) -> list[Issue]:
    """What validate would report on records about to be written, ``{(kind, ID): record}``
    (replacing any record of that ID), with the rules run against what they relate to:
    every speaker, and for a session its forum and that forum's other sessions.

    Issues in rule order; files already in the archive are not reported on.
    """
    index = ArchiveIndex(archive.root, archive.manifest_file)
    index.speakers = {sid: archive.loaded("speaker", sid) for sid in archive.speaker_ids()}
    by_kind = {"speaker": index.speakers, "forum": index.forums, "session": index.sessions}
    for kind, record_id in new:
        forum_id = record_id.partition("/")[0]
        if kind == "session" and forum_id not in index.forums:
            index.forums[forum_id] = archive.loaded("forum", forum_id)
            for session_id in archive.session_ids(forum_id):
                index.sessions[session_id] = archive.loaded("session", session_id)
    written = set()
    for (kind, record_id), record in new.items():
        rel = archive.rel_path(kind, record_id)
        by_kind[kind][record_id] = LoadedFile(rel, record)
        written.add(rel)
    return [
        issue
        for family in FAMILIES
        if family is not files.check_places  # about files on disk, not records
        for issue in family(index)
        if issue.rel in written
    ]
