"""forumctl diff and forumctl log on small git repositories made in tmp directories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from base_archive import BASE
from conftest import Cli
from git_repos import GitArchive

# One edit of each kind, made in the working tree of the base archive
EDITS: dict[str, str | None] = {
    "forums/f/forum.toml": 'title = "The Forum"\nstart = 2020-12-12\nend = 2020-12-14\n',
    "forums/f/sessions/a.toml": BASE["forums/f/sessions/a.toml"].replace("Hall 1", "Hall 2")
    + '\n[[talks]]\nspeakers = ["bo"]\ntitle = "Reply"\n',
    "forums/f/sessions/b.toml": None,
    "forums/f/sessions/c.toml": (
        'title = "C"\ndate = 2020-12-13\n\n[[talks]]\nspeakers = ["ada"]\ntitle = "New talk"\n'
    ),
    "forums/g/forum.toml": 'title = "Second"\nstart = 2021-05-01\nend = 2021-05-01\n',
    "speakers/bo.toml": 'name = "Bo Li"\nname_original = "李博"\nbio = "Economist."\n',
    "speakers/cy.toml": 'name = "Cy Young"\n',
}
TEXT = """\
forum f "The Forum": moved, changed
  title: "Forum" -> "The Forum"
  end: 2020-12-13 -> 2020-12-14
session f/a "A": moved
  room: "Hall 1" -> "Hall 2"
talk f/a #2 "Reply": added
session f/b "B": removed
session f/c "C": added
forum g "Second": added
speaker bo "Bo Li": changed
  bio: (none) -> "Economist."
