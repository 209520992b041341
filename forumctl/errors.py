"""The one exception tree. The CLI catches ForumctlError once and maps it to an exit code."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Every exit code forumctl ends with (DESIGN.md section 3)."""

    OK = 0
    FINDINGS = 1  # validate found problems; fmt --check would change files
    USAGE = 2  # a bad option, no archive, an unreadable file: every ForumctlError
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT
    BROKEN_PIPE = 141  # the reader went away, as a shell reports SIGPIPE
    TERMINATED = 143  # SIGTERM (a process manager, CI cancelling a job), as a shell reports it


class Terminated(KeyboardInterrupt):
    """SIGTERM where forumctl cleans up as at Ctrl-C (an export's rendering processes and
    staging directory), then ends with :attr:`ExitCode.TERMINATED`."""


class ForumctlError(Exception):
    """Base of every error forumctl reports to a user: one line, with a hint of what to do."""

    exit_code = ExitCode.USAGE
    details: tuple[str, ...] = ()  # lines the CLI prints before the error (refused findings)

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ArchiveNotFound(ForumctlError):
    """No archive at the given path, in FORUMCTL_ARCHIVE, or upward from the working directory."""


class UnsupportedFormat(ForumctlError):
    """The manifest declares a format this program does not know."""


class InvalidRecord(ForumctlError):
    """A file does not parse as TOML or does not match its record definition."""


class RecordNotFound(ForumctlError):
    """No record with the given ID."""


class RecordExists(ForumctlError):
    """Writing would overwrite an existing file without --force."""


class UsageError(ForumctlError):
    """Options or arguments that do not fit together."""


class GitError(ForumctlError):
    """git cannot answer: not a repository, an unknown revision, history a shallow clone lacks."""


class WriteError(ForumctlError):
    """A file could not be written (permissions, full disk, not a directory)."""


class InvalidSource(ForumctlError):
    """A file to import is malformed, too large, or not what the command says it is."""
