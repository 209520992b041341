"""Incremental re-export (forumctl/export/incremental.py): into a directory it exported
before, forumctl renders and writes only the pages whose inputs changed.

The property: after any edit of the archive, of the options or of the templates, the
re-export equals a fresh export into a new directory, byte for byte and file for file
(the marker included), and every file whose bytes did not change keeps its mtime. Random
edits of a generated format-2 archive check it: FORUMCTL_INCREMENTAL_STEPS=200 runs a
longer walk (the default keeps CI under a minute)."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from conftest import BROKEN_SESSION, REPO, SAMPLE_FORUM, Cli, break_two_files

from forumctl.export import incremental, model

MARKER = ".forumctl-export"
STEPS = int(os.environ.get("FORUMCTL_INCREMENTAL_STEPS", "14"))
FORMATS = ("markdown", "site")
SAMPLE_SPEAKERS = ("sheng-shihao", "yang-kaizhong", "zhang-xueliang")


def _generated(out: Path, forums: int) -> Path:
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks/generate.py"), "--forums", str(forums),
         "--out", str(out), "--archive-format", "2", "--seed", "5"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return out


@pytest.fixture(autouse=True)
def trusted_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Source files trusted by their stat as soon as they are written (not 2 s later, the
    parse cache's racy window), so that a re-export can be found up to date from the
    file state alone without waiting: every edit here is an export or more after the
    last one (far more than a clock tick). test_a_file_changed_within_the_racy_window...
    sets the window back."""
    monkeypatch.setattr(incremental, "RACY_WINDOW_NS", 0)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each time an export resolved the archive: None for the whole of it, else the
    forums whose programmes it resolved (after sessions alone changed). An export found
    up to date from the file state alone resolves nothing."""
    calls: list[object] = []
    resolve = model.resolve

    def spy(archive: Any, forum_ids: Any = None, *, programmes: Any = None) -> Any:
        calls.append(forum_ids if programmes is None else sorted(programmes))
        return resolve(archive, forum_ids, programmes=programmes)

    monkeypatch.setattr(model, "resolve", spy)
    return calls


def _files(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _mtimes(directory: Path) -> dict[str, int]:
    return {
        p.relative_to(directory).as_posix(): p.stat().st_mtime_ns
        for p in directory.rglob("*")
        if p.is_file()
    }


def _read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


# -- the edits: each changes the archive (or the export's options) at random -----------


class Walk:
    """An archive, the export options, and the random edits made to them."""

    def __init__(self, root: Path, templates: Path, cli: Cli, seed: int) -> None:
        self.root, self.templates, self.cli = root, templates, cli
        self.rng = random.Random(seed)
        self.language: str | None = None
        self.use_templates = False
        self.forums: list[str] | None = None
        self.count = 0

    def _pick(self, pattern: str) -> Path:
        return self.rng.choice(sorted(self.root.glob(pattern)))

    def _new(self) -> str:
        self.count += 1
        return f"edit {self.count}"

    def nothing(self) -> None:
        """No edit: the re-export must be found up to date without loading anything."""

    def file_touched(self) -> None:
        """The same bytes, a new ctime and mtime (a checkout, an editor that saves unchanged)."""
        os.utime(self._pick("forums/*/sessions/*.toml"))

    def same_size_edit(self) -> None:
        """An edit that keeps the file's size and puts its mtime back: only its ctime tells."""
        path = self._pick("forums/*/sessions/*.toml")
        before, data = path.stat(), path.read_bytes()
        letter = re.search(rb'title = "[^"]*?([A-Za-z])', data)
        assert letter is not None
        at = letter.start(1)
        path.write_bytes(data[:at] + data[at : at + 1].swapcase() + data[at + 1 :])
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    def session_added(self) -> None:
        """A session without speakers (a break): a file added to a forum's sessions."""
        forum = self._pick("forums/*")
        _write(forum / f"sessions/break-{self.count}.toml", {"title": self._new(), "order": 99})

    def speaker_added(self) -> None:
        _write(self.root / f"speakers/new-{self.count}.toml", {"name": self._new()})

    def speaker_removed(self) -> None:
        """A speaker whom no session names (a file removed; the archive stays valid)."""
        named = "".join(p.read_text(encoding="utf-8") for p in self.root.glob("forums/*/*/*.toml"))
        unnamed = [
            p for p in sorted(self.root.glob("speakers/*.toml")) if f'"{p.stem}"' not in named
        ]
        if unnamed:
            self.rng.choice(unnamed).unlink()

    def speaker_name(self) -> None:
        path = self._pick("speakers/*.toml")
        data = _read(path)
        data["name"] = f"{data['name']} {self._new()}"
        _write(path, data)

    def speaker_affiliation(self) -> None:
        path = self._pick("speakers/*.toml")
        data = _read(path)
        data.setdefault("affiliations", []).insert(0, {"organization": self._new()})
        _write(path, data)

    def session_time(self) -> None:
        path = self._pick("forums/*/sessions/*.toml")
        data = _read(path)
        shift = dt.timedelta(minutes=self.rng.choice((-30, 15, 45)))
        for record in (data, *data.get("talks", [])):
            for key in ("start", "end"):
                if key in record:
                    moment = dt.datetime.combine(dt.date(2000, 1, 1), record[key]) + shift
                    record[key] = moment.time()
        _write(path, data)

    def session_room(self) -> None:
        path = self._pick("forums/*/sessions/*.toml")
        data = _read(path)
        data["room"] = self.rng.choice(("Main Hall", "Room 2", self._new()))
        _write(path, data)

    def talk_added(self) -> None:
        path = self._pick("forums/*/sessions/*.toml")
        speaker = self._pick("speakers/*.toml").stem  # maybe of another forum
        data = _read(path)
        data.setdefault("talks", []).append({"speakers": [speaker], "title": self._new()})
        _write(path, data)

    def talk_removed(self) -> None:
        path = self._pick("forums/*/sessions/*.toml")
        data = _read(path)
        if len(data.get("talks", [])) > 1:
            del data["talks"][self.rng.randrange(len(data["talks"]))]
            _write(path, data)

    def speaker_renamed(self) -> None:
        old = self._pick("speakers/*.toml").stem
        result = self.cli("--archive", self.root, "rename", "speaker", old, f"{old}-x", "--force")
        assert result.exit_code == 0, result.stderr

    def speakers_merged(self) -> None:
        source, target = self.rng.sample(sorted(self.root.glob("speakers/*.toml")), 2)
        result = self.cli(
            "--archive", self.root, "merge", "speaker", source.stem, target.stem, "--force"
        )
        assert result.exit_code == 0, result.stderr

    def forum_added(self) -> None:
        source = self._pick("forums/*")
        years = self.rng.choice((0, 1, 3))
        target = source.parent / f"{source.name}-copy-{self.count}"
        shutil.copytree(source, target)
        for path in target.rglob("*.toml"):
            data = _read(path)
            for key in ("start", "end", "date"):
                if isinstance(data.get(key), dt.date):
                    data[key] = data[key].replace(year=data[key].year + years)
            if path.name == "forum.toml":
                data["title"] = self._new()
            _write(path, data)

    def forum_removed(self) -> None:
        forums = sorted(self.root.glob("forums/*"))
        if len(forums) > 2:
            shutil.rmtree(self.rng.choice(forums))
            self.forums = None

    def series_renamed(self) -> None:
        name = _read(self._pick("forums/*/forum.toml"))["series"]
        renamed = self.rng.choice((f"{name} {self._new()}", "Another series"))
        for path in self.root.glob("forums/*/forum.toml"):
            data = _read(path)
            if data.get("series") == name:
                data["series"] = renamed
                _write(path, data)

    def manifest_language(self) -> None:
        path = self.root / "forumctl.toml"
        data = _read(path)
        data["language"] = self.rng.choice(("en", "de", "zh", "nb"))
        _write(path, data)

    def language_option(self) -> None:
        self.language = self.rng.choice((None, "zh", "de"))

    def template_edited(self) -> None:
        self.use_templates = True
        name = self.rng.choice(("speaker", "year", "forum"))
        with (self.templates / f"{name}.md.j2").open("a", encoding="utf-8") as template:
            template.write(f"\n{self._new()}\n")

    def forum_selection(self) -> None:
        ids = sorted(p.name for p in self.root.glob("forums/*"))
        self.forums = self.rng.choice((None, self.rng.sample(ids, 2)))

    def options(self) -> list[str]:
        found: list[str] = []
        if self.language is not None:
            found += ["--language", self.language]
        if self.use_templates:
            found += ["--templates", str(self.templates)]
        for forum in self.forums or ():
            found += ["--forum", forum]
        return found


