"""Receipts of unchanged imports: an import that found nothing to change is not planned
again while nothing it depends on has changed.

An import's plan is a function of the source's bytes, the command's options, the files
it reads (the manifest, every forum's ``forum.toml``, every speaker, the sessions of the
forum it updates: the listings of their directories included) and the program. When a
plan comes out empty, a receipt keeps all of these: a digest of the source and options,
the stat of each file read (inode, size, mtime, ctime, as the parse cache trusts them,
docs/performance.md), the program's version and a fingerprint of its modules and of the
libraries whose output it keeps, and the warnings the import printed. The next run with
the same source and options, while every stat and listing is what the receipt says, is
unchanged as well: it repeats the warnings and stops, without reading the schedule or any
record.

A receipt lives in the parse cache's directory, under its header (program version,
user secret), so ``--no-cache`` goes without it and a receipt from elsewhere is ignored.
A file changed less than the cache's racy window before the run began is not trusted
(a write in the same clock tick would not show in its stat): no receipt is written
then, and the next unchanged import writes it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from forumctl.archive import FORUM_FILE, FORUMS_DIR, MANIFEST

if TYPE_CHECKING:
    from forumctl.archive import Archive

RECEIPTS = "imports.json"
KEPT = 16  # receipts kept (one per source and options), the most recent ones


@dataclass(frozen=True, slots=True)
class Receipt:
    forum_id: str
    warnings: tuple[str, ...]


def key_of(kind: str, data: bytes, options: Mapping[str, object]) -> str:
    """What names one import: the command, the source's bytes and the options."""
    import hashlib  # here: an import without the parse cache has no receipt, nor needs it

    digest = hashlib.sha256(data)
    digest.update(json.dumps([kind, options], sort_keys=True, default=str).encode())
    return digest.hexdigest()


def unchanged(archive: Archive, key: str) -> Receipt | None:
    """The receipt of this import, when nothing it depends on has changed since."""
    cache = archive.parse_cache
    if cache is None:
        return None
    kept = _read(cache.read_note(RECEIPTS))
    entry = kept.get(key)
    if not isinstance(entry, dict):
        return None
    try:
        forum_id = str(entry["forum"])
        if entry["program"] != _program() or entry["files"] != _stats(archive, forum_id):
            return None
        return Receipt(forum_id, tuple(str(warning) for warning in entry["warnings"]))
    except (KeyError, TypeError, OSError):
        return None


def record(
    archive: Archive, key: str, forum_id: str, warnings: Sequence[str], *, since: int
) -> None:
    """Keep the receipt of an import that changed nothing. ``since`` is when the import
    began (``time.time_ns()`` before it read anything): a file changed after that, or
    within the racy window before, may hold other bytes than the import read, and then
    no receipt is written."""
    cache = archive.parse_cache
    if cache is None:
        return
    try:
        files = _stats(archive, forum_id)
    except OSError:
        return
    from forumctl.cache import RACY_WINDOW_NS

    if any(max(stat[2], stat[3]) >= since - RACY_WINDOW_NS for stat in files.values()):
        return
    kept = _read(cache.read_note(RECEIPTS))
    kept.pop(key, None)
    kept[key] = {
        "forum": forum_id,
        "program": _program(),
        "files": files,
        "warnings": list(warnings),
    }
    recent = dict(list(kept.items())[-KEPT:])
    cache.write_note(RECEIPTS, json.dumps(recent).encode())


def _read(body: bytes | None) -> dict[str, object]:
    if body is None:
        return {}
    try:
        kept = json.loads(body)
    except ValueError:
        return {}
    return kept if isinstance(kept, dict) else {}


def _stats(archive: Archive, forum_id: str) -> dict[str, list[int]]:
    """The stat (inode, size, mtime, ctime) of every file an import into ``forum_id``
    reads, by path: JSON-ready, in listing order."""
    rels = [MANIFEST]
    rels += [f"{FORUMS_DIR}/{fid}/{FORUM_FILE}" for fid in archive.forum_ids()]
    rels += [archive.rel_path("speaker", sid) for sid in archive.speaker_ids()]
    rels += [archive.rel_path("session", sid) for sid in archive.session_ids(forum_id)]
    stats = {}
    for rel in rels:
        found = os.stat(os.path.join(archive.root, rel))
        stats[rel] = [found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns]
    return stats


# The libraries whose output an import keeps (text, slugs, times, TOML): an upgrade of one
# may change what a plan writes, so it makes every receipt void too.
_LIBRARIES = (
    "html_to_markdown", "slugify", "text_unidecode", "icalendar", "defusedxml", "rtoml",
    "msgspec", "tomli_w", "tomlkit",
)  # fmt: skip


def _program() -> str:
    """The version, the size and time of every module of forumctl (a checkout changes) and
    of the libraries' own files: a change of the program makes every receipt void."""
    import hashlib
    import importlib.util
    import sys

    from forumctl import __version__

    package = Path(__file__).resolve().parent.parent
    files = [
        os.path.join(directory, name)
        for directory, _, names in sorted(os.walk(package))
        for name in sorted(names)
        if name.endswith(".py")
    ]
    for library in _LIBRARIES:
        spec = importlib.util.find_spec(library)  # found, not imported
        if spec is not None and spec.origin is not None:
            files.append(spec.origin)
    parts = [__version__, sys.version]
    for path in files:
        found = os.stat(path)
        parts.append(f"{path}:{found.st_size}:{found.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
