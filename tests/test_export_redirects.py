"""The site leaves a page at a renamed or merged record's old address that sends the
reader to the new one (DESIGN.md section 8), through mkdocs-redirects."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from base_archive import BASE, FORMAT_2
from conftest import Cli
from test_export_site import _export_and_build

MakeArchive = Callable[[dict[str, str]], Path]


def _sends_to(html: Path) -> str:
    """Where a redirect page sends the reader (its refresh target)."""
    match = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)"', html.read_text())
    assert match, html.read_text()
    return match.group(1)


def test_old_addresses_of_renamed_and_merged_records_lead_to_the_new_pages(
    cli: Cli, make_archive: MakeArchive, tmp_path: Path
) -> None:
    root = make_archive({**BASE, **FORMAT_2, "speakers/cy.toml": 'name = "Cy Young"\n'})
    for command in (("rename", "forum", "f", "f-2020"), ("rename", "speaker", "ada", "ada-l"),
                    ("merge", "speaker", "cy", "bo")):  # fmt: skip
        done = cli("--archive", root, *command)
        assert done.exit_code == 0, done.stderr
    _export_and_build(cli, root, tmp_path)
    config = (tmp_path / "site" / "forumctl.mkdocs.yml").read_text(encoding="utf-8")
    assert (
        "plugins:\n"
        "  search: {}\n"
        "  redirects:\n"
        "    redirect_maps:\n"
        '      f.md: "f-2020.md"\n'
        '      "people/ada.md": "people/ada-l.md"\n'
        '      "people/cy.md": "people/bo.md"\n'
    ) in config
    html = tmp_path / "html"
    for old, new in (("f", "f-2020"), ("people/ada", "people/ada-l"), ("people/cy", "people/bo")):
        target = _sends_to(html / old / "index.html")
        page = (html / old / target / "index.html").resolve()
        assert page == (html / new / "index.html").resolve(), target
        assert page.is_file()
    assert "<h1" in (html / "f-2020" / "index.html").read_text()
    # the fragment goes along, so a session's anchor on the old forum page still leads to it
    assert "window.location.hash" in (html / "f" / "index.html").read_text()


def test_a_site_without_renamed_records_needs_no_redirect_plugin(
    cli: Cli, make_archive: MakeArchive, tmp_path: Path
) -> None:
    root = make_archive({**BASE, **FORMAT_2})
    _export_and_build(cli, root, tmp_path)
    config = (tmp_path / "site" / "forumctl.mkdocs.yml").read_text(encoding="utf-8")
    assert "plugins:\n  search: {}\nvalidation:" in config


def test_a_session_renamed_within_its_forum_keeps_its_old_anchor(
    cli: Cli, make_archive: MakeArchive, tmp_path: Path
) -> None:
    root = make_archive({**BASE, **FORMAT_2})
    done = cli("--archive", root, "rename", "session", "f/a", "f/opening")
    assert done.exit_code == 0, done.stderr
    result = cli("--archive", root, "export", "markdown", "--out", tmp_path / "md")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "md" / "f.md").read_text(encoding="utf-8")
    assert '\n### A <a id="a"></a> <a id="opening"></a>\n' in page
    _export_and_build(cli, root, tmp_path)
    html = (tmp_path / "html" / "f" / "index.html").read_text(encoding="utf-8")
    heading = re.search(r'<h3 id="opening">.*?</h3>', html)
    assert heading, html
    assert '<a id="a"></a>' in heading.group(0)
