"""``forumctl export FORMAT``: proceedings (markdown, site) and schedules and data (json,
csv, ical, frab-xml, frab-json). The exporters live in :mod:`forumctl.export`; this module
parses options, writes the result and reports on stderr."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forumctl.cli import output
from forumctl.cli.context import state

if TYPE_CHECKING:
    from forumctl.export.model import ResolvedArchive

app: typer.Typer = typer.Typer(
    name="export",
    help="Export proceedings (markdown, site) and schedules (json, csv, ical, frab).",
    no_args_is_help=True,
)

ForumOption = Annotated[
    list[str] | None,
    typer.Option("--forum", metavar="ID", help="Export only this forum (repeatable)."),
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


def _resolve(ctx: typer.Context, forums: list[str] | None) -> ResolvedArchive:
    from forumctl.export.model import resolve

    return resolve(state(ctx).archive(), forums or None)


def _write_document(text: str, out: Path | None, force: bool) -> None:
    if out is None:
        output.result(text, end="")
        return
    from forumctl.toml_io import atomic_write

    atomic_write(out, text, force=force)
    output.note(f"wrote {out}")


def _write_directory(files: dict[str, str], out: Path, force: bool, what: str) -> None:
    from forumctl.export.output import write_tree

    write_tree(out, files, force=force)
    output.note(f"wrote {what} ({len(files)} files) to {out}")


# The formats that write a directory: the exporter (module: archive, templates ->
# files), the default directory, what the message calls the result, the command's help.
DIRECTORY_FORMATS = {
    "markdown": (
        "forumctl.export.markdown",
        Path("proceedings"),
        "Markdown proceedings",
        "Markdown proceedings: index.md, speakers.md and one <forum-id>.md per forum.",
    ),
    "site": (
        "forumctl.export.site",
        Path("site"),
        "a MkDocs site",
        "The Markdown proceedings with a mkdocs.yml: run 'mkdocs build' in DIR.",
    ),
}


def _directory_command(
    module: str, default: Path, what: str, help_text: str
) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        forum: ForumOption = None,
        out: Annotated[
            Path, typer.Option("--out", metavar="DIR", help="Output directory.")
        ] = default,
        templates: TemplatesOption = None,
        force: ForceOption = False,
    ) -> None:
        import importlib

        files = importlib.import_module(module).render(_resolve(ctx, forum), templates)
        _write_directory(files, out, force, what)

    command.__doc__ = help_text
    return command


for _name, (_module, _default, _what, _help) in DIRECTORY_FORMATS.items():
    app.command(_name)(_directory_command(_module, _default, _what, _help))


# The formats that make one document: the exporter (module, function: archive -> text
# and warnings), imported only when its command runs, and the command's help.
DOCUMENT_FORMATS = {
    "json": (
        "forumctl.export.json",
        "render",
        'The whole archive, resolved, as one JSON document ({"version": 1, ...}).',
    ),
    "csv": ("forumctl.export.csv", "render", "One row per talk (RFC 4180, UTF-8)."),
    "ical": (
        "forumctl.export.ical",
        "render",
        "iCalendar: one event per timed session (all-day events for a forum without times).",
    ),
    "frab-xml": (
        "forumctl.export.frab",
        "render_xml",
        "The frab schedule XML of one forum, for schedule apps.",
    ),
    "frab-json": (
        "forumctl.export.frab",
        "render_json",
        "The frab schedule JSON of one forum, for schedule apps.",
    ),
}


def _document_command(module: str, function: str, help_text: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        forum: ForumOption = None,
        out: FileOption = None,
        force: ForceOption = False,
    ) -> None:
        import importlib

        exporter = getattr(importlib.import_module(module), function)
        text, warnings = exporter(_resolve(ctx, forum))
        for warning in warnings:
            output.warning(warning)
        _write_document(text, out, force)

    command.__doc__ = help_text
    return command


for _name, (_module, _function, _help) in DOCUMENT_FORMATS.items():
    app.command(_name)(_document_command(_module, _function, _help))
