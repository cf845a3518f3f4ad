"""The examples in the docstrings of public constants run too (doctest only sees objects' __doc__)."""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import itertools

import pytest

CONSTANTS = {
    "MAGENTO_ADMIN": "integration_core.acl._node",
    "MAGENTO_ALL": "integration_core.acl._node",
    "MAGENTO_RESOURCE_ID": "integration_core.acl._node",
    "MAX_DEPTH": "integration_core.acl._definition",
    "NAME_MAX": "integration_core.integrations._validation",
    "EMAIL_MAX": "integration_core.integrations._validation",
    "URL_MAX": "integration_core.integrations._validation",
}


def attribute_docstring(module_name: str, name: str) -> str:
    module = importlib.import_module(module_name)
    body = ast.parse(inspect.getsource(module)).body
    for statement, following in itertools.pairwise(body):
        target = statement.target if isinstance(statement, ast.AnnAssign) else None
        if (
            isinstance(target, ast.Name)
            and target.id == name
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
        ):
            return inspect.cleandoc(str(following.value.value))
    return ""


@pytest.mark.parametrize(("name", "module_name"), sorted(CONSTANTS.items()))
def test_the_example_of_a_public_constant_runs(name: str, module_name: str) -> None:
    docstring = attribute_docstring(module_name, name)
    assert ">>> " in docstring
    module = importlib.import_module(module_name)
    test = doctest.DocTestParser().get_doctest(
        docstring, dict(vars(module)), f"{module_name}.{name}", module.__file__, 0
    )
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    runner.run(test)
    assert (test.examples and runner.failures) == 0
