"""forumctl.references: one enumeration of references, from the ``ref`` metadata of the
record definitions, and the edits rename, merge and rm make, on records, plain data and
tomlkit documents alike."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
import tomlkit
from conftest import REPO

from forumctl.archive import Archive
from forumctl.records import Session, Speaker, Talk, load
from forumctl.references import (
    Reference,
    references,
    referred_ids,
    referring_kinds,
    remove_references,
    replace_in_text,
    replace_references,
)

SESSION = """\
# The opening, as the programme printed it
title = "Opening"
chairs = ["bo", 'cy']  # both chaired

[[talks]]
speakers = [
    "ada",  # first speaker
    "bo",
]
title = "Welcome"
affiliations = { ada = "CASS", bo = "ZJU" }

[[talks]]
speakers = ["ada"]

[talks.affiliations]
ada = "Zhejiang University"  # as printed
"""


def session_record() -> Session:
    record, problems = load(Session, tomllib.loads(SESSION))
    assert problems == []
    return record  # type: ignore[no-any-return]


def test_every_reference_in_field_order_with_its_key_path() -> None:
    assert list(references(session_record(), "speaker")) == [
        Reference(("chairs", 0), "bo", "chairs", False),
        Reference(("chairs", 1), "cy", "chairs", False),
        Reference(("talks", 0, "speakers", 0), "ada", "speakers", False),
        Reference(("talks", 0, "speakers", 1), "bo", "speakers", False),
        Reference(("talks", 0, "affiliations", "ada"), "ada", "affiliations", True),
        Reference(("talks", 0, "affiliations", "bo"), "bo", "affiliations", True),
        Reference(("talks", 1, "speakers", 0), "ada", "speakers", False),
        Reference(("talks", 1, "affiliations", "ada"), "ada", "affiliations", True),
    ]


def test_records_plain_data_and_tomlkit_documents_give_the_same_references() -> None:
    from_record = list(references(session_record()))
    assert list(references(tomllib.loads(SESSION), cls=Session)) == from_record
    assert list(references(tomlkit.parse(SESSION), cls=Session)) == from_record


def test_referred_ids_each_once_and_without_keys_only_the_people_taking_part() -> None:
    talk = Talk(speakers=("ada",), affiliations={"bo": "CASS"})  # bo: not a speaker
    assert referred_ids(session_record()) == ["bo", "cy", "ada"]
    assert referred_ids(talk) == ["ada", "bo"]
    assert referred_ids(talk, keys=False) == ["ada"]


def test_records_without_reference_fields_and_partial_records_have_none_to_give() -> None:
    assert list(references(Speaker(name="Ada"))) == []
    assert referring_kinds("speaker") == ["session"]
    partial = load(Session, {"title": "T", "talks": [{"speakers": 3}]}, partial=True)[0]
    assert list(references(partial)) == []


@pytest.mark.parametrize("archive", ["archive", "tests/data/format-2"])
def test_referred_ids_of_records_are_the_ids_of_every_reference_in_order(archive: str) -> None:
    # records take a shorter path than references(); both must give the same IDs
    sessions = Archive.open(REPO / archive).sessions()
    assert sessions
    for session in sessions.values():
        for keys in (True, False):
            expected = dict.fromkeys(
                ref.id for ref in references(session) if keys or not ref.is_key
            )
            assert referred_ids(session, keys=keys) == list(expected)


def test_referred_ids_of_a_partial_record_take_what_its_fields_hold() -> None:
    data = {
        "title": 5,
        "chairs": ["cy"],
        "talks": [
            {"speakers": ["ada"], "title": 3},
            {"speakers": ["bo"], "affiliations": {"dee": "X"}},
            {"speakers": "eve"},
        ],
    }
    partial = load(Session, data, partial=True)[0]
    assert referred_ids(partial) == [ref.id for ref in references(partial)]
    assert referred_ids(partial) == ["cy", "ada", "bo", "dee"]
    assert referred_ids(partial, keys=False) == ["cy", "ada", "bo"]


def edited(edit: Any, *args: str) -> tuple[int, str]:
    document = tomlkit.parse(SESSION)
    count = edit(document, Session, "speaker", *args)
    return count, document.as_string()


def test_replace_keeps_comments_quoting_and_layout_of_everything_else() -> None:
    count, text = edited(replace_references, "ada", "ada-lovelace")
    assert count == 4
    assert text == SESSION.replace('"ada"', '"ada-lovelace"').replace(
        "{ ada =", "{ ada-lovelace ="
    ).replace("\nada = ", "\nada-lovelace = ")


def test_replace_into_someone_already_named_there_names_them_once() -> None:
    count, text = edited(replace_references, "bo", "ada")  # a merge of bo into ada
    assert count == 3
    assert tomllib.loads(text) == {
        "title": "Opening",
        "chairs": ["ada", "cy"],
        "talks": [
            {"speakers": ["ada"], "title": "Welcome", "affiliations": {"ada": "CASS"}},
            {"speakers": ["ada"], "affiliations": {"ada": "Zhejiang University"}},
        ],
    }
    assert '"ada",  # first speaker\n]' in text


def test_remove_drops_items_and_keys_and_optional_fields_left_empty() -> None:
    count, text = edited(remove_references, "ada")
    assert count == 4
    assert tomllib.loads(text)["talks"] == [
        {"speakers": ["bo"], "title": "Welcome", "affiliations": {"bo": "ZJU"}},
        {"speakers": []},  # required: it stays (rm refuses to leave a talk so)
    ]
    assert 'affiliations = { bo = "ZJU" }\n' in text  # written as forumctl writes it
    assert text.startswith("# The opening, as the programme printed it\n")
    assert "chairs = [\"bo\", 'cy']  # both chaired\n" in text


def test_plain_data_is_edited_alike_with_key_order_kept() -> None:
    data = tomllib.loads(SESSION)
    assert replace_references(data, Session, "speaker", "ada", "zed") == 4
    assert list(data["talks"][0]["affiliations"]) == ["zed", "bo"]
    assert data["talks"][0]["speakers"] == ["zed", "bo"]
    assert remove_references(data, Session, "speaker", "nobody") == 0


def test_removing_the_last_chair_and_affiliation_removes_the_fields() -> None:
    document = tomlkit.parse(
        'title = "T"\nchairs = ["a"]\n\n[[talks]]\nspeakers = ["b"]\n'
        "affiliations = { a = 'X' }  # why\n"
    )
    assert remove_references(document, Session, "speaker", "a") == 2
    assert document.as_string() == 'title = "T"\n\n[[talks]]\nspeakers = ["b"]\n'


def test_replace_in_text_swaps_only_the_tokens_that_name_the_record() -> None:
    summary = 'summary = """ada spoke; "ada" was quoted"""\n'
    text = SESSION.replace("# both chaired", '# "ada" and bo chaired').replace(
        'title = "Opening"\n', f'title = "Opening"\n{summary}'
    )
    edited_text = replace_in_text(text, Session, "speaker", "ada", "ada-lovelace")
    _, through_tomlkit = edited(replace_references, "ada", "ada-lovelace")
    # the bytes of the tomlkit edit; the comment and the summary keep the word
    assert edited_text == through_tomlkit.replace(
        "# both chaired", '# "ada" and bo chaired'
    ).replace('title = "Opening"\n', f'title = "Opening"\n{summary}')


def test_replace_in_text_declines_what_is_more_than_a_swap_of_tokens() -> None:
    # a merge into someone named beside: the reference goes (tomlkit's edit)
    assert replace_in_text(SESSION, Session, "speaker", "bo", "ada") is None
    # the ID spelt with an escape, and the same word as a title: not only references
    escaped = SESSION.replace('speakers = ["ada"]', 'speakers = ["\\u0061da"]')
    assert replace_in_text(escaped, Session, "speaker", "ada", "eve") is None
    titled = SESSION.replace('title = "Welcome"', 'title = "ada"')
    assert replace_in_text(titled, Session, "speaker", "ada", "eve") is None
    assert replace_in_text(SESSION, Session, "speaker", "nobody", "eve") is None
