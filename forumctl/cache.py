"""The parse cache: each record file as loaded (record, problems, syntax error), kept
between runs so that a repeated command does not parse an unchanged archive again.

Where: ``<archive>/.forumctl-cache/`` (with a ``.gitignore`` of ``*`` and a CACHEDIR.TAG),
or ``$XDG_CACHE_HOME/forumctl/<hash of the archive path>/`` when the archive cannot be
written. One file per top-level directory (``speakers``, ``forums``), so that
``list speakers`` does not read sessions and a changed session rewrites only one; in it,
each entry is pickled on its own behind an index, so that ``show`` of one record
unpickles a few entries rather than the archive. In a shard of more than
:data:`PACKED_ABOVE` entries, a record that loaded without problems is packed by msgspec
(MessagePack) instead, which decodes three times faster than unpickling and encodes three
times faster than pickling; a small archive's cache is pickled whole, so that a small
read never imports msgspec.

Why an entry can be trusted (docs/performance.md explains it at length):

- It is used only when the file's (inode, size, mtime_ns, ctime_ns) are what they were
  when it was parsed. Nothing can set ctime back: any write, rename or ``touch -d``
  after the parse moves it forward.
- It is stored only when the file's ctime was already :data:`RACY_WINDOW_NS` old when
  this process started, so a write in the same clock tick as the parse (same size, same
  timestamps) cannot go unseen: such a file is parsed again next time, until it is old.
- The file header holds the cache format, the program version, a fingerprint of the
  modules that produce the entries, and a random secret of this user (kept in the user
  cache directory). Anything else, e.g. a cache file committed to a repository by
  someone else (unpickling runs code), a truncated or corrupted file, is ignored and
  rebuilt; it is never unpickled. An entry that fails to unpickle is parsed again.
- Files are replaced atomically (temporary file, then rename): concurrent runs each
  write a complete cache, the last one wins. When neither place can be written (full
  disk, read-only archive and home), the command runs uncached.
"""

from __future__ import annotations

import contextlib
import copyreg
import errno
import functools
import io
import operator
import os
import pickle
import stat
import struct
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from forumctl import __version__
from forumctl.loading import LoadedFile
from forumctl.records import ALL_TYPES, FIELDS, RECORD_TYPES, Speaker
from forumctl.references import referred_ids

CACHE_DIR = ".forumctl-cache"
CACHE_FORMAT = 5
RACY_WINDOW_NS = 2_000_000_000  # covers coarse (FAT: 2 s) timestamps and small clock skew
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This directory holds forumctl's parse cache; it is rebuilt when removed.\n"
)
_SECRET_BYTES = 16

StatKey = tuple[int, int, int, int]  # inode, size, mtime_ns, ctime_ns
# Path relative to the root -> the file's stat, where its entry lies in the shard's blobs
# (offset; length of the LoadedFile pickled on its own, so that `show` of one record
# decodes a few entries, not the whole archive; or, 0 for that, the length of its record
# packed by msgspec), the record's kind (which class the packed form decodes to) and its
# terms (:func:`_terms`): for a session the speaker IDs it refers to (None unless it
# loaded without problems), so that `show speaker` decodes only the sessions that name
# the speaker; for a speaker its identity.person_keys, so that a change to one speaker is
# validated against those sharing a key (validate/delta.py). A shard file is the header
# line, the length of the index (8 bytes), the index (a pickled pair: the version of
# msgspec that packed the records, or None, and the dict of entries) and the entries'
# blobs one after the other.
Entry = tuple[StatKey, int, int, int, str, frozenset[str] | None]
_INDEX_LENGTH = struct.Struct("<Q")
# Importing msgspec costs 8-10 ms (with typing_extensions and decimal), unpickling an
# entry about 33 us: only a shard of more entries than this holds packed records.
PACKED_ABOVE = 256


def stat_key(stat: os.stat_result) -> StatKey:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def user_cache_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "forumctl"


def _user_secret() -> bytes | None:
    """This user's random secret, made on first use; None when it cannot be kept."""
    path = user_cache_home() / "secret"
    try:
        secret = path.read_bytes()
        if len(secret) == 2 * _SECRET_BYTES:
            return secret
    except OSError:
        pass
    try:
        import tempfile  # here: a warm run writes nothing (start-up)

        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".secret.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(_SECRET_BYTES).hex().encode())
        os.replace(temp, path)  # a concurrent run may have won: read back what stays
        secret = path.read_bytes()
    except OSError:
        return None
    return secret if len(secret) == 2 * _SECRET_BYTES else None


