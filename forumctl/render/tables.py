"""The columns of ``forumctl list``, shared by the rich table and the CSV output."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from forumctl.display import affiliations_text, session_when, with_status
from forumctl.importers.plan import SpeakerOutcome
from forumctl.query import SessionRow
from forumctl.records import Forum, Speaker
from forumctl.textsafe import visible

if TYPE_CHECKING:
    from rich.table import Table

Row = TypeVar("Row")


class Columns(Generic[Row]):
    """Named columns, each a function from a listed row to its text."""

    def __init__(self, *columns: tuple[str, Callable[[Row], object]]) -> None:
        self.headers = [header for header, _ in columns]
        self._getters = [getter for _, getter in columns]

    def cells(self, row: Row) -> list[str]:
        return ["" if value is None else str(value) for value in (g(row) for g in self._getters)]

    def rows(self, rows: Sequence[Row]) -> list[list[str]]:
        return [self.cells(row) for row in rows]


SHORT = 16  # cells up to this width are kept on one line


def _affiliations(speaker: Speaker) -> str:
    return affiliations_text(speaker.affiliations) or ""


FORUM_COLUMNS: Columns[tuple[str, Forum]] = Columns(
    ("ID", lambda item: item[0]),
    ("Start", lambda item: item[1].start),
    ("End", lambda item: item[1].end),
    ("City", lambda item: item[1].city),
    ("Kind", lambda item: item[1].kind),
    ("Title", lambda item: item[1].title),
)

SESSION_COLUMNS: Columns[SessionRow] = Columns(
    ("ID", lambda row: row.session_id),
    ("Order", lambda row: row.session.order),
    ("When", lambda row: session_when(row.session, row.forum)),
    ("Kind", lambda row: row.session.kind),
    ("Room", lambda row: row.session.room),
    ("Talks", lambda row: len(row.session.talks)),
    ("Title", lambda row: with_status(row.session)),
)

SPEAKER_COLUMNS: Columns[tuple[str, Speaker]] = Columns(
    ("ID", lambda item: item[0]),
    ("Name", lambda item: item[1].name),
    ("Affiliations", lambda item: _affiliations(item[1])),
)


def table(columns: Columns[Any], rows: Sequence[Any], title: str | None = None) -> Table:
    """A rich table of the rows. Short columns (dates, kinds, numbers) never wrap; long
    text wraps at words, and long IDs fold."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    cells = columns.rows(rows)
    result = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for index, header in enumerate(columns.headers):
        widest = max((len(row[index]) for row in cells), default=0)
        result.add_column(header, no_wrap=widest <= SHORT, overflow="fold")
    for row in cells:
        # Text, not str: record text is not rich markup ("[x]" would vanish), and not
        # parsing it as markup saves a tenth of the time of a large table.
        # control characters in record text are shown, never executed by the terminal
        result.add_row(*(Text(visible(cell)) for cell in row))
    return result


IMPORT_SPEAKER_COLUMNS: Columns[SpeakerOutcome] = Columns(
    ("Speaker", lambda outcome: outcome.name),
    ("ID", lambda outcome: outcome.speaker_id),
    ("Status", lambda outcome: "to review" if outcome.status == "review" else outcome.status),
    ("Why", lambda outcome: outcome.reason),
)
