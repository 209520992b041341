"""frab XML and JSON as frab, Pentabarf, pretalx, wafer and c3voc's tools write them
(tests/data/import/), each with its quirks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forumctl.errors import InvalidSource
from forumctl.importers import read
from forumctl.importers.model import Link, Person, Track

DATA = Path(__file__).parent / "data" / "import"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_frab_xml_events_rooms_persons_and_identity() -> None:
    programme = read("frab", DATA / "frab.xml")
    assert (programme.source, programme.title, programme.acronym) == (
        "frab", "XYZ Congress 2024", "xyzcon24",
    )  # fmt: skip
    assert programme.timezone == "Europe/Berlin"
    assert (programme.start, programme.end) == (dt.date(2024, 12, 27), dt.date(2024, 12, 28))
    opening = programme.events[0]
    assert (opening.id, opening.guid, opening.line) == (
        "101", "8f4d0b7e-3b1a-4c0e-9a51-1e2f3a4b5c01", 19,
    )  # fmt: skip
    assert (opening.start, opening.end) == (at("2024-12-27T11:00"), at("2024-12-27T11:40"))
    assert (opening.room, opening.track, opening.language, opening.kind) == (
        "Saal 1", "Ceremony", "en", "lecture",
    )  # fmt: skip
    assert opening.subtitle == "How the congress works"
    assert opening.abstract == "What happens when, and *where* to find help."  # Markdown kept
    assert opening.persons == (
        Person("Jürgen Müller", id="7", guid="0b9d1e3c-1111-4a2b-8c3d-000000000007"),
        Person("Ada Example", id="8", guid="0b9d1e3c-1111-4a2b-8c3d-000000000008"),
    )


def test_links_and_recordings_with_their_kinds() -> None:
    opening = read("frab", DATA / "frab.xml").events[0]
    assert opening.links == (
        Link("https://cdn.example.org/xyzcon24/101-opening.mp4", "video"),
        Link("https://media.example.org/v/xyzcon24-101-opening", "video", "Recording"),
        Link("https://events.example.org/xyzcon24/slides/101.pdf", "slides", "Slides"),
    )
    assert opening.url == "https://events.example.org/xyzcon24/talk/101"


def test_events_past_midnight_and_ending_at_midnight() -> None:
    events = {e.id: e for e in read("frab", DATA / "frab.xml").events}
    assert (events["103"].start, events["103"].end) == (
        at("2024-12-27T23:00"), at("2024-12-28T00:00"),
    )  # fmt: skip
    assert (events["105"].start, events["105"].end) == (  # listed under day 1
        at("2024-12-28T01:30"), at("2024-12-28T02:30"),
    )  # fmt: skip
    assert (events["107"].start, events["107"].end) == (
        at("2024-12-28T23:30"), at("2024-12-29T00:30"),
    )  # fmt: skip


def test_breaks_have_no_persons_and_titles_repeat_daily() -> None:
    events = read("frab", DATA / "frab.xml").events
    lunches = [e for e in events if e.title == "Lunch"]
    assert [(e.id, e.start, e.persons) for e in lunches] == [
        ("102", at("2024-12-27T12:00"), ()),
        ("106", at("2024-12-28T12:00"), ()),
    ]
    assert [e.id for e in events if e.title == "Nightly Review"] == ["103", "107"]


def test_tracks_languages_per_event() -> None:
    programme = read("frab", DATA / "frab.xml")
    assert programme.tracks == (Track("Ceremony"), Track("Culture"), Track("Hardware"))
    assert [(e.id, e.track, e.language) for e in programme.events] == [
        ("101", "Ceremony", "en"), ("102", None, None), ("103", "Culture", "de"),
        ("104", "Ceremony", "en"), ("105", "Hardware", "en"), ("106", None, None),
        ("107", "Culture", "de"),
    ]  # fmt: skip


def test_pentabarf_html_abstract_becomes_markdown_and_no_timezone_takes_the_given() -> None:
    programme = read("frab", DATA / "pentabarf.xml", timezone="Europe/Brussels")
    assert programme.timezone == "Europe/Brussels"
    (welcome,) = programme.events
    assert (welcome.start, welcome.end) == (at("2011-02-05T09:30"), at("2011-02-05T10:20"))
    assert welcome.abstract == (
        "The **opening** talk: see [the notes](https://example.org/notes) & more.\n\n"
        "- rooms\n- \\*food\\*"
    )  # the script is gone, the literal asterisks escaped


def test_pentabarf_without_any_timezone_keeps_wall_clock_times() -> None:
    programme = read("frab", DATA / "pentabarf.xml")
    assert programme.timezone is None
    assert programme.events[0].start == at("2011-02-05T09:30")


def test_wafer_utc_dates_beside_local_starts() -> None:
    programme = read("frab", DATA / "wafer.xml")
    assert programme.timezone == "America/Sao_Paulo"
    basics, party = programme.events
    assert (basics.start, basics.end) == (at("2019-07-21T10:00"), at("2019-07-21T10:45"))
    # 01:30 UTC on the 22nd is 22:30 on the 21st in São Paulo
    assert (party.start, party.end) == (at("2019-07-21T22:30"), at("2019-07-21T23:30"))
    assert basics.track is None  # wafer's "No Track"
    assert basics.description == "Learn to *package* software."


def test_pretalx_json_codes_biographies_tracks_colours() -> None:
    programme = read("pretalx", DATA / "pretalx.json")
    assert programme.source == "pretalx"
    assert programme.tracks == (Track("Security", "#ff0000"), Track("Community", "#00aa55"))
    locks, meetups = programme.events
    assert (locks.id, locks.guid) == ("XJ8KCA", "c6f1e2d3-aaaa-4bbb-8ccc-000000000001")
    assert locks.persons[0] == Person(
        "Lena Beispiel",
        id="RSTUVW",
        guid="e1e2e3e4-0000-4000-8000-00000000aaaa",
        biography="Locksmith and *researcher*.",
        url="https://pretalx.example.org/democon-2025/speaker/RSTUVW/",
    )
    assert locks.links == (
        Link("https://example.org/locks-slides.pdf", "slides", "Slides"),
        Link("https://pretalx.example.org/media/democon-2025/paper.pdf", "paper", "Paper"),
    )
    assert (meetups.start, meetups.end, meetups.kind) == (
        at("2025-05-10T11:00"), at("2025-05-10T11:45"), "Workshop",
    )  # fmt: skip


def test_the_same_file_read_as_frab_keeps_numeric_ids() -> None:
    locks = read("frab", DATA / "pretalx.json").events[0]
    assert (locks.id, locks.persons[0].id) == ("41", None)


def test_c3voc_merged_schedule_keeps_each_persons_guid() -> None:
    soldering, mesh = read("frab", DATA / "c3voc-merged.json").events
    assert soldering.persons == (
        Person("Alice Example", id="42", guid="0c1d2e3f-0000-4000-8000-0000000000a1"),
    )
    assert mesh.persons == (
        Person("Bob Sample", id="42", guid="0c1d2e3f-0000-4000-8000-0000000000b2"),
    )
    assert soldering.end == at("2023-08-15T14:45")  # its own "end"
    assert (soldering.line, mesh.line) == (24, 46)  # the line of each event's ID


BAD_XML = [
    ("<schedule><day>", "malformed XML: no element found", 1),
    ("<schedule>\n  <conference><title>x</titel>", "malformed XML: mismatched tag", 2),
    ("<programme/>", "not a frab schedule: the document is <programme>, not <schedule>", 1),
]


@pytest.mark.parametrize(("text", "message", "line"), BAD_XML)
def test_malformed_xml_names_file_and_line(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    path = tmp_path / "schedule.xml"
    path.write_text(text)
    with pytest.raises(InvalidSource) as caught:
        read("frab", path, display="schedule.xml")
    assert caught.value.message.startswith(message)
    assert (caught.value.path, caught.value.line) == ("schedule.xml", line)


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "schedule.json"
    path.write_text('{"schedule": {\n  "conference": {"title": "x",}\n}}')
    with pytest.raises(InvalidSource) as caught:
        read("frab", path, display="schedule.json")
    assert str(caught.value) == (
        "schedule.json:2:31: malformed JSON: Expecting property name enclosed in double quotes"
    )


def test_json_that_is_no_schedule(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('{"talks": []}')
    with pytest.raises(InvalidSource, match=r"no schedule\.conference in this JSON"):
        read("frab", path)


def test_a_bad_start_names_the_events_line(tmp_path: Path) -> None:
    text = (DATA / "frab.xml").read_text().replace("<start>23:30</start>", "<start>25:30</start>")
    path = tmp_path / "schedule.xml"
    path.write_text(text)
    with pytest.raises(InvalidSource) as caught:
        read("frab", path, display="schedule.xml")
    assert str(caught.value) == "schedule.xml:124: start '25:30' is not a time (HH:MM)"
