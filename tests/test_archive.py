"""archive: discovery, lazy loading, strict access, creation and writing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE_FORUM

from forumctl.archive import Archive, find_root
from forumctl.change import Change, create_archive
from forumctl.errors import ArchiveNotFound, InvalidRecord, RecordNotFound, UnsupportedFormat
from forumctl.records import Manifest, Speaker


def test_ids_of_the_sample(sample_archive: Path) -> None:
    archive = Archive.open(sample_archive)
    assert archive.speaker_ids() == ["sheng-shihao", "yang-kaizhong", "zhang-xueliang"]
    assert archive.forum_ids() == [SAMPLE_FORUM]
    assert len(archive.session_ids()) == 5
    assert archive.manifest.timezone == "Asia/Shanghai"


def test_loading_is_lazy_and_cached(sample_archive: Path) -> None:
    archive = Archive.open(sample_archive)
    archive.speakers()
    assert sorted(archive._files) == [
        "speakers/sheng-shihao.toml",
        "speakers/yang-kaizhong.toml",
        "speakers/zhang-xueliang.toml",
    ]
    assert archive.speaker("sheng-shihao") is archive.speaker("sheng-shihao")


def test_discovery_order(sample_archive: Path, tmp_path: Path) -> None:
    inner = sample_archive / "forums" / SAMPLE_FORUM
    assert find_root(cwd=inner, environ={}) == sample_archive
    assert find_root(cwd=tmp_path, environ={"FORUMCTL_ARCHIVE": str(sample_archive)}) == (
        sample_archive
    )
    with pytest.raises(ArchiveNotFound):
        find_root(cwd=tmp_path, environ={})


def test_strict_access_errors(sample_archive: Path) -> None:
    archive = Archive.open(sample_archive)
    with pytest.raises(RecordNotFound):
        archive.forum("nope")
    (sample_archive / "speakers" / "bad.toml").write_text('name = "x"\nnmae = "y"\n')
    with pytest.raises(InvalidRecord) as caught:
        archive.speaker("bad")
    assert str(caught.value) == (
        "speakers/bad.toml:2:1: unknown key 'nmae' in speaker; did you mean 'name'?"
        " ('forumctl validate' lists every problem)"
    )


def test_newer_format_is_refused(sample_archive: Path) -> None:
    (sample_archive / "forumctl.toml").write_text('format = 3\nname = "x"\n')
    with pytest.raises(UnsupportedFormat):
        Archive.open(sample_archive)


def test_create_and_write(tmp_path: Path) -> None:
    create_archive(tmp_path / "new", Manifest(format=1, name="N"))
    change = Change(Archive.open(tmp_path / "new"))
    change.create("speaker", "a", Speaker(name="A"))
    change.apply()
    path = tmp_path / "new" / "speakers" / "a.toml"
    assert path.read_text() == '#:schema ../schemas/speaker.schema.json\nname = "A"\n'
    assert Archive.open(tmp_path / "new").speaker("a") == Speaker(name="A")
    with pytest.raises(ArchiveNotFound):
        create_archive(tmp_path / "new", Manifest(format=1, name="N"))


def test_hidden_and_path_like_file_names_are_not_records(sample_archive: Path) -> None:
    speakers = sample_archive / "speakers"
    for name in (".backup.toml", "._sheng-shihao.toml", "a\\b.toml"):
        (speakers / name).write_text('name = "Copy"\n')
    (sample_archive / "forums" / ".trash").mkdir()
    (sample_archive / "forums" / ".trash" / "forum.toml").write_text('title = "T"\n')
    archive = Archive.open(sample_archive)
    assert archive.speaker_ids() == ["sheng-shihao", "yang-kaizhong", "zhang-xueliang"]
    assert archive.forum_ids() == [SAMPLE_FORUM]


def test_validate_reports_them_as_misplaced(sample_archive: Path) -> None:
    from forumctl.validate import validate

    (sample_archive / "speakers" / ".backup.toml").write_text('name = "Copy"\n')
    report = validate(Archive.open(sample_archive, cache=False), select=["FC302"])
    assert [(f.path, f.code) for f in report.findings] == [("speakers/.backup.toml", "FC302")]


def test_file_states_name_every_record_file_and_move_when_one_is_written(
    sample_archive: Path,
) -> None:
    (sample_archive / "speakers" / ".backup.toml").write_text('name = "Copy"\n')
    archive = Archive.open(sample_archive)
    before = archive.file_states()
    assert list(before) == ["forumctl.toml"] + [f.rel for _, _, f in archive.iter_loaded()]
    session = sample_archive / archive.rel_path("session", archive.session_ids()[0])
    saved = session.with_name("saved.tmp")  # an editor's save: same bytes, a new inode
    saved.write_bytes(session.read_bytes())
    saved.replace(session)

    after = archive.file_states()

    rel = str(session.relative_to(sample_archive))
    assert {r for r in before if before[r] != after[r]} == {rel}
    assert after[rel][1] == session.stat().st_size
