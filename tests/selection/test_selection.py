"""Example tests for ResourceSelection: Magento behaviours, interchange and invalid data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from integration_core import MAGENTO_ADMIN, AccessMode, AclTree, CheckState, ResourceSelection
from integration_core.acl import MAGENTO_ALL
from integration_core.errors import (
    InvalidArgumentError,
    InvalidSelectionError,
    UnknownResourceError,
)
from integration_core.selection import Decision, SelectionDiff

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
    decisions: list[dict[str, Any]] = [
        {"allow": ["sales"]},
        {"deny": ["sales"]},
        {"reviewed": {"sales": None}},
    ]
    for decision in decisions:
        with pytest.raises(InvalidSelectionError) as raised:
            ResourceSelection(AccessMode.ALL, **decision)
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


def test_a_resource_inserted_between_a_parent_and_its_child_moves_the_child() -> None:
    old = AclTree.from_data([{"id": "p", "children": [{"id": "c", "children": [{"id": "g"}]}]}])
    new = AclTree.from_data(
        [
            {
                "id": "p",
                "children": [{"id": "mid", "children": [{"id": "c", "children": [{"id": "g"}]}]}],
            }
        ]
    )
    selection = ResourceSelection.custom(old, allow=["p"])
    assert selection.allowed(new) == frozenset({"p"})
    assert selection.unreviewed(new) == frozenset({"mid", "c", "g"})
    assert selection.check_states(new)["p"] is CheckState.UNDETERMINED
    assert selection.review(new).allowed(new) == frozenset(new.ids)


def test_a_resource_moved_from_a_denied_parent_to_an_allowed_one_stays_denied_until_reviewed() -> (
    None
):
    old = AclTree.from_data(
        [
            {"id": "sales", "children": [{"id": "orders"}]},
            {"id": "system", "children": [{"id": "export", "children": [{"id": "customers"}]}]},
        ]
    )
    new = AclTree.from_data(
        [
            {
                "id": "sales",
                "children": [{"id": "orders"}, {"id": "export", "children": [{"id": "customers"}]}],
            },
            {"id": "system"},
        ]
    )
    selection = ResourceSelection.custom(old, allow=["sales"])
    assert selection.allowed(new) == frozenset({"sales", "orders"})
    assert selection.unreviewed(new) == frozenset({"export", "customers"})
    assert selection.compile(new).unreviewed == frozenset({"export", "customers"})
    assert selection.review(new).allowed(new) == frozenset(
        {"sales", "orders", "export", "customers"}
    )


def test_a_moved_resource_with_its_own_decision_keeps_it() -> None:
    old = AclTree.from_data(
        [{"id": "a", "children": [{"id": "x", "children": [{"id": "y"}]}]}, {"id": "b"}]
    )
    new = AclTree.from_data(
        [{"id": "a"}, {"id": "b", "children": [{"id": "x", "children": [{"id": "y"}]}]}]
    )
    selection = ResourceSelection.custom(old, allow=["x"])
    assert selection.allowed(new) == frozenset({"x", "y"})
    assert selection.unreviewed(new) == frozenset()
    assert selection.exclude(new, "b").allowed(new) == frozenset()


def test_a_root_moved_under_a_resource_and_back_is_placed_only_where_it_was_reviewed() -> None:
    flat = AclTree.from_data([{"id": "a"}, {"id": "b"}])
    nested = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}])
    from_flat = ResourceSelection.custom(flat, allow=["a"])
    assert from_flat.unreviewed(nested) == frozenset({"b"})
    assert from_flat.allowed(nested) == frozenset({"a"})
    from_nested = ResourceSelection.custom(nested, allow=["a"], deny=["b"])
    assert from_nested.unreviewed(flat) == frozenset()
    assert from_nested.grant(nested, "b").unreviewed(flat) == frozenset()
    assert ResourceSelection.custom(nested, allow=["a"]).unreviewed(flat) == frozenset({"b"})


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
        "reviewed": {
            "catalog": None,
            "invoice": "orders",
            "orders": "sales",
            "products": "catalog",
            "refunds": "sales",
            "sales": None,
            "ship": "orders",
        },
    }
    assert list(selection.to_data()["reviewed"]) == sorted(TREE.ids)
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
            {"mode": "custom", "allow": [], "deny": [], "reviewed": {}, "extra": 1},
            "extra",
            "extra: unknown key for mode 'custom'",
        ),
        (
            {"mode": "custom", "allow": [], "deny": "a", "reviewed": {}},
            "deny",
            "deny: expected a list of resource ids, got str",
        ),
        (
            {"mode": "custom", "allow": [], "deny": [], "reviewed": ["a"]},
            "reviewed",
            "reviewed: expected a mapping of resource id to parent id, got list",
        ),
        (
            {"mode": "custom", "allow": [], "deny": [], "reviewed": {"": None}},
            "reviewed",
            "reviewed: expected non-empty string ids, got ''",
        ),
        (
            {"mode": "custom", "allow": [], "deny": [], "reviewed": {"a": ""}},
            "reviewed",
            "reviewed: expected a parent id or None for 'a', got ''",
        ),
        (
            {"mode": "custom", "allow": [], "deny": [], "reviewed": {"a": 1}},
            "reviewed",
            "reviewed: expected a parent id or None for 'a', got 1",
        ),
        (
            {"mode": "custom", "allow": ["a"], "deny": ("a",), "reviewed": {}},
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
        {
            "mode": "custom",
            "allow": ["sales", "gone"],
            "deny": [],
            "reviewed": {"sales": None, "gone": None},
        }
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


@pytest.mark.parametrize(
    ("reviewed", "message"),
    [
        (5, "reviewed: expected resource ids with their parent ids, got int"),
        ("a", "reviewed: expected resource ids with their parent ids, got str"),
        (["a"], "reviewed: expected (resource id, parent id) pairs, got 'a'"),
        (
            [("a", None, None)],
            "reviewed: expected (resource id, parent id) pairs, got ('a', None, None)",
        ),
        ([("a", None), ("a", "b")], "reviewed: resource 'a' placed under two parents"),
    ],
)
def test_reviewed_placements_must_be_id_parent_pairs(reviewed: Any, message: str) -> None:
    with pytest.raises(InvalidSelectionError) as raised:
        ResourceSelection(AccessMode.CUSTOM, reviewed=reviewed)
    assert ("reviewed", message) == (raised.value.field, str(raised.value))


def test_reviewed_accepts_a_mapping_or_pairs_and_a_repeated_pair() -> None:
    pairs = [("a", None), ("b", "a"), ("b", "a")]
    assert ResourceSelection(AccessMode.CUSTOM, reviewed=pairs) == ResourceSelection(
        AccessMode.CUSTOM, reviewed={"a": None, "b": "a"}
    )


def test_check_states_answer_an_id_the_tree_lacks_as_the_tree_does() -> None:
    states = ResourceSelection.all().check_states(TREE)
    for unknown in ("unknown", ["unhashable"]):
        with pytest.raises(UnknownResourceError):
            states[unknown]  # type: ignore[index]
        assert states.get(unknown) is None
        assert unknown not in states
    assert dict(states) == states
    assert not hasattr(states, "__setitem__")
    assert repr(states).startswith("CheckStates({")


def test_a_diff_with_something_that_is_no_selection_names_the_argument() -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        ResourceSelection.all().diff({"mode": "all"}, TREE)  # type: ignore[arg-type]
    assert raised.value.field == "other"


def refused_selection(build: Callable[[], object]) -> tuple[str, str]:
    with pytest.raises(InvalidSelectionError) as raised:
        build()
    return raised.value.field, str(raised.value)


@pytest.mark.parametrize("field", ["allow", "deny"])
@pytest.mark.parametrize(
    ("ids", "reason"),
    [
        ("sales", "expected a collection of resource ids, got str"),
        (b"sales", "expected a collection of resource ids, got bytes"),
        (7, "expected a collection of resource ids, got int"),
        ([""], "expected non-empty string ids, got ''"),
        (["sales", None], "expected non-empty string ids, got None"),
        ([7], "expected non-empty string ids, got 7"),
    ],
)
def test_decisions_that_are_no_ids_are_refused_naming_the_field(
    field: str, ids: Any, reason: str
) -> None:
    expected = (field, f"{field}: {reason}")
    assert refused_selection(lambda: ResourceSelection(AccessMode.CUSTOM, **{field: ids})) == (
        expected
    )
    assert refused_selection(lambda: ResourceSelection.custom(TREE, **{field: ids})) == expected
    if isinstance(ids, list):
        data = {"mode": "custom", "allow": [], "deny": [], "reviewed": {}, field: ids}
        assert refused_selection(lambda: ResourceSelection.from_data(data)) == expected


@pytest.mark.parametrize(
    ("posted", "reason"),
    [
        ("sales", "expected a collection of resource ids, got str"),
        (None, "expected a collection of resource ids, got NoneType"),
        (["sales", ""], "expected non-empty string ids, got ''"),
    ],
)
def test_a_magento_list_that_is_no_ids_is_refused_naming_the_resource_field(
    posted: Any, reason: str
) -> None:
    assert refused_selection(lambda: ResourceSelection.from_magento(TREE, posted)) == (
        "resource",
        f"resource: {reason}",
    )


def test_a_mode_that_is_no_access_mode_and_an_all_with_decisions_are_refused_with_reasons() -> None:
    assert refused_selection(lambda: ResourceSelection("all")) == (  # type: ignore[arg-type]
        "mode",
        "mode: expected an AccessMode, got 'all'",
    )
    assert refused_selection(lambda: ResourceSelection(AccessMode.ALL, deny=["sales"])) == (
        "mode",
        "mode: an All selection holds no decisions",
    )


def test_a_diff_with_something_that_is_no_selection_names_its_type() -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        ResourceSelection.all().diff(["sales"], TREE)  # type: ignore[arg-type]
    assert str(raised.value) == "other: expected a ResourceSelection, got list"


def test_ticking_a_nested_id_does_not_stop_the_ids_after_its_subtree() -> None:
    ticked = ResourceSelection.custom(TREE).grant(TREE, "sales", "orders", "invoice", "catalog")
    assert ticked.allowed(TREE) == frozenset(TREE.ids)
    assert ticked.allow == frozenset({"sales", "catalog"})
    unticked = ResourceSelection.all().exclude(TREE, "orders", "ship", "refunds", "products")
    assert unticked.allowed(TREE) == frozenset({"sales", "catalog"})
    assert unticked.deny == frozenset({"orders", "refunds", "products"})


def test_decisions_on_ids_that_left_the_tree_are_missing_whatever_was_reviewed() -> None:
    assert ResourceSelection(AccessMode.CUSTOM, allow=["gone"]).missing(TREE) == {"gone"}
    assert ResourceSelection(AccessMode.CUSTOM, deny=["gone"]).missing(TREE) == {"gone"}
    both = ResourceSelection(AccessMode.CUSTOM, allow=["sales", "left"], deny=["gone"])
    assert both.missing(TREE) == {"left", "gone"}
    assert both.compile(TREE).missing == {"left", "gone"}
    reviewed_only = ResourceSelection(AccessMode.CUSTOM, reviewed={"sales": None, "old": "sales"})
    assert reviewed_only.missing(TREE) == {"old"}
    assert reviewed_only.compile(TREE).missing == {"old"}


def test_a_new_root_in_place_of_a_root_that_left_is_unreviewed() -> None:
    old = AclTree.from_data([{"id": "a"}, {"id": "gone"}])
    new = AclTree.from_data([{"id": "a"}, {"id": "new"}])
    selection = ResourceSelection.custom(old, allow=["a"])
    assert selection.unreviewed(new) == {"new"}
    assert selection.compile(new).unreviewed == {"new"}
    assert selection.compile(new).missing == selection.missing(new) == {"gone"}
    handmade = ResourceSelection(AccessMode.CUSTOM, allow=["new"], reviewed={"a": None, "x": None})
    assert handmade.allowed(new) == frozenset()


def test_ticking_an_unhashable_id_names_it_as_unknown() -> None:
    for tick in (ResourceSelection.custom(TREE).grant, ResourceSelection.all().exclude):
        with pytest.raises(UnknownResourceError) as raised:
            tick(TREE, "sales", ["orders"])  # type: ignore[arg-type]
        assert raised.value.resource_ids == ("['orders']",)
