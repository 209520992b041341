"""render: JSON envelope, CSV, list columns, text helpers."""

from __future__ import annotations

import datetime as dt
import io
import json

from forumctl.records import Affiliation, Forum, Speaker
from forumctl.render import json_document, record_data
from forumctl.render.tables import SPEAKER_COLUMNS

FORUM = Forum(title="F", start=dt.date(2021, 3, 1), end=dt.date(2021, 3, 2))


def test_json_document_is_a_versioned_envelope_with_iso_dates() -> None:
    data = record_data("f", FORUM)
    assert json.loads(json_document(forums=[data])) == {
        "version": 1,
        "forums": [{"id": "f", "title": "F", "start": "2021-03-01", "end": "2021-03-02"}],
    }


def test_speaker_columns() -> None:
    speaker = Speaker(
        name="Amy",
        affiliations=(
            Affiliation(organization="Org", role="dean"),
            Affiliation(organization="Two"),
        ),
    )
    assert SPEAKER_COLUMNS.rows([("amy", speaker)]) == [["amy", "Amy", "dean, Org; Two"]]


def test_table_cells_are_text_not_rich_markup() -> None:
    from rich.console import Console

    from forumctl.render.tables import table

    out = io.StringIO()
    Console(file=out, width=100, color_system=None).print(
        table(SPEAKER_COLUMNS, [("ann", Speaker(name="Ann [bold]Lee[/bold] [x]"))])
    )

    assert "Ann [bold]Lee[/bold] [x]" in out.getvalue()
