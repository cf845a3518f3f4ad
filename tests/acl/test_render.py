"""Text rendering (anytree's style) and the jstree export."""

from __future__ import annotations

import html
import unicodedata
from typing import Any

import pytest
from anytree import ContStyle, Node, RenderTree
from hypothesis import assume, given

from integration_core import AclTree, CheckState, ResourceSelection
from integration_core.acl import CheckStates
from integration_core.errors import InvalidArgumentError, InvalidSelectionError
from integration_core.testing.strategies import acl_trees, trees_with_selections
from tests._acl_reference import chain

TREE = AclTree.from_data(
    [
        {
            "id": "sales",
            "title": "Sales",
            "children": [
                {
                    "id": "orders",
                    "title": "Orders",
                    "children": [{"id": "invoice"}, {"id": "ship"}],
                },
                {"id": "refunds", "title": "Refunds", "children": [{"id": "memo"}]},
            ],
        },
        {"id": "catalog", "title": "Catalog"},
    ]
)


def anytree_rendering(tree: AclTree, marks: dict[str, str]) -> str:
    """The same forest drawn by anytree's own RenderTree, one root at a time."""
    nodes: dict[str, Any] = {}
    lines: list[str] = []
    for node in tree:
        parent = tree.parent(node.id)
        text = node.id if node.title is None else f"{node.title} ({node.id})"
        # Control characters and line separators are shown escaped: one resource, one line.
        text = "".join(
            character.encode("unicode_escape").decode("ascii")
            if unicodedata.category(character) in {"Cc", "Zl", "Zp"}
            else character
            for character in text
        )
        nodes[node.id] = Node(
            marks.get(node.id, "") + text, parent=None if parent is None else nodes[parent.id]
        )
    for root in tree.roots:
        lines.extend(
            f"{pre}{n.name}" for pre, _, n in RenderTree(nodes[root.id], style=ContStyle())
        )
    return "\n".join(lines)


def test_render_draws_the_tree_like_anytree() -> None:
    assert TREE.render() == (
        "Sales (sales)\n"
        "├── Orders (orders)\n"
        "│   ├── invoice\n"
        "│   └── ship\n"
        "└── Refunds (refunds)\n"
        "    └── memo\n"
        "Catalog (catalog)"
    )


def test_render_with_a_selection_shows_check_states() -> None:
    selection = ResourceSelection.custom(TREE, allow=["orders", "catalog"], deny=["ship"])
    assert TREE.render(selection.check_states(TREE)) == (
        "[-] Sales (sales)\n"
        "├── [-] Orders (orders)\n"
        "│   ├── [x] invoice\n"
        "│   └── [ ] ship\n"
        "└── [ ] Refunds (refunds)\n"
        "    └── [ ] memo\n"
        "[x] Catalog (catalog)"
    )


@pytest.mark.law
@given(trees_with_selections())
def test_render_matches_anytree_render_tree(pair: tuple[AclTree, ResourceSelection]) -> None:
    """
    Rule: ``render`` draws the tree in anytree's style, with ``[x]`` / ``[-]`` / ``[ ]`` marks
    when given check states.
    """
    tree, selection = pair
    assert anytree_rendering(tree, {}) == tree.render()
    marks = {i: state.mark + " " for i, state in selection.check_states(tree).items()}
    assert anytree_rendering(tree, marks) == tree.render(selection.check_states(tree))


