"""The parse cache never gives a wrong answer: stale, racy, corrupted, foreign, concurrent
and unwritable caches all give the same results as parsing. Speed is not tested here
(benchmarks/run.py measures it)."""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from base_archive import BASE
from conftest import Cli, copy_as_committed

from forumctl import archive as archive_module
from forumctl import cache as cache_module
from forumctl.archive import Archive
from forumctl.cache import CACHE_DIR, ParseCache
from forumctl.loading import LoadedFile, load_file

Parsed = list[str]


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Parsed:
    """The relative paths of the files parsed (not taken from the cache), in order."""
    seen: Parsed = []
    real_load_file = load_file

    def counting(root: Path, rel: str, cls: type) -> LoadedFile:
        seen.append(rel)
        return real_load_file(root, rel, cls)

    monkeypatch.setattr(archive_module, "load_file", counting)
    return seen


@pytest.fixture
def trust_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test are milliseconds old: trust them without waiting 2 s."""
    monkeypatch.setattr(cache_module, "RACY_WINDOW_NS", 0)


def run_once(root: Path) -> dict[str, LoadedFile]:
    """One "command": open with the cache, load every file, save the cache."""
    archive = Archive.open(root, cache=True)
    files = {loaded.rel: loaded for _, _, loaded in archive.iter_loaded()}
    archive.save_cache()
    return files


def names(files: dict[str, LoadedFile]) -> dict[str, str]:
    return {rel: f.record.name for rel, f in files.items() if rel.startswith("speakers/")}


def rewrite_same_size_same_mtime(path: Path, old: str, new: str) -> None:
    """Change a file's text without changing its size or mtime: an edit in the same
    second, or a tool that restores mtimes (rsync -t, tar, cp -p)."""
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_repeated_run_parses_nothing_and_gets_the_same_records(
    make_archive: Callable[[dict[str, str]], Path], parsed: Parsed, trust_at_once: None
) -> None:
    root = make_archive(BASE)
    first = run_once(root)
    assert sorted(parsed) == sorted(first)
    parsed.clear()

    second = run_once(root)

    assert parsed == []
    assert {rel: f.record for rel, f in second.items()} == {
        rel: f.record for rel, f in first.items()
    }


def test_a_file_changed_with_the_same_size_and_mtime_is_parsed_again(
    make_archive: Callable[[dict[str, str]], Path], parsed: Parsed, trust_at_once: None
) -> None:
    root = make_archive(BASE)
    run_once(root)
    rewrite_same_size_same_mtime(root / "speakers/ada.toml", "Ada Lovelace", "Ada Byron K.")
    parsed.clear()

    files = run_once(root)

    assert parsed == ["speakers/ada.toml"]
    assert names(files)["speakers/ada.toml"] == "Ada Byron K."


def test_a_file_changed_in_the_same_clock_tick_as_the_parse_is_never_trusted(
    make_archive: Callable[[dict[str, str]], Path], parsed: Parsed
) -> None:
    # Without the 2 s window a write right after the parse could leave every stat field
    # as it was (coarse timestamps): files that young are parsed again on every run.
    root = make_archive(BASE)
    run_once(root)
    parsed.clear()

    run_once(root)

    assert sorted(parsed) == sorted(rel for rel in BASE if rel != "forumctl.toml")


def test_a_replaced_file_of_the_same_size_is_seen(
    make_archive: Callable[[dict[str, str]], Path], trust_at_once: None
) -> None:
    root = make_archive(BASE)
    run_once(root)
    replacement = root / "speakers/.ada.new"
    replacement.write_text('name = "Ada Byron K."\n', encoding="utf-8")
    os.utime(replacement, ns=((root / "speakers/ada.toml").stat().st_mtime_ns,) * 2)
    os.replace(replacement, root / "speakers/ada.toml")  # what editors and git do

    assert names(run_once(root))["speakers/ada.toml"] == "Ada Byron K."


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-40] + b"\x00" * 40, id="zeroed-tail"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a cache at all\n", id="garbage"),
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(
    make_archive: Callable[[dict[str, str]], Path],
    parsed: Parsed,
    trust_at_once: None,
    damage: Callable[[bytes], bytes],
) -> None:
    root = make_archive(BASE)
    expected = names(run_once(root))
    shard = root / CACHE_DIR / "speakers.pickle"
    shard.write_bytes(damage(shard.read_bytes()))
    parsed.clear()

    assert names(run_once(root)) == expected
    assert parsed  # what could not be read was parsed again
    parsed.clear()
    run_once(root)
    assert parsed == []  # rebuilt


def test_a_damaged_entry_in_an_intact_cache_file_is_parsed_again(
    make_archive: Callable[[dict[str, str]], Path], parsed: Parsed, trust_at_once: None
) -> None:
    root = make_archive(BASE)
    run_once(root)
    shard = root / CACHE_DIR / "speakers.pickle"
    data = bytearray(shard.read_bytes())
    start = data.index(b"\n") + 1 + 8  # after the header line and the index length
    (length,) = struct.unpack_from("<Q", data, start - 8)
    _, entries = pickle.loads(data[start : start + length])
    _, offset, size, _, _, _ = entries["speakers/ada.toml"]
    data[start + length + offset : start + length + offset + size] = b"\x00" * size
    shard.write_bytes(data)
    parsed.clear()

    assert names(run_once(root))["speakers/ada.toml"] == "Ada Lovelace"
    assert parsed == ["speakers/ada.toml"]


@pytest.fixture
def packed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shards of more than one entry hold packed records (a large archive's cache)."""
    monkeypatch.setattr(cache_module, "PACKED_ABOVE", 1)


