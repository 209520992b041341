"""forumctl init: a new archive from flags or prompts; refuses an existing archive."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, Cli
from workflow_linters import lint_workflow

from forumctl import ci


def test_init_with_flags_writes_manifest_and_empty_directories(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "my-archive"
    result = cli(
        "init", root, "--no-input", "--name", "Proceedings", "--timezone", "Asia/Shanghai",
        "--language", "en",
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout == f"{root}/forumctl.toml\n"
    assert (root / "forumctl.toml").read_text(encoding="utf-8") == (
        "#:schema ./schemas/manifest.schema.json\n"
        "format = 2\n"
        'name = "Proceedings"\n'
        'timezone = "Asia/Shanghai"\n'
        'language = "en"\n'
    )
    assert sorted(p.name for p in root.iterdir()) == [
        ".forumctl", ".gitignore", ".taplo.toml", "forumctl.toml", "forums", "schemas", "speakers"
    ]  # fmt: skip
    # forumctl's state and the default export folders are no one's history
    assert (root / ".gitignore").read_text(encoding="utf-8") == (
        ".forumctl/\n/proceedings/\n/site/\n"
    )
    # taplo maps the records to their schemas, as in the sample archive
    taplo = (root / ".taplo.toml").read_text(encoding="utf-8")
    assert taplo == (SAMPLE / ".taplo.toml").read_text(encoding="utf-8")
    assert sorted(p.name for p in (root / ".forumctl").iterdir()) == ["lock"]
    assert sorted(p.name for p in (root / "schemas").iterdir()) == [
        "forum.schema.json", "manifest.schema.json", "session.schema.json", "speaker.schema.json"
    ]  # fmt: skip
    assert not any((root / "forums").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-archive"]  # nothing outside


def test_init_prompts_for_what_is_missing(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "asked"
    result = cli("init", root, input="Asked archive\nMars/Base\nEurope/Berlin\nde\n")
    assert result.exit_code == 0, result.stderr
    assert "is not an IANA timezone name" in result.stderr  # asked again
    assert (root / "forumctl.toml").read_text(encoding="utf-8").splitlines()[2:] == [
        'name = "Asked archive"',
        'timezone = "Europe/Berlin"',
        'language = "de"',
    ]


def test_init_refuses_an_existing_archive(cli: Cli, sample_archive: Path) -> None:
    before = (sample_archive / "forumctl.toml").read_bytes()
    result = cli("init", sample_archive, "--no-input", "--name", "Again")
    assert result.exit_code == 2
    assert result.stderr == (
        f"forumctl: error: {sample_archive} already holds an archive (forumctl.toml exists)"
        " (choose another directory)\n"
    )
    assert (sample_archive / "forumctl.toml").read_bytes() == before


def test_init_inside_an_archive_refuses_before_asking_anything(
    cli: Cli, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sample_archive)
    here = cli("init", input="Name\n")
    inside = cli("init", "forums/nested", input="Name\n")

    assert (here.exit_code, here.stdout) == (2, "")
    assert here.stderr == (
        "forumctl: error: . already holds an archive (forumctl.toml exists)"
        " (choose another directory)\n"
    )
    assert (inside.exit_code, inside.stdout) == (2, "")
    assert inside.stderr == (
        f"forumctl: error: forums/nested is inside the archive {sample_archive}"
        " (make the new one outside it)\n"
    )
    assert not (sample_archive / "forums/nested").exists()


def test_init_says_what_to_do_next(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("init", "new-archive", "--name", "N")  # every required flag: nothing asked
    assert (result.exit_code, result.stdout) == (0, "new-archive/forumctl.toml\n")
    assert result.stderr == (
        'add a forum with: forumctl -C new-archive new forum "TITLE"'
        " --start YYYY-MM-DD --end YYYY-MM-DD\n"
    )


def test_init_without_name_and_no_input_names_the_flag(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "x", "--no-input")
    assert result.exit_code == 2
    assert result.stderr == "forumctl: error: --name is required (or leave out --no-input)\n"
    assert not (tmp_path / "x").exists()


def test_init_with_a_directory_of_the_tz_database_is_a_usage_error(
    cli: Cli, tmp_path: Path
) -> None:
    for zone in ("America", "Etc", "a" * 300):
        result = cli("init", tmp_path / "new", "--name", "X", "--timezone", zone, "--no-input")
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"forumctl: error: --timezone '{zone}' is not an IANA timezone name"
            " (e.g. Asia/Shanghai)\n"
        )
        assert not (tmp_path / "new" / "forumctl.toml").exists()


def test_a_misspelt_timezone_suggests_the_close_one(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "a", "--name", "A", "--timezone", "Asia/Shangai", "--no-input")
    assert result.exit_code == 2
    assert result.stderr == (
        "forumctl: error: --timezone 'Asia/Shangai' is not an IANA timezone name"
        " (did you mean 'Asia/Shanghai'?)\n"
    )


def test_init_dry_run_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "planned"
    result = cli("init", root, "--no-input", "--name", "Planned", "--dry-run")
    assert (result.exit_code, result.stderr) == (0, "")
    headers = [line for line in result.stdout.splitlines() if line.startswith("+++ ")]
    assert headers == [
        "+++ b/.gitignore",
        "+++ b/.taplo.toml",
        "+++ b/forumctl.toml",
        "+++ b/schemas/forum.schema.json",
        "+++ b/schemas/manifest.schema.json",
        "+++ b/schemas/session.schema.json",
        "+++ b/schemas/speaker.schema.json",
    ]
    assert "+.forumctl/\n" in result.stdout
    assert not root.exists()


def test_init_ci_github_writes_the_workflow_and_the_pre_commit_config(
    cli: Cli, tmp_path: Path
) -> None:
    root = tmp_path / "repository"
    result = cli("init", root, "--no-input", "--name", "P", "--ci", "github", "--dry-run")
    assert (result.exit_code, result.stderr) == (0, "")
    headers = [line for line in result.stdout.splitlines() if line.startswith("+++ ")]
    assert headers[:3] == [
        "+++ b/.github/workflows/forumctl.yml",
        "+++ b/.gitignore",
        "+++ b/.pre-commit-config.yaml",
    ]
    assert f"+    rev: {ci.RELEASE_TAG}\n" in result.stdout
    assert not root.exists()
    result = cli("init", root, "--no-input", "--name", "P", "--ci", "github")
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{root}/forumctl.toml\n", "")
    workflow = root / ".github/workflows/forumctl.yml"
    assert workflow.read_text(encoding="utf-8") == ci.github_workflow()
    assert (root / ".pre-commit-config.yaml").read_text(encoding="utf-8") == (
        ci.pre_commit_config()
    )
    assert lint_workflow(workflow) == []
    checked = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert (checked.returncode, checked.stdout) == (0, "")


def test_init_ci_keeps_a_pre_commit_config_that_exists(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "repository"
    root.mkdir()
    (root / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    result = cli("init", root, "--no-input", "--name", "P", "--ci", "github")
    assert result.exit_code == 0
    assert result.stderr == (
        f"forumctl: warning: {root}/.pre-commit-config.yaml exists: left as it is (forumctl's"
        " own: `forumctl init --ci github --dry-run` of an empty directory)\n"
    )
    assert (root / ".pre-commit-config.yaml").read_text(encoding="utf-8") == "repos: []\n"
    assert (root / ".github/workflows/forumctl.yml").is_file()


def test_init_ci_takes_only_known_kinds(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "r", "--no-input", "--name", "P", "--ci", "gitlab")
    assert result.exit_code == 2
    assert result.stderr == (
        "forumctl: error: invalid value for '--ci': 'gitlab' is not one of 'github'"
        " (see 'forumctl init --help')\n"
    )
