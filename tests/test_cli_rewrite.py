"""forumctl rename, merge speaker and rm: output, files and exit code; a refused change
leaves every file as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from base_archive import BASE
from conftest import Cli

MakeArchive = Callable[[dict[str, str]], Path]

COMMENTED = (
    "# kept as the organizers wrote it\n"
    "title = 'C'   # single quotes, odd spacing\n"
    "date = 2020-12-13\n"
    "chairs = ['ada', \"bo\"]  # two chairs\n"
    "\n"
    "[[talks]]\n"
    "speakers = [\n"
    '    "bo",  # the opening\n'
    '    "ada",\n'
    "]\n"
    'affiliations = { ada = "CASS", bo = "ZJU" }\n'
    "\n"
    "# the second talk\n"
    "[[talks]]\n"
    'speakers = ["ada"]\n'
    "\n"
    "[talks.affiliations]\n"
    'ada = "Zhejiang University"  # as printed\n'
)
FORMAT_1_SPEAKER_WARNING = (
    "forumctl: warning: a format-1 archive has no uid: the speaker's exported frab person"
    " GUIDs change with the ID; 'forumctl migrate' to format 2 keeps them across renames\n"
)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".forumctl" not in path.as_posix()
    }


@pytest.fixture
def root(make_archive: MakeArchive) -> Path:
    return make_archive({**BASE, "forums/f/sessions/c.toml": COMMENTED})


def test_rename_speaker_rewrites_every_reference_and_keeps_the_layout(cli: Cli, root: Path) -> None:
    before = snapshot(root)
    result = cli("--archive", root, "rename", "speaker", "ada", "ada-lovelace")
    assert result.exit_code == 0
    assert result.stdout == (
        "renamed speakers/ada.toml -> speakers/ada-lovelace.toml\n"
        "edited forums/f/sessions/a.toml (1 reference)\n"
        "edited forums/f/sessions/c.toml (5 references)\n"
    )
    assert result.stderr == FORMAT_1_SPEAKER_WARNING + (
        "renamed speaker 'ada' to 'ada-lovelace' (6 references in 2 files rewritten)\n"
    )
    after = snapshot(root)
    assert after.pop("speakers/ada-lovelace.toml") == before.pop("speakers/ada.toml")
    assert after.pop("forums/f/sessions/c.toml").decode() == (
        COMMENTED.replace("['ada',", "['ada-lovelace',")
        .replace('    "ada",', '    "ada-lovelace",')
        .replace("{ ada =", "{ ada-lovelace =")
        .replace('["ada"]', '["ada-lovelace"]')
        .replace('\nada = "Zhejiang', '\nada-lovelace = "Zhejiang')
    )
    assert after.pop("forums/f/sessions/a.toml") == before.pop("forums/f/sessions/a.toml").replace(
        b'["ada"]', b'["ada-lovelace"]'
    )
    before.pop("forums/f/sessions/c.toml")
    assert after == before  # nothing else changed
    shown = cli("--archive", root, "show", "speaker", "ada-lovelace")
    assert shown.exit_code == 0 and "f/c" in shown.stdout


def test_dry_run_prints_the_diff_and_writes_nothing(cli: Cli, root: Path) -> None:
    before = snapshot(root)
    result = cli("--archive", root, "rename", "speaker", "bo", "bo-li", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "rename from speakers/bo.toml\nrename to speakers/bo-li.toml\n"
        "--- a/forums/f/sessions/a.toml\n+++ b/forums/f/sessions/a.toml\n"
    )
    assert '-chairs = ["bo"]\n+chairs = ["bo-li"]\n' in result.stdout
    assert result.stderr.endswith(
        "would rename speaker 'bo' to 'bo-li' (5 references in 3 files rewritten)\n"
    )
    assert snapshot(root) == before


def test_refused_renames_leave_every_file_as_it_was(cli: Cli, root: Path) -> None:
    before = snapshot(root)
    cases = {
        ("speaker", "ada", "bo"): (
            "speakers/bo.toml: speaker 'bo' already exists (to make them one person:"
            " forumctl merge speaker OLD bo)"
        ),
        ("speaker", "adda", "x"): (
            "no speaker 'adda' (speakers/adda.toml does not exist) (did you mean 'ada'?)"
        ),
        ("speaker", "ada", "Ada"): (
            "'Ada' is not a valid speaker ID: IDs are slugs (a-z, 0-9 and single hyphens)"
        ),
        ("session", "f/a", "g/a"): (
            "no forum 'g' (forums/g/forum.toml does not exist) ('forumctl list forums' shows"
            " the IDs)"
        ),
        ("forum", "f", "f"): "forum 'f' already has that ID",
    }
    for args, message in cases.items():
        result = cli("--archive", root, "rename", *args)
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == f"forumctl: error: {message}\n", args
    assert snapshot(root) == before


def test_a_rename_validate_would_flag_is_refused_unless_force(
    cli: Cli, make_archive: MakeArchive
) -> None:
    files = {**BASE, "forums/g/forum.toml": 'title = "G"\nstart = 2021-01-01\nend = 2021-01-01\n'}
    root = make_archive(files)
    before = snapshot(root)
    result = cli("--archive", root, "rename", "session", "f/a", "g/a")  # dated 2020-12-12
    assert (result.exit_code, result.stdout) == (2, "")
    assert "forumctl: error: change refused: it would add 1 error finding" in result.stderr
    assert snapshot(root) == before
    forced = cli("--archive", root, "rename", "session", "f/a", "g/a", "--force")
    assert forced.exit_code == 0
    assert forced.stdout == "renamed forums/f/sessions/a.toml -> forums/g/sessions/a.toml\n"
    assert (root / "forums/g/sessions/a.toml").read_text() == BASE["forums/f/sessions/a.toml"]


def test_rename_forum_moves_its_directory(cli: Cli, root: Path) -> None:
    result = cli("--archive", root, "rename", "forum", "f", "f-2020")
    assert result.exit_code == 0
    assert result.stdout == (
        "renamed forums/f/forum.toml -> forums/f-2020/forum.toml\n"
        "renamed forums/f/sessions/a.toml -> forums/f-2020/sessions/a.toml\n"
        "renamed forums/f/sessions/b.toml -> forums/f-2020/sessions/b.toml\n"
        "renamed forums/f/sessions/c.toml -> forums/f-2020/sessions/c.toml\n"
    )
    assert not (root / "forums/f").exists()
    assert (root / "forums/f-2020/sessions/c.toml").read_text() == COMMENTED
    listed = cli("--archive", root, "list", "sessions", "--format", "csv")
    assert "f-2020/c," in listed.stdout


PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"  # the start of a JPEG: not UTF-8
LATIN_1 = "Séance d'ouverture\n".encode("latin-1")


def test_rename_forum_moves_files_that_are_not_text_as_they_are(cli: Cli, root: Path) -> None:
    (root / "forums/f/photos").mkdir()
    (root / "forums/f/photos/opening.jpg").write_bytes(PHOTO)
    (root / "forums/f/notes.txt").write_bytes(LATIN_1)
    dry = cli("--archive", root, "rename", "forum", "f", "f-2020", "--dry-run")
    assert dry.exit_code == 0
    assert dry.stderr.endswith("would rename forum 'f' to 'f-2020'\n")
    assert (
        "rename from forums/f/photos/opening.jpg\nrename to forums/f-2020/photos/opening.jpg\n"
        in dry.stdout
    )
    assert "Binary files" not in dry.stdout  # moved, not changed
    result = cli("--archive", root, "rename", "forum", "f", "f-2020")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "renamed forums/f/notes.txt -> forums/f-2020/notes.txt\n"
        "renamed forums/f/photos/opening.jpg -> forums/f-2020/photos/opening.jpg\n"
        "renamed forums/f/forum.toml -> forums/f-2020/forum.toml\n"
        "renamed forums/f/sessions/a.toml -> forums/f-2020/sessions/a.toml\n"
        "renamed forums/f/sessions/b.toml -> forums/f-2020/sessions/b.toml\n"
        "renamed forums/f/sessions/c.toml -> forums/f-2020/sessions/c.toml\n"
    )
    assert (root / "forums/f-2020/photos/opening.jpg").read_bytes() == PHOTO
    assert (root / "forums/f-2020/notes.txt").read_bytes() == LATIN_1
    assert not (root / "forums/f").exists()


def test_rename_forum_with_a_session_file_that_is_not_utf_8_names_it(cli: Cli, root: Path) -> None:
    (root / "forums/f/sessions/d.toml").write_bytes(b'title = "S\xe9ance"\n')
    before = snapshot(root)
    result = cli("--archive", root, "rename", "forum", "f", "f-2020")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        "forums/f-2020/sessions/d.toml:1:1: FC001 not UTF-8 text (byte 11); save the file"
        " as UTF-8\n"
        "forumctl: error: change refused: it would add 1 error finding; nothing was written"
        " (correct the values, or use --force to write anyway)\n"
    )
    assert snapshot(root) == before
    forced = cli("--archive", root, "rename", "forum", "f", "f-2020", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert (root / "forums/f-2020/sessions/d.toml").read_bytes() == b'title = "S\xe9ance"\n'


def test_format_2_rename_forum_with_a_session_file_that_is_not_utf_8_names_it(
    cli: Cli, make_archive: MakeArchive
) -> None:
    # format 2 writes each record's identity into it first: a file it cannot read stops it
    root_2 = make_archive({**FORMAT_2, "forums/f/sessions/c.toml": COMMENTED})
    (root_2 / "forums/f/sessions/d.toml").write_bytes(b'title = "S\xe9ance"\n')
    before_2 = snapshot(root_2)
    refused = cli("--archive", root_2, "rename", "forum", "f", "f-2020")
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        "forumctl: error: forums/f/sessions/d.toml: not UTF-8 text (byte 11) (save the file"
        " as UTF-8)\n"
    )
    assert snapshot(root_2) == before_2


def test_merge_speaker_lists_differences_and_removes_from(
    cli: Cli, make_archive: MakeArchive
) -> None:
    files = {
        **BASE,
        "forums/f/sessions/c.toml": COMMENTED,
        "speakers/bo.toml": 'name = "Bo Li"\nbio = "Writer."\n',
        "speakers/ada.toml": 'name = "Ada Lovelace"\nbio = "Mathematician."\n',
    }
    root = make_archive(files)
    result = cli("--archive", root, "merge", "speaker", "bo", "ada")
    assert result.exit_code == 0
    assert result.stdout == (
        "edited forums/f/sessions/a.toml (1 reference)\n"
        "edited forums/f/sessions/b.toml (1 reference)\n"
        "edited forums/f/sessions/c.toml (3 references)\n"
        "removed speakers/bo.toml\n"
    )
    assert result.stderr == (
        "forumctl: warning: a format-1 archive has no aliases or former_ids: 'Bo Li' and 'bo'"
        " are not kept on speaker 'ada'; 'forumctl migrate' to format 2 keeps them\n"
        "merged speaker 'bo' into 'ada' (5 references in 3 files rewritten)\n"
        "kept from 'ada' where 'bo' differs (--take FIELD takes FROM's):\n"
        "  name: 'Ada Lovelace'; not 'Bo Li'\n"
        "  bio: 'Mathematician.'; not 'Writer.'\n"
    )
    assert not (root / "speakers/bo.toml").exists()
    assert (
        (root / "forums/f/sessions/c.toml")
        .read_text()
        .startswith(
            "# kept as the organizers wrote it\n"
            "title = 'C'   # single quotes, odd spacing\n"
            "date = 2020-12-13\n"
            "chairs = ['ada']  # two chairs\n"
            "\n"
            "[[talks]]\n"
            "speakers = [\n"
            '    "ada",\n'
            "]\n"
            'affiliations = { ada = "CASS" }\n'
        )
    )


def test_merge_take_takes_from_s_value(cli: Cli, make_archive: MakeArchive) -> None:
    files = {
        **BASE,
        "speakers/bo.toml": 'name = "Bo Li"\nbio = "Writer."\n',
        "speakers/ada.toml": 'name = "Ada Lovelace"  # kept\nbio = "Mathematician."\n',
    }
    root = make_archive(files)
    result = cli("--archive", root, "merge", "speaker", "bo", "ada", "--take", "bio")
    assert result.exit_code == 0
    assert result.stderr.endswith(
        "taken from 'bo' (--take):\n  bio: 'Writer.'; not 'Mathematician.'\n"
    )
    assert result.stdout.startswith("edited speakers/ada.toml\n")
    assert (root / "speakers/ada.toml").read_text() == (
        'name = "Ada Lovelace"  # kept\nbio = "Writer."\n'
    )


def test_rm_refuses_while_referred_to_and_force_removes_the_references(
    cli: Cli, make_archive: MakeArchive
) -> None:
    root = make_archive(
        {
            **BASE,
            "speakers/cy.toml": 'name = "Cy"\n',
            "forums/f/sessions/c.toml": COMMENTED.replace('"bo"]', '"cy"]'),
        }
    )
    before = snapshot(root)
    refused = cli("--archive", root, "rm", "speaker", "cy")
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        "forums/f/sessions/c.toml:4: chairs\n"
        "forumctl: error: speaker 'cy' is named 1 time in 1 file; nothing removed (--force"
        " removes those references too: forumctl rm speaker cy --force)\n"
    )
    emptied = cli("--archive", root, "rm", "speaker", "bo", "--force")
    assert emptied.exit_code == 2
    assert emptied.stderr == (
        "forumctl: error: removing speaker 'bo' would leave talk 1 of session 'f/b' without a"
        " speaker; nothing removed (give the talk another speaker or remove it first"
        " (forumctl edit session))\n"
    )
    assert snapshot(root) == before
    removed = cli("--archive", root, "rm", "speaker", "cy", "--force")
    assert removed.exit_code == 0
    assert removed.stdout == (
        "edited forums/f/sessions/c.toml (1 reference)\nremoved speakers/cy.toml\n"
    )
    assert removed.stderr == "removed speaker 'cy' and 1 reference in 1 file that named it\n"
    assert "chairs = ['ada']  # two chairs\n" in (root / "forums/f/sessions/c.toml").read_text()


def test_rm_session_and_forum(cli: Cli, root: Path) -> None:
    result = cli("--archive", root, "rm", "session", "f/c")
    assert (result.exit_code, result.stdout) == (0, "removed forums/f/sessions/c.toml\n")
    assert result.stderr == "removed session 'f/c'\n"
    refused = cli("--archive", root, "rm", "forum", "f")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "forums/f/sessions/a.toml:1: a session of it\n"
        "forums/f/sessions/b.toml:1: a session of it\n"
        "forumctl: error: forum 'f' has 2 sessions; nothing removed (--force removes them"
        " too: forumctl rm forum f --force)\n"
    )
    forced = cli("--archive", root, "rm", "forum", "f", "--force")
    assert forced.exit_code == 0
    assert forced.stderr == "removed forum 'f' and its 2 sessions\n"
    assert not (root / "forums/f").exists()


def test_validate_names_the_merge_that_makes_two_files_one_person(
    cli: Cli, make_archive: MakeArchive, monkeypatch: pytest.MonkeyPatch
) -> None:
    orcid = '\n[links]\norcid = "0000-0002-1825-0097"\n'
    root = make_archive(
        {
            **BASE,
            "speakers/ada.toml": 'name = "Ada Lovelace"\n' + orcid,
            "speakers/bo.toml": 'name = "A. Lovelace"\n' + orcid,
        }
    )
    monkeypatch.chdir(root)
    found = cli("validate")
    assert found.exit_code == 1
    assert found.stdout.startswith(
        "speakers/bo.toml\n  4:1  error    FC602  ORCID 0000-0002-1825-0097 is also that of"
        " speaker 'ada' (speakers/ada.toml): one person in two files (forumctl merge speaker"
        " bo ada)\n"
    )
    merged = cli("merge", "speaker", "bo", "ada")
    assert merged.exit_code == 0
    assert cli("validate").exit_code == 0


FORMAT_2 = {**BASE, "forumctl.toml": BASE["forumctl.toml"].replace("format = 1", "format = 2")}


def exported_identities(cli: Cli, root: Path, forum_id: str) -> tuple[list[str], list[str]]:
    """The frab GUIDs (events, persons, then rooms) and the iCal UIDs of a forum's export."""
    import json

    frab = cli("--archive", root, "export", "frab-json", "--forum", forum_id)
    ical = cli("--archive", root, "export", "ical", "--forum", forum_id)
    assert frab.exit_code == ical.exit_code == 0, frab.stderr + ical.stderr
    conference = json.loads(frab.stdout)["schedule"]["conference"]
    events = [
        event for day in conference["days"] for room in day["rooms"].values() for event in room
    ]
    guids = sorted(event["guid"] for event in events)
    persons = sorted({person["guid"] for event in events for person in event["persons"]})
    rooms = [f"{room['name']} {room['guid']}" for room in conference["rooms"]]
    uids = sorted(line for line in ical.stdout.splitlines() if line.startswith("UID:"))
    return guids + persons + rooms, uids


