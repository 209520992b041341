"""The JSON Schemas: generated from records.FIELDS, valid, and in agreement with validate."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from forumctl import records
from forumctl.jsondoc import plain
from forumctl.records import Affiliation, Forum, Manifest, Outcome, Session, Source, Speaker, Talk
from forumctl.schema import KINDS, json_schema, schema_text, write_schemas
from forumctl.toml_io import dumps, parse

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "archive"


def schema_errors(kind: str, data: dict[str, Any]) -> list[str]:
    """What JSON Schema finds in TOML data, seen as an editor sees it (dates as strings)."""
    validator = jsonschema.Draft202012Validator(
        json_schema(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [error.message for error in validator.iter_errors(plain(data))]


def loader_codes(kind: str, data: dict[str, Any]) -> list[str]:
    return [problem.code for problem in records.load(records.RECORD_TYPES[kind], data)[1]]


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_are_valid_draft_2020_12(kind: str) -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_is_in_the_schema(kind: str) -> None:
    cls = records.RECORD_TYPES[kind]
    schema = json_schema(kind)
    assert list(schema["properties"]) == [spec.name for spec in records.FIELDS[cls]]
    assert schema.get("required", []) == [s.name for s in records.FIELDS[cls] if s.required]


def test_sample_archive_passes_both() -> None:
    checked = 0
    for kind, files in records_by_kind(SAMPLE).items():
        for rel in files:
            data = parse((SAMPLE / rel).read_text(encoding="utf-8"), rel)
            assert schema_errors(kind, data) == [], rel
            assert loader_codes(kind, data) == [], rel
            checked += 1
    assert checked == 10


FULL_RECORDS: dict[str, Any] = {
    "manifest": Manifest(format=1, name="A", description="d", timezone="Asia/Shanghai",
                         language="zh"),
    "forum": Forum(
        title="T", series="S", edition=5, kind="high-level forum", start=dt.date(2020, 12, 12),
        end=dt.date(2020, 12, 13), city="Hangzhou", venue="V", timezone="Asia/Shanghai",
        organizers=("O",), tags=("t",), summary="**s**",
        outcomes=(Outcome(kind="publication", title="P", summary="s"),),
        sources=(Source(title="R", publisher="P", date=dt.date(2020, 12, 12), authors=("A",),
                        url="https://example.org/r"),),
    ),
    "session": Session(
        title="T", kind="plenary", order=1, date=dt.date(2020, 12, 12), start=dt.time(9),
        end=dt.time(10, 30), room="Hall", chairs=("a",), summary="s",
        talks=(Talk(speakers=("a", "b"), title="T", summary="s", quotes=("q",),
                    affiliations={"a": "X"}),),
    ),
    "speaker": Speaker(
        name="Sheng Shihao", name_original="盛世豪", sort_name="Sheng", bio="b",
        links={"orcid": "0000-0002-1825-0097", "website": "https://example.org"},
        affiliations=(Affiliation(organization="O", role="r", since=dt.date(2019, 1, 1),
                                  until=dt.date(2020, 1, 1)),),
    ),
}  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_generated_records_with_every_field_pass_both(kind: str) -> None:
    data = tomllib.loads(dumps(FULL_RECORDS[kind]))
    assert schema_errors(kind, data) == []
    assert loader_codes(kind, data) == []


# (kind, defect, data, the loader's code)
DEFECTS: list[tuple[str, str, dict[str, Any], str]] = [
    ("forum", "missing title", {"start": dt.date(2020, 1, 1), "end": dt.date(2020, 1, 1)},
     records.MISSING_KEY),
    ("forum", "edition as string", {"title": "T", "start": dt.date(2020, 1, 1),
     "end": dt.date(2020, 1, 1), "edition": "5"}, records.WRONG_TYPE),
    ("forum", "outcome kind not in enum", {"title": "T", "start": dt.date(2020, 1, 1),
     "end": dt.date(2020, 1, 1), "outcomes": [{"kind": "party", "title": "x"}]},
     records.NOT_IN_ENUM),
    ("session", "session kind not in enum", {"title": "T", "kind": "party"}, records.NOT_IN_ENUM),
    ("forum", "unknown key", {"title": "T", "start": dt.date(2020, 1, 1),
     "end": dt.date(2020, 1, 1), "titel": "x"}, records.UNKNOWN_KEY),
    ("session", "unknown key in a talk", {"title": "T", "talks": [{"speakers": ["a"], "x": 1}]},
     records.UNKNOWN_KEY),
    ("session", "talk without speakers", {"title": "T", "talks": [{"speakers": []}]},
     records.EMPTY_LIST),
    ("speaker", "link not a string", {"name": "N", "links": {"website": 1}}, records.WRONG_TYPE),
    ("manifest", "format as string", {"format": "1", "name": "N"}, records.WRONG_TYPE),
    ("session", "time with an offset", {"title": "T", "start": dt.time(9, tzinfo=dt.UTC)},
     records.WRONG_TYPE),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "data", "code"), [(d[0], d[2], d[3]) for d in DEFECTS], ids=[d[1] for d in DEFECTS]
)
def test_schema_level_defects_fail_both(kind: str, data: dict[str, Any], code: str) -> None:
    assert loader_codes(kind, data) == [code]
    assert schema_errors(kind, data) != []


def test_every_schema_level_rule_but_one_is_covered() -> None:
    """FC201 (a date written as a quoted string) is the one the JSON Schema cannot see: in
    JSON a TOML date is a string too. validate reports it."""
    covered = {d[3] for d in DEFECTS}
    schema_level = {records.MISSING_KEY, records.WRONG_TYPE, records.NOT_IN_ENUM,
                    records.UNKNOWN_KEY, records.EMPTY_LIST, records.DATE_AS_STRING}  # fmt: skip
    assert schema_level - covered == {records.DATE_AS_STRING}
    quoted = {"title": "T", "start": "2020-01-01", "end": dt.date(2020, 1, 1)}
    assert loader_codes("forum", quoted) == [records.DATE_AS_STRING]
    assert schema_errors("forum", quoted) == []


def test_link_and_orcid_formats_are_in_the_schema() -> None:
    assert schema_errors("speaker", {"name": "N", "links": {"orcid": "12"}}) != []
    assert schema_errors("speaker", {"name": "N", "links": {"website": "ftp://x"}}) != []
    assert schema_errors("forum", {"title": "T", "start": dt.date(2020, 1, 1),
                                   "end": dt.date(2020, 1, 1), "sources": [
                                       {"title": "R", "url": "example.org"}]}) != []  # fmt: skip


def test_committed_archive_schemas_are_current() -> None:
    version = tomllib.loads((SAMPLE / "forumctl.toml").read_text(encoding="utf-8"))["format"]
    for kind in KINDS:
        committed = (SAMPLE / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_text(kind, version), (
            f"run: forumctl schema --archive-format {version} --write archive/schemas"
        )


def test_taplo_config_maps_every_sample_file_to_an_existing_schema() -> None:
    config = tomllib.loads((SAMPLE / ".taplo.toml").read_text(encoding="utf-8"))
    rules = [(rule["include"], rule["schema"]["path"]) for rule in config["rule"]]
    assert all((SAMPLE / path).is_file() for _, path in rules)
    for path in SAMPLE.rglob("*.toml"):
        rel = path.relative_to(SAMPLE)
        if rel.name.startswith("."):
            continue
        matches = [schema for globs, schema in rules if any(rel.match(g) for g in globs)]
        assert len(matches) == 1, rel
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert (path.parent / first_line.removeprefix("#:schema ")).resolve() == (
            SAMPLE / matches[0]
        ).resolve(), rel


def test_write_schemas_keeps_current_files_and_needs_force_for_others(tmp_path: Path) -> None:
    from forumctl.errors import RecordExists

    assert [p.name for p in write_schemas(tmp_path)] == [f"{k}.schema.json" for k in KINDS]
    assert write_schemas(tmp_path) == []
    (tmp_path / "forum.schema.json").write_text("{}")
    with pytest.raises(RecordExists):
        write_schemas(tmp_path)
    assert [p.name for p in write_schemas(tmp_path, force=True)] == ["forum.schema.json"]
    assert json.loads((tmp_path / "forum.schema.json").read_text()) == json_schema("forum")


# -- the ecosystem's validators: check-jsonschema and taplo (both in the test extra) --------

FORMAT_2_ARCHIVE = Path(__file__).parent / "data" / "format-2"  # every key, times included


def installed_tool(name: str) -> str:
    """A command of the test extra, installed beside this interpreter."""
    path = Path(sys.executable).parent / name
    assert path.is_file(), f"{name} comes with the test extra: pip install -e '.[test]'"
    return str(path)


def records_by_kind(root: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for path in sorted(root.rglob("*.toml")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("."):
            continue
        kind = (
            "manifest" if rel == "forumctl.toml"
            else "speaker" if rel.startswith("speakers/")
            else "forum" if rel.endswith("/forum.toml")
            else "session"
        )  # fmt: skip
        found[kind].append(rel)
    return found


def prepared_copy(source: Path, tmp_path: Path) -> Path:
    """A copy of an archive with the schemas and .taplo.toml that init writes."""
    from forumctl.change import TAPLO_CONFIG

    root = Path(shutil.copytree(source, tmp_path / "archive"))
    write_schemas(root / "schemas", force=True, version=2)
    (root / ".taplo.toml").write_text(TAPLO_CONFIG, encoding="utf-8")
    return root


@pytest.fixture(params=["sample", "format-2"])
def valid_archive(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The sample, and the format-2 archive that uses every key (with times and dates)."""
    return prepared_copy(SAMPLE if request.param == "sample" else FORMAT_2_ARCHIVE, tmp_path)


