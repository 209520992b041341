"""Incremental export: into a directory forumctl exported before, only the pages whose
inputs changed are rendered and written.

Each page's inputs have one digest, made here from the resolved model and nothing else
(never from what a template prints): what every page depends on (forumctl itself and the
libraries whose text is in the pages, the built-in templates and every file of the
user's ``--templates`` directory, the format and its options, the manifest, the
language), then the forums and speakers the page's template context reaches
(:func:`reach`), each as the digest of its resolved records. A forum's covers its
sessions, talks and the speakers named in them (with the affiliation held then), its
time zone (with its rules in the tz database) and its series' page; a speaker's covers
their record and where they appear.
The marker of the last export (:mod:`forumctl.export.output`) keeps each file's digest
and the digest of its bytes: a page is rendered again when its digest differs, or when
its file is missing or no longer holds the bytes written (a hand-edit).

Reach follows the page data (:mod:`forumctl.export.pages`): a forum page holds its
forum; a speaker page the speaker and, through the appearances, the whole of each forum
they appear in; a year or series page the whole of its forums; the front page, the list
of series and the speakers page every forum (and every speaker).
tests/test_export_incremental.py checks, after random edits, that a re-export is byte for
byte a fresh export.

Before any of that, the archive's file state (:func:`file_state`: each record file's stat,
nothing read) and what else every page depends on are compared with what the last export
recorded in its marker (:func:`recorded`, :func:`unchanged`): when all is as it was and
every file of the export is trusted unread, the export is up to date without loading.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import os
import stat
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forumctl.cache import RACY_WINDOW_NS
from forumctl.export.output import Previous

if TYPE_CHECKING:  # (the page modules are imported only when pages are made: a re-export
    # found up to date from the file state alone imports none of them)
    from forumctl.export.model import ResolvedArchive
    from forumctl.export.pages import Selection

# The distributions whose code makes text that is in the pages (templates, dates, slugs,
# the order of names, Markdown, JSON): a new version of one may change a page.
_LIBRARIES = (
    "jinja2",
    "markupsafe",
    "babel",
    "markdown-it-py",
    "python-slugify",
    "text-unidecode",
    "orjson",
)


@dataclass(frozen=True, slots=True)
class Options:
    """What an export was asked for besides the archive: all of it is in every digest."""

    format: str  # the command: "markdown" or "site"
    templates: Path | None  # --templates
    language: str | None  # --language
    forums: Sequence[str] | None  # --forum, as given
    prefix: str = ""  # where the Markdown pages are in --out ("docs/" in a site)


@dataclass(frozen=True, slots=True)
class Plan:
    """What an export into ``--out`` renders and what it leaves as it is."""

    inputs: dict[str, str]  # each page's file (its path in --out) -> its inputs' digest
    render: Selection | None  # the pages to render and what they hold; None: every one
    keep: frozenset[str]  # the files in --out that are up to date, left as they are


@dataclass(frozen=True, slots=True)
class Reach:
    """What a page's template context holds (:mod:`forumctl.export.pages`): forums and
    speakers whole (a forum's programme, a speaker's appearances) and as the listing
    pages list them (summaries: a forum's record, a speaker's and their number of
    appearances). By ID, in the resolved archive's order."""

    forums: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    listed_forums: tuple[str, ...] = ()
    listed_speakers: tuple[str, ...] = ()


def reach(resolved: ResolvedArchive) -> dict[str, Reach]:
    """Every Markdown page of the export (its path, as :func:`markdown.render` names it)
    with what its template context holds."""
    from forumctl.export.markdown import INDEX, SPEAKERS
    from forumctl.export.pages import (
        SERIES_INDEX,
        forum_page,
        series_pages,
        speaker_page,
        year_page,
    )

    found = {
        INDEX: Reach(listed_forums=tuple(forum.id for forum in resolved.forums)),
        SPEAKERS: Reach(listed_speakers=tuple(entry.id for entry in resolved.speakers)),
    }
    by_series: dict[str, list[str]] = {}
    by_year: dict[int, list[str]] = {}
    for forum in resolved.forums:
        found[forum_page(forum.id)] = Reach(forums=(forum.id,))
        by_year.setdefault(forum.forum.start.year, []).append(forum.id)
        if forum.forum.series:
            by_series.setdefault(forum.forum.series, []).append(forum.id)
    for year, ids in by_year.items():
        found[year_page(year)] = Reach(listed_forums=tuple(ids))
    series = series_pages(resolved.forums)
    if series:
        in_series = tuple(f.id for f in resolved.forums if f.forum.series)
        found[SERIES_INDEX] = Reach(listed_forums=in_series)
    for name, page in series.items():
        found[page] = Reach(listed_forums=tuple(by_series[name]))
    for entry in resolved.speakers:
        appeared = tuple(dict.fromkeys(appearance.forum.id for appearance in entry.appearances))
        found[speaker_page(entry.id)] = Reach(appeared, (entry.id,))
    return {str(page): held for page, held in found.items()}