def test_records_decoded_from_their_packed_form_are_those_parsed(
    tmp_path: Path, parsed: Parsed, trust_at_once: None, packed: None
) -> None:
    # the format-2 archive holds every key: tracks, links, translations, quotes as tables
    root = copy_as_committed(Path(__file__).parent / "data" / "format-2", tmp_path / "a")
    first = run_once(root)
    parsed.clear()

    again = run_once(root)

    assert parsed == []
    assert [repr(f) for f in again.values()] == [repr(f) for f in first.values()]
    assert again == first
    assert len(packed_blobs(root, "forums.pickle")[1]) == 5  # the forum and its sessions


def test_a_damaged_packed_record_is_parsed_again(
    make_archive: Callable[[dict[str, str]], Path],
    parsed: Parsed,
    trust_at_once: None,
    packed: None,
) -> None:
    root = make_archive(BASE)
    expected = names(run_once(root))
    data, where = packed_blobs(root, "speakers.pickle")
    offset, size = where["speakers/ada.toml"]
    data[offset : offset + size] = b"\xc1" * size  # a byte MessagePack never uses
    (root / CACHE_DIR / "speakers.pickle").write_bytes(data)
    parsed.clear()

    assert names(run_once(root)) == expected
    assert parsed == ["speakers/ada.toml"]


