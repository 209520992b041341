"""Every export of a format-2 archive that uses every key (tests/data/format-2), read back
with the consumers the other export tests use."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import icalendar
import jsonschema
import pytest
from conftest import Cli
from lxml import etree

from forumctl.identity import default_uid, talk_id

DATA = Path(__file__).parent / "data"
FORUM = "forum-2024"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA / "format-2", tmp_path / "archive"))


def _export(cli: Cli, archive: Path, kind: str, *args: str) -> str:
    result = cli("--archive", archive, "export", kind, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_the_archive_is_clean_and_uses_every_key(cli: Cli, archive: Path) -> None:
    from forumctl import records
    from forumctl.archive import Archive

    result = cli("--archive", archive, "validate", "--strict")
    assert (result.exit_code, result.stdout) == (0, "No problems in 9 files.\n")
    used: dict[type, set[str]] = {}

    def note(record: object) -> None:
        for spec in records.FIELDS[type(record)]:
            value = getattr(record, spec.name)
            if value not in (None, (), {}):
                used.setdefault(type(record), set()).add(spec.name)
            items = value.values() if isinstance(value, dict) else value
            if spec.shape == "record":  # one table, or none
                items = () if value is None else (value,)
            if spec.record is not None:
                for item in items:
                    if not isinstance(item, str):
                        note(item)

    opened = Archive.open(archive)
    for record in (opened.manifest, *opened.speakers().values(), *opened.forums().values(),
                   *opened.sessions().values()):  # fmt: skip
        note(record)
    for cls in records.ALL_TYPES:
        newer = {spec.name for spec in records.FIELDS[cls] if spec.since == 2}
        assert newer <= used.get(cls, set()), cls


def test_frab_xml(cli: Cli, archive: Path) -> None:
    text = _export(cli, archive, "frab-xml", "--forum", FORUM)
    document = etree.fromstring(text.encode("utf-8"))
    etree.XMLSchema(etree.parse(str(DATA / "frab" / "schedule.xml.xsd"))).assertValid(document)
    tracks = document.findall("conference/track")
    assert [(t.get("name"), t.get("slug"), t.get("color")) for t in tracks] == [
        ("Data", "data", "#1f77b4"),
        ("Society", "society", None),
    ]
    assert document.findtext("conference/url") == "https://example.org/2024"
    events = {e.findtext("title"): e for e in document.iter("event")}
    # the opening's talks have their own times: one event each, identified by the talk
    assert list(events) == [
        "Programmes as data", "A withdrawn talk (withdrawn)", "Lunch", "Forum party (postponed)",
        "Panel on data (cancelled)",
    ]  # fmt: skip
    keynote = events["Programmes as data"]
    assert keynote.get("guid") == "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
    assert events["A withdrawn talk (withdrawn)"].get("guid") == str(
        default_uid("talk", talk_id(f"{FORUM}/opening", 2))
    )
    assert [keynote.findtext(tag) for tag in (
        "subtitle", "start", "duration", "track", "language", "abstract", "description", "url",
    )] == [
        "A keynote", "09:05", "00:35", "Data", "en", "Schedules are data.",
        "Ada argued that schedules are **data**.", "https://example.org/2024/keynote",
    ]  # fmt: skip
    assert [p.text for p in keynote.findall("persons/person")] == ["Ada Lovelace"]
    links = keynote.findall("links/link")
    assert [(link.get("href"), link.get("type"), link.text) for link in links] == [
        ("https://example.org/2024/keynote.pdf", "slides", "Slides")
    ]
    party = events["Forum party (postponed)"]
    assert (party.findtext("date"), party.findtext("duration")) == (
        "2024-06-10T22:00:00+02:00",
        "03:00",
    )
    assert events["Panel on data (cancelled)"].findtext("track") == "Data"


def test_frab_json(cli: Cli, archive: Path) -> None:
    document = json.loads(_export(cli, archive, "frab-json", "--forum", FORUM))
    schema = json.loads((DATA / "frab" / "schedule.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    ).validate(document)
    conference = document["schedule"]["conference"]
    assert conference["tracks"] == [
        {"name": "Data", "slug": "data", "color": "#1f77b4"},
        {"name": "Society", "slug": "society"},
    ]
    events = [e for day in conference["days"] for room in day["rooms"].values() for e in room]
    keynote = next(e for e in events if e["title"] == "Programmes as data")
    assert {key: keynote[key] for key in ("subtitle", "track", "language", "url", "links")} == {
        "subtitle": "A keynote",
        "track": "Data",
        "language": "en",
        "url": "https://example.org/2024/keynote",
        "links": [
            {"type": "slides", "url": "https://example.org/2024/keynote.pdf", "title": "Slides"}
        ],
    }
    lunch = next(e for e in events if e["title"] == "Lunch")
    assert (lunch["persons"], lunch["type"]) == ([], "break")


def test_ical_status_url_categories(cli: Cli, archive: Path) -> None:
    calendar = icalendar.Calendar.from_ical(_export(cli, archive, "ical"))
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert str(events["Panel on data"]["STATUS"]) == "CANCELLED"
    assert str(events["Forum party"]["STATUS"]) == "TENTATIVE"
    assert "STATUS" not in events["Opening"]
    assert str(events["Opening"]["URL"]) == "https://example.org/2024/opening"
    assert "CATEGORIES:opening,Society\r\n" in events["Opening"].to_ical().decode()
    assert events["Forum party"].decoded("DTEND").isoformat() == "2024-06-11T01:00:00+02:00"
    assert str(events["Opening"]["UID"]) == "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d@forumctl"


def test_json_carries_everything(cli: Cli, archive: Path) -> None:
    document = json.loads(_export(cli, archive, "json"))
    (forum,) = document["forums"]
    assert forum["tracks"][0] == {"id": "data", "name": "Data", "color": "#1F77B4"}
    assert forum["translations"]["de"]["title"] == "Programmforum 2024"
    opening = next(s for s in forum["sessions"] if s["id"] == f"{FORUM}/opening")
    keynote = opening["talks"][0]
    assert keynote["quotes"][1] == {
        "text": "A programme is a promise.",
        "original": "Ein Programm ist ein Versprechen.",
        "language": "de",
        "source": "report",
    }
    assert keynote["authors"] == ["cy"]
    assert keynote["links"][0]["license"] == "CC-BY-SA-4.0"
    assert opening["links"][0]["kind"] == "video"
    ada = next(s for s in document["speakers"] if s["id"] == "ada")
    assert (ada["aliases"], ada["former_ids"]) == (["A. A. Lovelace", "Ada King"], ["ada-king"])


def test_csv_has_the_talks_format_2_columns(cli: Cli, archive: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(cli, archive, "csv"), newline="")))
    keynote = next(r for r in rows if r["title"] == "Programmes as data")
    assert {key: keynote[key] for key in ("talk_start", "talk_end", "status", "track",
                                          "language", "subtitle", "authors", "links")} == {
        "talk_start": "09:05", "talk_end": "09:40", "status": "", "track": "Data",
        "language": "en", "subtitle": "A keynote", "authors": "cy",
        "links": "slides https://example.org/2024/keynote.pdf",
    }  # fmt: skip
    views = next(r for r in rows if r["title"] == "Views")
    assert (views["status"], views["track"]) == ("cancelled", "Data")


def _markdown_forum_page(cli: Cli, archive: Path) -> str:
    """The forum's page of ``export markdown``."""
    out = archive.parent / "proceedings"
    result = cli("--archive", archive, "export", "markdown", "--out", out)
    assert result.exit_code == 0, result.stderr
    return (out / f"{FORUM}.md").read_text(encoding="utf-8")


