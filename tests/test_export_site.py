"""The MkDocs site: mkdocs.yml plus docs/, built with ``mkdocs build --strict``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import SAMPLE_FORUM, Cli
from export_archives import CONF, OLD, TIMED


def _build(site: Path, into: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml")]
    return subprocess.run([*command, "-d", str(into)], capture_output=True, text=True)


def test_the_sample_site_builds_strictly(cli: Cli, sample_archive: Path, tmp_path: Path) -> None:
    result = cli("--archive", sample_archive, "export", "site", "--out", tmp_path / "site")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote a MkDocs site (4 files) to {tmp_path / 'site'}\n"
    assert (tmp_path / "site" / "mkdocs.yml").read_text(encoding="utf-8") == (
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
    built = _build(tmp_path / "site", tmp_path / "html")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "html" / SAMPLE_FORUM / "index.html").read_text(encoding="utf-8")
    assert '<h3 id="speeches">Speeches</h3>' in page
    assert "<blockquote>" in page


def test_a_site_with_quotes_in_names_and_several_forums_builds(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    files = dict(TIMED)
    files["forumctl.toml"] = 'format = 1\nname = "The \\"quoted\\": archive #1"\n'
    files[f"forums/{OLD}/forum.toml"] = (
        "title = 'Old: \"forum\" <script>x</script>'\nstart = 2015-05-05\nend = 2015-05-05\n"
    )
    root = make_archive(files)
    assert cli("--archive", root, "export", "site", "--out", tmp_path / "site").exit_code == 0
    built = _build(tmp_path / "site", tmp_path / "html")
    assert built.returncode == 0, built.stderr
    # Titles reach the navigation and <title> of every page escaped: no script runs.
    for page in (tmp_path / "html").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>x" not in text, page
    old = (tmp_path / "html" / OLD / "index.html").read_text(encoding="utf-8")
    assert "<title>Old: &quot;forum&quot; &lt;script&gt;x&lt;/script&gt; - The" in old
    assert (tmp_path / "html" / CONF / "index.html").is_file()


def test_every_anchor_in_the_speakers_page_exists_in_the_built_site(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    from test_export_markdown import HEADINGS

    root = make_archive({**TIMED, **HEADINGS})
    assert cli("--archive", root, "export", "site", "--out", tmp_path / "site").exit_code == 0
    config = tmp_path / "site" / "mkdocs.yml"
    # MkDocs checks anchors only when asked: a link to a missing id then fails --strict.
    config.write_text(config.read_text() + "validation:\n  anchors: warn\n", encoding="utf-8")
    built = _build(tmp_path / "site", tmp_path / "html")
    assert built.returncode == 0, built.stderr
    speakers = (tmp_path / "html" / "speakers" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="\.\./([a-z0-9-]+)/#([^"]+)"', speakers)
    assert len(links) == 26  # 18 for TIMED, 8 for HEADINGS
    for page, anchor in links:
        html = (tmp_path / "html" / page / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, (page, anchor)


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
        "# Changes\n\n"
        "## v3\n\n"
        "No changes in the proceedings since v2.\n\n"
        "## v2\n\n"
        "Since v1:\n\n"
        "- **session** `f/a` A: moved\n"
        '  - `room`: `"Hall 1"` → ``"Hall `2`"``\n\n'
        "## v1\n\n"
        "The first tagged version.\n"
    )
    assert (
        (site / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .endswith('  - "Speakers": "speakers.md"\n  - "Changes": "changes.md"\n')
    )
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
    assert "Changes" not in (tmp_path / "site/mkdocs.yml").read_text(encoding="utf-8")
