"""Compiled permissions: O(1) checks that agree with the selection, typed errors for unknown ids."""

from __future__ import annotations

import copy
import pickle
import re
from collections.abc import Callable
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import MAGENTO_ADMIN, AccessMode, AclTree, Permissions, ResourceSelection
from integration_core.errors import UnknownResourceError
from integration_core.selection._permissions import build_permissions
from integration_core.testing.strategies import resource_ids, trees_with_selections


@pytest.mark.law
@given(trees_with_selections())
def test_compiled_checks_agree_with_the_selection(pair: tuple[AclTree, ResourceSelection]) -> None:
    """
    Rule: a selection compiled on a tree allows, and reports unreviewed and missing resources,
    exactly as the selection does.
    """
    tree, selection = pair
    permissions = selection.compile(tree)
    allowed = selection.allowed(tree)
    assert allowed == permissions.allowed
    assert selection.mode is permissions.mode
    assert selection.unreviewed(tree) == permissions.unreviewed
    assert selection.missing(tree) == permissions.missing
    for resource_id in tree.ids:
        assert (resource_id in allowed) is permissions.is_allowed(resource_id)
        assert permissions[resource_id] is permissions.is_allowed(resource_id)
    assert list(permissions.items()) == [(i, i in allowed) for i in tree.ids]


@pytest.mark.law
@given(trees_with_selections(), st.data())
def test_denied_among_lists_the_required_ids_not_allowed_in_the_given_order(
    pair: tuple[AclTree, ResourceSelection], data: st.DataObject
) -> None:
    """Rule: ``denied_among`` lists the required ids that are not allowed, in the order required."""
    tree, selection = pair
    required = data.draw(st.lists(st.sampled_from(tree.ids))) if len(tree) else []
    permissions = selection.compile(tree)
    expected = tuple(i for i in required if i not in selection.allowed(tree))
    assert expected == permissions.denied_among(required)
    assert expected == permissions.denied_among(iter(required))


@pytest.mark.law
@given(trees_with_selections(), resource_ids())
def test_an_id_unknown_to_the_tree_raises_never_false(
    pair: tuple[AclTree, ResourceSelection], other: str
) -> None:
    """
    Rule: a check of an id the tree does not hold raises ``UnknownResourceError`` naming it; it
    never answers False.
    """
    tree, selection = pair
    if other in tree:
        return
    permissions = selection.compile(tree)
    with pytest.raises(UnknownResourceError) as raised:
        permissions.is_allowed(other)
    assert (other,) == raised.value.resource_ids
    if other != MAGENTO_ADMIN:  # which a check by resources decides as Magento does
        with pytest.raises(UnknownResourceError):
            permissions.denied_among([*tree.ids, other])


def test_permissions_are_immutable_and_described() -> None:
    tree = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}, {"id": "c"}])
    old = AclTree.from_data([{"id": "a"}, {"id": "gone"}])
    permissions = ResourceSelection.custom(old, allow=["a"]).compile(tree)
    assert isinstance(permissions, Permissions)
    assert repr(permissions) == "<Permissions custom: 1 allowed, 2 unreviewed, 1 missing>"
    assert repr(ResourceSelection.all().compile(tree)) == (
        "<Permissions all: 3 allowed, 0 unreviewed, 0 missing>"
    )
    assert permissions.denied_among(["a", "b", "c", "a"]) == ("b", "c")


def test_permissions_are_read_only_and_refuse_the_ambiguous_in() -> None:
    tree = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}])
    permissions = ResourceSelection.custom(tree, allow=["a"], deny=["b"]).compile(tree)
    subscript = cast("Any", permissions)
    writes: list[Callable[[], object]] = [
        lambda: subscript.__setitem__("b", True),  # noqa: FBT003
        lambda: subscript.__delitem__("b"),
        lambda: setattr(permissions, "mode", AccessMode.ALL),
        lambda: setattr(permissions, "is_allowed", lambda _: True),
        lambda: delattr(permissions, "allowed"),
    ]
    for write in writes:
        with pytest.raises((TypeError, AttributeError)):
            write()
    for mutator in ("clear", "pop", "popitem", "setdefault", "update", "__ior__"):
        assert not hasattr(permissions, mutator)
    assert dict(permissions) == {"a": True, "b": False}
    assert permissions.mode is AccessMode.CUSTOM
    assert permissions.is_allowed("a")
    with pytest.raises(TypeError, match="is_allowed"):
        "b" in permissions  # noqa: B015  # the refusal is what is tested
    with pytest.raises(TypeError, match="compile"):
        Permissions({"b": True})


