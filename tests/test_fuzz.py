"""Fuzzing the CLI with hypothesis: mutations of a valid archive, every read command.

Each example takes the small valid archive of ``base_archive.BASE``, applies one to three
mutations (a wrong type, truncation, random bytes, a BOM, CRLF line ends, a NUL, a
duplicate key, deep nesting, links that loop, dangle or lead outside, a FIFO or a
directory where a record file goes, bytes that are not UTF-8), and runs every read
command on it. None may end in an internal error or a traceback; every exit code is
0, 1 or 2 with one-line errors; and validate reports every mutation that is a defect by
construction (and nothing for a BOM or CRLF line ends, which are valid TOML).

Profiles: the default (CI) runs 10 archives (about 15 s); ``FORUMCTL_FUZZ=long`` runs
10,000, ``FORUMCTL_FUZZ=N`` runs N (each archive takes 1-2 s here: 18 commands).
docs/reliability.md has the figures of the last long run.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from base_archive import BASE
from conftest import CLI_ENV
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from forumctl.cli.app import app

_PROFILE = os.environ.get("FORUMCTL_FUZZ", "")
EXAMPLES = 10_000 if _PROFILE == "long" else int(_PROFILE) if _PROFILE.isdigit() else 10

READ_COMMANDS: list[list[str]] = [
    ["validate"],
    ["validate", "--format", "json"],
    ["validate", "--format", "github"],
    ["validate", "--format", "sarif"],
    ["validate", "--format", "junit"],
    ["list", "forums"],
    ["list", "sessions", "--format", "json"],
    ["list", "speakers", "--format", "csv"],
    ["show", "forum", "f"],
    ["show", "session", "f/a"],
    ["show", "speaker", "ada", "--format", "json"],
    ["fmt", "--check"],
    ["export", "json"],
    ["export", "csv"],
    ["export", "ical"],
    ["export", "frab-xml", "--forum", "f"],
    ["export", "frab-json", "--forum", "f"],
    ["export", "markdown", "--out", "{out}/md", "--force"],
]


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


def _check(command: list[str], exit_code: int, stdout: str, stderr: str) -> None:
    where = f"{' '.join(command)}: exit {exit_code}\n{stderr}"
    assert exit_code in (0, 1, 2), where
    assert "Traceback" not in stdout + stderr, where
    assert "error: unexpected " not in stderr and "a bug in forumctl" not in stderr, where
    if exit_code == 2 and command[0] != "fmt":  # fmt reports each file it cannot read
        assert stderr.count("forumctl: error: ") == 1, where  # one line, and only one
    if exit_code == 2:
        assert stdout == "" or command[0] in ("fmt", "export"), where


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    # the long profile reports a failing example as found: shrinking it can take longer
    phases=[Phase.explicit, Phase.generate] if _PROFILE else list(Phase),
)
@given(st.lists(mutations, min_size=1, max_size=3))
def test_no_mutation_of_an_archive_makes_a_read_command_fail_inside(
    changes: list[Mutation],
) -> None:
    runner = CliRunner(env=CLI_ENV)
    with tempfile.TemporaryDirectory(prefix="forumctl-fuzz-") as work:
        root, outside = Path(work) / "archive", Path(work) / "outside"
        outside.mkdir()
        for rel, text in BASE.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        applied = [mutation for mutation in changes if _apply(root, mutation, outside)]
        for command in READ_COMMANDS:
            argv = [arg.format(out=work) for arg in ["--archive", str(root), *command]]
            result = runner.invoke(app, argv)
            _check(command, result.exit_code, result.stdout, result.stderr)
            if command == ["validate", "--format", "json"]:
                report = result
        defects: set[str] = set()  # files that hold a defect by construction
        unknown: set[str] = set()  # files whose bytes were cut or added to at random
        for m in applied:
            if m.is_defect:
                defects.add(m.rel)
            elif m.kind in ("truncate", "random-bytes"):
                defects.discard(m.rel)  # a cut may remove the defect again
                unknown.add(m.rel)
        if "forumctl.toml" in defects | unknown:  # a broken manifest may stop validate
            assert report.exit_code in (1, 2), report.stderr
            assert report.exit_code == 1 or "forumctl.toml" in report.stderr
        elif defects:
            assert report.exit_code == 1, (changes, report.stdout, report.stderr)
            # (validate names paths as typed from the working directory: absolute here)
            found = {finding["path"] for finding in json.loads(report.stdout)["findings"]}
            missed = [rel for rel in defects if not any(p.endswith(rel) for p in found)]
            assert missed == [], (changes, found)
        elif not unknown and all(m.kind in ("bom", "crlf") for m in applied):
            assert (report.exit_code, report.stderr) == (0, ""), (changes, report.stdout)