def test_markdown_shows_tracks_status_subtitles_and_links(cli: Cli, archive: Path) -> None:
    from markdown_it import MarkdownIt

    page = _markdown_forum_page(cli, archive)
    for expected in (
        "- Tracks: Data; Society\n",
        '### Opening <a id="welcome"></a> <a id="opening"></a>\n\n**Why programmes matter**\n\n'
        "*opening · 10 June 2024, 09:00\u201310:00 · Hall A*\n\nTrack: Society\n",
        '#### Programmes as data <a id="opening--1"></a>\n\n**A keynote**\n\n'
        "*09:05\u201309:40 · Data*\n\n"
        "- [Ada Lovelace](people/ada.md), Analytical Society, as printed\n\n"
        "Schedules are data.\n\n"  # the abstract, before the summary
        "Ada argued that schedules are **data**.\n",
        # struck through: it did not take place
        '#### <del>A withdrawn talk</del> <a id="opening--2"></a>\n\n'
        "*withdrawn · 09:40\u201310:00*\n",
        '### <del>Panel on data</del> <a id="panel"></a>\n',
        "> A programme is a promise. (Ein Programm ist ein Versprechen.)\n",
        "- [Slides: Slides](https://example.org/2024/keynote.pdf)\n",
        "- [Video: Recording of the opening](https://example.org/2024/opening.mp4)\n",
        "*CANCELLED · panel · 11 June 2024, 09:00\u201310:00 · Hall A*\n",
    ):
        assert expected in page
    tokens = MarkdownIt("commonmark").parse(page)
    html = {c.content for t in tokens for c in t.children or () if c.type == "html_inline"}
    # only the templates' own: heading ids, struck titles, line breaks in table cells
    assert {tag for tag in html if not tag.startswith('<a id="')} == {
        "</a>", "<del>", "</del>", "<br>"
    }  # fmt: skip


