"""JSON documents as forumctl writes them: UTF-8 text, indented by 2, a final newline.

orjson writes them byte for byte as ``json.dumps(data, ensure_ascii=False, indent=2)``
does, many times faster: the standard library has a C encoder for compact output only,
and indented output of a large archive took seconds (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# The "version" of every JSON document forumctl writes ({"version": 1, ...}): scripts
# rely on the shape of a version; a change that breaks them is a new number.
VERSION = 1


def plain(value: Any) -> Any:
    """Data for a JSON document: dates and times become ISO 8601 strings, tuples lists."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def dumps(data: object) -> str:
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode()
