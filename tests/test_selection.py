"""Example tests for ResourceSelection: Magento behaviours, interchange and invalid data."""

from __future__ import annotations

from typing import Any

import pytest

from integration_core import (
    MAGENTO_ADMIN,
    MAGENTO_ALL,
    AccessMode,
    AclTree,
    CheckState,
    Decision,
    ResourceSelection,
    SelectionDiff,
)
from integration_core.errors import InvalidSelectionError, UnknownResourceError

TREE = AclTree.from_data(
    [
        {
            "id": "sales",
            "children": [
                {"id": "orders", "children": [{"id": "invoice"}, {"id": "ship"}]},
                {"id": "refunds"},
            ],
        },
        {"id": "catalog", "children": [{"id": "products"}]},
    ]
)


def test_all_is_a_value_without_decisions() -> None:
    selection = ResourceSelection.all()
    assert selection == ResourceSelection(AccessMode.ALL)
    assert (frozenset(), frozenset(), frozenset()) == (
        selection.allow,
        selection.deny,
        selection.reviewed,
    )
    assert selection.grant(TREE, "sales") is selection
    assert selection.review(TREE) is selection
    assert selection.canonical(TREE) is selection
    assert selection.missing(AclTree.from_data([])) == frozenset()


def test_an_all_selection_cannot_hold_decisions() -> None:
    for field in ("allow", "deny", "reviewed"):
        with pytest.raises(InvalidSelectionError) as raised:
            ResourceSelection(AccessMode.ALL, **{field: ["sales"]})
        assert raised.value.field == "mode"


def test_an_id_cannot_be_both_allowed_and_denied() -> None:
    with pytest.raises(InvalidSelectionError) as raised:
        ResourceSelection.custom(
            TREE, allow=["sales", "orders"], deny=["orders", "sales", "refunds"]
        )
    assert raised.value.field == "allow"
    assert str(raised.value) == "allow: ids both allowed and denied: 'orders', 'sales'"


def test_excluding_from_all_keeps_everything_else_and_becomes_custom() -> None:
    selection = ResourceSelection.all().exclude(TREE, "orders")
    assert selection.mode is AccessMode.CUSTOM
    assert frozenset({"sales", "refunds", "catalog", "products"}) == selection.allowed(TREE)
    assert selection == ResourceSelection.custom(TREE, allow=["sales", "catalog"], deny=["orders"])


def test_ticks_replace_decisions_inside_the_subtree_as_magento_cascades() -> None:
    selection = ResourceSelection.custom(TREE, allow=["sales"], deny=["orders"]).grant(
        TREE, "invoice"
    )
    assert frozenset({"sales", "orders"}) == selection.deny | selection.allow - {"invoice"}
    assert frozenset({"sales", "refunds", "invoice"}) == selection.allowed(TREE)
    regranted = selection.grant(TREE, "sales")
    assert regranted == ResourceSelection.custom(TREE, allow=["sales"])
    unticked = regranted.exclude(TREE, "sales")
    assert unticked == ResourceSelection.custom(TREE, deny=["sales"])
    assert unticked.allowed(TREE) == frozenset()


def test_grant_and_exclude_check_every_id_before_changing_anything() -> None:
    selection = ResourceSelection.custom(TREE, allow=["sales"])
    with pytest.raises(UnknownResourceError) as raised:
        selection.exclude(TREE, "orders", "nope", "gone")
    assert raised.value.resource_ids == ("gone", "nope")
    assert str(raised.value) == "unknown resource ids: 'gone', 'nope'"
    assert selection == ResourceSelection.custom(TREE, allow=["sales"])


def test_check_states_for_the_three_cases() -> None:
    selection = ResourceSelection.custom(TREE, allow=["orders", "products"], deny=["ship"])
    states = selection.check_states(TREE)
    assert states == {
        "sales": CheckState.UNDETERMINED,
        "orders": CheckState.UNDETERMINED,
        "invoice": CheckState.CHECKED,
        "ship": CheckState.UNCHECKED,
        "refunds": CheckState.UNCHECKED,
        "catalog": CheckState.UNDETERMINED,
        "products": CheckState.CHECKED,
    }


def test_a_new_resource_makes_its_allowed_parent_undetermined_until_reviewed() -> None:
    newer = AclTree.from_data([*TREE.to_data(), {"id": "new_root"}])
    grown = AclTree.from_data(
        [{"id": "sales", "children": [*TREE.to_data()[0]["children"], {"id": "returns"}]}]
    )
    selection = ResourceSelection.custom(TREE, allow=["sales"])
    assert selection.check_states(grown)["sales"] is CheckState.UNDETERMINED
    assert selection.unreviewed(grown) == frozenset({"returns"})
    assert selection.missing(grown) == frozenset({"catalog", "products"})
    assert selection.unreviewed(newer) == frozenset({"new_root"})
    assert "new_root" not in selection.review(newer).allowed(newer)
    assert selection.review(grown).check_states(grown)["sales"] is CheckState.CHECKED


def test_granting_a_new_resource_reviews_it() -> None:
    grown = AclTree.from_data(
        [{"id": "sales", "children": [{"id": "new", "children": [{"id": "newer"}]}]}]
    )
    selection = ResourceSelection.custom(AclTree.from_data([{"id": "sales"}]), allow=["sales"])
    assert selection.grant(grown, "newer").allowed(grown) == frozenset({"sales", "newer"})
    assert selection.grant(grown, "new").unreviewed(grown) == frozenset()


