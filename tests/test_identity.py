"""Record identity: the uid, else the uuid5 of the ID, as frab, iCal and rename see it."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import icalendar
import pytest
from conftest import Cli
from export_archives import CONF, TIMED

from forumctl.errors import InvalidRecord
from forumctl.identity import (
    default_uid,
    first_id,
    parse_uid,
    room_uid,
    talk_id,
    uid_of,
    uid_text,
)
from forumctl.records import Forum, Session, Speaker

UID = "0b6a4c5e-2f1d-4c3b-9a8e-7d6c5b4a3f21"
MakeArchive = Callable[[dict[str, str]], Path]


def test_without_a_uid_a_record_is_the_uuid5_frab_guids_have_always_been() -> None:
    # the value exported by forumctl 0.1 for session conf-2021/panel, written out
    assert str(default_uid("session", f"{CONF}/panel")) == str(
        uuid.uuid5(uuid.UUID("5b3c1f0e-7d2a-5e64-9a1b-6f0c2d8e4a17"), f"session:{CONF}/panel")
    )
    assert uid_of("speaker", "ada", Speaker(name="Ada")) == default_uid("speaker", "ada")
    assert talk_id(f"{CONF}/panel", 2) == f"{CONF}/panel/2"


@pytest.mark.parametrize(
    ("kind", "record_id"),
    [("session", f"{CONF}/panel"), ("speaker", "张伟"), ("talk", f"{CONF}/panel/2"),
     ("forum", "x" * 300), ("speaker", "")],
)  # fmt: skip
def test_the_uids_text_is_the_uuids(kind: str, record_id: str) -> None:
    assert uid_text(kind, record_id, Speaker(name="Ada")) == str(uid_of(kind, record_id, None))
    assert uid_text(kind, record_id, Session(title="S", uid=UID.upper())) == UID


def test_a_uid_wins_over_the_id() -> None:
    assert uid_of("session", "f/s", Session(title="S", uid=UID)) == uuid.UUID(UID)
    assert uid_of("session", "f/s", Session(title="S", uid=UID.upper())) == uuid.UUID(UID)


@pytest.mark.parametrize("value", ["", "x", UID[:-1], UID.replace("-", ""), f"{{{UID}}}"])
def test_only_the_canonical_form_is_a_uid(value: str) -> None:
    assert parse_uid(value) is None
    with pytest.raises(InvalidRecord, match="is not a UUID") as raised:
        uid_of("session", "f/s", Session(title="S", uid=value), "forums/f/sessions/s.toml")
    assert raised.value.path == "forums/f/sessions/s.toml"


def _with_uids() -> dict[str, str]:
    files = dict(TIMED)
    files["forumctl.toml"] = files["forumctl.toml"].replace("format = 1", "format = 2")
    files[f"forums/{CONF}/sessions/panel.toml"] = (
        f'uid = "{UID}"\n' + (files[f"forums/{CONF}/sessions/panel.toml"])
    )
    files["speakers/cy.toml"] += f'uid = "{UID.replace("0b6a", "1c7b")}"\n'
    return files


def test_rooms_are_named_after_the_id_the_forum_s_identity_was_made_from() -> None:
    day = dt.date(2020, 12, 12)
    never_renamed = Forum(title="F", start=day, end=day)
    renamed_twice = replace(
        never_renamed, uid=str(default_uid("forum", "a")), former_ids=("a", "b")
    )
    from_elsewhere = replace(never_renamed, uid=UID)
    assert first_id("forum", "a", never_renamed) == "a"
    assert first_id("forum", "c", renamed_twice) == "a"
    assert first_id("forum", "c", from_elsewhere) == UID
    # a forum never renamed keeps the room GUIDs of forumctl 0.1; a renamed one keeps them
    assert room_uid("a", never_renamed, "Hall 1") == default_uid("room", "a/Hall 1")
    assert room_uid("c", renamed_twice, "Hall 1") == default_uid("room", "a/Hall 1")
    assert room_uid("c", from_elsewhere, "Hall 1") == default_uid("room", f"{UID}/Hall 1")


def test_exports_take_the_uid(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive(_with_uids())
    frab = cli("--archive", root, "export", "frab-json", "--forum", CONF)
    assert frab.exit_code == 0, frab.stderr
    days = json.loads(frab.stdout)["schedule"]["conference"]["days"]
    events = {e["title"]: e for day in days for room in day["rooms"].values() for e in room}
    assert events["The panel"]["guid"] == UID
    assert events["Opening"]["guid"] == str(default_uid("session", f"{CONF}/opening"))
    persons = {p["name"]: p["guid"] for p in events["The panel"]["persons"]}
    assert persons["Cy Young"] == UID.replace("0b6a", "1c7b")
    assert persons["Bo Li"] == str(default_uid("speaker", "bo"))
    ical = cli("--archive", root, "export", "ical", "--forum", CONF)
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(ical.stdout).walk("VEVENT")]
    assert f"{UID}@forumctl" in uids
    assert f"{default_uid('session', f'{CONF}/opening')}@forumctl" in uids


def test_an_export_with_a_broken_uid_is_one_line(cli: Cli, make_archive: MakeArchive) -> None:
    files = _with_uids()
    panel = f"forums/{CONF}/sessions/panel.toml"
    files[panel] = files[panel].replace(UID, "not-a-uuid")
    result = cli("--archive", make_archive(files), "export", "frab-xml", "--forum", CONF)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"forumctl: error: {panel}: uid 'not-a-uuid' is not a UUID (run 'forumctl validate')\n"
    )


def test_list_search_finds_a_speaker_by_alias(cli: Cli, make_archive: MakeArchive) -> None:
    files = _with_uids()
    files["speakers/bo.toml"] = 'name = "Bo Li"\naliases = ["Li Bo-wen"]\n'
    result = cli("--archive", make_archive(files), "list", "speakers", "--search", "LI BO-W",
                 "--format", "csv")  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == ["ID,Name,Affiliations", "bo,Bo Li,"]
