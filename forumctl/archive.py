"""Archive: finding it, loading its records lazily, writing them atomically.

Layout (formats 1 and 2)::

    forumctl.toml                                   the manifest
    speakers/<speaker-id>.toml                      one person
    forums/<forum-id>/forum.toml                    one forum
    forums/<forum-id>/sessions/<session-id>.toml    one session, ID "<forum-id>/<session-id>"

Nothing is parsed until it is asked for: listing speakers reads only ``speakers/``.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from forumctl import records
from forumctl.errors import (
    ArchiveNotFound,
    ForumctlError,
    InvalidRecord,
    RecordNotFound,
    UnsupportedFormat,
    UsageError,
)
from forumctl.loading import LoadedFile, first_problem, load_file, loaded_from_data
from forumctl.records import FORMAT_VERSION, FORMATS, Forum, Manifest, Session, Speaker
from forumctl.references import referred_ids
from forumctl.toml_io import locate, parse, read_text

if TYPE_CHECKING:
    from forumctl.cache import ParseCache, StatKey

MANIFEST = "forumctl.toml"
SPEAKERS_DIR = "speakers"
FORUMS_DIR = "forums"
FORUM_FILE = "forum.toml"
SESSIONS_DIR = "sessions"
SCHEMAS_DIR = "schemas"
ENV_VAR = "FORUMCTL_ARCHIVE"


def find_root(
    explicit: Path | str | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """The archive root: ``explicit``, else $FORUMCTL_ARCHIVE, else upward from ``cwd``."""
    environ = os.environ if environ is None else environ
    given = explicit if explicit is not None else environ.get(ENV_VAR) or None
    if given is not None:
        root = Path(given)
        origin = "--archive" if explicit is not None else ENV_VAR
        if not root.exists():
            raise ArchiveNotFound(f"{origin} {root}: no such directory")
        if not root.is_dir():
            raise ArchiveNotFound(f"{origin} {root}: not a directory")
        if not (root / MANIFEST).is_file():
            raise ArchiveNotFound(
                f"{origin} {root}: no {MANIFEST} there",
                hint=f"run 'forumctl init {root}' to make an archive",
            )
        return root
    start = (cwd or Path.cwd()).resolve()
    for directory in (start, *start.parents):
        if (directory / MANIFEST).is_file():
            return directory
    raise ArchiveNotFound(
        f"no archive: no {MANIFEST} in {start} or any parent",
        hint=f"use --archive PATH, set {ENV_VAR}, or run 'forumctl init'",
    )


def load_manifest(text: str, path: str = MANIFEST) -> LoadedFile:
    """The manifest read from its text (``path`` names it in errors): InvalidRecord when
    it is not TOML, UnsupportedFormat when its ``format`` is newer than this program;
    other defects are kept as problems for validate."""
    data = parse(text, path)
    declared = data.get("format")
    if type(declared) is int and declared > FORMAT_VERSION:
        raise UnsupportedFormat(
            f"archive format {declared} is newer than what this forumctl reads"
            f" (formats {FORMATS[0]} to {FORMAT_VERSION})",
            path=path,
            line=locate(text, ("format",))[0],
            hint="upgrade forumctl",
        )
    return loaded_from_data(MANIFEST, Manifest, data)


def record_path(kind: str, record_id: str) -> str:
    """Path of a record relative to the root, from its kind and ID.

    An ID names one file inside the archive's layout, never a path: './f', '../x' or
    'a/b' (for anything but a session) is refused rather than followed.
    """
    if kind == "session":
        forum_id, slash, session_id = record_id.partition("/")
        usable = bool(slash) and _usable_as_id(forum_id) and _usable_as_id(session_id)
    else:
        usable = kind == "manifest" or _usable_as_id(record_id)
    if not usable:
        expected = "'<forum-id>/<session-id>'" if kind == "session" else "a slug"
        raise UsageError(
            f"{record_id!r} is not a {kind} ID (expected {expected})",
            hint=f"'forumctl list {kind}s' shows the IDs",
        )
    if kind == "speaker":
        return f"{SPEAKERS_DIR}/{record_id}.toml"
    if kind == "forum":
        return f"{FORUMS_DIR}/{record_id}/{FORUM_FILE}"
    if kind == "session":
        return f"{FORUMS_DIR}/{forum_id}/{SESSIONS_DIR}/{session_id}.toml"
    if kind == "manifest":
        return MANIFEST
    raise ValueError(f"unknown record kind {kind!r}")


def record_at(rel: str) -> tuple[str, str] | None:
    """(kind, ID) of the record a path relative to the root holds, None for any other
    file: the inverse of :func:`record_path`. A name that is not UTF-8 holds none (readers
    skip it; validate reports it)."""
    if shown_name(rel) != rel:
        return None
    parts = rel.split("/")
    if rel == MANIFEST:
        return "manifest", MANIFEST
    if not parts[-1].endswith(".toml"):
        return None
    stem = parts[-1][:-5]
    if len(parts) == 2 and parts[0] == SPEAKERS_DIR and _usable_as_id(stem):
        return "speaker", stem
    if len(parts) == 3 and parts[0] == FORUMS_DIR and parts[2] == FORUM_FILE:
        return ("forum", parts[1]) if _usable_as_id(parts[1]) else None
    if (
        len(parts) == 4
        and parts[0] == FORUMS_DIR
        and parts[2] == SESSIONS_DIR
        and _usable_as_id(parts[1])
        and _usable_as_id(stem)
    ):
        return "session", f"{parts[1]}/{stem}"
    return None


def _usable_as_id(name: str) -> bool:
    """Whether a file or directory name can be (part of) an ID: hidden files, editors'
    backups and names that would be read as paths are not records (validate reports
    them as misplaced files)."""
    return bool(name) and name[0] != "." and "/" not in name and "\\" not in name


def shown_name(name: str) -> str:
    """A path as it can be printed: bytes that are not UTF-8 (which Python keeps as
    surrogates) written as ``\\xff``, so that JSON, XML and terminals take every path."""
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


UnlistedKind = Literal["link", "name", "directory"]


@dataclass(frozen=True, slots=True)
class Unlisted:
    """What the archive's directories hold that cannot be taken as a record: a link that
    leads nowhere or in a loop, a file name that is not UTF-8, a directory that cannot be
    read. Readers skip the first two with a warning and stop at the third (what is in the
    directory is unknown); validate reports each as a finding."""

    rel: str  # printable (shown_name)
    kind: UnlistedKind
    message: str

    def __str__(self) -> str:
        return f"{self.rel}: {self.message}"


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic links in a loop"
    return error.strerror or type(error).__name__


class Archive:
    """A forumctl archive on disk. Open one with :meth:`open` or :meth:`discover`."""

    def __init__(
        self, root: Path, manifest: LoadedFile, parse_cache: ParseCache | None = None
    ) -> None:
        self.root = root
        self._prefix = os.path.join(root, "")  # of a record's path: joined 29,000 times on M
        self.manifest_file = manifest
        self._files: dict[str, LoadedFile] = {}
        self._parse_cache = parse_cache
        # what listing the directories met, by path; see Unlisted
        self.unlisted: dict[str, Unlisted] = {}
        # validate lists past unreadable directories (each a finding); readers stop there
        self.list_past_unreadable = False
        # listings (list, show) leave out the records that do not load, each kept here;
        # anything else stops at the first (see skip_broken)
        self.skip_broken = False
        self.skipped: list[InvalidRecord] = []
        # every session with the speakers the cache says it names, listed once for the
        # commands that ask who names whom twice (rename: the plan, then its check);
        # forgotten with the files a change writes
        self._session_terms: list[tuple[str, frozenset[str] | None]] | None = None
        # told (files loaded, record files in the archive) as each file is loaded: a
        # command's progress (the CLI shows it on a terminal)
        self.progress: Callable[[int, int], None] | None = None
        self._record_files: int | None = None

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, root: Path | str, *, cache: bool = False) -> Archive:
        """Open the archive at ``root``.

        Raises ArchiveNotFound without a manifest, InvalidRecord when it is not TOML,
        UnsupportedFormat when its ``format`` is newer than this program. Other manifest
        defects are kept as problems for validate (see :attr:`manifest`). With ``cache``,
        files are loaded through the parse cache (forumctl/cache.py); call
        :meth:`save_cache` when done.
        """
        root = Path(root)
        if not (root / MANIFEST).is_file():
            raise ArchiveNotFound(f"no {MANIFEST} in {root}", hint=f"run 'forumctl init {root}'")
        manifest = load_manifest(read_text(root / MANIFEST, MANIFEST))
        if not cache:
            return cls(root, manifest)
        from forumctl.cache import ParseCache

        return cls(root, manifest, ParseCache(root))

    @classmethod
    def discover(
        cls,
        explicit: Path | str | None = None,
        cwd: Path | None = None,
        environ: Mapping[str, str] | None = None,
        *,
        cache: bool = False,
    ) -> Archive:
        return cls.open(find_root(explicit, cwd, environ), cache=cache)

    # -- the manifest ------------------------------------------------------------

    @property
    def manifest(self) -> Manifest:
        """The manifest; InvalidRecord when it has defects, UnsupportedFormat when its
        format is not one this program reads (validate reports both as findings)."""
        manifest: Manifest = self._strict(self.manifest_file)
        if manifest.format not in FORMATS:
            raise UnsupportedFormat(
                f"archive format {manifest.format} is not one this forumctl reads"
                f" (formats {FORMATS[0]} to {FORMAT_VERSION})",
                path=MANIFEST,
                line=locate(read_text(self.root / MANIFEST), ("format",))[0],
                hint=f"set format = {FORMATS[0]}",
            )
        return manifest

    @property
    def format(self) -> int:
        """The archive's format (1 or 2): what its records may hold and what is written
        into it. Raises like :attr:`manifest` when the manifest has defects."""
        return self.manifest.format

    @property
    def timezone(self) -> str | None:
        record = self.manifest_file.record
        return record.timezone if record is not None else None

    # -- paths and IDs -----------------------------------------------------------

    def rel_path(self, kind: str, record_id: str) -> str:
        """Path of a record relative to the root (:func:`record_path`)."""
        return record_path(kind, record_id)

    def _note(self, rel: str, kind: UnlistedKind, message: str) -> None:
        if kind == "directory" and not self.list_past_unreadable:
            raise InvalidRecord(
                message,
                path=shown_name(rel),
                hint="make it readable; 'forumctl validate' lists what else is wrong",
            )
        self.unlisted.setdefault(rel, Unlisted(shown_name(rel), kind, message))

    def _entries(self, rel_dir: str) -> list[os.DirEntry[str]]:
        """The entries of a directory of the archive with usable names; [] when it does
        not exist, and an Unlisted directory when it cannot be read."""
        try:
            with os.scandir(os.path.join(self.root, rel_dir)) as scan:
                entries = list(scan)
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as error:
            self._note(rel_dir, "directory", f"cannot read the directory: {_reason(error)}")
            return []
        usable = []
        for entry in entries:
            name = entry.name  # never empty nor holding "/": _usable_as_id without a call
            if name[0] == "." or "\\" in name:
                continue
            if not name.isascii() and shown_name(name) != name:
                self._note(
                    f"{rel_dir}/{name}",
                    "name",
                    "the name is not UTF-8, so it is not a slug; rename it",
                )
                continue
            usable.append(entry)
        return usable

    def _is(self, entry: os.DirEntry[str], rel: str, test: str) -> bool:
        """``entry.is_file()`` or ``is_dir()``; a link that leads nowhere or loops is
        neither, and is noted (a record named by it is skipped, with a warning)."""
        try:
            if getattr(entry, test)():
                return True
            if not entry.is_symlink():
                return False
            os.stat(entry.path)  # a dangling link raises here
            return False
        except OSError as error:
            target = shown_name(os.readlink(entry.path)) if entry.is_symlink() else "?"
            if isinstance(error, FileNotFoundError):
                what = "does not exist"
            elif error.errno == errno.ELOOP:
                what = "leads in a loop"
            else:
                what = f"cannot be followed ({_reason(error)})"
            self._note(
                rel,
                "link",
                f"a symbolic link to {target}, which {what}; correct or remove the link",
            )
            return False

    def _toml_stems(self, rel_dir: str) -> list[str]:
        stems = []
        for entry in self._entries(rel_dir):
            name = entry.name  # usable as an ID (_entries), so is its stem
            if not name.endswith(".toml"):
                continue
            try:  # a regular file is the common case: asked without building its path
                regular = entry.is_file()
            except OSError:  # a link in a loop: _is notes it
                regular = False
            if regular or self._is(entry, f"{rel_dir}/{name}", "is_file"):
                stems.append(name[:-5])
        return sorted(stems)

    def speaker_ids(self) -> list[str]:
        return self._toml_stems(SPEAKERS_DIR)

    def forum_ids(self) -> list[str]:
        found = []
        for entry in self._entries(FORUMS_DIR):
            rel = f"{FORUMS_DIR}/{entry.name}"
            if not self._is(entry, rel, "is_dir"):
                continue
            try:
                is_forum = stat.S_ISREG(os.stat(os.path.join(entry.path, FORUM_FILE)).st_mode)
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as error:
                forum_file = os.path.join(entry.path, FORUM_FILE)
                if error.errno == errno.ELOOP or os.path.islink(forum_file):
                    target = shown_name(os.readlink(forum_file))
                    self._note(
                        f"{rel}/{FORUM_FILE}",
                        "link",
                        f"a symbolic link to {target}, which leads in a loop;"
                        " correct or remove the link",
                    )
                else:  # the directory cannot be searched
                    self._note(rel, "directory", f"cannot read the directory: {_reason(error)}")
                continue
            if is_forum:
                found.append(entry.name)
        return sorted(found)

    def session_ids(self, forum_id: str | None = None) -> list[str]:
        forum_ids = self.forum_ids() if forum_id is None else [forum_id]
        return [
            f"{fid}/{stem}"
            for fid in forum_ids
            for stem in self._toml_stems(f"{FORUMS_DIR}/{fid}/{SESSIONS_DIR}")
        ]

    def record_files(self) -> list[str]:
        """Every record file loading reads, relative to the root: the manifest, speakers,
        then each forum with its sessions (:meth:`iter_loaded`'s order)."""
        return [
            MANIFEST,
            *(record_path("speaker", speaker_id) for speaker_id in self.speaker_ids()),
            *(
                rel
                for forum_id in self.forum_ids()
                for rel in (
                    record_path("forum", forum_id),
                    *(record_path("session", sid) for sid in self.session_ids(forum_id)),
                )
            ),
        ]

    def file_states(self) -> dict[str, StatKey]:
        """Every record file's (inode, size, mtime_ns, ctime_ns) now, nothing parsed: what
        the parse cache keys its entries by, so equal states mean the same records (a file
        written since has moved its ctime on). A file gone since it was listed is left out."""
        from forumctl.cache import stat_key

        states = {}
        prefix = f"{self.root}/"
        for rel in self.record_files():
            try:
                states[rel] = stat_key(os.stat(prefix + rel))
            except OSError:  # gone, or unreadable: loading it says so
                continue
        return states

    # -- loading -----------------------------------------------------------------

    def _status(self, kind: str, record_id: str, rel: str) -> os.stat_result:
        """The stat of a record's file; RecordNotFound when there is no such file."""
        try:
            status = os.stat(self._prefix + rel)
        except (FileNotFoundError, NotADirectoryError):
            status = None
        except OSError as error:
            raise InvalidRecord(f"cannot read: {error.strerror}", path=rel) from None
        if status is None or not stat.S_ISREG(status.st_mode):
            raise self.not_found(kind, record_id)
        return status

    def ids(self, kind: str) -> list[str]:
        """Every ID of a kind of record ("speaker", "forum", "session")."""
        by_kind = {
            "speaker": self.speaker_ids,
            "forum": self.forum_ids,
            "session": self.session_ids,
        }
        return by_kind[kind]()

    def now_named(self, kind: str, former_id: str) -> str | None:
        """The ID of the record whose ``former_ids`` hold ``former_id`` (where a renamed or
        merged record went), or None."""
        for record_id in self.ids(kind):
            loaded = self.loaded(kind, record_id)
            record = loaded.partial if loaded.partial is not None else loaded.record
            former_ids = getattr(record, "former_ids", None)
            if isinstance(former_ids, tuple) and former_id in former_ids:
                return record_id
        return None

    def not_found(self, kind: str, record_id: str) -> RecordNotFound:
        """The error for an ID that names no record, with the IDs it may be a typo of."""
        successor = self.now_named(kind, record_id)
        if successor is not None:
            return RecordNotFound(
                f"no {kind} '{record_id}': it is now '{successor}' (renamed or merged; its"
                f" former_ids hold '{record_id}')",
                hint=f"forumctl show {kind} {successor}",
            )
        from forumctl.suggest import close_matches, did_you_mean_of

        found = close_matches(record_id, self.ids(kind)) if kind != "session" else []
        if kind == "session":  # the typo is in the forum part or in the session part
            forum_id, _, stem = record_id.partition("/")
            forum_ids = self.forum_ids()
            if forum_id in forum_ids:
                stems = [sid.partition("/")[2] for sid in self.session_ids(forum_id)]
                found = [f"{forum_id}/{match}" for match in close_matches(stem, stems)]
            else:
                found = [
                    f"{match}/{stem}"
                    for match in close_matches(forum_id, forum_ids)
                    if f"{match}/{stem}" in self.session_ids(match)
                ] or close_matches(record_id, self.session_ids())
        return RecordNotFound(
            f"no {kind} '{record_id}' ({self.rel_path(kind, record_id)} does not exist)",
            hint=did_you_mean_of(found) or f"'forumctl list {kind}s' shows the IDs",
        )

    def loaded(self, kind: str, record_id: str) -> LoadedFile:
        """The file of one record as loaded (cached), whatever its problems."""
        rel = record_path(kind, record_id)
        cached = self._files.get(rel)
        if cached is None:
            cached = self._files[rel] = self._load(kind, record_id, rel)
            if self.progress is not None:
                self._report_progress()
        return cached

    def _load(self, kind: str, record_id: str, rel: str) -> LoadedFile:
        status = self._status(kind, record_id, rel)
        cls = records.RECORD_TYPES[kind]
        if self._parse_cache is None:
            return load_file(self.root, rel, cls)
        return self._parse_cache.get(rel, status, lambda: load_file(self.root, rel, cls))

    @property
    def parse_cache(self) -> ParseCache | None:
        """The parse cache this archive loads through (None with ``--no-cache``)."""
        return self._parse_cache

    def _report_progress(self) -> None:
        assert self.progress is not None
        if self._record_files is None:
            try:
                self._record_files = len(self.speaker_ids()) + sum(
                    1 + len(self.session_ids(forum_id)) for forum_id in self.forum_ids()
                )
            except (ForumctlError, OSError):  # the command meets it, and says so, itself
                self._record_files = 0
        self.progress(len(self._files), max(self._record_files, len(self._files)))

    def save_cache(self) -> None:
        """Keep what this run parsed for the next one (nothing to do without a cache)."""
        if self._parse_cache is not None:
            self._parse_cache.save()

    def _strict(self, loaded: LoadedFile) -> Any:
        if loaded.syntax_error is not None:
            raise loaded.syntax_error
        if loaded.problems or loaded.record is None:
            raise first_problem(
                loaded,
                read_text(self.root / loaded.rel),
                hint="'forumctl validate' lists every problem",
            )
        return loaded.record

    def speaker(self, speaker_id: str) -> Speaker:
        return self._strict(self.loaded("speaker", speaker_id))  # type: ignore[no-any-return]

    def forum(self, forum_id: str) -> Forum:
        return self._strict(self.loaded("forum", forum_id))  # type: ignore[no-any-return]

    def session(self, session_id: str) -> Session:
        return self._strict(self.loaded("session", session_id))  # type: ignore[no-any-return]

    def _every(self, kind: str, record_ids: Iterable[str]) -> dict[str, Any]:
        """The records of these IDs; with ``skip_broken``, those that do not load are
        left out and kept in ``skipped`` (one broken file stops only what needs it)."""
        found = {}
        for record_id in record_ids:
            try:
                found[record_id] = self._strict(self.loaded(kind, record_id))
            except InvalidRecord as error:
                if not self.skip_broken:
                    raise
                self.skipped.append(error)
        return found

    def speakers(self) -> dict[str, Speaker]:
        return self._every("speaker", self.speaker_ids())

    def forums(self) -> dict[str, Forum]:
        return self._every("forum", self.forum_ids())

    def sessions(self, forum_id: str | None = None) -> dict[str, Session]:
        if forum_id is not None:
            self.forum(forum_id)  # a clear "no forum" error rather than an empty result
        return self._every("session", self.session_ids(forum_id))

    def sessions_maybe_naming(self, speaker_id: str | Iterable[str]) -> Iterator[str]:
        """Session IDs that may name the speaker (or any of the speakers): through the parse
        cache, a session whose entry (current, without problems) names none of them is left
        out unread."""
        wanted = {speaker_id} if isinstance(speaker_id, str) else set(speaker_id)
        if self._session_terms is None:  # one pass over the sessions for the command
            listed = [
                (f"{forum_id}/{stem}", f"{FORUMS_DIR}/{forum_id}/{SESSIONS_DIR}/{stem}.toml")
                for forum_id in self.forum_ids()
                for stem in self._toml_stems(f"{FORUMS_DIR}/{forum_id}/{SESSIONS_DIR}")
            ]
            terms = self._cached_terms([rel for _, rel in listed])
            self._session_terms = list(zip([sid for sid, _ in listed], terms, strict=True))
        for session_id, named in self._session_terms:
            if named is None or not named.isdisjoint(wanted):
                yield session_id

    def _cached_terms(self, rels: list[str]) -> list[frozenset[str] | None]:
        """Listed files' terms in the parse cache's index (the speakers a session names, a
        speaker's person keys); None where only loading the file can tell."""
        if self._parse_cache is None:
            return [None] * len(rels)
        terms = self._parse_cache.terms(rels)
        return [
            None if rel in self._files else found for rel, found in zip(rels, terms, strict=True)
        ]

    def person_keys(self) -> dict[str, frozenset[str]]:
        """Every speaker's :func:`forumctl.identity.person_keys`, in ID order: from the parse
        cache's index where the entry is current, else from the file as far as it reads."""
        from forumctl.identity import person_keys

        found = {}
        speaker_ids = self.speaker_ids()
        cached = self._cached_terms([f"{SPEAKERS_DIR}/{sid}.toml" for sid in speaker_ids])
        for speaker_id, keys in zip(speaker_ids, cached, strict=True):
            if keys is None:
                loaded = self.loaded("speaker", speaker_id)
                record = loaded.partial if loaded.partial is not None else loaded.record
                keys = person_keys(record) if record is not None else frozenset()
            found[speaker_id] = keys
        return found

    def sessions_referring_to(self, speaker_id: str) -> dict[str, Session]:
        """The sessions whose chairs or talks name the speaker, in session ID order.

        Like :meth:`sessions`, a session that does not load is an error (or, with
        ``skip_broken``, skipped).
        """
        return {
            session_id: session
            for session_id, session in self._every(
                "session", self.sessions_maybe_naming(speaker_id)
            ).items()
            if speaker_id in referred_ids(session, "speaker")
        }

    def session_ids_naming(self, speaker_ids: Iterable[str]) -> list[str]:
        """The sessions whose files name any of the speakers, as far as each can be read
        (a file with problems counts with what it holds; validate reports the problems)."""
        wanted = set(speaker_ids)
        found = []
        for session_id in self.sessions_maybe_naming(wanted):
            loaded = self.loaded("session", session_id)
            record = loaded.partial if loaded.partial is not None else loaded.record
            if record is not None and not wanted.isdisjoint(referred_ids(record, "speaker")):
                found.append(session_id)
        return found

    def forget(self, rels: Iterable[str]) -> None:
        """Drop what was loaded of these files (a change has just written them)."""
        self._session_terms = None
        for rel in rels:
            self._files.pop(rel, None)
            if self._parse_cache is not None:
                self._parse_cache.forget(rel)

    def iter_loaded(self) -> Iterator[tuple[str, str, LoadedFile]]:
        """Every record file (kind, ID, loaded), speakers then forums with their sessions."""
        for speaker_id in self.speaker_ids():
            yield "speaker", speaker_id, self.loaded("speaker", speaker_id)
        for forum_id in self.forum_ids():
            yield "forum", forum_id, self.loaded("forum", forum_id)
            for session_id in self.session_ids(forum_id):
                yield "session", session_id, self.loaded("session", session_id)

    # -- writing -----------------------------------------------------------------

    def schema_ref(self, rel: str, kind: str) -> str:
        """The ``#:schema`` location for a file: relative to it, inside the archive."""
        depth = rel.count("/")
        return (
            "../" * depth + f"{SCHEMAS_DIR}/{kind}.schema.json"
            if depth
            else (f"./{SCHEMAS_DIR}/{kind}.schema.json")
        )
