"""The phases of ``export site`` before writing, each timed by processor time in one process:

    python benchmarks/render_phases.py benchmarks/data/M [--runs 3]

loading the archive from the parse cache and resolving it
(:func:`forumctl.export.model.resolve`), resolving alone (the records already loaded),
the page data of every page (:func:`forumctl.export.pages.pages`), the JSON-LD of every
forum and speaker page (:mod:`forumctl.export.jsonld`) and Jinja2 rendering the pages
through the built-in templates, each the least of ``--runs`` runs after one unmeasured
run (the parse cache written, Babel's locale data and the templates loaded). Writing is
left out: ``benchmarks/run.py`` times the whole command. Each phase is also given as a
ratio to benchmarks/run.py's floor, parsing every file with rtoml, here timed in this
process (without its start-up), so that the phases can be set against issue 16's goal (an
export at most 2.5x that floor). The digest of what was rendered shows that a change left
the output as it was. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from run import PARSE_EVERY_FILE  # this directory is first on the path of a script

from forumctl.archive import Archive
from forumctl.export import jsonld, markdown, pages
from forumctl.export.model import resolve

Made = TypeVar("Made")


def least(runs: int, work: Callable[[], Made]) -> tuple[float, Made]:
    """The least processor time of ``runs`` runs of ``work`` (after one), and its result."""
    made = work()
    times = []
    for _ in range(runs):
        start = time.process_time()
        made = work()
        times.append(time.process_time() - start)
    return min(times), made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    gc.set_threshold(200_000, 100, 100)  # as the command runs (cli/main.py)
    archive = Archive.open(args.archive, cache=True)
    resolved = resolve(archive)
    archive.save_cache()  # the runs below load from it, as a warm export does

    def scripts() -> list[str]:
        # as the site makes them: one JsonLd for every page, each page's data encoded and
        # put in its script element
        nodes = jsonld.JsonLd(resolved)
        forums = [jsonld.element(jsonld.encoded(nodes.forum(forum))) for forum in resolved.forums]
        return forums + [
            jsonld.element(jsonld.encoded(nodes.speaker(entry))) for entry in resolved.speakers
        ]

    loading, _ = least(args.runs, lambda: resolve(Archive.open(args.archive, cache=True)))
    resolving, _ = least(args.runs, lambda: resolve(archive))
    page_data, _ = least(args.runs, lambda: pages.pages(resolved))
    linked_data, made = least(args.runs, scripts)
    # the site's pages as markdown.render lays them out, rendered in this process apart
    # from making them (without their JSON-LD, timed above)
    laid_out = markdown.render(resolved, site=True, workers=1)

    def render() -> dict[str, str]:
        found: dict[str, str] = {}
        laid_out.write(found.__setitem__)
        return found

    rendering, files = least(args.runs, render)
    floor, _ = least(args.runs, lambda: parse_every_file(args.archive))
    digest = hashlib.sha256()
    for text in (*made, *(files[name] for name in sorted(files))):
        digest.update(text.encode())

    def phase(seconds: float) -> str:
        return f"{seconds:.2f} s ({seconds / floor:.2f}x)"

    print(
        f"load and resolve {phase(loading)} (resolve alone {phase(resolving)}),"
        f" page data {phase(page_data)}, JSON-LD {phase(linked_data)},"
        f" Jinja2 {phase(rendering)} ({len(files):,} pages);"
        f" these three {phase(page_data + linked_data + rendering)} of CPU;"
        f" the rtoml floor {floor:.2f} s; output {digest.hexdigest()[:12]}"
    )


def parse_every_file(archive: Path) -> None:
    """benchmarks/run.py's floor: every TOML file of the archive parsed with rtoml."""
    code: dict[str, object] = {}
    exec("import os\nfrom rtoml import loads\n" + PARSE_EVERY_FILE, code)
    code["walk"](str(archive))  # type: ignore[operator]


if __name__ == "__main__":
    main()
