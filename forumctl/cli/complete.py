"""Shell completion of what users type: record IDs, the values of enum fields, timezones.

The IDs are read from the archive's layout, file and directory names only (DESIGN.md
section 2: a file's name is its ID), so completing costs a directory listing, never a
parse; the archive is found as every command finds it (``--archive``, ``-C``,
``$FORUMCTL_ARCHIVE``, upward), and where there is none, or it cannot be read, there is
nothing to complete: a completion never prints an error or a traceback into the shell.
Formats and other Click choices (``--format``, ``export FORMAT``) complete by themselves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

import typer

MANIFEST = "forumctl.toml"  # as forumctl.archive.MANIFEST, which imports records
ENV_VAR = "FORUMCTL_ARCHIVE"


def archive_root(ctx: typer.Context) -> Path | None:
    """The archive the command line being completed names, or None."""
    params = ctx.find_root().params
    start = Path(params.get("directory") or ".")
    given = params.get("archive") or os.environ.get(ENV_VAR)
    if given:
        root = start / given
        return root if (root / MANIFEST).is_file() else None
    try:
        start = start.resolve()
    except OSError:
        return None
    return next((d for d in (start, *start.parents) if (d / MANIFEST).is_file()), None)


def _names(directory: Path, *, files: bool) -> list[str]:
    """The IDs in a directory: the stems of its .toml files, or its subdirectories that
    hold a forum.toml."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    if files:
        return sorted(e.name[:-5] for e in entries if e.name.endswith(".toml") and e.is_file())
    return sorted(e.name for e in entries if e.is_dir() and Path(e.path, "forum.toml").is_file())


def _matching(values: Iterable[str], incomplete: str) -> list[str]:
    return [value for value in values if value.startswith(incomplete)]


def speaker_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    root = archive_root(ctx)
    return [] if root is None else _matching(_names(root / "speakers", files=True), incomplete)


def forum_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    root = archive_root(ctx)
    return [] if root is None else _matching(_names(root / "forums", files=False), incomplete)


def session_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """FORUM-ID/SESSION-ID: the forums (each with its "/") until one is typed whole, then
    its sessions, so a large archive is never listed whole."""
    root = archive_root(ctx)
    if root is None:
        return []
    forum, slash, _ = incomplete.partition("/")
    if not slash:
        return [f"{forum_id}/" for forum_id in forum_ids(ctx, incomplete)]
    sessions = _names(root / "forums" / forum / "sessions", files=True)
    return _matching((f"{forum}/{stem}" for stem in sessions), incomplete)


BY_KIND: dict[str, Callable[[typer.Context, str], list[str]]] = {
    "speaker": speaker_ids,
    "forum": forum_ids,
    "session": session_ids,
}


def record_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """The IDs of the kind of record the command is about: its KIND argument (``log
    speaker ID``), else the command's name (``show speaker``, ``rename forum``)."""
    kind = ctx.params.get("kind")
    complete = BY_KIND.get(getattr(kind, "value", kind) or ctx.info_name or "")
    return [] if complete is None else complete(ctx, incomplete)


def speaker_list(ctx: typer.Context, incomplete: str) -> list[str]:
    """The speaker IDs of a --talk 'ID,ID: Title' being typed: the last ID, after the
    commas, until the ':'."""
    if ":" in incomplete:
        return []
    done, comma, last = incomplete.rpartition(",")
    return [done + comma + speaker_id for speaker_id in speaker_ids(ctx, last)]


def session_kinds(ctx: typer.Context, incomplete: str) -> list[str]:
    """``list sessions --kind``: the session kinds (a forum's kind is free text)."""
    if ctx.info_name != "sessions":
        return []
    from forumctl import records

    spec = next(spec for spec in records.FIELDS[records.Session] if spec.name == "kind")
    return _matching(spec.enum or (), incomplete)


def timezones(incomplete: str) -> list[str]:
    """IANA timezone names (``Asia/Sh`` -> ``Asia/Shanghai``)."""
    import zoneinfo

    return sorted(_matching(zoneinfo.available_timezones(), incomplete))


def choices(values: Iterable[str]) -> Callable[[str], list[str]]:
    """Completion of a free-text option that takes one of ``values`` (a field's enum,
    checked with the record, did-you-mean included)."""
    known = tuple(values)

    def complete(incomplete: str) -> list[str]:
        return _matching(known, incomplete)

    return complete
