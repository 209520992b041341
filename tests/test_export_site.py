"""The MkDocs site: mkdocs.yml plus docs/, built with ``mkdocs build --strict``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE_FORUM, Cli
from export_archives import CONF, OLD, TIMED
from links import site_links
from test_export_markdown import EVIL, HEADINGS


def _build(site: Path, into: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml")]
    # Material's notice about its end of life would fill the output of a failing build
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([*command, "-d", str(into)], capture_output=True, text=True, env=env)


def _export_and_build(cli: Cli, root: Path, tmp_path: Path) -> None:
    """``export site`` of the archive into tmp_path/site, built into tmp_path/html."""
    result = cli("--archive", root, "export", "site", "--out", tmp_path / "site")
    assert result.exit_code == 0, result.stderr
    built = _build(tmp_path / "site", tmp_path / "html")
    assert built.returncode == 0, built.stderr


def test_the_sample_site_builds_strictly(cli: Cli, sample_archive: Path, tmp_path: Path) -> None:
    result = cli("--archive", sample_archive, "export", "site", "--out", tmp_path / "site")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote a MkDocs site (11 files) to {tmp_path / 'site'}\n"
    assert (tmp_path / "site" / "mkdocs.yml").read_text(encoding="utf-8") == USER_CONFIG
    assert (tmp_path / "site" / "forumctl.mkdocs.yml").read_text(encoding="utf-8") == (
        "# Written by forumctl export site: every export rewrites this file. Your own\n"
        "# settings go in mkdocs.yml, which inherits this one.\n"
        'site_name: "Forum proceedings (sample)"\n'
        'docs_dir: "docs"\n'
        "strict: true\n"
        "theme:\n"
        '  name: "material"\n'
        '  language: "en"\n'
        "  font: false\n"
        "  features:\n"
        '    - "navigation.top"\n'
        '    - "search.highlight"\n'
        '    - "search.suggest"\n'
        "markdown_extensions:\n"
        "  attr_list: {}\n"
        "  tables: {}\n"
        "  toc:\n"
        "    permalink: true\n"
        "plugins:\n"
        "  search: {}\n"
        "validation:\n"
        "  links:\n"
        '    anchors: "warn"\n'
        "nav:\n"
        '  - Home: "index.md"\n'
        "  - Years:\n"
        '      - "2020": "years/2020.md"\n'
        '  - Series: "series.md"\n'
        '  - Speakers: "speakers.md"\n'
        'not_in_nav: "/*.md\\n/people/\\n/series/\\n"\n'
    )
    built = _build(tmp_path / "site", tmp_path / "html")
    assert built.returncode == 0, built.stderr
    assert "not included in the" not in built.stderr  # pages left out of the nav on purpose
    page = (tmp_path / "html" / SAMPLE_FORUM / "index.html").read_text(encoding="utf-8")
    assert '<h3 id="speeches">Speeches' in page
    assert "<blockquote>" in page
    # the Material theme, with its search
    assert 'name="generator" content="mkdocs-1.6.1, mkdocs-material-' in page
    assert (tmp_path / "html" / "search" / "search_index.json").is_file()


USER_CONFIG = (
    "# Your MkDocs settings. forumctl export site writes this file only when it is missing\n"
    "# and never changes it: edit it freely. The site's theme, navigation and extensions are\n"
    "# in forumctl.mkdocs.yml, which every export rewrites; a key set here replaces its value\n"
    "# there, and a mapping (theme, plugins, markdown_extensions, extra) is merged with it:\n"
    "#   theme:\n"
    "#     palette:\n"
    "#       primary: teal\n"
    "INHERIT: forumctl.mkdocs.yml\n"
)


def test_the_site_counts_its_files_alike_on_every_export(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    """The user's mkdocs.yml is one of the site's files on the first export, which writes
    it, and on every export after, which leaves it as it is (it counted on the first only)."""
    site = tmp_path / "site"
    first = cli("--archive", sample_archive, "export", "site", "--out", site)
    assert first.stderr == f"wrote a MkDocs site (11 files) to {site}\n"
    again = cli("--archive", sample_archive, "export", "site", "--out", site)
    assert again.stderr == f"nothing to write: a MkDocs site in {site} is up to date (11 files)\n"
    (site / "mkdocs.yml").unlink()
    remade = cli("--archive", sample_archive, "export", "site", "--out", site)
    assert remade.stderr == f"wrote a MkDocs site (11 files, 1 changed) to {site}\n"
    assert (site / "mkdocs.yml").read_text(encoding="utf-8") == USER_CONFIG
    assert (first.exit_code, again.exit_code, remade.exit_code) == (0, 0, 0)


def test_the_users_mkdocs_yml_survives_every_export(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert cli("--archive", sample_archive, "export", "site", "--out", site).exit_code == 0
    mine = USER_CONFIG + (
        "# my settings\n"
        "site_url: https://proceedings.example.org/\n"
        "theme:\n"
        "  palette:\n"
        "    primary: teal\n"
        "  features:\n"
        "    - navigation.footer\n"
        "extra:\n"
        "  homepage: https://example.org\n"
        "markdown_extensions:\n"
        "  admonition: {}\n"
    )
    (site / "mkdocs.yml").write_text(mine, encoding="utf-8")
    again = cli("--archive", sample_archive, "export", "site", "--out", site)
    assert again.exit_code == 0, again.stderr
    assert again.stderr == (  # mkdocs.yml counted, as the first export counted it
        f"nothing to write: a MkDocs site in {site} is up to date (11 files)\n"
    )
    assert (site / "mkdocs.yml").read_text(encoding="utf-8") == mine
    assert "mkdocs.yml" not in (site / ".forumctl-export").read_text(encoding="utf-8").split()
    built = _build(site, tmp_path / "html")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "html" / SAMPLE_FORUM / "index.html").read_text(encoding="utf-8")
    assert 'data-md-color-primary="teal"' in page  # the user's theme option
    assert 'href="https://example.org"' in page  # theirs too
    assert "md-search" in page  # forumctl's theme and search still there
    # without the file (deleted by the user), the next export makes it again
    (site / "mkdocs.yml").unlink()
    assert cli("--archive", sample_archive, "export", "site", "--out", site).exit_code == 0
    assert (site / "mkdocs.yml").read_text(encoding="utf-8") == USER_CONFIG


OLD_EXPORT_CONFIG = (
    'site_name: "Forum proceedings (sample)"\n'
    "docs_dir: docs\n"
    "strict: true\n"
    "validation:\n"
    "  anchors: warn\n"
    "nav:\n"
    '  - "Home": "index.md"\n'
    '  - "Yangtze River Delta Integration and Regional Governance Modernization":'
    f' "{SAMPLE_FORUM}.md"\n'
    '  - "Speakers": "speakers.md"\n'
)


def test_a_site_an_older_forumctl_wrote_is_migrated_keeping_the_users_lines(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / ".forumctl-export").write_text(
        "# Written by forumctl export; lists the files it wrote. Safe to delete.\n"
        f"docs/{SAMPLE_FORUM}.md\ndocs/index.md\ndocs/speakers.md\nmkdocs.yml\n",
        encoding="utf-8",
    )
    users = "theme:\n  name: material\n  palette:\n    primary: indigo\nrepo_url: https://x.org/r\n"
    (site / "mkdocs.yml").write_text(OLD_EXPORT_CONFIG + users, encoding="utf-8")
    result = cli("--archive", sample_archive, "export", "site", "--out", site)
    assert result.exit_code == 0, result.stderr
    # forumctl's own lines went to forumctl.mkdocs.yml; the user's stay
    assert (site / "mkdocs.yml").read_text(encoding="utf-8") == USER_CONFIG + users
    built = _build(site, tmp_path / "html")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "html" / SAMPLE_FORUM / "index.html").read_text(encoding="utf-8")
    assert 'data-md-color-primary="indigo"' in page
    # migrated once: the next export leaves it alone
    (site / "mkdocs.yml").write_text(USER_CONFIG + "site_name: Mine\n", encoding="utf-8")
    assert cli("--archive", sample_archive, "export", "site", "--out", site).exit_code == 0
    assert (site / "mkdocs.yml").read_text(encoding="utf-8") == USER_CONFIG + "site_name: Mine\n"


def test_an_old_config_the_user_changed_keeps_what_they_changed(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / ".forumctl-export").write_text("mkdocs.yml\n", encoding="utf-8")
    changed = OLD_EXPORT_CONFIG.replace("(sample)", "(ours)").replace(
        '  - "Speakers": "speakers.md"\n', '  - "Speakers": "speakers.md"\n  - About: about.md\n'
    )
    (site / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(changed, encoding="utf-8")
    assert cli("--archive", sample_archive, "export", "site", "--out", site).exit_code == 0
    kept = changed.split("docs_dir")[0] + "nav:" + changed.split("nav:")[1]
    assert (site / "mkdocs.yml").read_text(encoding="utf-8") == USER_CONFIG + kept
    assert (site / "docs" / "about.md").is_file()


def test_a_directory_not_written_by_forumctl_keeps_its_mkdocs_yml_with_force(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "mkdocs.yml").write_text("site_name: Theirs\n", encoding="utf-8")
    refused = cli("--archive", sample_archive, "export", "site", "--out", site)
    assert refused.exit_code == 2
    forced = cli("--archive", sample_archive, "export", "site", "--out", site, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert (site / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Theirs\n"


def test_a_site_with_quotes_in_names_and_several_forums_builds(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    files = dict(TIMED)
    files["forumctl.toml"] = 'format = 1\nname = "The \\"quoted\\": archive #1"\n'
    files[f"forums/{OLD}/forum.toml"] = (
        "title = 'Old: \"forum\" <script>x</script>'\nstart = 2015-05-05\nend = 2015-05-05\n"
    )
    root = make_archive(files)
    _export_and_build(cli, root, tmp_path)
    # Titles reach the navigation and <title> of every page escaped: no script runs.
    for page in (tmp_path / "html").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>x" not in text, page
    old = (tmp_path / "html" / OLD / "index.html").read_text(encoding="utf-8")
    assert "<title>Old: &quot;forum&quot; &lt;script&gt;x&lt;/script&gt; - The" in old
    assert (tmp_path / "html" / CONF / "index.html").is_file()


@pytest.mark.parametrize(
    ("files", "linked"), [({**TIMED, **HEADINGS}, 399), (EVIL, 95)], ids=["headings", "evil"]
)
def test_every_link_of_the_built_site_resolves(
    cli: Cli,
    make_archive: Callable[[dict[str, str]], Path],
    tmp_path: Path,
    files: dict[str, str],
    linked: int,
) -> None:
    root = make_archive(files)
    _export_and_build(cli, root, tmp_path)
    assert site_links(tmp_path / "html") == ([], linked)


def test_headings_have_the_ids_the_markdown_export_links_to(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_archive({**TIMED, **HEADINGS})
    _export_and_build(cli, root, tmp_path)
    page = (tmp_path / "html" / "opening" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<h[1-6] id="([^"]+)"', page)
    # the same ids as the Markdown export's <a id> (test_export_markdown.py)
    assert ids == [
        "_title", "_programme", "a", "a--1", "b", "b--1", "c", "c--1", "d", "d--1",
        "e", "e--1", "f", "f--1", "f--2", "_2022-apning",
    ]  # fmt: skip


def test_the_format_2_site_builds_strictly_with_tracks_status_links_and_subtitles(
    cli: Cli, tmp_path: Path
) -> None:
    format_2 = Path(__file__).parent / "data" / "format-2"
    _export_and_build(cli, format_2, tmp_path)
    page = (tmp_path / "html" / "forum-2024" / "index.html").read_text(encoding="utf-8")
    # cancelled and withdrawn struck through, the video link under its session
    assert '<h3 id="panel"><del>Panel on data</del>' in page
    assert '<h4 id="opening--2"><del>A withdrawn talk</del>' in page
    assert (
        '<li><a href="https://example.org/2024/opening.mp4">Video: Recording of the opening</a>'
        in page
    )
    assert "<p><strong>Why programmes matter</strong></p>" in page
    # the session's own page and DOI above its links
    assert (
        '<li>Web: <a href="https://example.org/2024/opening">https://example.org/2024/opening</a></li>\n'
        '<li>DOI: <a href="https://doi.org/10.5555/forum.2024.opening">10.5555/forum.2024.opening</a></li>\n'
        '<li><a href="https://example.org/2024/opening.mp4">Video: Recording of the opening</a>'
    ) in page  # fmt: skip
    assert "<p>Track: Society</p>" in page
    # the timetable: rooms as columns, each cell linking to its session
    assert "<th>Time</th>\n<th>Hall A</th>\n<th>Foyer</th>\n<th>Roof</th>" in page
    assert '<td><a href="#opening">Opening</a> (until 10:00)</td>' in page
    assert site_links(tmp_path / "html")[0] == []


def test_a_chinese_archive_builds_with_the_theme_and_search_in_chinese(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_archive(
        {
            "forumctl.toml": 'format = 1\nname = "论坛"\nlanguage = "zh"\n',
            "speakers/li.toml": 'name = "李博"\n',
            "forums/f/forum.toml": 'title = "长三角论坛"\nstart = 2020-12-12\nend = 2020-12-12\n',
            "forums/f/sessions/a.toml": (
                'title = "开幕"\norder = 1\n\n[[talks]]\nspeakers = ["li"]\n'
            ),
        }
    )
    _export_and_build(cli, root, tmp_path)
    page = (tmp_path / "html" / "f" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in page
    assert "<li>Dates: 2020年12月12日</li>" in page
    assert '<h3 id="a">开幕' in page
    assert site_links(tmp_path / "html")[0] == []


def test_an_attribute_list_in_record_text_adds_no_attribute(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    files = dict(TIMED)
    files[f"forums/{OLD}/forum.toml"] = (
        "title = 'Old {: onclick=\"alert(1)\"}'\nstart = 2015-05-05\nend = 2015-05-05\n"
        'summary = \'*x*{: onclick="alert(2)"} and [a](https://x.org){: onclick="alert(3)"}\'\n'
    )
    root = make_archive(files)
    _export_and_build(cli, root, tmp_path)
    from lxml import html

    for page in (tmp_path / "html").rglob("*.html"):
        assert html.parse(str(page)).getroot().xpath("//@onclick") == [], page
    old = html.parse(str(tmp_path / "html" / OLD / "index.html")).getroot()
    assert 'x{: onclick="alert(2)"} and a{: onclick="alert(3)"}' in old.text_content()


def test_the_generated_config_fails_the_build_on_a_broken_anchor(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    assert (
        cli("--archive", sample_archive, "export", "site", "--out", tmp_path / "site").exit_code
        == 0
    )
    speakers = tmp_path / "site" / "docs" / "speakers.md"
    speakers.write_text(speakers.read_text(encoding="utf-8") + "\n[x](index.md#nowhere)\n")
    built = _build(tmp_path / "site", tmp_path / "html")
    assert built.returncode != 0
    assert "nowhere" in built.stderr


def test_docs_replaced_by_a_link_is_refused_and_its_target_untouched(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert cli("--archive", sample_archive, "export", "site", "--out", site).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(site / "docs")
    (site / "docs").symlink_to(elsewhere)
    result = cli("--archive", sample_archive, "export", "site", "--out", site)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"forumctl: error: {site / 'docs'}: is a symbolic link; an export writes only inside"
        " --out (remove the link (the export makes the directory))\n"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_changes_page_from_the_tags(cli: Cli, tmp_path: Path) -> None:
    from base_archive import BASE
    from git_repos import GitArchive

    repo = GitArchive(tmp_path / "repo")
    repo.tag("v1")
    repo.commit("move", {"forums/f/sessions/a.toml": BASE["forums/f/sessions/a.toml"].replace(
        "Hall 1", "Hall `2`")})  # fmt: skip
    repo.tag("v2")
    repo.commit("nothing for the proceedings", {"README.md": "notes\n"})
    repo.tag("v3")
    repo.commit("after the last tag", {"speakers/cy.toml": 'name = "Cy"\n'})
    result = cli("--archive", repo.root, "export", "site", "--out", tmp_path / "site")
    assert result.exit_code == 0, result.stderr
    site = tmp_path / "site"
    assert (site / "docs" / "changes.md").read_text(encoding="utf-8") == (
        '---\ntitle: "Changes"\n---\n\n'
        "# Changes {#_title}\n\n"
        "## v3 {#_tag-v3}\n\n"
        "No changes in the proceedings since v2.\n\n"
        "## v2 {#_tag-v2}\n\n"
        "Since v1:\n\n"
        "- **session** `f/a` A: moved\n"
        '  - `room`: `"Hall 1"` → ``"Hall `2`"``\n\n'
        "## v1 {#_tag-v1}\n\n"
        "The first tagged version.\n"
    )
    config = (site / "forumctl.mkdocs.yml").read_text(encoding="utf-8")
    assert '  - Speakers: "speakers.md"\n  - Changes: "changes.md"\nnot_in_nav: ' in config
    built = _build(site, tmp_path / "html")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "html" / "changes" / "index.html").read_text(encoding="utf-8")
    assert '<code>"Hall `2`"</code>' in page
    again = cli("--archive", repo.root, "export", "site", "--out", tmp_path / "again")
    assert again.exit_code == 0
    assert (tmp_path / "again/docs/changes.md").read_bytes() == (
        site / "docs/changes.md"
    ).read_bytes()


def test_no_changes_page_without_tags(cli: Cli, tmp_path: Path) -> None:
    from git_repos import GitArchive

    repo = GitArchive(tmp_path / "repo")
    assert cli("--archive", repo.root, "export", "site", "--out", tmp_path / "site").exit_code == 0
    assert not (tmp_path / "site/docs/changes.md").exists()
    assert "Changes" not in (tmp_path / "site/forumctl.mkdocs.yml").read_text(encoding="utf-8")
