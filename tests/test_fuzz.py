"""Fuzzing the CLI with hypothesis: mutations of a valid archive, every read command.

Each example copies one small valid archive (``base_archive.BASE``, built once per run),
applies one to three mutations (a wrong type,
truncation, random bytes, a BOM, CRLF line ends, a NUL, a duplicate key, deep nesting,
links that loop, dangle or lead outside, a FIFO or a directory where a record file goes,
bytes that are not UTF-8) and runs every read command on it (the history commands once
it is a git repository whose last commit holds the mutated files), in-process,
through the one click command the CLI builds (typer builds it again on every
``CliRunner.invoke``: 95 % of a small command's time). None may end in an internal error
or a traceback; every exit code is 0, 1 or 2 with one-line errors; and validate reports
every mutation that is a defect by construction (and nothing for a BOM or CRLF line
ends, which are valid TOML).

Profiles: the default (CI) runs 10 archives; ``FORUMCTL_FUZZ=long`` runs 10,000,
``FORUMCTL_FUZZ=N`` runs N. ``FORUMCTL_FUZZ_LOG=FILE`` appends one JSON line per archive
(its mutations and every command's exit code), so a long run's progress survives it.
docs/reliability.md has the figures and the command of the last long run.
"""

from __future__ import annotations

import faulthandler
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
import typer.main
from base_archive import BASE
from conftest import CLI_ENV
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from forumctl.cli.app import app

_PROFILE = os.environ.get("FORUMCTL_FUZZ", "")
EXAMPLES = 10_000 if _PROFILE == "long" else int(_PROFILE) if _PROFILE.isdigit() else 10
LOG = os.environ.get("FORUMCTL_FUZZ_LOG")
HANG_SECONDS = 120  # for the 27 commands of one archive, which take well under 1 s

# Every command that reads the archive and writes nothing into it. The archive becomes a
# git repository only for the history commands, which read the mutated files from the
# working tree and from the commit holding them (the frab exports would otherwise spend
# most of their time in git describe, and never reach their digest of the events).
READ_COMMANDS: list[list[str]] = [
    ["validate"],
    ["validate", "--format", "json"],
    ["validate", "--format", "github"],
    ["validate", "--format", "sarif"],
    ["validate", "--format", "junit"],
    ["--no-cache", "validate", "--strict"],
    ["list", "forums"],
    ["list", "sessions", "--format", "json"],
    ["list", "speakers", "--format", "csv"],
    ["show", "forum", "f"],
    ["show", "forum", "f", "--timetable"],
    ["show", "session", "f/a"],
    ["show", "speaker", "ada", "--format", "json"],
    ["fmt", "--check"],
    ["export", "json"],
    ["export", "csv"],
    ["export", "ical"],
    ["export", "frab-xml", "--forum", "f"],
    ["export", "frab-json", "--forum", "f"],
    ["export", "bibtex"],
    ["export", "csl-json"],
    ["export", "markdown", "--out", "{out}/md", "--force"],
    ["export", "site", "--out", "{out}/site", "--force"],
    # then in a git repository whose last commit holds the mutated files
    ["diff", "HEAD~1"],
    ["diff", "HEAD~1", "HEAD", "--format", "json"],
    ["log", "speaker", "ada"],
    ["log", "session", "f/a"],
]
VALIDATE_JSON = ["validate", "--format", "json"]
HISTORY = READ_COMMANDS.index(["diff", "HEAD~1"])

# typer builds the click command tree again on every CliRunner.invoke (about 140 ms
# here, against 2-6 ms for a command on this archive): built once, as `app()` would.
COMMAND = typer.main.get_command(app)
RUNNER = CliRunner(env=CLI_ENV)


@dataclass(frozen=True)
class Ran:
    exit_code: int
    stdout: str
    stderr: str


def run(argv: list[str]) -> Ran:
    """``forumctl ARGV`` in-process, as the console entry point runs it (an exception
    that escapes is a traceback a user would see: it fails the test as it is)."""
    with RUNNER.isolation(env=CLI_ENV) as (out, err, _):
        try:
            COMMAND.main(argv, prog_name="forumctl")
            code: object = 0
        except SystemExit as exit:
            code = exit.code
        sys.stdout.flush()
        sys.stderr.flush()
        assert isinstance(code, int), (argv, code)
        return Ran(code, out.getvalue().decode(), err.getvalue().decode())


