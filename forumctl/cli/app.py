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
from forumctl.errors import ForumctlError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class State:
    """Global options, shared with every command through the Typer context."""

    def __init__(self, archive: Path | None, debug: bool, no_cache: bool = False) -> None:
        self.archive_path = archive
        self.debug = debug
        self.no_cache = no_cache
        self._archive: Any = None

    def archive(self, *, manifest_checked: bool = True) -> Any:
        """The archive, found by --archive, $FORUMCTL_ARCHIVE or upward search (once).

        Commands that read records refuse a manifest with defects (an unknown format, a
        missing name): they cannot know what the archive means. validate and fmt take it
        as it is and report or rewrite those defects.
        """
        if self._archive is None:
            from forumctl.archive import Archive

            self._archive = Archive.discover(self.archive_path, cache=not self.no_cache)
        if manifest_checked:
            self._archive.manifest  # noqa: B018  (raises InvalidRecord naming file and line)
        return self._archive

    def save_cache(self) -> None:
        if self._archive is not None:
            self._archive.save_cache()


def state(ctx: typer.Context) -> State:
    return ctx.find_object(State) or State(None, False)


def fail(message: str) -> None:
    """One line on stderr: what forumctl says when it cannot go on."""
    sys.stderr.write(f"forumctl: error: {message}\n")


class ForumctlGroup(TyperGroup):
    """Catches every error once, at the top: one line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ForumctlError as error:
            if _debugging(ctx):
                raise
            fail(str(error))
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            fail("interrupted")
            ctx.exit(130)
        except EOFError:  # stdin ended at a prompt, which is left unanswered on its line
            sys.stderr.write("\n")
            fail("no input for the prompt (pass the values as options, or --no-input)")
            ctx.exit(EXIT_USAGE)
        except (typer.Exit, typer.Abort, typer.TyperException, SystemExit):
            raise  # Typer's own: it prints usage errors and sets their exit codes
        except Exception as error:  # a bug: still one line, the traceback with --debug
            if _debugging(ctx):
                raise
            fail(
                f"unexpected {type(error).__name__}: {error}"
                " (a bug in forumctl: rerun with --debug and report the traceback)"
            )
            ctx.exit(EXIT_USAGE)
        finally:
            found = ctx.find_object(State)
            if found is not None:
                found.save_cache()


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
        typer.echo(f"forumctl {__version__}")
        raise typer.Exit()


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
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    ctx.obj = State(archive, debug, no_cache)


def run() -> None:
    app(prog_name="forumctl")


# Command modules import `state` from here, so they are registered after it exists.
from forumctl.cli import export as _export  # noqa: E402
from forumctl.cli import fmt as _fmt  # noqa: E402
from forumctl.cli import init, listing, new, show  # noqa: E402
from forumctl.cli import schema as _schema  # noqa: E402
from forumctl.cli import validate as _validate  # noqa: E402

app.command("init")(init.init)
app.add_typer(new.app)
app.add_typer(listing.app)
app.add_typer(show.app)
app.command("validate")(_validate.validate)
app.command("fmt")(_fmt.fmt)
app.command("schema")(_schema.schema)
app.add_typer(_export.app)
