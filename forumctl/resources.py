"""Files shipped with forumctl: where the built-in templates are.

The wheel carries ``templates/`` as ``forumctl/templates`` (pyproject's force-include);
an editable install or a source checkout has no such directory, so the repository's
``templates/`` next to the package is used instead.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def templates_dir() -> Path:
    """The directory of built-in templates: the installed package's, else the checkout's."""
    installed = Path(str(resources.files("forumctl") / "templates"))
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "templates"
