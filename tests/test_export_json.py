"""export json: the whole archive resolved, one versioned document."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import SAMPLE_FORUM, Cli
from export_archives import CONF, OLD, TIMED


def test_the_archive_resolved_with_speakers_inlined(
    cli: Cli, make_archive: Callable[[dict[str, str]], Path]
) -> None:
    result = cli("--archive", make_archive(TIMED), "export", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["archive"] == {
        "format": 1, "name": "Timed archive", "timezone": "Asia/Shanghai", "language": "en"
    }  # fmt: skip
    assert [f["id"] for f in document["forums"]] == [OLD, CONF]  # oldest first
    conf = document["forums"][1]
    assert conf["timezone"] == "Europe/Berlin"
    assert [s["id"] for s in conf["sessions"]] == [
        f"{CONF}/social", f"{CONF}/opening", f"{CONF}/data", f"{CONF}/panel", f"{CONF}/closing"
    ]  # fmt: skip
    panel = conf["sessions"][3]
    assert panel["start"] == "10:00:00"
    assert panel["talks"] == [
        {
            "speakers": [
                {"id": "ada", "name": "Ada Lovelace", "affiliation": "director, New Org"},
                {"id": "bo", "name": "Bo Li", "name_original": "李博", "affiliation": "Uni"},
                {"id": "cy", "name": "Cy Young", "affiliation": "guest, Lab X"},
            ],
            "title": "Futures",
            "affiliations": {"cy": "guest, Lab X"},
        }
    ]
    opening = conf["sessions"][1]
    assert opening["chairs"] == [
        {"id": "bo", "name": "Bo Li", "name_original": "李博", "affiliation": "Uni"}
    ]
    old_talk = document["forums"][0]["sessions"][0]["talks"][0]
    assert old_talk["speakers"][0]["affiliation"] == "Old Org"  # held in 2015
    assert [s["id"] for s in document["speakers"]] == ["bo", "cy", "dee", "ada"]  # by sort name
    assert document["speakers"][3]["affiliations"][1] == {
        "organization": "Old Org", "since": "2010-01-01", "until": "2018-12-31"
    }  # fmt: skip


def test_one_day_sessions_get_the_forums_date_and_output_is_stable(
    cli: Cli, sample_archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "archive.json"
    result = cli("--archive", sample_archive, "export", "json", "--out", out)
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == ("", f"wrote {out}\n")
    document = json.loads(out.read_text(encoding="utf-8"))
    forum = document["forums"][0]
    assert forum["id"] == SAMPLE_FORUM
    assert {s["date"] for s in forum["sessions"]} == {"2020-12-12"}
    assert cli("--archive", sample_archive, "export", "json").stdout == out.read_text("utf-8")
    again = cli("--archive", sample_archive, "export", "json", "--out", out)
    assert again.exit_code == 2
    assert again.stderr == (
        f"forumctl: error: {out}: already exists (use --force to overwrite it)\n"
    )
    assert (
        cli("--archive", sample_archive, "export", "json", "--out", out, "--force").exit_code == 0
    )
