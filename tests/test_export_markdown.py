"""Markdown proceedings: golden files of the sample archive, escaping proved with
markdown-it-py, templates (built-in, shipped, overridden) and the output directory."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from base_archive import BASE
from conftest import REPO, SAMPLE_FORUM, Cli
from export_archives import CONF, OLD, TIMED
from links import markdown_links
from markdown_it import MarkdownIt

from forumctl.export.mdtext import escape_inline, markdown_block
from forumctl.resources import templates_dir

GOLDEN = Path(__file__).parent / "data" / "golden"
MARKER = ".forumctl-export"
EVIL_TITLE = "Evil *bold* | pipe <script>alert(1)</script> [x](javascript:alert(1)) & ~~s~~"
EVIL_SUMMARY = (
    "Some **strong** text, <img src=x onerror=alert(1)>, [click](javascript:alert(1)),"
    " <javascript:alert(2)>, [ok](https://example.org/a_(b)) and\n\n"
    "<div>raw block</div>\n\n[ref]: javascript:alert(3)\n"
)
EVIL = {
    "speakers/eve.toml": 'name = "Eve | <b>Evil</b>"\n',
    "forums/evil/forum.toml": (
        f"title = {EVIL_TITLE!r}\nstart = 2020-01-01\nend = 2020-01-01\n"
        f'summary = """{EVIL_SUMMARY}"""\n\n'
        '[[sources]]\ntitle = "Report [1]"\nurl = "https://example.org/r (1)"\n\n'
        '[[sources]]\ntitle = "Bad"\nurl = "javascript:alert(4)"\n'
    ),
    "forums/evil/sessions/s.toml": (
        f"title = {EVIL_TITLE!r}\norder = 1\nroom = '1. | Hall'\nchairs = ['eve']\n\n"
        "[[talks]]\nspeakers = ['eve']\ntitle = '- list? # heading?'\n"
        'quotes = ["> not a quote <i>x</i>\\nsecond line"]\n'
    ),
}
md = MarkdownIt("commonmark").enable("table")


def _tokens(text: str) -> list[Any]:
    """Every token of a rendered document, inline children included."""
    found = []
    for token in md.parse(text):
        found.append(token)
        found.extend(token.children or [])
    return found


def _files(directory: Path) -> dict[str, bytes]:
    """Every file under the directory by its path there (the golden files' SOURCE.md aside)."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != "SOURCE.md"
    }


def _pages(directory: Path) -> dict[str, bytes]:
    """The files but the marker, whose digests change with forumctl's code."""
    return {name: data for name, data in _files(directory).items() if name != MARKER}


def _marker_lines(out: Path) -> list[list[str]]:
    """The marker's lines of files: name, inputs' digest, size, bytes' digest."""
    text = (out / MARKER).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if not line.startswith("#")]


# What the templates themselves write in HTML: heading ids for GitHub, struck-through
# titles, line breaks in a table cell. Record text never adds any.
OWN_HTML = re.compile(r'<a id="[a-z0-9_-]+">|</a>|<del>|</del>|<br>')


def _html(tokens: list[Any]) -> list[str]:
    """The HTML of the tokens that the templates did not write."""
    return [
        t.content
        for t in tokens
        if t.type in ("html_block", "html_inline") and not OWN_HTML.fullmatch(t.content)
    ]