speaker cy "Cy Young": added
"""


@pytest.fixture
def repo(tmp_path: Path) -> GitArchive:
    return GitArchive(tmp_path / "repo")


def test_diff_reports_each_kind_of_change_in_programme_order(cli: Cli, repo: GitArchive) -> None:
    repo.write(EDITS)
    result = cli("--archive", repo.root, "diff")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == TEXT
    assert result.stderr == ""


def test_diff_markdown_is_a_comment(cli: Cli, repo: GitArchive) -> None:
    repo.write(EDITS)
    head = repo.git("rev-parse", "--short=12", "HEAD").strip()
    result = cli("--archive", repo.root, "diff", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split("\n")[:12] == [
        f"### Proceedings: HEAD ({head}) → working tree",
        "",
        "8 changes:",
        "",
        "- **forum** `f` The Forum: moved, changed",
        '  - `title`: `"Forum"` → `"The Forum"`',
        "  - `end`: `2020-12-13` → `2020-12-14`",
        "- **session** `f/a` A: moved",
        '  - `room`: `"Hall 1"` → `"Hall 2"`',
        "- **talk** `f/a` #2 Reply: added",
        "- **session** `f/b` B: removed",
        "- **session** `f/c` C: added",
    ]
    assert result.stdout.endswith("- **speaker** `cy` Cy Young: added\n")


def test_diff_json_between_two_commits(cli: Cli, repo: GitArchive) -> None:
    first = repo.git("rev-parse", "HEAD").strip()
    second = repo.commit("edits", EDITS)
    result = cli("--archive", repo.root, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["from"] == {"revision": "HEAD~1", "commit": first}
    assert document["to"] == {"revision": "HEAD", "commit": second}
    assert [(c["kind"], c["id"], c["talk"], c["labels"]) for c in document["changes"]] == [
        ("forum", "f", None, ["moved", "changed"]),
        ("session", "f/a", None, ["moved"]),
        ("talk", "f/a", 2, ["added"]),
        ("session", "f/b", None, ["removed"]),
        ("session", "f/c", None, ["added"]),
        ("forum", "g", None, ["added"]),
        ("speaker", "bo", None, ["changed"]),
        ("speaker", "cy", None, ["added"]),
    ]
    assert document["changes"][0]["fields"] == [
        {"field": "title", "old": "Forum", "new": "The Forum"},
        {"field": "end", "old": "2020-12-13", "new": "2020-12-14"},
    ]


def test_exit_code_and_no_changes(cli: Cli, repo: GitArchive) -> None:
    unchanged = cli("--archive", repo.root, "diff", "--exit-code")
    assert unchanged.exit_code == 0
    assert unchanged.stdout == ""
    assert unchanged.stderr.startswith("no changes in the proceedings between HEAD (")
    assert unchanged.stderr.endswith(") and working tree\n")
    repo.write({"speakers/cy.toml": 'name = "Cy Young"\n'})
    changed = cli("--archive", repo.root, "diff", "--exit-code")
    assert changed.exit_code == 1
    assert changed.stdout == 'speaker cy "Cy Young": added\n'
    markdown = cli("--archive", repo.root, "diff", "HEAD", "HEAD", "--format", "markdown")
    assert markdown.stdout.endswith("\n\nNo changes in the proceedings.\n")


def test_one_revision_against_the_working_tree_and_paths_after_dashes(
    cli: Cli, repo: GitArchive
) -> None:
    repo.commit("bio", {"speakers/bo.toml": 'name = "Bo Li"\nbio = "Economist."\n'})
    repo.write({"speakers/cy.toml": 'name = "Cy Young"\n', "forums/f/sessions/b.toml": None})
    everything = cli("--archive", repo.root, "diff", "HEAD~1")
    assert everything.stdout == (
        'session f/b "B": removed\n'
        'speaker bo "Bo Li": changed\n'
        '  name_original: "李博" -> (none)\n'
        '  bio: (none) -> "Economist."\n'
        'speaker cy "Cy Young": added\n'
    )
    limited = cli("--archive", repo.root, "diff", "HEAD~1", "--", repo.root / "speakers")
    assert limited.exit_code == 0, limited.stderr
    assert limited.stdout.startswith('speaker bo "Bo Li": changed\n')
    assert "session" not in limited.stdout
    one_file = cli("--archive", repo.root, "diff", "--", repo.root / "forums/f/sessions/b.toml")
    assert one_file.stdout == 'session f/b "B": removed\n'


def test_speaker_rename_is_one_change_and_references_follow(cli: Cli, repo: GitArchive) -> None:
    repo.write(
        {
            "speakers/ada.toml": None,
            "speakers/ada-lovelace.toml": 'name = "Ada Lovelace"\nformer_ids = ["ada"]\n',
            "forums/f/sessions/a.toml": BASE["forums/f/sessions/a.toml"].replace(
                '["ada"]', '["ada-lovelace"]'
            ),
        }
    )
    result = cli("--archive", repo.root, "diff", "--format", "json")
    changes = json.loads(result.stdout)["changes"]
    assert len(changes) == 1, changes
    assert changes[0]["kind"] == "speaker"
    assert (changes[0]["old_id"], changes[0]["id"]) == ("ada", "ada-lovelace")
    assert changes[0]["labels"][0] == "renamed"
    assert changes[0]["note"] == "references in 1 session follow"
    text = cli("--archive", repo.root, "diff").stdout
    assert text == (
        'speaker ada -> ada-lovelace "Ada Lovelace": renamed (references in 1 session follow)\n'
    )
    markdown = cli("--archive", repo.root, "diff", "--format", "markdown").stdout.split("\n")
    assert markdown[2:5] == [
        "1 change:",
        "",
        "- **speaker** `ada → ada-lovelace` Ada Lovelace: renamed (references in 1 session follow)",
    ]


def test_session_moved_to_another_forum_through_uid(cli: Cli, repo: GitArchive) -> None:
    uid = "0b5b9f3c-4b7e-4a8e-9c61-2f4d3c1b0a99"
    repo.commit(
        "uid",
        {
            "forums/g/forum.toml": 'title = "Second"\nstart = 2021-05-01\nend = 2021-05-01\n',
            "forums/f/sessions/b.toml": f'uid = "{uid}"\n' + BASE["forums/f/sessions/b.toml"],
        },
    )
    moved = BASE["forums/f/sessions/b.toml"].replace("Hall 1", "Hall 9")
    repo.write(
        {
            "forums/f/sessions/b.toml": None,
            "forums/g/sessions/b2.toml": f'uid = "{uid}"\n' + moved,
            "forumctl.toml": BASE["forumctl.toml"].replace("Test archive", "Archive"),
        }
    )
    result = cli("--archive", repo.root, "diff")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        'manifest forumctl.toml "Archive": changed\n'
        '  name: "Test archive" -> "Archive"\n'
        'session f/b -> g/b2 "B": renamed, moved\n'
        '  forum: "f" -> "g"\n'
        '  room: "Hall 1" -> "Hall 9"\n'
    )


def test_invalid_record_at_one_revision_is_reported(cli: Cli, repo: GitArchive) -> None:
    repo.write({"forums/f/sessions/a.toml": 'title = "A"\ndate = "2020-12-12"\n'})
    result = cli("--archive", repo.root, "diff")
    assert result.exit_code == 0
    assert result.stdout == (
        'session f/a "A": invalid\n'
        "  invalid at working tree: forums/f/sessions/a.toml:2:1: 'date' is a string;"
        " write the date unquoted: 2020-12-12\n"
    )


def test_errors_are_one_line_and_exit_2(cli: Cli, repo: GitArchive, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "forumctl.toml").write_text(BASE["forumctl.toml"], encoding="utf-8")
    outside = cli("--archive", plain, "diff")
    assert outside.exit_code == 2
    assert outside.stderr == (
        f"forumctl: error: the archive {plain} is not in a git repository (diff and log read"
        " its git history: run 'git init' and commit it)\n"
    )
    unknown = cli("--archive", repo.root, "diff", "v9")
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        "forumctl: error: unknown revision 'v9' ('git log --oneline' lists the commits;"
        " tags and branch names work too)\n"
    )
    too_many = cli("--archive", repo.root, "diff", "HEAD", "HEAD", "HEAD")
    assert too_many.exit_code == 2
    assert "at most two revisions" in too_many.stderr
    repo.commit("broken manifest", {"forumctl.toml": "format = \n"})
    broken = cli("--archive", repo.root, "diff", "HEAD~1", "HEAD")
    assert broken.exit_code == 2
    assert broken.stderr.startswith("forumctl: error: HEAD:forumctl.toml:1:")
    assert broken.stdout == ""


def test_archive_not_there_at_a_revision(cli: Cli, tmp_path: Path) -> None:
    repo = GitArchive(tmp_path / "repo", {"README.md": "no archive yet\n"})
    repo.commit("archive", {"archive/" + rel: text for rel, text in BASE.items()})
    result = cli("--archive", repo.root / "archive", "diff", "HEAD~1", "HEAD")
    assert result.exit_code == 2
    assert result.stderr == (
        "forumctl: error: no archive at HEAD~1: archive/forumctl.toml is not in that revision"
        " (compare revisions that hold the archive ('git log -- forumctl.toml'))\n"
    )
    # an archive in a subdirectory: paths are its own
    repo.commit("bio", {"archive/speakers/bo.toml": 'name = "Bo Li"\n'})
    moved = cli("--archive", repo.root / "archive", "diff", "HEAD~1", "HEAD")
    assert moved.stdout == 'speaker bo "Bo Li": changed\n  name_original: "李博" -> (none)\n'


def test_shallow_clone(cli: Cli, repo: GitArchive, tmp_path: Path) -> None:
    repo.commit("bio", {"speakers/bo.toml": 'name = "Bo Li"\n'})
    shallow = repo.shallow_clone(tmp_path / "shallow")
    missing = cli("--archive", shallow, "diff", "HEAD~1", "HEAD")
    assert missing.exit_code == 2
    assert missing.stderr == (
        "forumctl: error: unknown revision 'HEAD~1' (this is a shallow clone: fetch more"
        " history with 'git fetch --deepen=2', or check out with fetch-depth: 0)\n"
    )
    assert cli("--archive", shallow, "diff", "--exit-code").exit_code == 0  # HEAD is there
    deeper = repo.shallow_clone(tmp_path / "deeper", depth=2)
    result = cli("--archive", deeper, "diff", "HEAD~1", "HEAD")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == 'speaker bo "Bo Li": changed\n  name_original: "李博" -> (none)\n'
    log = cli("--archive", shallow, "log", "speaker", "bo")
    assert log.exit_code == 0
    assert log.stdout == ""
    assert "history stops at commit" in log.stderr
    assert "git fetch --deepen=N" in log.stderr


def test_log_follows_renames(cli: Cli, repo: GitArchive) -> None:
    repo.commit("bio", {"speakers/bo.toml": 'name = "Bo Li"\nbio = "Economist."\n'})
    repo.commit(
        "rename",
        {
            "speakers/bo.toml": None,
            "speakers/bo-li.toml": 'name = "Bo Li"\nbio = "Economist."\nformer_ids = ["bo"]\n',
            "forums/f/sessions/a.toml": BASE["forums/f/sessions/a.toml"].replace(
                '["bo"]', '["bo-li"]'
            ),
            "forums/f/sessions/b.toml": BASE["forums/f/sessions/b.toml"].replace(
                '["bo"]', '["bo-li"]'
            ),
        },
    )
    repo.commit("ada", {"speakers/ada.toml": 'name = "Ada King"\n'})
    result = cli("--archive", repo.root, "log", "speaker", "bo-li", "--format", "json")
    assert result.exit_code == 0, result.stderr
    commits = json.loads(result.stdout)["commits"]
    assert [c["subject"] for c in commits] == ["rename", "bio", "the archive"]
    assert [c["changes"][0]["labels"][0] for c in commits] == ["renamed", "changed", "added"]
    assert commits[1]["changes"][0]["fields"] == [
        {"field": "name_original", "old": "李博", "new": None},
        {"field": "bio", "old": None, "new": "Economist."},
    ]
    text = cli("--archive", repo.root, "log", "speaker", "bo-li").stdout.split("\n")
    assert text[0].startswith("commit ")
    assert text[0].endswith("  2026-01-03  Ed Itor: rename")
    assert text[1].startswith('  speaker bo -> bo-li "Bo Li": renamed')
    missing = cli("--archive", repo.root, "log", "speaker", "nobody")
    assert missing.exit_code == 2
    assert missing.stderr == (
        "forumctl: error: no speaker 'nobody' in the archive's history"
        " ('forumctl list speakers' shows the IDs)\n"
    )
    not_an_id = cli("--archive", repo.root, "log", "session", "../x")
    assert not_an_id.exit_code == 2


def test_escape_sequences_in_titles_and_commits_are_shown_not_run(
    cli: Cli, repo: GitArchive
) -> None:
    """Record text and commit messages are anyone's: the terminal sees ESC as \\x1b."""
    evil = "\x1b[2J\x1b]8;;https://x.example\x07"
    repo.commit(
        f"retitle {evil}",
        {
            "forums/f/sessions/b.toml": BASE["forums/f/sessions/b.toml"].replace(
                '"B"', '"B\\u001b[2J"'
            )
        },
    )
    outputs = {
        " ".join(args): cli("--archive", repo.root, *args).stdout
        for args in (
            ["diff", "HEAD~1", "HEAD"],
            ["diff", "HEAD~1", "HEAD", "--format", "markdown"],
            ["log", "session", "f/b"],
            ["log", "session", "f/b", "--format", "markdown"],
        )
    }
    assert [name for name, text in outputs.items() if "\x1b" in text or "\x07" in text] == []
    assert (
        outputs["log session f/b"]
        .split("\n")[0]
        .endswith("  2026-01-02  Ed Itor: retitle \\x1b[2J\\x1b]8;;https://x.example\\x07")
    )
    assert "- **session** `f/b` B\\x1b\\[2J: changed" in outputs[
        "diff HEAD~1 HEAD --format markdown"
    ].split("\n")


