"""The exact widget round trip, data side: the glue's jstree model against the selection rules."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from integration_core import AclTree, ResourceSelection
from integration_core.acl import MAGENTO_ALL
from integration_core.acl.widget import SCRIPT_NAME, script
from integration_core.errors import AclDefinitionError
from integration_core.testing.strategies import trees_with_selections
from tests.acl.jstree_model import WidgetModel

SALES = AclTree.from_data(
    [
        {
            "id": "Magento_Sales::sales",
            "children": [
                {
                    "id": "Magento_Sales::sales_operation",
                    "children": [
                        {
                            "id": "Magento_Sales::sales_order",
                            "children": [{"id": "Magento_Sales::actions"}],
                        },
                        {"id": "Magento_Sales::invoice"},
                    ],
                }
            ],
        },
        {"id": "Magento_Catalog::catalog"},
    ]
)


def loaded(tree: AclTree, selection: ResourceSelection) -> WidgetModel:
    return WidgetModel(tree.to_jstree(selection.check_states(tree)))


def read_back(tree: AclTree, model: WidgetModel) -> frozenset[str]:
    return ResourceSelection.from_magento(tree, model.posted()).allowed(tree)


def widget_trees_with_selections() -> st.SearchStrategy[tuple[AclTree, ResourceSelection]]:
    # jstree keeps "#" for its root, and a post of nothing but Magento_Backend::all reads as All.
    return trees_with_selections().filter(
        lambda pair: "#" not in pair[0] and MAGENTO_ALL not in pair[0]
    )


@pytest.mark.law
@given(widget_trees_with_selections())
def test_an_unchanged_widget_posts_exactly_what_the_selection_allows(
    pair: tuple[AclTree, ResourceSelection],
) -> None:
    """
    Rule: loading a selection's jstree data into the widget and submitting it unchanged posts a
    resource list that reads back as a selection allowing exactly what the selection allows.
    """
    tree, selection = pair
    model = loaded(tree, selection)
    assert set(model.posted()) == selection.allowed(tree)
    assert read_back(tree, model) == selection.allowed(tree)


@pytest.mark.law
@given(st.data())
def test_ticking_and_unticking_in_the_widget_is_grant_and_exclude(data: st.DataObject) -> None:
    """
    Rule: ticking a node in the widget does what grant does and unticking it what exclude does,
    step after step, and the submitted widget reads back as the selection those steps made.
    """
    tree, selection = data.draw(widget_trees_with_selections())
    assume(len(tree) > 0)
    steps = data.draw(st.lists(st.tuples(st.booleans(), st.sampled_from(tree.ids)), max_size=6))
    model = loaded(tree, selection)
    for tick, node_id in steps:
        (model.tick if tick else model.untick)(node_id)
        selection = (selection.grant if tick else selection.exclude)(tree, node_id)
        assert model.selected == selection.allowed(tree)
    assert read_back(tree, model) == selection.allowed(tree)


@pytest.mark.law
@given(widget_trees_with_selections())
def test_the_data_draws_undetermined_what_the_widget_draws_undetermined(
    pair: tuple[AclTree, ResourceSelection],
) -> None:
    """
    Rule: a node's data is undetermined exactly when the widget draws it so: not allowed itself,
    with something allowed below it.
    """
    tree, selection = pair
    model = loaded(tree, selection)
    assert model.marked_undetermined == model.undetermined()


def test_a_parent_allowed_with_its_children_denied_survives_an_unchanged_submit() -> None:
    selection = ResourceSelection.from_magento(SALES, ["Magento_Sales::sales"])
    model = loaded(SALES, selection)
    assert model.posted() == ["Magento_Sales::sales"]
    assert model.undetermined() == set()


def test_a_child_granted_alone_gains_no_parent_on_an_unchanged_submit() -> None:
    selection = ResourceSelection.custom(SALES).grant(SALES, "Magento_Sales::sales_order")
    model = loaded(SALES, selection)
    assert model.posted() == ["Magento_Sales::sales_order", "Magento_Sales::actions"]
    assert model.undetermined() == {"Magento_Sales::sales", "Magento_Sales::sales_operation"}


def test_a_tree_holding_jstrees_root_id_is_refused_by_name() -> None:
    tree = AclTree.from_data([{"id": "a", "children": [{"id": "#"}]}])
    with pytest.raises(AclDefinitionError) as raised:
        tree.to_jstree()
    assert raised.value.resource_id == "#"


def test_the_glue_ships_in_the_package_with_the_documented_configuration() -> None:
    text = script()
    assert SCRIPT_NAME == "integration-core-tree.js"
    assert 'three_state: false, cascade: "undetermined"' in text
    assert "select_node.jstree" in text
    assert "deselect_node.jstree" in text
