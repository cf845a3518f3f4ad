"""
The real jstree widget with the package's glue, in headless Chromium, on the Magento 2.4 tree.

A static page mounts the screen's tree (the children of ``Magento_Backend::admin``) from
``to_jstree`` data; its form posts to ``/save``, which the page's route answers, so each test
reads exactly what the browser sent and parses it as a host does, with ``FormPost``.
"""

from __future__ import annotations

import html
import json
import random
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, Route

from integration_core import MAGENTO_ADMIN, AclTree, ResourceSelection
from integration_core.acl import MAGENTO_RESOURCE_ID
from integration_core.acl.widget import SCRIPT_NAME
from integration_core.integrations import FormPost

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "magento-acl" / "2.4"
SCREEN = AclTree.from_magento_xml(
    {path.name: path.read_bytes() for path in sorted(FIXTURES.glob("*.xml"))},
    id_pattern=MAGENTO_RESOURCE_ID,
).subtree(MAGENTO_ADMIN)
SALES = "Magento_Sales::sales"
OPERATION = "Magento_Sales::sales_operation"
ORDER = "Magento_Sales::sales_order"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Resources</title>
<link rel="stylesheet" href="themes/default/style.min.css"></head>
<body><form id="integration" method="post" action="/save">
<input type="hidden" name="name" value="ERP"><input type="hidden" name="all_resources" value="0">
<div id="resources" data-integration-core-tree="{data}"{name}></div>
<button type="submit" id="save">Save</button></form>
<script src="jquery.min.js"></script><script src="jstree.min.js"></script>
<script src="{glue}"></script></body></html>
"""


class Widget:
    """The page of one tree: load a selection, click, submit, read what was posted."""

    def __init__(self, page: Page, base_url: str, directory: Path) -> None:
        self.page, self.base_url, self.directory = page, base_url, directory
        self.posted: list[str] = []
        page.route("**/save", self._save)

    def _save(self, route: Route) -> None:
        self.posted.append(route.request.post_data or "")
        route.fulfill(status=200, content_type="text/plain", body="saved")

    def load(self, selection: ResourceSelection, *, name: str | None = None) -> None:
        data = json.dumps(SCREEN.to_jstree(selection.check_states(SCREEN)))
        named = "" if name is None else f' data-integration-core-name="{html.escape(name)}"'
        page = PAGE.format(data=html.escape(data), name=named, glue=SCRIPT_NAME)
        (self.directory / "index.html").write_text(page, encoding="utf-8")
        self.page.goto(f"{self.base_url}/index.html")
        self.page.wait_for_function(
            "() => $('#resources').jstree(true).get_node('#').children.length > 0"
        )

    def anchor(self, resource_id: str) -> str:
        return f'[id="{resource_id}_anchor"]'

    def reveal(self, resource_id: str) -> None:
        self.page.evaluate(
            """id => {
                const tree = $('#resources').jstree(true);
                tree.get_node(id).parents.slice().reverse().filter(p => p !== '#')
                    .forEach(p => tree.open_node(p, false, false));
            }""",
            resource_id,
        )

    def click(self, resource_id: str) -> None:
        """Tick or untick a resource with the mouse, on its checkbox."""
        self.reveal(resource_id)
        self.page.locator(f"{self.anchor(resource_id)} > .jstree-checkbox").click()

    def save(self) -> FormPost:
        with self.page.expect_response("**/save"):
            self.page.locator("#save").click()
        fields = parse_qs(self.posted[-1], keep_blank_values=True)
        return FormPost.parse(fields)

    def allowed_after_save(self) -> frozenset[str]:
        form, problems = self.save().form(SCREEN)
        assert problems == []
        assert form.selection is not None
        return form.selection.allowed(SCREEN)

    def ticked(self, resource_id: str) -> bool:
        """Whether the resource's checkbox shows ticked (jstree marks its anchor selected)."""
        self.reveal(resource_id)
        return self.page.locator(self.anchor(resource_id)).get_attribute("aria-selected") == "true"

    def undetermined(self, resource_id: str) -> bool:
        self.reveal(resource_id)
        checkbox = self.page.locator(f"{self.anchor(resource_id)} > .jstree-checkbox")
        return "jstree-undetermined" in (checkbox.get_attribute("class") or "")


