"""Record text made safe for Markdown (forumctl/export/mdtext.py)."""

from __future__ import annotations

from forumctl.export.mdtext import escape_inline, markdown_block


def test_braces_cannot_become_attribute_lists() -> None:
    # MkDocs' attr_list reads "{: ...}" or "{#id}" after an element as its attributes
    assert escape_inline('Title {: onclick="x"} {#_programme}') == (
        'Title &#123;: onclick="x"} &#123;\\#\\_programme}'
    )
    assert markdown_block('*x*{: onclick="alert(1)"}') == '*x*&#123;: onclick="alert(1)"}'


def test_each_markdown_character_is_escaped_alone_and_among_plain_text() -> None:
    escaped = {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "#": "\\#",
        "!": "\\!",
        "|": "\\|",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "~": "&#126;",
        "{": "&#123;",
    }
    for character, escape in escaped.items():
        assert escape_inline(character) == escape
        assert escape_inline(f"Ab 张{character}c") == f"Ab 张{escape}c"
    # text without any of them is only put on one line
    assert escape_inline("Plain  title\n张伟 (2020)") == "Plain title 张伟 (2020)"