EDITS: list[Callable[[Walk], None]] = [
    Walk.nothing,
    Walk.file_touched,
    Walk.same_size_edit,
    Walk.session_added,
    Walk.speaker_added,
    Walk.speaker_removed,
    Walk.speaker_name,
    Walk.speaker_affiliation,
    Walk.session_time,
    Walk.session_room,
    Walk.talk_added,
    Walk.talk_removed,
    Walk.speaker_renamed,
    Walk.speakers_merged,
    Walk.forum_added,
    Walk.forum_removed,
    Walk.series_renamed,
    Walk.manifest_language,
    Walk.language_option,
    Walk.template_edited,
    Walk.forum_selection,
]


def _export(
    cli: Cli, root: Path, kind: str, out: Path, options: list[str], *, cache: bool = False
) -> None:
    cached = [] if cache else ["--no-cache"]
    result = cli("--archive", root, *cached, "export", kind, "--out", out, *options)
    assert result.exit_code == 0, result.stderr


# the edits of sessions alone that leave who appears where as it was: a re-export loads
# and resolves only the programmes those pages need
IN_PART = ("session_time", "session_room", "same_size_edit", "file_touched", "session_added")


def _without_state(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files with the marker's state lines left out: they hold the source files' stat
    keys, which differ between two exports only where the racy window does."""
    marker = b"".join(
        line for line in files[MARKER].splitlines(keepends=True) if not line.startswith(b"#state")
    )
    return {**files, MARKER: marker}


@pytest.mark.parametrize("seed", [1, 2])
def test_after_every_random_edit_a_re_export_is_a_fresh_export(
    cli: Cli, tmp_path: Path, seed: int, loads: list[object]
) -> None:
    root = _generated(tmp_path / "archive", 3)
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates" / "export", templates)
    walk = Walk(root, templates, cli, seed)
    outs = {kind: tmp_path / f"re-{kind}" for kind in FORMATS}
    for kind, out in outs.items():
        _export(cli, root, kind, out, [])
    in_part: dict[str, int] = {}  # the re-exports that resolved programmes alone, by edit
    # every edit once, in a random order, then random ones
    order = walk.rng.sample(EDITS, len(EDITS))
    order += [walk.rng.choice(EDITS) for _ in range(max(0, STEPS - len(EDITS)))]
    for step, edit in enumerate(order):
        edit(walk)
        for kind, out in outs.items():
            before, times = _files(out), _mtimes(out)
            loads.clear()
            _export(cli, root, kind, out, walk.options(), cache=True)
            if edit is Walk.nothing:  # up to date from the file state: nothing loaded, touched
                assert (loads, _files(out), _mtimes(out)) == ([], before, times), (step, kind)
                continue
            if edit.__name__ in IN_PART and walk.forums is None:  # (not with --forum)
                assert len(loads) == 1 and loads[0] is not None, (step, edit.__name__, kind)
                in_part[edit.__name__] = in_part.get(edit.__name__, 0) + 1
            elif edit in (Walk.file_touched, Walk.same_size_edit):  # a stat that differs
                assert loads != [], (step, edit.__name__, kind)
            fresh = tmp_path / f"fresh-{step}-{kind}"
            _export(cli, root, kind, fresh, walk.options())
            after = _files(out)
            assert _without_state(after) == _without_state(_files(fresh)), (
                step,
                edit.__name__,
                kind,
            )
            unchanged = [name for name in after if before.get(name) == after[name]]
            now = _mtimes(out)
            assert [n for n in unchanged if now[n] != times[n] and n != MARKER] == [], (
                step,
                edit.__name__,
                kind,
            )
            shutil.rmtree(fresh)
    assert sum(in_part.values()) >= 4, in_part  # (the walk took the partial path)


# -- what a user sees ------------------------------------------------------------------


def _export_sample(cli: Cli, root: Path, out: Path, *extra: str | Path) -> str:
    """The note of ``export markdown`` (exit 0, nothing on stdout)."""
    result = cli("--archive", root, "export", "markdown", "--out", out, *extra)
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr
    return result.stderr


def _up_to_date(out: Path) -> str:
    """The note of an export of the sample that found ``out`` up to date."""
    return f"nothing to write: Markdown proceedings in {out} is up to date (9 files)\n"


def _changed(out: Path, times: dict[str, int]) -> list[str]:
    """The files written since ``times`` (their mtimes then), the marker aside."""
    now = _mtimes(out)
    return sorted(name for name in now if now[name] != times.get(name) and name != MARKER)


def test_a_re_export_of_an_unchanged_archive_touches_nothing(
    cli: Cli, sample_archive: Path, tmp_path: Path, loads: list[object]
) -> None:
    out = tmp_path / "out"
    assert (
        _export_sample(cli, sample_archive, out)
        == f"wrote Markdown proceedings (9 files) to {out}\n"
    )
    files, times = _files(out), _mtimes(out)
    assert _export_sample(cli, sample_archive, out) == _up_to_date(out)
    assert (_files(out), _mtimes(out)) == (files, times)  # the marker too
    assert loads == [None]  # the first export's: the second read nothing but file states


GROUPS = ("speakers", "forum:", "sessions:")  # the marker's state of the record files


def _state(out: Path) -> dict[str, str]:
    """The marker's state lines: key to value."""
    lines = (out / MARKER).read_text(encoding="utf-8").splitlines()
    return {
        line.split("\t")[1]: line.split("\t")[2] for line in lines if line.startswith("#state\t")
    }


def test_a_file_changed_within_the_racy_window_is_not_trusted_by_the_next_export(
    cli: Cli,
    sample_archive: Path,
    tmp_path: Path,
    loads: list[object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a write in the same clock tick as the export's look at the file may leave its stat
    # as it was: a file changed that recently is loaded again by the next export
    out = tmp_path / "out"
    monkeypatch.setattr(incremental, "RACY_WINDOW_NS", 3600 * 10**9)  # (an hour: every file)
    _export_sample(cli, sample_archive, out)
    groups = {key: value for key, value in _state(out).items() if key.startswith(GROUPS)}
    assert groups == {
        "speakers": "-",  # (with the manifest)
        f"forum:{SAMPLE_FORUM}": "-",
        f"sessions:{SAMPLE_FORUM}": "-",
    }
    note = _up_to_date(out)
    assert _export_sample(cli, sample_archive, out) == note
    assert len(loads) == 2
    monkeypatch.setattr(incremental, "RACY_WINDOW_NS", 0)  # (the files are old enough now)
    assert _export_sample(cli, sample_archive, out) == note
    assert len(_state(out)["speakers"]) == 32  # (a digest)
    assert _export_sample(cli, sample_archive, out) == note
    assert len(loads) == 3  # the last one from the file state alone


def test_a_same_size_edit_that_leaves_the_status_as_it_was_is_seen_within_the_racy_window(
    cli: Cli, sample_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a file system whose times are coarse (FAT: 2 s) or that keeps no ctime: an edit of
    # the same size, in the same tick, leaves a file's status as it was. Taken here as a
    # file system without ctime (the status key's ctime is its mtime), its mtime put back.
    from forumctl import cache
    from forumctl.archive import Archive

    monkeypatch.setattr(incremental, "RACY_WINDOW_NS", cache.RACY_WINDOW_NS)
    real = Archive.file_states

    def without_ctime(archive: Archive) -> dict[str, tuple[int, int, int, int]]:
        return {
            rel: (ino, size, mtime, mtime) for rel, (ino, size, mtime, _) in real(archive).items()
        }

    monkeypatch.setattr(Archive, "file_states", without_ctime)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    session = sample_archive / f"forums/{SAMPLE_FORUM}/sessions/speeches.toml"
    text = session.read_text(encoding="utf-8")
    soon = time.time_ns() + 60 * 10**9  # (within the racy window whatever the machine's speed)
    session.write_text(text.replace('title = "Speeches"', 'title = "SPEECHES"'))
    os.utime(session, ns=(soon, soon))
    _export_sample(cli, sample_archive, out)
    session.write_text(text.replace('title = "Speeches"', 'title = "SPEECHEs"'))
    os.utime(session, ns=(soon, soon))  # the same status as the export saw
    _export_sample(cli, sample_archive, out)
    _export_sample(cli, sample_archive, fresh)
    assert _without_state(_files(out)) == _without_state(_files(fresh))
    assert "[SPEECHEs]" in (out / "people/yang-kaizhong.md").read_text(encoding="utf-8")


def test_a_touched_source_file_is_loaded_again_and_nothing_written(
    cli: Cli, sample_archive: Path, tmp_path: Path, loads: list[object]
) -> None:
    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out)
    files, times = _files(out), _mtimes(out)
    os.utime(sample_archive / "speakers/sheng-shihao.toml")
    note = _up_to_date(out)
    assert _export_sample(cli, sample_archive, out) == note
    assert len(loads) == 2
    assert (_without_state(_files(out)), _changed(out, times)) == (_without_state(files), [])
    assert _export_sample(cli, sample_archive, out) == note
    assert len(loads) == 2  # the new state kept: up to date from it again


def test_a_source_file_broken_since_the_last_export_stops_the_re_export_as_a_fresh_one(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out)
    files = _files(out)
    break_two_files(sample_archive)
    again = cli("--archive", sample_archive, "export", "markdown", "--out", out)
    fresh = cli("--archive", sample_archive, "export", "markdown", "--out", tmp_path / "fresh")
    assert (again.exit_code, again.stdout, again.stderr) == (2, "", fresh.stderr)
    assert again.stderr.startswith("forumctl: error: speakers/bad.toml:1:12: invalid TOML")
    assert _files(out) == files
    (sample_archive / "speakers/bad.toml").unlink()
    again = cli("--archive", sample_archive, "export", "markdown", "--out", out)
    assert again.exit_code == 2
    assert again.stderr.startswith(f"forumctl: error: {BROKEN_SESSION}:")


@pytest.mark.parametrize(
    ("broken", "error"),
    [
        ("title = \n", ":6:9: invalid TOML: string values must be quoted"),
        ('[[talks]]\nspeakers = ["nobody"]\n', ": refers to speaker 'nobody', who has no file"),
    ],
)
def test_a_session_broken_since_the_last_export_stops_the_re_export_as_a_fresh_one(
    cli: Cli, sample_archive: Path, tmp_path: Path, loads: list[object], broken: str, error: str
) -> None:
    # sessions alone changed: the re-export would load that forum's programme alone, and
    # stops with the error of a whole load
    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out)
    files = _files(out)
    session = sample_archive / f"forums/{SAMPLE_FORUM}/sessions/governance-modernization.toml"
    session.write_text(session.read_text(encoding="utf-8") + broken, encoding="utf-8")
    again = cli("--archive", sample_archive, "export", "markdown", "--out", out)
    fresh = cli("--archive", sample_archive, "export", "markdown", "--out", tmp_path / "fresh")
    assert (again.exit_code, again.stdout, again.stderr) == (2, "", fresh.stderr)
    rel = session.relative_to(sample_archive).as_posix()
    assert again.stderr.startswith(f"forumctl: error: {rel}{error}")
    assert _files(out) == files


def test_a_new_tag_renders_the_sites_changes_page_again(
    cli: Cli, tmp_path: Path, loads: list[object]
) -> None:
    from git_repos import GitArchive

    repo = GitArchive(tmp_path / "repo")
    repo.tag("v1")
    site = tmp_path / "site"
    _export(cli, repo.root, "site", site, [])
    _export(cli, repo.root, "site", site, [])
    assert len(loads) == 1  # up to date from the file state and the tags
    repo.tag("v2")  # no file of the archive changes
    _export(cli, repo.root, "site", site, [])
    assert len(loads) == 2
    changes = (site / "docs/changes.md").read_text(encoding="utf-8")
    assert "## v2 {#_tag-v2}\n\nNo changes in the proceedings since v1.\n" in changes
    # a session edited (not committed): its forum's programme alone is read, and the
    # configuration and the Changes page are kept as they are
    session = repo.root / "forums/f/sessions/a.toml"
    session.write_text(session.read_text(encoding="utf-8").replace("Hall 1", "Hall 2"))
    times = _mtimes(site)
    _export(cli, repo.root, "site", site, [])
    assert loads[2:] == [["f"]]
    _export(cli, repo.root, "site", tmp_path / "fresh", [])
    assert _without_state(_files(site)) == _without_state(_files(tmp_path / "fresh"))
    assert _changed(site, times) == ["docs/f.md", "docs/people/ada.md", "docs/people/bo.md"]


def test_an_edit_writes_only_the_pages_whose_text_changed(
    cli: Cli, sample_archive: Path, tmp_path: Path, loads: list[object]
) -> None:
    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out)
    times = _mtimes(out)
    session = sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "speeches.toml"
    text = session.read_text(encoding="utf-8")
    session.write_text(text.replace('title = "Speeches"', 'title = "Opening speeches"'))
    assert _export_sample(cli, sample_archive, out) == (
        f"wrote Markdown proceedings (9 files, 4 changed) to {out}\n"
    )
    assert loads == [None, [SAMPLE_FORUM]]  # the whole archive, then that forum's programme
    # the forum's page and its speakers' (which name the session); not the lists
    assert _changed(out, times) == [
        f"{SAMPLE_FORUM}.md",
        "people/sheng-shihao.md",
        "people/yang-kaizhong.md",
        "people/zhang-xueliang.md",
    ]
    assert "[Opening speeches]" in (out / "people/yang-kaizhong.md").read_text(encoding="utf-8")


def _edit_keeping_size(page: Path) -> None:
    """A hand-edit of ``page`` (speakers.md) that keeps its size: other bytes."""
    page.write_bytes(page.read_bytes().replace(b"Speakers", b"SPEAKERS", 1))


def test_a_deleted_or_hand_edited_file_is_written_again(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out)
    files = _files(out)
    (out / "people/yang-kaizhong.md").unlink()
    (out / "index.md").write_text("my notes\n", encoding="utf-8")
    _edit_keeping_size(out / "speakers.md")
    times = _mtimes(out)
    assert _export_sample(cli, sample_archive, out) == (
        f"wrote Markdown proceedings (9 files, 3 changed) to {out}\n"
    )
    assert _files(out) == files
    assert _changed(out, times) == ["index.md", "people/yang-kaizhong.md", "speakers.md"]


def test_a_hand_edit_is_written_again_after_a_chmod_of_the_marker(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    # the marker's ctime moves on with a chmod (or a link, a copy): a hand-edit made
    # before it was once trusted as the bytes listed, and stayed
    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out)
    files = _files(out)
    speakers, marker = out / "speakers.md", out / MARKER
    _edit_keeping_size(speakers)
    while marker.stat().st_ctime_ns <= speakers.stat().st_ctime_ns:  # (a clock tick later)
        marker.chmod(0o600)
        marker.chmod(0o644)
    assert _export_sample(cli, sample_archive, out) == (
        f"wrote Markdown proceedings (9 files, 1 changed) to {out}\n"
    )
    assert _files(out) == files


def test_a_touched_file_is_read_and_left_as_it_is(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out)
    os.utime(out / "index.md", ns=(1, 1))  # an old mtime, but a new ctime
    assert _export_sample(cli, sample_archive, out) == _up_to_date(out)
    assert (out / "index.md").stat().st_mtime_ns == 1


def test_a_template_edit_renders_its_pages_again(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out, templates = tmp_path / "out", tmp_path / "templates"
    templates.mkdir()
    speaker = REPO / "templates/export/speaker.md.j2"
    (templates / "speaker.md.j2").write_text(speaker.read_text(encoding="utf-8"))
    _export_sample(cli, sample_archive, out, "--templates", templates)
    times = _mtimes(out)
    with (templates / "speaker.md.j2").open("a", encoding="utf-8") as template:
        template.write("\nFrom my template.\n")
    assert _export_sample(cli, sample_archive, out, "--templates", templates) == (
        f"wrote Markdown proceedings (9 files, 3 changed) to {out}\n"
    )
    assert _changed(out, times) == [f"people/{name}.md" for name in SAMPLE_SPEAKERS]
    page = (out / "people/sheng-shihao.md").read_text(encoding="utf-8")
    assert page.endswith("\nFrom my template.\n")


def test_an_edit_in_a_linked_directory_of_the_templates_renders_its_pages_again(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    # Jinja reads templates through a directory link (a partials/ shared by several
    # template directories); the templates' digest must follow it too
    out, templates, shared = tmp_path / "out", tmp_path / "templates", tmp_path / "shared"
    templates.mkdir()
    shared.mkdir()
    (shared / "note.md.j2").write_text("Note one.\n", encoding="utf-8")
    (templates / "partials").symlink_to(shared, target_is_directory=True)
    (templates / "loop").symlink_to(templates, target_is_directory=True)  # (read once)
    year = (REPO / "templates/export/year.md.j2").read_text(encoding="utf-8")
    (templates / "year.md.j2").write_text(year + '{% include "partials/note.md.j2" %}\n')
    _export_sample(cli, sample_archive, out, "--templates", templates)
    (shared / "note.md.j2").write_text("Note two.\n", encoding="utf-8")
    assert _export_sample(cli, sample_archive, out, "--templates", templates) == (
        f"wrote Markdown proceedings (9 files, 1 changed) to {out}\n"
    )
    assert (out / "years/2020.md").read_text(encoding="utf-8").endswith("\nNote two.\n")


def _zone_file(name: str) -> bytes:
    """The tz database's file of the zone, where zoneinfo finds it."""
    import zoneinfo
    from importlib import resources

    for base in zoneinfo.TZPATH:
        if (Path(base) / name).is_file():
            return (Path(base) / name).read_bytes()
    return resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).read_bytes()


def test_an_update_of_the_tz_database_renders_the_timed_pages_again(
    cli: Cli, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # a tzdata upgrade moves an offset (a country drops summer time): the JSON-LD's times
    import zoneinfo

    from forumctl.records import timezone_named

    root, out, fresh = tmp_path / "archive", tmp_path / "out", tmp_path / "fresh"
    shutil.copytree(REPO / "tests/data/format-2", root)
    zones = tmp_path / "zones"
    (zones / "Europe").mkdir(parents=True)
    (zones / "Europe/Berlin").write_bytes(_zone_file("Europe/Berlin"))
    tokyo = _zone_file("Asia/Tokyo")

    def forget_zones() -> None:  # (one process makes one export: zones are looked up once)
        timezone_named.cache_clear()
        zoneinfo.ZoneInfo.clear_cache()

    request.addfinalizer(forget_zones)
    request.addfinalizer(zoneinfo.reset_tzpath)
    zoneinfo.reset_tzpath(to=[str(zones)])
    forget_zones()
    _export(cli, root, "site", out, [])
    (zones / "Europe/Berlin").write_bytes(tokyo)  # Berlin's rules now: +09:00 all year
    forget_zones()
    _export(cli, root, "site", out, [])
    _export(cli, root, "site", fresh, [])
    assert _files(out) == _files(fresh)
    assert "+09:00" in (out / "docs/forum-2024.md").read_text(encoding="utf-8")


def test_another_language_renders_the_pages_again(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out)
    times = _mtimes(out)
    assert _export_sample(cli, sample_archive, out, "--language", "de") == (
        f"wrote Markdown proceedings (9 files, 7 changed) to {out}\n"
    )
    assert _changed(out, times) == [  # the pages with dates
        f"{SAMPLE_FORUM}.md",
        "index.md",
        *(f"people/{name}.md" for name in SAMPLE_SPEAKERS),
        "series/zhejiang-provincial-social-science-academic-annual-conference.md",
        "years/2020.md",
    ]
    fresh = tmp_path / "fresh"
    _export_sample(cli, sample_archive, fresh, "--language", "de")
    assert _files(out) == _files(fresh)
    assert "Dezember 2020" in (out / f"{SAMPLE_FORUM}.md").read_text(encoding="utf-8")


def test_the_same_forums_given_in_another_order_or_twice_are_up_to_date(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out, "--forum", SAMPLE_FORUM)
    times = _mtimes(out)
    twice = ("--forum", SAMPLE_FORUM, "--forum", SAMPLE_FORUM)
    assert _export_sample(cli, sample_archive, out, *twice) == _up_to_date(out)
    assert _mtimes(out) == times


def test_a_marker_of_names_alone_renders_everything_once(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out)
    files = _files(out)
    names = [line.split("\t")[0] for line in files[MARKER].decode().splitlines()]
    old = "# Written by forumctl export; lists the files it wrote. Safe to delete.\n"
    (out / MARKER).write_text(old + "".join(f"{n}\n" for n in names if not n.startswith("#")))
    times = _mtimes(out)
    assert _export_sample(cli, sample_archive, out) == _up_to_date(out)
    assert _files(out) == files  # every page read and found the same; the marker as new
    assert _changed(out, times) == []


def test_a_hand_edit_of_a_kept_file_while_the_export_renders_is_seen_by_the_next(
    cli: Cli, sample_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forumctl.export import markdown

    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out)
    session = sample_archive / "forums" / SAMPLE_FORUM / "sessions" / "speeches.toml"
    _write(session, {**_read(session), "room": "Room 2"})  # the forum's page alone changes
    render = markdown.tree

    def edited_meanwhile(*args: Any, **kwargs: Any) -> Any:
        _edit_keeping_size(out / "speakers.md")  # kept: the export trusted it before this
        return render(*args, **kwargs)

    monkeypatch.setattr(markdown, "tree", edited_meanwhile)
    _export_sample(cli, sample_archive, out)
    monkeypatch.setattr(markdown, "tree", render)
    assert _export_sample(cli, sample_archive, out) == (
        f"wrote Markdown proceedings (9 files, 1 changed) to {out}\n"
    )
    _export_sample(cli, sample_archive, tmp_path / "fresh")
    assert _without_state(_files(out)) == _without_state(_files(tmp_path / "fresh"))


def test_a_touched_kept_file_is_read_once_not_by_every_export_after(
    cli: Cli, sample_archive: Path, tmp_path: Path, loads: list[object]
) -> None:
    out = tmp_path / "out"
    _export_sample(cli, sample_archive, out)
    os.utime(out / "speakers.md")
    _export_sample(cli, sample_archive, out)  # reads it: the same bytes, left as they are
    loads.clear()
    assert _export_sample(cli, sample_archive, out) == _up_to_date(out)
    assert loads == []  # trusted from the file state again: nothing loaded
