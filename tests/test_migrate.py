"""forumctl migrate: each step tested on a real archive of the format it starts from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Cli

from forumctl.archive import Archive
from forumctl.errors import UsageError
from forumctl.migrate import MIGRATIONS, migrate_data, read_data, steps
from forumctl.records import FORMAT_VERSION, FORMATS
from forumctl.schema import KINDS, schema_text
from forumctl.validate import validate

FORMAT_1 = Path(__file__).parent / "data" / "format-1"


@pytest.fixture
def format_1(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FORMAT_1, tmp_path / "archive"))


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.relative_to(root).as_posix().startswith(".forumctl")
    }


def test_every_format_but_the_newest_has_a_step() -> None:
    assert sorted(MIGRATIONS) == list(FORMATS[:-1])
    assert [m.source for m in steps(1, FORMAT_VERSION)] == list(range(1, FORMAT_VERSION))


def test_the_step_from_1_to_2_is_data_to_data(format_1: Path) -> None:
    before = read_data(Archive.open(format_1))
    after = migrate_data(before, 1, 2)
    assert after["forumctl.toml"] == {**before["forumctl.toml"], "format": 2}
    assert {rel: data for rel, data in after.items() if rel != "forumctl.toml"} == {
        rel: data for rel, data in before.items() if rel != "forumctl.toml"
    }
    assert len(after) == 10  # the manifest, 3 speakers, the forum and its 5 sessions


def test_migrate_a_format_1_archive(cli: Cli, format_1: Path) -> None:
    before = _files(format_1)
    findings_before = validate(Archive.open(format_1)).findings
    result = cli("--archive", format_1, "migrate")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        "migrated the archive from format 1 to 2 (5 files): format 1 to 2: the manifest says"
        " format = 2\n"
    )
    after = _files(format_1)
    # the manifest edited in place, its comments kept
    assert after["forumctl.toml"] == before["forumctl.toml"].replace(
        "format = 1  #", "format = 2  #"
    )
    for kind in KINDS:
        assert after[f"schemas/{kind}.schema.json"] == schema_text(kind, 2)
    unchanged = {rel for rel in before if rel != "forumctl.toml" and not rel.startswith("schemas/")}
    assert {rel: after[rel] for rel in unchanged} == {rel: before[rel] for rel in unchanged}
    assert set(after) == set(before)
    archive = Archive.open(format_1)
    assert archive.format == 2
    assert validate(archive).findings == findings_before  # the same four empty sessions
    again = cli("--archive", format_1, "migrate")
    assert (again.exit_code, again.stderr) == (
        0,
        "the archive is format 2 already: nothing to migrate\n",
    )


def test_dry_run_prints_the_diff_and_writes_nothing(cli: Cli, format_1: Path) -> None:
    before = _files(format_1)
    result = cli("--archive", format_1, "migrate", "--dry-run", "--to", "2")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "--- a/forumctl.toml\n+++ b/forumctl.toml\n@@ -1,6 +1,6 @@\n"
        " #:schema ./schemas/manifest.schema.json\n"
    )
    assert "-format = 1  # the format this archive was written in\n" in result.stdout
    assert "+format = 2  # the format this archive was written in\n" in result.stdout
    assert '-  "title": "forumctl session (archive format 1)",\n' in result.stdout
    assert result.stderr.startswith("would migrate the archive from format 1 to 2 (5 files)")
    assert _files(format_1) == before


def test_format_2_keys_in_a_format_1_archive_ask_for_migrate(cli: Cli, format_1: Path) -> None:
    speaker = format_1 / "speakers" / "sheng-shihao.toml"
    text = speaker.read_text(encoding="utf-8")
    name = 'name = "Sheng Shihao"\n'
    speaker.write_text(text.replace(name, name + 'aliases = ["盛世豪"]\n'), encoding="utf-8")
    finding = cli("--archive", format_1, "validate", "--select", "FC003")
    assert finding.exit_code == 1
    assert (
        "FC003  'aliases' is a format-2 key and this archive is format 1; run forumctl migrate"
        in finding.stdout
    )
    assert cli("--archive", format_1, "migrate").exit_code == 0
    assert cli("--archive", format_1, "validate", "--select", "FC003").exit_code == 0


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("1", "the archive is format 2; migrate goes forward only, not to 1 (keep a copy of"
         " the archive in its old format under version control)"),
        ("3", "no archive format 3 (this forumctl knows formats 1 to 2)"),
    ],
)  # fmt: skip
def test_targets_it_cannot_reach(cli: Cli, format_1: Path, to: str, message: str) -> None:
    assert cli("--archive", format_1, "migrate").exit_code == 0
    result = cli("--archive", format_1, "migrate", "--to", to)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"forumctl: error: {message}\n"
    with pytest.raises(UsageError):
        steps(2, int(to))


def test_a_newer_format_is_upgrade_forumctl(cli: Cli, format_1: Path) -> None:
    manifest = format_1 / "forumctl.toml"
    manifest.write_text(manifest.read_text().replace("format = 1", "format = 3"))
    result = cli("--archive", format_1, "migrate")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "forumctl: error: forumctl.toml:3: archive format 3 is newer than what this forumctl"
        " reads (formats 1 to 2) (upgrade forumctl)\n"
    )