def reached(every: dict[str, Reach], pages: Iterable[str]) -> Selection:
    """The ``pages`` with the forums and speakers they hold whole: the page data to make
    (the listing pages' summaries are made for all). ``every`` is :func:`reach`'s."""
    from forumctl.export.pages import Selection

    chosen = frozenset(pages)
    forums: set[str] = set()
    speakers: set[str] = set()
    listings = False
    for page in chosen:
        held = every[page]
        forums.update(held.forums)
        speakers.update(held.speakers)
        listings = listings or bool(held.listed_forums or held.listed_speakers)
    return Selection(chosen, frozenset(forums), frozenset(speakers), listings)


def digests(resolved: ResolvedArchive, options: Options, every: dict[str, Reach]) -> dict[str, str]:
    """Each Markdown page's inputs' digest, by its path (``every``: :func:`reach`'s)."""
    import msgspec

    from forumctl.export.pages import series_pages

    encode = msgspec.msgpack.Encoder().encode
    sha256 = hashlib.sha256
    common = _common(resolved, options, encode)
    slugs = series_pages(resolved.forums)
    forums, listed_forums = {}, {}
    positions: dict[int, int] = {}  # a talk's place in its session, by id() of the resolved talk
    zones: dict[str | None, bytes] = {}
    for forum in resolved.forums:
        slug = f"\0{slugs.get(forum.forum.series or '')}".encode()
        zone = zones.get(forum.timezone)
        if zone is None:
            zone = zones[forum.timezone] = _zone_digest(forum.timezone)
        forums[forum.id] = sha256(encode(forum) + zone + slug).digest()
        listed_forums[forum.id] = sha256(encode((forum.id, forum.forum)) + slug).digest()
        for session in forum.sessions:
            positions.update((id(talk), n) for n, talk in enumerate(session.talks))
    speakers, listed_speakers = {}, {}
    for entry in resolved.speakers:
        record = encode((entry.id, entry.speaker))
        listed_speakers[entry.id] = sha256(record + encode(len(entry.appearances))).digest()
        # where they appear (the forums there have digests of their own)
        where = [
            (a.forum.id, a.session.id, None if a.talk is None else positions[id(a.talk)])
            for a in entry.appearances
        ]
        speakers[entry.id] = sha256(record + encode(where)).digest()
    found = {}
    for page, held in every.items():
        digest = sha256(common)
        digest.update(page.encode())
        for kind, ids, parts in (
            (b"\0forums", held.forums, forums),
            (b"\0speakers", held.speakers, speakers),
            (b"\0listed forums", held.listed_forums, listed_forums),
            (b"\0listed speakers", held.listed_speakers, listed_speakers),
        ):
            if ids:
                digest.update(kind + b"".join([parts[record_id] for record_id in ids]))
        found[page] = digest.hexdigest()[:32]
    return found


def plan(resolved: ResolvedArchive, options: Options, previous: Previous | None) -> Plan:
    """What to render: every page without a last export to build on (``previous`` None:
    no marker, or one of names alone), else the pages whose file is not up to date."""
    every = reach(resolved)
    made = digests(resolved, options, every)
    inputs = {options.prefix + page: digest for page, digest in made.items()}
    if previous is None or all(entry is None for entry in previous.entries.values()):
        return Plan(inputs, None, frozenset())
    keep = frozenset(name for name, digest in inputs.items() if previous.up_to_date(name, digest))
    render = [name[len(options.prefix) :] for name in inputs if name not in keep]
    return Plan(inputs, reached(every, render), keep)


# -- the archive's file state: a re-export found up to date before anything is loaded ----


