"""Small git repositories holding an archive, for the history tests: ``GitArchive(path)``
writes files, commits and tags with a fixed author and dates (so commits are the same on
every run), and clones itself shallowly."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from base_archive import BASE


class GitArchive:
    def __init__(self, root: Path, files: dict[str, str] | None = None) -> None:
        self.root = root
        self.commits = 0
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.commit("the archive", BASE if files is None else files)

    def git(self, *args: str) -> str:
        stamp = f"2026-01-{self.commits + 1:02d}T10:00:00+00:00"
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Ed Itor",
            "GIT_AUTHOR_EMAIL": "ed@example.org",
            "GIT_COMMITTER_NAME": "Ed Itor",
            "GIT_COMMITTER_EMAIL": "ed@example.org",
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    def write(self, files: dict[str, str | None]) -> None:
        """Write files (None removes one), in the working tree only."""
        for rel, text in files.items():
            path = self.root / rel
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def commit(self, message: str, files: dict[str, str | None] | dict[str, str]) -> str:
        self.write(dict(files))
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        self.commits += 1
        return self.git("rev-parse", "HEAD").strip()

    def tag(self, name: str) -> None:
        self.git("tag", name)

    def shallow_clone(self, target: Path, depth: int = 1) -> Path:
        subprocess.run(
            ["git", "clone", "-q", "--depth", str(depth), f"file://{self.root}", str(target)],
            check=True,
            capture_output=True,
        )
        return target
