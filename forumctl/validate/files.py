"""File-level rules: TOML syntax, the manifest, the schema problems of each record, file
names that are not slugs, and TOML files where no record belongs."""

from __future__ import annotations

import os
from collections.abc import Iterator

from forumctl.archive import FORUM_FILE, FORUMS_DIR, MANIFEST, SESSIONS_DIR, SPEAKERS_DIR
from forumctl.records import FORMAT_VERSION
from forumctl.slugs import is_slug
from forumctl.validate import rules
from forumctl.validate.findings import Issue
from forumctl.validate.index import ArchiveIndex


def check_loading(index: ArchiveIndex) -> Iterator[Issue]:
    """Syntax errors and the problems the loader found, as they are."""
    for loaded in index.files():
        error = loaded.syntax_error
        if error is not None:
            message = f"{error.message}; {error.hint}" if error.hint else error.message
            position = (error.line or 1, error.column or 1)
            yield Issue(loaded.rel, (), rules.TOML_SYNTAX, message, position)
        for problem in loaded.problems:
            yield Issue(loaded.rel, problem.path, problem.code, problem.message)
    manifest = index.manifest.record
    if manifest is not None and manifest.format < FORMAT_VERSION:
        yield Issue(
            MANIFEST,
            ("format",),
            rules.MANIFEST_FORMAT,
            f"format {manifest.format} is not an archive format; write format = {FORMAT_VERSION}",
        )


def check_names(index: ArchiveIndex) -> Iterator[Issue]:
    """IDs are file and directory names, and IDs are slugs."""
    for speaker_id, loaded in index.speakers.items():
        if not is_slug(speaker_id):
            yield _not_a_slug(loaded.rel, "speaker", speaker_id)
    for forum_id, loaded in index.forums.items():
        if not is_slug(forum_id):
            yield _not_a_slug(loaded.rel, "forum", forum_id)
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
    """TOML files under speakers/ and forums/ (or at the root) that no record owns."""
    known = {loaded.rel for loaded in index.files()}
    root = index.root
    candidates: list[str] = [
        name
        for name in os.listdir(root)
        if name.endswith(".toml") and not name.startswith(".") and name != MANIFEST
    ]
    for top in (SPEAKERS_DIR, FORUMS_DIR):
        for directory, subdirectories, names in os.walk(root / top):
            subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
            rel_dir = os.path.relpath(directory, root).replace(os.sep, "/")
            candidates.extend(f"{rel_dir}/{name}" for name in names if name.endswith(".toml"))
    for rel in sorted(set(candidates) - known):
        yield Issue(rel, (), rules.MISPLACED_FILE, _misplaced_message(rel))


def _misplaced_message(rel: str) -> str:
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