@pytest.fixture
def widget(
    page: Page,
    serve_directory: Callable[[Path], str],
    widget_assets: Callable[[Path], None],
    tmp_path: Path,
) -> Widget:
    widget_assets(tmp_path)
    return Widget(page, serve_directory(tmp_path), tmp_path)


def test_a_parent_allowed_with_its_children_denied_survives_an_unchanged_save(
    widget: Widget, screenshot: Callable[[Page, str], Path]
) -> None:
    selection = ResourceSelection.from_magento(SCREEN, [SALES])
    widget.load(selection)
    widget.reveal(ORDER)
    assert widget.ticked(SALES)
    assert not widget.ticked(OPERATION)
    assert not widget.undetermined(SALES)
    screenshot(widget.page, "tree-widget-parent-only")
    assert widget.allowed_after_save() == selection.allowed(SCREEN) == {SALES}


def test_a_child_granted_alone_gains_no_parent_on_an_unchanged_save(
    widget: Widget, screenshot: Callable[[Page, str], Path]
) -> None:
    selection = ResourceSelection.custom(SCREEN).grant(SCREEN, ORDER)
    widget.load(selection)
    widget.page.wait_for_selector(f"{widget.anchor(SALES)} > .jstree-undetermined")
    assert widget.undetermined(OPERATION)
    screenshot(widget.page, "tree-widget-child-only")
    allowed = widget.allowed_after_save()
    assert allowed == selection.allowed(SCREEN)
    assert SALES not in allowed
    assert OPERATION not in allowed


def test_a_parent_ticked_with_one_child_unticked_posts_what_exclude_gives_and_reopens_the_same(
    widget: Widget, screenshot: Callable[[Page, str], Path]
) -> None:
    nothing = ResourceSelection.custom(SCREEN)
    widget.load(nothing)
    widget.click(SALES)
    widget.click(ORDER)
    screenshot(widget.page, "tree-widget-parent-ticked-child-unticked")
    expected = nothing.grant(SCREEN, SALES).exclude(SCREEN, ORDER)
    allowed = widget.allowed_after_save()
    assert allowed == expected.allowed(SCREEN)
    widget.load(ResourceSelection.from_magento(SCREEN, sorted(allowed)))
    assert widget.allowed_after_save() == allowed


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_ticks_and_unticks_do_what_grant_and_exclude_do(widget: Widget, seed: int) -> None:
    chance = random.Random(seed)  # noqa: S311  # seeded test cases, not secrets
    ids = [resource_id for resource_id in SCREEN.ids if SCREEN.children(resource_id)] + list(
        SCREEN.ids
    )
    selection = ResourceSelection.custom(SCREEN)
    for _ in range(3):
        tick = chance.choice([selection.grant, selection.exclude])
        selection = tick(SCREEN, chance.choice(ids))
    widget.load(selection)
    for _ in range(5):
        resource_id = chance.choice(ids)
        if widget.ticked(resource_id):
            selection = selection.exclude(SCREEN, resource_id)
        else:
            selection = selection.grant(SCREEN, resource_id)
        widget.click(resource_id)
        shown = widget.page.evaluate(
            "() => IntegrationCoreTree.selected(document.getElementById('resources'))"
        )
        assert set(shown) == selection.allowed(SCREEN)
    assert widget.allowed_after_save() == selection.allowed(SCREEN)


def test_an_empty_selection_posts_no_resource_and_reads_back_empty(widget: Widget) -> None:
    widget.load(ResourceSelection.custom(SCREEN))
    post = widget.save()
    assert post.resources == ()
    form, problems = post.form(SCREEN)
    assert problems == []
    assert form.selection == ResourceSelection.custom(SCREEN)


def test_the_field_name_can_be_chosen_and_a_second_submit_posts_each_id_once(
    widget: Widget,
) -> None:
    selection = ResourceSelection.custom(SCREEN).grant(SCREEN, OPERATION)
    widget.load(selection, name="resource")
    widget.page.evaluate("() => IntegrationCoreTree.write(document.getElementById('resources'))")
    post = widget.save()
    assert "resource%5B%5D" not in widget.posted[-1]
    assert sorted(post.resources) == sorted(selection.allowed(SCREEN))
