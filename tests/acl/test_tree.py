"""Tree building laws and navigation of AclTree."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from anytree import PreOrderIter
from hypothesis import given
from hypothesis import strategies as st

from integration_core import AclNode, AclTree, ResourceSelection
from integration_core.acl import ResourceNode
from integration_core.errors import AclDefinitionError, UnknownResourceError
from integration_core.testing.strategies import (
    acl_trees,
    resource_ids,
    tree_data,
    tree_records,
    trees_with_selections,
)
from tests._acl_reference import normalized, reference_preorder

SAMPLE: list[dict[str, Any]] = [
    {
        "id": "sales",
        "title": "Sales",
        "sort_order": 20,
        "children": [
            {"id": "orders", "sort_order": 10, "children": [{"id": "invoice"}]},
            {"id": "refunds", "sort_order": 5},
        ],
    },
    {"id": "catalog", "title": "Catalog", "sort_order": 10},
]


@pytest.mark.law
@given(tree_data())
def test_to_data_round_trips_exactly(data: list[dict[str, Any]]) -> None:
    """Rule: "Build from plain nested data ... and export back to the same shape (round-trip exact)"."""
    tree = AclTree.from_data(data)
    exported = tree.to_data()
    assert normalized(data) == exported
    assert exported == json.loads(json.dumps(exported))
    assert tree == AclTree.from_data(exported)
    assert exported == AclTree.from_data(exported).to_data()
    assert hash(tree) == hash(AclTree.from_data(exported))


@pytest.mark.law
@given(tree_records())
def test_records_build_the_same_tree_as_nested_data(
    forms: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    """Rule: flat records with parent links build the same tree as the same resources nested."""
    data, records = forms
    assert AclTree.from_data(data) == AclTree.from_records(records)


@pytest.mark.law
@given(tree_data())
def test_siblings_are_ordered_by_sort_order_and_ties_keep_input_order(
    data: list[dict[str, Any]],
) -> None:
    """Rule: "siblings are ordered by sort order, ties keep input order"."""
    tree = AclTree.from_data(data)
    assert reference_preorder(data) == list(tree.ids)
    assert list(tree.ids) == [node.id for node in tree]
    for resource_id in tree.ids:
        orders = [child.sort_order for child in tree.children(resource_id)]
        assert sorted(orders) == orders


@pytest.mark.law
@given(tree_data())
def test_len_and_membership_count_every_id(data: list[dict[str, Any]]) -> None:
    """Rule: the tree holds each defined resource once; ``len``, ``in``, ``[]`` and ``get`` find every id."""
    tree = AclTree.from_data(data)
    ids = reference_preorder(data)
    assert len(ids) == len(tree) == len(set(tree.ids))
    assert all(resource_id in tree for resource_id in ids)
    assert all(tree[resource_id].id == resource_id for resource_id in ids)
    assert all(tree.get(resource_id) == tree[resource_id] for resource_id in ids)


@pytest.mark.law
@given(acl_trees(), resource_ids())
def test_unknown_ids_are_not_in_the_tree_and_raise_a_typed_error(tree: AclTree, other: str) -> None:
    """
    Rule: an id the tree does not hold is not ``in`` it, ``get`` returns the default, and every
    lookup and navigation raises ``UnknownResourceError`` naming it.
    """
    if other in tree:
        return
    assert other not in tree
    assert tree.get(other) is None
    fallback = AclNode("fallback")
    assert fallback is tree.get(other, fallback)
    for ask in (
        tree.__getitem__,
        tree.parent,
        tree.children,
        tree.ancestors,
        tree.descendants,
        tree.depth,
        tree.subtree,
    ):
        with pytest.raises(UnknownResourceError) as raised:
            ask(other)
        assert (other,) == raised.value.resource_ids


@pytest.mark.law
@given(acl_trees())
def test_parents_children_ancestors_descendants_and_depth_agree(tree: AclTree) -> None:
    """
    Rule: navigation agrees with itself: the parent is the nearest ancestor, the depth counts
    the ancestors, the children are the resources whose parent it is (in display order), the
    descendants those having it among their ancestors, and a child is one level deeper.
    """
    for resource_id in tree.ids:
        ancestors = [node.id for node in tree.ancestors(resource_id)]
        parent = tree.parent(resource_id)
        assert (None if not ancestors else ancestors[0]) == (None if parent is None else parent.id)
        assert len(ancestors) == tree.depth(resource_id)
        assert (parent is None) == (tree[resource_id] in tree.roots)
        children = [node.id for node in tree.children(resource_id)]
        assert [
            i for i in tree.ids if (p := tree.parent(i)) is not None and p.id == resource_id
        ] == (children)
        descendants = [node.id for node in tree.descendants(resource_id)]
        assert [i for i in tree.ids if resource_id in {a.id for a in tree.ancestors(i)}] == (
            descendants
        )
        for child in children:
            assert tree.depth(resource_id) + 1 == tree.depth(child)


@pytest.mark.law
@given(acl_trees())
def test_a_subtree_is_the_descendants_as_a_tree_of_their_own(tree: AclTree) -> None:
    """Rule: "offer a way to take a subtree (the nodes under one id) as a tree of its own"."""
    exported = tree.to_data()
    pending = list(exported)
    while pending:
        item = pending.pop()
        pending.extend(item["children"])
        subtree = tree.subtree(item["id"])
        assert item["children"] == subtree.to_data()
        assert [node.id for node in tree.descendants(item["id"])] == list(subtree.ids)
        assert tree.children(item["id"]) == subtree.roots
        for resource_id in subtree.ids:
            assert tree.depth(item["id"]) + 1 + subtree.depth(resource_id) == tree.depth(
                resource_id
            )


@pytest.mark.law
@given(trees_with_selections())
def test_the_anytree_view_mirrors_the_tree(pair: tuple[AclTree, ResourceSelection]) -> None:
    """
    Rule: the anytree view holds every resource once, in display order, under its parent,
    with its children in order and the state the check states give it.
    """
    tree, selection = pair
    states = selection.check_states(tree)
    roots = tree.to_anytree(states)
    assert tuple(root.resource for root in roots) == tree.roots
    for view in (node for root in roots for node in PreOrderIter(root)):
        parent = tree.parent(view.name)
        assert (None if parent is None else parent.id) == (
            None if view.parent is None else view.parent.name
        )
        assert tree.children(view.name) == tuple(child.resource for child in view.children)
        assert view.state is states[view.name]
    assert [node.name for root in roots for node in PreOrderIter(root)] == list(tree.ids)


def test_the_anytree_view_is_a_copy_the_caller_owns() -> None:
    tree = AclTree.from_data(SAMPLE)
    first, second = tree.to_anytree(), tree.to_anytree()
    sales = first[1]
    assert (sales.name, sales.state, repr(sales)) == ("sales", None, "ResourceNode('sales')")
    assert sales is not second[1]
    sales.children = ()
    assert [child.name for child in second[1].children] == ["refunds", "orders"]
    assert tree.children("sales") == tuple(child.resource for child in second[1].children)
    assert isinstance(sales, ResourceNode)


def test_navigation_on_an_example() -> None:
    tree = AclTree.from_data(SAMPLE)
    assert tree.ids == ("catalog", "sales", "refunds", "orders", "invoice")
    assert (AclNode("catalog", "Catalog", 10), AclNode("sales", "Sales", 20)) == tree.roots
    assert AclNode("sales", "Sales", 20) == tree.parent("orders")
    assert [node.id for node in tree.ancestors("invoice")] == ["orders", "sales"]
    assert tree.depth("invoice") == 2
    assert tuple(n.id for n in tree.descendants("sales")) == ("refunds", "orders", "invoice")
    assert tree.children("invoice") == ()
    assert len(tree.subtree("invoice")) == 0
    assert repr(tree) == "<AclTree of 5 resources, roots: 'catalog', 'sales'>"


def test_equality_and_hash_depend_on_structure_and_payload() -> None:
    tree = AclTree.from_data(SAMPLE)
    same = AclTree.from_data(tree.to_data())
    retitled = AclTree.from_data([{**SAMPLE[0], "title": "Orders"}, SAMPLE[1]])
    moved = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}, {"id": "c"}])
    moved_elsewhere = AclTree.from_data([{"id": "a"}, {"id": "b"}, {"id": "c"}])
    assert tree == same
    assert hash(tree) == hash(same)
    assert hash(tree) == hash(tree)
    assert tree != retitled
    assert moved != moved_elsewhere
    assert tree != "a tree"
    assert {tree, same} == {tree}


def test_an_empty_tree_is_valid() -> None:
    tree = AclTree.from_data([])
    assert len(tree) == 0
    assert tree.ids == ()
    assert tree.roots == ()
    assert tree.to_data() == []
    assert tree.render() == ""
    assert repr(tree) == "<AclTree of 0 resources, roots: >"


def test_trees_cannot_be_built_directly() -> None:
    message = "build an AclTree with AclTree.from_data, from_records or from_magento_xml"
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        AclTree()


@pytest.mark.parametrize(("documents", "kind"), [(None, "NoneType"), (7, "int"), ({1, 2}, "set")])
def test_documents_of_another_type_are_refused_naming_the_type(documents: Any, kind: str) -> None:
    with pytest.raises(AclDefinitionError) as raised:
        AclTree.from_magento_xml(documents)
    reason = f"documents must be a str, bytes, a sequence or a mapping of them, got {kind}"
    assert (raised.value.reason, raised.value.source) == (reason, "documents")
    assert raised.value.resource_id is None
    assert str(raised.value) == f"documents: {reason}"


def test_get_answers_the_default_for_an_id_of_another_type() -> None:
    tree = AclTree.from_data(SAMPLE)
    fallback = AclNode("fallback")
    for other in (["sales"], {"sales": 1}, 7, None, b"sales"):
        assert tree.get(other) is None
        assert tree.get(other, fallback) is fallback


def test_different_trees_hash_apart() -> None:
    trees = [AclTree.from_data([{"id": f"resource-{number}"}]) for number in range(32)]
    assert len({hash(tree) for tree in trees}) == len(trees)


def test_nodes_are_values_with_a_label() -> None:
    assert AclNode("a", "A", 1) == AclNode("a", "A", 1)
    assert AclNode("a", "A").label == "A"
    assert AclNode("a").label == "a"
    assert AclNode("a", "").label == ""


@pytest.mark.law
@given(st.lists(st.integers(-5, 5), max_size=30))
def test_sorting_is_stable_among_many_tied_siblings(orders: list[int]) -> None:
    """Rule: "siblings are ordered by sort order, ties keep input order", however many tie."""
    data = [{"id": f"r{number}", "sort_order": order} for number, order in enumerate(orders)]
    expected = [f"r{number}" for number, _ in sorted(enumerate(orders), key=lambda pair: pair[1])]
    assert expected == list(AclTree.from_data(data).ids)
