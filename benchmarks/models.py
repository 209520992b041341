"""Record model candidates, timed on the parsed files of a benchmark archive.

    pip install pydantic   # the one candidate forumctl does not depend on
    python benchmarks/models.py benchmarks/data/M

Each candidate turns the same parsed TOML documents (rtoml) into records, min of 3 runs:
forumctl's key-by-key checker (`records.check`), msgspec `convert` into forumctl's own
dataclasses (the fast path of `records.load`), `records.load` itself, and pydantic models
made from the same dataclasses (`pydantic.TypeAdapter`). docs/architecture.md holds the
figures and the choice they led to.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import rtoml

from forumctl import records


def parsed_documents(root: Path) -> list[tuple[type[Any], dict[str, Any]]]:
    documents = []
    for directory, _, names in os.walk(root):
        for name in names:
            if not name.endswith(".toml") or name == "forumctl.toml":
                continue
            if Path(directory).name == "speakers":
                cls: type[Any] = records.Speaker
            else:
                cls = records.Forum if name == "forum.toml" else records.Session
            text = Path(directory, name).read_text(encoding="utf-8")
            documents.append((cls, rtoml.loads(text)))
    return documents


def best_of_three(work: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    archive = parser.parse_args().archive
    documents = parsed_documents(archive)
    candidates: dict[str, Callable[[], object]] = {
        "records.check (forumctl's checker)": lambda: [
            records.check(cls, data) for cls, data in documents
        ],
        "msgspec.convert into the dataclasses": lambda: [
            msgspec.convert(data, cls, strict=True) for cls, data in documents
        ],
        "records.load (msgspec, then the checker)": lambda: [
            records.load(cls, data) for cls, data in documents
        ],
    }
    try:
        import pydantic
    except ImportError:
        print("pydantic is not installed: pip install pydantic to time it too")
    else:
        adapters = {cls: pydantic.TypeAdapter(cls) for cls in {cls for cls, _ in documents}}
        candidates["pydantic TypeAdapter.validate_python"] = lambda: [
            adapters[cls].validate_python(data) for cls, data in documents
        ]
    print(f"{len(documents)} parsed documents from {archive}")
    for label, work in candidates.items():
        print(f"{best_of_three(work):7.3f} s  {label}")


if __name__ == "__main__":
    main()
