"""Writing an export directory: only into one forumctl made (or an empty one), atomically.

A marker file lists what the last export wrote, so that a second export into the same
directory may replace those files and remove the ones no longer produced (a forum
dropped from the archive), while a directory of someone else's files is never touched
without ``--force``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from forumctl.errors import RecordExists, WriteError
from forumctl.toml_io import atomic_write

MARKER = ".forumctl-export"
_MARKER_HEADER = "# Written by forumctl export; lists the files it wrote. Safe to delete.\n"


def _previous_files(out: Path) -> list[str] | None:
    """The files the last export listed, or None when forumctl did not make ``out``."""
    marker = out / MARKER
    if not marker.is_file():
        return None
    lines = marker.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def write_tree(out: Path, files: Mapping[str, str], *, force: bool = False) -> list[Path]:
    """Write ``files`` (relative path with "/" to text) under ``out``; returns their paths.

    Refuses a non-empty directory without the marker unless ``force``. Each file is
    written atomically; the marker is written first, so that an interrupted export is
    still recognised as forumctl's own.
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
    atomic_write(out / MARKER, _MARKER_HEADER + "".join(f"{n}\n" for n in names), force=True)
    written = []
    for name in names:
        path = out / name
        atomic_write(path, files[name], force=True)
        written.append(path)
    for stale in sorted(set(previous) - set(names)):
        if ".." not in Path(stale).parts and not Path(stale).is_absolute():  # an edited marker
            (out / stale).unlink(missing_ok=True)
    return written
