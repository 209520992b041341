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
from forumctl.errors import ExitCode, ForumctlError, UsageError


class ForumctlGroup(TyperGroup):
    """Catches every error once, at the top: one line on stderr and an exit code; takes
    the global options after the subcommand too."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, globals_first(self, ctx, args))

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


GLOBAL_FLAGS = frozenset({"--no-cache", "--no-pager", "--debug"})
GLOBAL_WITH_VALUE = frozenset({"--archive", "-C"})


def globals_first(group: Any, ctx: Any, args: list[str]) -> list[str]:
    """``args`` with the global options given after the subcommand moved before it, as
    git and gh take them anywhere (``forumctl validate --archive archive``). The value of
    one of the subcommand's own options is left alone, even when it looks like an option
    (``--search --no-cache``); nothing after ``--`` moves. (Typer vendors its own click:
    commands are told apart by what they have, not by class.)"""
    moved: list[str] = []
    rest: list[str] = []
    command: Any = group
    takes_value: set[str] = set()
    i = 0
    while i < len(args):
        token = args[i]
        if token == "--":
            rest += args[i:]
            break
        name = token.split("=", 1)[0]
        if command is not group and name in GLOBAL_WITH_VALUE | GLOBAL_FLAGS:
            takes = name in GLOBAL_WITH_VALUE and "=" not in token
            moved += args[i : i + 1 + takes]
            i += 1 + takes
            continue
        rest.append(token)
        if token in takes_value and i + 1 < len(args):
            rest.append(args[i + 1])
            i += 1
        elif not token.startswith("-") and hasattr(command, "get_command"):
            sub = command.get_command(ctx, token)
            if sub is not None:
                command = sub
                takes_value = {
                    opt
                    for param in sub.params
                    if param.param_type_name == "option" and not param.is_flag and not param.count
                    for opt in param.opts
                }
        i += 1
    return moved + rest


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
    directory: Annotated[
        Path | None,
        typer.Option(
            "-C",
            metavar="DIR",
            help="Run as if started in DIR (before --archive is resolved), as git -C does.",
            show_default=False,
        ),
    ] = None,
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
    if directory is not None:
        try:
            os.chdir(directory)
        except OSError as error:
            raise UsageError(f"-C {directory}: {error.strerror}") from None
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