def test_markdown_shows_a_records_own_page_and_doi_above_its_links(cli: Cli, archive: Path) -> None:
    page = _markdown_forum_page(cli, archive)
    for expected in (
        "- Web: [https://example.org/2024](https://example.org/2024)\n"
        "- DOI: [10\\.5555/forum.2024](https://doi.org/10.5555/forum.2024)\n"
        "- Tracks: Data; Society\n",
        "The forum opened with two talks.\n\n"
        "- Web: [https://example.org/2024/opening](https://example.org/2024/opening)\n"
        "- DOI: [10\\.5555/forum.2024.opening](https://doi.org/10.5555/forum.2024.opening)\n"
        "- [Video: Recording of the opening](https://example.org/2024/opening.mp4)\n\n"
        '#### Programmes as data <a id="opening--1"></a>\n',
        "> A programme is a promise. (Ein Programm ist ein Versprechen.)\n\n"
        "- Web: [https://example.org/2024/keynote](https://example.org/2024/keynote)\n"
        "- DOI: [10\\.5555/forum.2024.keynote](https://doi.org/10.5555/forum.2024.keynote)\n"
        "- [Slides: Slides](https://example.org/2024/keynote.pdf)\n\n"
        '#### <del>A withdrawn talk</del> <a id="opening--2"></a>\n',
    ):
        assert expected in page
    assert page.count("- Web: ") == 3 and page.count("- DOI: ") == 3  # no other record has one
    # a url that is not http(s) (validate's FC604) is text, not a link
    session = archive / "forums" / FORUM / "sessions" / "opening.toml"
    text = session.read_text(encoding="utf-8")
    session.write_text(
        text.replace('https://example.org/2024/opening"', 'javascript:x"'), encoding="utf-8"
    )
    assert "\n- Web: javascript:x\n" in _markdown_forum_page(cli, archive)


def test_the_site_shows_a_talks_abstract_before_its_summary(cli: Cli, archive: Path) -> None:
    out = archive.parent / "site"
    result = cli("--archive", archive, "export", "site", "--out", out)
    assert result.exit_code == 0, result.stderr
    page = (out / "docs" / f"{FORUM}.md").read_text(encoding="utf-8")
    assert (
        "- [Ada Lovelace](people/ada.md), Analytical Society, as printed\n\n"
        "Schedules are data.\n\n"
        "Ada argued that schedules are **data**.\n"
    ) in page


def test_markdown_in_another_language_falls_back_to_the_original(cli: Cli, archive: Path) -> None:
    out = archive.parent / "de"
    result = cli("--archive", archive, "export", "markdown", "--out", out, "--language", "DE")
    assert result.exit_code == 0, result.stderr
    page = (out / f"{FORUM}.md").read_text(encoding="utf-8")
    assert page.startswith('# Programmforum 2024 <a id="_title"></a>\n')
    assert (
        '### Eröffnung <a id="welcome"></a> <a id="opening"></a>\n\n**Warum Programme zählen**\n'
        in page
    )
    # no German subtitle
    assert '#### Programme als Daten <a id="opening--1"></a>\n\n**A keynote**\n' in page
    assert "\n\nZeitpläne sind Daten.\n\nAda argued" in page  # German abstract, summary not
    assert '### Lunch <a id="lunch"></a>\n' in page  # no translation at all
    bad = cli("--archive", archive, "export", "markdown", "--out", out, "--language", "german")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "forumctl: error: --language 'german': not a BCP 47 language tag in the IANA"
        " registry (e.g. 'en', 'zh-Hans', 'pt-BR')\n",
    )


def test_list_and_show_say_what_is_cancelled(cli: Cli, archive: Path) -> None:
    listed = cli("--archive", archive, "list", "sessions", "--format", "csv")
    assert listed.exit_code == 0, listed.stderr
    rows = {row["ID"]: row for row in csv.DictReader(io.StringIO(listed.stdout, newline=""))}
    assert rows[f"{FORUM}/panel"]["Title"] == "Panel on data (cancelled)"
    assert rows[f"{FORUM}/opening"]["Title"] == "Opening"
    shown = cli("--archive", archive, "show", "session", f"{FORUM}/party")
    assert shown.exit_code == 0, shown.stderr
    assert "\nKind: social\nStatus: postponed\nOrder: 3\n" in shown.stdout
