"""Invalid nested data and flat records get an AclDefinitionError naming the id and the place."""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import AclTree
from integration_core.acl import MAGENTO_RESOURCE_ID
from integration_core.errors import AclDefinitionError, IntegrationCoreError
from integration_core.testing.strategies import magento_resource_ids, tree_data


def refused(data: Any, **kwargs: Any) -> AclDefinitionError:
    with pytest.raises(AclDefinitionError) as raised:
        AclTree.from_data(data, **kwargs)
    return raised.value


def refused_records(records: Any, **kwargs: Any) -> AclDefinitionError:
    with pytest.raises(AclDefinitionError) as raised:
        AclTree.from_records(records, **kwargs)
    return raised.value


@pytest.mark.parametrize(
    ("data", "resource_id", "source", "reason"),
    [
        (5, None, "data", "data must be a list of resources, got int"),
        ("ab", None, "data", "data must be a list of resources, got str"),
        ({"id": "a"}, None, "data", "data must be a list of resources, got dict"),
        ([5], None, "data[0]", "a resource must be a mapping, got int"),
        ([{"title": "x"}], None, "data[0]", "a resource needs an 'id'"),
        ([{"id": 5}], None, "data[0]", "resource id must be a string, got int"),
        ([{"id": None}], None, "data[0]", "resource id must be a string, got NoneType"),
        ([{"id": ""}], None, "data[0]", "resource id must not be empty"),
        ([{"id": " a"}], " a", "data[0]", "resource id ' a' has surrounding whitespace"),
        ([{"id": "a\n"}], "a\n", "data[0]", "resource id 'a\\n' has surrounding whitespace"),
        (
            [{"id": "a", "children": [{"id": "b"}, {"id": "a"}]}],
            "a",
            "data[0].children[1]",
            "duplicate resource id 'a' (first declared at data[0])",
        ),
        (
            [{"id": "a", "children": [{"id": "b"}]}, {"id": "c", "children": [{"id": "b"}]}],
            "b",
            "data[1].children[0]",
            "duplicate resource id 'b' (first declared at data[0].children[0])",
        ),
        ([{"id": "a", "child": []}], "a", "data[0]", "resource 'a' has unknown keys: 'child'"),
        ([{"id": "a", 1: 2}], "a", "data[0]", "resource 'a' has unknown keys: 1"),
        (
            [{"id": "a", "title": 5}],
            "a",
            "data[0]",
            "title of 'a' must be a string or None, got int",
        ),
        (
            [{"id": "a", "sort_order": "5"}],
            "a",
            "data[0]",
            "sort_order of 'a' must be an int, got str",
        ),
        (
            [{"id": "a", "sort_order": True}],
            "a",
            "data[0]",
            "sort_order of 'a' must be an int, got bool",
        ),
        (
            [{"id": "a", "sort_order": 1.0}],
            "a",
            "data[0]",
            "sort_order of 'a' must be an int, got float",
        ),
        (
            [{"id": "a", "children": None}],
            "a",
            "data[0]",
            "children must be a list of resources, got NoneType",
        ),
        (
            [{"id": "a", "children": [{"id": "b", "children": {"id": "c"}}]}],
            "b",
            "data[0].children[0]",
            "children must be a list of resources, got dict",
        ),
        (
            [{"id": "a", "children": [{"id": "b", "children": [["c"]]}]}],
            None,
            "data[0].children[0].children[0]",
            "a resource must be a mapping, got list",
        ),
    ],
)
def test_invalid_nested_data_is_refused_with_its_id_and_path(
    data: Any, resource_id: str | None, source: str, reason: str
) -> None:
    error = refused(data)
    assert (resource_id, source, reason) == (error.resource_id, error.source, error.reason)
    assert f"{source}: {reason}" == str(error)
    assert isinstance(error, ValueError)
    assert isinstance(error, IntegrationCoreError)


def test_the_magento_id_pattern_is_an_opt_in_check() -> None:
    data = [{"id": "Magento_Sales::sales", "children": [{"id": "orders"}]}]
    assert len(AclTree.from_data(data)) == 2
    error = refused(data, id_pattern=MAGENTO_RESOURCE_ID)
    assert error.resource_id == "orders"
    assert error.source == "data[0].children[0]"
    assert "does not match the pattern" in error.reason
    records = [{"id": "Magento_Sales::sales", "parent": None}, {"id": "x", "parent": None}]
    assert refused_records(records, id_pattern=MAGENTO_RESOURCE_ID).resource_id == "x"
    assert (
        len(AclTree.from_data([{"id": "Magento_Sales::sales"}], id_pattern=MAGENTO_RESOURCE_ID))
        == 1
    )
    assert len(AclTree.from_data([{"id": "ab"}], id_pattern=re.compile("a."))) == 1


@pytest.mark.law
@given(magento_resource_ids())
def test_magento_style_ids_match_the_magento_pattern(resource_id: str) -> None:
    """Rule: a tree built with ``id_pattern=MAGENTO_RESOURCE_ID`` accepts every Magento-style id."""
    assert AclTree.from_data([{"id": resource_id}], id_pattern=MAGENTO_RESOURCE_ID).ids == (
        resource_id,
    )


