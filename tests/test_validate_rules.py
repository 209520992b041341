"""The broken-archive corpus: each case changes the valid base archive in one place and
must give exactly one finding, with its rule code, file and line."""

from __future__ import annotations

import os
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from base_archive import BASE, FORMAT_2

from forumctl.archive import Archive
from forumctl.records import SessionKind
from forumctl.validate import validate
from forumctl.validate.rules import RULES

SESSION_KINDS = ", ".join(typing.get_args(SessionKind))
SESSION_A = BASE["forums/f/sessions/a.toml"]
SESSION_B = BASE["forums/f/sessions/b.toml"]
FORUM = BASE["forums/f/forum.toml"]
MakeArchive = Callable[[dict[str, str]], Path]
# a forum in Europe/Berlin on the day summer time began, 02:30 to 03:30 with ada
BERLIN_GAP = {
    "forums/g/forum.toml": (
        'title = "G"\nstart = 2024-03-31\nend = 2024-03-31\ntimezone = "Europe/Berlin"\n'
    ),
    "forums/g/sessions/x.toml": (
        'title = "X"\nstart = 02:30:00\nend = 03:30:00\n\n[[talks]]\nspeakers = ["ada"]\n'
    ),
}
# b in a's room half an hour into a, with other people
ROOM_CLASH = SESSION_B.replace("start = 10:00:00", "start = 09:30:00").replace('["bo"]', '["cy"]')

UID = "0b6a4c5e-2f1d-4c3b-9a8e-7d6c5b4a3f21"
F2 = FORMAT_2["forumctl.toml"]
TALK_A = SESSION_A  # its talk is the last table: keys appended to it belong to the talk

