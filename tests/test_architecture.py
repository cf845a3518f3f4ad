"""The layers: dependencies flow one way, adapters use public names only, no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import integration_core

PACKAGE = Path(integration_core.__file__).parent

LAYERS: dict[str, float] = {
    "integration_core.errors": 0,
    "integration_core.acl": 1,
    "integration_core.selection": 2,
    "integration_core.webapi": 2.5,
    "integration_core.integrations": 3,
    "integration_core.events": 3,
    "integration_core.credentials": 3,
    "integration_core.ports": 4,
    "integration_core.service": 5,
    "integration_core.oauth1": 5.5,
    "integration_core.adapters": 6,
    "integration_core.testing": 7,
}
"""acl -> selection -> webapi -> integrations -> ports -> service -> adapters -> testing; errors below."""

TOP = 8
"""The root and the demo: they may import every layer."""

PUBLIC_ONLY = ("integration_core.adapters", "integration_core.testing")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Every module of the package with the package modules it imports, anywhere in it."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        found[name] = {target for target in targets if target.split(".")[0] == "integration_core"}
    return found


def layer(module: str) -> float:
    for prefix, rank in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return TOP


def package_of(module: str) -> str:
    return next(
        (p for p in LAYERS if module == p or module.startswith(p + ".")), "integration_core"
    )


GRAPH = imports()


def test_the_layers_exist_as_packages_and_modules() -> None:
    for module in LAYERS:
        assert module in GRAPH, module


def test_dependencies_flow_one_way_down_the_layers() -> None:
    """Rule: a module imports only from its own layer or the layers below it."""
    upward = [
        (module, target)
        for module, targets in GRAPH.items()
        for target in targets
        if layer(target) > layer(module)
    ]
    assert upward == []


def test_adapters_and_the_testing_kit_import_only_public_names() -> None:
    """Rule: outside their own package, adapters and the testing kit use public modules only."""
    private = [
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith(PUBLIC_ONLY)
        for target in targets
        if package_of(target) != package_of(module)
        and any(part.startswith("_") for part in target.split("."))
    ]
    assert private == []


def test_the_domain_never_imports_an_adapter_or_the_testing_kit() -> None:
    """Rule: the domain layers (errors up to the service) import no adapter and no test kit."""
    leaks = [
        (module, target)
        for module, targets in GRAPH.items()
        if layer(module) <= LAYERS["integration_core.service"]
        for target in targets
        if target.startswith(PUBLIC_ONLY)
    ]
    assert leaks == []


def test_no_module_takes_part_in_an_import_cycle() -> None:
    """Rule: the import graph between modules (type-only imports included) has no cycle."""
    resolved = {
        module: {target for target in targets if target in GRAPH and target != module}
        for module, targets in GRAPH.items()
    }
    # A package's __init__ re-exports its modules: importing the package means importing them.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(resolved[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(resolved):
        if module not in state:
            visit(module, [module])
    assert cycles == []
