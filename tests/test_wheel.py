"""The built wheel: what an installed forumctl holds beyond its modules."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import REPO


def test_the_wheel_marks_the_package_as_typed(tmp_path: Path) -> None:
    """PEP 561: with py.typed, mypy checks library users' calls against forumctl's hints."""
    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(REPO)).build(directory=str(tmp_path), versions=["standard"])
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "forumctl/py.typed" in names
    assert "forumctl/__init__.py" in names
