"""The change layer: writes, in-place edits, moves and deletions over any number of files,
applied as one transaction (DESIGN.md section 8).

Queue the operations on a :class:`Change`, then :meth:`Change.apply` it::

    change = Change(archive)
    change.create("speaker", "li-na", Speaker(name="Li Na"))     # a new file, canonical
    change.update("session", "f/s", data)                        # in place, comments kept
    change.move(archive.rel_path("speaker", "a"), archive.rel_path("speaker", "b"))
    change.delete(archive.rel_path("session", "f/old"))
    applied = change.apply(force=False, dry_run=False)           # Applied: files, diffs

What makes it safe:

- **Checked first.** :meth:`Change.apply` validates the archive as it would be after the
  change and raises :class:`ChangeRefused` (with the findings) when that adds an error
  finding, unless ``force``; findings already there do not count
  (:mod:`forumctl.validate.delta`).
- **One writer.** ``.forumctl/lock`` is locked with ``flock`` (the kernel releases it when
  the process ends, however it ends, so no stale lock outlives a crash): a second writer
  gets :class:`ArchiveLocked` at once.
- **All or nothing**, by a redo journal (SQLite's rollback journal and git's lock files
  are the models: every step is made durable, with fsync of the file and of its directory,
  before the next one relies on it):

  1. ``.forumctl/journal`` is written and synced with state ``prepared``, naming every
     temporary file and directory the change will make;
  2. the new contents go to temporary files beside their targets (``.NAME.forumctl-ID.tmp``),
     made durable with their directories (one syncfs on Linux, else an fsync each);
  3. the journal is replaced (temporary file, sync, rename, directory sync) by one with
     state ``committed``: this rename is the commit point;
  4. the temporary files are renamed over their targets, the deleted files unlinked (and
     directories they leave empty under ``forums/`` removed), made durable;
  5. the journal is removed.

  :func:`recover`, run by the CLI (``cli/context.State.archive``) before anything is read,
  finishes a committed change (step 4 again; renames and unlinks are idempotent) or
  rolls back a prepared one (its temporary files removed): every file is then entirely
  old or entirely new, and no temporary file is left.
- **Read, then verified.** Each file's text is read when it is first queued; under the lock
  it is read again, and a file that changed meanwhile refuses the change
  (:class:`ChangedMeanwhile`) instead of being overwritten.

Writes go only inside the archive: a record file that is a symbolic link is written
through to its target when that is inside the archive, and refused otherwise. A file that
is not UTF-8 text (a photo in a forum's directory) can be moved or removed, as it is: its
content is its bytes, never read as text.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forumctl import records
from forumctl.durable import fsync_directory as _fsync_dir
from forumctl.durable import make_durable as _make_durable
from forumctl.durable import umask as _umask
from forumctl.durable import write_file as _write_synced
from forumctl.errors import ForumctlError, InvalidRecord, RecordExists, UsageError, WriteError
from forumctl.statedir import JOURNAL, LOCK, STATE_DIR, interrupted
from forumctl.statedir import JOURNAL_NEXT as _JOURNAL_NEXT
from forumctl.toml_io import decoded, dumps, read_bytes

if TYPE_CHECKING:
    from forumctl.archive import Archive
    from forumctl.validate.findings import Finding

_JOURNAL_VERSION = 1
TEMP_SUFFIX = ".tmp"
TEMP_MARK = ".forumctl-"  # temporary files are .NAME.forumctl-ID.tmp

# What a file holds: its text, or its bytes when they are not UTF-8 (moved as they are)
Content = str | bytes


def _no_hook(step: str) -> None:
    return None


# Test hook: called with the name of each durable step; the crash tests make it stop the
# process at a chosen step (tests/crash.py).
_step: Callable[[str], None] = _no_hook


class ChangeRefused(ForumctlError):
    """The change would add error findings; ``findings`` lists them (nothing written)."""

    def __init__(self, findings: list[Finding]) -> None:
        count = len(findings)
        super().__init__(
            f"change refused: it would add {count} error finding{'' if count == 1 else 's'};"
            " nothing was written",
            hint="correct the values, or use --force to write anyway",
        )
        self.findings = findings
        self.details = tuple(
            f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in findings
        )


class ArchiveLocked(ForumctlError):
    """Another forumctl process is changing the archive."""


class ChangedMeanwhile(ForumctlError):
    """A file changed on disk after the change read it: it is not overwritten."""


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file of a change: its text before and after (None: absent); for a file that
    moves, where it came from (``before`` is then the text there)."""

    rel: str
    before: Content | None
    after: Content | None
    moved_from: str | None = None

    @property
    def action(self) -> str:
        if self.moved_from is not None:
            return "moved"
        if self.before is None:
            return "created"
        return "removed" if self.after is None else "edited"