def _code_fingerprint() -> str:
    """Changes whenever a module that shapes the cached entries does (editable installs)."""
    from forumctl import loading, records, toml_io

    parts = [f"{sys.version_info[0]}.{sys.version_info[1]}"]
    for module in (loading, records, toml_io, sys.modules[__name__]):
        try:
            stat = os.stat(module.__file__ or "")
        except OSError:  # e.g. run from a zip: the program version has to do
            parts.append("?")
        else:
            parts.append(f"{stat.st_size}.{stat.st_mtime_ns}")
    return "-".join(parts)


# Records are frozen dataclasses, whose default unpickling looks up their fields for every
# object; setting the slots through their descriptors directly loads faster
# (docs/performance.md).
_SETTERS: dict[type[Any], tuple[Callable[[object, object], None], ...]] = {
    cls: tuple(getattr(cls, spec.name).__set__ for spec in FIELDS[cls]) for cls in ALL_TYPES
}


def _rebuild(cls: type[Any], values: tuple[object, ...]) -> Any:
    record = object.__new__(cls)
    for set_slot, value in zip(_SETTERS[cls], values, strict=True):
        set_slot(record, value)
    return record


def _reducer(cls: type[Any]) -> Callable[[Any], tuple[object, ...]]:
    values = operator.attrgetter(*(spec.name for spec in FIELDS[cls]))
    return lambda record: (_rebuild, (cls, values(record)))


_DISPATCH_TABLE: dict[type[Any], Any] = {
    **copyreg.dispatch_table,
    **{cls: _reducer(cls) for cls in ALL_TYPES},
}