# (case, changed files, expected (code, path, line, column))
CORPUS: list[tuple[str, dict[str, str], tuple[str, str, int, int]]] = [
    (
        "toml syntax",
        {"forums/f/forum.toml": 'title = "Forum"\nstart = 2020-12-12\nend = = 2020-12-13\n'},
        ("FC001", "forums/f/forum.toml", 3, 7),
    ),
    (
        "manifest format 0",
        {"forumctl.toml": 'format = 0\nname = "Test archive"\n'},
        ("FC002", "forumctl.toml", 1, 1),
    ),
    (
        "format-2 key in a format-1 archive",
        {"speakers/ada.toml": 'name = "Ada Lovelace"\naliases = ["A. Lovelace"]\n'},
        ("FC003", "speakers/ada.toml", 2, 1),
    ),
    (
        "[validate] ignores a code no rule has (the second item)",
        {"forumctl.toml": F2 + '\n[validate]\nignore = ["FC403", "FC99"]\n'},
        ("FC004", "forumctl.toml", 6, 20),
    ),
    (
        "a per-file-ignores glob that leaves the archive",
        {"forumctl.toml": F2 + '\n[validate.per-file-ignores]\n"../x/*.toml" = ["FC403"]\n'},
        ("FC005", "forumctl.toml", 6, 1),
    ),
    (
        "a uid that is no UUID",
        {**FORMAT_2, "speakers/ada.toml": f'name = "Ada Lovelace"\nuid = "{UID[:-1]}"\n'},
        ("FC608", "speakers/ada.toml", 2, 1),
    ),
    (
        "an alias that is another speaker's name (in its own script)",
        {**FORMAT_2, "speakers/ada.toml": 'name = "Ada Lovelace"\naliases = ["Li Bo"]\n'},
        ("FC605", "speakers/ada.toml", 2, 12),
    ),
    (
        "two speakers with one alias: perhaps one person",
        {**FORMAT_2, "speakers/ada.toml": 'name = "Ada Lovelace"\naliases = ["A. L."]\n',
         "speakers/bo.toml": 'name = "Bo Li"\nname_original = "李博"\naliases = ["A L"]\n'},
        ("FC601", "speakers/bo.toml", 3, 12),
    ),
    (
        "a talk that starts before its session",
        {**FORMAT_2, "forums/f/sessions/a.toml": TALK_A + "start = 08:30:00\n"},
        ("FC208", "forums/f/sessions/a.toml", 10, 1),
    ),
    (
        "a talk that ends before it starts",
        {**FORMAT_2,
         "forums/f/sessions/a.toml": TALK_A + "start = 09:30:00\nend = 09:10:00\n"},
        ("FC202", "forums/f/sessions/a.toml", 11, 1),
    ),
    (
        "a session that ends on a day before its date",
        {**FORMAT_2, "forums/f/sessions/b.toml": SESSION_B.replace(
            "date = 2020-12-12\n", "date = 2020-12-12\nend_date = 2020-12-11\n")},
        ("FC202", "forums/f/sessions/b.toml", 3, 1),
    ),
    (
        "a track the forum does not have",
        {**FORMAT_2, "forums/f/sessions/b.toml": SESSION_B.replace(
            'title = "B"\n', 'title = "B"\ntrack = "economy"\n')},
        ("FC404", "forums/f/sessions/b.toml", 2, 1),
    ),
    (
        "a quote whose source the forum does not have",
        {**FORMAT_2,
         "forums/f/forum.toml": FORUM + '\n[[sources]]\nid = "report"\ntitle = "Report"\n',
         "forums/f/sessions/a.toml": TALK_A + 'quotes = [{ text = "Q", source = "notes" }]\n'},
        ("FC405", "forums/f/sessions/a.toml", 10, 20),
    ),
    (
        "a DOI written as a link",
        {**FORMAT_2, "forums/f/forum.toml": FORUM + 'doi = "https://doi.org/10.1000/182"\n'},
        ("FC606", "forums/f/forum.toml", 4, 1),
    ),
    (
        "a license that is no SPDX identifier",
        {**FORMAT_2, "forums/f/sessions/b.toml": SESSION_B + (
            '\n[[links]]\nkind = "video"\nurl = "https://example.org/v"\nlicense = "CC-BY"\n')},
        ("FC607", "forums/f/sessions/b.toml", 13, 1),
    ),
    (
        "a track colour that is no #rrggbb",
        {**FORMAT_2, "forums/f/forum.toml": FORUM + (
            '\n[[tracks]]\nid = "economy"\nname = "Economy"\ncolor = "red"\n')},
        ("FC610", "forums/f/forum.toml", 8, 1),
    ),
    (
        "a track ID that is no slug",
        {**FORMAT_2,
         "forums/f/forum.toml": FORUM + '\n[[tracks]]\nid = "Economy 1"\nname = "Economy"\n'},
        ("FC301", "forums/f/forum.toml", 6, 1),
    ),
    (
        "a manifest language that is a name, not a tag (format 1 too)",
        {"forumctl.toml": BASE["forumctl.toml"] + 'language = "english"\n'},
        ("FC701", "forumctl.toml", 4, 1),
    ),
    (
        "a session language with an underscore",
        {**FORMAT_2, "forums/f/sessions/b.toml": SESSION_B.replace(
            'title = "B"\n', 'title = "B"\nlanguage = "EN_us"\n')},
        ("FC701", "forums/f/sessions/b.toml", 2, 1),
    ),
    (
        "a translation into the archive's own language",
        {"forumctl.toml": F2 + 'language = "en"\n',
         "forums/f/forum.toml": FORUM + '\n[translations.en-GB]\ntitle = "Forum"\n\n'
                                        '[translations.EN]\ntitle = "Forum"\n'},
        ("FC702", "forums/f/forum.toml", 8, 1),
    ),
    (
        "one language twice in a forum's translations (language tags ignore case)",
        {**FORMAT_2, "forums/f/forum.toml": FORUM + '\n[translations.de]\ntitle = "Forum"\n\n'
                                                    '[translations.DE]\ntitle = "Das Forum"\n'},
        ("FC703", "forums/f/forum.toml", 8, 1),
    ),
    (
        "one language twice in a forum's translations (a tag and its registered replacement)",
        {**FORMAT_2, "forums/f/forum.toml": FORUM + '\n[translations.iw]\ntitle = "Forum"\n\n'
                                                    '[translations.he]\ntitle = "Das Forum"\n'},
        ("FC703", "forums/f/forum.toml", 8, 1),
    ),
    (
        "missing required key",
        {"forums/f/forum.toml": "start = 2020-12-12\nend = 2020-12-13\n"},
        ("FC101", "forums/f/forum.toml", 1, 1),
    ),
    (
        "missing key in a table: at the table's header line",
        {"forums/f/sessions/b.toml": SESSION_B.replace('speakers = ["bo"]', 'title = "T"')},
        ("FC101", "forums/f/sessions/b.toml", 7, 1),
    ),
    (
        "wrong type",
        {"forums/f/forum.toml": FORUM + 'edition = "5"\n'},
        ("FC102", "forums/f/forum.toml", 4, 1),
    ),
    (
        "not in enum",
        {"forums/f/sessions/a.toml": SESSION_A.replace('"A"\n', '"A"\nkind = "party"\n')},
        ("FC103", "forums/f/sessions/a.toml", 2, 1),
    ),
    (
        "unknown key",
        {"forums/f/forum.toml": FORUM + 'venu = "Hall"\n'},
        ("FC104", "forums/f/forum.toml", 4, 1),
    ),
    (
        "typo'd array-of-tables key: at its header line",
        {"speakers/ada.toml": BASE["speakers/ada.toml"]
         + '\n[[affilations]]\norganization = "X"\n'},
        ("FC104", "speakers/ada.toml", 3, 1),
    ),
    (
        "a UTF-8 byte order mark changes no position",
        {"forums/f/forum.toml": "\ufeff" + FORUM + 'venu = "C:\\\\example"\n'},
        ("FC104", "forums/f/forum.toml", 4, 1),
    ),
    (
        "empty speakers of a talk",
        {"forums/f/sessions/b.toml": SESSION_B.replace('speakers = ["bo"]', "speakers = []")
         + '\n[[talks]]\nspeakers = ["bo"]\n'},
        ("FC105", "forums/f/sessions/b.toml", 8, 1),
    ),
    (
        "date as string",
        {"forums/f/forum.toml": FORUM.replace("start = 2020-12-12", 'start = "2020-12-12"')},
        ("FC201", "forums/f/forum.toml", 2, 1),
    ),
    (
        "forum ends before it starts",
        {"forums/f/forum.toml": FORUM.replace("end = 2020-12-13", "end = 2020-12-11")},
        ("FC202", "forums/f/forum.toml", 3, 1),
    ),
    (
        "session ends before it starts",
        {"forums/f/sessions/b.toml": SESSION_B.replace("end = 11:00:00", "end = 09:59:00")},
        ("FC202", "forums/f/sessions/b.toml", 4, 1),
    ),
    (
        "affiliation ends before it starts",
        {"speakers/ada.toml": BASE["speakers/ada.toml"]
         + '\n[[affiliations]]\norganization = "X"\nsince = 2020-01-01\nuntil = 2019-01-01\n'},
        ("FC202", "speakers/ada.toml", 6, 1),
    ),
    (
        "session date outside its forum",
        {"forums/f/sessions/b.toml": SESSION_B.replace("date = 2020-12-12", "date = 2020-12-20")},
        ("FC203", "forums/f/sessions/b.toml", 2, 1),
    ),
    (
        "timed session without date in a two-day forum",
        {"forums/f/sessions/b.toml": SESSION_B.replace("date = 2020-12-12\n", "")},
        ("FC204", "forums/f/sessions/b.toml", 2, 1),
    ),
    (
        "unknown timezone",
        {"forums/f/forum.toml": FORUM + 'timezone = "Mars/Olympus"\n'},
        ("FC205", "forums/f/forum.toml", 4, 1),
    ),
    (
        "timezone naming a directory of the tz database",
        {"forums/f/forum.toml": FORUM + 'timezone = "America"\n'},
        ("FC205", "forums/f/forum.toml", 4, 1),
    ),
    (
        "timezone longer than a file name",
        {"forumctl.toml": BASE["forumctl.toml"].replace("Asia/Shanghai", "a" * 300)},
        ("FC205", "forumctl.toml", 3, 1),
    ),
    (
        "a date at the end of the calendar",
        {"forums/f/forum.toml": FORUM.replace("end = 2020-12-13", "end = 9999-12-31")},
        ("FC209", "forums/f/forum.toml", 3, 1),
    ),
    (
        "a date at the start of the calendar, in an array of tables",
        {"speakers/ada.toml": BASE["speakers/ada.toml"]
         + '\n[[affiliations]]\norganization = "X"\nsince = 0001-01-01\n'},
        ("FC209", "speakers/ada.toml", 5, 1),
    ),
    (
        "start in the spring gap of Europe/Berlin",
        BERLIN_GAP,
        ("FC206", "forums/g/sessions/x.toml", 2, 1),
    ),
    (
        "start in the autumn fold of Europe/Berlin",
        {**BERLIN_GAP, "forums/g/forum.toml": BERLIN_GAP["forums/g/forum.toml"]
         .replace("03-31", "10-27")},
        ("FC207", "forums/g/sessions/x.toml", 2, 1),
    ),
    (
        "file name not a slug",
        {"forums/f/sessions/Late_Session.toml": 'title = "C"\n\n[[talks]]\nspeakers = ["ada"]\n'},
        ("FC301", "forums/f/sessions/Late_Session.toml", 1, 1),
    ),
    (
        "forum directory name not a slug",
        {"forums/Forum_2/forum.toml": FORUM},
        ("FC301", "forums/Forum_2/forum.toml", 1, 1),
    ),
    (
        "speaker file name not a slug",
        {"speakers/Cy.toml": 'name = "Cy Young"\n',
         "forums/f/sessions/a.toml": SESSION_A.replace('["bo"]', '["bo", "Cy"]')},
        ("FC301", "speakers/Cy.toml", 1, 1),
    ),
    (
        "session of a directory without forum.toml",
        {"forums/g/sessions/x.toml": 'title = "X"\n\n[[talks]]\nspeakers = ["ada"]\n'},
        ("FC302", "forums/g/sessions/x.toml", 1, 1),
    ),
    (
        "file where no record belongs",
        {"forums/f/notes.toml": 'title = "notes"\n'},
        ("FC302", "forums/f/notes.toml", 1, 1),
    ),
    (
        "missing speaker",
        {"forums/f/sessions/b.toml": SESSION_B.replace('["bo"]', '["bo", "cy"]')},
        ("FC401", "forums/f/sessions/b.toml", 8, 19),  # at the item "cy"
    ),
    (
        "missing chair",
        {"forums/f/sessions/a.toml": SESSION_A.replace('chairs = ["bo"]', 'chairs = ["bo", "cy"]')},
        ("FC401", "forums/f/sessions/a.toml", 6, 17),
    ),
    (
        "affiliation of someone not in the talk",
        {"forums/f/sessions/b.toml": SESSION_B + 'affiliations = { ada = "Analytical Society" }\n'},
        ("FC402", "forums/f/sessions/b.toml", 9, 1),
    ),
    (
        "unreferenced speaker",
        {"speakers/cy.toml": 'name = "Cy Young"\n'},
        ("FC403", "speakers/cy.toml", 1, 1),
    ),
    (
        "two sessions in one room at once: reported at the later file",
        {"forums/f/sessions/b.toml": ROOM_CLASH, "speakers/cy.toml": 'name = "Cy Young"\n'},
        ("FC501", "forums/f/sessions/b.toml", 5, 1),
    ),
    (
        "a speaker in two sessions at once",
        {"forums/f/sessions/b.toml": SESSION_B.replace("start = 10:00:00", "start = 09:30:00")
         .replace('room = "Hall 1"', 'room = "Hall 2"')},
        ("FC502", "forums/f/sessions/b.toml", 8, 13),
    ),
    (
        "session without talks",
        {"forums/f/sessions/c.toml": 'title = "C"\nchairs = ["ada"]\n'},
        ("FC503", "forums/f/sessions/c.toml", 1, 1),
    ),
    (
        "same name after transliteration: reported at the later path, speakers/bo.toml",
        {"speakers/bo-li.toml": 'name = "李 博"\n',
         "forums/f/sessions/b.toml": SESSION_B.replace('["bo"]', '["bo", "bo-li"]')},
        ("FC601", "speakers/bo.toml", 2, 1),
    ),
    (
        "same ORCID twice",
        {"speakers/ada.toml": 'name = "Ada Lovelace"\n\n[links]\norcid = "0000-0002-1825-0097"\n',
         "speakers/bo.toml": BASE["speakers/bo.toml"] + '\n[links]\norcid = "https://orcid.org/0000-0002-1825-0097"\n'},
        ("FC602", "speakers/bo.toml", 5, 1),
    ),
    (
        "ORCID check digit wrong",
        {"speakers/ada.toml": 'name = "Ada Lovelace"\n\n[links]\norcid = "0000-0002-1825-0098"\n'},
        ("FC603", "speakers/ada.toml", 4, 1),
    ),
    (
        "link that is not http(s)",
        {"speakers/ada.toml": 'name = "Ada Lovelace"\n\n[links]\nwebsite = "ftp://example.org/ada"\n'},
        ("FC604", "speakers/ada.toml", 4, 1),
    ),
    (
        "a control character in record text",
        {"speakers/ada.toml": 'name = "Ada\\u001b[2J Lovelace"\n'},
        ("FC609", "speakers/ada.toml", 1, 1),
    ),
    (
        "source URL that is not http(s)",
        {"forums/f/forum.toml": FORUM + '\n[[sources]]\ntitle = "Report"\nurl = "example.org/r"\n'},
        ("FC604", "forums/f/forum.toml", 7, 1),
    ),
]  # fmt: skip


