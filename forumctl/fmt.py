"""fmt: rewrite record files to the canonical form that forumctl writes.

Values are kept exactly: the text is regenerated from the loaded record, so a file that
does not load cleanly is never rewritten (its unknown or wrong keys would be lost). The
writer cannot keep comments; a file with comments (other than the ``#:schema`` line) is
reported and left alone unless the caller forces it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from forumctl.archive import Archive
from forumctl.errors import InvalidRecord
from forumctl.loading import LoadedFile, first_problem
from forumctl.toml_io import SCHEMA_COMMENT_PREFIX, comments, dumps, read_text

Status = Literal["unchanged", "changed", "has-comments", "invalid"]


@dataclass(frozen=True, slots=True)
class Formatted:
    """One file: its text now, its canonical text, and what fmt makes of it."""

    rel: str
    status: Status
    original: str
    canonical: str = ""
    problem: str = ""  # for "invalid": "path:line:col: message"


def comment_lines(text: str) -> list[int]:
    """1-based lines holding a comment, outside strings; a first-line ``#:schema`` is
    not counted (fmt writes it itself)."""
    return [
        line
        for line, comment in comments(text)
        if not (line == 1 and text.startswith(SCHEMA_COMMENT_PREFIX))
    ]


def _format_one(archive: Archive, kind: str, loaded: LoadedFile, force: bool) -> Formatted:
    rel = loaded.rel
    try:
        original = read_text(archive.root / rel, rel)
    except InvalidRecord as error:
        return Formatted(rel, "invalid", "", problem=str(error))
    if loaded.syntax_error is not None or loaded.problems or loaded.record is None:
        return Formatted(rel, "invalid", original, problem=str(first_problem(loaded, original)))
    canonical = dumps(loaded.record, archive.schema_ref(rel, kind))
    if canonical == original:
        return Formatted(rel, "unchanged", original, canonical)
    if not force and comment_lines(original):
        return Formatted(rel, "has-comments", original, canonical)
    return Formatted(rel, "changed", original, canonical)


def record_files(archive: Archive) -> Iterator[tuple[str, LoadedFile]]:
    """(kind, file) of the manifest and every record."""
    yield "manifest", archive.manifest_file
    for kind, _, loaded in archive.iter_loaded():
        yield kind, loaded


def format_archive(
    archive: Archive, only: Sequence[str] | None = None, *, force: bool = False
) -> list[Formatted]:
    """What fmt would do to each file (in path order); nothing is written here."""
    from forumctl.validate import in_scope

    results = [
        _format_one(archive, kind, loaded, force)
        for kind, loaded in record_files(archive)
        if in_scope(loaded.rel, only)
    ]
    return sorted(results, key=lambda result: result.rel)


def unified_diff(result: Formatted) -> str:
    import difflib

    return "".join(
        difflib.unified_diff(
            result.original.splitlines(keepends=True),
            result.canonical.splitlines(keepends=True),
            fromfile=f"a/{result.rel}",
            tofile=f"b/{result.rel}",
        )
    )