@dataclass(slots=True)
class Applied:
    """What :meth:`Change.apply` did (or, with ``dry_run``, would do)."""

    files: list[FileChange]
    dry_run: bool
    findings: list[Finding] = field(default_factory=list)  # errors it added (with force)

    def diff(self) -> str:
        return unified_diff(self.files)


# Order of writes: what others refer to first (speakers before the sessions naming them,
# a forum before its sessions); deletions in the opposite order.
def _write_rank(rel: str) -> tuple[int, str]:
    from forumctl.archive import record_at

    found = record_at(rel)
    rank = {"manifest": 0, "speaker": 1, "forum": 2, "session": 3}
    return (rank[found[0]] if found else 0), rel


class Change:
    """A set of file operations on one archive, applied together by :meth:`apply`."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.root = Path(archive.root)
        self._root_text = str(self.root)  # paths as text: pathlib costs here, per file
        self._before: dict[str, Content | None] = {}  # as read when first queued
        self._after: dict[str, Content | None] = {}
        self._moved_from: dict[str, str] = {}  # new path -> old path

    # -- reading -------------------------------------------------------------------

    def _read(self, rel: str) -> Content | None:
        # a file is read at once (an import reads thousands); only when that fails does
        # one lstat tell absent from a directory (a link followed only to see whether it
        # leads to one) and from a file that cannot be read
        path = f"{self._root_text}/{rel}"
        try:
            data = read_bytes(path, rel)
        except InvalidRecord:
            try:
                mode = os.lstat(path).st_mode
            except OSError:  # nothing there (as os.path.lexists)
                return None
            if stat.S_ISDIR(mode) or (stat.S_ISLNK(mode) and os.path.isdir(path)):
                raise WriteError(
                    "is a directory, not a record file", path=self.root / rel, hint="move it away"
                ) from None
            raise
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data

    def _content(self, rel: str) -> Content | None:
        """What the file holds as the change leaves it so far (None: absent)."""
        if rel in self._after:
            return self._after[rel]
        if rel not in self._before:
            self._before[rel] = self._read(rel)
        return self._before[rel]

    def text(self, rel: str) -> str | None:
        """The file's text as the change leaves it so far (None: absent); an
        InvalidRecord naming it when it is not UTF-8 text."""
        content = self._content(rel)
        return decoded(content, rel) if isinstance(content, bytes) else content

    def data(self, kind: str, record_id: str) -> dict[str, Any]:
        """A record's TOML data as the change leaves it so far, to change and hand to
        :meth:`update` (RecordNotFound when there is no such record)."""
        from forumctl.errors import RecordNotFound
        from forumctl.toml_io import parse

        rel = self.archive.rel_path(kind, record_id)
        text = self.text(rel)
        if text is None:
            raise RecordNotFound(
                f"no {kind} '{record_id}' ({rel} does not exist)",
                hint=f"'forumctl list {kind}s' shows the IDs",
            )
        return parse(text, rel)

    # -- queueing ------------------------------------------------------------------

    def write(self, rel: str, text: str, *, replace: bool = False) -> None:
        """Write ``text`` to ``rel`` as it is; an existing file only with ``replace``."""
        current = self.text(rel)
        if current is not None and not replace:
            raise RecordExists(
                "already exists", path=self.root / rel, hint="use --force to overwrite it"
            )
        self._after[rel] = text

    def rewrite(self, rel: str, original: str, text: str) -> None:
        """Replace a file the caller read as ``original`` (fmt): if it holds anything else
        when the change is applied, nothing is written (ChangedMeanwhile)."""
        self._before.setdefault(rel, original)
        self._after[rel] = text

    def create(self, kind: str, record_id: str, record: Any, *, replace: bool = False) -> str:
        """A record in canonical form at its path (returned). With ``replace`` an existing
        file is edited in place to hold exactly this record (comments on the keys that stay
        are kept); without it an occupied path is refused."""
        from forumctl.slugs import is_slug

        rel = self.archive.rel_path(kind, record_id)
        if kind != "manifest" and not all(is_slug(part) for part in record_id.split("/")):
            raise UsageError(
                f"{record_id!r} is not a valid {kind} ID: IDs are slugs (a-z, 0-9 and single"
                " hyphens)",
                hint="leave out --id to make one from the title or name",
            )
        current = self.text(rel)
        if current is not None and replace:
            self._after[rel] = _edited(current, records.to_data(record), type(record), rel)
        else:
            self.write(rel, dumps(record, self.archive.schema_ref(rel, kind)), replace=replace)
        return rel

    def update(self, kind: str, record_id: str, data: Mapping[str, Any]) -> str:
        """Edit an existing record's file in place to hold ``data`` (TOML data, e.g. from
        :meth:`data`, changed): only the values that differ change in the text."""
        rel = self.archive.rel_path(kind, record_id)
        current = self.text(rel)
        if current is None:
            self.data(kind, record_id)  # raises RecordNotFound
        assert current is not None
        self._after[rel] = _edited(current, data, records.RECORD_TYPES[kind], rel)
        return rel

    def move(self, old_rel: str, new_rel: str) -> None:
        """Move a file (what it holds as the change leaves it, text or bytes); the new path
        must be free."""
        content = self._content(old_rel)
        if content is None:
            raise WriteError("no such file to move", path=self.root / old_rel)
        if self._content(new_rel) is not None:
            raise RecordExists("already exists", path=self.root / new_rel, hint="choose another ID")
        self._after[new_rel] = content
        self._after[old_rel] = None
        self._moved_from[new_rel] = self._moved_from.pop(old_rel, old_rel)

    def delete(self, rel: str) -> None:
        if self._content(rel) is None:
            raise WriteError("no such file to remove", path=self.root / rel)
        self._after[rel] = None

    # -- looking at it ---------------------------------------------------------------

    def files(self) -> list[FileChange]:
        """The files that change, in the order they are written."""
        moved = {
            new: old
            for new, old in self._moved_from.items()
            if self._after.get(new) is not None and self._after.get(old) is None
        }
        changed = [
            FileChange(rel, self._before[moved[rel]], after, moved[rel])
            if rel in moved
            else FileChange(rel, self._before[rel], after)
            for rel, after in self._after.items()
            if after != self._before[rel] and rel not in moved.values()
        ]
        return sorted(changed, key=lambda c: (c.after is None, _write_rank(c.rel)))

    def _all_files(self) -> list[FileChange]:
        """Like :meth:`files`, with the old paths of moves as removals (what is written)."""
        return sorted(
            (
                FileChange(rel, self._before[rel], after)
                for rel, after in self._after.items()
                if after != self._before[rel]
            ),
            key=lambda c: (c.after is None, _write_rank(c.rel)),
        )

    def check(self, written: list[FileChange] | None = None) -> list[Finding]:
        """The error findings the change would add to the archive (none: it may go);
        ``written`` is :meth:`_all_files`, when the caller has it already."""
        from forumctl.validate.delta import added_errors

        written = self._all_files() if written is None else written
        changed = {c.rel: c.after for c in written}
        created = {c.rel for c in written if c.before is None}
        return added_errors(self.archive, changed, created=created)

    # -- applying ------------------------------------------------------------------

    def apply(self, *, force: bool = False, dry_run: bool = False, check: bool = True) -> Applied:
        """Check the change and write it as one transaction (see the module docstring).

        ``dry_run``: check it and return what it would do, writing nothing (and taking no
        lock). ``check=False`` skips validation, for a change that keeps every value (fmt).
        Raises ChangeRefused (unless ``force``), ArchiveLocked, ChangedMeanwhile, WriteError.
        """
        shown = self.files()
        if not shown:
            return Applied([], dry_run)
        # what is written: the files shown, unless a move adds the removal of its old path
        written = self._all_files() if self._moved_from else shown
        if dry_run:
            findings = self.check(written) if check else []
            if findings and not force:
                raise ChangeRefused(findings)
            return Applied(shown, True, findings)
        with locked(self.root):
            recover(self.root, locked_already=True)
            for change in written:
                if self._read(change.rel) != change.before:
                    raise ChangedMeanwhile(
                        "changed on disk while this command ran; nothing was written",
                        path=self.root / change.rel,
                        hint="run the command again",
                    )
            findings = self.check(written) if check else []
            if findings and not force:
                raise ChangeRefused(findings)
            _commit(self.root, written)
        self.archive.forget([c.rel for c in written])
        return Applied(shown, False, findings)


def dropped(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The top-level keys ``before`` has and ``after`` does not, with the number of items
    of a list ("talks (2 items)"), or of the items that go from a list that stays."""
    found = []
    for key, value in before.items():
        lost = value if key not in after else None
        if isinstance(value, list) and isinstance(after.get(key), list):
            lost = [item for item in value if item not in after[key]] or None
        if lost is None:
            continue
        if isinstance(lost, list):
            count = len(lost)
            found.append(f"{key} ({count} item{'' if count == 1 else 's'})")
        else:
            found.append(key)
    return found


