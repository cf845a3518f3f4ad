"""The shipped Hypothesis strategies draw what their docstrings promise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from integration_core import AccessMode, AclTree, ResourceSelection
from integration_core.acl import MAGENTO_RESOURCE_ID
from integration_core.testing.strategies import (
    acl_trees,
    extended_trees,
    magento_resource_ids,
    reshaped_trees,
    resource_ids,
    selections,
    tree_data,
    tree_records,
)

T = TypeVar("T")


def _reach(strategy: st.SearchStrategy[T], condition: Callable[[T], bool]) -> T:
    """Some drawn value meeting ``condition`` (``find`` without shrinking, which is slow here)."""
    return find(
        strategy,
        condition,
        settings=settings(phases=[Phase.generate], database=None, max_examples=5_000),
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


@given(acl_trees().flatmap(lambda tree: st.tuples(st.just(tree), reshaped_trees(tree))))
def test_reshaped_trees_keep_every_resource_and_only_move_subtrees(
    trees: tuple[AclTree, AclTree],
) -> None:
    tree, moved = trees
    assert sorted(tree.ids) == sorted(moved.ids)
    for resource_id in tree.ids:
        assert tree[resource_id] == moved[resource_id]


def test_reshaped_trees_move_subtrees_up_and_down() -> None:
    """Moves to a root and to a deeper parent are both drawn (``find`` raises if never)."""
    tree = AclTree.from_data([{"id": "a", "children": [{"id": "b", "children": [{"id": "c"}]}]}])
    rooted = _reach(reshaped_trees(tree), lambda moved: moved.parent("b") is None)
    assert tree["b"] in rooted.roots
    lifted = _reach(reshaped_trees(tree), lambda moved: moved.ancestors("c")[:1] == (tree["a"],))
    assert tree["c"] in lifted.children("a")


@given(
    acl_trees().flatmap(lambda tree: st.tuples(st.just(tree), selections(tree, include_all=False)))
)
def test_custom_only_selections_are_custom_and_decided_against_the_tree(
    pair: tuple[AclTree, ResourceSelection],
) -> None:
    tree, selection = pair
    assert selection.mode is AccessMode.CUSTOM
    assert selection.reviewed == frozenset(
        (resource_id, None if parent is None else parent.id)
        for resource_id in tree.ids
        for parent in [tree.parent(resource_id)]
    )
    assert selection.unreviewed(tree) == frozenset()


def test_the_strategies_reach_the_interesting_cases() -> None:
    """Ties between siblings, deep nesting, All and mixed selections are all drawn."""
    tied = _reach(
        tree_data(),
        lambda data: (
            len(data) >= 2 and data[0].get("sort_order", 0) == data[1].get("sort_order", 0)
        ),
    )
    assert len(tied) >= 2
    deep = _reach(acl_trees(max_depth=4), lambda tree: any(tree.depth(i) == 3 for i in tree.ids))
    assert max(deep.depth(i) for i in deep.ids) == 3
    tree = AclTree.from_data([{"id": "p", "children": [{"id": "c"}, {"id": "d"}]}])
    assert _reach(selections(tree), lambda s: s.mode is AccessMode.ALL) == ResourceSelection.all()
    mixed = _reach(selections(tree), lambda s: bool(s.allow) and bool(s.deny))
    assert mixed.allow
    assert mixed.deny
