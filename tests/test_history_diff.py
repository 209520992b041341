"""The semantic diff's pieces that need no repository: talks matched, labels, references."""

from __future__ import annotations

from forumctl.history.diff import FieldChange, field_changes, rename_references, talk_changes
from forumctl.records import Forum, Session


def test_talks_are_matched_by_speakers_and_title_not_position() -> None:
    old = [{"speakers": ["a"], "title": "One"}, {"speakers": ["b"], "title": "Two"}]
    new = [{"speakers": ["c"], "title": "Zero"}, *old]
    changes = talk_changes("f/s", old, new)
    assert [(c.talk, c.labels, c.title) for c in changes] == [(1, ("added",), "Zero")]


def test_talk_status_and_times_give_labels() -> None:
    talk = {"speakers": ["a"], "title": "One", "uid": "u-1"}
    cancelled = talk_changes("f/s", [talk], [{**talk, "status": "cancelled"}])
    assert [(c.labels, c.fields) for c in cancelled] == [
        (("cancelled",), (FieldChange("status", None, "cancelled"),))
    ]
    restored = talk_changes("f/s", [{**talk, "status": "postponed"}], [talk])
    assert restored[0].labels == ("restored",)
    moved = talk_changes("f/s", [talk], [{**talk, "start": "10:00:00", "summary": "S"}])
    assert moved[0].labels == ("moved", "changed")


def test_nested_items_are_compared_item_by_item() -> None:
    old = {"title": "F", "outcomes": [{"kind": "other", "title": "A"}]}
    new = {
        "title": "F",
        "outcomes": [{"kind": "award", "title": "A"}, {"kind": "other", "title": "B"}],
    }
    assert field_changes(Forum, old, new) == [
        FieldChange("outcomes[1].kind", "other", "award"),
        FieldChange("outcomes[2]", None, {"kind": "other", "title": "B"}),
    ]


def test_references_are_rewritten_through_renames() -> None:
    data = {
        "title": "S",
        "chairs": ["old", "x"],
        "talks": [{"speakers": ["old"], "affiliations": {"old": "Uni"}}],
    }
    assert rename_references(Session, data, {"old": "new"}) == {"old"}
    assert data == {
        "title": "S",
        "chairs": ["new", "x"],
        "talks": [{"speakers": ["new"], "affiliations": {"new": "Uni"}}],
    }


def test_quotes_as_strings_or_tables_are_compared_item_by_item() -> None:
    from forumctl.records import Talk

    old = {"speakers": ["a"], "quotes": ["Same.", "Old words."]}
    new = {"speakers": ["a"], "quotes": ["Same.", "New words.", {"text": "T", "original": "O"}]}
    assert field_changes(Talk, old, new) == [
        FieldChange("quotes[2]", "Old words.", "New words."),
        FieldChange("quotes[3]", None, {"text": "T", "original": "O"}),
    ]
