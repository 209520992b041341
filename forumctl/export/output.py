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
from collections.abc import Callable, Mapping
from pathlib import Path

from forumctl.errors import RecordExists, WriteError

MARKER = ".forumctl-export"
_MARKER_HEADER = "# Written by forumctl export; lists the files it wrote. Safe to delete.\n"

# A file the user owns once it exists (a site's mkdocs.yml): called with its text (None
# when there is none) and whether the last export listed it as its own, it returns the
# text to write, or None to leave the file as it is.
UserFile = Callable[[str | None, bool], str | None]


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
    force: bool = False,
    user_files: Mapping[str, UserFile] | None = None,
) -> list[Path]:
    """Write ``files`` (relative path with "/" to text) under ``out``; returns their paths.

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
    names = sorted(files)
    contents = {MARKER: _MARKER_HEADER + "".join(f"{n}\n" for n in names), **files}
    owned = user_files or {}
    for name, decide in owned.items():
        current = out / name
        existing = current.read_text(encoding="utf-8") if current.is_file() else None
        text = decide(existing, name in previous)
        if text is not None:
            contents[name] = text
    written = sorted(set(contents) - {MARKER})
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
        _stage(tree, contents)
        if existed:
            for name in [MARKER, *written]:
                _make_parents_inside(out, name)
                os.replace(tree / name, out / name)
            _sync_directories(out, {str(Path(name).parent) for name in written})
        else:
            os.rename(tree, out)
            _sync_directories(out.parent, {"."})
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


def _make_parents_inside(out: Path, name: str) -> None:
    """The directories of ``name`` under ``out``, refusing one that is a symbolic link: an
    export writes only inside its directory (a shared checkout may carry a link)."""
    directory = out
    for part in Path(name).parts[:-1]:
        directory = directory / part
        if directory.is_symlink():
            raise WriteError(
                "is a symbolic link; an export writes only inside --out",
                path=directory,
                hint="remove the link (the export makes the directory)",
            )
        directory.mkdir(exist_ok=True)


def _sync_directories(base: Path, names: set[str]) -> None:
    """fsync the directories that gained entries, so the renames are on disk too."""
    for name in sorted(names):
        _fsync(base / name)


# fsyncs in flight at once: the disk (and ext4's journal) takes many together in about the
# time of one, so 2,000 files sync about six times faster than one after another
_SYNC_THREADS = 16


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stage(directory: Path, contents: Mapping[str, str]) -> None:
    """Write the files under ``directory`` and make sure they are on disk: each file and
    directory forumctl wrote is synced, nothing else (os.sync would flush every
    program's pending writes, and wait for them). The files are written first, then
    synced by a pool of threads, since one fsync after another waits for the disk once per
    file (a site of 20,000 speakers is 21,000 files)."""
    from concurrent.futures import ThreadPoolExecutor

    directories = {"."}
    paths = []
    for name, text in contents.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        directories.add(str(Path(name).parent))
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(path, 0o644)
        paths.append(path)
    with ThreadPoolExecutor(max_workers=_SYNC_THREADS) as pool:
        list(pool.map(_fsync, paths))  # list(): an error of any of them is raised here
    _sync_directories(directory, directories)
