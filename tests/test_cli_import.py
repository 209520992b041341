"""forumctl import: the first import, re-imports as the smallest change, speaker matching
and its review table, --dry-run, and bad input (exit 2, nothing written)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, lines

DATA = Path(__file__).parent / "data" / "import"
MANIFEST_2 = 'format = 2\nname = "Imports"\ntimezone = "Europe/Berlin"\n'

Event = dict[str, Any]


def event(number: int, title: str, start: str, room: str = "Saal 1", **extra: Any) -> Event:
    """A frab JSON event on 2024-12-27 (Berlin), with one person unless ``persons``."""
    data: Event = {
        "id": number,
        "guid": f"00000000-0000-4000-8000-{number:012d}",
        "date": f"2024-12-27T{start}:00+01:00",
        "start": start,
        "duration": "00:30",
        "room": room,
        "title": title,
        "type": "lecture",
        "persons": [{"id": 1, "name": "Ada Example"}],
    }
    data.update(extra)
    return data


def schedule(path: Path, *events: Event) -> Path:
    rooms: dict[str, list[Event]] = {}
    for item in events:
        rooms.setdefault(item["room"], []).append(item)
    document = {
        "schedule": {
            "version": "1",
            "conference": {
                "acronym": "demo24",
                "title": "Demo 2024",
                "start": "2024-12-27",
                "end": "2024-12-27",
                "time_zone_name": "Europe/Berlin",
                "days": [{"index": 1, "date": "2024-12-27", "rooms": rooms}],
            },
        }
    }
    path.write_text(json.dumps(document, indent=1))
    return path


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime (the parse cache and lock left out)."""
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".forumctl" not in path.parts
    }


@pytest.fixture
def archive(make_archive: Callable[[dict[str, str]], Path]) -> Path:
    return make_archive({"forumctl.toml": MANIFEST_2})


def test_unchanged_reimport_writes_nothing(cli: Cli, archive: Path, tmp_path: Path) -> None:
    source = schedule(tmp_path / "s.json", event(1, "Opening", "10:00"), event(2, "Talk", "11:00"))
    assert cli("--archive", archive, "import", "frab", source).exit_code == 0
    before = snapshot(archive)
    result = cli("--archive", archive, "import", "frab", source)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "forum demo24: unchanged, nothing written\n"
    assert snapshot(archive) == before


def test_empty_arrays_written_by_hand_are_no_change(
    cli: Cli, archive: Path, tmp_path: Path
) -> None:
    source = schedule(tmp_path / "s.json", event(1, "Opening", "10:00"))
    assert cli("--archive", archive, "import", "frab", source).exit_code == 0
    speaker = archive / "speakers/ada-example.toml"
    speaker.write_text(speaker.read_text() + "aliases = []\n")
    session = archive / "forums/demo24/sessions/opening.toml"
    hand_written = session.read_text().replace('kind = "talk"\n', 'kind = "talk"\nchairs = []\n')
    session.write_text(hand_written)
    before = snapshot(archive)
    result = cli("--archive", archive, "import", "frab", source)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "forum demo24: unchanged, nothing written\n"
    assert snapshot(archive) == before