@dataclass(frozen=True, slots=True)
class FileState:
    """The record files of the archive, as a full load lists them, each with its stat key
    (inode, size, mtime_ns, ctime_ns: the parse cache's, forumctl/cache.py), taken before
    anything is loaded."""

    digest: str  # of every file's path and stat key
    # a file changed within the parse cache's racy window before the scan: a write in the
    # same clock tick may leave its key as it was, so the next export must not trust it
    racy: bool


def file_state(root: Path) -> FileState | None:
    """The record files of the archive at ``root`` (the manifest, speakers, forums and
    sessions, as :class:`forumctl.archive.Archive` lists them), or None in any doubt: a
    symbolic link, a name that is not printable UTF-8, a directory that cannot be read.
    The full path then says what a load says of them."""
    import time

    from forumctl.archive import FORUM_FILE, FORUMS_DIR, MANIFEST, SESSIONS_DIR, SPEAKERS_DIR

    trusted_before = time.time_ns() - RACY_WINDOW_NS
    lines: list[str] = []
    newest = 0  # the latest ctime or mtime seen

    def add(rel: str, status: os.stat_result) -> None:
        nonlocal newest
        lines.append(
            f"{rel}\0{status.st_ino} {status.st_size} {status.st_mtime_ns} {status.st_ctime_ns}\n"
        )
        newest = max(newest, status.st_ctime_ns, status.st_mtime_ns)

    def records_in(rel_dir: str, forums: bool = False) -> list[str] | None:
        """Add the record files of a directory (as Archive._toml_stems lists them; with
        ``forums``, the forums' directories, as Archive.forum_ids: their names are
        returned); None in doubt."""
        found = []
        try:
            with os.scandir(f"{root}/{rel_dir}") as scan:
                for entry in scan:
                    name = entry.name
                    if name[0] == ".":  # (not a record, as Archive._usable_as_id)
                        continue
                    if entry.is_symlink() or not name.isprintable() or "\\" in name:
                        return None
                    if forums:
                        if entry.is_dir():
                            found.append(name)
                    elif name.endswith(".toml") and entry.is_file():
                        add(f"{rel_dir}/{name}", entry.stat(follow_symlinks=False))
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError:
            return None
        return found

    try:
        status = os.lstat(f"{root}/{MANIFEST}")
        forums = records_in(FORUMS_DIR, forums=True)
        if not stat.S_ISREG(status.st_mode) or forums is None or records_in(SPEAKERS_DIR) is None:
            return None
        add(MANIFEST, status)
        for forum_id in forums:
            rel = f"{FORUMS_DIR}/{forum_id}/{FORUM_FILE}"
            try:
                status = os.lstat(f"{root}/{rel}")
            except (FileNotFoundError, NotADirectoryError):
                continue
            if stat.S_ISLNK(status.st_mode):
                return None
            if stat.S_ISREG(status.st_mode):
                add(rel, status)
                if records_in(f"{FORUMS_DIR}/{forum_id}/{SESSIONS_DIR}") is None:
                    return None
    except OSError:
        return None
    lines.sort()  # (a directory lists its files in any order)
    digest = hashlib.sha256("".join(lines).encode()).hexdigest()
    return FileState(digest, newest >= trusted_before)


def recorded(
    files: FileState | None, options: Options, resolved: ResolvedArchive
) -> dict[str, str]:
    """What the marker keeps of the archive's state for the next export (:func:`unchanged`):
    the digest of the environment, that of the files' stat keys ("-" when one is not to
    be trusted), the rules of each time zone used, and for a site its git tags (the
    Changes page).
    Nothing when ``files`` is None or a value cannot be kept on a line."""
    if files is None:
        return {}
    found = {"environment": _environment(options), "files": "-" if files.racy else files.digest}
    for forum in resolved.forums:
        zone = forum.timezone
        if zone is None or f"zone:{zone}" in found:
            continue
        if not zone.isprintable():
            return {}
        found[f"zone:{zone}"] = _zone_digest(zone).hex()
    if options.format == "site":
        releases = _releases_digest(resolved.root)
        if releases is None:
            return {}
        found["releases"] = releases
    return found


