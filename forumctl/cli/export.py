"""``forumctl export FORMAT``: proceedings (markdown, site) and schedules and data (json,
csv, ical, frab-xml, frab-json). The exporters live in :mod:`forumctl.export`; this module
parses options, writes the result and reports on stderr."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forumctl.cli import complete, output
from forumctl.cli.context import command_group, progress_shown, state
from forumctl.errors import UsageError

if TYPE_CHECKING:
    from forumctl.export import DirectoryExporter, DocumentExporter
    from forumctl.export.incremental import FileState, Plan
    from forumctl.export.model import ResolvedArchive
    from forumctl.export.output import Previous, Tree, UserFile

app: typer.Typer = command_group(
    name="export",
    help="Export proceedings (markdown, site) and schedules (json, csv, ical, frab).",
    no_args_is_help=True,
)

ForumOption = Annotated[
    list[str] | None,
    typer.Option(
        "--forum",
        metavar="ID",
        help="Export only this forum (repeatable).",
        autocompletion=complete.forum_ids,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite existing output.", show_default=False)
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        metavar="DIR",
        help="Your templates; any template found there replaces the built-in one of that name.",
        show_default=False,
    ),
]
FileOption = Annotated[
    Path | None,
    typer.Option("--out", metavar="FILE", help="Write here (default: stdout).", show_default=False),
]

JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        min=1,
        help="Render the pages in N processes at once (default, and at most: one per"
        " processor forumctl may use).",
        show_default=False,
    ),
]


LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--language",
        metavar="LANG",
        help="Write the text of forums, sessions and talks in this language (BCP 47 tag)"
        " where they have a translation into it, else in the original.",
        show_default=False,
    ),
]


def _resolve(ctx: typer.Context, forums: list[str] | None) -> ResolvedArchive:
    from forumctl.export.model import resolve

    archive = state(ctx).archive()
    with progress_shown(archive, "export: reading"):
        return resolve(archive, forums or None)


def _resolve_in_part(
    ctx: typer.Context, previous: Previous, changed: list[str], files: FileState
) -> tuple[set[str], ResolvedArchive] | None:
    """The programmes of the forums whose sessions alone changed and of those their
    speakers appear in (:func:`incremental.programmes_reached`), resolved with every other
    forum's record; None when the whole archive must be: an error (which the whole load
    reports as it always did) or appearances that changed (a count on the speakers page)."""
    from forumctl.errors import ForumctlError
    from forumctl.export import incremental
    from forumctl.export.model import resolve

    archive = state(ctx).archive()
    with progress_shown(archive, "export: reading"):
        try:
            programmes = incremental.programmes_reached(archive, changed, files)
            resolved = resolve(archive, programmes=programmes)
        except ForumctlError:
            return None
    if not incremental.same_appearances(previous, resolved, changed):
        return None
    return programmes, resolved


def _workers(jobs: int | None) -> int | None:
    """--jobs, at most one process per processor forumctl may use: more only wait for
    each other (and a fork per page of a large archive exhausts the machine)."""
    from forumctl.export.confine import processors

    return None if jobs is None else min(jobs, processors())


def _write_document(text: str, out: Path | None, force: bool) -> None:
    if out is None:
        output.result(text, end="")
        return
    from forumctl.toml_io import atomic_write

    atomic_write(out, text, force=force)
    output.note(f"wrote {out}")


def _write_directory(
    tree: Tree,
    out: Path,
    force: bool,
    what: str,
    user_files: Mapping[str, UserFile] | None,
    plan: Plan,
    state: Mapping[str, str],
    previous: Previous | None,
) -> None:
    from forumctl.export.output import write_tree

    written = write_tree(
        out,
        tree.files,
        pages=tree.pages,
        force=force,
        user_files=user_files,
        inputs=plan.inputs,
        keep=plan.keep,
        state=state,
        previous=previous,
    )
    _closing_note(what, out, written.files, written.changed)


def _closing_note(what: str, out: Path, total: int, changed: int) -> None:
    if changed == 0:
        output.note(f"nothing to write: {what} in {out} is up to date ({total} files)")
    elif changed < total:
        output.note(f"wrote {what} ({total} files, {changed} changed) to {out}")
    else:
        output.note(f"wrote {what} ({total} files) to {out}")


@dataclass(frozen=True, slots=True)
class DirectoryFormat:
    """``export NAME`` writing a directory; ``load`` imports the exporter when it runs."""

    name: str
    load: Callable[[], DirectoryExporter]
    default_out: Path
    what: str  # what the closing note calls the result: "wrote <what> (n files) to DIR"
    help: str
    pages_in: str  # where the Markdown pages are in DIR ("" the top, "docs/")
    # the files the user owns once written (a site's mkdocs.yml), for the archive
    user_files: Callable[[ResolvedArchive], Mapping[str, UserFile]] | None = None
    user_file_names: tuple[str, ...] = ()  # their names (known before the archive is read)


@dataclass(frozen=True, slots=True)
class DocumentFormat:
    """``export NAME`` writing one document; ``load`` imports the exporter when it runs."""

    name: str
    load: Callable[[], DocumentExporter]
    help: str


def _markdown() -> DirectoryExporter:
    from forumctl.export import markdown

    return markdown.tree


def _site() -> DirectoryExporter:
    from forumctl.export import site

    return site.render


def _site_user_files(resolved: ResolvedArchive) -> Mapping[str, UserFile]:
    from forumctl.export import site

    return {site.CONFIG: site.user_config(resolved)}


def _json() -> DocumentExporter:
    from forumctl.export import json

    return json.render


def _csv() -> DocumentExporter:
    from forumctl.export import csv

    return csv.render


def _ical() -> DocumentExporter:
    from forumctl.export import ical

    return ical.render


def _frab_xml() -> DocumentExporter:
    from forumctl.export import frab

    return frab.render_xml


def _frab_json() -> DocumentExporter:
    from forumctl.export import frab

    return frab.render_json


def _bibtex() -> DocumentExporter:
    from forumctl.export import citations

    return citations.render_bibtex


def _csl_json() -> DocumentExporter:
    from forumctl.export import citations

    return citations.render_csl_json


DIRECTORY_FORMATS = (
    DirectoryFormat(
        "markdown",
        _markdown,
        Path("proceedings"),
        "Markdown proceedings",
        "Markdown proceedings: index.md, speakers.md and one FORUM-ID.md per forum.",
        "",
    ),
    DirectoryFormat(
        "site",
        _site,
        Path("site"),
        "a MkDocs site",
        "The Markdown proceedings as a Material for MkDocs site: run 'mkdocs build' in DIR"
        " (pip install 'forumctl[site]'). Your mkdocs.yml is kept; forumctl's settings are"
        " in forumctl.mkdocs.yml.",
        "docs/",
        _site_user_files,
        ("mkdocs.yml",),  # site.CONFIG (site.py is imported only when pages are made)
    ),
)
DOCUMENT_FORMATS = (
    DocumentFormat(
        "json", _json, 'The whole archive, resolved, as one JSON document ({"version": 1, ...}).'
    ),
    DocumentFormat("csv", _csv, "One row per talk (RFC 4180, UTF-8)."),
    DocumentFormat(
        "ical",
        _ical,
        "iCalendar: one event per timed session (all-day events for a forum without times).",
    ),
    DocumentFormat("frab-xml", _frab_xml, "The frab schedule XML of one forum, for schedule apps."),
    DocumentFormat(
        "frab-json", _frab_json, "The frab schedule JSON of one forum, for schedule apps."
    ),
    DocumentFormat(
        "bibtex", _bibtex, "BibTeX: an @proceedings per forum, an @inproceedings per talk."
    ),
    DocumentFormat(
        "csl-json", _csl_json, "CSL JSON (Zotero, Pandoc, citeproc): one item per talk."
    ),
)


def _directory_command(row: DirectoryFormat) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        forum: ForumOption = None,
        out: Annotated[
            Path, typer.Option("--out", metavar="DIR", help="Output directory.")
        ] = row.default_out,
        templates: TemplatesOption = None,
        force: ForceOption = False,
        language: LanguageOption = None,
        jobs: JobsOption = None,
    ) -> None:
        from forumctl.export import incremental
        from forumctl.export.output import previous_export, remove_abandoned_staging

        archive = state(ctx).archive()  # (an interrupted change recovered, the manifest read)
        root = archive.root
        files = incremental.file_state(archive)  # before anything else is read
        options = incremental.Options(row.name, templates, language, forum, row.pages_in)
        previous = previous_export(out)
        if (
            previous is not None
            and all(_user_file_kept(previous, name) for name in row.user_file_names)
            and incremental.unchanged(previous, files, options, root)
        ):  # the archive, the options, forumctl and the files in --out as they were
            remove_abandoned_staging(out)  # (as write_tree does: left by a killed export)
            # the user's files counted too, as write_tree counts them
            _closing_note(row.what, out, len(previous.entries) + len(row.user_file_names), 0)
            return
        changed, in_part = None, None
        if previous is not None and files is not None:  # sessions alone changed? load those
            changed = incremental.changed_forums(previous, files, options, root)
            if changed is not None:
                in_part = _resolve_in_part(ctx, previous, changed, files)
        if in_part is None:
            changed, programmes, resolved = None, None, _resolve(ctx, forum)
        else:
            programmes, resolved = in_part
        if language is not None:
            from forumctl.export.model import translated
            from forumctl.standards import language_problem

            problem = language_problem(language)
            if problem is not None:
                raise UsageError(f"--language {language!r}: {problem}")
            resolved = translated(resolved, language)
        plan = incremental.plan(resolved, options, previous, changed)
        tree = row.load()(resolved, templates, plan.render, workers=_workers(jobs))
        user_files = None if row.user_files is None else row.user_files(resolved)
        state_now = incremental.recorded(files, options, resolved, previous, programmes)
        _write_directory(tree, out, force, row.what, user_files, plan, state_now, previous)

    command.__doc__ = row.help
    return command


def _user_file_kept(previous: Previous, name: str) -> bool:
    """Whether a file the user owns is in --out, and an export would leave it as it is
    (one the marker lists is migrated: site.user_config)."""
    return name not in previous.entries and (previous.out / name).is_file()


def _document_command(row: DocumentFormat) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        forum: ForumOption = None,
        out: FileOption = None,
        force: ForceOption = False,
    ) -> None:
        text, warnings = row.load()(_resolve(ctx, forum))
        for warning in warnings:
            output.warning(warning)
        _write_document(text, out, force)

    command.__doc__ = row.help
    return command


for _directory in DIRECTORY_FORMATS:
    app.command(_directory.name)(_directory_command(_directory))
for _document in DOCUMENT_FORMATS:
    app.command(_document.name)(_document_command(_document))
