"""The root command: global options, the command groups, and errors mapped to exit codes.

The command modules are imported only when their command runs, its help is shown or it is
completed (:data:`COMMANDS`): ``forumctl --help`` lists them from the summaries there and
imports none of them, nor records.py that ``new`` and ``edit`` build their options from.
Inside a command module, heavy dependencies (jinja2, icalendar, rich tables) are imported
in the command function. Help is Click's plain layout (``rich_markup_mode=None``): it
rewraps paragraphs to the terminal and needs no rich at start-up.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
import typer._click._textwrap
import typer.main
from typer.core import TyperArgument, TyperGroup

from forumctl import __version__
from forumctl.cli import output
from forumctl.cli.context import State
from forumctl.errors import ExitCode, ForumctlError, Terminated, UsageError


class ForumctlGroup(TyperGroup):
    """Catches every error once, at the top: one line on stderr and an exit code; takes
    the global options after the subcommand too."""

    loaded: dict[str, Any]

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, name: str) -> Any:
        if name not in COMMANDS:
            return None
        loaded = self.__dict__.setdefault("loaded", {})
        if name not in loaded:
            loaded[name] = COMMANDS[name].load(name)
        return loaded[name]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The list of commands from their summaries, importing none of them."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, command.summary) for name, command in COMMANDS.items()])

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Click's main, with its usage errors (an unknown option or command, a missing
        argument, a bad value) as one line like every other error, exit 2."""
        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except typer._click.exceptions.NoArgsIsHelpError as error:
            output.note(error.format_message())  # a group without its command: its help
            code = ExitCode.USAGE
        except typer._click.exceptions.UsageError as error:
            output.error(usage_error_line(error))
            code = ExitCode.USAGE
        except typer._click.exceptions.ClickException as error:
            output.error(error.format_message())
            code = error.exit_code
        except typer.Abort:
            output.error("aborted")
            code = ExitCode.INTERRUPTED
        except ForumctlError as error:  # raised while the options are read (--show-completion)
            output.error(str(error))
            code = error.exit_code
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else ExitCode.OK)

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: Any = None
    ) -> None:
        """Typer's completion, its shell classes registered only when a shell asks (Typer
        would import them at every start)."""
        if os.environ.get(complete_var or COMPLETE_VAR):
            from typer._completion_classes import completion_init

            completion_init()
            super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, globals_first(self, ctx, shell_optional(args)))

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
        except Terminated:
            output.error("terminated")
            ctx.exit(ExitCode.TERMINATED)
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


def usage_error_line(error: Any) -> str:
    """Click's usage error as forumctl words errors: lower case, no full stop, and a
    hint: did-you-mean for an unknown option or command, else where the help is."""
    from forumctl.suggest import did_you_mean

    ctx = error.ctx
    hint = None
    if isinstance(error, typer._click.exceptions.NoSuchOption):
        message = f"no such option: {error.option_name}"
        if ctx is not None:
            options = [opt for param in ctx.command.params for opt in param.opts]
            hint = did_you_mean(error.option_name, options)
    else:
        message = error.format_message().split(". Did you mean")[0]  # Typer's, reworded
        message = message[:1].lower() + message[1:].removesuffix(".")
        unknown = message.removeprefix("no such command ")
        if unknown != message and ctx is not None:
            hint = did_you_mean(unknown.strip("'"), ctx.command.list_commands(ctx))
    if hint is None and ctx is not None:
        hint = f"see '{ctx.command_path} --help'"
    return str(UsageError(message, hint=hint))


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
    rich_markup_mode=None,
    help="Keep the proceedings of forums as an archive of TOML files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,  # its own --show-completion and --install-completion, below
    context_settings={"help_option_names": ["-h", "--help"]},
)


COMPLETE_VAR = "_FORUMCTL_COMPLETE"  # the variable the completion scripts set, as Typer names it
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def shell_optional(args: list[str]) -> list[str]:
    """``args`` with the SHELL of --show-completion and --install-completion made optional
    (Typer's Click has no optional values): one followed by nothing, an option or a
    command is given the empty value, which means the shell forumctl runs in."""
    given: list[str] = []
    for i, token in enumerate(args):
        if token == "--":
            return given + args[i:]
        following = args[i + 1] if i + 1 < len(args) else None
        bare = token in ("--show-completion", "--install-completion") and (
            following is None or following.startswith("-") or following in COMMANDS
        )
        given.append(f"{token}=" if bare else token)
    return given


def _shell(option: str, value: str) -> str:
    """The shell named after --show-completion or --install-completion, else the one
    forumctl runs in."""
    from typer._completion_shared import _get_shell_name

    shell = value or _get_shell_name() or ""
    if shell not in SHELLS:
        raise UsageError(
            f"{option}: no completion for the shell {shell!r}" if shell else f"{option}: no shell",
            hint=f"name one of {', '.join(SHELLS)}",
        )
    return shell


def _show_completion(value: str | None) -> None:
    if value is not None:
        from typer._completion_shared import get_completion_script

        shell = _shell("--show-completion", value)
        script = get_completion_script(prog_name="forumctl", complete_var=COMPLETE_VAR, shell=shell)
        output.result(script)
        output.exit_with(ExitCode.OK)


