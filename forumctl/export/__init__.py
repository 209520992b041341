"""Exports: the archive resolved once (:mod:`forumctl.export.model`), then written as
Markdown proceedings, a MkDocs site, JSON, CSV, iCalendar or a frab schedule.

Every exporter returns text (or a mapping of relative paths to text); writing files is
:mod:`forumctl.export.output`'s job, so that each format is a pure function of the
archive and the same archive always gives byte-identical output.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from forumctl.export.model import ResolvedArchive


class DocumentExporter(Protocol):
    """A format that makes one document: its text and warnings (what it left out)."""

    def __call__(self, resolved: ResolvedArchive, /) -> tuple[str, list[str]]: ...


class DirectoryExporter(Protocol):
    """A format that makes a directory: relative paths to their text; ``user_templates``
    replace built-in templates of the same name."""

    def __call__(
        self, resolved: ResolvedArchive, user_templates: Path | None = None, /
    ) -> dict[str, str]: ...
