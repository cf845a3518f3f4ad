"""A selection decided on one shape of the Magento tree is refused on the other, never quietly narrowed."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import (
    MAGENTO_ADMIN,
    AclTree,
    InMemoryIntegrationRepository,
    IntegrationForm,
    ResourceSelection,
)
from integration_core.errors import AclTreeMismatchError
from integration_core.integrations._form import clean_form
from integration_core.selection._tree_shape import FULL_TREE, SCREEN_TREE, decided_on_other_tree
from integration_core.service._authorization import CallAuthorizer
from integration_core.testing.builders import sample_integration
from integration_core.testing.strategies import selections, tree_data

TOKEN = "t" * 32
FORESTS = tree_data(max_nodes=12).filter(bool)


def shapes(data: list[dict[str, Any]]) -> tuple[AclTree, AclTree]:
    """The full tree, with everything under ``Magento_Backend::admin``, and the screen's tree."""
    full = AclTree.from_data(
        [{"id": "Magento_Backend::all"}, {"id": MAGENTO_ADMIN, "children": data}]
    )
    return full, full.subtree(MAGENTO_ADMIN)


def stored_with(selection: ResourceSelection, tree: AclTree) -> CallAuthorizer:
    repository = InMemoryIntegrationRepository()
    integration = sample_integration("Shop", integration_id="i-1", access_token=TOKEN)
    repository.add(attrs.evolve(integration, selection=selection))
    return CallAuthorizer(repository, tree)


@pytest.mark.law
@given(data=FORESTS, draw=st.data())
def test_a_selection_checked_on_the_other_shape_of_the_magento_tree_is_refused(
    data: list[dict[str, Any]], draw: st.DataObject
) -> None:
    """
    Rule: a Custom selection decided on the full Magento tree and checked on the screen's tree
    (subtree(MAGENTO_ADMIN)), or the other way round, is refused (the form reports it, a call
    raises) instead of quietly allowing less; on its own shape, and for All, nothing is refused.
    """
    full, screen = shapes(data)
    made_on = {FULL_TREE: full, SCREEN_TREE: screen}
    checked_on = {FULL_TREE: screen, SCREEN_TREE: full}
    for shape, tree in made_on.items():
        selection = draw.draw(selections(tree, include_all=False))
        assert decided_on_other_tree(selection, tree) is None
        assert decided_on_other_tree(selection, checked_on[shape]) == shape
        _, problems = clean_form(
            IntegrationForm(name="Shop", selection=selection), checked_on[shape]
        )
        assert [(problem.field, problem.code) for problem in problems] == [
            ("selection", "other_tree")
        ]
        with pytest.raises(AclTreeMismatchError) as raised:
            stored_with(selection, checked_on[shape]).authorize(TOKEN, [])
        assert (raised.value.integration_id, raised.value.decided_on) == ("i-1", shape)
        assert stored_with(selection, tree).authorize(TOKEN, []).allowed
    for tree in (full, screen):
        assert decided_on_other_tree(ResourceSelection.all(), tree) is None


def test_trees_of_other_shapes_never_mismatch() -> None:
    tree = AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}]}])
    other = AclTree.from_data([{"id": "catalog"}])
    assert decided_on_other_tree(ResourceSelection.custom(tree, allow=["sales"]), other) is None
    full, _ = shapes([{"id": "sales"}])
    assert decided_on_other_tree(ResourceSelection.custom(other, allow=["catalog"]), full) is None
    with_admin_deep = AclTree.from_data([{"id": "top", "children": [{"id": MAGENTO_ADMIN}]}])
    selection = ResourceSelection.custom(with_admin_deep, allow=["top"])
    assert decided_on_other_tree(selection, with_admin_deep) is None


def test_the_refusal_says_what_to_do() -> None:
    full, screen = shapes([{"id": "Magento_Sales::sales"}])
    selection = ResourceSelection.custom(full, allow=["Magento_Sales::sales"])
    with pytest.raises(AclTreeMismatchError) as raised:
        stored_with(selection, screen).authorize(TOKEN, ["Magento_Sales::sales"])
    assert str(raised.value) == (
        "integration 'i-1': its selection was decided on the full Magento tree (it holds "
        "Magento_Backend::admin), not on the tree it is checked on; give the service the tree its "
        "selections were made on, or save them again on this one"
    )
