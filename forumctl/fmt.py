"""fmt: rewrite record files to the canonical form that forumctl writes.

Values are kept exactly: the text is regenerated from the record read from the file's
text, so a file that does not load cleanly is never rewritten (its unknown or wrong keys
would be lost). Comments are carried along (:func:`carry_comments`): a comment on its own
lines goes above the key or table header it stood above, one after a value stays after
that value, those at the end stay at the end. Should a comment have no place (the text
would not read back to the same data), the file is reported and left alone unless the
caller forces it.

The CLI writes the results through the change layer, under its lock, and a file that
changed after fmt read it is not replaced (forumctl.change.ChangedMeanwhile).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from forumctl.archive import Archive
from forumctl.errors import InvalidRecord
from forumctl.loading import LoadedFile, first_problem, loaded_from_text
from forumctl.records import RECORD_TYPES, KeyPath
from forumctl.toml_io import SCHEMA_COMMENT_PREFIX, comments, dumps, key_lines, parse, read_text

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
    return [line for line, _ in comment_starts(text)]


def comment_starts(text: str) -> list[tuple[int, int]]:
    """(1-based line, 0-based column of the ``#``) of every comment outside strings; a
    first-line ``#:schema`` is not counted."""
    lines = text.split("\n")
    return [
        (line, len(lines[line - 1].rstrip("\r")) - len(comment) - 1)
        for line, comment in comments(text)
        if not (line == 1 and text.startswith(SCHEMA_COMMENT_PREFIX))
    ]


def _line_keys(text: str) -> dict[int, KeyPath]:
    """The key path that each line starts (a key, a table header, an array's item)."""
    found: dict[int, tuple[int, KeyPath]] = {}
    for path, (line, column) in key_lines(text).items():
        if line not in found or column < found[line][0]:
            found[line] = (column, path)
    return {line: path for line, (_, path) in found.items()}


def carry_comments(original: str, canonical: str) -> str | None:
    """``canonical`` with the comments of ``original`` carried along; None when they
    cannot all be placed so that the text reads back to the same data."""
    starts = comment_starts(original)
    if not starts:
        return canonical
    lines = original.splitlines()
    keys = _line_keys(original)
    above: dict[KeyPath, list[str]] = {}
    after: dict[KeyPath, str] = {}
    pending: list[str] = []
    comment_at = dict(starts)
    for number, text in enumerate(lines, start=1):
        column = comment_at.get(number)
        if column is not None and not text[:column].strip():
            pending.append(text.strip())
            continue
        path = keys.get(number)
        if path is not None and pending:
            above.setdefault(path, []).extend(pending)
            pending = []
        if column is not None:
            if path is None:
                return None  # after a value over several lines: no key of its own
            after[path] = text[column:].rstrip()
    out: list[str] = []
    canonical_keys = _line_keys(canonical)
    placed = 0
    for number, text in enumerate(canonical.splitlines(), start=1):
        path = canonical_keys.get(number)
        if path in above:
            out.extend(above[path])
            placed += len(above[path])
        if path in after:
            text = f"{text}  {after[path]}"
            placed += 1
        out.append(text)
    out.extend(pending)
    placed += len(pending)
    result = "\n".join(out) + "\n"
    if placed != len(starts) or parse(result, "") != parse(canonical, ""):
        return None
    return result


def _format_one(archive: Archive, kind: str, listed: LoadedFile, force: bool) -> Formatted:
    rel = listed.rel
    try:
        original = read_text(archive.root / rel, rel)
    except InvalidRecord as error:
        return Formatted(rel, "invalid", "", problem=str(error))
    # from the text read now, not the cache: what is written must match what was read
    loaded = loaded_from_text(rel, RECORD_TYPES[kind], original)
    if loaded.syntax_error is not None or loaded.problems or loaded.record is None:
        return Formatted(rel, "invalid", original, problem=str(first_problem(loaded, original)))
    canonical = dumps(loaded.record, archive.schema_ref(rel, kind))
    if canonical == original:
        return Formatted(rel, "unchanged", original, canonical)
    commented = carry_comments(original, canonical)
    if commented is None:
        if not force:
            return Formatted(rel, "has-comments", original, canonical)
        commented = canonical
    status: Status = "unchanged" if commented == original else "changed"
    return Formatted(rel, status, original, commented)


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
