"""
Hypothesis laws for the resource selection, one section per rule of its semantics.

Each law is marked ``law``, named after the rule it proves and quotes that rule in its
docstring. Every law compares the implementation with a naive reference model
(tests/_acl_reference.py) or with an algebraic property; none can hold by construction.
The plain tests beside them pin the rules' own worked examples.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from integration_core import MAGENTO_ADMIN, AccessMode, AclTree, CheckState, ResourceSelection
from integration_core.acl import MAGENTO_ALL
from integration_core.errors import UnknownResourceError
from integration_core.testing.strategies import (
    acl_trees,
    extended_trees,
    reshaped_trees,
    resource_ids,
    selections,
    trees_with_selections,
)
from tests._acl_reference import (
    pruned,
    reference_allowed,
    reference_effect,
    reference_reviewed,
    reference_state,
)

Pair = tuple[AclTree, ResourceSelection]


@st.composite
def trees_with_two_selections(
    draw: st.DrawFn,
) -> tuple[AclTree, ResourceSelection, ResourceSelection]:
    tree = draw(acl_trees())
    return tree, draw(selections(tree)), draw(selections(tree))


@st.composite
def trees_with_selection_and_ids(draw: st.DrawFn) -> tuple[AclTree, ResourceSelection, list[str]]:
    tree, selection = draw(trees_with_selections())
    assume(len(tree) > 0)
    ids = draw(st.lists(st.sampled_from(tree.ids), min_size=1, max_size=3))
    return tree, selection, ids


# -- All grants every resource ---------------------------------------------------------------


@pytest.mark.law
@given(acl_trees().flatmap(lambda tree: st.tuples(st.just(tree), extended_trees(tree))))
def test_all_grants_every_resource_including_resources_added_later(
    trees: tuple[AclTree, AclTree],
) -> None:
    """Rule: "All grants every resource of the tree, including resources added to the tree later." """
    tree, newer = trees
    selection = ResourceSelection.all()
    assert frozenset(tree.ids) == selection.allowed(tree)
    assert frozenset(newer.ids) == selection.allowed(newer)
    assert frozenset() == selection.unreviewed(newer)
    permissions = selection.compile(newer)
    assert all(permissions.is_allowed(resource_id) for resource_id in newer.ids)
    assert all(state is CheckState.CHECKED for state in selection.check_states(newer).values())


# -- The nearest decision wins ---------------------------------------------------------------


@pytest.mark.law
@given(trees_with_selections(include_all=False))
def test_effect_is_the_nearest_decision_and_denied_without_one(pair: Pair) -> None:
    """
    Rule: "A resource's effect is the decision on its nearest ancestor-or-self that has one; with
    none, it is denied."
    """
    tree, selection = pair
    assert reference_allowed(tree, selection) == selection.allowed(tree)


@pytest.mark.law
@given(trees_with_selections(include_all=False), st.randoms(use_true_random=False))
def test_the_order_decisions_were_stored_in_never_changes_a_check(pair: Pair, random: Any) -> None:
    """
    Rule: "The effect is a function of the set of decisions alone — the order in which they were
    stored never changes a check."
    """
    tree, selection = pair
    allow, deny = sorted(selection.allow), sorted(selection.deny)
    random.shuffle(allow)
    random.shuffle(deny)
    reordered = ResourceSelection.custom(tree, allow=allow, deny=deny)
    stored_reversed = ResourceSelection.custom(tree, allow=allow[::-1], deny=deny[::-1])
    assert reordered == stored_reversed
    assert reordered.allowed(tree) == stored_reversed.allowed(tree)
    assert ResourceSelection.custom(tree, allow=selection.allow, deny=selection.deny).allowed(
        tree
    ) == reordered.allowed(tree)


def test_deny_child_then_allow_parent_means_the_same_as_the_reverse() -> None:
    """
    The order of decisions never matters, unlike in Laminas ACL:
    deny(child); allow(parent) == allow(parent); deny(child).
    """
    tree = AclTree.from_data([{"id": "parent", "children": [{"id": "child"}]}])
    first = ResourceSelection.custom(tree, deny=["child"], allow=["parent"])
    second = ResourceSelection.custom(tree, allow=["parent"], deny=["child"])
    assert first == second
    assert frozenset({"parent"}) == first.allowed(tree) == second.allowed(tree)


# -- Ticks replace the decisions inside their subtree ----------------------------------------


@pytest.mark.law
@given(trees_with_selection_and_ids())
def test_granting_allows_the_whole_subtree_and_changes_nothing_else(
    case: tuple[AclTree, ResourceSelection, list[str]],
) -> None:
    """
    Rule: "Granting a resource allows it and its whole subtree ... each replaces the decisions
    inside the subtree it touches."
    """
    tree, selection, ids = case
    granted = selection.grant(tree, *ids)
    touched = {
        i
        for resource_id in ids
        for i in (resource_id, *(n.id for n in tree.descendants(resource_id)))
    }
    before, after = selection.allowed(tree), granted.allowed(tree)
    assert touched <= after
    assert before - touched == after - touched
    if selection.mode is AccessMode.CUSTOM:
        inside = (granted.allow | granted.deny) & touched
        assert inside <= set(ids)
        assert not (granted.deny & set(ids))


@pytest.mark.law
@given(trees_with_selection_and_ids())
def test_excluding_denies_the_whole_subtree_and_changes_nothing_else(
    case: tuple[AclTree, ResourceSelection, list[str]],
) -> None:
    """Rule: "Excluding a resource denies it and its whole subtree ("unless you choose not to do so")." """
    tree, selection, ids = case
    excluded = selection.exclude(tree, *ids)
    touched = {
        i
        for resource_id in ids
        for i in (resource_id, *(n.id for n in tree.descendants(resource_id)))
    }
    before, after = selection.allowed(tree), excluded.allowed(tree)
    assert not (touched & after)
    assert before - touched == after - touched
    assert excluded.mode is AccessMode.CUSTOM


@pytest.mark.law
@given(trees_with_selection_and_ids())
def test_ticking_ids_at_once_is_ticking_them_one_by_one_in_either_order(
    case: tuple[AclTree, ResourceSelection, list[str]],
) -> None:
    """
    Rule: "each replaces the decisions inside the subtree it touches": ticks of one kind
    commute, so one call with every id decides what one call per id decides, in any order.
    """
    tree, selection, ids = case
    for tick in ("grant", "exclude"):
        at_once = getattr(selection, tick)(tree, *ids)
        forward = backward = selection
        for resource_id in ids:
            forward = getattr(forward, tick)(tree, resource_id)
        for resource_id in reversed(ids):
            backward = getattr(backward, tick)(tree, resource_id)
        assert at_once.allowed(tree) == forward.allowed(tree) == backward.allowed(tree)
        assert at_once.reviewed == forward.reviewed == backward.reviewed
        assert at_once.canonical(tree) == backward.canonical(tree)


@pytest.mark.law
@given(trees_with_selection_and_ids())
def test_a_tick_replaces_earlier_ticks_inside_its_subtree(
    case: tuple[AclTree, ResourceSelection, list[str]],
) -> None:
    """
    Rule: "Each [tick] replaces the decisions inside the subtree it touches", so "granting a parent
    after excluding a child re-allows the child": a tick on x makes every earlier tick inside
    x's subtree irrelevant.
    """
    tree, selection, ids = case
    top = ids[0]
    inner = [i for i in ids[1:] if i == top or top in {a.id for a in tree.ancestors(i)}]
    for tick in ("grant", "exclude"):
        for inner_tick in ("grant", "exclude"):
            earlier = getattr(selection, inner_tick)(tree, *inner) if inner else selection
            assert getattr(earlier, tick)(tree, top).allowed(tree) == getattr(selection, tick)(
                tree, top
            ).allowed(tree)


def test_granting_a_parent_after_excluding_a_child_re_allows_the_child() -> None:
    """Rule: "So granting a parent after excluding a child re-allows the child"."""
    tree = AclTree.from_data([{"id": "p", "children": [{"id": "c", "children": [{"id": "g"}]}]}])
    selection = ResourceSelection.custom(tree).grant(tree, "p").exclude(tree, "c").grant(tree, "p")
    assert frozenset({"p", "c", "g"}) == selection.allowed(tree)
    assert ResourceSelection.custom(tree, allow=["p"]) == selection


def test_granting_a_grandchild_inside_an_excluded_child_re_allows_just_its_subtree() -> None:
    """Rule: "Granting a grandchild inside an excluded child re-allows just that grandchild's subtree"."""
    tree = AclTree.from_data(
        [
            {
                "id": "p",
                "children": [
                    {
                        "id": "c",
                        "children": [{"id": "g", "children": [{"id": "gg"}]}, {"id": "g2"}],
                    },
                    {"id": "d"},
                ],
            }
        ]
    )
    selection = ResourceSelection.custom(tree).grant(tree, "p").exclude(tree, "c").grant(tree, "g")
    assert frozenset({"p", "d", "g", "gg"}) == selection.allowed(tree)


# -- Custom starts from nothing --------------------------------------------------------------


@pytest.mark.law
@given(acl_trees())
def test_custom_with_nothing_granted_denies_everything(tree: AclTree) -> None:
    """Rule: "Custom with nothing granted denies everything." """
    selection = ResourceSelection.custom(tree)
    assert frozenset() == selection.allowed(tree)
    assert all(state is CheckState.UNCHECKED for state in selection.check_states(tree).values())
    assert ResourceSelection.custom(tree, deny=tree.ids).allowed(tree) == frozenset()


@pytest.mark.law
@given(trees_with_selection_and_ids())
def test_granting_is_monotone_and_excluding_antitone(
    case: tuple[AclTree, ResourceSelection, list[str]],
) -> None:
    """Rule: "Granting is monotone: it never removes an allowed resource"; excluding never adds one."""
    tree, selection, ids = case
    assert selection.allowed(tree) <= selection.grant(tree, *ids).allowed(tree)
    assert selection.exclude(tree, *ids).allowed(tree) <= selection.allowed(tree)


# -- Canonical form and serialization --------------------------------------------------------


@pytest.mark.law
@given(trees_with_two_selections())
def test_same_allowed_set_iff_equal_canonical_forms(
    case: tuple[AclTree, ResourceSelection, ResourceSelection],
) -> None:
    """
    Rule: "Every selection has a canonical form on a given tree (minimal decisions); two
    selections allow the same set on a tree iff their canonical forms are equal."

    All stays All (it grants resources added later, so it differs from any Custom
    selection), so the law is stated for two Custom selections and for two All selections.
    """
    tree, first, second = case
    assume(first.mode is second.mode)
    same_set = first.allowed(tree) == second.allowed(tree)
    assert same_set == (first.canonical(tree) == second.canonical(tree))


@pytest.mark.law
@given(trees_with_selections(include_all=False))
def test_explicit_decisions_everywhere_have_the_same_canonical_form(pair: Pair) -> None:
    """
    Rule: "Two selections allow the same set on a tree iff their canonical forms are equal": the
    "if" direction, on a pair known to allow the same set.
    """
    tree, selection = pair
    allowed = selection.allowed(tree)
    explicit = ResourceSelection.custom(
        tree, allow=allowed, deny=[i for i in tree.ids if i not in allowed]
    )
    assert explicit.canonical(tree) == selection.canonical(tree)


@pytest.mark.law
@given(trees_with_selections())
def test_the_canonical_form_allows_the_same_and_is_minimal(pair: Pair) -> None:
    """
    Rule: "Every selection has a canonical form on a given tree (minimal decisions)": it allows the
    same set, is idempotent and has no redundant decision.
    """
    tree, selection = pair
    canonical = selection.canonical(tree)
    assert selection.allowed(tree) == canonical.allowed(tree)
    assert canonical == canonical.canonical(tree)
    assert frozenset() == canonical.unreviewed(tree)
    for resource_id in canonical.allow | canonical.deny:
        fewer = ResourceSelection(
            AccessMode.CUSTOM,
            canonical.allow - {resource_id},
            canonical.deny - {resource_id},
            canonical.reviewed,
        )
        assert fewer.allowed(tree) != canonical.allowed(tree)


@pytest.mark.law
@given(trees_with_selections())
def test_serialization_is_lossless_and_json_safe(pair: Pair) -> None:
    """Rule: "Serialization to JSON-safe data and back is lossless." """
    _, selection = pair
    data = selection.to_data()
    assert data == json.loads(json.dumps(data))
    restored = ResourceSelection.from_data(json.loads(json.dumps(data)))
    assert selection == restored
    assert hash(selection) == hash(restored)


# -- Resources added, moved or removed later -------------------------------------------------


Upgrade = tuple[AclTree, ResourceSelection, AclTree]


def custom_selections_then(
    newer: Callable[[AclTree], st.SearchStrategy[AclTree]],
) -> st.SearchStrategy[Upgrade]:
    """A tree, a Custom selection decided on it, and a newer tree drawn by ``newer``."""
    return trees_with_selections(include_all=False).flatmap(
        lambda pair: st.tuples(st.just(pair[0]), st.just(pair[1]), newer(pair[0]))
    )


@pytest.mark.law
@given(custom_selections_then(extended_trees))
def test_resources_added_later_are_denied_until_reviewed(
    case: Upgrade,
) -> None:
    """
    Rule: "Resources that appear in the tree after a Custom selection was decided are denied until
    reviewed, even under an allowed parent ... The selection can list them and be marked
    reviewed against a newer tree (then they follow [the nearest decision])."
    """
    tree, selection, newer = case
    new = frozenset(newer.ids) - frozenset(tree.ids)
    assert new == selection.unreviewed(newer)
    assert not (new & selection.allowed(newer))
    assert selection.allowed(tree) == selection.allowed(newer)
    assert new == selection.compile(newer).unreviewed
    reviewed = selection.review(newer)
    assert frozenset() == reviewed.unreviewed(newer)
    for resource_id in newer.ids:
        expected = reference_effect(newer, selection, resource_id)
        assert expected == (resource_id in reviewed.allowed(newer))


def test_a_new_resource_under_an_allowed_parent_is_denied_unlike_magento() -> None:
    """
    A resource added later is "denied until reviewed, even under an allowed parent — Magento
    silently allows them (#37620)".
    """
    old = AclTree.from_data([{"id": "Magento_Sales::sales"}])
    new = AclTree.from_data(
        [{"id": "Magento_Sales::sales", "children": [{"id": "Magento_Sales::api_actions"}]}]
    )
    selection = ResourceSelection.custom(old, allow=["Magento_Sales::sales"])
    permissions = selection.compile(new)
    assert permissions.is_allowed("Magento_Sales::sales")
    assert not permissions.is_allowed("Magento_Sales::api_actions")
    assert selection.review(new).compile(new).is_allowed("Magento_Sales::api_actions")


@pytest.mark.law
@given(custom_selections_then(reshaped_trees))
def test_resources_moved_later_are_denied_until_reviewed(
    case: Upgrade,
) -> None:
    """
    Rule: "Resources that appear in the tree after a Custom selection was decided are denied until
    reviewed", for resources that move: a resource now under another parent, and what moved
    along with it, is denied until reviewed unless it carries its own decision; it "appears"
    where the merchant never decided about it. Reviewed, it follows the nearest decision.
    """
    _, selection, newer = case
    unreviewed = frozenset(
        resource_id
        for resource_id in newer.ids
        if not reference_reviewed(newer, selection, resource_id)
    )
    assert unreviewed == selection.unreviewed(newer)
    assert unreviewed == selection.compile(newer).unreviewed
    assert reference_allowed(newer, selection) == selection.allowed(newer)
    assert not (unreviewed & selection.allowed(newer))
    reviewed = selection.review(newer)
    assert frozenset() == reviewed.unreviewed(newer)
    for resource_id in newer.ids:
        expected = reference_effect(newer, selection, resource_id)
        assert expected == (resource_id in reviewed.allowed(newer))


@st.composite
def upgraded_trees(draw: st.DrawFn, tree: AclTree) -> AclTree:
    """``tree`` with resources added, then moved, then removed."""
    newer = draw(reshaped_trees(draw(extended_trees(tree))))
    removed = draw(st.sets(st.sampled_from(newer.ids))) if len(newer) else set()
    return pruned(newer, removed)


@pytest.mark.law
@given(custom_selections_then(upgraded_trees))
def test_no_change_to_the_tree_widens_a_custom_selection_until_reviewed(
    case: Upgrade,
) -> None:
    """
    Rule: "Resources that appear in the tree after a Custom selection was decided are denied until
    reviewed", as a safety law: whatever an upgrade does to the tree (add, move, remove
    resources), a Custom selection allows no resource it did not allow before review.
    """
    tree, selection, newer = case
    assert selection.allowed(newer) <= selection.allowed(tree)
    assert selection.compile(newer).allowed <= selection.allowed(tree)


@st.composite
def selections_on_a_shrunk_tree(draw: st.DrawFn) -> Upgrade:
    tree, selection = draw(trees_with_selections())
    removed = draw(st.sets(st.sampled_from(tree.ids))) if len(tree) else set()
    return tree, selection, pruned(tree, removed)


@pytest.mark.law
@given(selections_on_a_shrunk_tree())
def test_resources_that_left_the_tree_are_dropped_and_reported(
    case: Upgrade,
) -> None:
    """
    Rule: "Resources that disappeared from the tree are dropped from the effective set and reported,
    never an error at check time."
    """
    tree, selection, smaller = case
    gone = frozenset(tree.ids) - frozenset(smaller.ids)
    named = (
        selection.allow | selection.deny | {resource_id for resource_id, _ in selection.reviewed}
    )
    assert named & gone == selection.missing(smaller)
    permissions = selection.compile(smaller)
    assert selection.missing(smaller) == permissions.missing
    assert selection.allowed(tree) - gone == permissions.allowed
    assert not (selection.review(smaller).missing(smaller))
    for resource_id in gone:
        with pytest.raises(UnknownResourceError):
            permissions.is_allowed(resource_id)


# -- Unknown ids -----------------------------------------------------------------------------


@pytest.mark.law
@given(trees_with_selections(), st.lists(resource_ids(), min_size=1, max_size=3))
def test_unknown_ids_raise_a_typed_error_naming_them(pair: Pair, unknown: list[str]) -> None:
    """
    Rule: "Unknown resource ids given when building or editing a selection raise a typed error
    naming the ids."
    """
    tree, selection = pair
    unknown = [resource_id for resource_id in unknown if resource_id not in tree]
    assume(unknown and MAGENTO_ALL not in unknown and MAGENTO_ADMIN not in unknown)
    known = list(tree.ids[:1])
    expected = tuple(sorted(set(unknown)))
    attempts: list[Callable[[], object]] = [
        lambda: ResourceSelection.custom(tree, allow=[*known, *unknown]),
        lambda: ResourceSelection.custom(tree, deny=[*unknown, *known]),
        lambda: selection.grant(tree, *known, *unknown),
        lambda: selection.exclude(tree, *unknown, *known),
        lambda: ResourceSelection.from_magento(tree, [*known, *unknown]),
    ]
    for attempt in attempts:
        with pytest.raises(UnknownResourceError) as raised:
            attempt()
        assert expected == raised.value.resource_ids
        assert all(repr(resource_id) in str(raised.value) for resource_id in unknown)


# -- Check states ----------------------------------------------------------------------------


@pytest.mark.law
@given(trees_with_selections())
def test_check_states_follow_the_subtree(pair: Pair) -> None:
    """
    Rule: "Tri-state per node for UIs: checked (node and all its subtree allowed), unchecked (none
    allowed), undetermined (mixed). Under All everything is checked."
    """
    tree, selection = pair
    allowed = selection.allowed(tree)
    states = selection.check_states(tree)
    assert list(tree.ids) == list(states)
    for resource_id in tree.ids:
        assert reference_state(tree, allowed, resource_id) == states[resource_id]


# -- Diff ------------------------------------------------------------------------------------


@pytest.mark.law
@given(trees_with_two_selections())
def test_the_diff_says_what_became_allowed_and_what_became_denied(
    case: tuple[AclTree, ResourceSelection, ResourceSelection],
) -> None:
    """Rule: "Diff of two selections on a tree: which resources became allowed, which became denied." """
    tree, before, after = case
    diff = before.diff(after, tree)
    assert after.allowed(tree) == (before.allowed(tree) - diff.denied) | diff.allowed
    assert not (diff.allowed & before.allowed(tree))
    assert diff.denied <= before.allowed(tree)
    reverse = after.diff(before, tree)
    assert (diff.allowed, diff.denied) == (reverse.denied, reverse.allowed)
    assert diff.changed == (before.allowed(tree) != after.allowed(tree))


# -- Magento interop -------------------------------------------------------------------------


@pytest.mark.law
@given(trees_with_selections())
def test_to_magento_and_back_is_the_canonical_selection(pair: Pair) -> None:
    """
    Rule: "Magento interop: from and to the list of resource ids Magento's admin form posts
    (resource[]): ['Magento_Backend::all'] is All; otherwise the list is the allowed set ...
    Round-trips exact."
    """
    tree, selection = pair
    assume(MAGENTO_ALL not in tree)
    posted = selection.to_magento(tree)
    if selection.mode is AccessMode.ALL:
        assert posted == [MAGENTO_ALL]
    else:
        assert [i for i in tree.ids if i in selection.allowed(tree)] == posted
    assert selection.canonical(tree) == ResourceSelection.from_magento(tree, posted)


@st.composite
def trees_with_posted_lists(draw: st.DrawFn) -> tuple[AclTree, list[str]]:
    tree = draw(acl_trees())
    chosen = draw(st.sets(st.sampled_from(tree.ids))) if len(tree) else set()
    return tree, [resource_id for resource_id in tree.ids if resource_id in chosen]


@pytest.mark.law
@given(trees_with_posted_lists())
def test_a_posted_list_is_the_allowed_set_and_round_trips_exactly(
    case: tuple[AclTree, list[str]],
) -> None:
    """Rule: "otherwise the list is the allowed set" and "Round-trips exact"."""
    tree, posted = case
    assume(MAGENTO_ALL not in tree and MAGENTO_ADMIN not in tree)
    selection = ResourceSelection.from_magento(tree, posted)
    assert frozenset(posted) == selection.allowed(tree)
    assert posted == selection.to_magento(tree)
    assert selection == ResourceSelection.from_magento(tree, [MAGENTO_ADMIN, *posted, *posted])


@pytest.mark.law
@given(acl_trees())
def test_magento_all_is_all(tree: AclTree) -> None:
    """Rule: "['Magento_Backend::all'] is All"."""
    assert ResourceSelection.all() == ResourceSelection.from_magento(tree, [MAGENTO_ALL])
    assert ResourceSelection.all().to_magento(tree) == [MAGENTO_ALL]