def test_format_2_rename_keeps_frab_guids_and_ical_uids_and_show_finds_the_old_id(
    cli: Cli, make_archive: MakeArchive
) -> None:
    from forumctl.identity import default_uid

    root = make_archive(FORMAT_2)
    before = exported_identities(cli, root, "f")
    for args in (("speaker", "ada", "ada-lovelace"), ("session", "f/a", "f/opening"),
                 ("forum", "f", "f-2020")):  # fmt: skip
        result = cli("--archive", root, "rename", *args)
        assert result.exit_code == 0, result.stderr
        assert "warning" not in result.stderr
    assert exported_identities(cli, root, "f-2020") == before
    uid = str(default_uid("speaker", "ada"))  # the person GUID exports gave 'ada'
    assert uid in before[0]
    # the rooms of forum f kept the GUIDs they had before forum IDs were pinned (uuid5 of
    # forum ID and room), and the renamed forum's rooms keep them too
    assert [g for g in before[0] if g.startswith("Hall 1 ")] == [
        f"Hall 1 {default_uid('room', 'f/Hall 1')}"
    ]
    assert (root / "speakers/ada-lovelace.toml").read_text() == (
        f'name = "Ada Lovelace"\nuid = "{uid}"\nformer_ids = [\n    "ada",\n]\n'
    )
    moved = cli("--archive", root, "show", "speaker", "ada")
    assert (moved.exit_code, moved.stdout) == (2, "")
    assert moved.stderr == (
        "forumctl: error: no speaker 'ada': it is now 'ada-lovelace' (renamed or merged; its"
        " former_ids hold 'ada') (forumctl show speaker ada-lovelace)\n"
    )
    session = cli("--archive", root, "show", "session", "f/a")
    assert "it is now 'f-2020/opening'" in session.stderr
    forum = cli("--archive", root, "show", "forum", "f")
    assert "it is now 'f-2020'" in forum.stderr


def test_format_2_merge_keeps_from_s_names_and_ids(cli: Cli, make_archive: MakeArchive) -> None:
    root = make_archive(
        {**FORMAT_2, "speakers/bo.toml": 'name = "Bo Li"\nname_original = "李博"\n'}
    )
    result = cli("--archive", root, "merge", "speaker", "bo", "ada")
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr
    assert (root / "speakers/ada.toml").read_text() == (
        'name = "Ada Lovelace"\nname_original = "李博"\naliases = [\n    "Bo Li",\n]\n'
        'former_ids = [\n    "bo",\n]\n'
    )
    assert "it is now 'ada'" in cli("--archive", root, "show", "speaker", "bo").stderr