def _install_completion(value: str | None) -> None:
    if value is not None:
        from typer._completion_shared import install

        shell, path = install(_shell("--install-completion", value), "forumctl", COMPLETE_VAR)
        output.note(f"{shell} completion installed in {path}; it takes effect in a new shell")
        output.exit_with(ExitCode.OK)


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
            metavar="PATH",
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
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="[SHELL]",
            callback=_show_completion,
            expose_value=False,
            is_eager=True,
            help="Print the completion script of SHELL (bash, zsh, fish, powershell; default:"
            " the shell forumctl runs in), to source it or install it yourself.",
        ),
    ] = None,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="[SHELL]",
            callback=_install_completion,
            expose_value=False,
            is_eager=True,
            help="Install completion for SHELL (default: the shell forumctl runs in).",
        ),
    ] = None,
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


@dataclass(frozen=True)
class LazyCommand:
    """A command (or group) in ``module``: ``attribute`` is a Typer app, or a command
    function, with ``cls`` the name of its Click class in that module when not Typer's."""

    module: str
    attribute: str
    summary: str  # the line of the command list in forumctl --help
    cls: str | None = None

    def load(self, name: str) -> Any:
        import importlib

        module = importlib.import_module(f"forumctl.cli.{self.module}")
        target = getattr(module, self.attribute)
        if isinstance(target, typer.Typer):
            command: Any = typer.main.get_group(target)  # a group even with one (merge)
        else:
            single = typer.Typer(rich_markup_mode=None, add_completion=False)
            single.command(name, cls=getattr(module, self.cls) if self.cls else None)(target)
            command = typer.main.get_command(single)
        command.short_help = self.summary
        plain_help(command)
        return command


def plain_help(command: Any) -> None:
    """Help that reads at 80 columns, for ``command`` and its subcommands: one placeholder
    style, as DESIGN.md writes them (a value an upper-case word, TEXT, N, PATH; an
    argument its name, TITLE, in brackets when optional; a choice its values,
    table|json|csv), where Typer would write <str>, <path>, {id} and [title]; and each
    subcommand listed by its whole first sentence, where Click would cut it at a width."""
    for param in command.params:
        if param.param_type_name == "argument":
            param.__class__ = PlainArgument
        if param.metavar is not None or getattr(param, "is_flag", False):
            continue
        choices = getattr(param.type, "choices", None)
        if param.param_type_name == "argument":
            param.metavar = (param.name or "").upper()
        elif choices:
            param.metavar = "|".join(str(getattr(choice, "value", choice)) for choice in choices)
        else:
            param.metavar = {"integer": "N", "path": "PATH"}.get(param.type.name, "TEXT")
    for sub in getattr(command, "commands", {}).values():
        if not sub.short_help and sub.help:
            first = " ".join(sub.help.split("\n\n")[0].split())
            sub.short_help = first.split(". ")[0].removesuffix(".") + "."
        plain_help(sub)


class _WholeWords(typer._click._textwrap.TextWrapper):
    """Click's wrapper, never breaking a line inside a hyphenated word (--talk-abstract,
    FORUM-ID, YYYY-MM-DD are things users copy)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.break_on_hyphens = False


# Click's wrap_text looks its wrapper class up in this module at each call
typer._click._textwrap.TextWrapper = _WholeWords  # type: ignore[misc]


class PlainArgument(TyperArgument):
    """An argument written in usage as Click writes one: ID, [PATH], PATH... (not {ID})."""

    def make_metavar(self, ctx: Any, *, usage: bool = False) -> str:
        var = self.metavar or (self.name or "").upper()
        if self.nargs != 1 and self.metavar is None:
            var += "..."
        return f"[{var}]" if usage and not self.required and not var.startswith("[") else var


COMMANDS = {
    "init": LazyCommand("init", "init", "Make a new archive."),
    "new": LazyCommand("new", "app", "Scaffold a forum, session or speaker."),
    "edit": LazyCommand("edit", "app", "Change a forum, session or speaker in place."),
    "list": LazyCommand("listing", "app", "List forums, sessions or speakers."),
    "show": LazyCommand("show", "app", "Show one forum, session or speaker."),
    "validate": LazyCommand("validate", "validate", "Check the archive; report every finding."),
    "fmt": LazyCommand("fmt", "fmt", "Rewrite files in canonical order and layout."),
    "schema": LazyCommand("schema", "schema", "Print the JSON Schema of a record."),
    "export": LazyCommand("export", "app", "Export proceedings and schedules."),
    "rename": LazyCommand("rewrite", "rename_app", "Give a record a new ID everywhere."),
    "merge": LazyCommand("rewrite", "merge_app", "Make one person in two files one."),
    "rm": LazyCommand("rewrite", "rm_app", "Remove a record nothing refers to."),
    "diff": LazyCommand("history", "diff", "What changed between revisions.", "PathsAfterDashes"),
    "log": LazyCommand("history", "log", "The commits that changed one record."),
    "import": LazyCommand("importing", "import_programme", "Import a programme, or update it."),
    "migrate": LazyCommand("migrate", "migrate", "Upgrade the archive to a newer format."),
}