class _EntryPickler:
    """Pickles entries one at a time through one Pickler (a new one each costs more)."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._pickler = pickle.Pickler(self._buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self._pickler.dispatch_table = _DISPATCH_TABLE

    def dumps(self, loaded: LoadedFile) -> bytes:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._pickler.clear_memo()
        self._pickler.dump(loaded)
        return self._buffer.getvalue()


class _Shard:
    """The entries of one top-level directory, read from disk on first use."""

    def __init__(
        self, name: str, entries: dict[str, Entry], blobs: bytes | memoryview, packer: str | None
    ) -> None:
        self.name = name
        self.entries = entries
        self.blobs = blobs
        self.packer = packer  # the msgspec version that packed its records (None: none)
        self.fresh: dict[str, tuple[StatKey, LoadedFile]] = {}  # parsed in this run
        self.touched: set[str] = set()
        self.dirty = False

    def pickled(self, entry: Entry) -> memoryview | bytes:
        return self.blobs[entry[1] : entry[1] + entry[2]]

    def packed(self, entry: Entry) -> memoryview | bytes:
        return self.blobs[entry[1] + entry[2] : entry[1] + entry[2] + entry[3]]

    def rewritten(self, pickler: _EntryPickler) -> list[bytes | memoryview]:
        """The shard's index and blobs holding what this run parsed: its file's content
        after the header. The shard is read from that file again if it is asked for."""
        packer = None
        if len(self.entries.keys() | self.fresh.keys()) > PACKED_ABOVE:
            packer = _msgspec_version()
        parts = [
            (rel, e[0], e[4], e[5], self.pickled(e), self.packed(e))
            for rel, e in self.entries.items()
            # records packed by another msgspec (or none now) are parsed again next time
            if rel not in self.fresh and (not e[3] or self.packer == packer)
        ]
        for rel, (key, loaded) in self.fresh.items():
            kind = loaded.record.KIND if loaded.ok else ""
            if packer is not None and loaded.ok:
                blobs = (b"", _packed(loaded))
            else:
                blobs = (pickler.dumps(loaded), b"")
            parts.append((rel, key, kind, _terms(loaded), *blobs))
        entries: dict[str, Entry] = {}
        offset = 0
        for rel, key, kind, terms, pickled, packed in parts:
            entries[rel] = (key, offset, len(pickled), len(packed), kind, terms)
            offset += len(pickled) + len(packed)
        index = pickle.dumps((packer, entries), protocol=pickle.HIGHEST_PROTOCOL)
        return [_INDEX_LENGTH.pack(len(index)), index, *(b for part in parts for b in part[4:])]

    def decode(self, rel: str, entry: Entry) -> LoadedFile | None:
        """The entry's LoadedFile, None when it cannot be decoded (damaged, or packed by
        another msgspec, whose encoding could differ)."""
        try:
            if entry[3]:
                decoder = None if self.packer is None else _packed_decoder(entry[4], self.packer)
                return (
                    None if decoder is None else LoadedFile(rel, decoder.decode(self.packed(entry)))
                )
            cached = pickle.loads(self.pickled(entry))
        except Exception:  # a damaged entry may fail in any way; it is parsed again
            return None
        return cached if isinstance(cached, LoadedFile) and cached.rel == rel else None


@functools.cache
def _packed_decoder(kind: str, packer: str) -> Any:
    """msgspec's decoder of a record kind, None when msgspec is not the version that packed
    it."""
    import msgspec

    if msgspec.__version__ != packer:
        return None
    return msgspec.msgpack.Decoder(RECORD_TYPES[kind])


def _msgspec_version() -> str:
    import msgspec

    return msgspec.__version__


def _packed(loaded: LoadedFile) -> bytes:
    """The record of a file loaded without problems packed by msgspec (a record with
    problems is partial, or none: only pickle keeps it as it is)."""
    import msgspec

    return msgspec.msgpack.encode(loaded.record)


class ParseCache:
    """Loaded files of one archive, keyed by their path relative to the root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._started_ns = time.time_ns()
        self._shards: dict[str, _Shard] = {}
        self._header: bytes | None = None
        self._secret_known = False

    # -- where ---------------------------------------------------------------------

    def directories(self) -> Iterator[Path]:
        """Where the cache may live, in order of preference (the second only when asked:
        hashlib takes a while to import)."""
        yield self.root / CACHE_DIR
        import hashlib

        path = str(self.root.resolve()).encode()
        yield user_cache_home() / hashlib.sha1(path, usedforsecurity=False).hexdigest()[:16]

    def header(self) -> bytes | None:
        if not self._secret_known:
            secret = _user_secret()
            self._secret_known = True
            if secret is not None:
                self._header = (
                    f"forumctl-cache {CACHE_FORMAT} {__version__} {_code_fingerprint()} ".encode()
                    + secret
                    + b"\n"
                )
        return self._header

    # -- reading -------------------------------------------------------------------

    def _read_shard(self, name: str) -> _Shard:
        empty = _Shard(name, {}, b"", None)
        header = self.header()
        if header is None:
            return empty
        for directory in self.directories():
            try:
                data = _read_own(directory, f"{name}.pickle")
            except OSError:
                continue
            if not data.startswith(header):
                return empty  # another version, another user's file, or damaged: rebuild
            view = memoryview(data)
            try:
                (length,) = _INDEX_LENGTH.unpack_from(view, len(header))
                start = len(header) + _INDEX_LENGTH.size
                packer, entries = pickle.loads(view[start : start + length])
                blobs = view[start + length :]
                end = max((e[1] + e[2] + e[3] for e in entries.values()), default=0)
                if end > len(blobs):  # a truncated file loses its tail
                    entries = {
                        rel: e for rel, e in entries.items() if e[1] + e[2] + e[3] <= len(blobs)
                    }
                return _Shard(name, entries, blobs, packer)
            except Exception:  # a damaged file may fail in any way; it is rebuilt
                return empty
        return empty

    def _shard(self, rel: str) -> _Shard:
        name = rel.partition("/")[0]
        shard = self._shards.get(name)
        if shard is None:
            shard = self._shards[name] = self._read_shard(name)
        return shard

    def get(self, rel: str, stat: os.stat_result, load: Callable[[], LoadedFile]) -> LoadedFile:
        """The cached file when its stat is unchanged, else ``load()`` (and remember it)."""
        shard = self._shards.get(rel[: rel.find("/")]) or self._shard(rel)
        shard.touched.add(rel)
        key = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)  # stat_key
        entry = shard.entries.get(rel)
        if entry is not None and entry[0] == key:
            cached = shard.decode(rel, entry)
            if cached is not None:
                return cached
        loaded = load()
        if max(stat.st_ctime_ns, stat.st_mtime_ns) < self._started_ns - RACY_WINDOW_NS:
            shard.fresh[rel] = (key, loaded)
            shard.dirty = True
        # A file changed just now is parsed again next time too; its old entry can stay
        # (its stat can never match again: ctime only moves forward), so that one edit does
        # not rewrite the whole shard (0.1-0.5 s on M).
        return loaded

    def terms(self, rels: list[str]) -> list[frozenset[str] | None]:
        """Each file's terms (:func:`_terms`: the speakers a session refers to, a speaker's
        person keys) when its entry is current (its file's stat is what it was); None
        when only loading the file can tell. One loop for the thousands of files of a
        listing (a call per file costs more than the stat)."""
        found: list[frozenset[str] | None] = []
        prefix = f"{self.root}/"
        for rel in rels:
            entry = self._shard(rel).entries.get(rel)
            if entry is None:
                found.append(None)
                continue
            try:
                stat = os.stat(prefix + rel)
            except OSError:  # gone since it was listed: loading it says so
                found.append(None)
                continue
            current = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
            found.append(entry[5] if entry[0] == current else None)
        return found

    def forget(self, rel: str) -> None:
        """Not keep what this run parsed of a file it has just written: the entry could
        never match its stat again, and would cost a rewrite of the whole shard."""
        shard = self._shards.get(rel.partition("/")[0])
        if shard is not None and shard.fresh.pop(rel, None) is not None:
            shard.dirty = bool(shard.fresh)

    # -- writing -------------------------------------------------------------------

    def save(self) -> None:
        """Write the shards that changed; on any failure the cache just stays as it was."""
        header = self.header()
        if header is None:
            return
        pickler = _EntryPickler()
        for shard in list(self._shards.values()):
            if not shard.dirty:
                continue
            for rel in [rel for rel in shard.entries if rel not in shard.touched]:
                if not os.path.isfile(os.path.join(self.root, rel)):
                    del shard.entries[rel]  # the file is gone
            data = [header, *shard.rewritten(pickler)]
            for directory in self.directories():
                if _write_atomic(directory, f"{shard.name}.pickle", data):
                    break
            del self._shards[shard.name]  # its blobs were these parts: read back if asked

    # -- notes: small files beside the shards (import receipts) ---------------------

    def read_note(self, name: str) -> bytes | None:
        """The body of a note written by :meth:`write_note`, None when there is none or
        it is not this cache's (another version or user, damaged)."""
        header = self.header()
        if header is None:
            return None
        for directory in self.directories():
            try:
                data = _read_own(directory, name)
            except OSError:
                continue
            return data[len(header) :] if data.startswith(header) else None
        return None

    def write_note(self, name: str, body: bytes) -> None:
        """Keep ``body`` under this cache's header (atomically; nothing on failure)."""
        header = self.header()
        if header is not None:
            for directory in self.directories():
                if _write_atomic(directory, name, header + body):
                    return


