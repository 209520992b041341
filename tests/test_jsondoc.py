"""jsondoc.dumps writes what json.dumps(ensure_ascii=False, indent=2) writes, byte for
byte: the format of every --format json output stays as it was before orjson."""

from __future__ import annotations

import json

import pytest

from forumctl.jsondoc import dumps

EVERY_ESCAPE = "".join(map(chr, range(0x80))) + '\u2028\u2029\u00e9\u4e2d\U0001f600\\/"'


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"text": EVERY_ESCAPE, "": "", "key\n": [EVERY_ESCAPE]}, id="strings"),
        pytest.param(
            {"n": [0, -1, 2**63 - 1, -(2**63)], "b": [True, False, None], "e": [[], {}, [{}]]},
            id="scalars-and-empties",
        ),
        pytest.param({"version": 1, "forums": [{"id": "f", "tags": ["a", "b"]}]}, id="nested"),
        pytest.param([], id="empty-list"),
    ],
)
def test_dumps_matches_the_standard_library(data: object) -> None:
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
