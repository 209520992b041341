"""forumctl list: tables, CSV and JSON of the sample archive; filters; sort order."""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from pathlib import Path

from conftest import SAMPLE_FORUM, Cli, lines

from forumctl.records import SessionKind

SPEAKERS_TABLE = """
 ID               Name             Affiliations
 ──────────────────────────────────────────────────────────────────────────────────────────────────
 sheng-shihao     Sheng Shihao     deputy director, Propaganda Department of the Zhejiang
                                   Provincial Party Committee; chairman, Zhejiang Provincial
                                   Federation of Social Sciences
 yang-kaizhong    Yang Kaizhong    chairman, Chinese Regional Science Association; secretary of the
                                   Party Committee, Institute of Ecological Civilization of the
                                   Chinese Academy of Social Sciences
 zhang-xueliang   Zhang Xueliang   deputy dean, School of Urban and Regional Sciences, Shanghai
                                   University of Finance and Economics
"""

FORUMS_TABLE = """
 ID                     Start        End          City       Kind               Title
 ──────────────────────────────────────────────────────────────────────────────────────────────────
 2020-zhejiang-social   2020-12-12   2020-12-12   Hangzhou   high-level forum   Yangtze River Delta
 -science-annual-conf                                                           Integration and
 erence-yrd-forum                                                               Regional Governance
                                                                                Modernization
"""


def test_list_speakers_table(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "list", "speakers")
    assert result.exit_code == 0
    assert lines(result.stdout) == lines(SPEAKERS_TABLE)
    assert result.stderr == "3 speakers\n"


def test_list_forums_table(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "list", "forums")
    assert result.exit_code == 0
    assert lines(result.stdout) == lines(FORUMS_TABLE)
    assert result.stderr == "1 forum\n"


def test_list_forums_csv(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "list", "forums", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.decode() == (  # RFC 4180: CRLF line ends
        "ID,Start,End,City,Kind,Title\r\n"
        f"{SAMPLE_FORUM},2020-12-12,2020-12-12,Hangzhou,high-level forum,"
        "Yangtze River Delta Integration and Regional Governance Modernization\r\n"
    )
    assert result.stderr == ""


def test_list_sessions_in_programme_order_as_json(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "list", "sessions", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert [(s["id"].split("/")[1], s["order"]) for s in document["sessions"]] == [
        ("speeches", 1),
        ("pilot-free-trade-zone", 2),
        ("localities-in-integration", 3),
        ("innovation-and-industry", 4),
        ("governance-modernization", 5),
    ]
    assert {s["forum"] for s in document["sessions"]} == {SAMPLE_FORUM}


def test_list_sessions_filtered_by_speaker_and_kind(cli: Cli, sample_archive: Path) -> None:
    by_speaker = cli(
        "--archive", sample_archive, "list", "sessions", "--speaker", "yang-kaizhong",
        "--format", "csv",
    )  # fmt: skip
    assert by_speaker.stdout.splitlines()[1:] == [
        f"{SAMPLE_FORUM}/speeches,1,2020-12-12,plenary,,3,Speeches"
    ]
    parallel = cli(
        "--archive", sample_archive, "list", "sessions", "--kind", "parallel", "--format", "csv"
    )
    assert len(parallel.stdout.splitlines()) == 1 + 4


def test_list_speakers_search_is_case_insensitive(cli: Cli, sample_archive: Path) -> None:
    result = cli(
        "--archive", sample_archive, "list", "speakers", "--search", "KAI", "--format", "json"
    )
    document = json.loads(result.stdout)
    assert [s["id"] for s in document["speakers"]] == ["yang-kaizhong"]
    assert document["speakers"][0]["affiliations"][0] == {
        "organization": "Chinese Regional Science Association",
        "role": "chairman",
    }


def test_list_forums_filters_that_match_nothing(cli: Cli, sample_archive: Path) -> None:
    for option, value in (("--year", "2019"), ("--city", "Shanghai"), ("--tag", "x")):
        result = cli(
            "--archive", sample_archive, "list", "forums", option, value, "--format", "csv"
        )
        assert result.exit_code == 0
        assert result.stdout == "ID,Start,End,City,Kind,Title\n", option
    found = cli(
        "--archive", sample_archive, "list", "forums", "--year", "2020", "--city", "hangzhou",
        "--format", "csv",
    )  # fmt: skip
    assert len(found.stdout.splitlines()) == 2


def test_list_speakers_by_forum_of_unknown_forum(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "list", "speakers", "--forum", "nope")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "forumctl: error: no forum 'nope' (forums/nope/forum.toml does not exist)"
        " ('forumctl list forums' shows the IDs)\n"
    )


def test_list_speakers_does_not_read_sessions(cli: Cli, sample_archive: Path) -> None:
    """A broken session file cannot stop 'list speakers': it is never parsed."""
    session = sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "speeches.toml"
    session.write_text("title = \n", encoding="utf-8")
    assert cli("--archive", sample_archive, "list", "speakers").exit_code == 0
    assert cli("--archive", sample_archive, "list", "sessions").exit_code == 2


def test_list_sessions_with_an_unknown_kind_or_speaker_exits_2(
    cli: Cli, sample_archive: Path
) -> None:
    kind = cli("--archive", sample_archive, "list", "sessions", "--kind", "foo")
    assert (kind.exit_code, kind.stdout) == (2, "")
    assert kind.stderr == (
        "forumctl: error: --kind 'foo' is not a session kind (one of: opening, plenary,"
        " keynote, parallel, panel, workshop, closing, other, talk, lightning, poster, break,"
        " social, ceremony)\n"
    )
    upper = cli("--archive", sample_archive, "list", "sessions", "--kind", "PARALLEL")
    assert upper.exit_code == 0
    for command in ("sessions", "forums"):
        speaker = cli("--archive", sample_archive, "list", command, "--speaker", "nobody")
        assert (speaker.exit_code, speaker.stdout) == (2, ""), command
        assert speaker.stderr == (
            "forumctl: error: no speaker 'nobody' (speakers/nobody.toml does not exist)"
            " ('forumctl list speakers' shows the IDs)\n"
        )


def test_list_sessions_search_finds_a_speakers_original_name(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    root = make_archive(
        {
            "forums/f/forum.toml": 'title = "F"\nstart = 2024-05-01\nend = 2024-05-01\n',
            "forums/f/sessions/s.toml": 'title = "S"\n[[talks]]\nspeakers = ["zhang-wei"]\n',
            "forums/f/sessions/t.toml": 'title = "T"\n[[talks]]\nspeakers = ["dupont"]\n',
            "speakers/zhang-wei.toml": 'name = "Zhāng Wěi"\nname_original = "张伟"\n',
            "speakers/dupont.toml": 'name = "Cé Dupont"\n',
        }
    )
    for search in ("张伟", "zhang wei"):
        result = cli("--archive", root, "list", "sessions", "--search", search, "--format", "csv")
        assert (result.exit_code, result.stderr) == (0, "")
        assert lines(result.stdout)[1:] == ["f/s,,2024-05-01,,,1,S"]
    result = cli("--archive", root, "list", "speakers", "--search", "ce dupont", "--format", "csv")
    assert lines(result.stdout)[1:] == ["dupont,Cé Dupont,"]


def test_an_unknown_kind_suggests_the_close_one(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "list", "sessions", "--kind", "keynot")
    assert result.exit_code == 2
    assert result.stderr == (
        "forumctl: error: --kind 'keynot' is not a session kind (did you mean 'keynote'? one of:"
        f" {', '.join(typing.get_args(SessionKind))})\n"
    )