def test_dry_run_prints_diffs_and_the_speaker_table(
    cli: Cli, archive: Path, tmp_path: Path
) -> None:
    (archive / "speakers").mkdir()
    (archive / "speakers/ada.toml").write_text('name = "ADA  example"\n')
    (archive / "speakers/grace-sample.toml").write_text('name = "Grace Sample"\n')
    source = schedule(
        tmp_path / "s.json",
        event(1, "Opening", "10:00", persons=[
            {"id": 1, "name": "Ada Example"}, {"id": 2, "name": "Grace Sampel"},
            {"id": 3, "name": "Lin Wei"},
        ]),
    )  # fmt: skip
    before = snapshot(archive)
    result = cli("--archive", archive, "import", "frab", source, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert snapshot(archive) == before
    out = lines(result.stdout)
    assert "+++ b/forums/demo24/sessions/opening.toml" in out
    assert "+++ b/speakers/grace-sampel.toml" in out
    table = out[out.index("Speakers") :]
    assert table == [
        "Speakers",
        "",
        "Speaker       ID            Status     Why",
        "─" * 73,
        "Ada Example   ada           matched    name 'Ada Example'",
        "Grace Sampel  grace-sampel  to review  near 'Grace Sample' (grace-sample)",
        "Lin Wei       lin-wei       new",
    ]
    assert result.stderr == (
        "forum demo24 (new) would change: sessions 1 new; speakers 1 new, 1 matched, 1 to review\n"
    )


def test_format_1_archive_asks_for_migrate(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_archive({"forumctl.toml": 'format = 1\nname = "Old"\ntimezone = "UTC"\n'})
    result = cli(
        "--archive", root, "import", "frab", schedule(tmp_path / "s.json", event(1, "A", "10:00"))
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "forumctl: error: import writes format-2 fields (ids, uid, track, links); this archive"
        " is format 1 (run 'forumctl migrate' first)\n"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", '{"schedule": [', "bad.json:1:15: malformed JSON: Expecting value"),
        ("bad.xml", "<schedule><day></schedule>", "bad.xml:1:18: malformed XML: mismatched tag"),
        ("laughs.xml", '<!DOCTYPE s [<!ENTITY a "aaaa">]><schedule/>',
         "laughs.xml:1: an entity declaration (EntitiesForbidden): refused"),
        ("widget.json", '{"talks": {"code": "KQ7PZM"}, "rooms": []}',
         "widget.json: talks is not a list"),
        ("widget2.json",
         '{"talks": [{"code": "KQ7PZM", "start": "2025-03-14T10:00:00+01:00"}], "rooms": []}',
         "widget2.json: talks[0]: event without a title"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    cli: Cli, archive: Path, tmp_path: Path, name: str, content: str, message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    (tmp_path / name).write_text(content)
    monkeypatch.chdir(tmp_path)
    before = snapshot(archive)
    result = cli("--archive", archive, "import", "frab", name)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"forumctl: error: {message}")
    assert result.stderr.count("\n") == 1
    assert snapshot(archive) == before


def test_csv_bad_row_names_its_line(cli: Cli, archive: Path, tmp_path: Path) -> None:
    rows = "".join(f"Talk {n},2024-03-01,10:00\n" for n in range(310))
    (tmp_path / "p.csv").write_text("title,date,start\n" + rows + "Bad,2024-03-01,10:61\n")
    result = cli("--archive", archive, "import", "csv", tmp_path / "p.csv")
    assert result.exit_code == 2
    assert result.stderr == (
        f"forumctl: error: {tmp_path / 'p.csv'}:312: start '10:61' is not a time (HH:MM)\n"
    )
    assert not (archive / "forums").exists()


def test_person_ids_reused_in_a_merged_schedule_are_two_people(cli: Cli, archive: Path) -> None:
    result = cli("--archive", archive, "import", "frab", DATA / "c3voc-merged.json")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (archive / "speakers").iterdir()) == [
        "alice-example.toml", "bob-sample.toml",
    ]  # fmt: skip
    assert "ids" not in (archive / "speakers/alice-example.toml").read_text()
    assert result.stderr.startswith(
        "forumctl: warning: person ID 42 names Alice Example and Bob Sample: taken as"
        " different people\n"
    )


def test_export_csv_imports_back(
    cli: Cli, sample_archive: Path, archive: Path, tmp_path: Path
) -> None:
    exported = cli("--archive", sample_archive, "export", "csv")
    (tmp_path / "p.csv").write_text(exported.stdout)
    result = cli("--archive", archive, "import", "csv", tmp_path / "p.csv", "--forum", "zj")
    assert result.exit_code == 0, result.stderr
    speeches = (archive / "forums/zj/sessions/speeches.toml").read_text()
    assert speeches.count("[[talks]]") == 3


def test_pretalx_codes_biographies_and_pages(cli: Cli, archive: Path) -> None:
    result = cli("--archive", archive, "import", "pretalx", DATA / "pretalx.json")
    assert result.exit_code == 0, result.stderr
    assert (archive / "speakers/lena-beispiel.toml").read_text() == (
        "#:schema ../schemas/speaker.schema.json\n"
        'name = "Lena Beispiel"\n'
        'bio = "Locksmith and *researcher*."\n'
        'uid = "e1e2e3e4-0000-4000-8000-00000000aaaa"\n'
        "\n"
        "[links]\n"
        'pretalx = "https://pretalx.example.org/democon-2025/speaker/RSTUVW/"\n'
        "\n"
        "[ids]\n"
        'pretalx = "RSTUVW"\n'
    )
    locks = (archive / "forums/democon-2025/sessions/breaking-locks.toml").read_text()
    assert 'uid = "c6f1e2d3-aaaa-4bbb-8ccc-000000000001"\n' in locks
    assert '[ids]\npretalx = "XJ8KCA"\n' in locks
    assert 'speakers = [\n    "lena-beispiel",\n    "tom-muster",\n]' in locks
    assert result.stderr == (
        "forum democon-2025 (new) changed: sessions 2 new; speakers 2 new, 0 matched, 0 to review\n"
    )


def test_a_near_name_is_a_new_speaker_to_review(cli: Cli, archive: Path, tmp_path: Path) -> None:
    (archive / "speakers").mkdir()
    (archive / "speakers/grace-sample.toml").write_text('name = "Grace Sample"\n')
    source = schedule(
        tmp_path / "s.json",
        event(1, "Opening", "10:00", persons=[{"id": 2, "name": "Grace Sampel"}]),
    )
    result = cli("--archive", archive, "import", "frab", source)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(
        "forumctl: warning: speaker 'Grace Sampel' is new as 'grace-sampel': near 'Grace Sample'"
        " (grace-sample); if they are one person: forumctl merge speaker grace-sampel"
        " grace-sample\n"
    )
    assert (archive / "speakers/grace-sample.toml").read_text() == 'name = "Grace Sample"\n'
    assert (archive / "speakers/grace-sampel.toml").exists()


def _ben_wen_and_grace(cli: Cli, archive: Path, tmp_path: Path) -> tuple[list[str], str]:
    """The speaker rows and the stderr of a dry-run import of a schedule of Ben Yilmaz (1),
    Wen Yilmaz (2) and Grace Sampel (3), beside the archive's Grace Sample (no frab ID)."""
    (archive / "speakers").mkdir(exist_ok=True)
    (archive / "speakers/grace-sample.toml").write_text('name = "Grace Sample"\n')
    source = schedule(
        tmp_path / "s.json",
        event(1, "Opening", "10:00", persons=[{"id": 1, "name": "Ben Yilmaz"}]),
        event(2, "Talk", "11:00", persons=[{"id": 2, "name": "Wen Yilmaz"}]),
        event(3, "Other", "12:00", persons=[{"id": 3, "name": "Grace Sampel"}]),
    )
    result = cli("--archive", archive, "import", "frab", source, "--dry-run")
    assert result.exit_code == 0, result.stderr
    out = lines(result.stdout)
    return out[out.index("Speakers") + 4 :], result.stderr


def test_people_a_schedule_tells_apart_are_not_near_one_another(
    cli: Cli, archive: Path, tmp_path: Path
) -> None:
    """Two persons of one schedule with an ID each are two people, however alike their
    names: both new, none to review. Near the archive's speaker, one still is."""
    rows, stderr = _ben_wen_and_grace(cli, archive, tmp_path)
    assert rows == [
        "Ben Yilmaz    ben-yilmaz    new",
        "Grace Sampel  grace-sampel  to review  near 'Grace Sample' (grace-sample)",
        "Wen Yilmaz    wen-yilmaz    new",
    ]
    assert stderr.endswith("speakers 2 new, 0 matched, 1 to review\n")


def test_a_re_import_tells_apart_the_archive_speaker_holding_an_id_of_the_source(
    cli: Cli, archive: Path, tmp_path: Path
) -> None:
    """Ben imported first (frab ID 1), then a schedule with Ben and Wen (ID 2): Wen is new,
    not near Ben, as on a first import of both. Near a speaker without a frab ID, and for
    a source without person IDs (CSV), a near name is still to review."""
    first = schedule(
        tmp_path / "first.json",
        event(1, "Opening", "10:00", persons=[{"id": 1, "name": "Ben Yilmaz"}]),
    )
    assert cli("--archive", archive, "import", "frab", first).exit_code == 0
    rows, stderr = _ben_wen_and_grace(cli, archive, tmp_path)
    assert rows == [
        "Ben Yilmaz    ben-yilmaz    matched    ids.frab = 1",
        "Grace Sampel  grace-sampel  to review  near 'Grace Sample' (grace-sample)",
        "Wen Yilmaz    wen-yilmaz    new",
    ]
    assert stderr.endswith("speakers 1 new, 1 matched, 1 to review\n")
    (tmp_path / "p.csv").write_text(
        "title,date,start,end,room,speakers\nTalk,2024-12-27,11:00,11:30,Saal 1,Wen Yilmaz\n"
    )
    csv = cli("--archive", archive, "import", "csv", tmp_path / "p.csv", "--forum", "other24")
    assert csv.exit_code == 0, csv.stderr
    assert csv.stderr.startswith(
        "forumctl: warning: speaker 'Wen Yilmaz' is new as 'wen-yilmaz': near 'Ben Yilmaz'"
        " (ben-yilmaz); if they are one person: forumctl merge speaker wen-yilmaz"
        " ben-yilmaz\n"
    )


def test_one_person_under_two_spellings_without_ids_is_to_review(
    cli: Cli, archive: Path, tmp_path: Path
) -> None:
    """A source without person IDs (CSV) does not tell its persons apart: a second
    spelling of a name in it is listed for review."""
    (tmp_path / "p.csv").write_text(
        "title,date,start,end,room,speakers\n"
        "Opening,2024-12-27,10:00,10:30,Saal 1,Jürgen Müller\n"
        "Closing,2024-12-27,17:00,17:30,Saal 1,Juergen Mueller\n"
    )
    result = cli("--archive", archive, "import", "csv", tmp_path / "p.csv", "--forum", "demo24")
    assert result.exit_code == 0, result.stderr
    assert (
        "forumctl: warning: speaker 'Juergen Mueller' is new as 'juergen-mueller': near"
        " 'Jürgen Müller' (jurgen-muller); if they are one person: forumctl merge speaker"
        " juergen-mueller jurgen-muller\n" in result.stderr
    )
    assert result.stderr.endswith("speakers 1 new, 0 matched, 1 to review\n")


def test_first_import_writes_forum_sessions_speakers(
    cli: Cli, archive: Path, tmp_path: Path
) -> None:
    source = schedule(
        tmp_path / "s.json",
        event(1, "Opening", "10:00"),
        event(2, "Coffee", "10:30", persons=[]),
    )
    result = cli("--archive", archive, "import", "frab", source)
    assert result.exit_code == 0, result.stderr
    assert lines(result.stdout) == [
        "new        demo24/opening  Opening  (2024-12-27 10:00-10:30 Saal 1)",
        "new        demo24/coffee  Coffee  (2024-12-27 10:30-11:00 Saal 1)",
    ]
    assert result.stderr == (
        "forum demo24 (new) changed: sessions 2 new; speakers 1 new, 0 matched, 0 to review\n"
    )
    assert (archive / "forums/demo24/sessions/coffee.toml").read_text() == (
        "#:schema ../../../schemas/session.schema.json\n"
        'title = "Coffee"\n'
        'kind = "break"\n'
        "date = 2024-12-27\n"
        "start = 10:30:00\n"
        "end = 11:00:00\n"
        'room = "Saal 1"\n'
        'uid = "00000000-0000-4000-8000-000000000002"\n'
        "\n"
        "[ids]\n"
        'frab = "2"\n'
    )
    assert (archive / "speakers/ada-example.toml").read_text() == (
        '#:schema ../schemas/speaker.schema.json\nname = "Ada Example"\n\n[ids]\nfrab = "1"\n'
    )
    assert cli("--archive", archive, "validate").exit_code == 0


def test_reimport_is_the_smallest_change(cli: Cli, archive: Path, tmp_path: Path) -> None:
    source = tmp_path / "s.json"
    schedule(
        source, event(1, "Opening", "10:00"), event(2, "Talk", "11:00"), event(3, "Gone", "12:00")
    )
    assert cli("--archive", archive, "import", "frab", source).exit_code == 0
    talk = archive / "forums/demo24/sessions/talk.toml"
    edited = "# kept: a comment of the editor's\n" + talk.read_text() + "\n"
    edited = edited.replace('kind = "talk"\n', 'kind = "talk"\nsummary = "Written by hand."\n')
    talk.write_text(edited)
    schedule(
        source,
        event(1, "Opening (updated)", "10:00"),
        event(2, "Talk", "11:30", room="Saal 2"),
        event(4, "Late addition", "13:00"),
    )
    result = cli("--archive", archive, "import", "frab", source)
    assert result.exit_code == 0, result.stderr
    assert lines(result.stdout) == [
        "changed    demo24/opening  Opening (updated)  (title)",
        "moved      demo24/talk  Talk"
        "  (2024-12-27 11:00-11:30 Saal 1 -> 2024-12-27 11:30-12:00 Saal 2)",
        "new        demo24/late-addition  Late addition  (2024-12-27 13:00-13:30 Saal 1)",
        "cancelled  demo24/gone  Gone",
    ]
    assert result.stderr == (
        "forum demo24 changed: sessions 1 new, 1 moved, 1 changed, 1 cancelled;"
        " speakers 0 new, 1 matched, 0 to review\n"
    )
    text = talk.read_text()
    assert text.startswith("# kept: a comment of the editor's\n")
    assert 'summary = "Written by hand."\n' in text
    assert "start = 11:30:00\n" in text and 'room = "Saal 2"\n' in text
    assert 'status = "cancelled"' in (archive / "forums/demo24/sessions/gone.toml").read_text()
    pruned = cli("--archive", archive, "import", "frab", source, "--prune")
    assert lines(pruned.stdout) == ["removed    demo24/gone  Gone"]
    assert not (archive / "forums/demo24/sessions/gone.toml").exists()


def test_one_person_under_two_spellings_and_a_relay(cli: Cli, archive: Path) -> None:
    result = cli("--archive", archive, "import", "frab", DATA / "frab.xml")
    assert result.exit_code == 0, result.stderr
    assert (archive / "speakers/jurgen-muller.toml").read_text() == (
        "#:schema ../schemas/speaker.schema.json\n"
        'name = "Jürgen Müller"\n'
        "aliases = [\n"
        '    "Juergen Mueller",\n'
        "]\n"
        'uid = "0b9d1e3c-1111-4a2b-8c3d-000000000007"\n'
        "\n"
        "[ids]\n"
        'frab = "7"\n'
    )
    assert (
        f"forumctl: warning: {DATA / 'frab.xml'}:78: 'Opening: Welcome to XYZ' in Saal 2"
        " relays the one in Saal 1: a session without speakers\n" in result.stderr
    )
    relay = archive / "forums/xyzcon24/sessions/opening-welcome-to-xyz-2024-12-27.toml"
    assert "[[talks]]" not in relay.read_text()
    assert cli("--archive", archive, "validate").exit_code == 0


def test_frab_tracks_languages_links_days_and_repeated_titles(cli: Cli, archive: Path) -> None:
    assert cli("--archive", archive, "import", "frab", DATA / "frab.xml").exit_code == 0
    sessions = archive / "forums/xyzcon24/sessions"
    assert sorted(path.name for path in sessions.iterdir()) == [
        "late-night-hacking.toml", "lunch-2024-12-28.toml", "lunch.toml",
        "nightly-review-2024-12-28.toml", "nightly-review.toml",
        "opening-welcome-to-xyz-2024-12-27.toml", "opening-welcome-to-xyz.toml",
    ]  # fmt: skip
    forum = (archive / "forums/xyzcon24/forum.toml").read_text()
    assert '[[tracks]]\nid = "ceremony"\nname = "Ceremony"\n' in forum
    assert 'url = "https://events.example.org/xyzcon24/"' in forum
    opening = (sessions / "opening-welcome-to-xyz.toml").read_text()
    for line in ('track = "ceremony"', 'language = "en"', 'subtitle = "How the congress works"',
                 'summary = "A longer description, in Markdown as frab writes it."'):  # fmt: skip
        assert line + "\n" in opening
    assert opening.count("[[links]]") == 3
    assert (
        '[[links]]\nkind = "slides"\nurl = "https://events.example.org/xyzcon24/slides/101.pdf"\n'
        'title = "Slides"\n'
    ) in opening
    late = (sessions / "nightly-review-2024-12-28.toml").read_text()
    assert "date = 2024-12-28\nend_date = 2024-12-29\nstart = 23:30:00\nend = 00:30:00\n" in late
    hacking = (sessions / "late-night-hacking.toml").read_text()
    assert "date = 2024-12-28\nstart = 01:30:00\n" in hacking  # listed under day 1, held on day 2


def test_ical_import_keeps_status_and_leaves_all_day_events_out(cli: Cli, archive: Path) -> None:
    result = cli("--archive", archive, "import", "ical", DATA / "pretalx.ics")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(
        f"forumctl: warning: {DATA / 'pretalx.ics'}: VEVENT 3 (Conference day) is all-day:"
        " left out\n"
    )
    meetups = (archive / "forums/democon-2025/sessions/running-meetups.toml").read_text()
    assert 'status = "cancelled"\n' in meetups and "start = 11:00:00\n" in meetups
    forum = (archive / "forums/democon-2025/forum.toml").read_text()
    assert 'timezone = "Europe/Vienna"\n' in forum  # the calendar's, not the archive's Berlin


Persons = list[tuple[str, str | None]]
RELAY = "8f4d0b7e-3b1a-4c0e-9a51-1e2f3a4b5c04"  # frab.xml's relay of its opening in Saal 2
SPELLING = {"Juergen Mueller": "Jürgen Müller"}  # frab.xml's person 7: one speaker, its name


def _events(path: Path) -> dict[str | None, tuple[tuple[object, ...], Persons]]:
    """Each event by GUID: what the round trip keeps, read back by the same reader."""
    from forumctl.importers import read

    return {
        e.guid: ((e.title, e.start, e.end, e.room, e.track, e.language),
                 [(p.name, p.guid) for p in e.persons])
        for e in read("frab", path).events
    }  # fmt: skip


@pytest.mark.parametrize("form", ["frab-xml", "frab-json"])
@pytest.mark.parametrize("name", ["frab.xml", "pretalx.json", "c3voc-merged.json", "wafer.xml"])
def test_frab_round_trip(cli: Cli, archive: Path, tmp_path: Path, form: str, name: str) -> None:
    """Import a schedule, export it: the same events with the same titles, starts, ends
    (durations), rooms, tracks, languages and persons, and the source's GUIDs."""
    assert cli("--archive", archive, "import", "frab", DATA / name).exit_code == 0
    exported = cli("--archive", archive, "export", form)
    assert exported.exit_code == 0, exported.stderr
    back = tmp_path / ("schedule.xml" if form == "frab-xml" else "schedule.json")
    back.write_text(exported.stdout)
    source, result = _events(DATA / name), _events(back)
    assert result.keys() == source.keys()
    for guid, (fields, persons) in source.items():
        fields_back, persons_back = result[guid]
        assert fields_back == fields
        if guid == RELAY:
            assert persons_back == []  # a relay is a session without speakers
            continue
        # the persons' names, and their GUIDs where the source gave them
        given = {SPELLING.get(n, n): g for n, g in persons}
        assert [(n, given[n] and g) for n, g in persons_back] == list(given.items())


def test_pretalx_widget_json(cli: Cli, archive: Path) -> None:
    """pretalx's schedule widget data: rooms and tracks by number with names in several
    languages, speakers by code, a break without a code whose start is in UTC."""
    source = DATA / "pretalx-widget.json"
    result = cli("--archive", archive, "import", "pretalx", source, "--forum", "democon-2025")
    assert result.exit_code == 0, result.stderr
    assert lines(result.stdout) == [
        "new        democon-2025/opening-the-archives  Opening the Archives"
        "  (2025-03-14 10:00-10:45 Main Hall)",
        "new        democon-2025/coffee-break  Coffee break  (2025-03-14 10:45-11:15 Main Hall)",
        "new        democon-2025/late-night-radio  Late Night Radio"
        "  (2025-03-14 23:30-00:30 Studio B)",
    ]
    sessions = archive / "forums/democon-2025/sessions"
    assert (sessions / "opening-the-archives.toml").read_text() == (
        "#:schema ../../../schemas/session.schema.json\n"
        'title = "Opening the Archives"\n'
        'abstract = "How *schedules* become proceedings."\n'
        'kind = "talk"\n'
        "date = 2025-03-14\n"
        "start = 10:00:00\n"
        "end = 10:45:00\n"
        'room = "Main Hall"\n'
        'track = "digital-heritage"\n'
        "\n"
        "[ids]\n"
        'pretalx = "KQ7PZM"\n'
        "\n"
        "[[talks]]\n"
        "speakers = [\n"
        '    "lena-beispiel",\n'
        '    "tom-muster",\n'
        "]\n"
    )
    assert 'kind = "break"\n' in (sessions / "coffee-break.toml").read_text()
    assert "end_date = 2025-03-15\n" in (sessions / "late-night-radio.toml").read_text()
    assert (
        (archive / "speakers/tom-muster.toml").read_text().endswith('[ids]\npretalx = "ABCDEF"\n')
    )
    forum = (archive / "forums/democon-2025/forum.toml").read_text()
    assert 'name = "Digital Heritage"\ncolor = "#3a7bd5"\n' in forum
    again = cli("--archive", archive, "import", "pretalx", source, "--forum", "democon-2025")
    assert (again.exit_code, again.stdout) == (0, "")
    assert again.stderr == "forum democon-2025: unchanged, nothing written\n"
