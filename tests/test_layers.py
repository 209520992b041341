"""The package's import graph: no cycle between modules, and imports pointing one way
(core -> render -> cli). Read from the source with ast, so an import inside a function
or under TYPE_CHECKING counts as much as one at the top."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "forumctl"


def module_files() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = module_files()


def imported_names(path: Path) -> Iterator[str]:
    """Every absolute module name an import statement in the file names; for ``from a
    import b``, ``a.b`` when that is a module of forumctl, else ``a``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                yield name if name in MODULES else node.module


def import_graph() -> dict[str, set[str]]:
    """forumctl module -> the forumctl modules it imports (a module importing its own
    parent packages is not an edge: Python runs those first anyway)."""
    return {
        module: {
            name
            for name in imported_names(path)
            if name in MODULES and name != module and not module.startswith(f"{name}.")
        }
        for module, path in MODULES.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as the list of its modules (first repeated last), or []."""
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> list[str]:
        if module in trail:
            return [*trail[trail.index(module) :], module]
        if module in done:
            return []
        for target in sorted(graph[module]):
            cycle = visit(target, [*trail, module])
            if cycle:
                return cycle
        done.add(module)
        return []

    for module in sorted(graph):
        cycle = visit(module, [])
        if cycle:
            return cycle
    return []


def test_find_cycle_finds_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert find_cycle(import_graph()) == []


def test_the_cache_and_the_archive_share_single_file_loading() -> None:
    graph = import_graph()
    assert "forumctl.loading" in graph["forumctl.cache"]
    assert "forumctl.archive" not in graph["forumctl.cache"]


LAYERS = ("core", "render", "cli")


def layer(module: str) -> str:
    if module.startswith("forumctl.cli") or module == "forumctl.__main__":
        return "cli"
    return "render" if module.startswith("forumctl.render") else "core"


def test_imports_point_one_way() -> None:
    """core -> render -> cli, typer only in the CLI and rich only from render on
    (DESIGN.md section 6)."""
    graph = import_graph()
    upward = {
        (module, target)
        for module, targets in graph.items()
        for target in targets
        if LAYERS.index(layer(target)) > LAYERS.index(layer(module))
    }
    assert upward == set()
    for module, path in MODULES.items():
        libraries = {name.partition(".")[0] for name in imported_names(path)}
        if layer(module) != "cli":
            assert libraries & {"typer", "click"} == set(), module
        if layer(module) == "core":
            assert "rich" not in libraries, module
