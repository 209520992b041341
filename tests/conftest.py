"""Shared fixtures for every test module.

- ``cli``: runs forumctl in-process with a fixed terminal (100 columns, no colour) and
  returns the typer Result (``.exit_code``, ``.stdout``, ``.stderr`` apart).
- ``sample_archive``: a temporary copy of the bundled sample archive ``archive/``.
- ``make_archive``: builds a small archive from ``{relative path: TOML text}``.
- ``unreadable(directory)``: listing or searching that directory fails from then on, as
  after ``chmod 000`` (tests may run as root, whom permissions do not stop).
- ``lines(text)``: the lines of an output with trailing spaces removed (rich pads table
  rows to the terminal width), for comparing whole outputs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from forumctl.cache import CACHE_DIR
from forumctl.cli.app import app
from forumctl.statedir import STATE_DIR

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "archive"
SAMPLE_FORUM = "2020-zhejiang-social-science-annual-conference-yrd-forum"
CLI_ENV: dict[str, str | None] = {
    "COLUMNS": "100",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "FORCE_COLOR": None,
    "FORUMCTL_ARCHIVE": None,
    "FORUMCTL_DEBUG": None,
}
MANIFEST = 'format = 1\nname = "Test archive"\ntimezone = "Asia/Shanghai"\n'

Cli = Callable[..., Result]
BROKEN_SESSION = f"forums/{SAMPLE_FORUM}/sessions/pilot-free-trade-zone.toml"


def break_two_files(root: Path) -> None:
    """Make speakers/bad.toml and BROKEN_SESSION of a sample archive TOML syntax errors."""
    (root / "speakers/bad.toml").write_text('name = "Bad\n', encoding="utf-8")
    with open(root / BROKEN_SESSION, "a", encoding="utf-8") as handle:
        handle.write("title = \n")


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip().split("\n")]


@pytest.fixture
def cli() -> Cli:
    """``cli("--archive", path, "list", "forums", input="answers\\n", env={...})``."""
    runner = CliRunner(env=CLI_ENV)

    def run(
        *args: str | Path, input: str | None = None, env: dict[str, str] | None = None
    ) -> Result:
        return runner.invoke(app, [str(arg) for arg in args], input=input, env=env)

    return run


@pytest.fixture(autouse=True)
def user_cache_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The user cache directory of the parse cache (its secret, the caches of read-only
    archives), kept out of the real home."""
    home = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def sample_archive(tmp_path: Path) -> Path:
    return copy_as_committed(SAMPLE, tmp_path / "archive")


def copy_as_committed(source: Path, target: Path) -> Path:
    """A copy of an archive of the repository without what forumctl leaves beside it when
    run there (README's first command caches the sample's parse): the tests see the
    files as committed."""
    left_beside = shutil.ignore_patterns(CACHE_DIR, STATE_DIR)
    return Path(shutil.copytree(source, target, ignore=left_beside))


@pytest.fixture
def make_archive(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """``make_archive({"speakers/a.toml": 'name = "A"'})``: the root of a new archive
    holding those files (and a default manifest unless given)."""

    def build(files: dict[str, str]) -> Path:
        root = tmp_path / "built"
        for rel, text in {"forumctl.toml": MANIFEST, **files}.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return build


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    scandir, stat = os.scandir, os.stat

    def refuse(path: Any, directory: Path) -> None:
        if Path(os.fsdecode(path)).is_relative_to(directory):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))

    def make(directory: Path) -> None:
        def guarded_scandir(path: Any = ".") -> Any:
            refuse(path, directory)
            return scandir(path)

        def guarded_stat(path: Any, *args: Any, **kwargs: Any) -> Any:
            if Path(os.fsdecode(path)) != directory:  # the directory itself can be stat'ed
                refuse(path, directory)
            return stat(path, *args, **kwargs)

        monkeypatch.setattr(os, "scandir", guarded_scandir)
        monkeypatch.setattr(os, "stat", guarded_stat)

    return make
