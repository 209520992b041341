"""The verdict of the scoped validation equals a whole validation's, change by change."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from generated import generated_archive

from forumctl.archive import Archive
from forumctl.change import Change
from forumctl.validate.delta import added_errors

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_archive(tmp_path_factory.mktemp("delta") / "archive", 3)


Mutation = Callable[[Change, Archive, random.Random], None]


def _session(archive: Archive, rng: random.Random, forum: str | None = None) -> str:
    return rng.choice(archive.session_ids(forum))


def same_slot(change: Change, archive: Archive, rng: random.Random) -> None:
    """A session moved into another's room and time: a room overlap, double bookings."""
    a = _session(archive, rng)
    b = _session(archive, rng, a.partition("/")[0])
    data, other = change.data("session", a), change.data("session", b)
    for key in ("date", "start", "end", "room"):
        if key in other:
            data[key] = other[key]
    change.update("session", a, data)


def add_chair(change: Change, archive: Archive, rng: random.Random) -> None:
    """A chair who speaks elsewhere at the time (often in the same forum), or who does
    not exist."""
    session = _session(archive, rng)
    data = change.data("session", session)
    forum = rng.choice([session.partition("/")[0], None])
    other = change.data("session", _session(archive, rng, forum))
    person = rng.choice([*other["talks"][0]["speakers"], "nobody-at-all"])
    data["chairs"] = [*data.get("chairs", []), person]
    change.update("session", session, data)


def remove_speaker(change: Change, archive: Archive, rng: random.Random) -> None:
    change.delete(archive.rel_path("speaker", rng.choice(archive.speaker_ids())))


def copy_identity(change: Change, archive: Archive, rng: random.Random) -> None:
    """A speaker given another's ORCID or name: one person in two files."""
    a, b = rng.sample(archive.speaker_ids(), 2)
    data, other = change.data("speaker", a), change.data("speaker", b)
    key = rng.choice(["links", "name"])
    data[key] = other[key] if key in other else data.get(key)
    change.update("speaker", a, data)


def alias_of_another(change: Change, archive: Archive, rng: random.Random) -> None:
    """A speaker given another's name as an alias (FC605)."""
    a, b = rng.sample(archive.speaker_ids(), 2)
    data, other = change.data("speaker", a), change.data("speaker", b)
    data["aliases"] = [*data.get("aliases", []), other["name"]]
    change.update("speaker", a, data)


def rename_speaker(change: Change, archive: Archive, rng: random.Random) -> None:
    """A speaker renamed as rename does it (file moved, every reference rewritten), or to
    the ID of a speaker that a session names but that does not exist."""
    from forumctl.rewrite import plan_rename, queue

    new = rng.choice(["renamed-person", "nobody-at-all"])
    queue(plan_rename(archive, "speaker", rng.choice(archive.speaker_ids()), new), change)


def shift_forum(change: Change, archive: Archive, rng: random.Random) -> None:
    """A forum's dates moved so that its sessions fall outside them."""
    import datetime as dt

    forum = rng.choice(archive.forum_ids())
    data = change.data("forum", forum)
    days = dt.timedelta(days=rng.choice([-3, 1, 30]))
    data["start"] += days
    data["end"] += days
    change.update("forum", forum, data)


def move_session(change: Change, archive: Archive, rng: random.Random) -> None:
    """A session moved to another forum (its date then outside that forum's)."""
    session = _session(archive, rng)
    forum = rng.choice(archive.forum_ids())
    target = f"forums/{forum}/sessions/moved-{rng.randrange(1000)}.toml"
    change.move(archive.rel_path("session", session), target)


def break_file(change: Change, archive: Archive, rng: random.Random) -> None:
    """A file that is no longer TOML, or has a wrong type."""
    rel = archive.rel_path("session", _session(archive, rng))
    text = change.text(rel) or ""
    change.write(rel, rng.choice([text + "\n[[talks]\n", text.replace("order = ", "order = '")]),
                 replace=True)  # fmt: skip


def new_session(change: Change, archive: Archive, rng: random.Random) -> None:
    """A new session in the slot of another one."""
    original = _session(archive, rng)
    forum = original.partition("/")[0]
    text = change.text(archive.rel_path("session", original)) or ""
    change.write(f"forums/{forum}/sessions/copy-{rng.randrange(1000)}.toml", text)


MUTATIONS: list[Mutation] = [
    same_slot,
    add_chair,
    remove_speaker,
    copy_identity,
    alias_of_another,
    rename_speaker,
    shift_forum,
    move_session,
    break_file,
    new_session,
]


def test_scoped_verdict_equals_whole_validation(generated: Path) -> None:
    rng = random.Random(11)
    archive = Archive.open(generated)
    refused = 0
    for _ in range(60):
        change = Change(archive)
        for mutation in rng.sample(MUTATIONS, rng.randint(1, 3)):
            try:
                mutation(change, archive, rng)
            except Exception as error:  # a mutation that does not apply (moved away)
                assert type(error).__name__ in ("WriteError", "RecordExists", "RecordNotFound")
        changed = {c.rel: c.after for c in change._all_files()}
        scoped = added_errors(archive, changed)
        whole = added_errors(archive, changed, whole=True)
        assert [(f.path, f.code, f.message) for f in scoped] == [
            (f.path, f.code, f.message) for f in whole
        ], changed.keys()
        refused += bool(whole)
    assert refused > 20  # the changes do add errors: the comparison is not of empty lists


SPEECHES = "forums/2020-zhejiang-social-science-annual-conference-yrd-forum/sessions/speeches.toml"


@pytest.mark.parametrize(
    ("manifest_lines", "chairs_line", "blocked"),
    [
        ("", 'chairs = ["nobody-at-all"]', ["FC401"]),
        ('[validate]\nignore = ["FC4"]\n', 'chairs = ["nobody-at-all"]', []),
        ('[validate]\nselect = ["FC1", "FC2"]\n', 'chairs = ["nobody-at-all"]', []),
        (
            '[validate.per-file-ignores]\n"forums/*/sessions/speeches.toml" = ["FC401"]\n',
            'chairs = ["nobody-at-all"]',
            [],
        ),
        ("", 'chairs = ["nobody-at-all"]  # forumctl: ignore[FC401]: not known yet', []),
        ("", 'chairs = ["nobody-at-all"]  # forumctl: ignore[FC402]: another rule', ["FC401"]),
    ],
)
def test_what_validate_would_not_report_does_not_block_a_change(
    sample_archive: Path, manifest_lines: str, chairs_line: str, blocked: list[str]
) -> None:
    manifest = sample_archive / "forumctl.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + manifest_lines, encoding="utf-8")
    text = (sample_archive / SPEECHES).read_text(encoding="utf-8")
    changed = text.replace("order = 1\n", f"order = 1\n{chairs_line}\n")
    found = added_errors(Archive.discover(sample_archive), {SPEECHES: changed})
    assert [(f.path, f.line, f.code) for f in found] == [(SPEECHES, 5, code) for code in blocked]
