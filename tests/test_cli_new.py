"""forumctl new forum|session|speaker: flags, prompts, IDs, references, --force."""

from __future__ import annotations

from pathlib import Path

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
    answers = "Prompted Forum\n2021-13-01\n2021-05-01\n2021-05-01\n"  # title, bad, start, end
    result = cli("--archive", sample_archive, "new", "forum", input=answers)
    assert result.exit_code == 0, result.stderr
    assert "'2021-13-01' is not a date" in result.stderr
    text = (sample_archive / "forums" / "prompted-forum" / "forum.toml").read_text(encoding="utf-8")
    assert "start = 2021-05-01\nend = 2021-05-01\n" in text


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
            "--kind: 'kind' is 'opneing'; expected one of opening, plenary, keynote, parallel,"
            " panel, workshop, closing, other"
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
    assert "(split at the last ': ')" in " ".join(help_text.split())


def test_new_refuses_what_validate_would_reject(cli: Cli, sample_archive: Path) -> None:
    forum_file = f"forums/{SAMPLE_FORUM}/forum.toml"
    cases = {
        ("session", "X", "--forum", SAMPLE_FORUM, "--start", "10:00", "--end", "09:00"): (
            "--end: session ends (09:00:00) before or when it starts (10:00:00) (rule FC202)"
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
