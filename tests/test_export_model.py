"""The resolved archive every export reads: errors for archives it cannot resolve."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Cli
from export_archives import CONF, TIMED

FORMATS = ["markdown", "site", "json", "csv", "ical", "frab-xml", "frab-json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_reference_to_a_missing_speaker_names_the_session_file(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path, fmt: str
) -> None:
    files = dict(TIMED)
    files[f"forums/{CONF}/sessions/data.toml"] = (
        'title = "Data"\n\n[[talks]]\nspeakers = ["nobody"]\n'
    )
    result = cli("--archive", make_archive(files), "export", fmt, "--forum", CONF)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"forumctl: error: forums/{CONF}/sessions/data.toml: refers to speaker 'nobody',"
        " who has no file ('forumctl validate' lists every problem)\n"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_affiliation_for_a_missing_speaker_is_a_missing_reference_too(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], fmt: str
) -> None:
    files = dict(TIMED)
    speaker = next(rel[len("speakers/") : -5] for rel in files if rel.startswith("speakers/"))
    files[f"forums/{CONF}/sessions/data.toml"] = (
        f'title = "Data"\n\n[[talks]]\nspeakers = ["{speaker}"]\n'
        'affiliations = { nobody = "CASS" }\n'
    )
    result = cli("--archive", make_archive(files), "export", fmt, "--forum", CONF)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"forumctl: error: forums/{CONF}/sessions/data.toml: refers to speaker 'nobody',"
        " who has no file ('forumctl validate' lists every problem)\n"
    )


def test_an_unknown_forum_is_a_clear_error(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    result = cli("--archive", make_archive(TIMED), "export", "json", "--forum", "nope")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "forumctl: error: no forum 'nope' (forums/nope/forum.toml does not exist)"
        " ('forumctl list forums' shows the IDs)\n"
    )


def test_an_invalid_record_stops_the_export_at_its_line(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    files = dict(TIMED)
    files[f"forums/{CONF}/sessions/data.toml"] = 'title = "Data"\norder = "first"\n'
    result = cli("--archive", make_archive(files), "export", "markdown", "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert result.stderr == (
        f"forumctl: error: forums/{CONF}/sessions/data.toml:2:1: 'order' must be an integer,"
        " not a string ('forumctl validate' lists every problem)\n"
    )
    assert not (tmp_path / "o").exists()  # nothing written


# (a directory of the tz database, or a name longer than a file name, was an internal
# error: IsADirectoryError, OSError; issue 14 point 1)
@pytest.mark.parametrize("zone", ["Mars/Olympus", "America", "Etc", "A" * 300])
@pytest.mark.parametrize("fmt", ["ical", "frab-xml", "frab-json"])
def test_an_unknown_timezone_names_the_file_that_sets_it(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], fmt: str, zone: str
) -> None:
    files = dict(TIMED)
    files[f"forums/{CONF}/forum.toml"] = (
        f'title = "Conf"\nstart = 2021-03-01\nend = 2021-03-02\ntimezone = "{zone}"\n'
    )
    result = cli("--archive", make_archive(files), "export", fmt, "--forum", CONF)
    assert result.exit_code == 2
    assert result.stderr == (
        f"forumctl: error: forums/{CONF}/forum.toml: unknown timezone '{zone}'"
        " (use an IANA name such as Asia/Shanghai)\n"
    )


def test_a_talks_own_affiliation_holds_for_that_talk_only(
    make_archive: Callable[[dict[str, str]], Path],
) -> None:
    from forumctl.archive import Archive
    from forumctl.export.model import resolve

    files = dict(TIMED)
    files["speakers/cy.toml"] = 'name = "Cy Young"\n\n[[affiliations]]\norganization = "Home"\n'
    files[f"forums/{CONF}/sessions/data.toml"] = (
        'title = "Data"\norder = 1\nchairs = ["cy"]\n\n'
        '[[talks]]\nspeakers = ["cy"]\ntitle = "Mine"\naffiliations = { cy = "guest, Lab X" }\n\n'
        '[[talks]]\nspeakers = ["cy"]\ntitle = "Also mine"\n'
    )
    resolved = resolve(Archive.open(make_archive(files)), [CONF])
    cy = [
        (session.session.title, talk.talk.title if talk else "chair", person.affiliation)
        for session in resolved.forums[0].sessions
        for talk, persons in [(None, session.chairs)] + [(t, t.speakers) for t in session.talks]
        for person in persons
        if person.id == "cy"
    ]
    assert sorted(cy) == [
        ("Closing", "chair", "Home"),
        ("Data", "Also mine", "Home"),
        ("Data", "Mine", "guest, Lab X"),
        ("Data", "chair", "Home"),
        ("The panel", "Futures", "guest, Lab X"),
    ]
