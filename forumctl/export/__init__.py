"""Exports: the archive resolved once (:mod:`forumctl.export.model`), then written as
Markdown proceedings, a MkDocs site, JSON, CSV, iCalendar or a frab schedule.

Every exporter returns text (or the files of a directory: text, and pages that are
rendered as they are written); writing files is :mod:`forumctl.export.output`'s job, so
that each format is a pure function of the archive and the same archive always gives
byte-identical output.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from forumctl.export.model import ResolvedArchive
    from forumctl.export.output import Tree
    from forumctl.export.pages import Selection


class DocumentExporter(Protocol):
    """A format that makes one document: its text and warnings (what it left out)."""

    def __call__(self, resolved: ResolvedArchive, /) -> tuple[str, list[str]]: ...


class DirectoryExporter(Protocol):
    """A format that makes a directory: its files by relative path; ``user_templates``
    replace built-in templates of the same name; ``only`` renders the pages it selects
    alone (:mod:`forumctl.export.incremental`), and the files that are not pages (a
    site's configuration); ``workers`` processes render the pages (default: one per
    processor)."""

    def __call__(
        self,
        resolved: ResolvedArchive,
        user_templates: Path | None = None,
        only: Selection | None = None,
        /,
        *,
        workers: int | None = None,
    ) -> Tree: ...