@dataclass(frozen=True)
class Mutation:
    kind: str
    rel: str
    detail: int = 0
    payload: bytes = b""

    @property
    def is_defect(self) -> bool:
        """A defect whatever the details: validate must report something for the file."""
        return self.kind in (
            "wrong-type", "nul", "duplicate-key", "deep-nesting", "not-utf8",
            "link-loop", "link-dangling", "fifo", "directory",
        )  # fmt: skip


FILES = sorted(BASE)
KINDS = [
    "wrong-type", "truncate", "random-bytes", "bom", "crlf", "nul", "duplicate-key",
    "deep-nesting", "not-utf8", "link-loop", "link-dangling", "link-outside", "fifo",
    "directory",
]  # fmt: skip

mutations = st.builds(
    Mutation,
    kind=st.sampled_from(KINDS),
    rel=st.sampled_from(FILES),
    detail=st.integers(min_value=0, max_value=10_000),
    payload=st.binary(min_size=1, max_size=12),
)


def _apply(root: Path, mutation: Mutation, outside: Path) -> bool:
    """Apply the mutation; False when an earlier one took the file away."""
    path = root / mutation.rel
    if not path.is_file() or path.is_symlink():
        return False
    data = path.read_bytes()
    at = mutation.detail % (len(data) + 1)
    kind = mutation.kind
    if kind == "wrong-type":  # the first key's value becomes a value of another type
        key, _, _ = data.partition(b" = ")
        rest = data.split(b"\n", 1)[1] if b"\n" in data else b""
        value = [b"1", b"[1, 2]", b"{ a = 1 }", b"2020-01-01", b"true"][at % 5]
        if key == b"format":  # the one integer: a string is its wrong type
            value = b'"1"'
        path.write_bytes(key + b" = " + value + b"\n" + rest)
    elif kind == "truncate":
        path.write_bytes(data[:at])
    elif kind == "random-bytes":
        path.write_bytes(data[:at] + mutation.payload + data[at:])
    elif kind == "bom":  # (once: a second BOM is a character, not a mark)
        path.write_bytes(b"\xef\xbb\xbf" + data.removeprefix(b"\xef\xbb\xbf"))
    elif kind == "crlf":
        path.write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    elif kind == "nul":
        path.write_bytes(data[:at] + b"\x00" + data[at:])
    elif kind == "duplicate-key":
        path.write_bytes(data.split(b"\n", 1)[0] + b"\n" + data)  # at the top: same table
    elif kind == "deep-nesting":
        depth = 100 + mutation.detail
        nested = [b"x = " + b"[" * depth + b"]" * depth, b"y = " + b"{ a = " * depth + b"1"
                  + b" }" * depth][at % 2]  # fmt: skip
        path.write_bytes(data + nested + b"\n")
    elif kind == "not-utf8":
        path.write_bytes(data[:at] + b"\xff\xfe" + data[at:])
    elif kind == "link-loop":
        path.unlink()
        path.symlink_to(path.name)
    elif kind == "link-dangling":
        path.unlink()
        path.symlink_to("nowhere.toml")
    elif kind == "link-outside":
        target = outside / mutation.rel.replace("/", "_")
        target.write_bytes(data)
        path.unlink()
        path.symlink_to(target)
    elif kind == "fifo":
        path.unlink()
        os.mkfifo(path)
    elif kind == "directory":
        path.unlink()
        path.mkdir()
    return True


def _check(command: list[str], ran: Ran) -> None:
    exit_code, stdout, stderr = ran.exit_code, ran.stdout, ran.stderr
    where = f"{' '.join(command)}: exit {exit_code}\n{stderr}"
    assert exit_code in (0, 1, 2), where
    assert "Traceback" not in stdout + stderr, where
    assert "error: unexpected " not in stderr and "a bug in forumctl" not in stderr, where
    if exit_code == 2 and command[0] != "fmt":  # fmt reports each file it cannot read
        assert stderr.count("forumctl: error: ") == 1, where  # one line, and only one
    if exit_code == 2:
        assert stdout == "" or command[0] in ("fmt", "export"), where


