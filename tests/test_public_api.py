"""The public API: a small root, documented submodules, every public name with an executed example."""

from __future__ import annotations

import ast
import doctest
import enum
import importlib
import inspect
import itertools
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from _pytest.fixtures import FixtureFunctionDefinition

import integration_core
from integration_core import errors

PUBLIC_MODULES = [
    "integration_core",
    "integration_core.acl",
    "integration_core.acl.layout",
    "integration_core.acl.widget",
    "integration_core.selection",
    "integration_core.webapi",
    "integration_core.oauth1",
    "integration_core.integrations",
    "integration_core.credentials",
    "integration_core.events",
    "integration_core.service",
    "integration_core.ports",
    "integration_core.adapters",
    "integration_core.adapters.clock",
    "integration_core.adapters.memory",
    "integration_core.adapters.sealing",
    "integration_core.adapters.sqlalchemy",
    "integration_core.errors",
    "integration_core.testing.builders",
    "integration_core.testing.strategies",
    "integration_core.testing.contract",
    "integration_core.testing.failing",
    "integration_core.testing.nonces",
    "integration_core.testing.oauth1",
]
ROOT_LIMIT = 20


def isort_style(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def every_module() -> list[ModuleType]:
    package = Path(integration_core.__file__).parent
    names = [
        info.name
        for info in pkgutil.walk_packages([str(package)], prefix="integration_core.")
        if info.name != "integration_core.__main__"
    ]
    return [importlib.import_module(name) for name in ["integration_core", *names]]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_each_public_module_has_a_sorted_importable_all(name: str) -> None:
    module = importlib.import_module(name)
    names = module.__all__
    assert sorted(names, key=isort_style) == list(names)
    assert len(set(names)) == len(names)
    for exported in names:
        assert getattr(module, exported) is not None
    assert module.__doc__ is not None
    assert ">>> " in module.__doc__


def test_the_root_re_exports_at_most_twenty_everyday_names() -> None:
    assert len(integration_core.__all__) <= ROOT_LIMIT
    assert sorted(integration_core.__all__) == dir(integration_core)
    assert sorted(errors.__all__) == dir(errors)


def test_every_public_module_not_listed_is_private() -> None:
    """Rule: a module is public exactly when it is listed above; every other one is underscored."""
    for module in every_module():
        parts = module.__name__.split(".")
        if module.__name__ not in PUBLIC_MODULES:
            private = any(part.startswith("_") for part in parts)
            assert private or module.__name__ == "integration_core.testing", module.__name__


def test_each_public_name_has_one_public_home_besides_the_root() -> None:
    """Rule: a name is exported by the root and at most one public submodule."""
    homes: dict[int, list[str]] = {}
    for name in PUBLIC_MODULES[1:]:
        module = importlib.import_module(name)
        if name == "integration_core.adapters":
            continue  # the package gathers its two small modules' names
        for exported in module.__all__:
            value = getattr(module, exported)
            if isinstance(value, int | str):
                continue  # equal constants may share one object; their names differ anyway
            homes.setdefault(id(value), []).append(f"{name}.{exported}")
    assert [found for found in homes.values() if len(found) > 1] == []
    for exported in integration_core.__all__:
        value = getattr(integration_core, exported)
        assert isinstance(value, str) or id(value) in homes


def test_errors_subclass_the_root_and_the_matching_builtin() -> None:
    assert issubclass(errors.AclDefinitionError, errors.IntegrationCoreError)
    assert issubclass(errors.AclDefinitionError, ValueError)
    assert issubclass(errors.InvalidSelectionError, ValueError)
    assert issubclass(errors.UnknownResourceError, LookupError)
    assert issubclass(errors.UnknownResourceError, errors.IntegrationCoreError)
    assert not issubclass(errors.UnknownResourceError, KeyError)


def attribute_docstring(name: str) -> tuple[ModuleType, str]:
    """The module defining ``name = ...`` and the string literal right after it."""
    for module in every_module():
        source = inspect.getsource(module)
        for statement, following in itertools.pairwise(ast.parse(source).body):
            targets = (
                [statement.target]
                if isinstance(statement, ast.AnnAssign)
                else statement.targets
                if isinstance(statement, ast.Assign)
                else []
            )
            named = any(isinstance(t, ast.Name) and t.id == name for t in targets)
            if (
                named
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
            ):
                return module, str(following.value.value)
    return integration_core, ""


def is_attribute(value: object) -> bool:
    """Whether a public name is a value (a constant, an alias) rather than a class or function."""
    return not (inspect.isclass(value) or inspect.isfunction(value))


def documented_members() -> list[tuple[str, str]]:
    """(qualified name, docstring) of every public name and its public members."""
    found: dict[str, str] = {}
    owners: dict[str, object] = {}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for exported in module.__all__:
            value = getattr(module, exported)
            # Two modules may export different objects under one name (the table and the
            # strategy called ``integrations``): the second is checked under its full name.
            name = (
                exported
                if owners.setdefault(exported, value) is value
                else f"{module_name}.{exported}"
            )
            if is_attribute(value):
                found[name] = attribute_docstring(exported)[1]
                continue
            found[name] = inspect.getdoc(value) or ""
            if not inspect.isclass(value):
                continue
            for member, attribute in vars(value).items():
                if member.startswith(("_", "test_")) or isinstance(attribute, enum.Enum):
                    continue
                if isinstance(attribute, FixtureFunctionDefinition):
                    # The contract kit's fixtures: pytest calls them (calling one directly
                    # is an error) and doctest does not collect their docstrings, so an
                    # example there could never run. Their prose documents them.
                    continue
                if attribute is dict.__getitem__:
                    shown = f".{member}(" in (value.__doc__ or "")
                    found[f"{name}.{member}"] = (value.__doc__ or "") if shown else ""
                elif callable(attribute) or isinstance(attribute, property | classmethod):
                    found[f"{name}.{member}"] = inspect.getdoc(getattr(value, member)) or ""
    return sorted(found.items())


MEMBERS = documented_members()


@pytest.mark.parametrize(("name", "docstring"), MEMBERS, ids=[name for name, _ in MEMBERS])
def test_every_public_name_has_a_docstring_with_an_example(name: str, docstring: str) -> None:
    assert docstring.strip()
    assert ">>> " in docstring


ATTRIBUTES = sorted(
    {
        name
        for module_name in PUBLIC_MODULES
        for name in importlib.import_module(module_name).__all__
        if is_attribute(getattr(importlib.import_module(module_name), name))
    }
)


@pytest.mark.parametrize("name", ATTRIBUTES)
def test_every_example_in_an_attribute_docstring_runs(name: str) -> None:
    """Doctest collects only modules, classes and functions: the examples of values run here."""
    module, docstring = attribute_docstring(name)
    example = doctest.DocTestParser().get_doctest(
        docstring, dict(vars(module)), f"{module.__name__}.{name}", module.__file__, 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    report: list[str] = []
    result = runner.run(example, out=report.append)
    assert result.attempted > 0
    assert result.failed == 0, "".join(report)


def test_the_testing_package_is_documented_for_users() -> None:
    testing: Any = importlib.import_module("integration_core.testing")
    assert testing.__doc__ is not None
    assert "strategies" in testing.__doc__