def test_sample_archive_matches_the_golden_files(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    result = cli("--archive", sample_archive, "export", "markdown", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"wrote Markdown proceedings (9 files) to {tmp_path / 'out'}\n"
    pages = _pages(GOLDEN)
    assert _pages(tmp_path / "out") == pages
    assert [
        (name, int(size), content) for name, _, size, content in _marker_lines(tmp_path / "out")
    ] == sorted(
        (name, len(data), hashlib.sha256(data).hexdigest()[:32]) for name, data in pages.items()
    )
    assert sorted(pages) == [
        f"{SAMPLE_FORUM}.md",
        "index.md",
        "people/sheng-shihao.md",
        "people/yang-kaizhong.md",
        "people/zhang-xueliang.md",
        "series.md",
        "series/zhejiang-provincial-social-science-academic-annual-conference.md",
        "speakers.md",
        "years/2020.md",
    ]


def test_the_forum_page_holds_the_programme_talks_quotes_outcomes_and_sources() -> None:
    page = (GOLDEN / f"{SAMPLE_FORUM}.md").read_text(encoding="utf-8")
    tokens = _tokens(page)
    headings = [
        "".join(c.content for c in tokens[i + 1].children if c.type == "text").strip()
        for i, t in enumerate(tokens[:-1])
        if t.type == "heading_open"
    ]
    assert headings[:4] == [
        "Yangtze River Delta Integration and Regional Governance Modernization",
        "Programme",
        "Speeches",
        "Sheng Shihao",
    ]
    assert headings[-4:] == [
        "Outcomes",
        "China (Zhejiang) Pilot Free Trade Zone Research Results Collection (2003-2020)",
        "Yangtze River Delta Pilot Free Trade Zone Think Tank Cooperation Alliance",
        "Sources",
    ]
    assert sum(t.type == "tr_open" for t in tokens) == 6  # header and five sessions
    # every heading has its explicit id, which GitHub keeps from an <a id>
    heading_lines = [line for line in page.splitlines() if line.startswith("#")]
    assert len(heading_lines) == 14
    assert all(re.search(r' <a id="[a-z0-9_-]+"></a>$', line) for line in heading_lines)
    assert sum(t.type == "blockquote_open" for t in tokens) == 2
    assert "*deputy dean, School of Urban and Regional Sciences, Shanghai University" in page


def _export(cli: Cli, root: Path, out: Path, *extra: str | Path) -> Any:
    return cli("--archive", root, "export", "markdown", "--out", out, *extra)


def test_record_text_cannot_inject_html_links_or_break_the_table(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_archive(EVIL)
    assert _export(cli, root, tmp_path / "out").exit_code == 0
    page = (tmp_path / "out" / "evil.md").read_text(encoding="utf-8")
    tokens = _tokens(page)
    assert _html(tokens) == []
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    # text with a javascript: link keeps no link; a source's URL is a link only when it is
    # http(s); the others are forumctl's own: the session's heading, the speaker's page
    assert hrefs == [
        "#s", "people/eve.md", "#s--1", "people/eve.md", "people/eve.md", "people/eve.md",
        "https://example.org/r%20%281%29",
    ]  # fmt: skip
    assert page.endswith(
        '## Sources <a id="_sources"></a>\n\n'
        "- [Report \\[1\\]](https://example.org/r%20%281%29)\n- Bad\n"
    )
    # The title shows exactly as written: in the heading and in its table cell.
    heading = next(tokens[i + 1] for i, t in enumerate(tokens) if t.type == "heading_open")
    assert "".join(c.content for c in heading.children if c.type == "text") == EVIL_TITLE + " "
    rows = [i for i, t in enumerate(tokens) if t.type == "tr_open"]
    cells = [t for t in tokens[rows[1] :] if t.type == "td_open"]
    assert len(cells) == 5  # the "|" in the title and the room did not add columns
    inline = [t for t in tokens[rows[1] :] if t.type == "inline"]
    shown = ["".join(child.content for child in t.children) for t in inline[:5]]
    talk = "- list? # heading? (Eve | <b>Evil</b>)"
    assert shown == ["1", EVIL_TITLE, "1. | Hall", "Eve | <b>Evil</b>", talk]
    # The summary is Markdown: its **strong** is strong, its raw HTML is text.
    assert any(t.type == "strong_open" for t in tokens)
    assert " text, <img src=x onerror=alert(1)>, " in "".join(
        t.content for t in tokens if t.type == "text"
    )
    # A quote is one block quote of plain text, a talk title no list or heading.
    quotes = [i for i, t in enumerate(tokens) if t.type == "blockquote_open"]
    assert len(quotes) == 1
    assert tokens[quotes[0] + 2].children[0].content == "> not a quote <i>x</i> second line"
    assert '#### \\- list? \\# heading? <a id="s--1"></a>\n' in page


def test_escaping_rules() -> None:
    assert escape_inline("a*b_c`d[e]f#g!h|i\\j") == r"a\*b\_c\`d\[e\]f\#g\!h\|i\\j"
    assert escape_inline("R&D <b> ~x~\n  next") == "R&amp;D &lt;b&gt; &#126;x&#126; next"
    assert escape_inline("12) twelve") == r"12\) twelve"
    assert escape_inline("+ plus") == r"\+ plus"
    assert escape_inline("\n  = underline") == r"\= underline"
    assert escape_inline("\u0661. Arabic-Indic one") == "\u0661\\. Arabic-Indic one"
    assert escape_inline("x - 1. y") == "x - 1. y"
    assert markdown_block("[b](./page.md) [c](mailto:a@b.c) [d](https://x.org) *e*") == (
        "[b](./page.md) [c](mailto:a@b.c) [d](https://x.org) *e*"
    )
    assert markdown_block("[a](JavaScript:x) [b](./page.md) \\[c]") == (
        r"\[a\](JavaScript:x) \[b\](./page.md) \\\[c\]"
    )
    assert markdown_block("[a](&#106;avascript:x) [b](data:text/html,x)") == (
        r"\[a\](&#106;avascript:x) \[b\](data:text/html,x)"
    )


# Reference definitions and links CommonMark accepts, each with a javascript: destination
UNSAFE_LINKS = [
    "> [r]: javascript:alert(1)\n\n[click][r]",
    "[r]: <javascript:alert(1)>\n\n[click][r]",
    "[r]:\n  javascript:alert(1)\n\n[click][r]",
    "[r]: java&#115;cript:alert(1)\n\n[r]",
    "- [r]: javascript:alert(1)\n\n[r]",
    '[R]: JAVASCRIPT:alert(1) "title"\n\n[click][r]',
    "   [r]:javascript:alert(1)\n\n[r][]",
    "> - > [r]: vbscript:x\n\n[click][r]",
    "[click](javascript:alert(1)) [a](<javascript:x>) ![i](data:text/html,x)",
    "[click](%6Aavascript:alert(1))",
]


@pytest.mark.parametrize("text", UNSAFE_LINKS)
def test_no_unsafe_link_destination_survives_however_it_is_spelt(text: str) -> None:
    parser = MarkdownIt("commonmark")
    setattr(parser, "validateLink", lambda url: True)  # noqa: B010  (what others would link)
    found = [
        child.attrs.get("href", child.attrs.get("src"))
        for token in parser.parse("Before.\n\n" + markdown_block(text))
        for child in token.children or ()
        if child.type in ("link_open", "image")
    ]
    # a browser would run or open none of them (a "%3C..." one is a relative path)
    assert [url for url in found if re.match(r"\s*[a-z]+:", unquote(str(url)), re.I)] == []


def test_index_lists_forums_by_year_newest_first_and_speakers_their_talks(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    assert _export(cli, make_archive(TIMED), tmp_path / "out").exit_code == 0
    index = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert index == (
        '# Timed archive <a id="_title"></a>\n\n'
        '## Latest forums <a id="_latest"></a>\n\n'
        f"- [Conf 2021]({CONF}.md), 1\u20132 Mar 2021, Berlin\n"
        f"- [Old forum]({OLD}.md), 5 May 2015\n\n"
        '## Years <a id="_years"></a>\n\n'
        "- [2021](years/2021.md): 1 forum\n"
        "- [2015](years/2015.md): 1 forum\n\n"
        '## Speakers <a id="_speakers"></a>\n\n'
        "[Speakers and their talks](speakers.md)\n"
    )
    assert (tmp_path / "out" / "years" / "2021.md").read_text(encoding="utf-8") == (
        '# 2021 <a id="_title"></a>\n\n- [Conf 2021](../conf-2021.md), 1\u20132 Mar 2021, Berlin\n'
    )
    speakers = (tmp_path / "out" / "speakers.md").read_text(encoding="utf-8")
    assert speakers.startswith(
        '# Speakers <a id="_title"></a>\n\n'
        "[B](#_letter-b) · [C](#_letter-c) · [D](#_letter-d) · [L](#_letter-l)\n\n"
        '## B <a id="_letter-b"></a>\n\n'
        "- [Bo Li](people/bo.md) (李博): 3 appearances\n\n"
    )
    ada = (tmp_path / "out" / "people" / "ada.md").read_text(encoding="utf-8")
    # every appearance, with the affiliation held then
    assert ada == (
        '# Ada Lovelace <a id="_title"></a>\n\n'
        "- director, New Org (1 January 2019 \u2013 )\n"
        "- Old Org (1 January 2010 \u2013 31 December 2018)\n\n"
        '## Appearances <a id="_appearances"></a>\n\n'
        "| Date | Forum | Session | Talk | Affiliation then |\n"
        "| --- | --- | --- | --- | --- |\n"
        f"| 5 May 2015 | [Old forum](../{OLD}.md) | [Main](../{OLD}.md#main) |"
        f" [Then](../{OLD}.md#main--1) | Old Org |\n"
        f"| 1 March 2021 | [Conf 2021](../{CONF}.md) | [Opening](../{CONF}.md#opening) |"
        f" [Welcome](../{CONF}.md#opening--1) | director, New Org |\n"
        f"| 1 March 2021 | [Conf 2021](../{CONF}.md) | [The panel](../{CONF}.md#panel) |"
        f" [Futures](../{CONF}.md#panel--1) | director, New Org |\n"
    )
    page = (tmp_path / "out" / f"{CONF}.md").read_text(encoding="utf-8")
    assert (
        "| 1 March 2021, 10:00\u201311:30 | [The panel](#panel) | Hall B |  |"
        " [Futures](#panel--1) ([Ada Lovelace](people/ada.md), [Bo Li](people/bo.md),"
        " [Cy Young](people/cy.md)) |\n"
    ) in page
    # each speaker on a line with the affiliation held then (the talk's own for Cy)
    assert (
        '#### Futures <a id="panel--1"></a>\n\n'
        "- [Ada Lovelace](people/ada.md), director, New Org\n"
        "- [Bo Li](people/bo.md), Uni\n"
        "- [Cy Young](people/cy.md), guest, Lab X\n\n"
        "### Closing"
    ) in page
    assert "\n\nChairs: [Bo Li](people/bo.md) (Uni)\n\n#### Welcome" in page
    assert "\n\nChairs: [Cy Young](people/cy.md)\n\n#### Goodbye" in page
    old = (tmp_path / "out" / f"{OLD}.md").read_text(encoding="utf-8")
    # the position held in 2015
    assert '#### Then <a id="main--1"></a>\n\n- [Ada Lovelace](people/ada.md), Old Org\n' in old


def test_a_timetable_per_day_with_rooms_as_columns_linking_each_session(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    assert _export(cli, make_archive(TIMED), tmp_path / "out").exit_code == 0
    page = (tmp_path / "out" / f"{CONF}.md").read_text(encoding="utf-8")
    timetable = page.split('## Timetable <a id="_timetable"></a>\n\n')[1].split("\n## ")[0]
    assert timetable == (
        '### Monday, 1 March 2021 <a id="_day-2021-03-01"></a>\n\n'
        "| Time | Hall A | Hall B |\n"
        "| --- | --- | --- |\n"
        "| 09:00 | [Opening](#opening) (until 09:30) |  |\n"
        "| 10:00 | [Data](#data) (until 11:00) | [The panel](#panel) (until 11:30) |\n\n"
        '### Tuesday, 2 March 2021 <a id="_day-2021-03-02"></a>\n\n'
        "| Time | Hall A |\n"
        "| --- | --- |\n"
        "| 16:00 | [Closing](#closing) (until 17:00) |\n\n"
        "Not timed: [Social](#social)\n"
    )
    # a forum without times has no timetable, only its ordered programme
    old = (tmp_path / "out" / f"{OLD}.md").read_text(encoding="utf-8")
    assert "Timetable" not in old
    assert "| Order | Session | Talks |\n" in old  # no column that would stay empty


def test_the_same_archive_gives_byte_identical_output(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_archive(TIMED)
    assert _export(cli, root, tmp_path / "one").exit_code == 0
    assert _export(cli, root, tmp_path / "two").exit_code == 0
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_forum_option_exports_only_those_forums(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_archive(TIMED)
    out = tmp_path / "out"
    assert _export(cli, root, out).exit_code == 0
    assert (out / f"{OLD}.md").exists()
    result = _export(cli, root, out, "--forum", CONF)
    assert result.exit_code == 0, result.stderr
    assert sorted(_files(out)) == [
        MARKER,
        f"{CONF}.md",
        "index.md",
        *(f"people/{name}.md" for name in ("ada", "bo", "cy", "dee")),
        "speakers.md",
        "years/2021.md",
    ]
    assert "Old forum" not in (out / "index.md").read_text(encoding="utf-8")


def test_a_new_directory_appears_whole_with_nothing_left_beside_it(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "new" / "proceedings"
    result = _export(cli, sample_archive, out)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["proceedings"]
    assert _pages(out) == _pages(GOLDEN)
    assert oct(out.stat().st_mode & 0o777) == oct(0o777 & ~_umask())


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_every_file_written_is_0644_whatever_the_umask_into_a_new_or_existing_directory(
    cli: Cli, sample_archive: Path, tmp_path: Path, umask: int
) -> None:
    out = tmp_path / "proceedings"
    before = os.umask(umask)
    try:
        for _ in ("new", "existing"):
            result = _export(cli, sample_archive, out)
            assert result.exit_code == 0, result.stderr
            modes = {
                p.relative_to(out).as_posix(): oct(p.stat().st_mode & 0o777)
                for p in out.rglob("*")
                if p.is_file()
            }
            assert modes == dict.fromkeys(_files(out), oct(0o644))
    finally:
        os.umask(before)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_an_edited_marker_cannot_make_it_delete_files_outside(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert _export(cli, sample_archive, out).exit_code == 0
    (tmp_path / "precious").write_text("x", encoding="utf-8")
    with (out / MARKER).open("a", encoding="utf-8") as marker:
        marker.write("../precious\n")
    assert _export(cli, sample_archive, out).exit_code == 0
    assert (tmp_path / "precious").exists()


def test_a_damaged_marker_neither_stops_the_export_nor_removes_directories(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert _export(cli, sample_archive, out).exit_code == 0
    (out / "notes").mkdir()
    (out / MARKER).write_bytes(b"# Written by forumctl export\nnotes\n\xff\xfe not text\n")
    result = _export(cli, sample_archive, out)
    assert (result.exit_code, result.stdout) == (0, "")
    assert (out / "notes").is_dir()
    assert (out / "index.md").is_file()


def test_refuses_a_directory_it_did_not_write_unless_forced(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = _export(cli, sample_archive, out)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"forumctl: error: {out}: is not empty and was not written by forumctl export"
        " (choose another --out, or use --force to write into it)\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert _export(cli, sample_archive, out, "--force").exit_code == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (out / "index.md").is_file()
    assert _export(cli, sample_archive, out).exit_code == 0  # its own directory now


def test_user_templates_override_by_name_and_are_escaped_too(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    # Page data is escaped already; a record's raw text is escaped on output.
    (mine / "forum.md.j2").write_text(
        "# Mine: {{ forum.title }}\n\n{{ forum.record.title }}\n\n"
        "{{ forum.sessions[0].chairs[0].record.name }}\n",
        encoding="utf-8",
    )
    root = make_archive(EVIL)
    assert _export(cli, root, tmp_path / "out", "--templates", mine).exit_code == 0
    page = (tmp_path / "out" / "evil.md").read_text(encoding="utf-8")
    title = escape_inline(EVIL_TITLE)
    assert page == f"# Mine: {title}\n\n{title}\n\n{escape_inline('Eve | <b>Evil</b>')}\n"
    index = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert index.startswith('# Test archive <a id="_title"></a>\n\n')  # the built-in template


def test_a_template_edited_between_two_exports_of_one_process_is_compiled_again(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    """Compiled templates are kept for the process; an edited one is never stale."""
    mine = tmp_path / "templates"
    mine.mkdir()
    root = make_archive(BASE)
    for text in ("first {{ forum.title }}\n", "second {{ forum.title }}\n"):
        (mine / "forum.md.j2").write_text(text, encoding="utf-8")
        assert _export(cli, root, tmp_path / "out", "--templates", mine, "--force").exit_code == 0
        assert (tmp_path / "out" / "f.md").read_text(encoding="utf-8") == text.replace(
            "{{ forum.title }}", "Forum"
        )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("line one\n{{ forum.nope }}\n", "2: template error: "),
        ("{% if %}\n", "1: template error: Expected an expression"),
        ("{{ forum.__class__ }}\n", "1: template error: "),
        ("ok\n\n{{ 1 // 0 }}\n", "3: template error: integer division or modulo by zero"),
        ("{{ 'a' + 1 }}\n", "1: template error: "),
    ],
)
def test_a_broken_template_is_one_line_naming_file_and_line(
    cli: Cli, sample_archive: Path, tmp_path: Path, template: str, message: str
) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "forum.md.j2").write_text(template, encoding="utf-8")
    result = _export(cli, sample_archive, tmp_path / "out", "--templates", mine)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"forumctl: error: {mine / 'forum.md.j2'}:{message}")
    assert result.stderr.count("\n") == 1


TOO_BIG = (
    "template error: the template makes a value of {} items or characters (at most 10,000,000)"
)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% set x = [1] * 10**8 %}{{ x|length }}\n", "1: " + TOO_BIG.format("100,000,000")),
        ("a\n{{ (2 ** 100000000)|string|length }}\n", "2: " + TOO_BIG.format("66,666,666")),
        ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}"
         "{% endfor %}\n", "1: " + TOO_BIG.format("16,777,216")),
        ("{% set ns = namespace(x=[1]) %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}"
         "{% endfor %}\n", "1: " + TOO_BIG.format("16,777,216")),
        ("{{ 'a'.ljust(10**9)|length }}\n", "1: " + TOO_BIG.format("1,000,000,000")),
        ("{{ 'a'|center(10**9)|length }}\n", "1: " + TOO_BIG.format("1,000,000,000")),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
         "1: template error: rendering took more than 0.5 s of processor time"
         " (a loop without end?)"),
    ],
)  # fmt: skip
def test_a_template_that_would_grow_or_run_without_bound_is_stopped(
    cli: Cli,
    sample_archive: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    template: str,
    message: str,
) -> None:
    from forumctl.export import markdown

    if "processor time" in message:  # the others must stop on size, however loaded the machine
        monkeypatch.setattr(markdown, "RENDER_SECONDS", 0.5)
    _assert_stopped(cli, sample_archive, tmp_path, "forum.md.j2", template, message)


OUT_OF_MEMORY = "template error: the template needs more memory than the {:,} MiB it may use"


@pytest.mark.parametrize(
    ("template", "memory_mib", "message"),
    [
        # one allocation past the default bound, refused by the kernel before it is made
        ("{{ '{:>2000000000}'.format(1)|length }}\n", 1024, "1: " + OUT_OF_MEMORY.format(1024)),
        # through what nothing intercepts, past a bound made small so the test is quick
        ("a\n{{ ('%0' ~ 10**8 ~ 'd') % 1 }}\n", 64, "2: " + OUT_OF_MEMORY.format(64)),
        # (outputting nothing per step: the page's own pieces would grow with the list, and
        # an allocation for them, outside any template line, could be the one refused)
        ("{% set l = [] %}{% for i in range(99999) %}{% for j in range(99999) %}"
         "{% set _ = l.append('x' * 999) %}{% endfor %}{% endfor %}\n",
         64, "1: " + OUT_OF_MEMORY.format(64)),
        ("{% for i in range(99999) %}{% for j in range(99999) %}{{ 'x' * 99999 }}{% endfor %}"
         "{% endfor %}\n", 64, "1: " + OUT_OF_MEMORY.format(64)),
        ("{{ range(99999)|map('string')|join('x' * 9999999) }}\n",
         64, "1: " + OUT_OF_MEMORY.format(64)),
        ("{{ ('a' * 9999999)|replace('a', 'a' * 99)|length }}\n",
         64, "1: " + OUT_OF_MEMORY.format(64)),
        # four values that fit, joined into a page that does not: no line of the template
        # is running then, so the error names the file alone
        ("{{ 'x' * 9999999 }}\n" * 4, 64, " " + OUT_OF_MEMORY.format(64)),
    ],
)  # fmt: skip
def test_a_template_that_allocates_past_the_memory_bound_is_stopped_by_the_kernel(
    cli: Cli,
    sample_archive: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    template: str,
    memory_mib: int,
    message: str,
) -> None:
    from forumctl.export import markdown

    monkeypatch.setattr(markdown, "TEMPLATE_MEMORY", memory_mib << 20)
    _assert_stopped(cli, sample_archive, tmp_path, "forum.md.j2", template, message)


def test_a_template_busy_in_c_past_the_deadline_is_killed(
    cli: Cli, sample_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Numbers of 7.6 million digits take seconds of C, which a timer signal cannot cut
    short: the child rendering the page is killed at the deadline instead."""
    from forumctl.export import markdown

    monkeypatch.setattr(markdown, "KILL_SECONDS", 0.5)
    template = "{{ 7 ** 9000000 * 7 ** 9000000 > 1 }}\n"
    message = (
        " template error: rendering took more than 0.5 s of processor time (a loop without end?)"
    )
    _assert_stopped(cli, sample_archive, tmp_path, "speakers.md.j2", template, message)


def _assert_stopped(
    cli: Cli, root: Path, tmp_path: Path, name: str, template: str, message: str
) -> None:
    """Exporting with the template ``name`` fails with ``file:message``, writing nothing."""
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / name).write_text(template, encoding="utf-8")
    result = _export(cli, root, tmp_path / "out", "--templates", mine)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"forumctl: error: {mine / name}:{message}\n"
    assert not (tmp_path / "out").exists()


def test_bounds_leave_ordinary_template_arithmetic_alone(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "index.md.j2").write_text(
        "{{ 'ab'.ljust(5) ~ '|' }} {{ [1, 2] + [3] }} {{ 3 * 4 }} {{ 2 ** 10 }} {{ 'x' * 3 }}\n"
    )
    result = _export(cli, sample_archive, tmp_path / "out", "--templates", mine)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out/index.md").read_text() == "ab \\| \\[1, 2, 3\\] 12 1024 xxx\n"


def test_a_forum_named_like_a_fixed_page_is_refused(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_archive({"forums/index/forum.toml": EVIL["forums/evil/forum.toml"]})
    result = _export(cli, root, tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr == (
        "forumctl: error: forum ID 'index' would overwrite index.md"
        " (rename the forum's directory)\n"
    )


def test_an_output_path_that_is_a_file_is_refused(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = _export(cli, sample_archive, tmp_path / "file")
    assert result.exit_code == 2
    assert result.stderr == (
        f"forumctl: error: {tmp_path / 'file'}: is not a directory (choose a directory for --out)\n"
    )


def test_a_missing_template_directory_is_a_usage_error(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    result = _export(cli, sample_archive, tmp_path / "out", "--templates", tmp_path / "nope")
    assert result.exit_code == 2
    assert result.stderr == (
        f"forumctl: error: {tmp_path / 'nope'}: no such template directory (check --templates)\n"
    )


def test_templates_are_found_through_the_package() -> None:
    names = sorted(p.name for p in (templates_dir() / "export").iterdir())
    assert names == [
        "changes.md.j2",
        "editions.md.j2",
        "forum.md.j2",
        "index.md.j2",
        "series.md.j2",
        "speaker.md.j2",
        "speakers.md.j2",
        "year.md.j2",
    ]


def test_the_wheel_ships_the_templates_and_the_package_finds_them(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(REPO)).build(directory=str(tmp_path), versions=["standard"])
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "installed")
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from forumctl.resources import templates_dir; print(templates_dir())",
        ],
        env={"PYTHONPATH": str(tmp_path / "installed")},
        cwd=tmp_path,  # not the checkout, whose forumctl/ "-c" would put first
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert found == str(tmp_path / "installed" / "forumctl" / "templates")
    assert (Path(found) / "export" / "forum.md.j2").read_bytes() == (
        REPO / "templates" / "export" / "forum.md.j2"
    ).read_bytes()


def test_several_chairs_are_separated_by_a_semicolon_and_a_space(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    closing = f"forums/{CONF}/sessions/closing.toml"
    archive = {**TIMED, closing: TIMED[closing].replace('chairs = ["cy"]', 'chairs = ["cy", "bo"]')}
    assert _export(cli, make_archive(archive), tmp_path / "out").exit_code == 0
    page = (tmp_path / "out" / f"{CONF}.md").read_text(encoding="utf-8")
    assert "Chairs: [Cy Young](people/cy.md); [Bo Li](people/bo.md) (Uni)\n" in page


# Headings whose ids GitHub and MkDocs make differently, or that repeat on one page.
HEADINGS = {
    "speakers/ann.toml": 'name = "Ann Example"\n',
    "forums/opening/forum.toml": 'title = "Opening"\nstart = 2022-01-01\nend = 2022-01-01\n',
    "forums/opening/sessions/a.toml": (
        'title = "Opening"\norder = 1\n\n[[talks]]\nspeakers = ["ann"]\n'
    ),
    "forums/opening/sessions/b.toml": (
        'title = "Programme"\norder = 2\nchairs = ["ann"]\n\n'
        '[[talks]]\nspeakers = ["ann"]\ntitle = "Q & A"\n'
    ),
    "forums/opening/sessions/c.toml": (
        'title = "Opening"\norder = 3\n\n[[talks]]\nspeakers = ["ann"]\n'
    ),
    "forums/opening/sessions/d.toml": (
        'title = "长三角论坛"\norder = 4\nchairs = ["ann"]\n\n'
        '[[talks]]\nspeakers = ["ann"]\ntitle = "Café society"\n'
    ),
    "forums/opening/sessions/e.toml": (
        'title = "Data: *now*"\norder = 5\n\n[[talks]]\nspeakers = ["ann"]\ntitle = "Tables_2"\n'
    ),
    "forums/opening/sessions/f.toml": (
        'title = "Velkommen - åpning av møtet"\norder = 6\n\n'
        '[[talks]]\nspeakers = ["ann"]\ntitle = "Blåbær & rømme: «debatt»"\n\n'
        '[[talks]]\nspeakers = ["ann"]\ntitle = "Blåbær & rømme: «debatt»"\n'
    ),
    # a session ID that starts with a digit: its id does not (CSS id selectors cannot)
    "forums/opening/sessions/2022-apning.toml": 'title = "Åpning"\norder = 7\nchairs = ["ann"]\n',
}


LINKED = [(HEADINGS, 65), (TIMED, 79), (EVIL, 17)]


@pytest.mark.parametrize(("files", "linked"), LINKED, ids=["headings", "timed", "evil"])
def test_every_link_of_the_export_resolves(
    cli: Cli,
    make_archive: Callable[[dict[str, str]], Path],
    tmp_path: Path,
    files: dict[str, str],
    linked: int,
) -> None:
    assert _export(cli, make_archive(files), tmp_path / "out").exit_code == 0
    assert markdown_links(tmp_path / "out") == ([], linked)


def test_every_link_of_the_golden_files_and_of_format_2_resolves(cli: Cli, tmp_path: Path) -> None:
    assert markdown_links(GOLDEN) == ([], 35)
    format_2 = Path(__file__).parent / "data" / "format-2"
    assert _export(cli, format_2, tmp_path / "out").exit_code == 0
    assert markdown_links(tmp_path / "out") == ([], 54)
    # and the check finds a link that does not resolve
    ada = tmp_path / "out" / "people" / "ada.md"
    ada.write_text(ada.read_text(encoding="utf-8") + "\n[x](../forum-2024.md#nowhere)\n")
    assert markdown_links(tmp_path / "out") == (
        ["people/ada.md: ../forum-2024.md#nowhere (no id nowhere in forum-2024.md)"],
        55,
    )


def test_headings_carry_ids_from_record_ids_whatever_their_text(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    assert _export(cli, make_archive(HEADINGS), tmp_path / "out").exit_code == 0
    page = (tmp_path / "out" / "opening.md").read_text(encoding="utf-8")
    headings = [line for line in page.splitlines() if line.startswith("#")]
    # repeated titles, Chinese, Norwegian, "&", " - ": each its own id, the same on GitHub
    # (from <a id>) and in MkDocs (from {#id}, test_export_site.py)
    assert headings == [
        '# Opening <a id="_title"></a>',
        '## Programme <a id="_programme"></a>',
        '### Opening <a id="a"></a>',
        '#### [Ann Example](people/ann.md) <a id="a--1"></a>',
        '### Programme <a id="b"></a>',
        '#### Q &amp; A <a id="b--1"></a>',
        '### Opening <a id="c"></a>',
        '#### [Ann Example](people/ann.md) <a id="c--1"></a>',
        '### 长三角论坛 <a id="d"></a>',
        '#### Café society <a id="d--1"></a>',
        '### Data: \\*now\\* <a id="e"></a>',
        '#### Tables\\_2 <a id="e--1"></a>',
        '### Velkommen - åpning av møtet <a id="f"></a>',
        '#### Blåbær &amp; rømme: «debatt» <a id="f--1"></a>',
        '#### Blåbær &amp; rømme: «debatt» <a id="f--2"></a>',
        '### Åpning <a id="_2022-apning"></a>',
    ]
    ann = (tmp_path / "out" / "people" / "ann.md").read_text(encoding="utf-8")
    rows = ann.split("| --- | --- | --- | --- | --- |\n")[1].splitlines()
    assert rows == [
        "| 1 January 2022 | [Opening](../opening.md) | [Opening](../opening.md#a) |"
        " [talk](../opening.md#a--1) |  |",
        "| 1 January 2022 | [Opening](../opening.md) | [Programme](../opening.md#b) | chair |  |",
        "| 1 January 2022 | [Opening](../opening.md) | [Programme](../opening.md#b) |"
        " [Q &amp; A](../opening.md#b--1) |  |",
        "| 1 January 2022 | [Opening](../opening.md) | [Opening](../opening.md#c) |"
        " [talk](../opening.md#c--1) |  |",
        "| 1 January 2022 | [Opening](../opening.md) | [长三角论坛](../opening.md#d) | chair |  |",
        "| 1 January 2022 | [Opening](../opening.md) | [长三角论坛](../opening.md#d) |"
        " [Café society](../opening.md#d--1) |  |",
        "| 1 January 2022 | [Opening](../opening.md) | [Data: \\*now\\*](../opening.md#e) |"
        " [Tables\\_2](../opening.md#e--1) |  |",
        "| 1 January 2022 | [Opening](../opening.md) |"
        " [Velkommen - åpning av møtet](../opening.md#f) |"
        " [Blåbær &amp; rømme: «debatt»](../opening.md#f--1) |  |",
        "| 1 January 2022 | [Opening](../opening.md) |"
        " [Velkommen - åpning av møtet](../opening.md#f) |"
        " [Blåbær &amp; rømme: «debatt»](../opening.md#f--2) |  |",
        "| 1 January 2022 | [Opening](../opening.md) | [Åpning](../opening.md#_2022-apning) |"
        " chair |  |",
    ]


def test_a_marker_line_through_a_linked_directory_deletes_nothing_outside(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert _export(cli, sample_archive, out).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "victim.md").write_text("keep me\n")
    (out / "linked").symlink_to(elsewhere)
    (out / "alias.md").symlink_to(elsewhere / "victim.md")
    with (out / MARKER).open("a", encoding="utf-8") as marker:
        marker.write("linked/victim.md\nalias.md\n")
    result = _export(cli, sample_archive, out)
    assert result.exit_code == 0, result.stderr
    assert (elsewhere / "victim.md").read_text() == "keep me\n"


def test_a_page_as_large_as_the_archive_makes_it_is_not_refused(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    """The bounds stop what a template builds, not a page the archive's own text fills
    (speakers.md of 1,000 forums holds 30 million characters)."""
    from forumctl.export import markdown

    summary = "word " * (markdown.MAX_VALUE_SIZE // 5 + 1000)
    root = make_archive(
        {
            "forums/big/forum.toml": (
                f'title = "Big"\nstart = 2024-01-01\nend = 2024-01-01\nsummary = "{summary}"\n'
            )
        }
    )
    result = _export(cli, root, tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "out" / "big.md").read_text(encoding="utf-8")
    assert len(page) > markdown.MAX_VALUE_SIZE


def _documented_keys(row: str) -> list[str]:
    """The keys docs/export.md's table of page data names in the row for ``row``."""
    for line in (REPO / "docs/export.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 3 and cells[2] == row:
            return re.findall(r"`([a-z_]+)`", cells[3])
    raise AssertionError(f"no row {row!r} in docs/export.md")


def test_the_listing_pages_summaries_are_the_keys_the_docs_name(sample_archive: Path) -> None:
    from forumctl.archive import Archive
    from forumctl.export.model import resolve
    from forumctl.export.pages import pages

    data = pages(resolve(Archive.open(sample_archive)))
    summaries = [data.years[0]["forums"][0], data.latest[0], data.series[0]["forums"][0]]
    for summary in summaries:
        assert list(summary) == _documented_keys("forum summary")
    speaker = data.letters[0]["speakers"][0]
    assert list(speaker) == _documented_keys("speaker summary")
    assert speaker["appearance_count"] == 1


def test_a_template_asking_a_summary_for_a_forums_sessions_gets_a_template_error(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "year.md.j2").write_text("# {{ year.year }}\n{{ year.forums[0].sessions }}\n")
    result = _export(cli, sample_archive, tmp_path / "out", "--templates", templates)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"forumctl: error: {templates / 'year.md.j2'}:2: template error:"
        " 'dict object' has no attribute 'sessions'\n"
    )