@pytest.mark.law
@given(tree_data(max_nodes=8), st.data())
def test_any_generated_definition_with_one_id_repeated_is_refused(
    data: list[dict[str, Any]], draw: st.DataObject
) -> None:
    """Rule: a definition that repeats an id is refused, naming the id and where it is repeated."""
    tree = AclTree.from_data(data)
    if len(tree) == 0:
        return
    repeated = draw.draw(st.sampled_from(tree.ids))
    error = refused([*data, {"id": repeated}])
    assert repeated == error.resource_id
    assert f"data[{len(data)}]" == error.source


class _Id(str):
    """A str subclass: valid as an id, though not a plain ``str``."""

    __slots__ = ()


class _Order(int):
    """An int subclass: valid as a sort order, though not a plain ``int``."""

    __slots__ = ()


def test_any_mapping_sequence_str_and_int_is_read_like_their_builtin_forms() -> None:
    """Data outside the plain dict/list/str/int fast path builds the same tree."""
    plain = [{"id": "a", "children": [{"id": "b", "title": "Bee", "sort_order": 2}, {"id": "c"}]}]
    unusual = (
        MappingProxyType(
            {
                "id": _Id("a"),
                "children": (
                    MappingProxyType({"id": "b", "title": _Id("Bee"), "sort_order": _Order(2)}),
                    {"id": "c"},
                ),
            }
        ),
    )
    expected = AclTree.from_data(plain)
    assert expected.ids == ("a", "c", "b")
    assert expected == AclTree.from_data(unusual)
    assert expected.to_data() == AclTree.from_data(unusual).to_data()


# -- records ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("records", "resource_id", "source", "reason"),
    [
        (5, None, "records", "records must be a list of resources, got int"),
        ("ab", None, "records", "records must be a list of resources, got str"),
        ([5], None, "records[0]", "a resource must be a mapping, got int"),
        ([{"parent": None}], None, "records[0]", "a resource needs an 'id'"),
        ([{"id": ""}], None, "records[0]", "resource id must not be empty"),
        (
            [{"id": "a", "parent": None}, {"id": "a", "parent": None}],
            "a",
            "records[1]",
            "duplicate resource id 'a' (first declared at records[0])",
        ),
        (
            [{"id": "a", "parent": None, "children": []}],
            "a",
            "records[0]",
            "resource 'a' has unknown keys: 'children'",
        ),
        (
            [{"id": "a", "parent": None}, {"id": "b", "parent": "c"}],
            "b",
            "records[1]",
            "parent 'c' of 'b' is not among the records",
        ),
        (
            [{"id": "a", "parent": 5}],
            "a",
            "records[0]",
            "parent of 'a' must be an id or None, got int",
        ),
        (
            [{"id": "a", "parent": None, "title": 3}],
            "a",
            "records[0]",
            "title of 'a' must be a string or None, got int",
        ),
        (
            [{"id": "a", "parent": "a"}],
            "a",
            "records[0]",
            "resource 'a' is in a parent cycle: a -> a",
        ),
        (
            [
                {"id": "root", "parent": None},
                {"id": "tail", "parent": "x"},
                {"id": "x", "parent": "y"},
                {"id": "y", "parent": "z"},
                {"id": "z", "parent": "x"},
            ],
            "x",
            "records[2]",
            "resource 'x' is in a parent cycle: x -> y -> z -> x",
        ),
    ],
)
def test_invalid_records_are_refused_with_their_id_and_index(
    records: Any, resource_id: str | None, source: str, reason: str
) -> None:
    error = refused_records(records)
    assert (resource_id, source, reason) == (error.resource_id, error.source, error.reason)


def test_an_unhashable_parent_is_refused_with_a_typed_error() -> None:
    error = refused_records([{"id": "a", "parent": ["b"]}])
    assert error.resource_id == "a"


@pytest.mark.law
@given(st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=29))
def test_a_cycle_anywhere_in_a_chain_of_records_is_found_and_named(
    length: int, back_to: int
) -> None:
    """
    Rule: a parent cycle among records is refused, spelled out from the first record in it.

    n0 <- n1 <- ... <- n(length-1), and n0's parent is n(back_to): a cycle with a tail below it.
    """
    back_to %= length
    records: list[dict[str, Any]] = [{"id": "root", "parent": None}]
    records += [{"id": f"n{number}", "parent": f"n{number - 1}"} for number in range(length)]
    records[1]["parent"] = f"n{back_to}"
    error = refused_records(records)
    expected = ["n0", *(f"n{number}" for number in range(back_to, 0, -1)), "n0"]
    assert f"resource 'n0' is in a parent cycle: {' -> '.join(expected)}" == error.reason
    assert (error.resource_id, error.source) == ("n0", "records[1]")


def test_records_without_a_parent_key_are_top_level() -> None:
    tree = AclTree.from_records(
        [{"id": "b", "parent": "a", "sort_order": -1, "title": "Bee"}, {"id": "a"}]
    )
    assert tree.ids == ("a", "b")
    assert tree["b"].title == "Bee"
    assert tree["b"].sort_order == -1
