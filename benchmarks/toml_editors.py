"""Compare style-preserving TOML libraries for the change layer's in-place edits.

    python benchmarks/toml_editors.py benchmarks/data/M [--files 3000]

For each installed candidate (tomlkit, tomledit, tomlrt) it reports, on the first
``--files`` session files of the archive: parse + dump unchanged (and whether every file
comes back byte for byte), parse + set one value + dump, the import time, and whether the
edits of a hand-written file with comments, odd quoting and blank lines keep everything
but the changed values (the fidelity cases below). Figures go to docs/performance.md.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SAMPLE = """\
#:schema ../../../schemas/session.schema.json
# Plenary of the second day
title = 'Speeches'   # as the report words it
kind = "plenary"
order = 1

chairs = [
    "sheng-shihao",  # chaired the morning
    "wang-li",
]

[[talks]]
speakers = ["sheng-shihao"]
title = "Opening"
summary = \"\"\"
Two lines
of text.\"\"\"

# the second talk was added later
[[talks]]
speakers = ["wang-li"]
title = "Close"
"""

# (what the edit does, the expected text): only the changed value differs from SAMPLE
EXPECTED_TITLE = SAMPLE.replace("title = 'Speeches'", 'title = "Talks"')
EXPECTED_CHAIR = SAMPLE.replace('    "wang-li",\n', '    "wang-li",\n    "li-na",\n')


def _edit(module: Any, text: str, what: str) -> str:
    doc = (module.parse if module.__name__ == "tomlkit" else module.loads)(text)
    if what == "title":
        doc["title"] = "Talks"
    else:
        doc["chairs"].append("li-na")
    return str(module.dumps(doc))


EDITORS: dict[str, tuple[str, Callable[[Any, str, str], str]]] = {
    name: (name, _edit) for name in ("tomlkit", "tomledit", "tomlrt")
}


def _import_ms(module: str) -> float:
    best = min(
        float(
            subprocess.run(
                [sys.executable, "-X", "importtime", "-c", f"import {module}"],
                capture_output=True,
                text=True,
                check=True,
            )
            .stderr.strip()
            .splitlines()[-1]
            .split("|")[1]
        )
        for _ in range(3)
    )
    return best / 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("archive", type=Path)
    parser.add_argument("--files", type=int, default=3000)
    args = parser.parse_args()
    paths = sorted((args.archive / "forums").glob("*/sessions/*.toml"))[: args.files]
    texts = [path.read_text(encoding="utf-8") for path in paths]
    print(f"{len(texts)} session files of {args.archive}")
    print(
        "| library | import ms | parse+dump ms/file | identical | parse+edit+dump ms/file"
        " | title kept | chair kept |"
    )
    print("| --- | ---: | ---: | --- | ---: | --- | --- |")
    for name, (module_name, edit) in EDITORS.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            print(f"| {name} | not installed | | | | | |")
            continue
        loads = module.parse if name == "tomlkit" else module.loads
        start = time.perf_counter()
        identical = sum(module.dumps(loads(text)) == text for text in texts)
        round_trip = (time.perf_counter() - start) / len(texts) * 1000
        start = time.perf_counter()
        for text in texts:
            edit(module, text, "title")
        edited = (time.perf_counter() - start) / len(texts) * 1000
        title_ok = edit(module, SAMPLE, "title") == EXPECTED_TITLE
        try:
            chair_ok = edit(module, SAMPLE, "chair") == EXPECTED_CHAIR
        except Exception as error:  # a library may refuse the edit
            chair_ok = False
            print(f"  {name}: {type(error).__name__}: {error}", file=sys.stderr)
        print(
            f"| {name} | {_import_ms(module_name):.1f} | {round_trip:.3f} |"
            f" {identical}/{len(texts)} | {edited:.3f} | {title_ok} | {chair_ok} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
