"""render: JSON envelope, CSV, list columns, text helpers."""

from __future__ import annotations

import datetime as dt
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
    from forumctl.render.tables import table

    out = table(SPEAKER_COLUMNS, [("ann", Speaker(name="Ann [bold]Lee[/bold] [x]"))], 100)
    assert out.split("\n")[2] == "ann  Ann [bold]Lee[/bold] [x]"


def test_table_widths_count_terminal_cells_and_shorten_with_an_ellipsis() -> None:
    from forumctl.render.tables import table

    speakers = [
        ("li", Speaker(name="李四", affiliations=(Affiliation(organization="浙江大学" * 5),))),
        ("ann", Speaker(name="Ann")),
    ]
    assert table(SPEAKER_COLUMNS, speakers, 30).split("\n") == [
        "ID   Name  Affiliations",
        "\u2500" * 30,
        "li   李四  浙江大学浙江大学浙\u2026",
        "ann  Ann",
        "",
    ]
