"""forumctl show: the readable layouts and the JSON of the sample archive's records."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import BROKEN_SESSION, SAMPLE_FORUM, Cli, break_two_files, lines

SPEAKER_TEXT = f"""
Yang Kaizhong
ID: yang-kaizhong

Affiliations
- chairman, Chinese Regional Science Association
- secretary of the Party Committee, Institute of Ecological Civilization of the Chinese Academy of
Social Sciences

Appearances
- 2020-12-12  Yangtze River Delta Integration and Regional Governance Modernization: Speeches
  talk, as chairman, Chinese Regional Science Association; secretary of the Party Committee,
  Institute of Ecological Civilization of the Chinese Academy of Social Sciences
  {SAMPLE_FORUM}/speeches
"""

FORUM_PROGRAMME = """
Programme

 #   When         Session                     Kind       Room   Chairs   Speakers
 ──────────────────────────────────────────────────────────────────────────────────────────────────
 1   2020-12-12   Speeches                    plenary                    Sheng Shihao, Yang
                                                                         Kaizhong, Zhang Xueliang
 2   2020-12-12   Joint development of the    parallel
                  Yangtze River Delta Pilot
                  Free Trade Zone
"""


def test_show_speaker_lists_appearances_with_affiliation(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "show", "speaker", "yang-kaizhong")
    assert result.exit_code == 0
    assert lines(result.stdout) == lines(SPEAKER_TEXT)[1:]
    assert result.stderr == ""


def test_show_speaker_json(cli: Cli, sample_archive: Path) -> None:
    result = cli(
        "--archive", sample_archive, "show", "speaker", "zhang-xueliang", "--format", "json"
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["appearances"] == [
        {
            "forum": SAMPLE_FORUM,
            "session": f"{SAMPLE_FORUM}/speeches",
            "role": "talk",
            "talk": None,
            "affiliation": "deputy dean, School of Urban and Regional Sciences,"
            " Shanghai University of Finance and Economics",
        }
    ]


def test_show_forum_has_programme_outcomes_and_sources(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "show", "forum", SAMPLE_FORUM)
    assert result.exit_code == 0
    out = lines(result.stdout)
    assert out[:6] == [
        "Yangtze River Delta Integration and Regional Governance Modernization",
        "Zhejiang Provincial Social Science Academic Annual Conference, edition 5",
        f"ID: {SAMPLE_FORUM}",
        "Kind: high-level forum",
        "Dates: 2020-12-12",
        "Place: Hangzhou",
    ]
    programme = lines(FORUM_PROGRAMME)[1:]
    start = out.index("Programme")
    assert out[start : start + len(programme)] == programme
    outcomes = out.index("Outcomes")
    assert out[outcomes + 1 : outcomes + 5] == [
        "- publication: China (Zhejiang) Pilot Free Trade Zone Research Results Collection"
        " (2003-2020).",
        "Released at the forum.",
        "- organization: Yangtze River Delta Pilot Free Trade Zone Think Tank Cooperation"
        " Alliance.",
        "Established on the day of the forum.",
    ]
    assert out[-1:] == [
        "- Untitled news report, Hangzhou, December 12 (Qian Chenfei, Zang Chengeng; 2020-12-12)"
    ]


def test_show_forum_json_holds_sessions_in_order(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "show", "forum", SAMPLE_FORUM, "--format", "json")
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["forum"]["start"] == "2020-12-12"
    assert document["forum"]["edition"] == 5
    assert [s["order"] for s in document["sessions"]] == [1, 2, 3, 4, 5]


def test_show_session_prints_talks_with_affiliations_and_quotes(
    cli: Cli, sample_archive: Path
) -> None:
    result = cli("--archive", sample_archive, "show", "session", f"{SAMPLE_FORUM}/speeches")
    assert result.exit_code == 0
    out = lines(result.stdout)
    assert out[:9] == [
        "Speeches",
        f"ID: {SAMPLE_FORUM}/speeches",
        "Forum: Yangtze River Delta Integration and Regional Governance Modernization",
        f"({SAMPLE_FORUM})",
        "Kind: plenary",
        "Order: 1",
        "When: 2020-12-12",
        "",
        "Talks",
    ]
    assert (
        "3. Zhang Xueliang (deputy dean, School of Urban and Regional Sciences, Shanghai"
        " University of" in out
    )
    assert out[-3:] == [
        "   \u201cThe integration of the Yangtze River Delta region to move toward a world-class"
        " outstanding city",
        "   cluster must highlight the positioning of strong and active growth poles, which must"
        " have a",
        "   certain growth rate and high quality.\u201d",
    ]


def test_show_session_json(cli: Cli, sample_archive: Path) -> None:
    session_id = f"{SAMPLE_FORUM}/pilot-free-trade-zone"
    result = cli("--archive", sample_archive, "show", "session", session_id, "--format", "json")
    assert json.loads(result.stdout) == {
        "version": 1,
        "session": {
            "id": session_id,
            "title": "Joint development of the Yangtze River Delta Pilot Free Trade Zone",
            "kind": "parallel",
            "order": 2,
            "forum": SAMPLE_FORUM,
        },
    }


def test_show_forum_reads_only_the_speakers_it_refers_to(cli: Cli, sample_archive: Path) -> None:
    (sample_archive / "speakers" / "unrelated.toml").write_text("name = \n")
    shown = cli("--archive", sample_archive, "show", "forum", SAMPLE_FORUM)
    assert (shown.exit_code, shown.stderr) == (0, "")  # not even a warning: never read
    listed = cli("--archive", sample_archive, "list", "speakers")
    assert listed.exit_code == 0
    assert listed.stderr.startswith("3 speakers\nforumctl: warning: skipped speakers/unrelated")


def test_an_id_that_does_not_exist_gets_a_did_you_mean(cli: Cli, sample_archive: Path) -> None:
    cases = {
        ("speaker", "sheng-shihoa"): (
            "no speaker 'sheng-shihoa' (speakers/sheng-shihoa.toml does not exist)"
            " (did you mean 'sheng-shihao'?)"
        ),
        ("speaker", "Zhang Xueliang"): (
            "no speaker 'Zhang Xueliang' (speakers/Zhang Xueliang.toml does not exist)"
            " (did you mean 'zhang-xueliang'?)"
        ),
        ("forum", "2020-zhejiang"): (
            "no forum '2020-zhejiang' (forums/2020-zhejiang/forum.toml does not exist)"
            f" (did you mean '{SAMPLE_FORUM}'?)"
        ),
        ("session", f"{SAMPLE_FORUM}/speech"): (
            f"no session '{SAMPLE_FORUM}/speech' (forums/{SAMPLE_FORUM}/sessions/speech.toml"
            f" does not exist) (did you mean '{SAMPLE_FORUM}/speeches'?)"
        ),
        ("session", "2020-zhejiang/speeches"): (
            "no session '2020-zhejiang/speeches' (forums/2020-zhejiang/sessions/speeches.toml"
            f" does not exist) (did you mean '{SAMPLE_FORUM}/speeches'?)"
        ),
        ("speaker", "nobody"): (
            "no speaker 'nobody' (speakers/nobody.toml does not exist)"
            " ('forumctl list speakers' shows the IDs)"
        ),
    }
    for args, message in cases.items():
        result = cli("--archive", sample_archive, "show", *args)
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == f"forumctl: error: {message}\n", args


def test_forum_options_get_a_did_you_mean(cli: Cli, sample_archive: Path) -> None:
    expected = (
        "forumctl: error: no forum '2020-zhejiang' (forums/2020-zhejiang/forum.toml does not"
        f" exist) (did you mean '{SAMPLE_FORUM}'?)\n"
    )
    for args in (
        ("list", "sessions", "--forum", "2020-zhejiang"),
        ("export", "json", "--forum", "2020-zhejiang"),
        ("new", "session", "--forum", "2020-zhejiang", "T", "--no-input"),
    ):
        result = cli("--archive", sample_archive, *args)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected), args


def test_escape_sequences_in_record_text_are_shown_not_run(cli: Cli, sample_archive: Path) -> None:
    hostile = "\\u001b[2J\\u001b]8;;https://evil.example\\u0007click\\u001b]8;;\\u0007\\u0007"
    shown = "\\x1b[2J\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07\\x07"
    speaker = sample_archive / "speakers/sheng-shihao.toml"
    text = speaker.read_text(encoding="utf-8")
    speaker.write_text(text.replace('"Sheng Shihao"', f'"Sheng {hostile}"'), encoding="utf-8")
    session = sample_archive / "forums" / SAMPLE_FORUM / "sessions/speeches.toml"
    text = session.read_text(encoding="utf-8")
    session.write_text(text.replace('"Speeches"', f'"Speeches {hostile}"'), encoding="utf-8")
    for command in (
        ["show", "speaker", "sheng-shihao"],
        ["show", "session", f"{SAMPLE_FORUM}/speeches"],
        ["show", "forum", SAMPLE_FORUM],
        ["show", "forum", SAMPLE_FORUM, "--timetable"],
        ["list", "speakers"],
        ["list", "sessions"],
    ):
        result = cli("--archive", sample_archive, *command, env={"COLUMNS": "400"})  # uncut
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout, command
        assert shown[:10] in result.stdout.replace("\n", ""), command
    (sample_archive / "speakers/cy.toml").write_text(f'name = "Cy"\n"k{hostile}" = 1\n')
    result = cli("--archive", sample_archive, "validate")
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert f"FC104  unknown key 'k{shown}' in speaker" in result.stdout
    assert "FC609  'name' holds the control character U+001B" in result.stdout


def test_show_speaker_works_when_an_unrelated_session_is_broken(
    cli: Cli, sample_archive: Path
) -> None:
    break_two_files(sample_archive)
    result = cli("--archive", sample_archive, "show", "speaker", "sheng-shihao")
    assert result.exit_code == 0
    assert result.stdout.startswith("Sheng Shihao\nID: sheng-shihao\n")
    assert result.stderr.startswith(f"forumctl: warning: skipped {BROKEN_SESSION}:")
    assert result.stderr.count("\n") == 1
    # the record asked for is still an error when it is the broken one
    asked = cli("--archive", sample_archive, "show", "speaker", "bad")
    assert asked.exit_code == 2
    assert asked.stderr.startswith("forumctl: error: speakers/bad.toml:1:")