def _terms(loaded: LoadedFile) -> frozenset[str] | None:
    """A speaker's person keys (of the record as far as it reads, as validate pairs
    them); the speakers any other record refers to, only for a record without problems:
    a wrong field is left out of the record, and the speakers it named would be missing."""
    as_read = loaded.partial if loaded.partial is not None else loaded.record
    if isinstance(as_read, Speaker):
        from forumctl.identity import person_keys  # only for a file just parsed

        return person_keys(as_read)
    return frozenset(referred_ids(loaded.record, "speaker")) if loaded.ok else None


def _own_directory(directory: Path) -> None:
    """OSError unless ``directory`` is a directory itself, not a symbolic link to one: a
    linked cache directory (a shared checkout may carry one) would take forumctl's
    writes somewhere outside the archive."""
    if stat.S_ISLNK(os.lstat(directory).st_mode):
        raise OSError(errno.ELOOP, "the cache directory is a symbolic link", str(directory))


def _read_own(directory: Path, name: str) -> bytes:
    """The bytes of a cache file, never through a symbolic link (O_NOFOLLOW) nor from
    anything but a regular file (a FIFO or a device would block or never end)."""
    _own_directory(directory)
    fd = os.open(directory / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(directory / name))
        return handle.read()


def _write_atomic(directory: Path, name: str, data: bytes | list[bytes | memoryview]) -> bool:
    import tempfile  # here: a warm run writes nothing (start-up)

    temp: str | None = None
    try:
        if os.path.lexists(directory):
            _own_directory(directory)
        else:
            directory.mkdir(parents=True)
            (directory / ".gitignore").write_text("# forumctl's parse cache\n*\n")
            (directory / "CACHEDIR.TAG").write_text(CACHEDIR_TAG)
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.writelines([data] if isinstance(data, bytes) else data)
        os.replace(temp, directory / name)
    except OSError:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        return False
    return True
