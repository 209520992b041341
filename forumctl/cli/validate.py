"""``forumctl validate [PATH...]``: every finding of the archive, in one of five formats."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forumctl.cli import output
from forumctl.cli.context import progress_shown, state
from forumctl.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from forumctl.validate.findings import Report


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


def colour_wanted(stream: object) -> bool:
    """Colour only on a terminal; NO_COLOR and TERM=dumb turn it off, FORCE_COLOR on."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def archive_relative(root: Path, paths: list[Path]) -> list[str]:
    """The given paths relative to the archive root, with "/"; a UsageError for a path
    that does not exist or lies outside the archive."""
    inside, outside = split_by_archive(root, paths)
    if outside:
        raise UsageError(
            f"{outside[0]} is outside the archive ({root})", hint="give paths inside the archive"
        )
    return inside


def split_by_archive(root: Path, paths: list[Path]) -> tuple[list[str], list[Path]]:
    """The given paths inside the archive (relative to its root, with "/"), and those
    outside it; a UsageError for a path that does not exist."""
    base = root.resolve()
    inside, outside = [], []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
        # a symbolic link names the record where the link is, wherever it points
        absolute = Path(os.path.abspath(path))
        resolved = absolute.parent.resolve() / absolute.name if absolute.name else absolute
        try:
            rel = resolved.relative_to(base)
        except ValueError:
            outside.append(path)
            continue
        inside.append("" if rel == Path(".") else rel.as_posix())
    return inside, outside


def split_codes(values: list[str]) -> list[str]:
    return [code for value in values for code in value.split(",") if code.strip()]


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Files or directories to report on (default: the whole archive);"
            " references still resolve against the whole archive.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help="Report format.")
    ] = ReportFormat.text,
    output_file: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the report to FILE; the summary still goes to the terminal.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace FILE even if it is not an earlier report (one is always replaced).",
            show_default=False,
        ),
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    exit_zero: Annotated[
        bool,
        typer.Option(
            "--exit-zero", help="Exit 0 even with findings (2 still means it could not run)."
        ),
    ] = False,
    show_statistics: Annotated[
        bool,
        typer.Option(
            "--statistics", help="Count findings per rule instead of listing them (text, json)."
        ),
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Only rules whose code starts with CODE (repeatable, or comma-separated).",
            metavar="CODE",
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            help="Skip rules whose code starts with CODE (repeatable, or comma-separated).",
            metavar="CODE",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check the archive: syntax, schema, names, dates, references, the programme.

    Exit 0 when clean, 1 with findings (errors, or warnings with --strict), 2 when the
    archive cannot be read at all. docs/rules.md lists the rule codes.
    """
    from forumctl.toml_io import atomic_write
    from forumctl.validate import check_codes, reporters
    from forumctl.validate import validate as run_validate

    if show_statistics and output_format not in (ReportFormat.text, ReportFormat.json):
        raise UsageError("--statistics is for --format text or json", hint="leave out --statistics")
    archive = state(ctx).archive(manifest_checked=False)
    only = archive_relative(archive.root, paths) if paths else None
    select_codes = check_codes(split_codes(select or []))
    ignore_codes = check_codes(split_codes(ignore or []))
    with progress_shown(archive, "validate"):
        found = run_validate(archive, only, select=select_codes, ignore=ignore_codes)
    report, base_uri = reporters.seen_from(found, archive.root, Path.cwd())
    document = _document(report, output_format, base_uri, show_statistics, strict, output_file)
    if output_file is None:
        output.result(document, end="")
    else:
        atomic_write(output_file, document, force=force or _earlier_report(output_file))
        output.note(f"{reporters.summary(report)} Report written to {output_file}.")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        if output_format is ReportFormat.text:  # the runner reads annotations from stdout
            output.result(reporters.github(report), end="")
        _add_step_summary(reporters.step_summary(report))
    failed = report.fails(strict=strict) and not exit_zero
    output.exit_with(ExitCode.FINDINGS if failed else ExitCode.OK)


def _document(
    report: Report,
    output_format: ReportFormat,
    base_uri: str | None,
    show_statistics: bool,
    strict: bool,
    output_file: Path | None,
) -> str:
    from forumctl.validate import reporters

    if show_statistics:
        if output_format is ReportFormat.json:
            return reporters.statistics_json(report)
        return reporters.statistics_text(report)
    if output_format is ReportFormat.text:
        return reporters.text(report, colour=output_file is None and colour_wanted(sys.stdout))
    if output_format is ReportFormat.junit:
        return reporters.junit(report, strict=strict)
    if output_format is ReportFormat.sarif:
        return reporters.sarif(report, base_uri=base_uri)
    return reporters.REPORTERS[output_format.value](report)


def _earlier_report(path: Path) -> bool:
    """Whether ``path`` holds a report validate wrote before (it may be replaced)."""
    from forumctl.validate.reporters import is_report

    try:
        return path.is_file() and is_report(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return False


def _add_step_summary(section: str) -> None:
    """Append to GitHub's job summary file, when the runner names one."""
    name = os.environ.get("GITHUB_STEP_SUMMARY")
    if not name:
        return
    try:
        with open(name, "a", encoding="utf-8") as handle:
            handle.write(section)
    except OSError as error:
        output.warning(f"{name}: cannot write the step summary: {error.strerror}")