def _edited(text: str, data: Mapping[str, Any], cls: type[Any], rel: str) -> str:
    from forumctl.inplace import update_text

    try:
        return update_text(text, data, cls)
    except Exception as error:  # tomlkit refuses what rtoml accepted: say which file
        raise InvalidRecord(
            f"cannot edit in place: {error}", path=rel, hint="'forumctl validate' checks it"
        ) from None


def unified_diff(files: list[FileChange]) -> str:
    """A unified diff of the files, with git's headers for a move."""
    import difflib

    out: list[str] = []
    for change in files:
        if change.moved_from is not None:
            out.append(f"rename from {change.moved_from}\nrename to {change.rel}\n")
        old_rel = change.moved_from or change.rel
        fromfile = "/dev/null" if change.before is None else f"a/{old_rel}"
        tofile = "/dev/null" if change.after is None else f"b/{change.rel}"
        if isinstance(change.before, bytes) or isinstance(change.after, bytes):
            if change.before != change.after:  # git's words for it
                out.append(f"Binary files {fromfile} and {tofile} differ\n")
            continue
        out.extend(
            difflib.unified_diff(
                (change.before or "").splitlines(keepends=True),
                (change.after or "").splitlines(keepends=True),
                fromfile=fromfile,
                tofile=tofile,
            )
        )
    return "".join(out)