def unchanged(previous: Previous, files: FileState | None, options: Options, root: Path) -> bool:
    """Whether the export ``previous`` made is up to date without loading anything: it
    recorded the same state as now (:func:`recorded`) and every file it lists is trusted
    unread (:meth:`Previous.all_trusted`)."""
    state = previous.state
    if files is None or state.get("files") != files.digest:
        return False
    if state.get("environment") != _environment(options):
        return False
    for key, value in state.items():
        kind, _, name = key.partition(":")
        if kind == "zone":
            if _zone_digest(name).hex() != value:
                return False
        elif kind == "releases":
            if options.format != "site" or _releases_digest(root) != value:
                return False
        elif kind not in ("environment", "files"):
            return False  # (a key of another version of forumctl)
    if options.format == "site" and "releases" not in state:
        return False
    return previous.all_trusted()


def _releases_digest(root: Path | None) -> str | None:
    """The digest of what the site's Changes page is made from besides the archive's
    files: the repository, the tags on HEAD's history and their commits (whose changes
    never change), a shallow clone's bounds. None when git cannot say."""
    from forumctl.errors import ForumctlError
    from forumctl.history.git import Repository

    if root is None:
        return "no archive directory"
    try:
        repo = Repository.containing(root)
    except ForumctlError:  # (GitError) not in a repository: no Changes page
        return "no repository"
    except OSError:
        return None
    try:
        tags = repo.tags()
    except (ForumctlError, OSError):
        return None
    finally:
        repo.close()
    seen = repr((str(repo.top), repo.prefix, sorted(repo.shallow), tags))
    return hashlib.sha256(seen.encode()).hexdigest()


def _common(resolved: ResolvedArchive, options: Options, encode: Any) -> bytes:
    """The digest of what every page depends on."""
    digest = hashlib.sha256(_environment(options).encode())
    digest.update(f"\0{resolved.language} {resolved.translated_to}\0".encode())
    digest.update(encode(resolved.manifest))
    return digest.digest()


def _environment(options: Options) -> str:
    """The digest of what every page depends on besides the archive: forumctl, the
    libraries, Python, the templates and the options."""
    from forumctl import __version__
    from forumctl.resources import templates_dir

    digest = hashlib.sha256()
    for part in (
        f"forumctl {__version__}",
        _code_digest(),
        _library_versions(),
        f"python {sys.version_info[:2]} unicode {unicodedata.unidata_version}",
        # the built-in templates (markdown.builtin_templates, without importing it)
        _tree_digest(templates_dir() / "export"),
        "templates" if options.templates is None else _tree_digest(options.templates),
        f"{options.format} {options.language} {options.forums}",
    ):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def _zone_digest(name: str | None) -> bytes:
    """The digest of the time zone's rules in the tz database, where zoneinfo finds them
    (the system's, else the tzdata package's): an update of them may move the offsets of
    a forum's times."""
    import zoneinfo
    from importlib import resources

    if name is None:
        return bytes(32)
    try:
        for base in zoneinfo.TZPATH:
            path = Path(base, name)
            if path.is_file():
                return hashlib.sha256(path.read_bytes()).digest()
        rules = resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).read_bytes()
    except (ImportError, OSError, ValueError):  # an unknown zone: rendering says so
        return bytes(32)
    return hashlib.sha256(rules).digest()


@functools.cache
def _code_digest() -> str:
    """forumctl's own code: a changed module (an upgrade, a checkout) may change a page."""
    return _tree_digest(Path(__file__).resolve().parent.parent, "*.py")


def _files_under(directory: Path, pattern: str) -> list[Path]:
    """The files under ``directory`` matching ``pattern``, through links to directories
    as Jinja reads them (Path.rglob does not follow those), each real directory once."""
    found: list[Path] = []
    seen: set[str] = set()
    for top, directories, names in os.walk(directory, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:  # a link back up the tree
            directories.clear()
            continue
        seen.add(real)
        found += (Path(top, name) for name in fnmatch.filter(names, pattern))
    return found


def _tree_digest(directory: Path, pattern: str = "*") -> str:
    """The names and bytes of every file under ``directory`` matching ``pattern``."""
    digest = hashlib.sha256()
    if directory.is_dir():
        for path in sorted(p for p in _files_under(directory, pattern) if p.is_file()):
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError as error:  # rendering will say what is wrong with it
                digest.update(f"unreadable: {error.strerror}".encode())
            digest.update(b"\0")
    return digest.hexdigest()


@functools.cache
def _library_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in _LIBRARIES:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} -")
    return ", ".join(found)
