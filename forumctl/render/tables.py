"""The columns of ``forumctl list``, shared by the table and the CSV output, and the
table itself: one line per row, laid out here rather than by rich (rich lays out about
3,500 rows a second; this, like CSV, is bounded by building the cells)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from forumctl.display import affiliations_text, session_when, with_status
from forumctl.textsafe import visible

if TYPE_CHECKING:  # the column types only: `list` need not import the importer
    from forumctl.importers.plan import SpeakerOutcome
    from forumctl.query import SessionRow
    from forumctl.records import Forum, Speaker

Row = TypeVar("Row")


class Columns(Generic[Row]):
    """Named columns, each a function from a listed row to its text.

    ``shorten`` names the columns a table too wide for the terminal may cut short with an
    ellipsis, in the order they give way (titles first); every other column (IDs, dates,
    times, kinds, numbers) is always printed whole.
    """

    def __init__(
        self, *columns: tuple[str, Callable[[Row], object]], shorten: Sequence[str] = ()
    ) -> None:
        self.headers = [header for header, _ in columns]
        self._getters = [getter for _, getter in columns]
        self.shorten = tuple(shorten)

    def cells(self, row: Row) -> list[str]:
        return ["" if value is None else str(value) for value in (g(row) for g in self._getters)]

    def rows(self, rows: Sequence[Row]) -> list[list[str]]:
        return [self.cells(row) for row in rows]


def _affiliations(speaker: Speaker) -> str:
    return affiliations_text(speaker.affiliations) or ""


FORUM_COLUMNS: Columns[tuple[str, Forum]] = Columns(
    ("ID", lambda item: item[0]),
    ("Start", lambda item: item[1].start),
    ("End", lambda item: item[1].end),
    ("City", lambda item: item[1].city),
    ("Kind", lambda item: item[1].kind),
    ("Title", lambda item: item[1].title),
    shorten=("Title", "Kind", "City"),
)

SESSION_COLUMNS: Columns[SessionRow] = Columns(
    ("ID", lambda row: row.session_id),
    ("Order", lambda row: row.session.order),
    ("When", lambda row: session_when(row.session, row.forum)),
    ("Kind", lambda row: row.session.kind),
    ("Room", lambda row: row.session.room),
    ("Talks", lambda row: len(row.session.talks)),
    ("Title", lambda row: with_status(row.session)),
    shorten=("Title", "Room"),
)

SPEAKER_COLUMNS: Columns[tuple[str, Speaker]] = Columns(
    ("ID", lambda item: item[0]),
    ("Name", lambda item: item[1].name),
    ("Affiliations", lambda item: _affiliations(item[1])),
    shorten=("Affiliations", "Name"),
)


GAP = "  "  # between columns
NARROWEST = 8  # a shortened column keeps at least this many cells
ELLIPSIS = "\u2026"


def table(columns: Columns[Any], rows: Sequence[Any], width: int, title: str | None = None) -> str:
    """The rows as a text table at most ``width`` cells wide (where the whole columns
    allow): a header, a rule, one line per row. Columns empty in every row are left out;
    when the table is too wide, the ``shorten`` columns are cut with an ellipsis, in their
    order. Widths count terminal cells (a Chinese character takes two)."""
    cells = [[_one_line(cell) for cell in row] for row in columns.rows(rows)]
    kept = [i for i in range(len(columns.headers)) if any(row[i] for row in cells)]
    headers = [columns.headers[i] for i in kept]
    cells = [[row[i] for i in kept] for row in cells]
    sizes = [[_cells(cell) for cell in row] for row in cells]
    natural = [max([len(header), *(row[n] for row in sizes)]) for n, header in enumerate(headers)]
    widths = _fit(natural, [headers.index(h) for h in columns.shorten if h in headers], width)
    lines = [] if title is None else [title, ""]
    lines.append(_line(headers, [len(header) for header in headers], widths))
    lines.append("\u2500" * (sum(widths) + len(GAP) * (len(widths) - 1)))
    lines += [_line(row, row_sizes, widths) for row, row_sizes in zip(cells, sizes, strict=True)]
    return "".join(line + "\n" for line in lines)


_LAYOUT = re.compile(r"[\t\n\r]")
# East Asian wide and fullwidth characters take two terminal cells, combining marks none
# (as rich and wcwidth count them; one regex pass instead of a lookup per character)
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
    "\U0001f300-\U0001f64f\U0001f900-\U0001f9ff\U00020000-\U0003fffd]"
)
_ZERO = re.compile("[\u0300-\u036f\u200b-\u200f\ufe00-\ufe0f]")


def _one_line(cell: str) -> str:
    """A cell on one line; other control characters are shown, never executed by the
    terminal (textsafe.visible)."""
    return visible(" ".join(cell.split()) if _LAYOUT.search(cell) else cell)


def _cells(text: str) -> int:
    """Terminal cells of ``text``."""
    if text.isascii():
        return len(text)
    return len(text) + len(_WIDE.findall(text)) - len(_ZERO.findall(text))


def _cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, an ellipsis in the last one."""
    kept = text[: width - 1]  # never fewer cells than characters, but for zero-width ones
    used = _cells(kept)
    while used > width - 1:
        kept = kept[: max(0, len(kept) - (used - width + 2) // 2)]
        used = _cells(kept)
    return kept + " " * (width - 1 - used) + ELLIPSIS


def _fit(natural: list[int], shorten: list[int], width: int) -> list[int]:
    """Column widths: the natural ones, less what the table is too wide by, taken from
    the ``shorten`` columns in turn (each down to NARROWEST at most)."""
    widths = list(natural)
    excess = sum(widths) + len(GAP) * (len(widths) - 1) - width
    for index in shorten:
        if excess <= 0:
            break
        cut = min(excess, max(0, widths[index] - NARROWEST))
        widths[index] -= cut
        excess -= cut
    return widths


def _line(cells: Sequence[str], sizes: Sequence[int], widths: Sequence[int]) -> str:
    parts = []
    for cell, size, width in zip(cells, sizes, widths, strict=True):
        if size > width:
            cell, size = _cut(cell, width), width
        parts.append(cell + " " * (width - size))
    return GAP.join(parts).rstrip()


IMPORT_SPEAKER_COLUMNS: Columns[SpeakerOutcome] = Columns(
    ("Speaker", lambda outcome: outcome.name),
    ("ID", lambda outcome: outcome.speaker_id),
    ("Status", lambda outcome: "to review" if outcome.status == "review" else outcome.status),
    ("Why", lambda outcome: outcome.reason),
    shorten=("Why", "Speaker"),
)