# -- the lock ----------------------------------------------------------------------


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold ``.forumctl/lock`` (flock, released by the kernel when the process ends);
    ArchiveLocked at once when another process holds it."""
    import fcntl

    directory = root / STATE_DIR
    try:
        directory.mkdir(exist_ok=True)
        fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as error:
        raise WriteError(f"cannot take the lock: {error.strerror}", path=LOCK) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            raise ArchiveLocked(
                "another forumctl is changing this archive"
                + (f" (process {holder})" if holder.isdigit() else ""),
                path=LOCK,
                hint="try again when it has finished",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)


# -- the journal ---------------------------------------------------------------------


def _journal_bytes(state: str, plan: Mapping[str, Any]) -> bytes:
    import hashlib
    import json

    body = json.dumps({"version": _JOURNAL_VERSION, "state": state, **plan}, sort_keys=True)
    digest = hashlib.sha256(body.encode()).hexdigest()
    return f"{body}\n{digest}\n".encode()


def _read_journal(path: Path) -> dict[str, Any] | None:
    """The journal, or None when it is torn or not one (a crash while writing it)."""
    import hashlib
    import json

    try:
        body, digest, *_ = path.read_bytes().decode().split("\n")
        if hashlib.sha256(body.encode()).hexdigest() != digest:
            return None
        journal: dict[str, Any] = json.loads(body)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return journal if journal.get("version") == _JOURNAL_VERSION else None


def _target(root: Path, rel: str) -> str:
    """Where a write to ``rel`` goes: through a symbolic link to its target, which must be
    inside the archive (relative to the root)."""
    path = root / rel
    if not path.is_symlink():
        return rel
    real = Path(os.path.realpath(path))
    try:
        return real.relative_to(Path(os.path.realpath(root))).as_posix()
    except ValueError:
        raise WriteError(
            f"is a symbolic link to {real}, outside the archive; not written",
            path=rel,
            hint="replace the link by the file",
        ) from None


def _missing_dirs(root: Path, rel: str, present: set[str]) -> list[str]:
    """The directories to make for ``rel``, outermost first; ``present`` holds those known
    to be there (or to be made) already, and gains the ones found or returned, so that
    a change of many files in one directory looks at it once."""
    missing: list[str] = []
    parent = os.path.dirname(rel)
    while parent and parent not in present and not os.path.isdir(root / parent):
        if os.path.lexists(root / parent):
            raise WriteError(
                "cannot write: a parent is not a directory", path=rel, hint="move it away"
            )
        missing.append(parent)
        parent = os.path.dirname(parent)
    if parent:
        present.add(parent)
    present.update(missing)
    return missing[::-1]


def _commit(root: Path, files: list[FileChange]) -> None:
    txid = f"{os.getpid()}-{time.time_ns()}"
    writes: list[list[str]] = []
    deletes: list[str] = []
    dirs: list[str] = []
    present: set[str] = set()  # directories known to be there or to be made
    for change in files:
        # nothing is at the path of a new file (not even a link): it is written there
        target = change.rel if change.before is None else _target(root, change.rel)
        if change.after is None:
            deletes.append(target)
            continue
        dirs.extend(_missing_dirs(root, target, present))
        parent, name = os.path.split(target)
        writes.append([target, os.path.join(parent, f".{name}{TEMP_MARK}{txid}{TEMP_SUFFIX}")])
    plan = {
        "id": txid,
        "writes": writes,
        "deletes": deletes,
        "dirs": dirs,
        "prune": _emptied_dirs(deletes, {target for target, _ in writes}),
    }
    state_dir = root / STATE_DIR
    _write_synced(root / JOURNAL, _journal_bytes("prepared", plan))
    _fsync_dir(state_dir)
    _step("prepared")
    current = ""  # the file being made, named by an error
    try:
        for directory in dirs:
            current = directory
            os.mkdir(root / directory)
        touched_dirs = {""}
        umask = _umask()
        for (target, temp), change in zip(
            writes, (c for c in files if c.after is not None), strict=True
        ):
            current = target
            mode = 0o644 if change.before is None else _mode(root / target)
            assert change.after is not None
            data = change.after if isinstance(change.after, bytes) else change.after.encode()
            path = os.path.join(root, temp)  # a string: pathlib costs here, per file
            _write_synced(path, data, mode, sync=False)
            if mode & umask:  # the umask took bits away: the mode is the old file's
                os.chmod(path, mode)
            touched_dirs.add(os.path.dirname(temp))
            _step("temp")
        current = writes[0][0] if writes else JOURNAL
        _make_durable(root, [temp for _, temp in writes], touched_dirs)
        current = JOURNAL
        _write_synced(root / _JOURNAL_NEXT, _journal_bytes("committed", plan))
        _step("journal-next")
    except OSError as error:
        _roll_back(root, plan)
        raise WriteError(f"cannot write: {error.strerror}", path=root / current) from None
    os.replace(root / _JOURNAL_NEXT, root / JOURNAL)
    _fsync_dir(state_dir)
    _step("committed")
    _roll_forward(root, plan)


def _emptied_dirs(deletes: list[str], written: set[str]) -> list[str]:
    """Directories under a top-level directory that the deletions may leave empty
    (forums/OLD/sessions/, forums/OLD/ after a forum moves), deepest first; each is
    removed only if it is empty then."""
    if not deletes:
        return []
    keep = {parent for rel in written for parent in Path(rel).parents}
    found: set[Path] = set()
    for rel in deletes:
        for parent in Path(rel).parents:
            if len(parent.parts) < 2 or parent in keep:
                break
            found.add(parent)
    return [p.as_posix() for p in sorted(found, key=lambda p: (-len(p.parts), p.as_posix()))]


def _mode(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o644


def _roll_forward(root: Path, plan: Mapping[str, Any]) -> None:
    """Step 4 and 5: the committed change into place (idempotent: a crash here is
    finished by the next run)."""
    touched = {""}  # directories, relative to the root
    for target, temp in plan["writes"]:
        with contextlib.suppress(FileNotFoundError):  # renamed already
            os.replace(os.path.join(root, temp), os.path.join(root, target))
            _step("renamed")
        touched.add(os.path.dirname(target))
    for target in plan["deletes"]:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(root / target)
            _step("deleted")
        touched.add(os.path.dirname(target))
    for directory in plan.get("prune", ()):
        with contextlib.suppress(OSError):  # not empty (other files), or gone already
            os.rmdir(root / directory)
            touched.discard(directory)
            touched.add(os.path.dirname(directory))
    _make_durable(root, [], touched)
    _end_journal(root)


def _roll_back(root: Path, plan: Mapping[str, Any]) -> None:
    """A change that did not reach its commit point: its temporary files and the
    directories it made go; the archive's files were never touched."""
    for _, temp in plan["writes"]:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(root / temp)
    for directory in reversed(plan["dirs"]):
        with contextlib.suppress(OSError):  # not empty: someone else's files
            os.rmdir(root / directory)
    _end_journal(root)