def findings_of(root: Path) -> list[tuple[str, str, int, int]]:
    report = validate(Archive.open(root))
    return [(f.code, f.path, f.line, f.column) for f in report.findings]


def test_the_base_archive_is_clean(make_archive: MakeArchive) -> None:
    assert findings_of(make_archive(BASE)) == []


@pytest.mark.parametrize(
    ("changes", "expected"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS]
)
def test_one_defect_gives_one_finding(
    make_archive: MakeArchive, changes: dict[str, str], expected: tuple[str, str, int, int]
) -> None:
    assert findings_of(make_archive({**BASE, **changes})) == [expected]


# Format-2 archives that must give no finding at all
CLEAN: list[tuple[str, dict[str, str]]] = [
    ("a break needs no talks", {"forums/f/sessions/c.toml": 'title = "Lunch"\nkind = "break"\n'}),
    ("a cancelled session is in no room and takes nobody's time",
     {"forums/f/sessions/b.toml":
      'status = "cancelled"\n' + ROOM_CLASH.replace('["cy"]', '["ada"]')}),
    ("a withdrawn talk takes its speaker's time no more",
     {"forums/f/sessions/b.toml": SESSION_B.replace("start = 10:00:00", "start = 09:30:00")
      .replace('room = "Hall 1"', 'room = "Hall 2"').replace('["bo"]', '["ada"]')
      + 'status = "withdrawn"\n', "speakers/bo.toml": BASE["speakers/bo.toml"]}),
    ("a session past midnight, with a talk after it",
     {"forums/f/sessions/b.toml": SESSION_B.replace("start = 10:00:00", "start = 23:00:00")
      .replace("end = 11:00:00", "end = 01:00:00").replace(
          "date = 2020-12-12\n", "date = 2020-12-12\nend_date = 2020-12-13\n")
      + "start = 00:15:00\nend = 00:45:00\n"}),
    ("a translation into another script of the archive's language",
     {"forumctl.toml": F2 + 'language = "zh"\n',
      "forums/f/forum.toml": FORUM + '\n[translations.zh-Hant]\ntitle = "論壇"\n'}),
]  # fmt: skip


