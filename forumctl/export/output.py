"""Writing an export directory: only into one forumctl made (or an empty one), atomically.

A marker file lists what the last export wrote, so that a second export into the same
directory may replace those files and remove the ones no longer produced (a forum
dropped from the archive), while a directory of someone else's files is never touched
without ``--force``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from forumctl import durable
from forumctl.errors import RecordExists, Terminated, WriteError

MARKER = ".forumctl-export"
_STAGING_SUFFIX = ".tmp"  # an export's staging directory: ".OUT." + random characters + this
_MARKER_HEADER = (
    "# Written by forumctl export; lists the files it wrote. Safe to delete.\n"
    "# A line: the file, the digest of what it was made from, its size and the digest of its\n"
    "# bytes, tab-separated (docs/export.md). A line of a name alone is a file to make again.\n"
    "# A line '#state', a key and a value: the archive's state as this export saw it.\n"
)
_STATE = "#state\t"  # (a comment to forumctl 0.3, which then renders what it must)

# A file the user owns once it exists (a site's mkdocs.yml): called with its text (None
# when there is none) and whether the last export listed it as its own, it returns the
# text to write, or None to leave the file as it is.
UserFile = Callable[[str | None, bool], str | None]


def content_digest(data: bytes) -> str:
    """The digest of a file's bytes in the marker (SHA-256, which the CPU computes at over
    a gigabyte a second where it has SHA instructions, cut to 128 bits)."""
    return hashlib.sha256(data).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Entry:
    """What the marker says of one file the last export wrote."""

    inputs: str  # the digest of what its page was made from (forumctl/export/incremental.py)
    size: int
    content: str  # :func:`content_digest` of its bytes


@dataclass(frozen=True, slots=True)
class Previous:
    """The last export into a directory, as its marker tells it."""

    out: Path
    entries: dict[str, Entry | None]  # every file it listed; None: no digests (make again)
    written_ns: int  # when the marker was written (its st_mtime_ns)
    # what the export saw of the archive before it loaded it (forumctl/export/incremental.py)
    state: dict[str, str] = field(default_factory=dict)
    # the files read to be checked (:meth:`holds`): the marker is written again after, so
    # that the next export trusts them unread (a touched file, a chmod)
    read: list[str] = field(default_factory=list)
    # the status of each file read (inode, size, ctime), to tell one changed after it
    read_as: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    def holds(self, name: str, size: int, content: str) -> bool:
        """Whether ``out/name`` is a regular file of those bytes (``size``, and ``content``
        their :func:`content_digest`). It is read only when it may have changed since the
        marker was written: a write, a rename or a ``touch`` of it sets its ctime, which no
        program can set back, so a file of the size listed whose ctime is older than the
        marker's mtime (written after every file of its export was in place) holds the
        bytes listed. The marker's own ctime would not do: a chmod, a link or a copy of the
        marker moves it on, past a hand-edit made before."""
        path = f"{self.out}/{name}"  # (a string: this runs once per file of the export)
        try:
            status = os.lstat(path)
        except OSError:
            return False
        if not stat.S_ISREG(status.st_mode) or status.st_size != size:
            return False
        entry = self.entries.get(name)
        if entry is not None and self._as_listed(status, entry):
            return entry.content == content
        self.read.append(name)
        self.read_as[name] = (status.st_ino, status.st_size, status.st_ctime_ns)
        try:
            with open(path, "rb") as file:
                return content_digest(file.read()) == content
        except OSError:
            return False

    def all_trusted(self) -> bool:
        """Whether every file listed is, unread, what the marker says (:meth:`holds`: of
        the size listed, its ctime older than the marker's mtime)."""
        for name, entry in self.entries.items():
            if entry is None:
                return False
            try:
                status = os.lstat(f"{self.out}/{name}")
            except OSError:
                return False
            if not self._as_listed(status, entry):
                return False
        return True

    def still_as_listed(self, name: str) -> Entry | None:
        """The entry of ``name`` when its file is still the one listed: unread (see
        :meth:`holds`), or as it was when :meth:`holds` read it; None when it may have
        changed since."""
        entry = self.entries.get(name)
        try:
            status = os.lstat(f"{self.out}/{name}")
        except OSError:
            return None
        if entry is None:
            return None
        if name in self.read_as:
            as_read = self.read_as[name] == (status.st_ino, status.st_size, status.st_ctime_ns)
            return entry if as_read else None
        return entry if self._as_listed(status, entry) else None

    def _as_listed(self, status: os.stat_result, entry: Entry) -> bool:
        """Whether the file of that lstat is, unread, the one ``entry`` lists (see
        :meth:`holds`)."""
        return (
            stat.S_ISREG(status.st_mode)
            and status.st_size == entry.size
            and status.st_ctime_ns < self.written_ns
        )

    def up_to_date(self, name: str, inputs: str) -> bool:
        """Whether ``out/name`` is what its page makes from inputs of digest ``inputs``:
        the marker lists it with those inputs, and the file holds the bytes listed."""
        entry = self.entries.get(name)
        return (
            entry is not None
            and entry.inputs == inputs
            and self.holds(name, entry.size, entry.content)
        )


def previous_export(out: Path) -> Previous | None:
    """The last export into ``out``, or None when forumctl did not make it (no marker)."""
    marker = out / MARKER
    try:
        status = os.lstat(marker)
        if not stat.S_ISREG(status.st_mode):
            return None
        # an edited or damaged marker must not stop the export: only its valid lines count
        lines = marker.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    entries: dict[str, Entry | None] = {}
    state: dict[str, str] = {}
    for line in lines:
        if line.startswith(_STATE):
            key, _, value = line[len(_STATE) :].partition("\t")
            state[key] = value
        elif line and not line.startswith("#"):
            name, *fields = line.split("\t")
            entries[name] = _entry(fields)
    return Previous(out, entries, status.st_mtime_ns, state)


def _entry(fields: list[str]) -> Entry | None:
    """A marker line's entry; None for a name alone (a marker of forumctl 0.2 or older)
    or a line that is not one forumctl wrote."""
    if len(fields) != 3 or not fields[1].isdigit():
        return None
    inputs, size, content = fields
    return Entry(inputs, int(size), content)


def _marker(entries: Mapping[str, Entry | None], state: Mapping[str, str]) -> str:
    """The marker's text: its files, then ``state`` (keys and values without a tab or a
    line break: :func:`forumctl.export.incremental.recorded` makes them)."""
    lines = [
        name if entry is None else f"{name}\t{entry.inputs}\t{entry.size}\t{entry.content}"
        for name, entry in sorted(entries.items())
    ]
    lines += [f"{_STATE}{key}\t{value}" for key, value in sorted(state.items())]
    return _MARKER_HEADER + "".join(f"{line}\n" for line in lines)


# A file written: its size and the :func:`content_digest` of its bytes (the marker's
# entry holds both, and the process that wrote the file knows them without reading it).
Stored = tuple[int, str]


class PageWriter(Protocol):
    """Files made as they are written (an export's pages), never all in memory at once:
    their names, known before, and the call that makes each and gives it to ``put(name,
    text)``, which writes it into the staging directory (from any process) and returns
    what it stored; ``write`` returns that of each page, in the order of ``names``."""

    @property
    def names(self) -> Sequence[str]: ...

    def write(self, put: Callable[[str, str], Stored]) -> Sequence[Stored]: ...


@dataclass(frozen=True, slots=True)
class Tree:
    """What a directory exporter gives :func:`write_tree`: files of text, and pages
    written as they are made."""

    files: dict[str, str] = field(default_factory=dict)
    pages: PageWriter | None = None


@dataclass(frozen=True, slots=True)
class Written:
    """What :func:`write_tree` did: how many files the export has (the user's files in it
    among them), and how many it wrote (the others were left as they were, their bytes
    the same)."""

    files: int
    changed: int


def write_tree(
    out: Path,
    files: Mapping[str, str],
    *,
    pages: PageWriter | None = None,
    force: bool = False,
    user_files: Mapping[str, UserFile] | None = None,
    inputs: Mapping[str, str] | None = None,
    keep: Collection[str] = (),
    state: Mapping[str, str] | None = None,
    previous: Previous | None = None,
) -> Written:
    """Write ``files`` (relative path with "/" to text) and ``pages`` under ``out``.

    ``user_files`` are the files the user owns: written when their function returns text
    (normally only when they do not exist yet), never listed in the marker, never removed.
    ``inputs`` gives the digest of what each file was made from, which the marker keeps
    (a file without one is made again by the next incremental export); ``keep`` are files
    of the last export that are up to date (:meth:`Previous.up_to_date`): left as they are
    and listed again. A file whose bytes are those on disk already is not written either.
    ``state`` goes into the marker (:attr:`Previous.state` of the next export);
    ``previous`` is the marker's :func:`previous_export` when the caller has read it.

    Refuses a non-empty directory without the marker unless ``force``. The files are
    written into a hidden staging directory first (beside ``out`` when it does not exist
    yet, inside it otherwise; removed however the export ends, or by the next when it was
    killed: :func:`_staging_directory`) and synced to disk. A new ``out`` then appears in
    one rename, complete; into an existing one each file is renamed into place and the
    marker last (after a marker that lists the files about to appear, when there are new
    ones), so that an interrupted export is still recognised as forumctl's own and the
    next one finds every file it did not finish changed (:meth:`Previous.holds`).
    """
    if out.exists() and not out.is_dir():
        raise WriteError("is not a directory", path=out, hint="choose a directory for --out")
    if previous is None and out.exists():
        previous = previous_export(out)
    if previous is None and out.exists() and any(out.iterdir()) and not force:
        raise RecordExists(
            "is not empty and was not written by forumctl export",
            path=out,
            hint="choose another --out, or use --force to write into it",
        )
    listed = previous.entries if previous is not None else {}
    rendered = [] if pages is None else list(pages.names)
    names = {*files, *rendered, *keep}
    contents = dict(files)
    owned = user_files or {}
    # the user's files in ``out`` once the export is done: files of the export too, counted
    # alike whether this export writes them (the first) or leaves them (every other)
    theirs = []
    for name, decide in owned.items():
        current = out / name
        existing = current.read_text(encoding="utf-8") if current.is_file() else None
        decided = decide(existing, name in listed)
        if decided is not None:
            contents[name] = decided
        if existing is not None or decided is not None:
            theirs.append(name)
    stale = set(listed) - names - set(owned)
    existed = out.is_dir()
    with _staging_directory(out, existed) as staging:
        try:
            tree = staging / "tree"  # made by mkdir, so with the usual permissions (mkdtemp: 0700)
            tree.mkdir()
            stored = _stage(tree, contents, pages)
            made_now = _entries(stored, [*files, *rendered], inputs or {})
            written = sorted(
                name
                for name in {*contents, *rendered}
                if previous is None
                or name not in made_now  # (a user's file)
                or not previous.holds(name, made_now[name].size, made_now[name].content)
            )
            # the files kept are up to date: listed with their digests, unless one changed
            # since the plan trusted it (a hand-edit while this export rendered, which the
            # new marker's later time would hide): listed without, to be made again
            kept = {name: listed[name] for name in keep}
            if previous is not None:
                kept = {name: previous.still_as_listed(name) for name in kept}
            marker = _marker({**made_now, **kept}, state or {})
            checked = previous is not None and previous.read
            if (
                existed
                and not written
                and not stale
                and not checked
                and _holds(out / MARKER, marker)
            ):
                # up to date: nothing touched
                return Written(len({*names, *theirs}), 0)
            if existed:
                appearing = set(written) - set(listed) - set(owned)
                if appearing:  # listed before they appear, so that they are known as ours
                    _put_marker(out, staging, {**listed, **dict.fromkeys(appearing)})
                made: set[str] = set()
                for name in written:
                    _make_parents_inside(out, name, made)
                    os.replace(tree / name, out / name)
                _remove_stale(out, stale)
                # written now, after the files are in place: its mtime is later than theirs
                _write_anchor(tree, marker)
                os.replace(tree / MARKER, out / MARKER)
                durable.make_durable(out, [], ["", *made])
            else:
                _write_anchor(tree, marker)
                os.rename(tree, out)
                durable.fsync_directory(out.parent)
        except OSError as error:
            raise WriteError(f"cannot write: {error.strerror}", path=out) from None
    return Written(len({*names, *theirs}), len(written))


@contextlib.contextmanager
def _staging_directory(out: Path, existed: bool) -> Iterator[Path]:
    """A new staging directory for ``out`` (inside it when it ``existed``, else beside it),
    removed at the end however the export ends: an error, Ctrl-C, or SIGTERM, which ends
    the export as Ctrl-C does while this runs (Python's default for it ends the process at
    once, its staging left behind).

    A process killed outright (SIGKILL, a crash, the machine's power) cannot remove it. So
    each export holds a lock on its own (flock, which the kernel releases when the process
    ends, however it ends) and first removes those beside and inside ``out`` that no
    process holds: left by exports that no longer run. One in use by an export into the
    same ``out`` running at the same time is left alone."""
    with _sigterm_interrupts():
        remove_abandoned_staging(out)
        try:
            if not existed:
                out.parent.mkdir(parents=True, exist_ok=True)
            made = tempfile.mkdtemp(
                prefix=f".{out.name}.", suffix=_STAGING_SUFFIX, dir=out if existed else out.parent
            )
            held = os.open(made, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as error:
            raise WriteError(f"cannot write: {error.strerror}", path=out) from None
        try:
            # locked before it holds "tree": another export's sweep takes only a directory
            # that has one, after locking it (so it never takes this one while it is new)
            fcntl.flock(held, fcntl.LOCK_EX)
            yield Path(made)
        finally:
            shutil.rmtree(made, ignore_errors=True)
            os.close(held)


def remove_abandoned_staging(out: Path) -> None:
    """Remove the staging directories of exports into ``out`` that no longer run: named as
    :func:`_staging_directory` names them (mkdtemp's 8 random letters, digits or "_"
    between ``.OUT.`` and ``.tmp``: a directory of the user's named otherwise is theirs),
    holding its ``tree`` (and at most a marker), and not locked by a process. Every
    export does, also one that finds ``out`` up to date before it writes anything."""
    named = re.compile(re.escape(f".{out.name}.") + "[a-z0-9_]{8}" + re.escape(_STAGING_SUFFIX))
    for directory in (out, out.parent):
        try:
            found = [
                entry.path
                for entry in os.scandir(directory)
                if named.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
            ]
        except OSError:  # (no --out yet, or a parent that cannot be listed)
            continue
        for path in found:
            try:
                held = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
                names = set(os.listdir(path))
                if "tree" in names and names <= {"tree", MARKER}:
                    shutil.rmtree(path, ignore_errors=True)
            except OSError:  # locked: an export that runs now holds it
                pass
            finally:
                os.close(held)


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Within it, SIGTERM raises Terminated, a KeyboardInterrupt (in the main thread, where
    a signal handler can be set; unless the process ignores SIGTERM)."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(
        signal.SIGTERM
    ) in (signal.SIG_IGN, None):
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _entries(
    stored: Mapping[str, Stored], made: Iterable[str], inputs: Mapping[str, str]
) -> dict[str, Entry]:
    """The marker's entry of each file and page ``made``: its inputs' digest, and the size
    and bytes' digest the process that wrote it reported (:func:`_stage`)."""
    return {name: Entry(inputs.get(name, "-"), *stored[name]) for name in made}


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _write_durably(directory: Path, name: str, text: str) -> None:
    """One more file in ``directory``, as :func:`_stage` writes them, made durable."""
    _writer(directory)(name, text)
    durable.make_durable(directory, [name], [""])


def _write_anchor(tree: Path, marker: str) -> None:
    """Write the marker, with an mtime later than the ctime of every file in place before
    (:meth:`Previous.holds` trusts a file older than it): file times move in ticks of the
    kernel's clock (a few ms), so a file put in place in the tick the marker is written in
    would have the same time, and be read again by every export after."""
    import time

    after = time.time_ns()  # (the clock of file times is never ahead of this one)
    _write_durably(tree, MARKER, marker)
    while os.lstat(tree / MARKER).st_mtime_ns <= after:
        time.sleep(0.001)
        os.utime(tree / MARKER)


def _put_marker(out: Path, staging: Path, entries: Mapping[str, Entry | None]) -> None:
    """A marker put in place at once, durable (written, synced, renamed, its directory
    synced)."""
    _write_durably(staging, MARKER, _marker(entries, {}))
    os.replace(staging / MARKER, out / MARKER)
    durable.fsync_directory(out)


def _remove_stale(out: Path, stale: Iterable[str]) -> None:
    for name in sorted(stale):
        # an edited marker, or a directory replaced by a link, may point anywhere: remove
        # only regular files whose real place is inside ``out``
        if _inside(out, name) and stat.S_ISREG(os.lstat(out / name).st_mode):
            (out / name).unlink()


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


def _stage(tree: Path, contents: Mapping[str, str], pages: PageWriter | None) -> dict[str, Stored]:
    """Write the files and pages under ``tree`` and make them durable with their
    directories: each file is one os.open and write of its UTF-8 bytes, without an fsync
    of its own, and then one syncfs(2) of the file system
    (:func:`forumctl.durable.make_durable`; an fsync of each file and directory where
    there is no syncfs). An fsync per file waited for the disk 21,000 times for a site of
    20,000 speakers. The pages are written by the processes that render them, each as it
    is made (:class:`PageWriter`). Returns what was stored of each file and page."""
    names = [*contents, *([] if pages is None else pages.names)]
    directories = _parents(names)
    for directory in directories:
        os.mkdir(tree / directory)
    put = _writer(tree)
    stored = {name: put(name, text) for name, text in contents.items()}
    if pages is not None:
        stored.update(zip(pages.names, pages.write(put), strict=True))
    durable.make_durable(tree, names, ["", *directories])
    return stored


def _writer(tree: Path) -> Callable[[str, str], Stored]:
    """The function that writes a file's text under ``tree`` (whose directories exist)
    and returns its size and digest."""
    root = str(tree)  # strings, not pathlib: this runs once per file
    forced = 0o644 & durable.umask()  # files are 0644 whatever the umask, as before

    def put(name: str, text: str) -> Stored:
        path = f"{root}/{name}"
        data = text.encode("utf-8")
        durable.write_file(path, data, 0o644, sync=False)
        if forced:
            os.chmod(path, 0o644)
        return len(data), content_digest(data)

    return put
