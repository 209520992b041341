"""records: every record type survives dumps -> parse -> load unchanged; load's problems."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from forumctl import records
from forumctl.records import (
    Affiliation,
    Forum,
    Manifest,
    Outcome,
    Session,
    Source,
    Speaker,
    Talk,
    load,
)
from forumctl.toml_io import dumps, parse

FULL: list[Any] = [
    Manifest(format=1, name="A", description="d", timezone="Asia/Shanghai", language="en"),
    Forum(
        title="T", series="S", edition=5, kind="high-level forum", start=dt.date(2020, 12, 12),
        end=dt.date(2020, 12, 13), city="Hangzhou", venue="Hall", timezone="Asia/Shanghai",
        organizers=("O",), tags=("t",), summary="Multi\nline \"quoted\" summary",
        outcomes=(Outcome(kind="award", title="Prize", summary="s"),),
        sources=(
            Source(title="R", publisher="P", date=dt.date(2020, 12, 12), authors=("A", "B"),
                   url="https://example.org/r"),
        ),
    ),
    Session(
        title="S", kind="panel", order=2, date=dt.date(2020, 12, 13), start=dt.time(9, 30),
        end=dt.time(11), room="Room 1", chairs=("c",), summary="s",
        talks=(
            Talk(speakers=("a", "b"), title="T", summary="s", quotes=("q1", "q2"),
                 affiliations={"b": "dean, Org", "a": "x"}),
            Talk(speakers=("c",)),
        ),
    ),
    Speaker(
        name="Lü", name_original="吕", sort_name="Lu", bio="b",
        links={"website": "https://example.org", "orcid": "0000-0002-1825-0097"},
        affiliations=(
            Affiliation(organization="Org", role="dean", since=dt.date(2019, 1, 1),
                        until=dt.date(2021, 1, 1)),
            Affiliation(organization="Other"),
        ),
    ),
]  # fmt: skip


@pytest.mark.parametrize("record", FULL, ids=lambda r: type(r).KIND)
def test_round_trip_of_every_record_type(record: Any) -> None:
    text = dumps(record, schema="x.json")
    loaded, problems = load(type(record), parse(text, "x.toml"))
    assert problems == []
    assert loaded == record
    assert dumps(loaded, schema="x.json") == text


def test_minimal_records_round_trip() -> None:
    day = dt.date(2020, 1, 1)
    minimal = (Forum(title="T", start=day, end=day), Session(title="S"), Speaker(name="N"))
    for record in (*minimal, Manifest(format=1, name="M")):
        assert load(type(record), parse(dumps(record), "x.toml")) == (record, [])


def test_load_reports_each_problem_with_its_rule_code() -> None:
    data = {"title": "S", "kind": "talkshow", "order": "1", "date": "2020-12-12", "rooom": "A",
            "talks": [{"speakers": []}]}  # fmt: skip
    record, problems = load(Session, data)
    assert record is not None  # optional fields were wrong, the record is still built
    assert [(p.keypath, p.code) for p in problems] == [
        (("kind",), records.NOT_IN_ENUM),
        (("order",), records.WRONG_TYPE),
        (("date",), records.DATE_AS_STRING),
        (("rooom",), records.UNKNOWN_KEY),
        (("talks", 0, "speakers"), records.EMPTY_LIST),
    ]
    assert problems[3].message == "unknown key 'rooom' in session; did you mean 'room'?"
    missing, problems = load(Forum, {"title": "T"})
    assert missing is None
    assert [p.message for p in problems] == [
        "missing required key 'start' in forum",
        "missing required key 'end' in forum",
    ]


def test_a_partial_record_keeps_every_valid_value() -> None:
    data = {"start": "09:00", "end": dt.time(10), "chairs": ["c"],
            "talks": [{"title": "T"}, {"speakers": ["a"]}]}  # fmt: skip
    strict, problems = load(Session, data)
    assert strict is None
    partial, same_problems = load(Session, data, partial=True)
    assert same_problems == problems
    assert partial == Session(
        title=None, end=dt.time(10), chairs=("c",),  # type: ignore[arg-type]  # partial
        talks=(Talk(speakers=None, title="T"), Talk(speakers=("a",))),  # type: ignore[arg-type]
    )  # fmt: skip
    # a broken item of an optional list leaves the strict record without the list
    data = {"name": "N", "affiliations": [{"role": "r"}, {"organization": "O"}]}
    assert load(Speaker, data)[0] == Speaker(name="N")
    assert load(Speaker, data, partial=True)[0] == Speaker(
        name="N", affiliations=(Affiliation(organization=None, role="r"),  # type: ignore[arg-type]
                                Affiliation(organization="O")),
    )  # fmt: skip


def test_fields_follow_the_dataclasses() -> None:
    assert [spec.name for spec in records.FIELDS[Talk]] == [
        "speakers", "title", "subtitle", "abstract", "summary", "language", "track", "start", "end",
        "status", "url", "doi", "authors", "quotes", "affiliations", "uid", "former_ids", "ids",
        "translations", "links",
    ]  # fmt: skip
    assert [spec.name for spec in records.fields_in(Talk, 1)] == [
        "speakers", "title", "summary", "quotes", "affiliations",
    ]  # fmt: skip
    chairs = next(spec for spec in records.FIELDS[Session] if spec.name == "chairs")
    assert (chairs.shape, chairs.ref, chairs.required) == ("str_list", "speaker", False)


@pytest.mark.parametrize(
    ("cls", "data", "message"),
    [
        (
            records.Session,
            {"title": "S", "start": "10:00"},
            "'start' is a string; write the time unquoted: 10:00:00",
        ),
        (
            records.Forum,
            {"title": "F", "start": "2020-12-12", "end": dt.date(2020, 12, 12)},
            "'start' is a string; write the date unquoted: 2020-12-12",
        ),
    ],
)
def test_quoted_dates_and_times_get_the_toml_10_literal(
    cls: type[Any], data: dict[str, Any], message: str
) -> None:
    _, problems = records.load(cls, data)
    assert [(p.code, p.message) for p in problems][:1] == [(records.DATE_AS_STRING, message)]


VALID_DOCUMENTS: dict[type[Any], dict[str, Any]] = {
    records.Manifest: {"format": 1, "name": "A", "timezone": "Asia/Shanghai", "language": "en"},
    records.Forum: {
        "title": "F",
        "edition": 5,
        "start": dt.date(2020, 12, 12),
        "end": dt.date(2020, 12, 13),
        "tags": ["a"],
        "outcomes": [{"kind": "publication", "title": "O"}],
        "sources": [{"title": "S", "date": dt.date(2020, 12, 12), "authors": ["Q"]}],
        "translations": {"zh": {"title": "论坛", "summary": "s"}},
        "tracks": [{"id": "t", "name": "T", "color": "#aa00ff"}],
    },
    records.Session: {
        "title": "S",
        "kind": "plenary",
        "order": 1,
        "date": dt.date(2020, 12, 12),
        "start": dt.time(9),
        "end": dt.time(10, 30),
        "chairs": ["a"],
        "talks": [
            {
                "speakers": ["a", "b"],
                "quotes": [{"text": "t", "source": "s"}, "q"],
                "affiliations": {"a": "Org"},
                "start": dt.time(9, 5),
                "links": [{"kind": "video", "url": "https://example.org/v"}],
            }
        ],
        "links": [{"kind": "slides", "url": "https://example.org/s", "license": "CC-BY-4.0"}],
        "translations": {"de": {"title": "Sitzung"}},
    },
    records.Speaker: {
        "name": "N",
        "links": {"orcid": "0000-0002-1825-0097"},
        "affiliations": [{"organization": "O", "since": dt.date(2019, 1, 1)}],
    },
}
ODD_VALUES: list[Any] = [
    True, 7, 1.5, "x", "2020-12-12", "10:00:00", [], ["a"], [1], {}, {"a": "b"}, {"a": 1},
    dt.date(2020, 12, 12), dt.time(10), dt.time(10, tzinfo=dt.UTC), dt.datetime(2020, 12, 12, 10),
    [{}], [{"x": 1}], [{"speakers": []}],
]  # fmt: skip


def _variants(cls: type[Any], data: dict[str, Any]) -> list[dict[str, Any]]:
    """The document, and every way of breaking one key of it at any depth."""
    found = [data, {**data, "unknown": "x"}]
    for spec in records.FIELDS[cls]:
        found += [{**data, spec.name: value} for value in ODD_VALUES]
        found.append({key: value for key, value in data.items() if key != spec.name})
        if spec.record is None or not data.get(spec.name):
            continue
        if spec.shape == "record_map":
            key, first = next(iter(data[spec.name].items()))
            found += [{**data, spec.name: {key: item}} for item in _variants(spec.record, first)]
        else:
            first, *rest = data[spec.name]
            found += [{**data, spec.name: [item, *rest]} for item in _variants(spec.record, first)]
    return found


@pytest.mark.parametrize("cls", list(VALID_DOCUMENTS), ids=lambda cls: cls.KIND)
def test_the_fast_path_answers_as_the_checker_does(
    cls: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "_checked", records.CHECKED_FIRST)  # past the first few
    variants = _variants(cls, VALID_DOCUMENTS[cls])
    assert len(variants) > 100
    for data in variants:
        assert records.load(cls, data) == records.check(cls, data), data
        assert records.load(cls, data, partial=True) == records.check(cls, data, partial=True)
    assert records.load(cls, VALID_DOCUMENTS[cls])[1] == []


def test_the_first_documents_of_a_process_go_to_the_checker_then_msgspec_builds_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a small read never imports msgspec (tests/test_startup.py); a large one still gets
    # its fast path once CHECKED_FIRST documents are loaded
    built: list[type[Any]] = []
    fast_path = records._load_valid

    def counted(cls: type[Any], data: Any) -> Any:
        built.append(cls)
        return fast_path(cls, data)

    monkeypatch.setattr(records, "_load_valid", counted)
    monkeypatch.setattr(records, "_checked", records.CHECKED_FIRST - 2)
    data = VALID_DOCUMENTS[records.Speaker]
    answers = [records.load(records.Speaker, data) for _ in range(4)]

    assert built == [records.Speaker, records.Speaker]
    assert answers == [records.check(records.Speaker, data)] * 4