@pytest.mark.parametrize("changes", [c[1] for c in CLEAN], ids=[c[0] for c in CLEAN])
def test_format_2_programmes_without_findings(
    make_archive: MakeArchive, changes: dict[str, str]
) -> None:
    assert findings_of(make_archive({**BASE, **FORMAT_2, **changes})) == []


def test_every_rule_has_a_broken_archive() -> None:
    assert {case[2][0] for case in CORPUS} == set(RULES)


def test_a_file_that_is_not_utf8_is_a_syntax_finding(make_archive: MakeArchive) -> None:
    root = make_archive(BASE)
    (root / "speakers/ada.toml").write_bytes(b'name = "Ada \xff"\n')
    report = validate(Archive.open(root))
    assert [(f.code, f.path, f.line, f.message) for f in report.findings] == [
        ("FC001", "speakers/ada.toml", 1, "not UTF-8 text (byte 13); save the file as UTF-8")
    ]


def test_findings_of_two_places_name_the_other_file(make_archive: MakeArchive) -> None:
    changes = {"forums/f/sessions/b.toml": ROOM_CLASH, "speakers/cy.toml": 'name = "Cy Young"\n'}
    (finding,) = validate(Archive.open(make_archive({**BASE, **changes}))).findings
    assert finding.related == "forums/f/sessions/a.toml"
    assert finding.message == (
        "room 'Hall 1' on 2020-12-12 is also used by forums/f/sessions/a.toml (09:00\u201310:00)"
        " while this session runs (09:30\u201311:00)"
    )


