"""File-level rules: TOML syntax, the manifest, the schema problems of each record, file
names that are not slugs, and TOML files where no record belongs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from forumctl import records
from forumctl.archive import (
    FORUM_FILE,
    FORUMS_DIR,
    MANIFEST,
    SESSIONS_DIR,
    SPEAKERS_DIR,
    shown_name,
)
from forumctl.records import FORMAT_VERSION, FORMATS
from forumctl.slugs import RESERVED_FORUM_IDS, is_slug
from forumctl.validate import rules
from forumctl.validate.findings import Issue
from forumctl.validate.index import ArchiveIndex, record_as_read


def check_loading(index: ArchiveIndex) -> Iterator[Issue]:
    """Syntax errors and the problems the loader found, as they are."""
    for loaded in index.files():
        error = loaded.syntax_error
        if error is not None:
            message = f"{error.message}; {error.hint}" if error.hint else error.message
            position = (error.line or 1, error.column or 1)
            yield Issue(loaded.rel, (), rules.TOML_SYNTAX, message, position)
        for problem in loaded.problems:
            yield Issue(loaded.rel, problem.keypath, problem.code, problem.message)
    manifest = record_as_read(index.manifest)
    if manifest is not None and manifest.format is not None and manifest.format < FORMATS[0]:
        yield Issue(
            MANIFEST,
            ("format",),
            rules.MANIFEST_FORMAT,
            f"format {manifest.format} is not an archive format; write format = {FORMAT_VERSION}",
        )


def check_versions(index: ArchiveIndex) -> Iterator[Issue]:
    """Keys of a later format than the archive's (FC003): the archive must be migrated
    first, so that every tool that reads it knows what the keys mean."""
    version = index.format
    if version >= FORMAT_VERSION:
        return
    for loaded in index.files():
        record = record_as_read(loaded)
        if record is None:
            continue
        for path, spec in records.newer_values(record, version):
            key = ".".join(str(part) for part in path if isinstance(part, str))
            yield Issue(
                loaded.rel,
                path,
                rules.NEWER_FORMAT_KEY,
                f"'{key}' is a format-{spec.since} key and this archive is format {version};"
                " run forumctl migrate",
            )


def check_names(index: ArchiveIndex) -> Iterator[Issue]:
    """IDs are file and directory names, and IDs are slugs."""
    for speaker_id, loaded in index.speakers.items():
        if not is_slug(speaker_id):
            yield _not_a_slug(loaded.rel, "speaker", speaker_id)
    for forum_id, loaded in index.forums.items():
        if not is_slug(forum_id):
            yield _not_a_slug(loaded.rel, "forum", forum_id)
        elif forum_id in RESERVED_FORUM_IDS:
            yield Issue(
                loaded.rel,
                (),
                rules.NOT_A_SLUG,
                f"forum ID '{forum_id}' is taken by the export's {forum_id}.md;"
                " rename the forum's directory",
            )
    for session_id, loaded in index.sessions.items():
        name = session_id.partition("/")[2]
        if not is_slug(name):
            yield _not_a_slug(loaded.rel, "session", name)


def _not_a_slug(rel: str, kind: str, name: str) -> Issue:
    from forumctl.slugs import make_slug

    suggestion = make_slug(name)
    hint = f"; rename it to '{suggestion}'" if suggestion else ""
    return Issue(
        rel, (), rules.NOT_A_SLUG, f"{kind} ID '{name}' (the file name) is not a slug{hint}"
    )


def check_places(index: ArchiveIndex) -> Iterator[Issue]:
    """What under speakers/ and forums/ (or at the root) no record owns: TOML files,
    directories named like record files, dangling links, forum directories without
    forum.toml."""
    known = {loaded.rel for loaded in index.files()}
    root = index.root
    candidates: list[str] = [
        name
        for name in os.listdir(root)
        if name.endswith(".toml") and not name.startswith(".") and name != MANIFEST
    ]
    directories: list[str] = []  # named like record files
    forums_without_file: list[str] = []
    for top in (SPEAKERS_DIR, FORUMS_DIR):
        for directory, subdirectories, names in os.walk(root / top):
            rel_dir = os.path.relpath(directory, root).replace(os.sep, "/")
            visible = [d for d in subdirectories if not d.startswith(".")]
            directories.extend(f"{rel_dir}/{d}" for d in visible if d.endswith(".toml"))
            subdirectories[:] = [d for d in visible if not d.endswith(".toml")]
            candidates.extend(f"{rel_dir}/{name}" for name in names if name.endswith(".toml"))
            is_forum_directory = top == FORUMS_DIR and rel_dir.count("/") == 1
            if is_forum_directory and not os.path.isfile(os.path.join(directory, FORUM_FILE)):
                forums_without_file.append(rel_dir)
    for unlisted in index.unlisted.values():
        yield Issue(unlisted.rel, (), _UNLISTED_CODES[unlisted.kind], unlisted.message)

    def reported(rel: str) -> bool:  # as an entry the listing could not take, or inside one
        return any(rel == other or rel.startswith(other + "/") for other in index.unlisted)

    misplaced = sorted(rel for rel in set(candidates) - known if not reported(rel))
    directories = [rel for rel in directories if not reported(rel)]
    forums_without_file = [
        rel
        for rel in forums_without_file
        if not reported(rel) and f"{rel}/{FORUM_FILE}" not in index.unlisted
    ]
    for rel in misplaced:
        yield Issue(shown_name(rel), (), rules.MISPLACED_FILE, _misplaced_message(root, rel))
    for rel in sorted(directories):
        yield Issue(
            shown_name(rel),
            (),
            rules.MISPLACED_FILE,
            "a directory named like a record file (records are files); rename or remove it",
        )
    for rel in forums_without_file:
        if not any(other.startswith(rel + "/") for other in (*misplaced, *directories)):
            shown = shown_name(rel)
            yield Issue(
                shown,
                (),
                rules.MISPLACED_FILE,
                f"forum directory without {FORUM_FILE}; add {shown}/{FORUM_FILE}"
                " or remove the directory",
            )


_UNLISTED_CODES = {
    "link": rules.MISPLACED_FILE,
    "name": rules.NOT_A_SLUG,
    "directory": rules.TOML_SYNTAX,  # cannot be read, as an unreadable file is
}


def _misplaced_message(root: Path, rel: str) -> str:
    path = root / rel
    if path.is_symlink() and not path.exists():
        return (
            f"a symbolic link to {os.readlink(path)}, which does not exist;"
            " correct or remove the link"
        )
    parts = rel.split("/")
    if parts[0] == FORUMS_DIR and len(parts) == 4 and parts[2] == SESSIONS_DIR:
        return (
            f"session of forum '{parts[1]}', which has no {FORUM_FILE}; add"
            f" {FORUMS_DIR}/{parts[1]}/{FORUM_FILE} or move the session"
        )
    return (
        f"no record belongs here; records live in {SPEAKERS_DIR}/<id>.toml,"
        f" {FORUMS_DIR}/<id>/{FORUM_FILE} and {FORUMS_DIR}/<id>/{SESSIONS_DIR}/<id>.toml"
    )