def check_jsonschema(root: Path) -> list[subprocess.CompletedProcess[str]]:
    """check-jsonschema on every record file, against its kind's schema."""
    return [
        subprocess.run(
            [
                installed_tool("check-jsonschema"),
                "--schemafile",
                f"schemas/{kind}.schema.json",
                *files,
            ],
            cwd=root,
            capture_output=True,
            text=True,
        )
        for kind, files in records_by_kind(root).items()
    ]


def taplo_check(root: Path) -> subprocess.CompletedProcess[str]:
    """taplo as in an editor: .taplo.toml's rules and the files' #:schema comments."""
    env = {"PATH": str(Path(sys.executable).parent), "RUST_LOG": "error", "NO_COLOR": "1"}
    return subprocess.run(
        [installed_tool("taplo"), "check"], cwd=root, capture_output=True, text=True, env=env
    )


def test_check_jsonschema_passes_valid_archives(valid_archive: Path) -> None:
    """It reads a TOML local time as a string ending in Z (09:30:00Z): the time pattern
    takes that too."""
    for run in check_jsonschema(valid_archive):
        assert (run.returncode, run.stdout) == (0, "ok -- validation done\n"), run.args


def test_taplo_passes_valid_archives(valid_archive: Path) -> None:
    run = taplo_check(valid_archive)
    assert (run.returncode, run.stderr) == (0, ""), run.stdout


def test_both_validators_find_a_misspelt_key_and_a_bad_kind(tmp_path: Path) -> None:
    valid_archive = prepared_copy(FORMAT_2_ARCHIVE, tmp_path)
    path = valid_archive / records_by_kind(valid_archive)["session"][0]
    text = path.read_text(encoding="utf-8")
    assert 'title = "' in text and 'kind = "' in text
    path.write_text(text.replace("title =", "titel =", 1).replace('kind = "', 'kind = "x', 1))
    failed = [run for run in check_jsonschema(valid_archive) if run.returncode != 0]
    assert len(failed) == 1
    assert "'titel' was unexpected" in failed[0].stdout
    assert "is not one of" in failed[0].stdout
    run = taplo_check(valid_archive)
    assert run.returncode == 1
    assert "'titel' was unexpected" in run.stderr