def _end_journal(root: Path) -> None:
    for rel in (_JOURNAL_NEXT, JOURNAL):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(root / rel)
    _fsync_dir(root / STATE_DIR)
    _step("done")


def recover(root: Path, *, locked_already: bool = False) -> str | None:
    """Finish or roll back a change a crash interrupted; what was done, as a sentence for
    the user, or None when there was nothing to do (or another process is applying a
    change right now: its journal is its own)."""
    if not interrupted(root):
        return None
    if not locked_already:
        try:
            with locked(root):
                return recover(root, locked_already=True)
        except ArchiveLocked:
            return None
    journal = _read_journal(root / JOURNAL)
    if journal is None:  # torn while being written: nothing else had been made yet
        _end_journal(root)
        return "removed the unfinished journal of an interrupted change (no file was changed)"
    count = len(journal["writes"]) + len(journal["deletes"])
    files = f"{count} file{'' if count == 1 else 's'}"
    if journal["state"] == "committed":
        _roll_forward(root, journal)
        return f"finished an interrupted change ({files} written or removed)"
    _roll_back(root, journal)
    return f"rolled back an interrupted change ({files}; none of them had been changed)"


# -- a new archive -------------------------------------------------------------------

# The lines of the .gitignore that init writes: forumctl's own state, and what the
# default exports write (export markdown and site, run in the archive), are no one's history.
GITIGNORE_LINES: tuple[str, ...] = (f"{STATE_DIR}/", "/proceedings/", "/site/")
# taplo (and Even Better TOML) check the records against their schemas by these rules;
# the sample archive's .taplo.toml is this text
TAPLO_CONFIG = """\
# taplo (and the Even Better TOML editor extension) checks and completes the records of
# this archive against their JSON Schemas. Files written by forumctl also name their
# schema in a first-line `#:schema` comment; these rules cover files without one.
# The schemas are written by `forumctl schema --write schemas`.

include = ["forumctl.toml", "speakers/*.toml", "forums/**/*.toml"]

[[rule]]
include = ["forumctl.toml"]
schema = { path = "schemas/manifest.schema.json" }

[[rule]]
include = ["speakers/*.toml"]
schema = { path = "schemas/speaker.schema.json" }

[[rule]]
include = ["forums/*/forum.toml"]
schema = { path = "schemas/forum.schema.json" }

[[rule]]
include = ["forums/*/sessions/*.toml"]
schema = { path = "schemas/session.schema.json" }
"""


