"""In-place edits: the text holds the new data, and only the changed values change."""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from generated import generated_archive

from forumctl import records
from forumctl.archive import record_at
from forumctl.inplace import update_text
from forumctl.toml_io import parse

REPO = Path(__file__).resolve().parent.parent

COMMENTED = """\
#:schema ../../../schemas/session.schema.json
# Plenary
title = 'Speeches'   # as worded
kind = "plenary"

chairs = [
    "sheng-shihao",  # morning
    "wang-li",
]

[[talks]]
speakers = ["a"]
title = "a"

# before b
[[talks]]
speakers = ["b"]
title = "b"
affiliations = { b = "X" }

# before c
[[talks]]
speakers = ["c"]
title = "c"
"""


def test_a_removed_item_takes_its_comments_and_the_next_keeps_its_own() -> None:
    data = parse(COMMENTED, "s.toml")
    del data["talks"][1]
    data["talks"][1]["summary"] = "two\nlines"
    data["title"] = "Talks"
    data["chairs"].append("li-na")
    assert update_text(COMMENTED, data, records.Session) == (
        "#:schema ../../../schemas/session.schema.json\n"
        "# Plenary\n"
        "title = 'Talks'   # as worded\n"
        'kind = "plenary"\n'
        "\n"
        "chairs = [\n"
        '    "sheng-shihao",  # morning\n'
        '    "wang-li",\n'
        '    "li-na",\n'
        "]\n"
        "\n"
        "[[talks]]\n"
        'speakers = ["a"]\n'
        'title = "a"\n'
        "\n"
        "# before c\n"
        "[[talks]]\n"
        'speakers = ["c"]\n'
        'title = "c"\n'
        'summary = """\n'
        "two\n"
        'lines"""\n'
    )


def test_added_keys_go_in_canonical_order_and_new_tables_are_laid_out() -> None:
    text = 'name = "X"  # kept\nbio = "B"\n'
    data = {
        "name": "X",
        "name_original": "某",
        "bio": "B",
        "links": {"website": "https://x.org"},
        "affiliations": [{"organization": "O"}, {"organization": "P", "role": "r"}],
    }
    assert update_text(text, data, records.Speaker) == (
        'name = "X"  # kept\n'
        'name_original = "某"\n'
        'bio = "B"\n'
        "\n"
        "[links]\n"
        'website = "https://x.org"\n'
        "\n"
        "[[affiliations]]\n"
        'organization = "O"\n'
        "\n"
        "[[affiliations]]\n"
        'organization = "P"\n'
        'role = "r"\n'
    )


def _mutate(data: dict[str, Any], cls: type[Any], rng: random.Random) -> None:
    """One random change of the kinds edit, rename and import make."""
    specs = {spec.name: spec for spec in records.FIELDS[cls]}
    name = rng.choice(list(specs))
    spec = specs[name]
    present = name in data
    if present and not spec.required and rng.random() < 0.3:
        del data[name]
    elif spec.shape == "records" and spec.record is not None:
        items = data.setdefault(name, [])
        choice = rng.random()
        if items and choice < 0.35:
            del items[rng.randrange(len(items))]
        elif items and choice < 0.7:
            _mutate(items[rng.randrange(len(items))], spec.record, rng)
        else:
            first = records.FIELDS[spec.record][0].name
            items.insert(rng.randrange(len(items) + 1), {first: f"new {rng.random():.3f}"})
    elif spec.shape == "str_list":
        entries = data.setdefault(name, [])
        if entries and rng.random() < 0.5:
            del entries[rng.randrange(len(entries))]
        else:
            entries.insert(rng.randrange(len(entries) + 1), f"e{rng.randrange(99)}")
        if not entries:
            del data[name]
    elif spec.shape == "str_map":
        table = data.setdefault(name, {})
        table[f"k{rng.randrange(5)}"] = f"https://x.org/{rng.randrange(9)}"
    elif spec.shape == "int":
        data[name] = rng.randrange(100)
    elif spec.shape == "date":
        data[name] = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(400))
    elif spec.shape == "time":
        data[name] = dt.time(rng.randrange(24), rng.choice((0, 30)))
    else:
        data[name] = rng.choice(["plain", "with 'quote'", 'with "double"', "two\nlines", "é"])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_archive(tmp_path_factory.mktemp("generated") / "archive", 2)


def test_random_edits_hold_exactly_the_new_data(generated: Path) -> None:
    rng = random.Random(7)
    paths = sorted(generated.rglob("*.toml"))
    for path in paths:
        rel = path.relative_to(generated).as_posix()
        kind = (record_at(rel) or ("", ""))[0]
        if kind not in ("speaker", "forum", "session"):
            continue
        cls = records.RECORD_TYPES[kind]
        text = path.read_text(encoding="utf-8")
        for _ in range(3):
            data = parse(text, rel)
            new = copy.deepcopy(data)
            for _ in range(rng.randint(1, 3)):
                _mutate(new, cls, rng)
            edited = update_text(text, new, cls)
            assert parse(edited, rel) == new, (rel, new)
            assert update_text(edited, new, cls) == edited  # nothing left to change
            if new == data:
                assert edited == text


THREE_TALKS = """\
title = "S"

[[talks]]
speakers = ["a"]

[[talks]]
speakers = ["b"]
summary = "B"

[[talks]]
speakers = ["c"]
"""


def _edited(text: str, change: Any) -> str:
    new = parse(text, "s.toml")
    change(new)
    edited = update_text(text, new, records.Session)
    assert parse(edited, "s.toml") == new
    return edited


def test_translations_and_a_talks_links_are_added_as_tables_with_their_blank_lines() -> None:
    def add(data: dict[str, Any]) -> None:
        data["translations"] = {"zh": {"title": "T"}}
        data["talks"][1]["links"] = [{"kind": "video", "url": "https://x.org/v"}]
        data["talks"][1]["translations"] = {"zh": {"summary": "Z"}}
        data["links"] = [{"kind": "video", "url": "https://x.org/all"}]

    assert _edited(THREE_TALKS, add) == THREE_TALKS.replace(
        'summary = "B"\n',
        'summary = "B"\n\n[talks.translations.zh]\nsummary = "Z"\n\n'
        '[[talks.links]]\nkind = "video"\nurl = "https://x.org/v"\n',
    ) + (
        '\n[translations.zh]\ntitle = "T"\n\n[[links]]\nkind = "video"\nurl = "https://x.org/all"\n'
    )


def test_a_translation_added_beside_others_or_in_place_of_one() -> None:
    text = 'title = "S"\n\n[translations.de]\ntitle = "D"\n\n[[talks]]\nspeakers = ["a"]\n'
    added = _edited(text, lambda data: data["translations"].__setitem__("fr", {"title": "F"}))
    assert added == text.replace('"D"\n', '"D"\n\n[translations.fr]\ntitle = "F"\n')
    in_talk = (
        'title = "S"\n\n[[talks]]\nspeakers = ["a"]\n\n[talks.translations.de]\ntitle = "L"\n\n'
        '[[talks.links]]\nkind = "slides"\nurl = "https://x.org"\n\n[[talks]]\nspeakers = ["b"]\n'
    )
    replaced = _edited(
        in_talk, lambda data: data["talks"][0].__setitem__("translations", {"fr": {"title": "F"}})
    )
    assert replaced == in_talk.replace(
        'translations.de]\ntitle = "L"', 'translations.fr]\ntitle = "F"'
    )
