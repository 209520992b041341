"""export frab-xml / frab-json: validated against the frab XSD and JSON Schema
(tests/data/frab/, see SOURCE.md) for a two-day, two-room forum with multi-speaker talks."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from conftest import SAMPLE_FORUM, Cli
from export_archives import CONF, TIMED
from lxml import etree

from forumctl.identity import NAMESPACE

SCHEMAS = Path(__file__).parent / "data" / "frab"


def _guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


@pytest.fixture
def timed(make_archive: Callable[[dict[str, str]], Path]) -> Path:
    return make_archive(TIMED)


def test_xml_passes_the_xsd_and_holds_the_schedule(cli: Cli, timed: Path) -> None:
    result = cli("--archive", timed, "export", "frab-xml", "--forum", CONF)
    assert result.exit_code == 0
    assert result.stderr == f"forumctl: warning: session '{CONF}/social' has no date: left out\n"
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
    document = etree.fromstring(result.stdout.encode("utf-8"))
    schema.assertValid(document)
    days = document.findall("day")
    assert [(d.get("index"), d.get("start"), d.get("end")) for d in days] == [
        ("1", "2021-03-01T09:00:00+01:00", "2021-03-01T11:30:00+01:00"),
        ("2", "2021-03-02T16:00:00+01:00", "2021-03-02T17:00:00+01:00"),
    ]
    rooms = [(r.get("name"), [e.findtext("title") for e in r]) for r in days[0].findall("room")]
    assert rooms == [("Hall A", ["Opening", "Data"]), ("Hall B", ["The panel"])]
    panel = days[0].find("room[@name='Hall B']/event")
    assert panel.get("guid") == _guid("session", f"{CONF}/panel")
    assert panel.findtext("date") == "2021-03-01T10:00:00+01:00"
    assert (panel.findtext("start"), panel.findtext("duration")) == ("10:00", "01:30")
    assert [p.text for p in panel.find("persons")] == ["Ada Lovelace", "Bo Li", "Cy Young"]
    closing = days[1].find("room/event")
    persons = [(p.text, p.get("guid")) for p in closing.find("persons")]
    assert persons == [  # chairs first, then speakers
        ("Cy Young", _guid("speaker", "cy")),
        ("Bo Li", _guid("speaker", "bo")),
        ("Dee Dee", _guid("speaker", "dee")),
    ]


def test_json_passes_the_json_schema_and_matches_the_xml(cli: Cli, timed: Path) -> None:
    result = cli("--archive", timed, "export", "frab-json", "--forum", CONF)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    schema = json.loads((SCHEMAS / "schedule.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    ).validate(document)
    conference = document["schedule"]["conference"]
    assert (conference["acronym"], conference["daysCount"]) == ("conf_2021", 2)
    assert conference["time_zone_name"] == "Europe/Berlin"
    day = conference["days"][0]
    assert list(day["rooms"]) == ["Hall A", "Hall B"]
    (panel,) = day["rooms"]["Hall B"]
    assert panel["guid"] == _guid("session", f"{CONF}/panel")
    assert (panel["date"], panel["end"]) == (
        "2021-03-01T10:00:00+01:00", "2021-03-01T11:30:00+01:00"
    )  # fmt: skip
    assert [p["name"] for p in panel["persons"]] == ["Ada Lovelace", "Bo Li", "Cy Young"]
    xml = cli("--archive", timed, "export", "frab-xml", "--forum", CONF).stdout
    assert f"<version>{document['schedule']['version']}</version>" in xml
    assert f'id="{panel["id"]}"' in xml


def test_guids_and_output_are_stable_across_exports(cli: Cli, timed: Path) -> None:
    for kind in ("frab-xml", "frab-json"):
        first = cli("--archive", timed, "export", kind, "--forum", CONF).stdout
        assert first == cli("--archive", timed, "export", kind, "--forum", CONF).stdout
    # A GUID depends only on the session ID: editing the session keeps it.
    (timed / "forums" / CONF / "sessions" / "panel.toml").write_text(
        'title = "Renamed"\ndate = 2021-03-02\nstart = 12:00:00\n\n[[talks]]\nspeakers = ["ada"]\n',
        encoding="utf-8",
    )
    edited = json.loads(cli("--archive", timed, "export", "frab-json", "--forum", CONF).stdout)
    moved = edited["schedule"]["conference"]["days"][1]["rooms"]["(room not recorded)"]
    assert [(e["title"], e["guid"], e["duration"]) for e in moved] == [
        ("Renamed", _guid("session", f"{CONF}/panel"), "00:00")
    ]


def test_several_forums_need_forum(cli: Cli, timed: Path) -> None:
    result = cli("--archive", timed, "export", "frab-xml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "forumctl: error: a frab schedule describes one forum; 2 are selected"
        " (choose one with --forum ID)\n"
    )


def test_an_untimed_forum_has_no_frab_schedule(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "export", "frab-json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"forumctl: error: forum '{SAMPLE_FORUM}' has no session with a date and start time;"
        " frab needs times (add start and end times to its sessions, or export markdown or"
        " ical)\n"
    )


def test_times_without_a_timezone_are_refused(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    files = dict(TIMED)
    files["forumctl.toml"] = 'format = 1\nname = "No zone"\n'
    files[f"forums/{CONF}/forum.toml"] = 'title = "Conf"\nstart = 2021-03-01\nend = 2021-03-02\n'
    result = cli("--archive", make_archive(files), "export", "frab-xml", "--forum", CONF)
    assert result.exit_code == 2
    assert result.stderr == (
        f"forumctl: error: forum '{CONF}' has no timezone; frab needs one"
        " (set timezone in its forum.toml or in forumctl.toml)\n"
    )


def _with_session(text: str) -> dict[str, str]:
    return {**TIMED, f"forums/{CONF}/sessions/closing.toml": text}


def test_duration_is_the_elapsed_time_across_a_clock_change(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    files = _with_session(  # Berlin's clocks go from 02:00 to 03:00 on 2021-03-28
        'title = "Night"\ndate = 2021-03-28\nstart = 01:30:00\nend = 03:30:00\nroom = "Hall A"\n'
        '\n[[talks]]\nspeakers = ["bo"]\n'
    )
    files[f"forums/{CONF}/forum.toml"] = files[f"forums/{CONF}/forum.toml"].replace(
        "end = 2021-03-02", "end = 2021-03-28"
    )
    root = make_archive(files)
    document = etree.fromstring(
        cli("--archive", root, "export", "frab-xml", "--forum", CONF).stdout.encode()
    )
    night = document.find("day[@date='2021-03-28']/room/event")
    assert night.findtext("date") == "2021-03-28T01:30:00+01:00"
    assert night.findtext("duration") == "01:00"
    event = json.loads(cli("--archive", root, "export", "frab-json", "--forum", CONF).stdout)[
        "schedule"
    ]["conference"]["days"][27]["rooms"]["Hall A"][0]
    assert (event["date"], event["end"], event["duration"]) == (
        "2021-03-28T01:30:00+01:00",
        "2021-03-28T03:30:00+02:00",
        "01:00",
    )


@pytest.mark.parametrize("command", ["frab-xml", "frab-json", "ical"])
def test_a_session_ending_before_it_starts_is_refused(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], command: str
) -> None:
    root = make_archive(
        _with_session('title = "Backwards"\ndate = 2021-03-02\nstart = 21:00:00\nend = 09:00:00\n')
    )
    result = cli("--archive", root, "export", command, "--forum", CONF)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"forumctl: error: forums/{CONF}/sessions/closing.toml: session ends (09:00) before"
        " or when it starts (21:00) (run 'forumctl validate')\n"
    )


def test_version_is_git_describe_in_a_repository(cli: Cli, tmp_path: Path) -> None:
    from git_repos import GitArchive

    repo = GitArchive(tmp_path / "repo", TIMED)
    head = repo.git("rev-parse", "--short=12", "HEAD").strip()
    untagged = json.loads(cli("--archive", repo.root, "export", "frab-json",
                              "--forum", CONF).stdout)  # fmt: skip
    assert untagged["schedule"]["version"] == head  # no tag yet: the commit
    repo.tag("v1.0")
    xml = cli("--archive", repo.root, "export", "frab-xml", "--forum", CONF).stdout
    assert "<version>v1.0</version>" in xml
    assert xml == cli("--archive", repo.root, "export", "frab-xml", "--forum", CONF).stdout
    repo.write({"speakers/ed.toml": 'name = "Ed"\n'})
    dirty = json.loads(cli("--archive", repo.root, "export", "frab-json", "--forum", CONF).stdout)
    assert dirty["schedule"]["version"] == "v1.0-dirty"
    repo.commit("ed", {})
    later = json.loads(cli("--archive", repo.root, "export", "frab-json", "--forum", CONF).stdout)
    commit = repo.git("rev-parse", "--short=12", "HEAD").strip()
    assert later["schedule"]["version"] == f"v1.0-1-g{commit}"


def test_version_outside_git_is_a_digest_of_the_events(cli: Cli, timed: Path) -> None:
    version = json.loads(cli("--archive", timed, "export", "frab-json", "--forum", CONF).stdout)[
        "schedule"
    ]["version"]
    assert re.fullmatch("[0-9a-f]{12}", version)


def test_control_characters_in_text_and_keys_still_give_xml_that_parses(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    files = dict(TIMED)
    panel = f"forums/{CONF}/sessions/panel.toml"
    files[panel] = files[panel].replace('"The panel"', '"The\\u0000 panel\\u0001\\u001b[2J"')
    root = make_archive(files)
    result = cli("--archive", root, "export", "frab-xml", "--forum", CONF)
    assert result.exit_code == 0, result.stderr
    document = etree.fromstring(result.stdout.encode("utf-8"))
    assert document.xpath("//event[title='The\ufffd panel\ufffd\ufffd[2J']")
    (root / "speakers/dee.toml").write_text('name = "Dee Dee"\n"bad\\u0001key" = 1\n')
    report = cli("--archive", root, "validate", "--format", "junit")
    assert report.exit_code == 1
    junit = etree.fromstring(report.stdout.encode("utf-8"))
    messages = junit.xpath("//failure/@message")
    assert any("unknown key 'bad\ufffdkey'" in message for message in messages), messages
    assert any("FC609" in message for message in messages)
