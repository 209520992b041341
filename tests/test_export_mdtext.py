"""Record text made safe for Markdown (forumctl/export/mdtext.py)."""

from __future__ import annotations

from forumctl.export.mdtext import escape_inline, markdown_block


def test_braces_cannot_become_attribute_lists() -> None:
    # MkDocs' attr_list reads "{: ...}" or "{#id}" after an element as its attributes
    assert escape_inline('Title {: onclick="x"} {#_programme}') == (
        'Title &#123;: onclick="x"} &#123;\\#\\_programme}'
    )
    assert markdown_block('*x*{: onclick="alert(1)"}') == '*x*&#123;: onclick="alert(1)"}'
