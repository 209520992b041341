"""Shell completion (cli/complete.py) through Typer's completion protocol, as the shell
scripts of ``--show-completion`` call it, and through a real bash where there is one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_FORUM, Cli


def bash_words(cli: Cli, line: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash completion offers for the last word of ``line`` (a trailing space: a
    new, empty word), exactly as the bash script asks for it."""
    words = line.split()
    cword = len(words) - (0 if line.endswith(" ") else 1)
    result = cli(
        env={
            "_FORUMCTL_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(cword),
            **(env or {}),
        }
    )
    assert (result.exit_code, result.stderr) == (0, "")
    return result.stdout.split("\n")[:-1] if result.stdout.strip() else []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("show speaker ", ["sheng-shihao", "yang-kaizhong", "zhang-xueliang"],
                     id="speaker-ids"),
        pytest.param("show speaker y", ["yang-kaizhong"], id="speaker-id-begun"),
        pytest.param("rm speaker z", ["zhang-xueliang"], id="rm-speaker"),
        pytest.param("merge speaker sheng-shihao y", ["yang-kaizhong"], id="merge-into"),
        pytest.param("show forum ", [SAMPLE_FORUM], id="forum-ids"),
        pytest.param("show session 2020", [f"{SAMPLE_FORUM}/"], id="session-forum-first"),
        pytest.param(f"edit session {SAMPLE_FORUM}/p", [f"{SAMPLE_FORUM}/pilot-free-trade-zone"],
                     id="session-ids"),
        pytest.param("log speaker sh", ["sheng-shihao"], id="log-kind-id"),
        pytest.param("list sessions --forum ", [SAMPLE_FORUM], id="forum-option"),
        pytest.param("export markdown --forum 2", [SAMPLE_FORUM], id="export-forum"),
        pytest.param("list sessions --speaker z", ["zhang-xueliang"], id="speaker-option"),
        pytest.param("new session --chair y", ["yang-kaizhong"], id="chair"),
        pytest.param("new session --talk sheng-shihao,z", ["sheng-shihao,zhang-xueliang"],
                     id="talk-speakers"),
        pytest.param("new session --talk 'sheng-shihao: T", [], id="talk-title"),
        pytest.param("edit session x --add-chair y", ["yang-kaizhong"], id="edit-add-chair"),
        pytest.param("new session --kind p", ["plenary", "parallel", "panel", "poster"],
                     id="session-kind"),
        pytest.param("list sessions --kind w", ["workshop"], id="list-kind"),
        pytest.param("list forums --kind w", [], id="forum-kind-is-free-text"),
        pytest.param("new session --status c", ["cancelled"], id="status"),
        pytest.param("new forum --outcome ", [], id="item-short-form"),
        pytest.param("new forum --timezone Asia/Shang", ["Asia/Shanghai"], id="timezone"),
        pytest.param("list speakers --format ", ["table", "json", "csv"], id="format"),
        pytest.param("validate --format s", ["sarif"], id="validate-format"),
        pytest.param("export frab", ["frab-xml", "frab-json"], id="export-formats"),
        pytest.param("import ", ["frab", "pretalx", "csv", "ical"], id="import-kinds"),
        pytest.param("sh", ["show"], id="commands"),
    ],
)  # fmt: skip
def test_bash_completes_ids_enums_and_formats(
    cli: Cli, sample_archive: Path, line: str, expected: list[str]
) -> None:
    assert bash_words(cli, f"forumctl --archive {sample_archive} {line}") == expected


def test_the_archive_is_found_as_commands_find_it(
    cli: Cli, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = "forumctl show speaker sh"
    by_env = {"FORUMCTL_ARCHIVE": str(sample_archive)}
    assert bash_words(cli, line, env=by_env) == ["sheng-shihao"]
    assert bash_words(cli, f"forumctl -C {sample_archive} show speaker sh") == ["sheng-shihao"]
    assert bash_words(cli, f"forumctl show speaker --archive {sample_archive} sh") == [
        "sheng-shihao"
    ]
    monkeypatch.chdir(sample_archive / "forums")
    assert bash_words(cli, line) == ["sheng-shihao"]


def test_without_an_archive_there_is_nothing_to_complete_and_no_error(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    unreadable = tmp_path / "archive"
    unreadable.mkdir()
    (unreadable / "forumctl.toml").write_text("format = 1\n", encoding="utf-8")
    (unreadable / "speakers").write_text("not a directory", encoding="utf-8")

    assert bash_words(cli, "forumctl show speaker ") == []
    assert bash_words(cli, "forumctl --archive nowhere show forum ") == []
    assert bash_words(cli, "forumctl --archive archive show speaker ") == []


def test_zsh_and_fish_get_the_same_values_in_their_formats(cli: Cli, sample_archive: Path) -> None:
    args = f"forumctl --archive {sample_archive} show speaker y"
    zsh = cli(env={"_FORUMCTL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": args})
    fish = cli(
        env={
            "_FORUMCTL_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": args,
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        }
    )

    assert (zsh.exit_code, zsh.stdout, zsh.stderr) == (
        0,
        "_arguments '*: :((\"yang-kaizhong\"))'\n",
        "",
    )
    assert (fish.exit_code, fish.stdout, fish.stderr) == (0, "yang-kaizhong\n", "")


@pytest.mark.parametrize(
    ("shell", "begins"),
    [
        ("bash", "_forumctl_completion() {"),
        ("zsh", "#compdef forumctl"),
        ("fish", "complete --command forumctl --no-files"),
    ],
)
def test_show_completion_prints_the_named_shells_script(cli: Cli, shell: str, begins: str) -> None:
    for args in (("--show-completion", shell), (f"--show-completion={shell}",)):
        result = cli(*args)
        assert (result.exit_code, result.stderr) == (0, "")
        assert result.stdout.startswith(begins)
        assert "_FORUMCTL_COMPLETE=complete_" + shell in result.stdout


def test_show_completion_without_a_shell_detects_it_and_names_a_bad_one(cli: Cli) -> None:
    detected = cli("--show-completion", env={"SHELL": "/bin/zsh"})
    unknown = cli("--show-completion", "tcsh")

    assert detected.exit_code == 0
    assert detected.stdout.startswith(("#compdef forumctl", "_forumctl_completion() {"))
    assert (unknown.exit_code, unknown.stdout) == (2, "")
    assert unknown.stderr == (
        "forumctl: error: --show-completion: no completion for the shell 'tcsh'"
        " (name one of bash, zsh, fish, powershell, pwsh)\n"
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash on this machine")
def test_real_bash_completes_through_the_shown_script(sample_archive: Path) -> None:
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "forumctl").exists()
    script = (
        "source <(forumctl --show-completion bash)\n"
        "COMP_WORDS=(forumctl show speaker y); COMP_CWORD=3\n"
        "_forumctl_completion forumctl\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
        "COMP_WORDS=(forumctl new session --kind pa); COMP_CWORD=4\n"
        "_forumctl_completion forumctl\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FORUMCTL_ARCHIVE": str(sample_archive),
        "HOME": str(sample_archive.parent),
    }
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True, text=True, env=env, check=False, timeout=60,
    )  # fmt: skip

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "yang-kaizhong\nparallel\npanel\n"
