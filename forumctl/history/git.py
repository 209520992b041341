"""The archive's git repository, read through git's own plumbing.

Chosen by measurement (docs/performance.md, ``benchmarks/git_readers.py``): reading the
files that changed between two commits is fastest with ``git diff-tree`` and
``git cat-file --batch``, ahead of dulwich and pygit2, whose import alone costs more;
git is there anyway where there is a repository, so this adds no dependency.

Nothing is checked out: contents are read from git's object store (``cat-file --batch``,
one process for the whole command) and, for the working tree, from the files themselves.
Paths here are relative to the archive root, which may be a subdirectory of the
repository (its ``prefix``).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from forumctl.errors import GitError, InvalidRecord

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's own, in every repository
_FILE_MODES = frozenset({"000000", "100644", "100755"})  # absent, a file, an executable one
_ANCESTOR = re.compile(r"[~^](\d*)$")
WORKING_TREE = "working tree"


@dataclass(frozen=True, slots=True)
class Revision:
    """One side of a comparison: a commit (``commit`` set), or the working tree."""

    label: str  # as the user named it ("HEAD~1", "v1.0"), or "working tree"
    commit: str | None  # the full commit ID; None for the working tree

    @property
    def short(self) -> str:
        return self.label if self.commit is None else self.commit[:12]


@dataclass(frozen=True, slots=True)
class ChangedFile:
    """A file that differs between two revisions: its blob on each side (None where it
    does not exist; the working tree's files are read from disk, ``new`` is "")."""

    path: str  # relative to the archive root
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class Commit:
    commit: str
    parents: tuple[str, ...]
    author: str
    date: str  # ISO 8601, the author's
    subject: str
    changes: tuple[ChangedFile, ...]


def _run(argv: Sequence[str], cwd: Path, stdin: bytes | None = None) -> tuple[int, bytes, str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_LITERAL_PATHSPECS": "1"}
    try:
        done = subprocess.run(
            ["git", *argv], cwd=cwd, input=stdin, capture_output=True, env=env, check=False
        )
    except FileNotFoundError:
        raise GitError(
            "git is not installed (diff, log and the Changes page read the archive's history)",
            hint="install git",
        ) from None
    return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace").strip()


def _deepen_hint(revision: str) -> str:
    """What to fetch in a shallow clone to reach ``revision``."""
    found = _ANCESTOR.search(revision)
    if found:
        depth = int(found.group(1) or 1) + 1
        return (
            f"this is a shallow clone: fetch more history with 'git fetch --deepen={depth}',"
            " or check out with fetch-depth: 0"
        )
    return (
        f"this is a shallow clone: fetch it with 'git fetch origin {revision}',"
        " or all history with 'git fetch --unshallow'"
    )


class Repository:
    """The git repository holding an archive. Open it with :meth:`containing`."""

    def __init__(self, top: Path, prefix: str, shallow: frozenset[str]) -> None:
        self.top = top
        self.prefix = prefix  # the archive root inside the repository: "" or "dir/"
        self.shallow = shallow  # the commits whose parents a shallow clone does not have
        self._reader: _BlobReader | None = None

    @classmethod
    def containing(cls, root: Path) -> Repository:
        """The repository the archive at ``root`` is in; GitError when it is in none."""
        code, out, err = _run(
            ["rev-parse", "--show-toplevel", "--show-prefix", "--git-path", "shallow"], root
        )
        if code != 0:
            if "not a git repository" in err:
                raise GitError(
                    f"the archive {root} is not in a git repository",
                    hint="diff and log read its git history: run 'git init' and commit it",
                )
            raise GitError(f"git failed in {root}: {err.splitlines()[-1] if err else code}")
        top, prefix, shallow_file = out.decode("utf-8").split("\n")[:3]
        shallow_path = Path(shallow_file) if os.path.isabs(shallow_file) else root / shallow_file
        try:
            shallow = frozenset(shallow_path.read_text(encoding="ascii").split())
        except FileNotFoundError:
            shallow = frozenset()
        return cls(Path(top), prefix, shallow)

    def git(self, *argv: str, stdin: bytes | None = None) -> bytes:
        code, out, err = _run(argv, self.top, stdin)
        if code != 0:
            raise GitError(f"git {argv[0]} failed: {err.splitlines()[-1] if err else code}")
        return out

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    # -- revisions -----------------------------------------------------------------

    def resolve(self, revision: str) -> Revision:
        """The commit a revision names; GitError for one that is not there, saying what
        to fetch when the clone is shallow."""
        if "\n" not in revision and revision.strip():
            found = self._object(f"{revision}^{{commit}}")  # through the one cat-file process
            if found is not None and found[1] == "commit":
                return Revision(revision, found[0])
        if self.shallow:
            hint = _deepen_hint(revision)
        elif not self._has_commits():
            hint = "the repository has no commit yet: commit the archive first"
        else:
            hint = "'git log --oneline' lists the commits; tags and branch names work too"
        raise GitError(f"unknown revision '{revision}'", hint=hint)

    def _has_commits(self) -> bool:
        return _run(["rev-parse", "--verify", "--quiet", "HEAD"], self.top)[0] == 0

    def _pathspecs(self, paths: Sequence[str]) -> list[str]:
        return [self.prefix + path for path in paths] if paths else [self.prefix or "."]

    def _relative(self, path: str) -> str:
        return path[len(self.prefix) :]

    def changes(self, old: Revision, new: Revision, paths: Sequence[str] = ()) -> list[ChangedFile]:
        """The files under the archive (or under ``paths``, relative to its root) that
        differ between two revisions; ``old`` must be a commit."""
        assert old.commit is not None
        specs = ["--", *self._pathspecs(paths)]
        if new.commit is not None:
            raw = self.git("diff-tree", "-r", "-z", "--no-renames", "--no-abbrev",
                           old.commit, new.commit, *specs)  # fmt: skip
            return list(self._parse_raw(raw))
        # against the working tree: what git diff sees, and files git does not track yet
        raw = self.git("diff", "--raw", "-z", "--no-renames", "--no-abbrev", "--no-ext-diff",
                       "--ignore-submodules", old.commit, *specs)  # fmt: skip
        found = [
            ChangedFile(c.path, c.old, None if c.new is None else "") for c in self._parse_raw(raw)
        ]
        untracked = self.git("ls-files", "-z", "--others", "--exclude-standard", "--full-name",
                             *specs)  # fmt: skip
        found += [
            ChangedFile(self._relative(path), None, "")
            for path in untracked.decode("utf-8", "surrogateescape").split("\0")
            if path
        ]
        return sorted(found, key=lambda change: change.path)

    def _parse_raw(self, raw: bytes) -> Iterator[ChangedFile]:
        """Entries of ``--raw -z`` output: ``:mode mode old new status\\0path\\0``. Only
        regular files count (not links or submodules); against the working tree, the new
        side's ID is zeros (the file is read from disk)."""
        fields = raw.decode("utf-8", "surrogateescape").split("\0")
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            if not meta.startswith(":"):
                continue
            old_mode, new_mode, old, new, status = meta[1:].split(" ")
            if not {old_mode, new_mode} <= _FILE_MODES:
                continue
            yield ChangedFile(
                self._relative(path),
                None if status == "A" else old,
                None if status == "D" else new,
            )

    # -- contents --------------------------------------------------------------------

    def read(self, revision: Revision, path: str) -> bytes | None:
        """A file of the archive at a revision (None when it is not there)."""
        if revision.commit is None:
            return _working_file(os.path.join(self.top, self.prefix + path))
        return self.blob(f"{revision.commit}:{self.prefix}{path}")

    def blob(self, name: str) -> bytes | None:
        """A file's content by name (a blob ID, or ``commit:path``); None when there is none."""
        found = self._object(name)
        return found[2] if found is not None and found[1] == "blob" else None

    def _object(self, name: str) -> tuple[str, str, bytes] | None:
        if self._reader is None:
            self._reader = _BlobReader(self.top)
        return self._reader.read(name)

    def content(self, revision: Revision, change: ChangedFile, side: str) -> bytes | None:
        """One side ("old" or "new") of a changed file."""
        name = change.old if side == "old" else change.new
        if name is None:
            return None
        if name == "":
            return self.read(revision, change.path)
        return self.blob(name)

    # -- history ---------------------------------------------------------------------

    def log(self, paths: Sequence[str]) -> Iterator[Commit]:
        """The commits (newest first, merges left out) that changed files under
        ``paths``, each with those files' changes."""
        raw = self.git("log", "--no-merges", "--topo-order", "-z", "--raw", "--no-renames",
                       "--no-abbrev", "--format=%x1e%H%x1f%P%x1f%an%x1f%aI%x1f%s",
                       "--", *self._pathspecs(paths))  # fmt: skip
        for chunk in raw.split(b"\x1e")[1:]:
            header, _, body = chunk.partition(b"\0")
            commit, parents, author, date, subject = header.decode("utf-8", "replace").split("\x1f")
            yield Commit(
                commit,
                tuple(parents.split()),
                author,
                date,
                subject,
                tuple(self._parse_raw(body.lstrip(b"\n"))),
            )

    def tags(self, revision: str = "HEAD") -> list[tuple[str, str]]:
        """(tag, commit) of the tags on ``revision``'s history, oldest first."""
        if not self._has_commits():
            return []
        raw = self.git("for-each-ref", "--merged", revision, "--sort=creatordate",
                       "--format=%(refname:short)%00%(*objectname)%00%(objectname)",
                       "refs/tags")  # fmt: skip
        found = []
        for line in raw.decode("utf-8", "replace").splitlines():
            name, peeled, target = line.split("\0")
            found.append((name, peeled or target))
        return found

    def describe(self) -> str | None:
        """``git describe --tags --always`` of HEAD, "-dirty" when the archive has
        uncommitted changes; None before the first commit."""
        if not self._has_commits():
            return None
        described = self.git("describe", "--tags", "--always", "--abbrev=12").decode().strip()
        specs = ["--", self.prefix or "."]
        dirty = _run(["diff", "--quiet", "HEAD", *specs], self.top)[0] != 0 or bool(
            self.git("ls-files", "--others", "--exclude-standard", *specs)
        )
        return f"{described}-dirty" if dirty else described


def describe(root: Path) -> str | None:
    """:meth:`Repository.describe` of the repository holding the archive at ``root``;
    None when there is none (or no git, or no commit yet)."""
    try:
        repo = Repository.containing(root)
    except GitError:
        return None
    return repo.describe()


def _working_file(path: str) -> bytes | None:
    """The bytes of a file in the working tree; None when no regular file is there. git
    reports a FIFO where a tracked file was as changed, and lists an untracked link to a
    device: opened without O_NONBLOCK the one waits for a writer for ever, the other may
    never end."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:  # a link in a loop is no file either
            return None
        raise InvalidRecord(f"cannot read: {error.strerror}", path=path) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # (a directory too: git lists it as a file)
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


class _BlobReader:
    """One ``git cat-file --batch`` process, asked for one object at a time (revisions are
    resolved through it too: each git process started costs more than what it does)."""

    def __init__(self, top: Path) -> None:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        self._process = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )

    def read(self, name: str) -> tuple[str, str, bytes] | None:
        """(object ID, type, content) of the object ``name`` names; None when none."""
        stdin: IO[bytes] | None = self._process.stdin
        stdout: IO[bytes] | None = self._process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3:  # "<name> missing" or "ambiguous"
            return None
        content = stdout.read(int(header[2]) + 1)[:-1]
        return header[0].decode("ascii"), header[1].decode("ascii"), content

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
