"""The Graphviz picture: DOT through anytree's exporter, one box per resource, filled by state."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from hypothesis import given

from integration_core import AclTree, CheckState, ResourceSelection
from integration_core.testing.strategies import trees_with_selections
from tests.acl.picture import DOT, SVG, picture, render_svg

FILLS = {
    CheckState.CHECKED: "#b7e1a1",
    CheckState.UNDETERMINED: "#ffe08a",
    CheckState.UNCHECKED: "#ffffff",
}
NODE = re.compile(r'^    "r(\d+)" \[label="(.*)", fillcolor="(#[0-9a-f]{6})"\];$')
EDGE = re.compile(r'^    "r(\d+)" -> "r(\d+)";$')
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None and not os.environ.get("CI"),
    reason="Graphviz's dot is not installed (CI installs it)",
)


@pytest.mark.law
@given(trees_with_selections())
def test_the_picture_has_one_box_per_resource_filled_by_its_state(
    pair: tuple[AclTree, ResourceSelection],
) -> None:
    """
    Rule: the DOT picture draws every resource once, in display order, marked and filled by
    its check state, with one edge from its parent (or the heading, for a top-level one).
    """
    tree, selection = pair
    states = selection.check_states(tree)
    lines = tree.to_dot(states).splitlines()
    boxes = [match.groups() for line in lines if (match := NODE.match(line))]
    edges = [tuple(map(int, match.groups())) for line in lines if (match := EDGE.match(line))]
    assert [int(number) for number, _, _ in boxes] == list(range(1, len(tree) + 1))
    for (_, label, fill), resource_id in zip(boxes, tree.ids, strict=True):
        assert label.startswith(states[resource_id].mark + " ")
        assert fill == FILLS[states[resource_id]]
    parents = {child: parent for parent, child in edges}
    layout = tree.layout
    assert parents == {position + 1: parent + 1 for position, parent in enumerate(layout.parents)}
    assert (lines[0], lines[-1]) == ("digraph acl {", "}")


def test_without_states_the_boxes_are_plain() -> None:
    tree = AclTree.from_data([{"id": "a", "title": "A"}])
    assert '    "r1" [label="A (a)", fillcolor="#ffffff"];' in tree.to_dot().splitlines()


def test_the_picture_in_the_docs_is_current() -> None:
    """``bash scripts/pictures`` regenerates it when the tree or the drawing changes."""
    assert DOT.read_text(encoding="utf-8") == picture()
    assert SVG.read_text(encoding="utf-8").lstrip().startswith("<?xml")


@needs_dot
def test_graphviz_draws_the_magento_picture_with_every_resource() -> None:
    svg = render_svg(picture())
    assert svg.count('class="node"') == 1 + picture().count("fillcolor=")
    assert "[x] Create (Magento_Sales::create)" in svg


@needs_dot
def test_titles_with_quotes_backslashes_and_controls_reach_graphviz_as_text() -> None:
    title = 'Say "hi" \\l \\N back\\ \x07'
    tree = AclTree.from_data([{"id": "a", "title": title, "children": [{"id": "b\\"}]}])
    svg = render_svg(tree.to_dot())
    assert "Say &quot;hi&quot; \\l \\N back\\ \\x07 (a)" in svg
    assert ">b\\<" in svg