def test_records_packed_by_another_msgspec_are_parsed_again(
    make_archive: Callable[[dict[str, str]], Path],
    parsed: Parsed,
    trust_at_once: None,
    packed: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make_archive(BASE)
    with monkeypatch.context() as patch:  # its encoding could differ from this msgspec's
        patch.setattr(cache_module, "_msgspec_version", lambda: "0.0.1")
        first = run_once(root)
    parsed.clear()

    assert run_once(root) == first
    assert sorted(parsed) == sorted(first)  # every shard of BASE holds packed records
    parsed.clear()
    run_once(root)
    assert parsed == []  # packed again by this msgspec


def packed_blobs(root: Path, name: str) -> tuple[bytearray, dict[str, tuple[int, int]]]:
    """The shard file's bytes and where each packed record lies in them."""
    data = bytearray((root / CACHE_DIR / name).read_bytes())
    start = data.index(b"\n") + 1 + 8
    (length,) = struct.unpack_from("<Q", data, start - 8)
    _, entries = pickle.loads(data[start : start + length])
    blobs = start + length
    where = {rel: (blobs + e[1] + e[2], e[3]) for rel, e in entries.items() if e[3]}
    return data, where


def test_a_cache_file_not_written_by_this_user_is_never_unpickled(
    make_archive: Callable[[dict[str, str]], Path], tmp_path: Path, trust_at_once: None
) -> None:
    # Unpickling runs code: a cache committed to an archive repository by someone else
    # (or left by another user) must not be loaded, however well-formed it is.
    root = make_archive(BASE)
    run_once(root)
    shard = root / CACHE_DIR / "speakers.pickle"
    header = shard.read_bytes().split(b"\n", 1)[0]
    foreign_header = header[:-32] + b"0" * 32 + b"\n"
    marker = tmp_path / "code-ran"

    class Payload:
        def __reduce__(self) -> tuple[object, ...]:
            return (os.mkdir, (str(marker),))

    shard.write_bytes(foreign_header + pickle.dumps({"speakers/ada.toml": Payload()}))

    assert names(run_once(root))["speakers/ada.toml"] == "Ada Lovelace"
    assert not marker.exists()


def test_another_program_version_rebuilds_the_cache(
    make_archive: Callable[[dict[str, str]], Path],
    parsed: Parsed,
    trust_at_once: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make_archive(BASE)
    run_once(root)
    monkeypatch.setattr(cache_module, "__version__", "99.0.0")
    parsed.clear()

    run_once(root)

    assert len(parsed) == 5


def test_concurrent_runs_leave_a_complete_cache_that_never_hides_a_change(
    make_archive: Callable[[dict[str, str]], Path], trust_at_once: None
) -> None:
    root = make_archive(BASE)
    slow = Archive.open(root, cache=True)
    slow.speaker("ada")  # parsed before the change
    rewrite_same_size_same_mtime(root / "speakers/ada.toml", "Ada Lovelace", "Ada Byron K.")
    run_once(root)  # a second run sees the change and saves first
    slow.save_cache()  # the slower run saves its older view last

    assert names(run_once(root))["speakers/ada.toml"] == "Ada Byron K."


def test_parallel_processes_writing_the_cache_leave_it_valid(
    make_archive: Callable[[dict[str, str]], Path],
) -> None:
    root = make_archive(BASE)
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    forumctl_trusting_new_files = (
        "import sys; import forumctl.cache; forumctl.cache.RACY_WINDOW_NS = 0;"
        " from forumctl.cli.app import run; sys.argv[0] = 'forumctl'; run()"
    )
    command = [sys.executable, "-c", forumctl_trusting_new_files]
    command += ["--archive", str(root), "list", "speakers"]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(4)
    ]
    outputs = {process.communicate()[0] for process in processes}
    assert [process.returncode for process in processes] == [0] * 4
    assert len(outputs) == 1 and b"Ada Lovelace" in outputs.pop()
    assert sorted(p.name for p in (root / CACHE_DIR).iterdir()) == [
        ".gitignore",
        "CACHEDIR.TAG",
        "speakers.pickle",
    ]  # no temporary files left behind


def test_a_read_only_archive_keeps_its_cache_in_the_user_cache_dir(
    make_archive: Callable[[dict[str, str]], Path],
    parsed: Parsed,
    trust_at_once: None,
    user_cache_home: Path,
) -> None:
    root = make_archive(BASE)
    # Tests run as root, for whom chmod does not forbid writes: a file where the cache
    # directory would go makes the archive unwritable for the cache all the same.
    (root / CACHE_DIR).write_text("in the way\n")
    expected = names(run_once(root))
    parsed.clear()

    assert names(run_once(root)) == expected
    assert parsed == []
    fallback = list(ParseCache(root).directories())[1]
    assert fallback.parent == user_cache_home / "forumctl"
    assert (fallback / "speakers.pickle").is_file()


def test_with_nowhere_to_write_the_command_still_works_uncached(
    make_archive: Callable[[dict[str, str]], Path],
    parsed: Parsed,
    trust_at_once: None,
    user_cache_home: Path,
    cli: Cli,
) -> None:
    root = make_archive(BASE)
    (root / CACHE_DIR).write_text("in the way\n")
    fallback = list(ParseCache(root).directories())[1]
    fallback.parent.mkdir(parents=True)
    fallback.write_text("in the way too\n")  # as a full disk would, writing fails

    first = cli("--archive", root, "list", "speakers")
    second = cli("--archive", root, "list", "speakers")

    assert (first.exit_code, first.stderr) == (0, "2 speakers\n")
    assert second.stdout == first.stdout
    assert "Ada Lovelace" in first.stdout
    assert parsed.count("speakers/ada.toml") == 2


def test_without_a_user_cache_dir_the_command_still_works_uncached(
    make_archive: Callable[[dict[str, str]], Path], cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_archive(BASE)
    not_a_directory = root / "forumctl.toml"
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_directory))  # no secret can be kept

    result = cli("--archive", root, "list", "speakers")

    assert (result.exit_code, result.stderr) == (0, "2 speakers\n")
    assert "Bo Li" in result.stdout
    assert not (root / CACHE_DIR).exists()


