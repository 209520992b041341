"""The exported site in a real browser: Debian's chromium, headless, through chromedriver.

The sample archive and the format-2 test archive are exported with ``export site``,
built with ``mkdocs build --strict`` and served on localhost; every page reachable from
the home page is opened in chromium. The test fails on a link (or an anchor in it) that
leads nowhere, on a request the server answers with an error, and on anything the
browser's console reports as an error; and it looks at what the pages show: the
programme, its grid of rooms, the speakers' pages, the JSON-LD.

CI installs chromium (``.ci/run``); this test is skipped only outside CI on a machine
without it (``apt-get install chromium chromium-driver``).
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import struct
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import MANIFEST, SAMPLE, SAMPLE_FORUM, copy_as_committed
from export_archives import TIMED
from test_export_markdown import EVIL, EVIL_TITLE, HEADINGS

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DATA = Path(__file__).parent / "data"

if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    if os.environ.get("CI"):
        raise RuntimeError(
            f"{CHROMIUM} or {CHROMEDRIVER} is missing: .ci/run installs Debian's chromium"
            " and chromium-driver before the tests"
        )
    pytest.skip(
        "no chromium here (apt-get install chromium chromium-driver)", allow_module_level=True
    )

from selenium import webdriver  # noqa: E402  (only where chromium is)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

from forumctl.archive import Archive  # noqa: E402
from forumctl.export.jsonld import JsonLd  # noqa: E402
from forumctl.export.model import ResolvedArchive, resolve  # noqa: E402


@dataclass
class Site:
    """A built site served on localhost."""

    root: Path
    base: str
    failures: list[str] = field(default_factory=list)


def _serve(root: Path) -> Iterator[Site]:
    """The directory served on localhost, remembering every request that failed."""
    failures: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args, directory=str(root))

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            failures.append(f"{code} {self.path}")
            super().send_error(code, message, explain)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.block_on_close = False  # chromium keeps connections open: do not wait for them
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, f"http://127.0.0.1:{server.server_address[1]}/", failures)
    finally:
        server.shutdown()
        server.server_close()


def _run(*command: str | Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *map(str, command)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def _build(archive: Path) -> Path:
    """The archive exported with ``export site`` and built with ``mkdocs build --strict``."""
    site, html = archive.parent / "site", archive.parent / "html"
    _run("forumctl", "--archive", archive, "export", "site", "--out", site)
    _run("mkdocs", "build", "--strict", "-q", "-f", site / "mkdocs.yml", "-d", html)
    return html


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in (
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        # the machine has no network: no background requests that fail at every start
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


@dataclass
class Page:
    url: str
    title: str
    ids: set[str]
    links: list[str]
    console: list[str]
    json_ld: list[Any]  # the page's JSON-LD, as the browser parsed it


_READY = "return {ready: document.readyState};"
# What a page holds, read in one call (each WebDriver call is a round trip to chromedriver)
_PAGE = """
return {
    ready: document.readyState,
    title: document.title,
    links: [...document.querySelectorAll("a[href]")].map(a => a.href),
    ids: [...document.querySelectorAll("[id]")].map(e => e.id),
    json_ld: [...document.querySelectorAll('script[type="application/ld+json"]')]
        .map(s => JSON.parse(s.textContent)),
};
"""


def _open(driver: webdriver.Chrome, url: str) -> Page:
    found: dict[str, Any] = _visit(driver, url, _PAGE)
    log: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    console = [entry["message"] for entry in log if entry["level"] == "SEVERE"]
    return Page(url, found["title"], set(found["ids"]), found["links"], console, found["json_ld"])


def _visit(driver: webdriver.Chrome, url: str, script: str = _READY) -> Any:
    """Load the page and wait until its document is complete (get() can return before,
    seen here under load: the heading was still empty); what ``script`` returns then."""
    driver.get(url)
    return WebDriverWait(driver, 10).until(
        lambda d: (found := d.execute_script(script))["ready"] == "complete" and found
    )


def crawl(driver: webdriver.Chrome, site: Site) -> dict[str, Page]:
    """Every page of the site reachable from its home page, by URL (without fragment)."""
    pages: dict[str, Page] = {}
    todo = [site.base]
    while todo:
        url = todo.pop(0)
        if url in pages:
            continue
        pages[url] = page = _open(driver, url)
        for link in page.links:
            target = urllib.parse.urldefrag(link).url
            if target.startswith(site.base) and target not in pages:
                todo.append(target)
    return pages


def broken_links(pages: dict[str, Page], site: Site) -> list[str]:
    """Internal links to a page that is not there, or to an id the page does not have."""
    broken = []
    for page in pages.values():
        for link in page.links:
            if not link.startswith(site.base):
                continue
            target, fragment = urllib.parse.urldefrag(link)
            found = pages.get(target)
            if found is None or found.title.startswith("404"):
                broken.append(f"{page.url} -> {link}")
            elif fragment and urllib.parse.unquote(fragment) not in found.ids:
                broken.append(f"{page.url} -> {link} (no such id)")
    return broken


def _written(files: dict[str, str], root: Path) -> Path:
    """An archive of those files (and the tests' default manifest unless given)."""
    for rel, text in {"forumctl.toml": MANIFEST, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    archive = copy_as_committed(SAMPLE, tmp_path_factory.mktemp("sample") / "archive")
    yield from _serve(_build(archive))


@pytest.fixture(scope="module")
def format_2_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    archive = shutil.copytree(DATA / "format-2", tmp_path_factory.mktemp("format-2") / "archive")
    yield from _serve(_build(archive))


@pytest.fixture(scope="module")
def headings_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Two forums in two rooms, and titles in Chinese and Norwegian, with "&", " - " and
    repeats (test_export_markdown.HEADINGS): ids that renderers' slugs would not agree on."""
    root = tmp_path_factory.mktemp("headings") / "archive"
    yield from _serve(_build(_written({**TIMED, **HEADINGS}, root)))


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Record text that tries HTML, scripts and javascript: links (test_export_markdown)."""
    root = tmp_path_factory.mktemp("evil") / "archive"
    yield from _serve(_build(_written(EVIL, root)))


SITES = ["sample_site", "format_2_site", "headings_site", "evil_site"]


@pytest.mark.parametrize("which", SITES)
def test_every_page_opens_without_a_console_error_or_a_broken_link(
    browser: webdriver.Chrome, which: str, request: pytest.FixtureRequest
) -> None:
    site: Site = request.getfixturevalue(which)
    pages = crawl(browser, site)  # an alert() that ran would fail the next page's get()
    assert len(pages) >= 3  # home, a forum, the speakers
    assert {url: page.console for url, page in pages.items() if page.console} == {}
    assert broken_links(pages, site) == []
    assert site.failures == []
    schemes = {urllib.parse.urlsplit(link).scheme for page in pages.values() for link in page.links}
    assert schemes <= {"http", "https"}  # no javascript: (nor data:) link on any page
    # every forum page and every speaker page, and only they, carry their JSON-LD
    resolved = _resolved(site)
    jsonld = JsonLd(resolved)
    expected = {f"{site.base}{forum.id}/": [jsonld.forum(forum)] for forum in resolved.forums}
    expected |= {f"{site.base}people/{e.id}/": [jsonld.speaker(e)] for e in resolved.speakers}
    assert {url: page.json_ld for url, page in pages.items() if page.json_ld} == expected


def test_record_text_reaches_the_browser_as_text(
    browser: webdriver.Chrome, evil_site: Site
) -> None:
    _visit(browser, f"{evil_site.base}evil/")
    assert _shown(browser, "article h1") == [EVIL_TITLE]
    assert browser.execute_script("return document.querySelectorAll('article script').length") == (
        1  # the JSON-LD, whose JSON keeps the title whole
    )
    resolved = _resolved(evil_site)
    assert _json_ld(browser) == [JsonLd(resolved).forum(resolved.forums[0])]
    assert _json_ld(browser)[0]["name"] == EVIL_TITLE


def _json_ld(driver: webdriver.Chrome) -> list[Any]:
    """The page's JSON-LD, as the browser has it."""
    scripts = driver.find_elements(By.CSS_SELECTOR, 'script[type="application/ld+json"]')
    return [json.loads(script.get_attribute("textContent") or "") for script in scripts]


def _resolved(site: Site) -> ResolvedArchive:
    return resolve(Archive.open(site.root.parent / "archive"))


def _shown(driver: webdriver.Chrome, selector: str) -> list[str]:
    """The text of the elements the selector finds, each asserted visible."""
    found = driver.find_elements(By.CSS_SELECTOR, selector)
    assert all(element.is_displayed() for element in found), selector
    return [element.text for element in found]


def _table_after(driver: webdriver.Chrome, heading_id: str) -> WebElement:
    """The first table after the heading of that id, asserted visible."""
    table = driver.find_element(By.XPATH, f"//*[@id='{heading_id}']/following::table[1]")
    assert table.is_displayed()
    return table


def _cells(table: WebElement, column: int) -> list[str]:
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    return [row.find_elements(By.TAG_NAME, "td")[column].text for row in rows]


def test_the_sample_forum_page_shows_its_programme_and_json_ld(
    browser: webdriver.Chrome, sample_site: Site
) -> None:
    _visit(browser, f"{sample_site.base}{SAMPLE_FORUM}/")
    assert _shown(browser, "article h1") == [
        "Yangtze River Delta Integration and Regional Governance Modernization"
    ]
    assert _cells(_table_after(browser, "_programme"), 1) == [
        "Speeches",
        "Joint development of the Yangtze River Delta Pilot Free Trade Zone",
        "The integration of localities into the Yangtze River Delta integration path and mechanism",
        "Innovation and industrial development in the Yangtze River Delta integration process",
        "Governance modernization in the Yangtze River Delta integration",
    ]
    resolved = _resolved(sample_site)
    assert _json_ld(browser) == [JsonLd(resolved).forum(resolved.forums[0])]


def test_the_timetable_has_a_column_per_room_and_cells_that_lead_to_sessions(
    browser: webdriver.Chrome, format_2_site: Site
) -> None:
    _visit(browser, f"{format_2_site.base}forum-2024/")
    first_day = _table_after(browser, "_timetable")
    header = [th.text for th in first_day.find_elements(By.CSS_SELECTOR, "thead th")]
    assert header[0] == "Time"
    assert sorted(header[1:]) == ["Foyer", "Hall A", "Roof"]
    opening = first_day.find_element(By.LINK_TEXT, "Opening")
    assert opening.is_displayed()
    opening.click()
    assert browser.current_url == f"{format_2_site.base}forum-2024/#opening"
    heading = browser.find_element(By.ID, "opening")
    assert heading.text.startswith("Opening")
    assert browser.execute_script(  # the browser scrolled to the session's heading
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight",
        heading,
    )


def test_a_speaker_page_shows_every_appearance_and_its_json_ld(
    browser: webdriver.Chrome, format_2_site: Site
) -> None:
    _visit(browser, f"{format_2_site.base}people/ada/")
    assert _shown(browser, "article h1") == ["Ada Lovelace (Augusta Ada King)"]
    appearances = _table_after(browser, "_appearances")
    assert _cells(appearances, 2) == ["Opening", "Panel on data"]
    assert _cells(appearances, 3) == ["Programmes as data", "chair"]
    resolved = _resolved(format_2_site)
    ada = next(entry for entry in resolved.speakers if entry.id == "ada")
    assert _json_ld(browser) == [JsonLd(resolved).speaker(ada)]


def test_a_screenshot_of_the_forum_page(browser: webdriver.Chrome, sample_site: Site) -> None:
    """The picture README shows: ``FORUMCTL_SCREENSHOT=docs/forum-page.png pytest
    tests/test_export_site_browser.py -k screenshot`` writes it there."""
    browser.set_window_size(1280, 1300)
    _visit(browser, f"{sample_site.base}{SAMPLE_FORUM}/")
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "article h1").is_displayed()
    )
    browser.execute_async_script(  # until the page is painted: two frames later
        "const done = arguments[0];"
        " requestAnimationFrame(() => requestAnimationFrame(() => done()))"
    )
    png = browser.get_screenshot_as_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert width == 1280 and 1000 <= height <= 1300  # the window less its frame
    target = os.environ.get("FORUMCTL_SCREENSHOT")
    if target:
        Path(target).write_bytes(png)
