"""Selections fuzzed: building, editing, reading data and Magento lists; a selection or our error."""

from __future__ import annotations

from functools import partial
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from integration_core import AccessMode, ResourceSelection
from integration_core.errors import IntegrationCoreError, InvalidSelectionError
from integration_core.testing.strategies import acl_trees, trees_with_selections
from tests.fuzz._gate import FUZZ, outcome
from tests.fuzz._values import ANY, with_ids

SELECTION_KEYS = st.sampled_from(["mode", "allow", "deny", "reviewed"])


@FUZZ
@given(ANY | st.dictionaries(SELECTION_KEYS, ANY) | st.dictionaries(SELECTION_KEYS, st.lists(ANY)))
def test_any_data_reads_as_a_selection_or_is_refused(data: Any) -> None:
    result = outcome(lambda: ResourceSelection.from_data(data))
    if isinstance(result, IntegrationCoreError):
        assert isinstance(result, InvalidSelectionError)
    else:
        assert ResourceSelection.from_data(result.to_data()) == result


@FUZZ
@given(st.data())
def test_building_and_ticking_with_any_ids_gives_a_selection_or_our_error(
    data: st.DataObject,
) -> None:
    tree, selection = data.draw(trees_with_selections())
    ids = data.draw(st.lists(with_ids(tree.ids), max_size=5))
    allow = data.draw(with_ids(tree.ids) | st.lists(with_ids(tree.ids), max_size=3))
    deny = data.draw(with_ids(tree.ids) | st.lists(with_ids(tree.ids), max_size=3))
    before = selection.to_data()
    for build in (
        lambda: ResourceSelection.custom(tree, allow=allow, deny=deny),
        lambda: selection.grant(tree, *ids),
        lambda: selection.exclude(tree, *ids),
        lambda: ResourceSelection.from_magento(tree, allow),
        lambda: ResourceSelection(data.draw(ANY | st.sampled_from(AccessMode)), allow, deny),
    ):
        result = outcome(build)
        assert isinstance(result, ResourceSelection | IntegrationCoreError)
    assert before == selection.to_data()


@FUZZ
@given(st.data())
def test_reading_a_selection_on_a_tree_answers_for_any_key(data: st.DataObject) -> None:
    tree, selection = data.draw(trees_with_selections())
    other_tree = data.draw(acl_trees())
    key = data.draw(with_ids(tree.ids))
    states = selection.check_states(tree)
    outcome(lambda: states[key])
    assert (states.get(key) is not None) == (key in states)
    for read in (selection.allowed, selection.unreviewed, selection.missing, selection.canonical):
        outcome(partial(read, other_tree))
    permissions = selection.compile(tree)
    text_key = key if isinstance(key, str) else str(key)
    outcome(lambda: permissions.is_allowed(text_key))
    outcome(lambda: selection.diff(data.draw(ANY), tree))