def test_the_cli_writes_a_git_ignored_cache_and_no_cache_bypasses_it(
    make_archive: Callable[[dict[str, str]], Path], cli: Cli, trust_at_once: None
) -> None:
    root = make_archive(BASE)

    uncached = cli("--archive", root, "--no-cache", "list", "speakers")
    assert not (root / CACHE_DIR).exists()
    cached = cli("--archive", root, "list", "speakers")

    assert cached.stdout == uncached.stdout
    assert (root / CACHE_DIR / ".gitignore").read_text() == "# forumctl's parse cache\n*\n"
    assert (
        (root / CACHE_DIR / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    )


def test_validate_reports_the_same_findings_from_the_cache(
    make_archive: Callable[[dict[str, str]], Path],
    cli: Cli,
    parsed: Parsed,
    trust_at_once: None,
) -> None:
    # Problems and syntax errors are cached with the records; the cross-file rules rerun.
    broken = {
        **BASE,
        "speakers/ada.toml": 'name = "Ada Lovelace"\nnmae = "typo"\n',
        "speakers/bo.toml": 'name = "Bo Li\n',
    }
    root = make_archive(broken)
    cold = cli("--archive", root, "validate")
    parsed.clear()

    warm = cli("--archive", root, "validate")

    assert parsed == []
    assert cold.exit_code == warm.exit_code == 1
    assert warm.stdout == cold.stdout
    assert "unknown key 'nmae'" in warm.stdout
    assert "invalid TOML" in warm.stdout


def test_sessions_referring_to_a_speaker_see_a_change_behind_the_caches_back(
    make_archive: Callable[[dict[str, str]], Path], trust_at_once: None
) -> None:
    # The cache keeps the speakers each session names, to skip the others: a session
    # changed since (same size, same mtime) must be read again, not skipped.
    root = make_archive({**BASE, "speakers/cy.toml": 'name = "Cy Twombly"\n'})
    run_once(root)
    assert Archive.open(root, cache=True).sessions_referring_to("cy") == {}
    rewrite_same_size_same_mtime(
        root / "forums/f/sessions/b.toml", 'speakers = ["bo"]', 'speakers = ["cy"]'
    )

    for cache in (True, False):
        found = Archive.open(root, cache=cache).sessions_referring_to("cy")
        assert list(found) == ["f/b"]
        assert found["f/b"].talks[0].speakers == ("cy",)


def test_a_linked_cache_directory_is_neither_written_nor_read(
    make_archive: Callable[[dict[str, str]], Path],
    tmp_path: Path,
    user_cache_home: Path,
    trust_at_once: None,
) -> None:
    root = make_archive(BASE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / CACHE_DIR).symlink_to(elsewhere)
    run_once(root)
    assert list(elsewhere.iterdir()) == []
    assert list(user_cache_home.glob("forumctl/*/speakers.pickle"))  # to the user cache


def test_a_linked_cache_file_is_replaced_never_written_through(
    make_archive: Callable[[dict[str, str]], Path], tmp_path: Path, trust_at_once: None
) -> None:
    root = make_archive(BASE)
    run_once(root)
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    shard = root / CACHE_DIR / "speakers.pickle"
    shard.unlink()
    shard.symlink_to(victim)
    (root / "speakers/cy.toml").write_text('name = "Cy"\n')  # the shard must be written again
    files = run_once(root)
    assert names(files)["speakers/cy.toml"] == "Cy"
    assert victim.read_bytes() == b"keep me"
    assert not shard.is_symlink()