def gitignore_text() -> str:
    return "".join(f"{line}\n" for line in GITIGNORE_LINES)


def refuse_inside_an_archive(root: Path) -> None:
    """Raise ArchiveNotFound when ``root`` holds an archive, or is inside one (a second
    archive there would be read as part of the first): ``init`` calls it before it asks
    anything."""
    from forumctl.archive import MANIFEST
    from forumctl.errors import ArchiveNotFound

    if (root / MANIFEST).exists():
        raise ArchiveNotFound(
            f"{root} already holds an archive ({MANIFEST} exists)",
            hint="choose another directory",
        )
    try:
        parents = root.resolve().parents
    except OSError:
        return
    outer = next((parent for parent in parents if (parent / MANIFEST).is_file()), None)
    if outer is not None:
        raise ArchiveNotFound(
            f"{root} is inside the archive {outer}", hint="make the new one outside it"
        )


def create_archive(
    root: Path | str,
    manifest: Any,
    *,
    dry_run: bool = False,
    extra_files: Mapping[str, str] | None = None,
) -> Applied:
    """Make a new archive as one change: empty ``speakers/`` and ``forums/``, the JSON
    Schemas that the files' ``#:schema`` comments point at, a ``.gitignore``, the
    ``extra_files`` (path to text: init's CI files; like ``.gitignore``, one that exists
    is kept) and the manifest (a failure on the way leaves no half archive: running init
    again works)."""
    from forumctl.archive import FORUMS_DIR, MANIFEST, SCHEMAS_DIR, SPEAKERS_DIR, Archive
    from forumctl.errors import ArchiveNotFound
    from forumctl.loading import LoadedFile
    from forumctl.schema import KINDS, schema_file_name, schema_text

    root = Path(root)
    refuse_inside_an_archive(root)
    if root.exists() and not root.is_dir():
        raise ArchiveNotFound(f"{root}: not a directory")
    archive = Archive(root, LoadedFile(MANIFEST, manifest))
    change = Change(archive)
    for kind in KINDS:  # generated files: always current
        text = schema_text(kind, manifest.format)
        change.write(f"{SCHEMAS_DIR}/{schema_file_name(kind)}", text, replace=True)
    if change.text(".gitignore") is None:
        change.write(".gitignore", gitignore_text())
    for rel, text in {".taplo.toml": TAPLO_CONFIG, **(extra_files or {})}.items():
        if change.text(rel) is None:
            change.write(rel, text)
    change.create("manifest", "", manifest)
    if not dry_run:
        for directory in (SPEAKERS_DIR, FORUMS_DIR):
            try:
                (root / directory).mkdir(parents=True, exist_ok=True)
            except OSError as error:
                reason = (
                    "a file is in the way"
                    if isinstance(error, FileExistsError)
                    else (error.strerror)
                )
                raise WriteError(f"cannot make {directory}/: {reason}", path=root) from None
    return change.apply(dry_run=dry_run)