def test_unknown_key_message_suggests_the_close_match(make_archive: MakeArchive) -> None:
    changes = {"forums/f/forum.toml": FORUM.replace("title", "titel")}
    report = validate(Archive.open(make_archive({**BASE, **changes})))
    assert [(f.code, f.line, f.message) for f in report.findings] == [
        ("FC104", 1, "unknown key 'titel' in forum; did you mean 'title'?"),
    ]


def test_every_finding_is_reported_sorted(make_archive: MakeArchive) -> None:
    changes = {
        "speakers/cy.toml": 'name = "Cy Young"\n',
        "forums/f/forum.toml": FORUM + 'venu = "Hall"\nedition = "5"\n',
        "forums/f/sessions/b.toml": SESSION_B.replace('["bo"]', '["zed"]'),
    }
    assert findings_of(make_archive({**BASE, **changes})) == [
        ("FC104", "forums/f/forum.toml", 4, 1),
        ("FC102", "forums/f/forum.toml", 5, 1),
        ("FC401", "forums/f/sessions/b.toml", 8, 13),
        ("FC403", "speakers/cy.toml", 1, 1),
    ]


def test_one_day_forum_sessions_without_date_still_clash(make_archive: MakeArchive) -> None:
    one_day = FORUM.replace("end = 2020-12-13", "end = 2020-12-12")
    undated = ROOM_CLASH.replace("date = 2020-12-12\n", "")
    changes = {"forums/f/forum.toml": one_day, "forums/f/sessions/b.toml": undated,
               "speakers/cy.toml": 'name = "Cy Young"\n'}  # fmt: skip
    assert findings_of(make_archive({**BASE, **changes})) == [
        ("FC501", "forums/f/sessions/b.toml", 4, 1)
    ]


def test_one_person_twice_is_reported_once_as_the_orcid(make_archive: MakeArchive) -> None:
    orcid = '\n[links]\norcid = "0000-0002-1825-0097"\n'
    changes = {"speakers/ada.toml": BASE["speakers/ada.toml"] + orcid,
               "speakers/bo.toml": 'name = "Ada Lovelace"\n' + orcid}  # fmt: skip
    assert findings_of(make_archive({**BASE, **changes})) == [("FC602", "speakers/bo.toml", 4, 1)]


def test_sessions_that_are_no_toml_silence_unreferenced_speakers(make_archive: MakeArchive) -> None:
    cy = {"speakers/cy.toml": 'name = "Cy Young"\n'}
    unparsable = {"forums/f/sessions/b.toml": SESSION_B.replace('title = "B"', "title = ")}
    assert findings_of(make_archive({**BASE, **cy, **unparsable})) == [
        ("FC001", "forums/f/sessions/b.toml", 1, 9)
    ]
    # a session without its title still shows whom it refers to
    untitled = {"forums/f/sessions/b.toml": SESSION_B.replace('title = "B"\n', "")}
    assert findings_of(make_archive({**BASE, **cy, **untitled})) == [
        ("FC101", "forums/f/sessions/b.toml", 1, 1),
        ("FC403", "speakers/cy.toml", 1, 1),
    ]


# b without its title, ending before it starts, a week after its forum, with two speakers
# who have no file
UNTITLED_B = (
    SESSION_B.replace('title = "B"\n', "")
    .replace("2020-12-12", "2020-12-19")
    .replace("end = 11:00:00", "end = 09:00:00")
    .replace('["bo"]', '["zed", "yu"]')
)


def test_a_missing_required_key_hides_no_other_finding(make_archive: MakeArchive) -> None:
    report = validate(Archive.open(make_archive({**BASE, "forums/f/sessions/b.toml": UNTITLED_B})))
    assert [(f.code, f.path, f.line, f.column, f.message) for f in report.findings] == [
        ("FC101", "forums/f/sessions/b.toml", 1, 1, "missing required key 'title' in session"),
        ("FC203", "forums/f/sessions/b.toml", 1, 1,
         "session date 2020-12-19 is outside its forum's dates (2020-12-12 to 2020-12-13,"
         " forums/f/forum.toml)"),
        ("FC202", "forums/f/sessions/b.toml", 3, 1,
         "session ends (09:00) before or when it starts (10:00)"),
        ("FC401", "forums/f/sessions/b.toml", 7, 13,
         "no speaker 'zed' (speakers/zed.toml does not exist)"),
        ("FC401", "forums/f/sessions/b.toml", 7, 20,
         "no speaker 'yu' (speakers/yu.toml does not exist)"),
    ]  # fmt: skip


