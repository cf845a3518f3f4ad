"""The habits of the property tests: each law is marked ``law``, named after its rule and quotes it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = sorted((ROOT / "tests").rglob("*.py"))
# The strategies' own property tests check the test kit's generators, not a rule of the domain.
# (The contract kit's property tests live in src and run in hosts' suites, where the marker is
# not registered: they are not scanned.)
NOT_LAWS = ROOT / "tests" / "testing"
# The fuzz gate states one rule for every entry point, in its package docstring: our error or a
# valid result, never anything else, nothing half-applied. Its tests are that rule, not laws each.
FUZZ = ROOT / "tests" / "fuzz"
NUMBERED = re.compile(r"\b(?:issue|rule)s? \d", re.IGNORECASE)


def decorators(function: ast.FunctionDef) -> list[str]:
    return [ast.unparse(decorator) for decorator in function.decorator_list]


def functions_named_test() -> list[tuple[Path, ast.FunctionDef]]:
    return [
        (path, node)
        for path in TESTS
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]


FUNCTIONS = functions_named_test()
PROPERTY_TESTS = [
    (path, node)
    for path, node in FUNCTIONS
    if any(decorator.startswith("given(") for decorator in decorators(node))
]


@pytest.mark.parametrize(
    ("path", "function"),
    PROPERTY_TESTS,
    ids=[f"{path.relative_to(ROOT)}::{node.name}" for path, node in PROPERTY_TESTS],
)
def test_every_property_test_of_the_domain_is_a_law_quoting_its_rule(
    path: Path, function: ast.FunctionDef
) -> None:
    marked = "pytest.mark.law" in decorators(function)
    if path.is_relative_to(FUZZ):
        assert not marked
        return
    assert marked is not path.is_relative_to(NOT_LAWS)
    if marked:
        assert (ast.get_docstring(function) or "").startswith("Rule: ")


def test_every_law_is_a_property_test() -> None:
    laws = [node for _, node in FUNCTIONS if "pytest.mark.law" in decorators(node)]
    property_tests = {id(node) for _, node in PROPERTY_TESTS}
    assert laws
    assert [node.name for node in laws if id(node) not in property_tests] == []


def test_rules_and_issues_are_cited_by_their_text_not_their_number() -> None:
    sources = [*TESTS, *sorted((ROOT / "src").rglob("*.py"))]
    cited = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NUMBERED.search(line)
    ]
    assert cited == []