def test_a_resource_inserted_between_a_parent_and_its_child_keeps_the_child_decided() -> None:
    old = AclTree.from_data([{"id": "p", "children": [{"id": "c"}]}])
    new = AclTree.from_data([{"id": "p", "children": [{"id": "mid", "children": [{"id": "c"}]}]}])
    selection = ResourceSelection.custom(old, allow=["p"])
    assert selection.allowed(new) == frozenset({"p", "c"})
    assert selection.check_states(new)["mid"] is CheckState.UNDETERMINED


def test_diff_names_both_directions() -> None:
    before = ResourceSelection.custom(TREE, allow=["orders"])
    after = ResourceSelection.custom(TREE, allow=["sales"], deny=["invoice"])
    diff = before.diff(after, TREE)
    assert diff == SelectionDiff(frozenset({"sales", "refunds"}), frozenset({"invoice"}))
    assert diff.changed
    assert not before.diff(before, TREE).changed
    assert ResourceSelection.all().diff(ResourceSelection.custom(TREE), TREE).denied == frozenset(
        TREE.ids
    )


def test_to_data_is_sorted_and_explicit() -> None:
    selection = ResourceSelection.custom(TREE, allow=["sales"], deny=["refunds"])
    assert selection.to_data() == {
        "mode": "custom",
        "allow": ["sales"],
        "deny": ["refunds"],
        "reviewed": sorted(TREE.ids),
    }
    assert ResourceSelection.all().to_data() == {"mode": "all"}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "mode", "mode: expected 'all' or 'custom', got None"),
        ({"mode": "ALL"}, "mode", "mode: expected 'all' or 'custom', got 'ALL'"),
        ({"mode": "all", "allow": []}, "allow", "allow: unknown key for mode 'all'"),
        (
            {"mode": "custom", "allow": [], "deny": []},
            "reviewed",
            "reviewed: required key is missing",
        ),
        (
            {"mode": "custom", "allow": [], "deny": [], "reviewed": [], "extra": 1},
            "extra",
            "extra: unknown key for mode 'custom'",
        ),
        (
            {"mode": "custom", "allow": [], "deny": "a", "reviewed": []},
            "deny",
            "deny: expected a list of resource ids, got str",
        ),
        (
            {"mode": "custom", "allow": [], "deny": [], "reviewed": [""]},
            "reviewed",
            "reviewed: expected non-empty string ids, got ''",
        ),
        (
            {"mode": "custom", "allow": ["a"], "deny": ("a",), "reviewed": []},
            "allow",
            "allow: ids both allowed and denied: 'a'",
        ),
        ("custom", "data", "data: expected a mapping, got str"),
    ],
)
def test_invalid_selection_data_is_refused_naming_the_field(
    data: Any, field: str, message: str
) -> None:
    with pytest.raises(InvalidSelectionError) as raised:
        ResourceSelection.from_data(data)
    assert (field, message) == (raised.value.field, str(raised.value))
    assert isinstance(raised.value, ValueError)


def test_stored_selections_may_name_resources_that_left_the_tree() -> None:
    selection = ResourceSelection.from_data(
        {"mode": "custom", "allow": ["sales", "gone"], "deny": [], "reviewed": ["sales", "gone"]}
    )
    assert selection.missing(TREE) == frozenset({"gone"})
    assert "gone" not in selection.allowed(TREE)
    assert selection.allowed(TREE) == frozenset({"sales"})


def test_only_magento_all_alone_means_all() -> None:
    assert ResourceSelection.from_magento(TREE, [MAGENTO_ALL]) == ResourceSelection.all()
    assert ResourceSelection.from_magento(TREE, [MAGENTO_ADMIN, MAGENTO_ALL]).mode is AccessMode.ALL
    with pytest.raises(UnknownResourceError) as caught:
        ResourceSelection.from_magento(TREE, ["sales", MAGENTO_ALL])
    assert caught.value.resource_ids == (MAGENTO_ALL,)


def test_magento_admin_is_tolerated_only_when_the_tree_lacks_it() -> None:
    assert ResourceSelection.from_magento(TREE, [MAGENTO_ADMIN]) == ResourceSelection.custom(TREE)
    admin_tree = AclTree.from_data([{"id": MAGENTO_ADMIN, "children": [{"id": "x"}, {"id": "y"}]}])
    posted = [MAGENTO_ADMIN, "x"]
    selection = ResourceSelection.from_magento(admin_tree, posted)
    assert selection.allowed(admin_tree) == frozenset(posted)
    assert selection.to_magento(admin_tree) == posted


def test_magento_posts_ancestors_of_ticked_resources_and_that_is_the_allowed_set() -> None:
    posted = ["sales", "orders", "invoice"]
    selection = ResourceSelection.from_magento(TREE, posted)
    assert selection == ResourceSelection.custom(TREE, allow=["sales"], deny=["ship", "refunds"])
    assert selection.to_magento(TREE) == posted
    assert ResourceSelection.from_magento(TREE, []).to_magento(TREE) == []


def test_decisions_and_modes_have_stable_values() -> None:
    assert [mode.value for mode in AccessMode] == ["all", "custom"]
    assert [decision.value for decision in Decision] == ["allow", "deny"]
    assert [state.mark for state in CheckState] == ["[x]", "[-]", "[ ]"]
