"""``forumctl diff [REV [REV]] [-- PATH...]`` and ``forumctl log KIND ID``: what changed in
the proceedings, from the archive's git history (forumctl/history/)."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from forumctl.cli import complete, output
from forumctl.cli.context import state
from forumctl.errors import ExitCode, UsageError

PATHS = "forumctl.paths"


class HistoryFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class RecordKind(StrEnum):
    forum = "forum"
    session = "session"
    speaker = "speaker"


class PathsAfterDashes(TyperCommand):
    """Keeps what follows ``--`` apart, as git does: revisions before it, paths after."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if "--" in args:
            at = args.index("--")
            ctx.meta[PATHS], args = args[at + 1 :], args[:at]
        else:
            ctx.meta[PATHS] = []
        return super().parse_args(ctx, args)


FormatOption = Annotated[
    HistoryFormat,
    typer.Option(
        "--format", help="text, markdown (a pull-request comment, $GITHUB_STEP_SUMMARY) or json."
    ),
]


def _archive_paths(root: Path, paths: list[str]) -> list[str]:
    """PATHs (as typed, relative to the working directory) relative to the archive root;
    they need not exist now (a file that was removed is a path to compare)."""
    base = root.resolve()
    found = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        try:
            rel = absolute.relative_to(base)
        except ValueError:
            raise UsageError(
                f"{path} is outside the archive ({root})", hint="give paths inside the archive"
            ) from None
        found.append("" if rel == Path(".") else rel.as_posix())
    return [path for path in found if path] if all(found) else []


def _repository(ctx: typer.Context) -> tuple[Any, Path]:
    from forumctl.archive import find_root
    from forumctl.history.git import Repository

    root = find_root(state(ctx).archive_path)
    return Repository.containing(root), root


def diff(
    ctx: typer.Context,
    revisions: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[REV [REV]]",
            help="No REV: the last commit against the working tree; one: it against the"
            " working tree; two: the first against the second. Paths after '--' limit it.",
            show_default=False,
        ),
    ] = None,
    output_format: FormatOption = HistoryFormat.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are changes.")
    ] = False,
) -> None:
    """What changed in the proceedings between revisions: records added, removed, renamed,
    moved, cancelled, and every field changed with its old and new value."""
    from forumctl.history import report
    from forumctl.history.diff import between

    repo, root = _repository(ctx)
    try:
        comparison = between(repo, revisions or [], _archive_paths(root, ctx.meta[PATHS]))
    finally:
        repo.close()
    if output_format is HistoryFormat.json:
        from forumctl.jsondoc import dumps

        output.result(dumps(report.to_data(comparison)), end="")
    elif output_format is HistoryFormat.markdown:
        output.result(report.to_markdown(comparison), end="")
    elif comparison.changes:
        output.result(report.to_text(comparison), end="")
    else:
        old, new = (report.revision_name(r) for r in (comparison.old, comparison.new))
        output.note(f"no changes in the proceedings between {old} and {new}")
    if exit_code and comparison.changes:
        output.exit_with(ExitCode.FINDINGS)


def log(
    ctx: typer.Context,
    kind: Annotated[RecordKind, typer.Argument(metavar="forum|session|speaker")],
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The record's ID now.", autocompletion=complete.record_ids
        ),
    ],
    output_format: FormatOption = HistoryFormat.text,
) -> None:
    """The commits that changed one record, newest first, through its renames, each with
    what it changed."""
    from forumctl.history import report
    from forumctl.history.log import record_log

    repo, _ = _repository(ctx)
    try:
        history = record_log(repo, kind.value, record_id)
    finally:
        repo.close()
    if output_format is HistoryFormat.json:
        from forumctl.jsondoc import VERSION, dumps

        output.result(dumps({"version": VERSION, **report.log_data(history)}), end="")
    elif output_format is HistoryFormat.markdown:
        output.result(report.log_markdown(history), end="")
    else:
        output.result(report.log_text(history), end="")
    if history.shallow_at is not None:
        output.warning(
            f"history stops at commit {history.shallow_at[:12]}, the start of this shallow"
            " clone (fetch more with 'git fetch --deepen=N' or 'git fetch --unshallow')"
        )
