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
from forumctl.toml_io import SCHEMA_COMMENT_PREFIX, dumps, read_text

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
    lines: list[int] = []
    line = 1
    i = 0
    quote = ""  # the delimiter of the string being read: ", ', \"\"\" or '''
    while i < len(text):
        char = text[i]
        if char == "\n":
            line += 1
        if quote:
            if char == "\\" and quote[0] == '"':
                line += text.startswith("\n", i + 1)  # a line-ending backslash
                i += 2
                continue
            if text.startswith(quote, i):
                run = len(quote)
                while len(quote) == 3 and run < 5 and text.startswith(quote[0], i + run):
                    run += 1  # up to two quotes may end a multi-line string's content
                i += run
                quote = ""
                continue
            i += 1
            continue
        if char == "#":
            if not (line == 1 and text.startswith(SCHEMA_COMMENT_PREFIX)):
                lines.append(line)
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if char in "\"'":
            quote = char * 3 if text.startswith(char * 3, i) else char
            i += len(quote)
            continue
        i += 1
    return lines


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
