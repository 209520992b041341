"""Reading one record file: its record, its problems, its syntax error.

Apart from :mod:`forumctl.archive` so that the parse cache (:mod:`forumctl.cache`), which
stores these results, and the archive, which opens the cache, do not import each other.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forumctl import records
from forumctl.errors import InvalidRecord
from forumctl.records import Problem
from forumctl.toml_io import TomlSyntaxError, decoded, locate, parse, read_text


@dataclass(slots=True)
class LoadedFile:
    """One file as read: its record (None when it could not be built) and its problems.

    ``partial`` is set when there are problems: the record as far as it could be read
    (``records.load(..., partial=True)``), required fields that are missing or wrong
    being None, so that validate's rules see every other value.
    """

    rel: str  # path relative to the archive root, with "/"
    record: Any
    problems: list[Problem] = field(default_factory=list)
    syntax_error: TomlSyntaxError | None = None
    partial: Any = None

    @property
    def ok(self) -> bool:
        return self.record is not None and not self.problems and self.syntax_error is None


def load_file(root: Path, rel: str, cls: type[Any]) -> LoadedFile:
    """Read and check one record file; never raises for bad content, only records it."""
    try:
        text = read_text(os.path.join(root, rel), rel)
    except InvalidRecord as error:  # not UTF-8 or unreadable: not TOML text either
        return _unreadable(rel, error)
    return loaded_from_text(rel, cls, text)


def _unreadable(rel: str, error: InvalidRecord) -> LoadedFile:
    syntax_error = TomlSyntaxError(error.message, path=rel, line=1, column=1, hint=error.hint)
    return LoadedFile(rel, None, syntax_error=syntax_error)


def loaded_from_content(rel: str, cls: type[Any], content: str | bytes) -> LoadedFile:
    """Like :func:`loaded_from_text`, for a file a change moves as it is: bytes that are
    not UTF-8 load as a file validate reports as unreadable."""
    if isinstance(content, bytes):
        try:
            content = decoded(content, rel)
        except InvalidRecord as error:
            return _unreadable(rel, error)
    return loaded_from_text(rel, cls, content)


def loaded_from_text(rel: str, cls: type[Any], text: str) -> LoadedFile:
    """The text of a record file checked against ``cls`` (a file about to be written)."""
    try:
        data = parse(text, rel)
    except TomlSyntaxError as error:
        return LoadedFile(rel, None, syntax_error=error)
    return loaded_from_data(rel, cls, data)


def loaded_from_data(rel: str, cls: type[Any], data: Mapping[str, object]) -> LoadedFile:
    """A parsed file checked against ``cls``: the partial record only when it has problems
    (a second pass over those few files keeps the clean ones as fast as they were)."""
    record, problems = records.load(cls, data)
    partial = records.load(cls, data, partial=True)[0] if problems else None
    return LoadedFile(rel, record, problems, partial=partial)


def first_problem(loaded: LoadedFile, text: str, hint: str | None = None) -> InvalidRecord:
    """The first thing wrong with a file that did not load cleanly, located in its text."""
    if loaded.syntax_error is not None:
        return loaded.syntax_error
    problem = loaded.problems[0]
    line, column = locate(text, problem.keypath)
    return InvalidRecord(problem.message, path=loaded.rel, line=line, column=column, hint=hint)
