"""The public surface of integration_core.webapi: sorted, from private modules, every name with an example."""

from __future__ import annotations

import ast
import enum
import inspect
import itertools
from pathlib import Path

import pytest

from integration_core import webapi
from integration_core.errors import RouteDefinitionError, UnknownRouteError


def isort_style(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_unique_importable_and_what_dir_shows() -> None:
    names = webapi.__all__
    assert sorted(names, key=isort_style) == list(names)
    assert len(set(names)) == len(names)
    assert sorted(names) == dir(webapi)
    for name in names:
        value = getattr(webapi, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__.startswith("integration_core.webapi._")


def constant_docstring(name: str) -> str:
    """The string literal right after ``name = ...`` in the module that defines the constants."""
    source = Path(inspect.getfile(webapi.Route)).read_text(encoding="utf-8")
    for statement, following in itertools.pairwise(ast.parse(source).body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and statement.target.id == name
            and isinstance(following, ast.Expr)
        ):
            return str(ast.literal_eval(following.value))
    return ""


def members() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = [("integration_core.webapi", webapi.__doc__ or "")]
    for name in webapi.__all__:
        value = getattr(webapi, name)
        if isinstance(value, str):
            found.append((name, constant_docstring(name)))
            continue
        found.append((name, inspect.getdoc(value) or ""))
        if not inspect.isclass(value):
            continue
        for member, attribute in vars(value).items():
            if member.startswith("_") or isinstance(attribute, enum.Enum):
                continue
            if callable(attribute) or isinstance(attribute, property | classmethod | staticmethod):
                found.append((f"{name}.{member}", inspect.getdoc(getattr(value, member)) or ""))
    found.extend(
        (error.__name__, inspect.getdoc(error) or "")
        for error in (RouteDefinitionError, UnknownRouteError)
    )
    return found


MEMBERS = members()


@pytest.mark.parametrize(("name", "docstring"), MEMBERS, ids=[name for name, _ in MEMBERS])
def test_every_public_name_has_a_docstring_with_an_example(name: str, docstring: str) -> None:
    assert docstring.strip()
    assert ">>> " in docstring
