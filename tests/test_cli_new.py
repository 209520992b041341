"""forumctl new forum|session|speaker: flags, prompts, IDs, references, --force."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import SAMPLE, SAMPLE_FORUM, Cli


def test_new_speaker_with_flags(cli: Cli, sample_archive: Path) -> None:
    result = cli(
        "--archive", sample_archive, "new", "speaker", "Lü Xiǎomíng", "--no-input",
        "--affiliation", "Zhejiang University: professor", "--link", "website=https://example.org",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    path = sample_archive / "speakers" / "lu-xiaoming.toml"
    assert result.stdout == f"{path}\n"
    assert path.read_text(encoding="utf-8") == (
        "#:schema ../schemas/speaker.schema.json\n"
        'name = "Lü Xiǎomíng"\n'
        "\n"
        "[links]\n"
        'website = "https://example.org"\n'
        "\n"
        "[[affiliations]]\n"
        'organization = "Zhejiang University"\n'
        'role = "professor"\n'
    )


def test_new_forum_with_flags_and_given_id(cli: Cli, sample_archive: Path) -> None:
    result = cli(
        "--archive", sample_archive, "new", "forum", "Spring Forum", "--id", "spring-2021",
        "--start", "2021-04-01", "--end", "2021-04-02", "--city", "Ningbo", "--tag", "economy",
        "--outcome", "declaration: Ningbo declaration", "--source", "A report", "--no-input",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = (sample_archive / "forums" / "spring-2021" / "forum.toml").read_text(encoding="utf-8")
    assert text == (
        "#:schema ../../schemas/forum.schema.json\n"
        'title = "Spring Forum"\n'
        "start = 2021-04-01\n"
        "end = 2021-04-02\n"
        'city = "Ningbo"\n'
        'tags = [\n    "economy",\n]\n'
        "\n[[outcomes]]\n"
        'kind = "declaration"\n'
        'title = "Ningbo declaration"\n'
        "\n[[sources]]\n"
        'title = "A report"\n'
    )


def test_new_forum_prompts_for_missing_required_fields(cli: Cli, sample_archive: Path) -> None:
    # title, a bad start and the start again, the end (its start), the timezone (the
    # manifest's, so none is written)
    answers = "Prompted Forum\n2021-13-01\n2021-05-01\n\n\n"
    result = cli("--archive", sample_archive, "new", "forum", input=answers)
    assert result.exit_code == 0, result.stderr
    forum = sample_archive / "forums" / "prompted-forum" / "forum.toml"
    assert result.stdout == f"{forum}\n"
    assert result.stderr == (
        "Title: Start (YYYY-MM-DD): start '2021-13-01' is not a date; write it like 2020-12-12\n"
        "Start (YYYY-MM-DD): End (YYYY-MM-DD) (2021-05-01): Timezone (Asia/Shanghai): "
        'add sessions with: forumctl new session --forum prompted-forum "TITLE"'
        " --start HH:MM --end HH:MM --room ROOM\n"
    )
    assert forum.read_text(encoding="utf-8").endswith(
        'title = "Prompted Forum"\nstart = 2021-05-01\nend = 2021-05-01\n'
    )


@pytest.mark.parametrize("zone", ["America", "Etc", "A" * 300])
def test_a_directory_of_the_tz_database_is_no_timezone_for_new_or_edit(
    cli: Cli, sample_archive: Path, zone: str
) -> None:
    """(issue 14 point 1: an internal error, IsADirectoryError or OSError, before)"""
    made = cli("--archive", sample_archive, "new", "forum", "X Forum", "--start", "2021-01-01",
               "--end", "2021-01-01", "--timezone", zone, "--no-input")  # fmt: skip
    edited = cli("--archive", sample_archive, "edit", "forum", SAMPLE_FORUM, "--timezone", zone)
    for result in (made, edited):
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"forumctl: error: --timezone '{zone}' is not an IANA timezone name"
            " (e.g. Asia/Shanghai)\n"
        )
    assert not (sample_archive / "forums/x-forum").exists()


def test_an_end_before_the_start_is_asked_again_not_an_abort(
    cli: Cli, sample_archive: Path
) -> None:
    answers = "Late Forum\n2021-05-02\n2021-05-01\nEurope/Berln\nEurope/Berlin\n2021-05-03\n"
    result = cli("--archive", sample_archive, "new", "forum", input=answers)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Title: Start (YYYY-MM-DD): End (YYYY-MM-DD) (2021-05-02): Timezone (Asia/Shanghai): "
        "timezone 'Europe/Berln' is not an IANA timezone name (did you mean 'Europe/Berlin'?)\n"
        "Timezone (Asia/Shanghai): end: forum ends (2021-05-01) before it starts (2021-05-02)\n"
        "End (YYYY-MM-DD) (2021-05-02): "
        'add sessions with: forumctl new session --forum late-forum "TITLE"'
        " --start HH:MM --end HH:MM --room ROOM\n"
    )
    text = (sample_archive / "forums/late-forum/forum.toml").read_text(encoding="utf-8")
    assert text.endswith('start = 2021-05-02\nend = 2021-05-03\ntimezone = "Europe/Berlin"\n')


def test_new_session_asks_the_forum_and_the_important_fields_again_until_right(
    cli: Cli, sample_archive: Path
) -> None:
    answers = (
        "2020-zhejiang\n"  # not a forum: asked again, then the only forum, offered
        "\n"
        "Panel\n"
        "keynot\nkeynote\n"  # a kind with a typo, then right
        "9am\n09:00\n"  # start: not a time, then right
        "08:00\n"  # end, before the start: asked again once the room is answered
        "Room A\n"
        "10:00\n"
    )  # the forum lasts one day: no date is asked
    result = cli("--archive", sample_archive, "new", "session", input=answers)
    assert result.exit_code == 0, result.stderr
    session = sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "panel.toml"
    assert result.stdout == f"{session}\n"
    kinds = (
        "opening, plenary, keynote, parallel, panel, workshop, closing, other, talk, lightning,"
        " poster, break, social, ceremony"
    )
    assert result.stderr == (
        f"Forum ID ({SAMPLE_FORUM}): no forum '2020-zhejiang' (did you mean '{SAMPLE_FORUM}'?)\n"
        f"Forum ID ({SAMPLE_FORUM}): Title: Kind (opening, plenary, keynote, ...): "
        f"'keynot' is not one of {kinds} (did you mean 'keynote'?)\n"
        "Kind (opening, plenary, keynote, ...): Start (HH:MM): "
        "start '9am' is not a time; write it like 09:30\n"
        "Start (HH:MM): End (HH:MM): Room: "
        "end: session ends (08:00) before or when it starts (09:00)\n"
        f"End (HH:MM): add talks with: forumctl edit session {SAMPLE_FORUM}/panel"
        " --add-talk 'SPEAKER-ID: TITLE'\n"
    )
    assert session.read_text(encoding="utf-8").endswith(
        'title = "Panel"\nkind = "keynote"\nstart = 09:00:00\nend = 10:00:00\nroom = "Room A"\n'
    )


def test_a_session_of_a_longer_forum_is_asked_its_date_first_day_offered(
    cli: Cli, sample_archive: Path
) -> None:
    forum = ("new", "forum", "Two Days", "--start", "2021-05-01", "--end", "2021-05-02")
    assert cli("--archive", sample_archive, *forum, "--no-input").exit_code == 0
    result = cli(
        "--archive", sample_archive, "new", "session", "--forum", "two-days",
        input="Day two\n\n2021-05-03\n\n\n\n2021-05-02\n",  # title, kind, date ... date
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Title: Kind (opening, plenary, keynote, ...): Date (YYYY-MM-DD) (2021-05-01): "
        "Start (HH:MM): End (HH:MM): Room: date: session date 2021-05-03 is outside its"
        " forum's dates (2021-05-01 to 2021-05-02, forums/two-days/forum.toml)\n"
        "Date (YYYY-MM-DD) (2021-05-01): "
        "add talks with: forumctl edit session two-days/day-two --add-talk 'SPEAKER-ID: TITLE'\n"
    )
    text = (sample_archive / "forums/two-days/sessions/day-two.toml").read_text(encoding="utf-8")
    assert text.endswith('title = "Day two"\ndate = 2021-05-02\n')


def test_every_required_flag_given_asks_nothing_and_says_what_next(
    cli: Cli, sample_archive: Path
) -> None:
    speaker = cli("--archive", sample_archive, "new", "speaker", "Ada Lovelace")
    session = cli("--archive", sample_archive, "new", "session", "--forum", SAMPLE_FORUM, "T",
                  "--talk", "ada-lovelace: On engines")  # fmt: skip

    assert (speaker.exit_code, speaker.stderr) == (
        0,
        'name them in a session with: forumctl new session --forum FORUM-ID "TITLE"'
        " --talk 'ada-lovelace: TITLE'\n",
    )
    assert (session.exit_code, session.stderr) == (
        0,
        f"check the archive with: forumctl validate; see it: forumctl show session"
        f" {SAMPLE_FORUM}/t\n",
    )


def test_new_session_with_talks_chairs_and_missing_speakers(cli: Cli, sample_archive: Path) -> None:
    args = (
        "--archive", sample_archive, "new", "session", "--forum", SAMPLE_FORUM, "Closing",
        "--kind", "closing", "--order", "6", "--start", "16:00", "--end", "17:30",
        "--chair", "wang-wu", "--talk", "sheng-shihao, wang-wu: Thanks", "--no-input",
    )  # fmt: skip
    refused = cli(*args)
    assert refused.exit_code == 2
    assert refused.stderr == (
        "forumctl: error: no speaker 'wang-wu' in the archive (create them with"
        " 'forumctl new speaker', or pass --create-missing-speakers)\n"
    )
    created = cli(*args, "--create-missing-speakers")
    assert created.exit_code == 0, created.stderr
    session = sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "closing.toml"
    assert created.stdout == f"{sample_archive}/speakers/wang-wu.toml\n{session}\n"
    assert (
        (sample_archive / "speakers" / "wang-wu.toml")
        .read_text(encoding="utf-8")
        .endswith('name = "Wang Wu"\n')
    )
    assert session.read_text(encoding="utf-8") == (
        "#:schema ../../../schemas/session.schema.json\n"
        'title = "Closing"\n'
        'kind = "closing"\n'
        "order = 6\n"
        "start = 16:00:00\n"
        "end = 17:30:00\n"
        'chairs = [\n    "wang-wu",\n]\n'
        "\n[[talks]]\n"
        'speakers = [\n    "sheng-shihao",\n    "wang-wu",\n]\n'
        'title = "Thanks"\n'
    )


def test_new_refuses_to_overwrite_without_force(cli: Cli, sample_archive: Path) -> None:
    path = sample_archive / "speakers" / "sheng-shihao.toml"
    before = path.read_bytes()
    result = cli("--archive", sample_archive, "new", "speaker", "Sheng Shihao", "--no-input")
    assert result.exit_code == 2
    assert (
        result.stderr == f"forumctl: error: {path}: already exists (use --force to overwrite it)\n"
    )
    assert path.read_bytes() == before
    forced = cli(
        "--archive", sample_archive, "new", "speaker", "Sheng Shihao", "--no-input", "--force"
    )
    assert forced.exit_code == 0
    assert path.read_text(encoding="utf-8").endswith('name = "Sheng Shihao"\n')


def test_new_errors_name_the_flag(cli: Cli, sample_archive: Path) -> None:
    cases = {
        ("forum", "X", "--start", "2021-01-01"): "--end is required (or leave out --no-input)",
        ("forum", "X", "--start", "2021-1-1", "--end", "2021-01-01"): (
            "--start '2021-1-1' is not a date; write it like 2020-12-12"
        ),
        ("forum", "X", "--start", "2021-01-02", "--end", "2021-01-01"): (
            "--end: forum ends (2021-01-01) before it starts (2021-01-02) (rule FC202)"
        ),
        ("forum", "--start", "2021-01-01", "--end", "2021-01-01"): (
            "the TITLE argument is required (or leave out --no-input)"
        ),
        ("session", "X"): "--forum is required (or leave out --no-input)",
        ("session", "X", "--forum", SAMPLE_FORUM, "--kind", "opneing"): (
            "--kind: 'kind' is 'opneing'; did you mean 'opening'? (one of opening, plenary,"
            " keynote, parallel, panel, workshop, closing, other, talk, lightning, poster, break,"
            " social, ceremony)"
        ),
        ("session", "X", "--forum", SAMPLE_FORUM, "--start", "9h"): (
            "--start '9h' is not a time; write it like 09:30"
        ),
        ("speaker", "X", "--id", "Not A Slug"): (
            "--id 'Not A Slug' is not a slug: lowercase letters, digits and single hyphens"
        ),
        ("forum", "X", "--start", "2021-01-01", "--end", "2021-01-01", "--outcome", "x: y"): (
            "--outcome: 'kind' is 'x'; expected one of publication, organization, declaration,"
            " award, other"
        ),
    }
    for args, message in cases.items():
        result = cli("--archive", sample_archive, "new", *args, "--no-input")
        assert (result.exit_code, result.stderr) == (2, f"forumctl: error: {message}\n"), args
        assert result.stdout == ""


def test_end_of_input_at_a_prompt_is_a_one_line_error(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "new", "speaker", input="")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Name: \n"
        "forumctl: error: no input for the prompt (pass the values as options, or --no-input)\n"
    )
    assert sorted(p.name for p in (sample_archive / "speakers").iterdir()) == sorted(
        p.name for p in (SAMPLE / "speakers").iterdir()
    )


def test_affiliation_splits_at_the_last_colon(cli: Cli, sample_archive: Path) -> None:
    result = cli(
        "--archive", sample_archive, "new", "speaker", "Ada Lovelace", "--no-input",
        "--affiliation", "Institute: Economics: Trade Section: director",
        "--affiliation", "Zhejiang University",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = (sample_archive / "speakers" / "ada-lovelace.toml").read_text(encoding="utf-8")
    assert text.endswith(
        "[[affiliations]]\n"
        'organization = "Institute: Economics: Trade Section"\n'
        'role = "director"\n'
        "\n"
        "[[affiliations]]\n"
        'organization = "Zhejiang University"\n'
    )
    help_text = cli("new", "speaker", "--help").stdout
    assert "The role follows the last ': '." in " ".join(help_text.split())


def test_new_refuses_what_validate_would_reject(cli: Cli, sample_archive: Path) -> None:
    forum_file = f"forums/{SAMPLE_FORUM}/forum.toml"
    cases = {
        ("session", "X", "--forum", SAMPLE_FORUM, "--start", "10:00", "--end", "09:00"): (
            "--end: session ends (09:00) before or when it starts (10:00) (rule FC202)"
        ),
        ("session", "X", "--forum", SAMPLE_FORUM, "--date", "2021-01-01"): (
            "--date: session date 2021-01-01 is outside its forum's dates"
            f" (2020-12-12 to 2020-12-12, {forum_file}) (rule FC203)"
        ),
        ("speaker", "X", "--link", "orcid=0000-0002-1825-0098"): (
            "--link: 'links.orcid' is '0000-0002-1825-0098', not a valid ORCID iD"
            " (16 digits as 0000-0000-0000-000X with a correct check digit) (rule FC603)"
        ),
        ("speaker", "X", "--link", "website=ftp://x"): (
            "--link: 'links.website' is 'ftp://x', not an http(s) URL; write it as https://..."
            " (rule FC604)"
        ),
    }
    for args, message in cases.items():
        result = cli("--archive", sample_archive, "new", *args, "--no-input")
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == f"forumctl: error: {message}\n", args
    assert not (sample_archive / "speakers" / "x.toml").exists()
    assert not (sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "x.toml").exists()
    result = cli(
        "--archive", sample_archive, "new", "speaker", "X", "--no-input",
        "--link", "orcid=0000-0002-1825-0097",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr


def test_new_session_writes_nothing_when_a_speaker_cannot_be_created(
    cli: Cli, sample_archive: Path
) -> None:
    (sample_archive / "speakers" / "ghost.toml").mkdir()
    sessions = sample_archive / "forums" / SAMPLE_FORUM / "sessions"
    before = sorted(path.name for path in sessions.iterdir())
    result = cli(
        "--archive", sample_archive, "new", "session", "Haunted", "--forum", SAMPLE_FORUM,
        "--talk", "ghost: Boo", "--talk", "casper", "--create-missing-speakers", "--no-input",
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"forumctl: error: {sample_archive}/speakers/ghost.toml: is a directory, not a record"
        " file (move it away)\n"
    )
    assert sorted(path.name for path in sessions.iterdir()) == before
    assert not (sample_archive / "speakers" / "casper.toml").exists()


def _sample_file(rel: str) -> str:
    return (SAMPLE / rel).read_text(encoding="utf-8")


def test_the_sample_archive_can_be_recreated_with_new_alone(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "again"
    made = cli("init", root, "--name", "Again", "--timezone", "Asia/Shanghai", "--no-input")
    assert made.exit_code == 0, made.stderr
    speakers = {
        "sheng-shihao": (
            "Sheng Shihao",
            "--affiliation",
            "Propaganda Department of the Zhejiang Provincial Party Committee: deputy director",
            "--affiliation", "Zhejiang Provincial Federation of Social Sciences: chairman",
        ),
        "yang-kaizhong": (
            "Yang Kaizhong",
            "--affiliation", "Chinese Regional Science Association: chairman",
            "--affiliation",
            "Institute of Ecological Civilization of the Chinese Academy of Social Sciences:"
            " secretary of the Party Committee",
        ),
        "zhang-xueliang": (
            "Zhang Xueliang",
            "--affiliation",
            "School of Urban and Regional Sciences, Shanghai University of Finance and"
            " Economics: deputy dean",
        ),
    }  # fmt: skip
    forum = (
        "Yangtze River Delta Integration and Regional Governance Modernization",
        "--id", SAMPLE_FORUM,
        "--series", "Zhejiang Provincial Social Science Academic Annual Conference",
        "--edition", "5", "--kind", "high-level forum",
        "--start", "2020-12-12", "--end", "2020-12-12",
        "--city", "Hangzhou", "--timezone", "Asia/Shanghai",
        "--summary",
        "Experts discussed topics such as economic and trade development in the Yangtze River"
        " Delta region and the optimization of the regional governance system. Four parallel"
        " sessions were held on the same day.",
        "--outcome",
        "publication: China (Zhejiang) Pilot Free Trade Zone Research Results Collection"
        " (2003-2020)",
        "--outcome-summary", "Released at the forum.",
        "--outcome",
        "organization: Yangtze River Delta Pilot Free Trade Zone Think Tank Cooperation Alliance",
        "--outcome-summary", "Established on the day of the forum.",
        "--source", "Untitled news report, Hangzhou, December 12",
        "--source-date", "2020-12-12",
        "--source-author", "Qian Chenfei", "--source-author", "Zang Chengeng",
    )  # fmt: skip
    # The long texts hold ':', ',' and ';': each is one argument, passed as it is.
    talks = tomllib.loads(_sample_file(f"forums/{SAMPLE_FORUM}/sessions/speeches.toml"))["talks"]
    session = (
        "Speeches", "--forum", SAMPLE_FORUM, "--kind", "plenary", "--order", "1",
        "--talk", "sheng-shihao", "--talk-summary", talks[0]["summary"],
        "--talk-quote", talks[0]["quotes"][0],
        "--talk", "yang-kaizhong", "--talk-summary", talks[1]["summary"],
        "--talk", "zhang-xueliang", "--talk-quote", talks[2]["quotes"][0],
        "--talk-summary", talks[2]["summary"],  # after the quote: order within a talk is free
    )  # fmt: skip
    written = {f"speakers/{sid}.toml": ("speaker", *args) for sid, args in speakers.items()}
    written[f"forums/{SAMPLE_FORUM}/forum.toml"] = ("forum", *forum)
    written[f"forums/{SAMPLE_FORUM}/sessions/speeches.toml"] = ("session", *session)
    for rel, args in written.items():
        result = cli("--archive", root, "new", *args, "--no-input")
        assert (result.exit_code, result.stderr) == (0, ""), rel
        assert result.stdout == f"{root / rel}\n"
        assert (root / rel).read_text(encoding="utf-8") == _sample_file(rel), rel


def test_item_field_flags_set_every_other_field_of_an_item(cli: Cli, sample_archive: Path) -> None:
    result = cli(
        "--archive", sample_archive, "new", "speaker", "Ada Lovelace", "--no-input",
        "--affiliation", "Analytical Society: member",
        "--affiliation-since", "1833-06-05", "--affiliation-until", "1852-11-27",
        "--affiliation", "Zhejiang University",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (sample_archive / "speakers" / "ada-lovelace.toml").read_text(encoding="utf-8") == (
        "#:schema ../schemas/speaker.schema.json\n"
        'name = "Ada Lovelace"\n'
        "\n[[affiliations]]\n"
        'organization = "Analytical Society"\n'
        'role = "member"\n'
        "since = 1833-06-05\n"
        "until = 1852-11-27\n"
        "\n[[affiliations]]\n"
        'organization = "Zhejiang University"\n'
    )
    result = cli(
        "--archive", sample_archive, "new", "forum", "F", "--start", "2021-01-01",
        "--end", "2021-01-01", "--no-input",
        "--source", "Report", "--source-publisher", "Zhejiang Daily",
        "--source-url", "https://example.org/report", "--source", "Second report",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (
        (sample_archive / "forums" / "f" / "forum.toml")
        .read_text(encoding="utf-8")
        .endswith(
            "\n[[sources]]\n"
            'title = "Report"\n'
            'publisher = "Zhejiang Daily"\n'
            'url = "https://example.org/report"\n'
            "\n[[sources]]\n"
            'title = "Second report"\n'
        )
    )
    result = cli(
        "--archive", sample_archive, "new", "session", "Panel", "--forum", SAMPLE_FORUM,
        "--no-input", "--talk", "sheng-shihao, yang-kaizhong: Together",
        "--talk-affiliation", "yang-kaizhong=CASS; as printed: secretary",
        "--talk-quote", "First; with a semicolon", "--talk-quote", "Second, with a comma",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    session = sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "panel.toml"
    assert session.read_text(encoding="utf-8").endswith(
        "[[talks]]\n"
        'speakers = [\n    "sheng-shihao",\n    "yang-kaizhong",\n]\n'
        'title = "Together"\n'
        'quotes = [\n    "First; with a semicolon",\n    "Second, with a comma",\n]\n'
        'affiliations = { yang-kaizhong = "CASS; as printed: secretary" }\n'
    )
    help_text = _help_text(cli, "new", "forum")
    assert (
        "each starts an item, whose other fields follow it as --source-id, --source-publisher,"
        " --source-date, --source-author, --source-url (one value per flag, so text needs no"
        " escaping)."
    ) in help_text


def test_item_field_flag_errors_name_the_flag(cli: Cli, sample_archive: Path) -> None:
    forum = ("forum", "X", "--start", "2021-01-01", "--end", "2021-01-01")
    session = ("session", "X", "--forum", SAMPLE_FORUM, "--talk", "sheng-shihao")
    cases = {
        (*forum, "--source-date", "2020-12-12", "--source", "R"): (
            "--source-date must follow the --source it belongs to"
        ),
        (*forum, "--source", "R", "--source-date", "2020-12-1"): (
            "--source-date '2020-12-1' is not a date; write it like 2020-12-12"
        ),
        (*forum, "--outcome", "award: A", "--outcome-summary", "a", "--outcome-summary", "b"): (
            "--outcome-summary is given twice for one --outcome"
        ),
        (*forum, "--source", "R", "--source-url", "ftp://x"): (
            "--source-url: 'sources.url' is 'ftp://x', not an http(s) URL; write it as"
            " https://... (rule FC604)"
        ),
        (*session, "--talk-affiliation", "CASS"): "--talk-affiliation 'CASS': expected NAME=VALUE",
        (*session, "--talk-affiliation", "nobody=CASS"): (
            "--talk-affiliation: no speaker 'nobody' (speakers/nobody.toml does not exist)"
            " (rule FC401)"
        ),
    }
    for args, message in cases.items():
        result = cli("--archive", sample_archive, "new", *args, "--no-input")
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == f"forumctl: error: {message}\n", args
    assert not (sample_archive / "forums" / "x").exists()
    assert not (sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "x.toml").exists()


def test_talk_and_chair_ids_that_do_not_exist_get_a_did_you_mean(
    cli: Cli, sample_archive: Path
) -> None:
    session = ("new", "session", "--forum", SAMPLE_FORUM, "X", "--no-input")
    create = "create them with 'forumctl new speaker', or pass --create-missing-speakers"
    result = cli("--archive", sample_archive, *session, "--talk", "sheng-shihoa: T")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "forumctl: error: no speaker 'sheng-shihoa' in the archive"
        f" (did you mean 'sheng-shihao'?; otherwise {create})\n"
    )
    result = cli(
        "--archive", sample_archive, *session, "--chair", "yang-kaizong", "--talk", "nobody: T"
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "forumctl: error: no speaker 'yang-kaizong', 'nobody' in the archive"
        f" (for 'yang-kaizong': did you mean 'yang-kaizhong'?; otherwise {create})\n"
    )
    assert not (sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "x.toml").exists()


def test_identity_flags_of_format_2(cli: Cli, sample_archive: Path) -> None:
    manifest = sample_archive / "forumctl.toml"
    manifest.write_text(manifest.read_text().replace("format = 2", "format = 1"))
    args = ("new", "speaker", "Ada Lovelace", "--alias", "A. Lovelace", "--external-id",
            "wikidata=Q7259", "--no-input")  # fmt: skip
    refused = cli("--archive", sample_archive, *args)
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        "forumctl: error: --alias: 'aliases' is a format-2 key and this archive is format 1;"
        " run forumctl migrate (rule FC003)\n"
    )
    manifest.write_text(manifest.read_text().replace("format = 1", "format = 2"))
    result = cli("--archive", sample_archive, *args)
    assert (result.exit_code, result.stderr) == (0, "")
    assert (sample_archive / "speakers/ada-lovelace.toml").read_text() == (
        "#:schema ../schemas/speaker.schema.json\n"
        'name = "Ada Lovelace"\n'
        'aliases = [\n    "A. Lovelace",\n]\n\n'
        "[ids]\n"
        'wikidata = "Q7259"\n'
    )
    uid_flag = cli("--archive", sample_archive, "new", "speaker", "X", "--uid", "y")
    assert uid_flag.exit_code == 2  # written by forumctl only: no flag
    assert uid_flag.stderr == (
        "forumctl: error: no such option: --uid (did you mean '--id' or '--bio'?)\n"
    )


def test_new_force_replaces_in_place_and_lists_what_it_dropped(
    cli: Cli, sample_archive: Path
) -> None:
    path = sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "speeches.toml"
    result = cli(
        "--archive", sample_archive, "new", "session", "--forum", SAMPLE_FORUM, "Speeches",
        "--kind", "closing", "--force", "--no-input",
    )  # fmt: skip
    rel = f"forums/{SAMPLE_FORUM}/sessions/speeches.toml"
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"{rel}: replaced; dropped order, talks (3 items)\n"
    assert path.read_text(encoding="utf-8") == (
        '#:schema ../../../schemas/session.schema.json\ntitle = "Speeches"\nkind = "closing"\n'
    )


def test_new_dry_run_prints_the_new_file_and_writes_nothing(cli: Cli, sample_archive: Path) -> None:
    result = cli("--archive", sample_archive, "new", "speaker", "Li Na", "--no-input", "--dry-run")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "--- /dev/null\n"
        "+++ b/speakers/li-na.toml\n"
        "@@ -0,0 +1,2 @@\n"
        "+#:schema ../schemas/speaker.schema.json\n"
        '+name = "Li Na"\n'
    )
    assert not (sample_archive / "speakers" / "li-na.toml").exists()


def test_translations_and_a_talks_links_and_translations_from_flags(
    cli: Cli, sample_archive: Path
) -> None:
    result = cli(
        "--archive", sample_archive, "new", "session", "Closing", "--forum", SAMPLE_FORUM,
        "--no-input", "--kind", "closing",
        "--translation", "zh", "--translation-title", "闭幕式",
        "--translation-summary", "会议闭幕。",
        "--talk", "sheng-shihao: Closing words",
        "--talk-link", "video: https://example.org/closing.mp4", "--talk-link-title", "Recording",
        "--talk-link-license", "CC-BY-4.0",
        "--talk-link", "slides: https://example.org/closing.pdf",
        "--talk-translation", "zh", "--talk-translation-title", "闭幕词",
        "--talk-summary", "Thanks.",  # the talk's own field, after its links and translation
    )  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    path = sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "closing.toml"
    assert path.read_text(encoding="utf-8") == (
        "#:schema ../../../schemas/session.schema.json\n"
        'title = "Closing"\n'
        'kind = "closing"\n'
        "\n"
        "[translations.zh]\n"
        'title = "闭幕式"\n'
        'summary = "会议闭幕。"\n'
        "\n"
        "[[talks]]\n"
        'speakers = [\n    "sheng-shihao",\n]\n'
        'title = "Closing words"\n'
        'summary = "Thanks."\n'
        "\n"
        "[talks.translations.zh]\n"
        'title = "闭幕词"\n'
        "\n"
        "[[talks.links]]\n"
        'kind = "video"\n'
        'url = "https://example.org/closing.mp4"\n'
        'title = "Recording"\n'
        'license = "CC-BY-4.0"\n'
        "\n"
        "[[talks.links]]\n"
        'kind = "slides"\n'
        'url = "https://example.org/closing.pdf"\n'
    )
    help_text = _help_text(cli, "new", "session")
    assert (
        "--translation LANG Language tag to the record's text in that language:"
        " `[translations.zh]` with any of `title`, `subtitle`, `abstract`, `summary`. LANG is"
        " a BCP 47 tag, e.g. zh. Repeatable; each starts an item, whose other fields follow it"
        " as --translation-title, --translation-subtitle, --translation-abstract,"
        " --translation-summary (one value per flag"
    ) in help_text
    assert (
        "--talk-link 'KIND: URL' Recordings, slides, papers and other pages about the record."
        " For the last --talk before it. Repeatable; each starts an item, whose other fields"
        " follow it as --talk-link-title, --talk-link-language, --talk-link-license (one"
        " value per flag, so text needs no escaping)."
    ) in help_text


def test_translation_and_talk_link_flag_errors_name_the_flag(
    cli: Cli, sample_archive: Path
) -> None:
    session = ("session", "X", "--forum", SAMPLE_FORUM, "--no-input")
    talk = (*session, "--talk", "sheng-shihao")
    cases = {
        (*session, "--translation-title", "X"): (
            "--translation-title must follow the --translation it belongs to"
        ),
        (*session, "--translation", "de", "--translation", "DE"): (
            "--translation 'DE' is given twice"
        ),
        (*session, "--translation", "english", "--translation-title", "X"): (
            "--translation: translation 'english': not a BCP 47 language tag in the IANA"
            " registry (e.g. 'en', 'zh-Hans', 'pt-BR') (rule FC701)"
        ),
        (*talk, "--talk-link-title", "T"): (
            "--talk-link-title must follow the --talk-link it belongs to"
        ),
        (*talk, "--talk-link", "x"): "--talk-link 'x': expected 'KIND: URL'",
        (*talk, "--talk-link", "video: ftp://x"): (
            "--talk-link: 'talks.links.url' is 'ftp://x', not an http(s) URL; write it as"
            " https://... (rule FC604)"
        ),
        (*talk, "--talk-link", "video: https://x.org", "--talk-link-license", "NOPE"): (
            "--talk-link-license: 'talks.links.license' is 'NOPE': not an SPDX license"
            " identifier (e.g. 'CC-BY-4.0', 'CC0-1.0', 'MIT') (rule FC607)"
        ),
        (*talk, "--talk-translation", "de", "--talk-translation-title", "A",
         "--talk-translation-title", "B"): (
            "--talk-translation-title is given twice for one --talk-translation"
        ),
    }  # fmt: skip
    for args, message in cases.items():
        result = cli("--archive", sample_archive, "new", *args)
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == f"forumctl: error: {message}\n", args
    assert not (sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "x.toml").exists()


def test_a_translation_in_a_format_1_archive_says_to_migrate(cli: Cli, tmp_path: Path) -> None:
    import shutil

    root = Path(shutil.copytree(Path(__file__).parent / "data" / "format-1", tmp_path / "a"))
    result = cli(
        "--archive", root, "new", "session", "X", "--forum", SAMPLE_FORUM, "--no-input",
        "--translation", "de", "--translation-title", "Y",
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "forumctl: error: --translation: 'translations' is a format-2 key and this archive is"
        " format 1; run forumctl migrate (rule FC003)\n"
    )
    assert not (root / "forums" / SAMPLE_FORUM / "sessions" / "x.toml").exists()


def _help_text(cli: Cli, *command: str) -> str:
    """A command's --help as one line of words (its wrapping gone)."""
    return " ".join(cli(*command, "--help").stdout.split())