def test_every_read_of_an_unknown_id_raises_get_included() -> None:
    tree = AclTree.from_data([{"id": "a"}])
    permissions = ResourceSelection.all().compile(tree)
    reads: list[Callable[[], object]] = [
        lambda: permissions["gone"],
        lambda: permissions.get("gone"),
        lambda: permissions.is_allowed("gone"),
        lambda: permissions.denied_among(["gone"]),
    ]
    for read in reads:
        with pytest.raises(UnknownResourceError, match="gone"):
            read()
    with pytest.raises(TypeError):
        cast("Any", permissions).get("gone", False)  # no default to hide behind
    assert (list(permissions.keys()), list(permissions.values())) == (["a"], [True])
    assert (list(permissions), len(permissions)) == (["a"], 1)


def test_permissions_are_values_equal_by_mode_verdicts_and_review_state() -> None:
    tree = AclTree.from_data([{"id": "a"}, {"id": "b"}])
    selection = ResourceSelection.all()
    first, second = selection.compile(tree), selection.compile(tree)
    assert first == second
    assert not first != second  # noqa: SIM202
    assert first != ResourceSelection.custom(tree, allow=["a", "b"]).compile(tree)  # mode differs
    assert first != ResourceSelection.all().compile(AclTree.from_data([{"id": "b"}, {"id": "a"}]))
    old = AclTree.from_data([{"id": "a"}])
    assert ResourceSelection.custom(old, allow=["a"]).compile(tree) != ResourceSelection.custom(
        tree, allow=["a"]
    ).compile(tree)  # "b" unreviewed in one of them only
    assert first != dict(first)
    with pytest.raises(TypeError, match="unhashable"):
        hash(first)


@pytest.mark.parametrize(
    "duplicate",
    [copy.copy, copy.deepcopy, lambda value: pickle.loads(pickle.dumps(value))],  # noqa: S301,
)
def test_permissions_survive_copying_and_pickling(duplicate: Callable[[Any], Any]) -> None:
    tree = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}, {"id": "c"}])
    old = AclTree.from_data([{"id": "a"}, {"id": "gone"}])
    permissions = ResourceSelection.custom(old, allow=["a"]).compile(tree)
    duplicated = duplicate(permissions)
    assert isinstance(duplicated, Permissions)
    assert duplicated == permissions
    assert list(duplicated.items()) == list(permissions.items())
    assert (duplicated.mode, duplicated.allowed, duplicated.unreviewed, duplicated.missing) == (
        permissions.mode,
        permissions.allowed,
        permissions.unreviewed,
        permissions.missing,
    )
    with pytest.raises(UnknownResourceError):
        duplicated.is_allowed("gone")


def test_the_refusals_of_permissions_say_what_to_do_instead() -> None:
    tree = AclTree.from_data([{"id": "a"}])
    permissions = ResourceSelection.all().compile(tree)
    read_only = "Permissions are read-only: compile the changed selection again"
    writes: list[Callable[[], object]] = [
        lambda: setattr(permissions, "mode", AccessMode.CUSTOM),
        lambda: delattr(permissions, "allowed"),
    ]
    for write in writes:
        with pytest.raises(TypeError, match=f"^{re.escape(read_only)}$"):
            write()
    ambiguous = (
        "'in' on Permissions is ambiguous: use permissions.is_allowed(resource_id), "
        "or resource_id in permissions.allowed"
    )
    with pytest.raises(TypeError, match=f"^{re.escape(ambiguous)}$"):
        "a" in permissions  # noqa: B015  # the refusal is what is tested
    built = "Permissions come from ResourceSelection.compile(tree)"
    with pytest.raises(TypeError, match=f"^{re.escape(built)}$"):
        Permissions()


def test_permissions_are_built_only_from_ids_and_verdicts_of_one_length() -> None:
    for ids, verdicts in ((["a", "b"], [True]), (["a"], [True, False])):
        with pytest.raises(ValueError, match="zip"):
            build_permissions(AccessMode.CUSTOM, ids, verdicts, frozenset(), frozenset())
