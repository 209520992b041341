"""forumctl list: tables, CSV and JSON of the sample archive; filters; sort order."""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from pathlib import Path

from conftest import SAMPLE_FORUM, Cli, break_two_files, lines

from forumctl.records import SessionKind

SPEAKERS_TABLE = """\
ID              Name            Affiliations
────────────────────────────────────────────────────────────────────────────────────────────────────
sheng-shihao    Sheng Shihao    deputy director, Propaganda Department of the Zhejiang Provincial P…
yang-kaizhong   Yang Kaizhong   chairman, Chinese Regional Science Association; secretary of the Pa…
zhang-xueliang  Zhang Xueliang  deputy dean, School of Urban and Regional Sciences, Shanghai Univer…
"""

FORUMS_TABLE = "\n".join(  # the ID is whole, whatever the width: the titles give way
    [
        f"ID{' ' * 56}Start       End         City      Kind      Title",
        "\u2500" * 110,
        f"{SAMPLE_FORUM}  2020-12-12  2020-12-12  Hangzhou  high-le\u2026  Yangtze\u2026",
    ]
)


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
    speakers = cli("--archive", sample_archive, "list", "speakers")
    assert (speakers.exit_code, speakers.stderr) == (0, "3 speakers\n")
    sessions = cli("--archive", sample_archive, "list", "sessions")
    assert sessions.exit_code == 0
    assert sessions.stderr.startswith("4 sessions\nforumctl: warning: skipped forums/")


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


LONG_TITLE = "Joint development of the Yangtze River Delta Pilot Free Trade Zone and its ports"


def test_tables_at_80_columns_keep_ids_and_times_whole(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    """IDs (what users copy) and times are never broken; columns empty in every row are
    left out (Order, Room); a long title is shortened with an ellipsis first."""
    root = make_archive(
        {
            "forums/yrd-2020/forum.toml": 'title = "F"\nstart = 2020-12-12\nend = 2020-12-12\n',
            "forums/yrd-2020/sessions/free-trade-zone.toml": (
                f'title = "{LONG_TITLE}"\nkind = "parallel"\nstart = 09:00:00\nend = 09:30:00\n'
            ),
            "forums/yrd-2020/sessions/ports.toml": 'title = "Ports"\nkind = "panel"\n',
        }
    )
    result = cli("--archive", root, "list", "sessions", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split("\n") == [
        "ID                        When                    Kind      Talks  Title",
        "\u2500" * 80,
        "yrd-2020/ports            2020-12-12              panel     0      Ports",
        "yrd-2020/free-trade-zone  2020-12-12 09:00\u201309:30  parallel  0"
        "      Joint develo\u2026",
        "",
    ]


def _on_a_terminal(args: list[str], env: dict[str, str], cwd: Path) -> int:
    """Run forumctl with stdout on a pseudo-terminal of 80x3 cells; its exit code."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    run_env = {**os.environ, "COLUMNS": "80", "LINES": "3", "NO_COLOR": "1", **env}
    process = subprocess.Popen(
        [sys.executable, "-m", "forumctl", *args], stdout=follower, stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL, env=run_env, cwd=cwd,
    )  # fmt: skip
    os.close(follower)
    while True:  # drain the terminal so the child never blocks on it
        try:
            if not os.read(leader, 4096):
                break
        except OSError:
            break
    os.close(leader)
    return process.wait()


def test_a_table_taller_than_the_terminal_goes_through_the_pager(
    sample_archive: Path, tmp_path: Path
) -> None:
    paged = tmp_path / "paged.txt"
    pager = {"FORUMCTL_PAGER": f"cat > {paged}"}
    args = ["--archive", str(sample_archive), "--no-cache", "list", "speakers"]
    assert _on_a_terminal(args, pager, tmp_path) == 0
    assert paged.read_text(encoding="utf-8").split("\n")[0].split() == [
        "ID",
        "Name",
        "Affiliations",
    ]
    paged.unlink()
    assert _on_a_terminal(["--no-pager", *args], pager, tmp_path) == 0
    assert not paged.exists()
    assert _on_a_terminal(args, {**pager, "LINES": "40"}, tmp_path) == 0  # fits: no pager
    assert not paged.exists()


def test_list_speakers_skips_a_broken_speaker_with_a_warning(
    cli: Cli, sample_archive: Path
) -> None:
    break_two_files(sample_archive)
    result = cli("--archive", sample_archive, "list", "speakers", "--format", "csv")
    assert result.exit_code == 0
    assert [line.split(",")[0] for line in result.stdout.splitlines()] == [
        "ID", "sheng-shihao", "yang-kaizhong", "zhang-xueliang"
    ]  # fmt: skip
    assert result.stderr == (
        "forumctl: warning: skipped speakers/bad.toml:1:12: invalid TOML: invalid basic string,"
        " expected `\"` (run 'forumctl validate')\n"
    )
