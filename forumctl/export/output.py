"""Writing an export directory: only into one forumctl made (or an empty one), atomically.

A marker file lists what the last export wrote, so that a second export into the same
directory may replace those files and remove the ones no longer produced (a forum
dropped from the archive), while a directory of someone else's files is never touched
without ``--force``.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from forumctl import durable
from forumctl.errors import RecordExists, WriteError

MARKER = ".forumctl-export"
_MARKER_HEADER = "# Written by forumctl export; lists the files it wrote. Safe to delete.\n"

# A file the user owns once it exists (a site's mkdocs.yml): called with its text (None
# when there is none) and whether the last export listed it as its own, it returns the
# text to write, or None to leave the file as it is.
UserFile = Callable[[str | None, bool], str | None]


class PageWriter(Protocol):
    """Files made as they are written (an export's pages), never all in memory at once:
    their names, known before, and the call that makes each and gives it to ``put(name,
    text)``, which writes it into the staging directory (from any process)."""

    @property
    def names(self) -> Sequence[str]: ...

    def write(self, put: Callable[[str, str], None]) -> None: ...


@dataclass(frozen=True, slots=True)
class Tree:
    """What a directory exporter gives :func:`write_tree`: files of text, and pages
    written as they are made."""

    files: dict[str, str] = field(default_factory=dict)
    pages: PageWriter | None = None


def _previous_files(out: Path) -> list[str] | None:
    """The files the last export listed, or None when forumctl did not make ``out``."""
    marker = out / MARKER
    if not marker.is_file():
        return None
    # an edited or damaged marker must not stop the export: only its valid names count
    lines = marker.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def write_tree(
    out: Path,
    files: Mapping[str, str],
    *,
    pages: PageWriter | None = None,
    force: bool = False,
    user_files: Mapping[str, UserFile] | None = None,
) -> list[Path]:
    """Write ``files`` (relative path with "/" to text) and ``pages`` under ``out``;
    returns their paths.

    ``user_files`` are the files the user owns: written when their function returns text
    (normally only when they do not exist yet), never listed in the marker, never removed.

    Refuses a non-empty directory without the marker unless ``force``. The files are
    written into a hidden staging directory first (beside ``out`` when it does not exist
    yet, inside it otherwise) and synced to disk. A new ``out`` then appears in one rename,
    complete; into an existing one each file is renamed into place, the marker first, so
    that an interrupted export is still recognised as forumctl's own.
    """
    if out.exists() and not out.is_dir():
        raise WriteError("is not a directory", path=out, hint="choose a directory for --out")
    previous = _previous_files(out) if out.exists() else []
    if previous is None:
        if any(out.iterdir()) and not force:
            raise RecordExists(
                "is not empty and was not written by forumctl export",
                path=out,
                hint="choose another --out, or use --force to write into it",
            )
        previous = []
    rendered = [] if pages is None else list(pages.names)
    names = sorted([*files, *rendered])
    contents = {MARKER: _MARKER_HEADER + "".join(f"{n}\n" for n in names), **files}
    owned = user_files or {}
    for name, decide in owned.items():
        current = out / name
        existing = current.read_text(encoding="utf-8") if current.is_file() else None
        text = decide(existing, name in previous)
        if text is not None:
            contents[name] = text
    written = sorted({*contents, *rendered} - {MARKER})
    existed = out.is_dir()
    try:
        if not existed:
            out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(
                prefix=f".{out.name}.", suffix=".tmp", dir=out if existed else out.parent
            )
        )
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror}", path=out) from None
    try:
        tree = staging / "tree"  # made by mkdir, so with the usual permissions (mkdtemp: 0700)
        tree.mkdir()
        _stage(tree, contents, pages)
        if existed:
            made: set[str] = set()
            for name in [MARKER, *written]:
                _make_parents_inside(out, name, made)
                os.replace(tree / name, out / name)
            durable.make_durable(out, [], ["", *made])
        else:
            os.rename(tree, out)
            durable.fsync_directory(out.parent)
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror}", path=out) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for stale in sorted(set(previous) - set(names) - set(owned)):
        # an edited marker, or a directory replaced by a link, may point anywhere: remove
        # only regular files whose real place is inside ``out``
        if _inside(out, stale) and stat.S_ISREG(os.lstat(out / stale).st_mode):
            (out / stale).unlink()
    return [out / name for name in written]


def _inside(out: Path, name: str) -> bool:
    """Whether ``out/name`` exists and is reached without leaving ``out``: no ``..``, no
    absolute name, no symbolic link on the way (the file itself may be one)."""
    parts = Path(name).parts
    if not parts or ".." in parts or Path(name).is_absolute():
        return False
    parent = out / Path(name).parent
    return os.path.lexists(out / name) and os.path.realpath(parent) == os.path.join(
        os.path.realpath(out), *parts[:-1]
    )


def _make_parents_inside(out: Path, name: str, made: set[str]) -> None:
    """The directories of ``name`` under ``out``, refusing one that is a symbolic link: an
    export writes only inside its directory (a shared checkout may carry a link). ``made``
    holds the directories checked already (each is looked at once per export)."""
    directory = out
    parts = Path(name).parts[:-1]
    for depth, part in enumerate(parts, 1):
        directory = directory / part
        key = "/".join(parts[:depth])
        if key in made:
            continue
        if directory.is_symlink():
            raise WriteError(
                "is a symbolic link; an export writes only inside --out",
                path=directory,
                hint="remove the link (the export makes the directory)",
            )
        directory.mkdir(exist_ok=True)
        made.add(key)


def _parents(names: Iterable[str]) -> list[str]:
    """Every directory the files are in ("a/b/c.md": "a" and "a/b"), parents first."""
    found = set()
    for name in names:
        parent = os.path.dirname(name)
        while parent and parent not in found:
            found.add(parent)
            parent = os.path.dirname(parent)
    return sorted(found)


def _stage(tree: Path, contents: Mapping[str, str], pages: PageWriter | None) -> None:
    """Write the files and pages under ``tree`` and make them durable with their
    directories: each file is one os.open and write of its UTF-8 bytes, without an fsync
    of its own, and then one syncfs(2) of the file system
    (:func:`forumctl.durable.make_durable`; an fsync of each file and directory where
    there is no syncfs). An fsync per file waited for the disk 21,000 times for a site of
    20,000 speakers. The pages are written by the processes that render them, each as it
    is made (:class:`PageWriter`)."""
    names = [*contents, *([] if pages is None else pages.names)]
    directories = _parents(names)
    for directory in directories:
        os.mkdir(tree / directory)
    put = _writer(tree)
    for name, text in contents.items():
        put(name, text)
    if pages is not None:
        pages.write(put)
    durable.make_durable(tree, names, ["", *directories])


def _writer(tree: Path) -> Callable[[str, str], None]:
    """The function that writes a file's text under ``tree`` (whose directories exist)."""
    root = str(tree)  # strings, not pathlib: this runs once per file
    forced = 0o644 & durable.umask()  # files are 0644 whatever the umask, as before

    def put(name: str, text: str) -> None:
        path = f"{root}/{name}"
        durable.write_file(path, text.encode("utf-8"), 0o644, sync=False)
        if forced:
            os.chmod(path, 0o644)

    return put
