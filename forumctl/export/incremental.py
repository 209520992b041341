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
import sys
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forumctl.cache import RACY_WINDOW_NS
from forumctl.export.output import Previous

if TYPE_CHECKING:  # (the page modules are imported only when pages are made: a re-export
    # found up to date from the file state alone imports none of them)
    from forumctl.archive import Archive
    from forumctl.export.model import ResolvedArchive, ResolvedForum
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


def reached(
    every: dict[str, Reach], pages: Iterable[str], *, archive_wide: bool = True
) -> Selection:
    """The ``pages`` with the forums and speakers they hold whole: the page data to make
    (the listing pages' summaries are made for all). ``every`` is :func:`reach`'s;
    ``archive_wide``: whether it is the whole archive's (:class:`Selection`)."""
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
    return Selection(chosen, frozenset(forums), frozenset(speakers), listings, archive_wide)


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


def plan(
    resolved: ResolvedArchive,
    options: Options,
    previous: Previous | None,
    changed: Collection[str] | None = None,
) -> Plan:
    """What to render: every page without a last export to build on (``previous`` None:
    no marker, or one of names alone), else the pages whose file is not up to date.

    ``changed``: the forums of which only sessions changed (:func:`changed_forums`), with
    ``resolved`` holding their programmes and those of the forums their speakers appear
    in (:func:`programmes_reached`): only those forums' pages and their speakers' can have
    changed; every other file of the last export is kept (trusted unread)."""
    every = reach(resolved)
    if changed is not None:
        from forumctl.export.pages import forum_page, speaker_page

        named = {sid for forum in resolved.forums if forum.id in changed for sid in _named(forum)}
        looked_at = {str(forum_page(forum_id)) for forum_id in changed}
        looked_at |= {str(speaker_page(speaker_id)) for speaker_id in named}
        every = {page: held for page, held in every.items() if page in looked_at}
    made = digests(resolved, options, every)
    inputs = {options.prefix + page: digest for page, digest in made.items()}
    if previous is None or all(entry is None for entry in previous.entries.values()):
        return Plan(inputs, None, frozenset())
    keep = frozenset(name for name, digest in inputs.items() if previous.up_to_date(name, digest))
    render = [name[len(options.prefix) :] for name in inputs if name not in keep]
    if changed is not None:
        keep |= previous.entries.keys() - inputs.keys()
    return Plan(inputs, reached(every, render, archive_wide=changed is None), keep)


# -- the archive's file state: a re-export found up to date before anything is loaded ----


@dataclass(frozen=True, slots=True)
class FileState:
    """The record files of the archive, as a full load lists them, by their stat keys
    (inode, size, mtime_ns, ctime_ns: what the parse cache keys its entries by), taken
    before anything is loaded: a digest of each group of them ("speakers": the manifest
    and the speakers; "forum:ID": a forum's forum.toml; "sessions:ID": its sessions), or
    "-" for a group with a file changed within the parse cache's racy window (a write in
    the same clock tick may leave its key as it was: the next export must not trust it)."""

    groups: dict[str, str]
    sessions: list[str]  # every session's file


def file_state(archive: Archive) -> FileState | None:
    """The archive's record files now (:meth:`Archive.file_states`), or None in any doubt:
    something its listing could not take as a record (a link that leads nowhere, a name
    that is not UTF-8, a directory that cannot be read), a forum ID that cannot be kept on
    a line of the marker. The full path then says what a load says of them."""
    import time

    from forumctl.errors import ForumctlError

    trusted_before = time.time_ns() - RACY_WINDOW_NS
    try:
        states = archive.file_states()
    except ForumctlError:
        return None
    if archive.unlisted:
        return None
    lines: dict[str, list[str]] = {}
    racy: set[str] = set()
    sessions = []
    for rel, (inode, size, mtime, ctime) in states.items():
        parts = rel.split("/")
        if parts[0] != "forums":
            group = "speakers"
        elif len(parts) == 3:
            group = f"forum:{parts[1]}"
        else:
            group = f"sessions:{parts[1]}"
            sessions.append(rel)
        lines.setdefault(group, []).append(f"{rel}\0{inode} {size} {mtime} {ctime}\n")
        if max(ctime, mtime) >= trusted_before:
            racy.add(group)
    if not all(group.isprintable() for group in lines):
        return None
    groups = {
        group: "-" if group in racy else hashlib.sha256("".join(found).encode()).hexdigest()[:32]
        for group, found in lines.items()
    }
    for group in [group for group in groups if group.startswith("forum:")]:
        groups.setdefault(f"sessions:{group[6:]}", _NO_SESSIONS)
    return FileState(groups, sessions)


_NO_SESSIONS = "none"  # the "sessions:ID" of a forum without sessions


def recorded(
    files: FileState | None,
    options: Options,
    resolved: ResolvedArchive,
    previous: Previous | None = None,
    programmes: Collection[str] | None = None,
) -> dict[str, str]:
    """What the marker keeps of the archive's state for the next export (:func:`unchanged`,
    :func:`changed_forums`): the digest of the environment, the groups of the files'
    stat keys, the rules of each time zone used, each forum's appearances (who appears
    how often: speakers.md counts them), and for a site its git tags (the Changes page).
    ``programmes``: the forums resolved whole (:func:`forumctl.export.model.resolve`; the
    others' appearances are as ``previous`` recorded them). Nothing when ``files`` is None
    or a value cannot be kept on a line."""
    if files is None:
        return {}
    found = {"environment": _environment(options), **files.groups}
    for forum in resolved.forums:
        zone = forum.timezone
        if zone is not None and f"zone:{zone}" not in found:
            if not zone.isprintable():
                return {}
            found[f"zone:{zone}"] = _zone_digest(zone).hex()
        key = f"appearances:{forum.id}"
        if programmes is None or forum.id in programmes:
            found[key] = _appearances(forum)
        elif previous is not None and key in previous.state:
            found[key] = previous.state[key]
    if options.format == "site":
        releases = _releases_digest(resolved.root)
        if releases is None:
            return {}
        found["releases"] = releases
    return found


