"""Receipts of unchanged imports: a re-import that changed nothing is not planned again
while the schedule, the options and every file it read are as they were; any change to
one of them (or --no-cache, --dry-run) plans it again. Output is the same either way."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Cli

from forumctl import cache as cache_module
from forumctl.importers import plan as plan_module
from forumctl.importers import receipt

DATA = Path(__file__).parent / "data" / "import"
MANIFEST_2 = 'format = 2\nname = "Imports"\ntimezone = "Europe/Berlin"\n'
RELAY_WARNING = (
    "frab.xml:78: 'Opening: Welcome to XYZ' in Saal 2 relays the one in Saal 1: a session"
    " without speakers\n"
)


@pytest.fixture
def archive(
    make_archive: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> Path:
    monkeypatch.setattr(cache_module, "RACY_WINDOW_NS", 0)  # trust files written just now
    return make_archive({"forumctl.toml": MANIFEST_2})


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The forum of every import planned from here on."""
    planned: list[str] = []
    real = plan_module.plan_import

    def counting(*args: object, **kwargs: object) -> plan_module.ImportPlan:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        planned.append(found.forum_id)
        return found

    monkeypatch.setattr(plan_module, "plan_import", counting)
    return planned


def _import(
    cli: Cli, archive: Path, source: Path, *options: str, before: tuple[str, ...] = ()
) -> tuple[str, str]:
    """stdout and stderr of ``forumctl [before] import frab SOURCE [options]``."""
    result = cli("--archive", archive, *before, "import", "frab", source, *options)
    assert result.exit_code == 0, result.stderr
    return result.stdout, result.stderr


def _source(tmp_path: Path) -> Path:
    return Path(shutil.copy(DATA / "frab.xml", tmp_path / "frab.xml"))


@pytest.fixture
def receipted(cli: Cli, archive: Path, tmp_path: Path, plans: list[str]) -> Path:
    """A schedule imported, then imported again unchanged (which keeps the receipt)."""
    source = _source(tmp_path)
    _import(cli, archive, source)
    _import(cli, archive, source)
    assert len(plans) == 2
    return source


def test_an_unchanged_reimport_is_not_planned_again(
    cli: Cli, archive: Path, tmp_path: Path, plans: list[str]
) -> None:
    source = _source(tmp_path)
    _import(cli, archive, source)  # the first import
    _, unchanged = _import(cli, archive, source)  # planned: nothing to change; receipt kept
    assert unchanged.endswith("forum xyzcon24: unchanged, nothing written\n")
    assert plans == ["xyzcon24", "xyzcon24"]
    stdout, again = _import(cli, archive, source)
    assert plans == ["xyzcon24", "xyzcon24"]  # not planned: the receipt says unchanged
    assert (stdout, again) == ("", unchanged)  # the same warnings and note
    assert f"forumctl: warning: {source.parent}/{RELAY_WARNING}" in again
    assert again.endswith("forum xyzcon24: unchanged, nothing written\n")


@pytest.mark.parametrize(
    "touch",
    [
        "forums/xyzcon24/sessions/opening-welcome-to-xyz.toml",  # a session edited
        "speakers/jurgen-muller.toml",  # a speaker edited
        "forumctl.toml",  # the manifest (its timezone is the default)
    ],
)
def test_a_changed_file_plans_the_import_again(
    cli: Cli, archive: Path, receipted: Path, plans: list[str], touch: str
) -> None:
    path = archive / touch
    path.write_text(path.read_text() + "\n")  # the same data, another stat
    _import(cli, archive, receipted)
    assert len(plans) == 3


def test_a_new_or_removed_speaker_file_plans_the_import_again(
    cli: Cli, archive: Path, receipted: Path, plans: list[str]
) -> None:
    (archive / "speakers/someone-new.toml").write_text('name = "Someone New"\n')
    _import(cli, archive, receipted)
    assert len(plans) == 3
    _import(cli, archive, receipted)  # the receipt of the archive as it is now
    assert len(plans) == 3
    os.remove(archive / "speakers/someone-new.toml")
    _import(cli, archive, receipted)
    assert len(plans) == 4


def test_another_program_plans_again(
    cli: Cli, archive: Path, receipted: Path, plans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(receipt, "_program", lambda: "forumctl of another day")
    _import(cli, archive, receipted)
    assert len(plans) == 3


def test_another_schedule_or_option_no_cache_and_dry_run_plan_again(
    cli: Cli, archive: Path, receipted: Path, plans: list[str]
) -> None:
    _import(cli, archive, receipted, before=("--no-cache",))
    _import(cli, archive, receipted, "--dry-run")
    _import(cli, archive, receipted, "--timezone", "Europe/Berlin")
    assert len(plans) == 5
    receipted.write_text(receipted.read_text() + "\n")  # other bytes, the same schedule
    _import(cli, archive, receipted)
    assert len(plans) == 6


def test_a_hand_edit_the_source_overrides_is_undone(
    cli: Cli, archive: Path, receipted: Path
) -> None:
    session = archive / "forums/xyzcon24/sessions/opening-welcome-to-xyz.toml"
    original = session.read_text()
    session.write_text(original.replace('room = "Saal 1"', 'room = "Saal 9"'))
    stdout, _ = _import(cli, archive, receipted)
    assert stdout.startswith("moved      xyzcon24/opening-welcome-to-xyz")
    assert session.read_text() == original


def test_files_changed_as_the_import_ran_leave_no_receipt(
    cli: Cli, archive: Path, tmp_path: Path, plans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_WINDOW_NS", 3600 * 10**9)  # all files too new
    source = _source(tmp_path)
    _import(cli, archive, source)
    _import(cli, archive, source)
    _import(cli, archive, source)
    assert len(plans) == 3
    assert not (archive / ".forumctl-cache/imports.json").exists()
