"""The root command: global options, the command groups, and errors mapped to exit codes.

Command modules import their heavy dependencies (jinja2, icalendar, rich tables) inside
the command function, so that ``--help`` stays near a bare Typer app's start-up.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from forumctl import __version__
from forumctl.cli import (
    edit,
    export,
    fmt,
    history,
    importing,
    init,
    listing,
    migrate,
    new,
    output,
    rewrite,
    schema,
    show,
    validate,
)
from forumctl.cli.context import State
from forumctl.errors import ExitCode, ForumctlError


class ForumctlGroup(TyperGroup):
    """Catches every error once, at the top: one line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ForumctlError as error:
            if _debugging(ctx):
                raise
            error.path = _as_typed(error.path)
            for line in error.details:
                output.note(line)
            output.error(str(error))
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            output.error("interrupted")
            ctx.exit(ExitCode.INTERRUPTED)
        except BrokenPipeError:  # the reader went away (forumctl fmt --diff | head)
            _silence_stdout()
            ctx.exit(ExitCode.BROKEN_PIPE)
        except EOFError:  # stdin ended at a prompt, which is left unanswered on its line
            output.note("")  # ends the prompt's line
            output.error("no input for the prompt (pass the values as options, or --no-input)")
            ctx.exit(ExitCode.USAGE)
        except (typer.Exit, typer.Abort, typer.TyperException, SystemExit):
            raise  # Typer's own: it prints usage errors and sets their exit codes
        except Exception as error:  # a bug: still one line, the traceback with --debug
            if _debugging(ctx):
                raise
            output.error(
                f"unexpected {type(error).__name__}: {error}"
                " (a bug in forumctl: rerun with --debug and report the traceback)"
            )
            ctx.exit(ExitCode.USAGE)
        finally:
            found = ctx.find_object(State)
            if found is not None:
                found.finish()


def _as_typed(path: Path | str | None) -> Path | str | None:
    """A path under the working directory as a relative one, the way users type them
    (an archive found by upward search has an absolute root)."""
    if path is None or not Path(path).is_absolute():
        return path
    try:
        return Path(path).relative_to(Path.cwd())
    except ValueError:
        return path


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that flushing it at exit cannot fail a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _debugging(ctx: Any) -> bool:
    found = ctx.find_object(State)
    return bool(found and found.debug) or os.environ.get("FORUMCTL_DEBUG") == "1"


app = typer.Typer(
    name="forumctl",
    cls=ForumctlGroup,
    help="Keep the proceedings of forums as an archive of TOML files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        output.result(f"forumctl {__version__}")
        output.exit_with(ExitCode.OK)


@app.callback()
def root(
    ctx: typer.Context,
    archive: Annotated[
        Path | None,
        typer.Option(
            "--archive",
            help="Archive directory (default: $FORUMCTL_ARCHIVE, else the nearest"
            " directory upward holding forumctl.toml).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every file; neither read nor write the cache.")
    ] = False,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager", help="Never page long results (default: $FORUMCTL_PAGER, $PAGER, less)."
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    ctx.obj = State(archive, debug, no_cache)
    ctx.obj.no_pager = no_pager


def run() -> None:
    app(prog_name="forumctl")


app.command("init")(init.init)
app.add_typer(new.app)
app.add_typer(edit.app)
app.add_typer(listing.app)
app.add_typer(show.app)
app.command("validate")(validate.validate)
app.command("fmt")(fmt.fmt)
app.command("schema")(schema.schema)
app.add_typer(export.app)
app.add_typer(rewrite.rename_app)
app.add_typer(rewrite.merge_app)
app.add_typer(rewrite.rm_app)
app.command("diff", cls=history.PathsAfterDashes)(history.diff)
app.command("log")(history.log)
app.command("import")(importing.import_programme)
app.command("migrate")(migrate.migrate)