def test_a_forum_missing_its_title_still_dates_its_sessions(make_archive: MakeArchive) -> None:
    changes = {
        "forums/f/forum.toml": FORUM.replace('title = "Forum"\n', ""),
        "forums/f/sessions/b.toml": SESSION_B.replace("2020-12-12", "2020-12-19"),
    }
    assert findings_of(make_archive({**BASE, **changes})) == [
        ("FC101", "forums/f/forum.toml", 1, 1),
        ("FC203", "forums/f/sessions/b.toml", 2, 1),
    ]


def test_an_affiliation_without_organization_hides_no_other(make_archive: MakeArchive) -> None:
    ada = (
        'name = "Ada Lovelace"\n\n'
        '[[affiliations]]\nrole = "analyst"\nsince = 1843-01-01\nuntil = 1842-01-01\n\n'
        '[[affiliations]]\norganization = "Royal Society"\nsince = 1850-01-01\n'
        "until = 1849-01-01\n"
    )
    report = validate(Archive.open(make_archive({**BASE, "speakers/ada.toml": ada})))
    assert [(f.code, f.line, f.message) for f in report.findings] == [
        ("FC101", 3, "missing required key 'organization' in affiliation"),
        ("FC202", 6, "affiliation 1 (no organization) ends (1842-01-01) before it starts"
                     " (1843-01-01)"),
        ("FC202", 11, "affiliation with Royal Society ends (1849-01-01) before it starts"
                      " (1850-01-01)"),
    ]  # fmt: skip


def test_a_talk_without_speakers_still_has_its_affiliations_checked(
    make_archive: MakeArchive,
) -> None:
    talk = '[[talks]]\ntitle = "T"\naffiliations = { zed = "Org" }\n'
    changes = {"forums/f/sessions/b.toml": SESSION_B + "\n" + talk}
    assert findings_of(make_archive({**BASE, **changes})) == [
        ("FC101", "forums/f/sessions/b.toml", 10, 1),
        ("FC401", "forums/f/sessions/b.toml", 12, 1),
    ]


def test_a_manifest_without_name_still_has_its_format_checked(make_archive: MakeArchive) -> None:
    assert findings_of(make_archive({**BASE, "forumctl.toml": "format = 0\n"})) == [
        ("FC002", "forumctl.toml", 1, 1),
        ("FC101", "forumctl.toml", 1, 1),
    ]