def walk(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    pending = list(reversed(items))
    while pending:
        item = pending.pop()
        found.append(item)
        pending.extend(reversed(item["children"]))
    return found


@pytest.mark.law
@given(trees_with_selections())
def test_jstree_export_has_the_tree_shape_labels_and_states(
    pair: tuple[AclTree, ResourceSelection],
) -> None:
    """
    Rule: the jstree export has the tree's shape and each node's label (HTML-escaped); a node is
    selected exactly when the resource itself is allowed and undetermined when it is not but
    something below it is; without states nothing is selected.
    """
    tree, selection = pair
    exported = tree.to_jstree(selection.check_states(tree))
    items = walk(exported)
    assert list(tree.ids) == [item["id"] for item in items]
    states = selection.check_states(tree)
    for item in items:
        node = tree[item["id"]]
        assert {"id", "text", "state", "children"} == set(item)
        assert html.escape(node.label) == item["text"]
        assert [child.id for child in tree.children(node.id)] == [c["id"] for c in item["children"]]
        allowed = node.id in selection.allowed(tree)
        assert allowed is item["state"]["selected"]
        assert (states[node.id] is CheckState.UNDETERMINED and not allowed) is item["state"][
            "undetermined"
        ]
    plain = walk(tree.to_jstree())
    assert all(
        item["state"] == {"selected": False, "opened": False, "undetermined": False}
        for item in plain
    )


def test_jstree_opens_exactly_the_undetermined_nodes() -> None:
    selection = ResourceSelection.custom(TREE, allow=["orders"])
    opened = {
        item["id"]: item["state"]["opened"]
        for item in walk(TREE.to_jstree(selection.check_states(TREE)))
    }
    assert opened == {
        "sales": True,
        "orders": False,
        "invoice": False,
        "ship": False,
        "refunds": False,
        "memo": False,
        "catalog": False,
    }


def test_plain_states_holding_an_undetermined_resource_are_refused_by_name() -> None:
    states = dict(ResourceSelection.custom(TREE, allow=["orders"]).check_states(TREE))
    with pytest.raises(InvalidSelectionError, match="'sales' is undetermined") as raised:
        TREE.to_jstree(states)
    assert raised.value.field == "states"
    plain = dict(ResourceSelection.custom(TREE, allow=["catalog"]).check_states(TREE))
    selected = {item["id"] for item in walk(TREE.to_jstree(plain)) if item["state"]["selected"]}
    assert selected == {"catalog"}


def test_check_states_that_disagree_with_what_they_allow_are_refused() -> None:
    checked, unchecked = {"a": CheckState.CHECKED}, {"a": CheckState.UNCHECKED}
    cases: list[tuple[dict[str, CheckState], Any, str]] = [
        (checked, [], "'a' is checked"),
        (unchecked, ["a"], "'a' is unchecked"),
        (checked, ["a", "b"], "no check state for resource 'b'"),
        (checked, "a", "expected a collection"),
        (checked, [["a"]], "hashable"),
    ]
    for states, allowed, message in cases:
        with pytest.raises(InvalidSelectionError, match=message) as raised:
            CheckStates(states, allowed=allowed)
        assert raised.value.field == "allowed"
    assert CheckStates({"a": CheckState.UNDETERMINED}, allowed=["a"]).allowed == frozenset({"a"})


def test_a_title_with_a_line_break_cannot_forge_a_line() -> None:
    tree = AclTree.from_data([{"id": "a", "title": "Orders\n[x] Refunds (refunds)"}, {"id": "b"}])
    rendered = tree.render(ResourceSelection.custom(tree, allow=["b"]).check_states(tree))
    assert len(rendered.splitlines()) == 2


def test_jstree_of_a_small_tree() -> None:
    tree = AclTree.from_data([{"id": "a", "title": "A", "children": [{"id": "b"}]}])
    assert tree.to_jstree(ResourceSelection.all().check_states(tree)) == [
        {
            "id": "a",
            "text": "A",
            "state": {"selected": True, "opened": False, "undetermined": False},
            "children": [
                {
                    "id": "b",
                    "text": "b",
                    "state": {"selected": True, "opened": False, "undetermined": False},
                    "children": [],
                }
            ],
        }
    ]


@pytest.mark.law
@given(acl_trees(max_nodes=12))
def test_render_has_one_line_per_resource(tree: AclTree) -> None:
    """Rule: the drawing has one line per resource (whose id and title break no line)."""
    assume(not any(len(f"{node.id} {node.title}".splitlines()) > 1 for node in tree))
    rendered = tree.render()
    assert len(tree) == (len(rendered.splitlines()) if rendered else 0)


def test_drawing_with_states_that_miss_a_resource_names_it() -> None:
    states = dict(ResourceSelection.all().check_states(TREE))
    del states[TREE.ids[-1]]
    for draw in (TREE.render, TREE.to_jstree):
        with pytest.raises(InvalidSelectionError, match=repr(TREE.ids[-1])) as raised:
            draw(states)
        assert raised.value.field == "states"


def test_the_depth_style_leads_each_line_with_its_depth_and_check_state() -> None:
    tree = AclTree.from_data([{"id": "a", "children": [{"id": "b", "children": [{"id": "c"}]}]}])
    states = ResourceSelection.custom(tree, allow=["b"]).check_states(tree)
    assert tree.render(states, style="depth") == "0 [-] a\n1 [x] b\n2 [x] c"


def test_the_depth_style_of_a_deep_chain_is_linear_in_its_size() -> None:
    depth = 20_000
    tree = AclTree.from_data(chain(depth))
    rendered = tree.render(style="depth")
    # Guides would need some 2 * depth**2 characters; depth numbers need a few per line.
    assert len(rendered) < 20 * depth
    assert rendered.splitlines()[-1].startswith(f"{depth - 1} ")


def test_an_unknown_style_is_refused_naming_the_argument() -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        TREE.render(style="boxes")  # type: ignore[arg-type]
    assert raised.value.field == "style"


def test_states_that_are_no_mapping_are_refused_naming_the_argument() -> None:
    for draw in (TREE.render, TREE.to_jstree):
        with pytest.raises(InvalidSelectionError) as raised:
            draw(list(TREE.ids))  # type: ignore[arg-type]
        assert raised.value.field == "states"
    with pytest.raises(InvalidArgumentError):
        TREE.render(style=["depth"])  # type: ignore[arg-type]