def _appearances(forum: ResolvedForum) -> str:
    """The digest of who appears in the forum and how often (chairing or speaking)."""
    from collections import Counter

    named = Counter(_named(forum))
    return hashlib.sha256(repr(sorted(named.items())).encode()).hexdigest()[:32]


def _named(forum: ResolvedForum) -> Iterator[str]:
    """The speaker of each appearance in the forum (a chair, a talk's speaker)."""
    for session in forum.sessions:
        for person in session.chairs:
            yield person.id
        for talk in session.talks:
            for person in talk.speakers:
                yield person.id


def unchanged(previous: Previous, files: FileState | None, options: Options, root: Path) -> bool:
    """Whether the export ``previous`` made is up to date without loading anything: it
    recorded the same state as now (:func:`recorded`) and every file it lists is trusted
    unread (:meth:`Previous.all_trusted`)."""
    return (
        files is not None
        and _same_groups(previous.state, files) == []
        and _same_around(previous.state, options, root)
        and previous.all_trusted()
    )


# at most this many forums whose sessions changed for a re-export that loads only them
# (and the forums their speakers appear in); more: the whole archive
CHANGED_FORUMS = 20


def changed_forums(
    previous: Previous, files: FileState | None, options: Options, root: Path
) -> list[str] | None:
    """The forums of which only sessions changed since the export ``previous`` made
    (edited, added or removed), when nothing else it depends on did (the manifest, the
    speakers, any forum's forum.toml, the forums there are, the environment, the tz
    rules, the tags) and every file it lists is trusted unread: the pages to render again
    are among those forums' and their speakers' (:func:`plan`). None otherwise (the
    whole archive is loaded), or when nothing changed."""
    if files is None or options.forums is not None:
        return None
    changed = _same_groups(previous.state, files)
    if (
        changed is None
        or not changed
        or len(changed) > CHANGED_FORUMS
        or not all(group.startswith("sessions:") for group in changed)
        or not _same_around(previous.state, options, root)
        or not previous.all_trusted()
    ):
        return None
    return [group[len("sessions:") :] for group in changed]


def _same_groups(state: dict[str, str], files: FileState) -> list[str] | None:
    """The groups of files (:class:`FileState`) that changed since ``state`` was recorded
    (or were not to be trusted then); None when groups came or went (a forum added or
    removed, the first export of this forumctl)."""
    if sum(key.partition(":")[0] in _GROUPS for key in state) != len(files.groups):
        return None
    changed = []
    for group, digest in files.groups.items():
        before = state.get(group)
        if before is None:
            return None
        if before != digest or digest == "-":
            changed.append(group)
    return changed


_GROUPS = ("speakers", "forum", "sessions")


def _same_around(state: dict[str, str], options: Options, root: Path) -> bool:
    """Whether what the pages depend on besides the record files is as ``state`` recorded
    it: the environment, the tz rules of the zones used, the git tags (a site)."""
    if state.get("environment") != _environment(options):
        return False
    if options.format == "site" and "releases" not in state:
        return False
    for key, value in state.items():
        kind, _, name = key.partition(":")
        if kind == "zone":
            if _zone_digest(name).hex() != value:
                return False
        elif kind == "releases":
            if options.format != "site" or _releases_digest(root) != value:
                return False
        elif kind not in ("environment", "appearances", *_GROUPS):
            return False  # (a key of another version of forumctl)
    return True


def programmes_reached(archive: Archive, changed: Iterable[str], files: FileState) -> set[str]:
    """The forums whose programmes a re-export after ``changed`` forums' sessions changed
    must resolve: those forums, and every forum their speakers appear in (a speaker's
    page shows each of them). A session of another forum is read only when the parse
    cache does not know whom it names (its "terms")."""
    from forumctl.references import referred_ids

    forums = set(changed)
    named: set[str] = set()
    for forum_id in sorted(forums):
        for session in archive.sessions(forum_id).values():
            named.update(referred_ids(session, "speaker"))
    others = [rel for rel in files.sessions if rel.split("/")[1] not in forums]
    cache = archive.parse_cache
    known = cache.terms(others) if cache is not None else [None] * len(others)
    for rel, terms in zip(others, known, strict=True):
        _, forum_id, _, name = rel.split("/")
        if terms is None:  # only loading the session can tell
            terms = frozenset(referred_ids(archive.session(f"{forum_id}/{name[:-5]}"), "speaker"))
        if not named.isdisjoint(terms):
            forums.add(forum_id)
    return forums


def same_appearances(
    previous: Previous, resolved: ResolvedArchive, changed: Collection[str]
) -> bool:
    """Whether the same speakers appear, as often, in the ``changed`` forums as when
    ``previous`` was made: else a speaker's count on the speakers page, or the page of one
    who no longer appears there, would change, and the whole archive is needed."""
    return all(
        previous.state.get(f"appearances:{forum.id}") == _appearances(forum)
        for forum in resolved.forums
        if forum.id in changed
    )


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
        # --forum as resolve() takes it: the same forums in another order, or one given
        # twice, export the same pages
        f"{options.format} {options.language} {_forum_selection(options.forums)}",
    ):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def _forum_selection(forums: Sequence[str] | None) -> list[str] | None:
    return None if forums is None else sorted(set(forums))


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