def test_partial_records_come_from_the_parse_cache_too(
    make_archive: MakeArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forumctl import archive as archive_module
    from forumctl import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_WINDOW_NS", 0)  # trust files written just now
    root = make_archive({**BASE, "forums/f/sessions/b.toml": UNTITLED_B})

    def codes() -> list[str]:
        archive = Archive.open(root, cache=True)
        report = validate(archive)
        archive.save_cache()
        return [f.code for f in report.findings]

    cold = codes()
    monkeypatch.setattr(archive_module, "load_file", None)  # the warm run parses nothing
    assert codes() == cold == ["FC101", "FC203", "FC202", "FC401", "FC401"]


def test_limited_to_paths_but_references_resolve_everywhere(make_archive: MakeArchive) -> None:
    root = make_archive({**BASE, "speakers/cy.toml": 'name = "Cy Young"\n'})
    report = validate(Archive.open(root), only=["forums"])
    assert report.findings == []
    assert report.files == [
        "forums/f/forum.toml", "forums/f/sessions/a.toml", "forums/f/sessions/b.toml"
    ]  # fmt: skip
    assert [f.code for f in validate(Archive.open(root), only=["speakers/cy.toml"]).findings] == [
        "FC403"
    ]


def test_select_and_ignore_match_code_prefixes(make_archive: MakeArchive) -> None:
    root = make_archive(
        {
            **BASE,
            "speakers/cy.toml": 'name = "Cy Young"\n',
            "forums/f/forum.toml": FORUM + "venu = 1\n",
        }
    )
    assert [f.code for f in validate(Archive.open(root), select=["FC4"]).findings] == ["FC403"]
    assert [f.code for f in validate(Archive.open(root), ignore=["FC403"]).findings] == ["FC104"]


def test_validate_leaves_the_garbage_collector_as_it_was(make_archive: MakeArchive) -> None:
    import gc

    validate(Archive.open(make_archive(BASE)))
    assert gc.isenabled()
    gc.disable()
    try:
        validate(Archive.open(make_archive(BASE)))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_entries_that_are_not_record_files_are_misplaced(make_archive: MakeArchive) -> None:
    root = make_archive(BASE)
    (root / "speakers/cy.toml").mkdir()
    (root / "forums/f/sessions/c.toml").mkdir()
    (root / "forums/g").mkdir()
    (root / "forums/h/sessions").mkdir(parents=True)
    (root / "forums/h/forum.toml").symlink_to("../nowhere.toml")
    (root / "speakers/dee.toml").symlink_to("gone.toml")
    report = validate(Archive.open(root))
    assert [(f.code, f.path, f.line, f.message) for f in report.findings] == [
        ("FC302", "forums/f/sessions/c.toml", 1,
         "a directory named like a record file (records are files); rename or remove it"),
        ("FC302", "forums/g", 1,
         "forum directory without forum.toml; add forums/g/forum.toml or remove the directory"),
        ("FC302", "forums/h/forum.toml", 1,
         "a symbolic link to ../nowhere.toml, which does not exist; correct or remove the link"),
        ("FC302", "speakers/cy.toml", 1,
         "a directory named like a record file (records are files); rename or remove it"),
        ("FC302", "speakers/dee.toml", 1,
         "a symbolic link to gone.toml, which does not exist; correct or remove the link"),
    ]  # fmt: skip


def test_a_speaker_in_two_forums_at_once_compares_instants(make_archive: MakeArchive) -> None:
    berlin_session = SESSION_A.replace("09:00", "02:30").replace("10:00", "03:30")
    berlin_session = berlin_session.replace('chairs = ["bo"]\n', "")
    berlin = {
        "forums/g/forum.toml": FORUM.replace('"Forum"', '"G"') + 'timezone = "Europe/Berlin"\n',
        "forums/g/sessions/x.toml": berlin_session,
    }  # 02:30 in Berlin is 09:30 in Shanghai, during forums/f/sessions/a.toml
    report = validate(Archive.open(make_archive({**BASE, **berlin})))
    assert [(f.code, f.path, f.line, f.column, f.message, f.related) for f in report.findings] == [
        (
            "FC502",
            "forums/g/sessions/x.toml",
            8,
            13,
            "'ada' is also in forums/f/sessions/a.toml (2020-12-12 09:00\u201310:00 Asia/Shanghai)"
            " while this session runs (2020-12-12 02:30\u201303:30 Europe/Berlin)",
            "forums/f/sessions/a.toml",
        )
    ]
    # the same local times as a's, in Berlin, are seven hours later
    same_clock = berlin_session.replace("02:30", "09:00").replace("03:30", "10:00")
    changes = {**berlin, "forums/g/sessions/x.toml": same_clock}
    assert findings_of(make_archive({**BASE, **changes})) == []


def test_times_the_clocks_skip_or_pass_twice(make_archive: MakeArchive) -> None:
    in_gap = 'title = "X"\nstart = 01:30:00\nend = 02:00:00\n\n[[talks]]\nspeakers = ["ada"]\n'
    report = validate(Archive.open(make_archive({**BASE, **BERLIN_GAP})))
    assert [(f.code, f.line, f.message) for f in report.findings] == [
        (
            "FC206",
            2,
            "start 02:30 does not exist on 2024-03-31 in Europe/Berlin: the clocks skip it",
        )
    ]
    changes = {**BERLIN_GAP, "forums/g/sessions/x.toml": in_gap}  # 02:00 is the first skipped
    report = validate(Archive.open(make_archive({**BASE, **changes})))
    assert [(f.code, f.line, f.message) for f in report.findings] == [
        ("FC206", 3, "end 02:00 does not exist on 2024-03-31 in Europe/Berlin: the clocks skip it")
    ]
    autumn = {
        **changes,
        "forums/g/forum.toml": BERLIN_GAP["forums/g/forum.toml"].replace("03-31", "10-27"),
    }
    report = validate(Archive.open(make_archive({**BASE, **autumn})))
    assert [(f.code, f.line, f.message) for f in report.findings] == [
        (
            "FC207",
            3,
            "end 02:00 happens twice on 2024-10-27 in Europe/Berlin: the clocks pass it twice",
        )
    ]


def test_a_forum_id_the_export_needs_for_its_own_pages_is_reported(
    make_archive: MakeArchive,
) -> None:
    root = make_archive({**BASE, "forums/index/forum.toml": FORUM})
    report = validate(Archive.open(root, cache=False), select=["FC301"])
    assert [(f.path, f.message) for f in report.findings] == [
        (
            "forums/index/forum.toml",
            "forum ID 'index' is taken by the export's index.md; rename the forum's directory",
        )
    ]


def test_links_in_a_loop_are_misplaced_files(make_archive: MakeArchive) -> None:
    root = make_archive(BASE)
    (root / "speakers/loop.toml").symlink_to("loop.toml")
    (root / "forums/f/sessions/c.toml").symlink_to("d.toml")
    (root / "forums/f/sessions/d.toml").symlink_to("c.toml")
    (root / "forums/g/sessions").mkdir(parents=True)
    (root / "forums/g/forum.toml").symlink_to("forum.toml")
    report = validate(Archive.open(root))
    assert [(f.code, f.path, f.line, f.message) for f in report.findings] == [
        ("FC302", "forums/f/sessions/c.toml", 1,
         "a symbolic link to d.toml, which leads in a loop; correct or remove the link"),
        ("FC302", "forums/f/sessions/d.toml", 1,
         "a symbolic link to c.toml, which leads in a loop; correct or remove the link"),
        ("FC302", "forums/g/forum.toml", 1,
         "a symbolic link to forum.toml, which leads in a loop; correct or remove the link"),
        ("FC302", "speakers/loop.toml", 1,
         "a symbolic link to loop.toml, which leads in a loop; correct or remove the link"),
    ]  # fmt: skip


def test_a_file_name_that_is_not_utf8_is_not_a_slug(make_archive: MakeArchive) -> None:
    root = make_archive(BASE)
    name = os.fsdecode(b"speakers/cy\xff.toml")
    (root / name).write_text('name = "Cy"\n')
    (root / os.fsdecode(b"forums/g\xfe")).mkdir()
    (root / os.fsdecode(b"forums/g\xfe/forum.toml")).write_text(FORUM)
    report = validate(Archive.open(root))
    assert [(f.code, f.path, f.message) for f in report.findings] == [
        ("FC301", "forums/g\\xfe", "the name is not UTF-8, so it is not a slug; rename it"),
        ("FC301", "speakers/cy\\xff.toml", "the name is not UTF-8, so it is not a slug; rename it"),
    ]


@pytest.mark.parametrize(
    ("directory", "expected"),
    [
        ("speakers", [("FC001", "speakers", "cannot read the directory: Permission denied")]),
        ("forums/f", [("FC001", "forums/f", "cannot read the directory: Permission denied")]),
        ("forums/f/sessions",
         [("FC001", "forums/f/sessions", "cannot read the directory: Permission denied")]),
    ],
)  # fmt: skip
def test_an_unreadable_directory_is_a_finding_never_clean(
    make_archive: MakeArchive,
    unreadable: Callable[[Path], None],
    directory: str,
    expected: list[tuple[str, str, str]],
) -> None:
    root = make_archive(BASE)
    unreadable(root / directory)
    report = validate(Archive.open(root))
    found = [(f.code, f.path, f.message) for f in report.findings]
    assert set(expected) <= set(found)  # and what follows from it (speakers unknown...)
    assert report.fails()


def test_many_findings_in_one_file_scan_it_once(
    make_archive: MakeArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forumctl import toml_io

    scans = 0
    key_lines = toml_io.key_lines

    def counted(text: str) -> Any:
        nonlocal scans
        scans += 1
        return key_lines(text)

    monkeypatch.setattr(toml_io, "key_lines", counted)
    monkeypatch.setattr("forumctl.validate.key_lines", counted, raising=False)
    n = 300
    unknown = "".join(f"unknown_{i} = {i}\n" for i in range(n))
    report = validate(Archive.open(make_archive({**BASE, "forums/f/forum.toml": FORUM + unknown})))
    assert [(f.code, f.line) for f in report.findings] == [("FC104", 4 + i) for i in range(n)]
    assert scans == 1  # was once per finding: 17 s for 800 findings


def test_one_mistake_is_one_finding(make_archive: MakeArchive) -> None:
    """A misspelt required key is the unknown key (with its did-you-mean), not also the
    missing key; a quoted date is not also a timed session without a date; a speaker
    file that is no TOML is not also unreferenced."""
    quoted_date = SESSION_A.replace("date = 2020-12-12", 'date = "2020-12-12"')
    root = make_archive(
        {
            **BASE,
            "forums/f/sessions/a.toml": quoted_date,
            "forums/f/sessions/b.toml": SESSION_B.replace("title =", "titel ="),
            "speakers/cy.toml": 'name = "Cy\n',
        }
    )
    found = [(f.path, f.line, f.code, f.message) for f in validate(Archive.open(root)).findings]
    assert found == [
        ("forums/f/sessions/a.toml", 2, "FC201",
         "'date' is a string; write the date unquoted: 2020-12-12"),
        ("forums/f/sessions/b.toml", 1, "FC104",
         "unknown key 'titel' in session; did you mean 'title'?"),
        ("speakers/cy.toml", 1, "FC001", found[2][3]),
    ]  # fmt: skip
    assert found[2][3].startswith("invalid TOML")


def test_did_you_mean_for_ids_and_choices(make_archive: MakeArchive) -> None:
    changes = {
        "forums/f/forum.toml": FORUM + 'timezone = "Asia/Shangai"\n',
        "forums/f/sessions/a.toml": SESSION_A.replace('["ada"]', '["adaa"]').replace(
            'room = "Hall 1"', 'kind = "keynot"\nroom = "Hall 1"'
        ),
    }
    report = validate(Archive.open(make_archive({**BASE, **changes})))
    assert [(f.code, f.message) for f in report.findings if f.code != "FC403"] == [
        ("FC205", "'timezone' is 'Asia/Shangai', not an IANA timezone name;"
                  " did you mean 'Asia/Shanghai'?"),
        ("FC103", f"'kind' is 'keynot'; did you mean 'keynote'? (one of {SESSION_KINDS})"),
        ("FC401", "no speaker 'adaa' (speakers/adaa.toml does not exist);"
                  " did you mean 'ada'?"),
    ]  # fmt: skip
