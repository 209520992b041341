"""``forumctl edit``: fields, lists and items changed in place; the editor loop."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import SAMPLE_FORUM, Cli

SESSION = f"{SAMPLE_FORUM}/speeches"
SESSION_FILE = f"forums/{SAMPLE_FORUM}/sessions/speeches.toml"

COMMENTED = """\
#:schema ../schemas/speaker.schema.json
# Checked against the report of 12 December.
name = 'Sheng Shihao'   # as printed
sort_name = "Sheng Shihao"

bio = "Economist."

[links]
website = "https://example.org/sheng"  # his page

# the post he held then
[[affiliations]]
organization = "Zhejiang Academy of Social Sciences"
role = "president"
"""


def _speaker(root: Path) -> Path:
    path = root / "speakers" / "sheng-shihao.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    return path


def test_edit_changes_only_the_values_it_sets(cli: Cli, sample_archive: Path) -> None:
    path = _speaker(sample_archive)
    result = cli(
        "--archive", sample_archive, "edit", "speaker", "sheng-shihao",
        "--name", "Sheng Shi-hao", "--unset", "bio", "--add-link", "orcid=0000-0002-1825-0097",
        "--edit-affiliation", "1", "--affiliation-since", "2018-01-01",
        "--add-affiliation", "Zhejiang University: professor",
    )  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "speakers/sheng-shihao.toml\n"
    assert path.read_text(encoding="utf-8") == (
        "#:schema ../schemas/speaker.schema.json\n"
        "# Checked against the report of 12 December.\n"
        "name = 'Sheng Shi-hao'   # as printed\n"
        'sort_name = "Sheng Shihao"\n'
        "\n"
        "[links]\n"
        'website = "https://example.org/sheng"  # his page\n'
        'orcid = "0000-0002-1825-0097"\n'
        "\n"
        "# the post he held then\n"
        "[[affiliations]]\n"
        'organization = "Zhejiang Academy of Social Sciences"\n'
        'role = "president"\n'
        "since = 2018-01-01\n"
        "\n"
        "[[affiliations]]\n"
        'organization = "Zhejiang University"\n'
        'role = "professor"\n'
    )


def test_edit_items_by_number_and_lists(cli: Cli, sample_archive: Path) -> None:
    path = sample_archive / SESSION_FILE
    before = path.read_text(encoding="utf-8")
    result = cli(
        "--archive", sample_archive, "edit", "session", SESSION,
        "--room", "Hall A", "--add-chair", "sheng-shihao",
        "--remove-talk", "3", "--edit-talk", "2", "--talk-summary", "Five areas.",
        "--add-talk", "sheng-shihao: Closing words", "--talk-quote", "Thank you.",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert text.count("[[talks]]") == before.count("[[talks]]")  # one removed, one added
    assert text.startswith(
        "#:schema ../../../schemas/session.schema.json\n"
        'title = "Speeches"\nkind = "plenary"\norder = 1\nroom = "Hall A"\n'
        'chairs = [\n    "sheng-shihao",\n]\n'
    )
    assert 'summary = "Five areas."' in text
    assert text.endswith(
        '[[talks]]\nspeakers = [\n    "sheng-shihao",\n]\ntitle = "Closing words"\n'
        'quotes = [\n    "Thank you.",\n]\n'
    )
    again = cli("--archive", sample_archive, "edit", "session", SESSION, "--remove-chair", "x")
    assert (again.exit_code, again.stderr) == (
        2,
        "forumctl: error: --remove-chair 'x': not among the record's chairs"
        " (it has: sheng-shihao)\n",
    )


def test_edit_errors_are_one_line_and_write_nothing(cli: Cli, sample_archive: Path) -> None:
    path = sample_archive / SESSION_FILE
    before = path.read_bytes()
    cases = {
        ("--edit-talk", "9", "--talk-summary", "x"): (
            "--edit-talk 9: the record has 3 talks (numbered from 1)"
        ),
        ("--talk-summary", "x"): "--talk-summary must follow the --talk or --add-talk or"
        " --edit-talk it belongs to",
        ("--unset", "title"): "--unset title: a session must have one; set another value",
        ("--unset", "rooom"): (
            "--unset 'rooom': no field of that name in a session (did you mean 'room'?)"
        ),
    }
    for args, message in cases.items():
        result = cli("--archive", sample_archive, "edit", "session", SESSION, *args)
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == f"forumctl: error: {message}\n", args
    refused = cli("--archive", sample_archive, "edit", "session", SESSION, "--add-chair", "nobody")
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"{SESSION_FILE}:6:5: FC401 no speaker 'nobody' (speakers/nobody.toml does not exist)\n"
        "forumctl: error: change refused: it would add 1 error finding; nothing was written"
        " (correct the values, or use --force to write anyway)\n"
    )
    assert path.read_bytes() == before
    missing = cli("--archive", sample_archive, "edit", "speaker", "shen-shihao", "--bio", "x")
    assert missing.stderr == (
        "forumctl: error: no speaker 'shen-shihao' (speakers/shen-shihao.toml does not exist)"
        " (did you mean 'sheng-shihao'?)\n"
    )


def test_dry_run_prints_the_diff(cli: Cli, sample_archive: Path) -> None:
    path = _speaker(sample_archive)
    result = cli(
        "--archive", sample_archive, "edit", "speaker", "sheng-shihao", "--bio", "Dean.",
        "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "--- a/speakers/sheng-shihao.toml\n"
        "+++ b/speakers/sheng-shihao.toml\n"
        "@@ -3,7 +3,7 @@\n"
        " name = 'Sheng Shihao'   # as printed\n"
        ' sort_name = "Sheng Shihao"\n'
        " \n"
        '-bio = "Economist."\n'
        '+bio = "Dean."\n'
        " \n"
        " [links]\n"
        ' website = "https://example.org/sheng"  # his page\n'
    )
    assert path.read_text(encoding="utf-8") == COMMENTED


def _editor(tmp_path: Path, *texts: str) -> dict[str, str]:
    """$VISUAL: a program that writes the next of ``texts`` into the file each time."""
    for number, text in enumerate(texts):
        (tmp_path / f"text{number}").write_text(text, encoding="utf-8")
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        f"here = pathlib.Path({str(tmp_path)!r})\n"
        "count = here / 'count'\n"
        "n = int(count.read_text()) if count.exists() else 0\n"
        "count.write_text(str(n + 1))\n"
        "pathlib.Path(sys.argv[1]).write_text((here / f'text{n}').read_text())\n"
    )
    return {"VISUAL": f"{sys.executable} {script}"}


def test_the_editor_until_the_file_is_valid(cli: Cli, sample_archive: Path, tmp_path: Path) -> None:
    path = _speaker(sample_archive)
    bad = COMMENTED.replace('bio = "Economist."', "bio = 3")
    good = COMMENTED.replace('bio = "Economist."', 'bio = "Dean."')
    result = cli(
        "--archive", sample_archive, "edit", "speaker", "sheng-shihao",
        env=_editor(tmp_path, bad, good), input="edit\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "speakers/sheng-shihao.toml\n"
    assert result.stderr.startswith(
        "speakers/sheng-shihao.toml:6:1: FC102 'bio' must be a string, not an integer\n"
        "Edit again, or keep the file as it was? [edit/keep] (edit): "
    )
    assert path.read_text(encoding="utf-8") == good


def test_the_editor_keep_as_it_was(cli: Cli, sample_archive: Path, tmp_path: Path) -> None:
    path = _speaker(sample_archive)
    bad = COMMENTED.replace("[[affiliations]]", "[[affiliation]]")
    result = cli(
        "--archive", sample_archive, "edit", "speaker", "sheng-shihao",
        env=_editor(tmp_path, bad), input="keep\n",
    )  # fmt: skip
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.endswith("speakers/sheng-shihao.toml: kept as it was; nothing written\n")
    assert path.read_text(encoding="utf-8") == COMMENTED
    never = cli("--archive", sample_archive, "edit", "speaker", "sheng-shihao", "--no-input")
    assert (never.exit_code, never.stderr) == (
        2,
        "forumctl: error: nothing to change: give flags (without them edit opens $VISUAL or"
        " $EDITOR, which --no-input and --dry-run never do)\n",
    )


def test_edit_translations_by_language_and_a_talks_links(cli: Cli, sample_archive: Path) -> None:
    path = sample_archive / SESSION_FILE
    before = path.read_text(encoding="utf-8")
    edit = ("--archive", sample_archive, "edit", "session", SESSION)
    result = cli(
        *edit, "--add-translation", "zh", "--translation-title", "主旨演讲",
        "--edit-talk", "2", "--talk-link", "video: https://example.org/yang.mp4",
        "--talk-link-title", "Recording", "--talk-translation", "zh",
        "--talk-translation-summary", "新发展格局。",
    )  # fmt: skip
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{SESSION_FILE}\n", "")
    second_talk_ends = 'institutional system."\n\n'
    assert before.count(second_talk_ends) == 1
    added = before.replace(
        second_talk_ends,
        second_talk_ends + "[talks.translations.zh]\n"
        'summary = "新发展格局。"\n'
        "\n"
        "[[talks.links]]\n"
        'kind = "video"\n'
        'url = "https://example.org/yang.mp4"\n'
        'title = "Recording"\n'
        "\n",
    )
    assert path.read_text(encoding="utf-8") == added + '\n[translations.zh]\ntitle = "主旨演讲"\n'
    changed = cli(
        *edit, "--edit-translation", "zh", "--translation-summary", "三位专家的演讲。",
        "--add-translation", "de", "--translation-title", "Reden",
    )  # fmt: skip
    assert (changed.exit_code, changed.stderr) == (0, "")
    assert path.read_text(encoding="utf-8") == added + (
        '\n[translations.zh]\ntitle = "主旨演讲"\nsummary = "三位专家的演讲。"\n'
        '\n[translations.de]\ntitle = "Reden"\n'
    )
    removed = cli(
        *edit, "--remove-translation", "zh",
        "--edit-talk", "2", "--talk-link", "slides: https://example.org/yang.pdf",
    )  # fmt: skip
    assert (removed.exit_code, removed.stderr) == (0, "")
    assert path.read_text(encoding="utf-8") == added.replace(
        'kind = "video"\nurl = "https://example.org/yang.mp4"\ntitle = "Recording"\n',
        'kind = "slides"\nurl = "https://example.org/yang.pdf"\n',
    ) + ('\n[translations.de]\ntitle = "Reden"\n')


def test_translation_and_talk_link_edits_that_cannot_apply(cli: Cli, sample_archive: Path) -> None:
    path = sample_archive / SESSION_FILE
    edit = ("--archive", sample_archive, "edit", "session", SESSION)
    assert cli(*edit, "--add-translation", "de", "--translation-title", "Reden").exit_code == 0
    before = path.read_bytes()
    cases = {
        ("--add-translation", "de", "--translation-title", "X"): (
            "--add-translation 'de': the record has that translation already"
            " (change it with --edit-translation de)"
        ),
        ("--edit-translation", "fr", "--translation-title", "X"): (
            "--edit-translation 'fr': the record has no such translation (it has: de)"
        ),
        ("--remove-translation", "dee"): (
            "--remove-translation 'dee': the record has no such translation (did you mean 'de'?)"
        ),
        ("--translation-title", "X"): (
            "--translation-title must follow the --translation or --add-translation or"
            " --edit-translation it belongs to"
        ),
        ("--edit-talk", "1", "--talk-link-title", "X"): (
            "--talk-link-title must follow the --talk-link or --add-talk-link or"
            " --edit-talk-link it belongs to"
        ),
    }
    for args, message in cases.items():
        result = cli(*edit, *args)
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == f"forumctl: error: {message}\n", args
    assert path.read_bytes() == before
    # another tag of the same language is refused by the change check (FC703), not the flag
    result = cli(*edit, "--add-translation", "DE", "--translation-title", "Die Reden")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{SESSION_FILE}:33:1: FC703 translations 'de' and 'DE' name one language: merge them"
        " into one\n"
        "forumctl: error: change refused: it would add 1 error finding; nothing was written"
        " (correct the values, or use --force to write anyway)\n"
    )
    assert path.read_bytes() == before


def test_a_talks_links_and_translations_one_at_a_time(cli: Cli, sample_archive: Path) -> None:
    # --talk-link after --edit-talk N gives the talk's links anew; these add, change and
    # remove one (DESIGN section 8's item flags, one level down), N counting in file order
    path = sample_archive / SESSION_FILE
    before = path.read_text(encoding="utf-8")
    edit = ("--archive", sample_archive, "edit", "session", SESSION, "--edit-talk", "2")
    second_talk_ends = 'institutional system."\n\n'
    video = '[[talks.links]]\nkind = "video"\nurl = "https://example.org/yang.mp4"\n'
    slides = '[[talks.links]]\nkind = "slides"\nurl = "https://example.org/yang.pdf"\n'

    added = cli(
        *edit, "--add-talk-link", "video: https://example.org/yang.mp4",
        "--talk-link-title", "Recording",
        "--add-talk-link", "slides: https://example.org/yang.pdf",
    )  # fmt: skip
    assert (added.exit_code, added.stdout, added.stderr) == (0, f"{SESSION_FILE}\n", "")
    with_links = before.replace(
        second_talk_ends,
        second_talk_ends + video + 'title = "Recording"\n\n' + slides + "\n",
    )
    assert path.read_text(encoding="utf-8") == with_links

    changed = cli(
        *edit, "--edit-talk-link", "2", "--talk-link-license", "CC-BY-4.0",
        "--remove-talk-link", "1", "--add-talk-translation", "zh",
        "--talk-translation-title", "新发展格局",
    )  # fmt: skip
    assert (changed.exit_code, changed.stderr) == (0, "")
    assert path.read_text(encoding="utf-8") == before.replace(
        second_talk_ends,
        second_talk_ends
        + slides
        + 'license = "CC-BY-4.0"\n\n[talks.translations.zh]\ntitle = "新发展格局"\n\n',
    )
    settled = path.read_bytes()
    refused = {
        ("--remove-talk-link", "2"): "--remove-talk-link 2: talk 2 has 1 link (numbered from 1)",
        ("--add-talk-translation", "zh", "--talk-translation-title", "X"): (
            "--add-talk-translation 'zh': talk 2 has that translation already"
            " (change it with --edit-talk-translation zh)"
        ),
        ("--remove-talk-translation", "de"): (
            "--remove-talk-translation 'de': talk 2 has no such translation (it has: zh)"
        ),
    }
    for args, message in refused.items():
        result = cli(*edit, *args)
        assert (result.exit_code, result.stdout, result.stderr) == (
            2, "", f"forumctl: error: {message}\n"
        ), args  # fmt: skip
    alone = cli(*edit[:5], "--add-talk-link", "video: https://example.org/v.mp4")
    assert alone.exit_code == 2
    assert alone.stderr == (
        "forumctl: error: --add-talk-link must follow the --talk or --add-talk or --edit-talk"
        " it belongs to\n"
    )
    assert path.read_bytes() == settled
