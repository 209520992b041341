"""Readers of programmes made elsewhere: frab (XML, JSON), pretalx, CSV, iCalendar.

``read(kind, path)`` turns one file into one :class:`~forumctl.importers.model.Programme`;
every reader refuses bad input with one :class:`~forumctl.errors.InvalidSource` naming
the file and, where it can, the line. Core code: no typer, no rich.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from forumctl.errors import UsageError
from forumctl.importers.model import Programme

KINDS = ("frab", "pretalx", "csv", "ical")


def read(
    kind: str,
    path: Path,
    *,
    display: str | None = None,
    timezone: str | None = None,
    columns: Mapping[str, str] | None = None,
    data: bytes | None = None,
) -> Programme:
    """The programme in ``path`` (its ``data`` when the caller has read it already:
    :func:`forumctl.importers.source.read_bytes`); ``timezone`` is used when the source
    names none."""
    from forumctl.importers import source

    shown = display or str(path)
    if kind not in KINDS:
        raise UsageError(f"unknown import format {kind!r}", hint=f"one of {', '.join(KINDS)}")
    if data is None:
        data = source.read_bytes(path, shown)
    if kind in ("frab", "pretalx"):
        from forumctl.importers import frab

        return frab.read(data, shown, source=kind, timezone=timezone)
    if kind == "csv":
        from forumctl.importers import csv

        return csv.read(data, shown, timezone=timezone, columns=columns or {})
    from forumctl.importers import ical

    return ical.read(data, shown, timezone=timezone)
