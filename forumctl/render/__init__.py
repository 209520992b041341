"""The render layer: records and query results to rich tables, text layouts, JSON and CSV.

Used by every command; nothing here reads files or raises user errors. rich, json and
csv are imported inside the functions that need them, to keep start-up short.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from forumctl import jsondoc
from forumctl.records import to_data

if TYPE_CHECKING:
    from rich.console import Console


def console(*, stderr: bool = False) -> Console:
    """A rich console on stdout (or stderr). Colour follows NO_COLOR, FORCE_COLOR and
    TERM=dumb and is off when not a terminal (rich's own rules); width follows COLUMNS.
    No ``:emoji:`` codes: nothing forumctl prints means one (and rich would import its
    table of 3,600 codes at the first plain string, such as a column's header)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, emoji=False)


def record_data(record_id: str, record: Any) -> dict[str, Any]:
    """A record as JSON-ready data, with its ID first; dates and times stay objects, which
    the JSON writer (orjson) writes as ISO 8601, as ``isoformat()`` would, without a second
    pass over every value (a format-2 session holds about twice the values of format 1)."""
    return {"id": record_id, **to_data(record)}


def json_document(**content: Any) -> str:
    """The versioned envelope of every ``--format json`` output: {"version": 1, ...}."""
    from forumctl.jsondoc import dumps

    return dumps({"version": jsondoc.VERSION, **content})