def test_a_file_name_that_is_not_utf8_is_no_record_of_the_diff(cli: Cli, repo: GitArchive) -> None:
    """As every reader skips it (validate reports it, FC301): JSON took no such name."""
    (repo.root / os.fsdecode(b"speakers/x\xff.toml")).write_text('name = "X"\n')
    (repo.root / "speakers/cy.toml").write_text('name = "Cy Young"\n')
    text = cli("--archive", repo.root, "diff")
    assert (text.exit_code, text.stdout, text.stderr) == (0, 'speaker cy "Cy Young": added\n', "")
    data = cli("--archive", repo.root, "diff", "--format", "json")
    assert data.exit_code == 0, data.stderr
    assert [change["id"] for change in json.loads(data.stdout)["changes"]] == ["cy"]


def test_log_of_a_session_shows_its_talks(cli: Cli, repo: GitArchive) -> None:
    session = BASE["forums/f/sessions/b.toml"]
    repo.commit("talk", {"forums/f/sessions/b.toml": session.replace('["bo"]', '["ada"]')})
    result = cli("--archive", repo.root, "log", "session", "f/b", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "### History of session `f/b`"
    assert lines[2].endswith(" 2026-01-02 Ed Itor: talk")
    assert lines[4:6] == [
        "- **talk** `f/b` #1 ada: changed",
        '  - `speakers`: `["bo"]` → `["ada"]`',
    ]


def test_files_added_to_the_index_and_untracked_ones_count(cli: Cli, repo: GitArchive) -> None:
    repo.write({"speakers/cy.toml": 'name = "Cy Young"\n', "speakers/di.toml": 'name = "Di"\n'})
    repo.git("add", "speakers/cy.toml")
    result = cli("--archive", repo.root, "diff")
    assert result.stdout == 'speaker cy "Cy Young": added\nspeaker di "Di": added\n'


def test_a_fifo_a_device_or_a_directory_in_the_working_tree_is_no_file_and_never_blocks(
    repo: GitArchive,
) -> None:
    """git reports a FIFO where a tracked file was as changed; opening it would wait for a
    writer for ever (found by tests/test_fuzz.py). In a subprocess, so a hang fails."""
    (repo.root / "forums/f/sessions/b.toml").unlink()
    os.mkfifo(repo.root / "forums/f/sessions/b.toml")
    (repo.root / "speakers/zero.toml").symlink_to("/dev/zero")  # untracked, never ends
    (repo.root / "forums/f/forum.toml").unlink()
    (repo.root / "forums/f/forum.toml").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "forumctl", "--archive", str(repo.root), "diff"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == 'forum f "Forum": removed\nsession f/b "B": removed\n'


def test_cancelled_restored_and_merged_in_a_format_2_archive(cli: Cli, tmp_path: Path) -> None:
    from base_archive import FORMAT_2

    repo = GitArchive(tmp_path / "repo", {**BASE, **FORMAT_2})
    session = BASE["forums/f/sessions/b.toml"]
    cancelled = session.replace('room = "Hall 1"\n', 'room = "Hall 1"\nstatus = "cancelled"\n')
    repo.commit("cancel", {"forums/f/sessions/b.toml": cancelled})
    repo.write(
        {
            "forums/f/sessions/b.toml": session.replace('["bo"]', '["ada"]'),
            "forums/f/sessions/a.toml": BASE["forums/f/sessions/a.toml"].replace(
                'chairs = ["bo"]\n', 'chairs = ["ada"]\n'
            ),
            "speakers/bo.toml": None,
            "speakers/ada.toml": (
                'name = "Ada Lovelace"\naliases = ["Bo Li"]\nformer_ids = ["bo"]\n'
            ),
        }
    )
    assert cli("--archive", repo.root, "diff", "HEAD~1", "HEAD").stdout == (
        'session f/b "B": cancelled\n  status: (none) -> "cancelled"\n'
    )
    result = cli("--archive", repo.root, "diff")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        'session f/b "B": restored\n'
        '  status: "cancelled" -> (none)\n'
        'speaker ada "Ada Lovelace": changed (references in 2 sessions follow)\n'
        '  aliases: (none) -> ["Bo Li"]\n'
        '  former_ids: (none) -> ["bo"]\n'
        'speaker bo "Bo Li": merged into ada\n'
    )