def _git(root: Path, *argv: str, check: bool = True) -> None:
    subprocess.run(
        ["git", "-c", "user.name=fuzz", "-c", "user.email=fuzz@example.org", *argv],
        cwd=root,
        check=check,
        capture_output=True,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"},
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The valid archive, and beside it (``.git``) a repository that has committed it;
    each example works on a copy of them."""
    root = tmp_path_factory.mktemp("fuzz-template") / "archive"
    for rel, text in {**BASE, ".gitignore": ".forumctl-cache/\n"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    _git(root, "init", "--quiet")
    _git(root, "add", ".")
    _git(root, "commit", "--quiet", "-m", "valid")
    (root / ".git").rename(root.parent / ".git")
    yield root


def _commit_mutated(template: Path, root: Path) -> None:
    """Make the archive a repository whose second commit holds the mutated files (git
    takes no FIFO: skipped, so the commit then holds that file's deletion)."""
    shutil.copytree(template.parent / ".git", root / ".git", symlinks=True)
    _git(root, "add", "--all", "--ignore-errors", ".", check=False)  # 128 on a FIFO
    _git(root, "commit", "--quiet", "--allow-empty", "--no-verify", "-m", "mutated")


def _log(entry: dict[str, object]) -> None:
    if LOG:
        with open(LOG, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


@contextmanager
def _no_hang(changes: list[Mutation]) -> Iterator[None]:
    """A command still running after HANG_SECONDS is a hang (opening a FIFO, reading a
    device): the process is stopped with every thread's traceback, in LOG.hang for a
    long run, with the archive's mutations logged just before."""
    _log({"archive": [asdict(m) | {"payload": m.payload.hex()} for m in changes]})
    with ExitStack() as stack:
        dump = (
            stack.enter_context(open(f"{LOG}.hang", "w", encoding="utf-8")) if LOG else sys.stderr
        )
        faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=dump)
        stack.callback(faulthandler.cancel_dump_traceback_later)
        yield


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    database=None,
    # the long profile reports a failing example as found: shrinking it can take longer
    phases=[Phase.explicit, Phase.generate] if _PROFILE else list(Phase),
)
@given(changes=st.lists(mutations, min_size=1, max_size=3))
def test_no_mutation_of_an_archive_makes_a_read_command_fail_inside(
    template: Path, changes: list[Mutation]
) -> None:
    with tempfile.TemporaryDirectory(prefix="forumctl-fuzz-") as work:
        root, outside = Path(work) / "archive", Path(work) / "outside"
        outside.mkdir()
        shutil.copytree(template, root, symlinks=True)
        applied = [mutation for mutation in changes if _apply(root, mutation, outside)]
        exits: dict[str, int] = {}
        with _no_hang(changes):
            for at, command in enumerate(READ_COMMANDS):
                if at == HISTORY:
                    _commit_mutated(template, root)
                ran = run([arg.format(out=work) for arg in ["--archive", str(root), *command]])
                _check(command, ran)
                exits[" ".join(command).replace(work, "")] = ran.exit_code
                if command == VALIDATE_JSON:
                    report = ran
    defects: set[str] = set()  # files that hold a defect by construction
    unknown: set[str] = set()  # files whose bytes were cut or added to at random
    for m in applied:
        if m.is_defect:
            defects.add(m.rel)
        elif m.kind in ("truncate", "random-bytes"):
            defects.discard(m.rel)  # a cut may remove the defect again
            unknown.add(m.rel)
    if "forumctl.toml" in defects | unknown:  # a broken manifest may stop validate
        # (a cut may leave a valid manifest: `format` and `name` without the `timezone`)
        assert report.exit_code in (1, 2) or "forumctl.toml" not in defects, report.stdout
        assert report.exit_code != 2 or "forumctl.toml" in report.stderr, report.stderr
    elif defects:
        assert report.exit_code == 1, (changes, report.stdout, report.stderr)
        # (validate names paths as typed from the working directory: absolute here)
        found = {finding["path"] for finding in json.loads(report.stdout)["findings"]}
        missed = [rel for rel in defects if not any(p.endswith(rel) for p in found)]
        assert missed == [], (changes, found)
    elif not unknown and all(m.kind in ("bom", "crlf") for m in applied):
        assert (report.exit_code, report.stderr) == (0, ""), (changes, report.stdout)
    _log({"applied": len(applied), "exits": exits})  # (an archive that passed every check)
