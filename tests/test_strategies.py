"""The shipped Hypothesis strategies draw what their docstrings promise."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from integration_core import MAGENTO_RESOURCE_ID, AccessMode, AclTree, ResourceSelection
from integration_core.testing.strategies import (
    acl_trees,
    extended_trees,
    magento_resource_ids,
    resource_ids,
    selections,
    tree_data,
    tree_records,
)


@given(resource_ids())
def test_resource_ids_are_valid_ids(resource_id: str) -> None:
    assert resource_id
    assert resource_id.strip() == resource_id
    assert AclTree.from_data([{"id": resource_id}]).ids == (resource_id,)


@given(magento_resource_ids())
def test_magento_resource_ids_match_the_magento_pattern(resource_id: str) -> None:
    assert MAGENTO_RESOURCE_ID.fullmatch(resource_id) is not None


@given(st.integers(0, 12), st.integers(1, 4), st.data())
def test_tree_data_respects_its_bounds(max_nodes: int, max_depth: int, data: st.DataObject) -> None:
    drawn: list[dict[str, Any]] = data.draw(tree_data(max_nodes=max_nodes, max_depth=max_depth))
    tree = AclTree.from_data(drawn)
    assert len(tree) <= max_nodes
    assert all(tree.depth(resource_id) < max_depth for resource_id in tree.ids)


@given(tree_records())
def test_tree_records_are_flat_and_complete(
    forms: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    data, records = forms
    for record in records:
        assert {"id", "parent", "title", "sort_order"} == set(record)
    assert sorted(r["id"] for r in records) == sorted(AclTree.from_data(data).ids)


@given(acl_trees().flatmap(lambda tree: st.tuples(st.just(tree), extended_trees(tree))))
def test_extended_trees_only_add_resources(trees: tuple[AclTree, AclTree]) -> None:
    tree, newer = trees
    assert set(tree.ids) <= set(newer.ids)
    for resource_id in tree.ids:
        assert tree[resource_id] == newer[resource_id]
        assert [a.id for a in tree.ancestors(resource_id)] == [
            a.id for a in newer.ancestors(resource_id)
        ]


@given(
    acl_trees().flatmap(lambda tree: st.tuples(st.just(tree), selections(tree, include_all=False)))
)
def test_custom_only_selections_are_custom_and_decided_against_the_tree(
    pair: tuple[AclTree, ResourceSelection],
) -> None:
    tree, selection = pair
    assert selection.mode is AccessMode.CUSTOM
    assert selection.reviewed == frozenset(tree.ids)
    assert (selection.allow | selection.deny) <= selection.reviewed


def test_the_strategies_reach_the_interesting_cases() -> None:
    """Ties between siblings, deep nesting, All and mixed selections are all drawn."""
    from hypothesis import find  # noqa: PLC0415

    tied = find(
        tree_data(),
        lambda data: (
            len(data) >= 2 and data[0].get("sort_order", 0) == data[1].get("sort_order", 0)
        ),
    )
    assert len(tied) >= 2
    deep = find(acl_trees(max_depth=4), lambda tree: any(tree.depth(i) == 3 for i in tree.ids))
    assert max(deep.depth(i) for i in deep.ids) == 3
    tree = AclTree.from_data([{"id": "p", "children": [{"id": "c"}, {"id": "d"}]}])
    assert find(selections(tree), lambda s: s.mode is AccessMode.ALL) == ResourceSelection.all()
    mixed = find(selections(tree), lambda s: bool(s.allow) and bool(s.deny))
    assert mixed.allow
    assert mixed.deny
